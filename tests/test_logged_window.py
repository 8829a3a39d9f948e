"""A logged segment's entry list reads a window of entries, and its keys reach all.

The logged segment has more entries than two of the pages the screen reads, so End,
Home, Page Down, the marks and the keys on the selected entry work only if the
screen reads the pages they need.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from segtui.models import InteractionLogEntry, LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.listing import selected_key
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.widgets.virtual_table import WindowTable
from tests.conftest import TEST_USER
from tests.tui_helpers import open_screen, press_settled, settle

ENTRIES = 1_250


def add_large_logged(count: int = ENTRIES) -> int:
    """Record a logged segment with ``count`` entries, without letters."""
    logged = LoggedSegment.create(
        segment_no="SEG9", description="Large", created_at=datetime(2026, 11, 2, 9, 0)
    )
    rows = [
        {
            "contact_no": f"BIG{index:05d}",
            "contact_name": f"Person {index:05d}",
            "date": date(2026, 11, 2),
            "created_at": datetime(2026, 11, 2, 9, 0),
            "logged_segment": logged.entry_no,
            "template_code": "LETTER",
        }
        for index in range(1, count + 1)
    ]
    for start in range(0, count, 500):
        InteractionLogEntry.insert_many(rows[start : start + 500]).execute()
    return int(logged.entry_no)


def entry_numbers(logged_no: int) -> list[int]:
    return [
        entry.entry_no
        for entry in InteractionLogEntry.select(InteractionLogEntry.entry_no)
        .where(InteractionLogEntry.logged_segment == logged_no)
        .order_by(InteractionLogEntry.entry_no)
    ]


def entries_table(pilot: Pilot[Any]) -> DataTable[Any]:
    return pilot.app.screen.query_one("#entries", DataTable)


def selected_entry(pilot: Pilot[Any]) -> int:
    key = selected_key(entries_table(pilot))
    assert key is not None
    return int(key)


def entry_label(pilot: Pilot[Any], entry_no: int) -> str:
    cell = entries_table(pilot).get_row(str(entry_no))[0]
    return getattr(cell, "plain", str(cell))


async def open_logged(pilot: Pilot[Any], logged_no: int) -> None:
    await open_screen(pilot, LoggedSegmentScreen(logged_no))
    entries_table(pilot).focus()
    await settle(pilot)


async def test_ctrl_e_selects_last_entry(world) -> None:
    logged_no = add_large_logged()
    numbers = entry_numbers(logged_no)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_logged(pilot, logged_no)
        await press_settled(pilot, "ctrl+e")
        assert selected_entry(pilot) == numbers[-1]
        table = entries_table(pilot)
        assert isinstance(table, WindowTable)
        assert table.total == ENTRIES
        assert table.row_count < ENTRIES


async def test_end_then_home_selects_first_entry(world) -> None:
    logged_no = add_large_logged()
    numbers = entry_numbers(logged_no)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_logged(pilot, logged_no)
        await press_settled(pilot, "end")
        assert selected_entry(pilot) == numbers[-1]
        await press_settled(pilot, "home")
        assert selected_entry(pilot) == numbers[0]
        await press_settled(pilot, "ctrl+e")
        await press_settled(pilot, "ctrl+a")
        assert selected_entry(pilot) == numbers[0]


async def test_page_down_reaches_last_entry(world) -> None:
    logged_no = add_large_logged()
    numbers = entry_numbers(logged_no)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_logged(pilot, logged_no)
        # The rows Page Down moves: those on screen less the header.
        height = max(entries_table(pilot).scrollable_content_region.height - 1, 1)
        for _ in range(ENTRIES // height + 2):
            await pilot.press("pagedown")
        await settle(pilot, rounds=5)
        assert selected_entry(pilot) == numbers[-1]


async def test_marks_on_first_and_last_entry(world) -> None:
    logged_no = add_large_logged()
    numbers = entry_numbers(logged_no)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_logged(pilot, logged_no)
        await press_settled(pilot, "m", "ctrl+e")
        assert selected_entry(pilot) == numbers[-1]
        await press_settled(pilot, "m")
        await press_settled(pilot, "x")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert f"entries {numbers[0]}, {numbers[-1]}?" in dialog.question
        await pilot.press("y")
        await settle(pilot, rounds=5)
    canceled = [
        entry.entry_no
        for entry in InteractionLogEntry.select().where(
            InteractionLogEntry.canceled == True  # noqa: E712
        )
    ]
    assert canceled == [numbers[0], numbers[-1]]


async def test_mark_kept_when_page_read_before(world) -> None:
    logged_no = add_large_logged()
    last = entry_numbers(logged_no)[-1]
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_logged(pilot, logged_no)
        await press_settled(pilot, "ctrl+e")
        assert selected_entry(pilot) == last
        await press_settled(pilot, "m")
        table = entries_table(pilot)
        assert isinstance(table, WindowTable)
        window_start = table.start
        # Page Up until the page before the window is read and the rows on hand,
        # the marked one among them, are put into the table again.
        for _ in range(40):
            await press_settled(pilot, "pageup")
            if table.start < window_start:
                break
        assert table.start < window_start
        assert entry_label(pilot, last) == f"*{last}"


async def test_send_entries_names_last_entry(world) -> None:
    logged_no = add_large_logged()
    last = entry_numbers(logged_no)[-1]
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_logged(pilot, logged_no)
        await press_settled(pilot, "ctrl+e")
        assert selected_entry(pilot) == last
        await press_settled(pilot, "e")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert f"letter of entry {last} again" in dialog.question
        await press_settled(pilot, "escape")


async def test_refresh_keeps_last_entry_selected(world) -> None:
    logged_no = add_large_logged()
    last = entry_numbers(logged_no)[-1]
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_logged(pilot, logged_no)
        await press_settled(pilot, "ctrl+e")
        assert selected_entry(pilot) == last
        await press_settled(pilot, "r")
        assert selected_entry(pilot) == last


async def test_cancel_and_uncancel_last_entry(world) -> None:
    logged_no = add_large_logged()
    last = entry_numbers(logged_no)[-1]
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_logged(pilot, logged_no)
        await press_settled(pilot, "ctrl+e")
        assert selected_entry(pilot) == last
        await press_settled(pilot, "x")
        await pilot.press("y")
        await settle(pilot, rounds=5)
        assert InteractionLogEntry.get_by_id(last).canceled
        assert selected_entry(pilot) == last
        await press_settled(pilot, "u")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question.startswith(f"Un-cancel entry {last} ")
        await pilot.press("y")
        await settle(pilot, rounds=5)
    assert not InteractionLogEntry.get_by_id(last).canceled
