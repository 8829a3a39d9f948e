"""Esc during a long statement of an import in the TUI stops it at once.

The import checks its cancel event between batches, but one statement, such as
the update of the search index, can run for seconds on a large database. The
dialog interrupts the worker's statement, so the import rolls back without
waiting for it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from segtui.db import current_database
from segtui.domain import contact_import
from segtui.ui.app import SegtuiApp
from tests.backends import POSTGRES
from tests.conftest import TEST_USER
from tests.test_scale_import import snapshot
from tests.test_tui_import import (
    long_rows,
    open_import_dialog,
    rendered,
    start_import,
    write_csv,
)

# A statement that runs for far longer than the test waits for the cancel: 20
# seconds on PostgreSQL, and a count to 10^8 on SQLite, which took 20 s of CPU
# time on a shared 2-core machine (SQLite 3.40). Without the interrupt, the test
# fails once the statement ends.
SLOW_STATEMENT = (
    "SELECT pg_sleep(20)"
    if POSTGRES
    else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
    "WHERE i < 100000000) SELECT count(*) FROM n"
)
# Seconds the dialog may take to show the cancel after Esc.
CANCEL_TIMEOUT = 5.0


async def test_escape_interrupts_long_statement(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "long.csv", long_rows(20))
    started = threading.Event()

    def slow_search_index(progress: object = None) -> None:
        started.set()
        current_database().execute_sql(SLOW_STATEMENT)

    monkeypatch.setattr(contact_import, "update_search_index", slow_search_index)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        before = snapshot()
        await start_import(pilot, "long.csv")
        for _round in range(200):
            if started.is_set():
                break
            await pilot.pause(0.05)
        assert started.is_set(), "the import never reached the slow statement"
        await pilot.pause(0.2)

        pressed = time.monotonic()
        await pilot.press("escape")
        status = dialog.query_one("#status", Static)
        while time.monotonic() - pressed < CANCEL_TIMEOUT:
            if "canceled; nothing was written" in rendered(status):
                break
            await pilot.pause(0.05)
        waited = time.monotonic() - pressed

        assert "Import of long.csv canceled; nothing was written." in rendered(status)
        assert waited < CANCEL_TIMEOUT
        assert not dialog.running
        assert snapshot() == before
