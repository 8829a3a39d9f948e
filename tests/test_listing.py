"""The table helpers that the list screens share: the cursor's row, labels."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from segtui.ui.screens.listing import new_table, refill, selected_key
from segtui.ui.text import TRUNCATION_MARK, truncate_cells
from tests.test_state_words import screen_lines


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield new_table("codes", [("Code", "code", 10)])


def fill(table: DataTable[Any], codes: list[str], select: str | None = None) -> None:
    with refill(table, select):
        for code in codes:
            table.add_row(code, key=code)


async def test_refill_keeps_cursor_row() -> None:
    async with TableApp().run_test() as pilot:
        table = pilot.app.query_one("#codes", DataTable)
        fill(table, ["A", "B", "C"])
        table.move_cursor(row=2)
        assert selected_key(table) == "C"

        # A new row above moves the selected row down, and the cursor follows it.
        fill(table, ["0", "A", "B", "C"])
        assert table.row_count == 4
        assert selected_key(table) == "C"

        # A key to select wins over the row the cursor was on.
        fill(table, ["0", "A", "B", "C"], select="A")
        assert selected_key(table) == "A"

        # When the row is gone, the cursor stays in the table.
        fill(table, ["0", "B", "C"])
        assert selected_key(table) in {"0", "B", "C"}

        fill(table, [])
        assert selected_key(table) is None


class LongList(App[None]):
    def compose(self) -> ComposeResult:
        yield new_table("codes", [("Code", "code", 8)])

    def on_mount(self) -> None:
        fill(self.query_one(DataTable), [f"C{index:02d}" for index in range(40)])


async def test_home_and_end_move_row_cursor() -> None:
    """Home and End reach the list's ends, and ctrl+a and ctrl+e do the same."""
    app = LongList()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(DataTable)
        table.focus()
        await pilot.press("end")
        assert table.cursor_row == 39
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("ctrl+e")
        assert table.cursor_row == 39
        await pilot.press("ctrl+a")
        assert table.cursor_row == 0


class LabelApp(App[None]):
    """A table with a label wider than its column, and one in markup brackets."""

    def compose(self) -> ComposeResult:
        yield new_table(
            "codes", [("Gebietsschema", "locale", 10), ("[b]Code[/b]", "code", 11)]
        )


async def test_long_label_ends_in_mark() -> None:
    app = LabelApp()
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        header = screen_lines(pilot)[0]
    cut = truncate_cells("Gebietsschema", 10)
    assert cut.endswith(TRUNCATION_MARK)
    assert f" {cut} " in header
    assert "[b]Code[/b]" in header
