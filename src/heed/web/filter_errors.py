"""Results pages answer invalid filters (a query string out of range or of the wrong kind) with a 400 page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def filter_error_page(request: HttpRequest, form: forms.Form, page_title: StrOrPromise) -> HttpResponse:
    """The form with its errors and a message, status 400; nothing is computed from invalid filters."""
    return render(request, "heed/filter_error.html", {"form": form, "page_title": page_title}, status=400)
