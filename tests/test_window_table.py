"""The window table: a DataTable that keeps a bounded window of a long query's rows.

Pages are read through segtui's job runner, which opens a database connection, so
each test has an empty database open.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from segtui.ui.widgets.virtual_table import WindowRow, WindowTable
from tests.tui_helpers import settle

PAGE = 50
MAX_ROWS = 150


class FakeQuery:
    """A query of ``total`` numbered rows that records every page read."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.reads: list[tuple[int, int]] = []

    def fetch(self, offset: int, limit: int) -> list[WindowRow]:
        self.reads.append((offset, limit))
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
