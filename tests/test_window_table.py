"""The window table: a DataTable that keeps a bounded window of a long query's rows.

Pages are read through segtui's job runner, which opens a database connection, so
each test has an empty database open.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from segtui.domain.sql import Anchor, current_anchor
from segtui.ui.widgets.virtual_table import WINDOW_MARGIN, WindowRow, WindowTable
from tests.tui_helpers import settle

PAGE = 50
MAX_ROWS = 150


class FakeQuery:
    """A query of ``total`` numbered rows that records every page read.

    A read waits while ``gate`` is clear, so a test can press keys while a page is
    being read.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.reads: list[tuple[int, int]] = []
        # The anchor each read seeks from, None for a read from an offset.
        self.anchors: list[Anchor | None] = []
        self.gate = threading.Event()
        self.gate.set()

    def fetch(self, offset: int, limit: int) -> list[WindowRow]:
        assert self.gate.wait(timeout=30), "the test never let the read go on"
        self.reads.append((offset, limit))
        self.anchors.append(current_anchor())
        end = min(offset + limit, self.total)
        return [
            WindowRow(key=f"R{index}", cells=(f"R{index}", str(index)), value=index)
            for index in range(offset, end)
        ]


class TableApp(App[None]):
    def __init__(self, query: FakeQuery) -> None:
        super().__init__()
        self.fake = query

    def compose(self) -> ComposeResult:
        table = WindowTable(id="rows", page_rows=PAGE, max_rows=MAX_ROWS)
        table.add_column("Key", key="key", width=8)
        table.add_column("Index", key="index", width=8)
        yield table

    def on_mount(self) -> None:
        table = self.query_one(WindowTable)
        table.show_rows(self.fake.total, 0, self.fake.fetch(0, PAGE), self.fake.fetch)
        table.focus()


def cursor_index(table: WindowTable) -> int:
    """Return the query index of the row under the cursor."""
    return table.start + table.cursor_row


@pytest.mark.parametrize("total", [1_000, 100_000])
async def test_end_reads_only_last_page(database, total: int) -> None:
    query = FakeQuery(total)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(WindowTable)
        # The first page, then the pages that fill the window after the first paint.
        assert query.reads == [(0, PAGE), (PAGE, PAGE), (2 * PAGE, PAGE)]
        assert table.row_count == MAX_ROWS
        await pilot.press("end")
        await settle(pilot)
        assert cursor_index(table) == total - 1
        assert table.cursor_value == total - 1
        assert query.reads[3:] == [(total - PAGE, PAGE)]
        assert table.row_count == PAGE
        await pilot.press("home")
        await settle(pilot)
        assert cursor_index(table) == 0
        assert query.reads[4:] == [(0, PAGE), (PAGE, PAGE), (2 * PAGE, PAGE)]


async def test_cursor_down_reads_ahead_and_drops(database) -> None:
    query = FakeQuery(10_000)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(WindowTable)
        for _step in range(40):
            await pilot.press("pagedown")
            await settle(pilot, rounds=1)
        assert cursor_index(table) > 2 * MAX_ROWS
        assert table.cursor_value == cursor_index(table)
        assert table.row_count <= MAX_ROWS
        assert table.start > 0
        # Each page was read once, in order, and none twice.
        offsets = [offset for offset, _limit in query.reads]
        assert offsets == sorted(set(offsets))
        assert table.rows_read == sum(
            min(limit, query.total - offset) for offset, limit in query.reads
        )


async def test_cursor_up_reads_before_window(database) -> None:
    query = FakeQuery(10_000)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(WindowTable)
        await pilot.press("end")
        await settle(pilot)
        for _step in range(20):
            await pilot.press("pageup")
            await settle(pilot, rounds=1)
        assert cursor_index(table) < 10_000 - MAX_ROWS
        assert table.cursor_value == cursor_index(table)
        assert table.row_count <= MAX_ROWS
        # The window's rows are the query's rows, in order, with no gap.
        keys = [str(table.get_row_at(index)[0]) for index in range(table.row_count)]
        assert keys == [f"R{table.start + index}" for index in range(table.row_count)]


async def test_short_query_keeps_all_rows(database) -> None:
    query = FakeQuery(30)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table: Any = pilot.app.query_one("#rows", DataTable)
        assert table.row_count == 30
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == 29
        assert query.reads == [(0, PAGE)]


async def test_reload_keeps_cursor_on_key(database) -> None:
    query = FakeQuery(500)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(WindowTable)
        for _step in range(10):
            await pilot.press("down")
        offset, limit = table.reload_span()
        assert (offset, limit) == (0, MAX_ROWS)
        table.show_rows(
            query.total, offset, query.fetch(offset, limit), query.fetch, keep="R10"
        )
        await settle(pilot)
        assert table.cursor_value == 10


