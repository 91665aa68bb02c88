"""The shell's pages: home, log-in, log-out, set password.

Each domain app's pages are in its own ``urls.py`` and the API is ``heed.api.api``, both included by ``heed.urls``."""

from django.contrib.auth import views as auth_views
from django.urls import path

from heed.web import (
    home_views,
)

urlpatterns = [
    path("", home_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="heed/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="heed/set_password.html", success_url="/account/set-password/done/"
        ),
        name="set-password",
    ),
    path(
        "account/set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="heed/set_password_done.html"),
        name="set-password-done",
    ),
]
