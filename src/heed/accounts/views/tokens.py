"""API tokens of the logged-in user: create (the key is shown once, after the redirect), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from heed.accounts.selectors import api_token_list
from heed.accounts.services import api_token_create, api_token_revoke
from heed.core.errors import ApplicationError

_NEW_KEY = "heed_new_api_key"


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """POST creates a token and redirects (POST/redirect/GET); the next GET shows its key once."""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, gettext("Give the token a name, e.g. the system that will use it."))
        else:
            try:
                _token, key = api_token_create(user=request.user, name=name)  # type: ignore[arg-type]
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                request.session[_NEW_KEY] = key  # shown by the next page view only, then forgotten
        return redirect("tokens")
    new_key = request.session.pop(_NEW_KEY, None)
    rows = api_token_list(user=request.user)  # type: ignore[arg-type]
    response = render(request, "accounts/tokens.html", {"tokens": rows, "new_key": new_key})
    if new_key:
        response["Cache-Control"] = "no-store"  # the key must not come back from the browser's cache
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_token_list(user=request.user).filter(id=token_id, revoked_at__isnull=True).first()  # type: ignore[arg-type]
    if token is None:
        raise Http404
    api_token_revoke(token=token)
    messages.success(request, gettext("Token {name} revoked.").format(name=token.name))
    return redirect("tokens")
