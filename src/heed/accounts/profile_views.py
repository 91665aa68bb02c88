"""The logged-in user's own settings: the language of the staff interface."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from heed.accounts.language_forms import LanguagePreferenceForm
from heed.accounts.services import user_set_language
from heed.core.errors import ApplicationError


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST saves the preference and redirects (POST/redirect/GET) to a page in the new
    language."""
    user = request.user
    form = LanguagePreferenceForm(request.POST or None, initial={"language": user.language})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        try:
            user_set_language(actor=user, user=user, language=form.cleaned_data["language"])  # type: ignore[arg-type]
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            language = form.cleaned_data["language"] or translation.get_language_from_request(request)
            with translation.override(language):
                messages.success(request, _("Your settings are saved."))
            return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
