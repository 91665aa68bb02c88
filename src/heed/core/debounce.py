"""Queue a task at most once per short interval per key (e.g. per organisation), for work that reads
"everything pending" when it runs: refreshing marked rollup days, annotating unread comments.

A submission commits, then calls ``enqueue_soon``: if a run for the same key is already queued to start
later than now, that run will see this submission's committed rows, so nothing is queued again; otherwise
a run is queued ``delay`` seconds ahead (its ETA). With eight clients posting, this turns hundreds of
tasks per second into one per key per interval. The state is per process; several web processes each
queue their own runs, which is harmless (the work is idempotent). Eager mode (tests) runs every call.
"""

from __future__ import annotations

import threading
import time
from typing import Any

_due: dict[str, float] = {}
_lock = threading.Lock()


def enqueue_soon(task: Any, *, key: str, args: tuple = (), delay: float = 1.0) -> bool:
    """Queue ``task(*args)`` to run ``delay`` seconds from now unless a run for ``key`` is still to start.

    Returns whether a message was queued. ``task`` is a Celery task; its ETA uses the wall clock, as
    Celery does."""
    if task.app.conf.task_always_eager:
        task.apply(args=args)
        return True
    now = time.time()
    with _lock:
        if _due.get(key, 0.0) > now:
            return False
        _due[key] = now + delay
    task.apply_async(args=args, countdown=delay)
    return True
