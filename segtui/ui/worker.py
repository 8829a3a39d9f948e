"""Running database and document work off the UI thread.

A job runs in a thread worker with its own database connection; its result or error
comes back to the screen through ``call_from_thread``, so no worker touches a widget.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any
from weakref import WeakSet

from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from segtui.db import current_database, interruptible
from segtui.domain.errors import SegtuiError

log = logging.getLogger("segtui.ui")

# The name of every worker run_job starts, so quitting can find the jobs still running
# among Textual's own workers.
JOB_WORKER_NAME = "segtui-job"

# The start times, by time.monotonic(), of the run_job threads running now, by app
# and the screen that started them.
LIVE_JOBS: dict[tuple[App[Any], Screen[Any]], list[float]] = {}
LIVE_JOBS_LOCK = threading.Lock()

# The screens whose job has ended while other screens covered them. Each closes with
# the job's result once the screens over it close.
WAITING_TO_CLOSE: WeakSet[Screen[Any]] = WeakSet()


def run_job(
    screen: Screen[Any],
    function: Callable[[], Any],
    on_done: Callable[[Any], None],
    *,
    group: str = "default",
    exclusive: bool = False,
    on_error: Callable[[Exception], None] | None = None,
) -> Worker[None]:
    """Run ``function`` in a thread, then ``on_done(result)`` on the UI thread.

    A SegtuiError goes to ``on_error`` (the screen's error dialog by default); any
    other exception is logged with its traceback and shown the same way.
    """
    app = screen.app
    report = (
        on_error
        or getattr(screen, "show_error", None)
        or (lambda error: app.notify(str(error), severity="error", markup=False))
    )

    def job() -> None:
        started = time.monotonic()
        with LIVE_JOBS_LOCK:
            LIVE_JOBS.setdefault((app, screen), []).append(started)
        try:
            with current_database().connection_context(), interruptible():
                result = function()
        except SegtuiError as error:
            app.call_from_thread(report, error)
            return
        except Exception as error:  # noqa: BLE001 - shown to the user, logged in full
            log.exception("background job failed")
            app.call_from_thread(report, error)
            return
        finally:
            with LIVE_JOBS_LOCK:
                starts = LIVE_JOBS[app, screen]
                starts.remove(started)
                if not starts:
                    del LIVE_JOBS[app, screen]
        app.call_from_thread(on_done, result)

    return screen.run_worker(
        job,
        name=JOB_WORKER_NAME,
        thread=True,
        group=group,
        exclusive=exclusive,
        exit_on_error=False,
    )


def dismiss_on_top(screen: Screen[Any], result: Any = None) -> None:
    """Dismiss ``screen`` with ``result`` now, or once the screens over it close.

    Textual 8.2.8's Screen.dismiss pops the top screen, whichever that is. A screen
    whose job ends while another screen covers it, such as the question whether to
    quit, would close that screen, leave itself in the stack and never call the
    covering screen's callback. A screen no longer in the stack drops ``result``,
    because no screen waits for it.
    """
    app = screen.app
    if app.screen is screen:
        screen.dismiss(result)
        return
    if screen not in app.screen_stack:
        log.warning(
            "%s closed before its result arrived; the result is dropped", screen
        )
        return

    def screen_changed(active: Screen[Any]) -> None:
        # Called later on ``screen``, so another screen may be on top again.
        if active is screen and app.screen is screen:
            app.screen_change_signal.unsubscribe(screen)
            WAITING_TO_CLOSE.discard(screen)
            screen.dismiss(result)

    WAITING_TO_CLOSE.add(screen)
    # A closed screen no longer runs, and the signal then drops its subscription.
    app.screen_change_signal.subscribe(screen, screen_changed)


def running_jobs(app: App[Any]) -> list[Screen[Any]]:
    """Return the screens whose jobs, started by run_job, still run.

    A closed screen's workers count as canceled in Textual, but their threads run
    on, such as letters still being written, so this reads the threads.
    """
    with LIVE_JOBS_LOCK:
        return [screen for owner, screen in LIVE_JOBS if owner is app]


def newest_job_start(app: App[Any]) -> float | None:
    """Return when the newest running run_job thread of ``app`` started, or None.

    The time is a time.monotonic() value.
    """
    with LIVE_JOBS_LOCK:
        starts = [
            start
            for (owner, _screen), times in LIVE_JOBS.items()
            if owner is app
            for start in times
        ]
    return max(starts, default=None)


def job_closes_screen(screen: Screen[Any]) -> bool:
    """Return whether a job of ``screen`` runs whose end closes it with a result.

    Every job of a dialog counts, such as a log, whose result opens the logged
    segment. Another screen counts while its job_closes_screen method returns
    true, such as Add Contacts applying its criteria, and not while it loads
    rows.
    """
    if screen not in running_jobs(screen.app):
        return False
    if isinstance(screen, ModalScreen):
        return True
    closes = getattr(screen, "job_closes_screen", None)
    return bool(closes is not None and closes())
