"""Pages of API lists: at most ``PAGE_SIZE_MAX`` rows per request, offsets bounded (``heed.core.bounds``)."""

from __future__ import annotations

from ninja import Schema
from ninja.pagination import LimitOffsetPagination

from heed.core.bounds import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, PageLimit, PageOffset


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """``?limit`` (1 .. 500, default 100) and ``?offset`` (0 .. 10,000,000); beyond that a 422, never a 500."""

    class Input(Schema):
        limit: PageLimit = PAGE_SIZE_DEFAULT
        offset: PageOffset = 0

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=PAGE_SIZE_MAX, **kwargs)
