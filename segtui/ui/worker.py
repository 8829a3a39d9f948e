"""Running database and document work off the UI thread.

A job runs in a thread worker with its own database connection; its result or error
comes back to the screen through ``call_from_thread``, so no worker touches a widget.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakSet

from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from segtui.db import current_database, interrupt, interruptible
from segtui.domain.errors import SegtuiError

log = logging.getLogger("segtui.ui")

# Seconds between two interrupts of a canceled job's statements. The cancel may come
# between two statements, and an interrupt of an idle connection does nothing.
INTERRUPT_INTERVAL = 0.1


class StatementInterrupter:
    """Interrupts the statements of one worker's job, from a thread of its own.

    A job checks its cancel event between steps, but one statement can run for
    seconds. The interrupt makes that statement raise, and the job's transaction
    rolls back.
    """

    def __init__(self, name: str) -> None:
        # What the log calls the job when an interrupt fails.
        self.name = name
        # The worker's connection while the job runs, guarded by the lock so that
        # no interrupt reaches it after the job ended.
        self.connection: object | None = None
        self.lock = threading.Lock()
        self.ended = threading.Event()
        self.started = False

    @contextmanager
    def running(self) -> Iterator[None]:
        """Let stop() interrupt this thread's statements until the block ends."""
        with self.lock:
            self.connection = current_database().connection()
        try:
            yield
        finally:
            with self.lock:
                self.connection = None
            self.ended.set()

    def stop(self) -> None:
        """Interrupt the running statement every INTERRUPT_INTERVAL until the end.

        A PostgreSQL cancel request can wait on the network, so the interrupts run
        in a thread of their own and not on the UI thread.
        """
        if self.started:
            return
        self.started = True
        threading.Thread(
            target=self.keep_interrupting, name="segtui-cancel", daemon=True
        ).start()

    def keep_interrupting(self) -> None:
        while True:
            with self.lock:
                if self.connection is not None:
                    try:
                        interrupt(self.connection)
                    except Exception:  # noqa: BLE001 - the job ends on its own then
                        log.exception("could not interrupt the %s", self.name)
            if self.ended.wait(INTERRUPT_INTERVAL):
                return


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
