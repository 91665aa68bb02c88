"""The governance API router, mounted at ``/api/audit-events`` by ``heed.api.api``: the organisation's audit
log for its admins, with the audit page's filters (``governance.selectors.audit_event_list``)."""

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, Self

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import model_validator

from heed.api.pagination import BoundedLimitOffsetPagination
from heed.api.schemas import ErrorOut
from heed.core.bounds import BoundedDate, ShortText, date_range_check
from heed.governance.actions import ACTIONS, TARGET_TYPES
from heed.governance.selectors import AuditFilters, audit_event_list

router = Router(tags=["audit log"])

if TYPE_CHECKING:  # known at run time only: a static checker sees a plain str
    ActionName = str
else:
    ActionName = Literal[tuple(ACTIONS)]
if TYPE_CHECKING:  # known at run time only: a static checker sees a plain str
    TargetType = str
else:
    TargetType = Literal[tuple(TARGET_TYPES)]


class AuditEventOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str = Field(description="username of who made the change; 'system' for changes made by Heed itself")
    action: str = Field(description="what happened, e.g. user.invited, unit.closed")
    target_type: str
    target_id: str
    target_label: str = Field(description="the target as people read it, e.g. S1 Milano")
    before: dict[str, Any] = Field(description="the target's values before, as shown to people")
    after: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_name


class AuditFiltersIn(Schema):
    action: ActionName | None = None
    target_type: TargetType | None = None
    target_id: str | None = Field(None, pattern=r"^\d{1,18}$")
    actor: ShortText | None = Field(None, description="username, exact")
    date_from: BoundedDate | None = None
    date_to: BoundedDate | None = Field(None, description="inclusive; not before date_from")

    @model_validator(mode="after")
    def _date_range_in_order(self) -> Self:
        date_range_check(self.date_from, self.date_to)
        return self


@router.get("", response={200: list[AuditEventOut], 400: ErrorOut, 403: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def audit_events_list(request: HttpRequest, filters: Query[AuditFiltersIn]):
    """The organisation's audit events, newest first (admins only; the Audit log page)."""
    selected = AuditFilters(action=filters.action or "", target_type=filters.target_type or "",
                            actor=(filters.actor or "").strip(), target_id=filters.target_id or "",
                            date_from=filters.date_from, date_to=filters.date_to)  # fmt: skip
    return audit_event_list(user=request.auth, filters=selected)  # type: ignore[attr-defined]
