"""API tokens of the logged-in user: create (the key is shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from heed.accounts.selectors import api_token_list
from heed.accounts.services import api_token_create, api_token_revoke
from heed.core.errors import ApplicationError


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, "Give the token a name, e.g. the system that will use it.")
        else:
            try:
                _token, new_key = api_token_create(user=request.user, name=name)  # type: ignore[arg-type]
            except ApplicationError as exc:
                messages.error(request, exc.message)
    rows = api_token_list(user=request.user)  # type: ignore[arg-type]
    return render(request, "heed/tokens.html", {"tokens": rows, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_token_list(user=request.user).filter(id=token_id, revoked_at__isnull=True).first()  # type: ignore[arg-type]
    if token is None:
        raise Http404
    api_token_revoke(token=token)
    messages.success(request, f"Token {token.name} revoked.")
    return redirect("tokens")