# Keys pressed while a page is being read.

BURST_ROWS = 50_000


async def open_gated(pilot: Any, query: FakeQuery) -> WindowTable:
    """Settle the table and return it. Its reads then wait until ``release``."""
    await settle(pilot)
    table = pilot.app.query_one(WindowTable)
    query.gate.clear()
    return table


async def release(pilot: Any, query: FakeQuery) -> None:
    query.gate.set()
    await settle(pilot)
    # A burst may need several reads, each started when the one before arrived.
    for _round in range(20):
        if not pilot.app.query_one(WindowTable).pending:
            break
        await settle(pilot)


def page_height(table: WindowTable) -> int:
    """Return the rows a page key moves: the rows on screen below the header."""
    return table.scrollable_content_region.height - table.header_height


def check_window(table: WindowTable) -> None:
    keys = [str(table.get_row_at(index)[0]) for index in range(table.row_count)]
    assert keys == [f"R{table.start + index}" for index in range(table.row_count)]
    assert [row.key for row in table.window] == keys


async def test_page_up_burst_from_end(database) -> None:
    query = FakeQuery(BURST_ROWS)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(WindowTable)
        await pilot.press("end")
        await settle(pilot)
        page = page_height(table)
        query.gate.clear()
        await pilot.press(*["pageup"] * 100)
        await release(pilot, query)
        expected = BURST_ROWS - 1 - 100 * page
        assert cursor_index(table) == expected
        assert table.cursor_value == expected
        check_window(table)


async def test_page_up_burst_stops_at_top(database) -> None:
    query = FakeQuery(BURST_ROWS)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(WindowTable)
        for _step in range(30):
            await pilot.press("pagedown")
            await settle(pilot, rounds=1)
        await settle(pilot)
        assert table.start > 0
        query.gate.clear()
        await pilot.press(*["pageup"] * 100)
        await release(pilot, query)
        assert cursor_index(table) == 0
        assert table.cursor_value == 0
        check_window(table)


async def test_page_down_at_edge_moves_full_page(database) -> None:
    query = FakeQuery(BURST_ROWS)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        table = await open_gated(pilot, query)
        assert table.row_count == MAX_ROWS
        table.move_cursor(row=MAX_ROWS - 5)
        await pilot.pause()
        before = cursor_index(table)
        await pilot.press("pagedown")
        await release(pilot, query)
        assert cursor_index(table) == before + page_height(table)
        assert table.cursor_value == before + page_height(table)
        check_window(table)


async def test_down_burst_while_loading(database) -> None:
    query = FakeQuery(BURST_ROWS)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        table = await open_gated(pilot, query)
        table.move_cursor(row=MAX_ROWS - 30)
        await pilot.pause()
        before = cursor_index(table)
        await pilot.press(*["down"] * 90, *["up"] * 7, *["pagedown"] * 3)
        await release(pilot, query)
        expected = before + 90 - 7 + 3 * page_height(table)
        assert cursor_index(table) == expected
        assert table.cursor_value == expected
        check_window(table)


async def test_burst_without_waiting(database) -> None:
    """Keys sent at once, with pages arriving whenever their reads end."""
    query = FakeQuery(BURST_ROWS)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(WindowTable)
        page = page_height(table)
        await pilot.press(*["pagedown"] * 100)
        await release(pilot, query)
        assert cursor_index(table) == 100 * page
        await pilot.press(*["pageup"] * 40, *["up"] * 5)
        await release(pilot, query)
        assert cursor_index(table) == 60 * page - 5
        assert table.cursor_value == 60 * page - 5
        check_window(table)


async def test_neighbour_reads_carry_anchor(database) -> None:
    query = FakeQuery(10_000)
    async with TableApp(query).run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(WindowTable)
        for _step in range(30):
            await pilot.press("pagedown")
            await settle(pilot, rounds=1)
        for _step in range(45):
            await pilot.press("pageup")
            await settle(pilot, rounds=1)
        await settle(pilot)
        assert cursor_index(table) < table.start + WINDOW_MARGIN + PAGE
        # The first page is read by the app without an anchor.
        reads = list(zip(query.reads[1:], query.anchors[1:], strict=True))
        anchors = []
        for (offset, limit), anchor in reads:
            assert anchor is not None, (offset, limit)
            assert anchor.index in (offset - 1, offset + limit), (offset, limit)
            assert anchor.key == f"R{anchor.index}", (offset, limit)
            anchors.append((offset, anchor.index))
        # Reads below the window seek forwards, and reads above it backwards.
        assert any(index < offset for offset, index in anchors)
        assert any(index > offset for offset, index in anchors)
