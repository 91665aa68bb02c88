"""The HTTP API (django-ninja). OpenAPI at /api/docs. Handlers are thin: they call selectors/services.

This module holds the one ``NinjaAPI`` object, its error handlers (the contract is ``heed.api.contract``) and
mounts each app's ``Router`` (``heed.<app>.api``)."""

from django.http import HttpRequest
from ninja.errors import AuthenticationError, Throttled
from ninja.openapi.docs import Swagger

from heed.accounts import api as accounts_api
from heed.analytics import api as analytics_api
from heed.api.auth import AUTH, throttled_response
from heed.api.contract import API_DESCRIPTION, HeedAPI
from heed.cati import api as cati_api
from heed.core.errors import ApplicationError
from heed.distribution import api as distribution_api
from heed.fieldwork import api as fieldwork_api
from heed.governance import api as governance_api
from heed.responses import api as responses_api
from heed.responses.api import answer_errors
from heed.surveys import api as surveys_api
from heed.surveys.answering import SubmissionError
from heed.textanalytics import api as textanalytics_api

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


# Each domain app's router (vertical slices: the app owns its endpoints, schemas and tests).
api.add_router("", analytics_api.router)
api.add_router("", textanalytics_api.router)
api.add_router("/users", accounts_api.users_router)
api.add_router("/units", accounts_api.units_router)
api.add_router("/surveys", surveys_api.router)
api.add_router("/surveys", distribution_api.router)
api.add_router("/audit-events", governance_api.router)
api.add_router("/responses", responses_api.router)
api.add_router("/fieldwork", fieldwork_api.router)
api.add_router("/cati", cati_api.router)
