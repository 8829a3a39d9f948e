"""Ending the TUI on SIGHUP and SIGTERM, within a deadline even if the exit blocks.

When the terminal goes away (an SSH connection drops, tmux is killed), the kernel
hangs up the terminal and sends the process SIGHUP and then SIGCONT. Textual 8.2.8
handles SIGCONT by starting application mode again, on the dead terminal: its new
output thread dies on the first write (EIO), and the exit then blocks for good once
that thread's queue of 30 writes is full. So SIGCONT is passed on to Textual only
while the terminal is still there and no exit signal has arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

log = logging.getLogger("segtui.ui")

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

# Seconds from the signal until a process whose orderly exit has not finished ends
# with os._exit. The orderly exit after SIGHUP took 0.17 to 0.28 s, letters being
# written included, on a 2-core machine at a load average of 9
# (tests/test_signal_logging.py). So SIGHUP ends segtui within a second even on this
# path. After SIGTERM the terminal is still there to restore, so that exit gets
# longer.
EXIT_DEADLINE_SECONDS = {signal.SIGHUP: 0.9, signal.SIGTERM: 5.0}


def terminal_attached() -> bool:
    """Return whether standard input is a terminal that has not been hung up."""
    try:
        termios.tcgetattr(sys.__stdin__.fileno())  # type: ignore[union-attr]
    except (termios.error, OSError, ValueError, AttributeError):
        return False
    return True


class SignalExit:
    """Signal handlers that run ``exit_on_signal`` on the event loop, with a deadline.

    They are plain signal handlers, not event loop ones, so they run in the main
    thread even while the event loop is blocked. A handler only sets flags and
    schedules the exit: the deadline thread is started beforehand, so no handler
    takes a lock that the interrupted main thread might hold.
    """

    def __init__(self, exit_on_signal: Callable[[int], None]) -> None:
        self.exit_on_signal = exit_on_signal
        # The first exit signal received, or None.
        self.received: int | None = None
        self.previous: dict[int, Any] = {}
        self.armed = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        """Install the handlers. Call this from the main thread with the loop running."""
        self.loop = asyncio.get_running_loop()
        for number in (*EXIT_SIGNALS, signal.SIGCONT):
            self.previous[number] = signal.getsignal(number)
        for number in EXIT_SIGNALS:
            signal.signal(number, self.on_exit_signal)
        signal.signal(signal.SIGCONT, self.on_continue)
        threading.Thread(
            target=self.end_when_late, name="segtui-exit-deadline", daemon=True
        ).start()

    def uninstall(self) -> None:
        """Restore the previous handlers, unless an exit signal is being handled."""
        if self.received is not None:
            return
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        # Wakes the deadline thread, which ends because no signal was received.
        self.armed.set()

    def on_exit_signal(self, number: int, _frame: FrameType | None) -> None:
        if self.received is not None:
            return
        self.received = number
        self.armed.set()
        if self.loop is not None:
            # The loop may already be closed when the signal comes late in the exit.
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self.exit_on_signal, number)

    def on_continue(self, number: int, frame: FrameType | None) -> None:
        if self.received is not None or not terminal_attached():
            return
        previous = self.previous.get(signal.SIGCONT)
        if callable(previous):
            previous(number, frame)

    def end_when_late(self) -> None:
        """End the process with os._exit once the deadline of the signal passes.

        An open transaction is then never committed, so the database rolls it back,
        and letter worker processes end on their own when their parent is gone.
        """
        self.armed.wait()
        if self.received is None:
            return
        seconds = EXIT_DEADLINE_SECONDS[self.received]
        time.sleep(seconds)
        log.error(
            "segtui did not exit within %s s of signal %s; ending the process",
            seconds,
            self.received,
        )
        os._exit(128 + self.received)
