"""Stopping a job's running database statement from another thread, for a cancel.

A job checks its cancel event between steps, but one statement can run for seconds.
The TUI's Esc and the command line's Ctrl+C both stop such a statement with a
StatementInterrupter: the statement raises the driver's error in the job's thread,
and the job's transaction rolls back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from segtui.db import current_database, interrupt
from segtui.domain.errors import SegtuiError

log = logging.getLogger("segtui.db")

# Seconds between two interrupts of a canceled job's statements. The cancel may come
# between two statements, and an interrupt of an idle connection does nothing.
INTERRUPT_INTERVAL = 0.1


class CanceledError(SegtuiError):
    """Raised when the user canceled a job, whose transaction was rolled back."""


class StatementInterrupter:
    """Interrupts the statements of one job, from a thread of its own."""

    def __init__(self, name: str) -> None:
        # What the log calls the job when an interrupt fails.
        self.name = name
        # The job's connection while the job runs, guarded by the lock so that no
        # interrupt reaches it after the job ended.
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
        in a thread of their own and not in the caller's thread, such as the UI
        thread or a signal handler.
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
