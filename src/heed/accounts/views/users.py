"""Organisation pages for admins: users (invite, role and units, deactivate, lift a login lock).

Every object is looked up within the admin's organisation (another organisation's is a 404); every
write goes through accounts.services, which records it in the audit log; every POST redirects."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from heed.accounts.forms import UserEditForm, UserInviteForm
from heed.accounts.models import User
from heed.accounts.permissions import can_manage_organisation
from heed.accounts.selectors import locked_usernames, open_unit_list, organisation_user_get, organisation_user_list
from heed.accounts.services import user_invite, user_login_unlock, user_set_active, user_set_language, user_update
from heed.core.errors import ApplicationError
from heed.web.access import role_required

admin_only = role_required(can_manage_organisation)
_INVITE_LINK = "heed_invite_link"


def _users_page(request: HttpRequest, form: UserInviteForm, status: int = 200) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    users = list(organisation_user_list(user=admin))
    locked = locked_usernames(usernames=[u.username for u in users])
    invite = request.session.pop(_INVITE_LINK, None) if request.method == "GET" else None
    context = {"users": users, "locked": locked, "form": form, "invite": invite}
    return render(request, "accounts/users.html", context, status=status)


@admin_only
def users(request: HttpRequest) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    units = open_unit_list(user=admin)
    if request.method != "POST":
        return _users_page(request, UserInviteForm(units=units))
    form = UserInviteForm(request.POST, units=units)
    if not form.is_valid():
        return _users_page(request, form, status=400)
    data = form.cleaned_data
    try:
        user, link = user_invite(actor=admin, username=data["username"], email=data["email"], role=data["role"],
                                 units=list(data["units"]), first_name=data["first_name"],
                                 last_name=data["last_name"])  # fmt: skip
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _users_page(request, form, status=exc.status_code)
    request.session[_INVITE_LINK] = {"username": user.username, "link": link, "emailed": bool(user.email)}
    return redirect("org-users")


def _managed_user(request: HttpRequest, user_id: int) -> User:
    user = organisation_user_get(user=request.user, user_id=user_id)  # type: ignore[arg-type]
    if user is None:
        raise Http404("No such user in your organisation.")
    return user


@admin_only
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    user = _managed_user(request, user_id)
    units = open_unit_list(user=admin) | user.units.all()
    if request.method == "POST":
        status = 400
        form = UserEditForm(request.POST, units=units.distinct())
        if form.is_valid():
            try:
                data = form.cleaned_data
                user_update(actor=admin, user=user, role=data["role"], units=list(data["units"]))
                if "language" in request.POST:  # a form without the field leaves the preference alone
                    user_set_language(actor=admin, user=user, language=data["language"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, gettext("{username} updated.").format(username=user.username))
                return redirect("org-users")
    else:
        initial = {"role": user.role, "language": user.language, "units": list(user.units.all())}
        form = UserEditForm(initial=initial, units=units.distinct())
        status = 200
    locked = user.username in locked_usernames(usernames=[user.username])
    return render(request, "accounts/user_edit.html", {"member": user, "form": form, "locked": locked}, status=status)


@admin_only
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    active = request.POST.get("active") == "1"
    try:
        user_set_active(actor=request.user, user=user, active=active)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        message = gettext("{username} reactivated.") if active else gettext("{username} deactivated.")
        messages.success(request, message.format(username=user.username))
    return redirect("org-user", user_id=user.id)


@admin_only
@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    cleared = user_login_unlock(actor=request.user, user=user)  # type: ignore[arg-type]
    message = gettext("{username} can log in again.") if cleared else gettext("{username} was not locked.")
    messages.success(request, message.format(username=user.username))
    return redirect("org-user", user_id=user.id)
