"""Running the same call from several threads at once, each on its own database connection (for races that
only PostgreSQL's concurrent transactions show)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_concurrently(call: Callable[[int], Any], *, times: int = 2, timeout: float = 60) -> list[Any]:
    """Call ``call(index)`` for index 0..times-1 in as many threads at once; returns each call's result or the
    exception it raised, by index. Each thread closes its own database connection."""
    results: list[Any] = [None] * times

    def run(index: int) -> None:
        try:
            results[index] = call(index)
        except Exception as exc:  # noqa: BLE001 (the caller's assertions name what was raised)
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
