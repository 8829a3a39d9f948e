"""The worksheet, contact list and interaction log read a window of rows, not all.

Each screen is opened on a small and a four times larger data set. Opening it and
pressing End must issue the same number of queries at both sizes and leave at most
two pages in the table, and End must reach the last row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from playhouse.test_utils import count_queries

from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.models import Contact, InteractionLogEntry
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contacts import PAGE_SIZE as CONTACT_PAGE
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.history import PAGE_SIZE as HISTORY_PAGE
from segtui.ui.screens.history import InteractionHistoryScreen
from segtui.ui.screens.worksheet import PAGE_SIZE as LINE_PAGE
from segtui.ui.screens.worksheet import WINDOW_SIZE as LINE_WINDOW
from segtui.ui.screens.worksheet import WorksheetScreen
from segtui.ui.widgets.virtual_table import WindowTable
from tests.conftest import TEST_USER
from tests.tui_helpers import settle

SIZES = (1_200, 4_800)


def add_contacts(count: int) -> None:
    """Add ``count`` persons numbered BIG00001 on, after the small world's contacts."""
    rows = [
        {
            "no": f"BIG{index:05d}",
            "type": "person",
            "name": f"Person {index:05d}",
            "country_code": "DE",
            "created_by": TEST_USER,
        }
        for index in range(1, count + 1)
    ]
    for start in range(0, count, 500):
        Contact.insert_many(rows[start : start + 500]).execute()


def add_entries(count: int) -> None:
    rows = [
        {
            "contact_no": f"BIG{index:05d}",
            "contact_name": f"Person {index:05d}",
            "date": date(2026, 1, 1 + index % 28),
            "created_at": datetime(2026, 1, 1),
        }
        for index in range(1, count + 1)
    ]
    for start in range(0, count, 500):
        InteractionLogEntry.insert_many(rows[start : start + 500]).execute()


def segment_of(count: int) -> str:
    add_contacts(count)
    segment = segmentation.create_segment("Large", user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "BIG*"}}, AddOptions(), user=TEST_USER
    )
    return segment.no


async def open_and_end(
    screen: Any, selector: str
) -> tuple[int, int, WindowTable, dict[str, Any]]:
    """Open ``screen``, then press End; return the queries of each and the table."""
    facts: dict[str, Any] = {}
    async with SegtuiApp(user=TEST_USER).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        with count_queries() as opening:
            pilot.app.push_screen(screen)
            await settle(pilot)
        table = pilot.app.screen.query_one(selector, WindowTable)
        facts["rows_after_open"] = table.row_count
        table.focus()
        await settle(pilot)
        with count_queries() as ending:
            await pilot.press("end")
            await settle(pilot)
        facts["last_index"] = table.start + table.cursor_row
        facts["rows_after_end"] = table.row_count
        facts["cursor_key"] = str(table.get_row_at(table.cursor_row)[0])
    return opening.count, ending.count, table, facts


@pytest.mark.parametrize("size", SIZES)
async def test_worksheet_reads_window(world, size: int) -> None:
    no = segment_of(size)
    total = segmentation.count_lines(no)
    opened, ended, table, facts = await open_and_end(WorksheetScreen(no), "#lines")
    assert total == size
    assert table.total == size
    assert facts["rows_after_open"] == LINE_WINDOW
    assert facts["rows_after_end"] == LINE_PAGE
    assert facts["last_index"] == size - 1
    assert facts["cursor_key"] == f"BIG{size:05d}"
    assert table.rows_read == LINE_WINDOW + LINE_PAGE
    # The header, its template, the count, the first page, and the pages that fill
    # the window, each of those read as its anchor's sort values and then the page.
    assert opened <= 4 + 2 * (LINE_WINDOW // LINE_PAGE)
    assert ended == 1


@pytest.mark.parametrize("size", SIZES)
async def test_contact_list_reads_window(world, size: int) -> None:
    add_contacts(size)
    total = Contact.select().count()
    opened, ended, table, facts = await open_and_end(ContactListScreen(), "#contacts")
    assert table.total == total
    assert facts["rows_after_open"] == 2 * CONTACT_PAGE
    assert facts["rows_after_end"] == CONTACT_PAGE
    assert facts["last_index"] == total - 1
    last = Contact.select(Contact.no).order_by(Contact.no.desc()).first()
    assert facts["cursor_key"] == last.no
    assert table.rows_read == 3 * CONTACT_PAGE
    # The count, the first page, and the page that fills the window, read as its
    # anchor's sort values and then the page.
    assert opened == 4
    assert ended == 1


@pytest.mark.parametrize("size", SIZES)
async def test_history_reads_window(world, size: int) -> None:
    add_contacts(size)
    add_entries(size)
    opened, ended, table, facts = await open_and_end(
        InteractionHistoryScreen(), "#entries"
    )
    assert table.total == size
    assert facts["rows_after_open"] == 2 * HISTORY_PAGE
    assert facts["rows_after_end"] == HISTORY_PAGE
    assert facts["last_index"] == size - 1
    assert table.rows_read == 3 * HISTORY_PAGE
    # The count, totals, chart, the first page, and the page that fills the window,
    # read as its anchor's sort values and then the page.
    assert opened == 6
    assert ended == 1


async def test_query_counts_same_at_both_sizes(tmp_path) -> None:
    """Opening and End issue the same queries on a small and a large segment."""
    from tests.backends import fresh_database
    from tests.builders import build_world

    counts = []
    for size in SIZES:
        database = fresh_database(tmp_path / str(size))
        try:
            build_world()
            no = segment_of(size)
            opened, ended, _table, _facts = await open_and_end(
                WorksheetScreen(no), "#lines"
            )
            counts.append((opened, ended))
        finally:
            database.close()
    assert counts[0] == counts[1]
