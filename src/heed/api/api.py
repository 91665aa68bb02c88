"""The HTTP API (django-ninja). OpenAPI at /api/docs. Handlers are thin: they call selectors/services.

This module holds the one ``NinjaAPI`` object, its error handlers (the contract is ``heed.api.contract``) and
mounts each app's ``Router`` (``heed.<app>.api``); the analytics and text analytics endpoints below are
still here until their apps own them."""


from django.http import HttpRequest
from ninja import Query
from ninja.errors import AuthenticationError, Throttled
from ninja.openapi.docs import Swagger

from heed.accounts import api as accounts_api
from heed.accounts import permissions
from heed.analytics import api as analytics_api
from heed.api.auth import AUTH, throttled_response
from heed.api.contract import API_DESCRIPTION, HeedAPI
from heed.api.schemas import ErrorOut, TaxonomyThemeOut
from heed.core.errors import ApplicationError
from heed.distribution import api as distribution_api
from heed.governance import api as governance_api
from heed.responses import api as responses_api
from heed.responses.api import answer_errors
from heed.responses.selectors import ResponseFilters, response_filters_check
from heed.surveys import api as surveys_api
from heed.surveys.answering import SubmissionError
from heed.textanalytics.selectors import staff_summary, theme_list, theme_summary

api = HeedAPI(
    title="Heed API",
    version="1",
    description=API_DESCRIPTION,
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None}),  # served from local static files, nothing fetched online
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, {"detail": exc.message, "code": exc.code, **exc.extra}, status=exc.status_code)


@api.exception_handler(SubmissionError)
def _submission_error(request: HttpRequest, exc: SubmissionError):
    return api.create_response(
        request,
        {"detail": "Some answers are not valid.", "code": "invalid_answers", "errors": answer_errors(exc)},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request,
        {"detail": "Send a valid API token: 'Authorization: Bearer heed_…'.", "code": "unauthenticated"},
        status=401,
    )


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled):
    return throttled_response(api, request, exc)


def _user(request: HttpRequest):
    return request.auth  # type: ignore[attr-defined]


@api.get("/themes", response={200: dict, 403: ErrorOut, 404: ErrorOut}, tags=["text analytics"])
def themes(request: HttpRequest, filters: Query[ResponseFilters]):
    """What customers talk about: per theme, comments, share, tone, NPS of the writers, share among detractors."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    response_filters_check(user=user, filters=filters)
    return theme_summary(user=user, filters=filters)


@api.get("/taxonomy", response={200: list[TaxonomyThemeOut], 403: ErrorOut}, tags=["text analytics"])
def taxonomy(request: HttpRequest):
    """The organisation's themes with their keywords per language, and the languages each has no keywords in."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    return theme_list(user=user)


@api.get("/staff-mentions", response={200: list[dict], 403: ErrorOut, 404: ErrorOut}, tags=["text analytics"])
def staff_mentions(request: HttpRequest, filters: Query[ResponseFilters]):
    """Staff named in feedback, with the tone of what is said about each (positive = praised, negative =
    criticised; most praised first)."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    response_filters_check(user=user, filters=filters)
    return staff_summary(user=user, filters=filters, limit=100)


# Each domain app's router (vertical slices: the app owns its endpoints, schemas and tests).
api.add_router("", analytics_api.router)
api.add_router("/users", accounts_api.users_router)
api.add_router("/units", accounts_api.units_router)
api.add_router("/surveys", surveys_api.router)
api.add_router("/surveys", distribution_api.router)
api.add_router("/audit-events", governance_api.router)
api.add_router("/responses", responses_api.router)
