"""Stopping a logging run while it writes its entries leaves the database as it was.

This runs in one process: the log runs in a thread, as a TUI job does, and the main
thread stops it with interrupt_all(), which the TUI calls when it quits mid-job. A
trigger makes each entry slow to write, so the stop comes while entries are being
written inside the log's transaction.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from segtui.db import current_database, interrupt_all, interruptible, open_database
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.users import current_user
from segtui.models import SegmentHeader
from tests.test_signal_logging import (  # noqa: F401 - slow_log_database is a fixture
    log_in_flight,
    slow_log_database,
    snapshot,
)


def test_interrupted_log_changes_nothing(
    slow_log_database: str,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    database = open_database(slow_log_database)
    before = snapshot()
    segment_no = SegmentHeader.get(SegmentHeader.description == "Herbstbrief").no
    output = tmp_path / "letters"
    errors: list[Exception] = []

    def log() -> None:
        try:
            with current_database().connection_context(), interruptible():
                log_segment(
                    segment_no, LogOptions(output_folder=output), user=current_user()
                )
        except Exception as error:  # noqa: BLE001 - the test checks which one
            errors.append(error)

    thread = threading.Thread(target=log)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not log_in_flight(slow_log_database):
            assert thread.is_alive(), errors
            assert time.monotonic() < deadline, "the log never started writing"
            time.sleep(0.05)
        # An interrupt stops only a statement that is running, so repeat it until
        # it lands on the slow insert of the entries.
        stop_deadline = time.monotonic() + 15
        while thread.is_alive() and time.monotonic() < stop_deadline:
            interrupt_all()
            thread.join(timeout=0.2)
    finally:
        thread.join(timeout=15)

    assert not thread.is_alive(), "the log went on after the interrupt"
    assert len(errors) == 1
    assert snapshot() == before
    assert SegmentHeader.get_or_none(SegmentHeader.no == segment_no) is not None
    assert not output.exists() or not any(output.iterdir())
    database.close()
