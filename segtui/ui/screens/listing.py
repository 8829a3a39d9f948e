"""Helpers the list screens share: row tables, the cursor's row, column widths
that follow the terminal width, admin keys."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.widgets import DataTable

from segtui.models import Role
from segtui.ui.screens.base import BaseScreen
from segtui.ui.text import plain
from segtui.ui.widgets.virtual_table import RowTable, WindowTable


def selected_key(table: DataTable[Any]) -> str | None:
    """Return the key of the row under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    return str(key.value) if key.value is not None else None


def move_to_key(table: DataTable[Any], key: str | None) -> None:
    """Move the cursor to the row with ``key``, unless no row has that key."""
    if key is not None and key in table.rows:
        table.move_cursor(row=table.get_row_index(key))


@contextmanager
def refill(table: DataTable[Any], select: str | None = None) -> Iterator[None]:
    """Clear a table for the rows added in the block, then restore the cursor's row.

    After the block the cursor goes to the row with key ``select`` when one is
    given, or else back to the row it was on, if the new rows have that key.
    """
    current = select or selected_key(table)
    table.clear()
    yield
    move_to_key(table, current)


# The terminal width that the tables' column widths are chosen for.
DESIGN_WIDTH = 80


def widen_columns(
    columns: list[tuple[str, str, int]], text_keys: tuple[str, ...], width: int
) -> list[tuple[str, str, int]]:
    """Share the terminal width beyond DESIGN_WIDTH among the text columns.

    ``columns`` are (label, key, width) for an 80-column terminal. The extra cells
    go to the columns whose keys are in ``text_keys``, in proportion to their
    widths, so a wide terminal shows long names whole. At 80 columns or fewer the
    columns stay as given.
    """
    extra = max(0, width - DESIGN_WIDTH)
    text_width = sum(size for _label, key, size in columns if key in text_keys)
    if not extra or not text_width:
        return list(columns)
    widened = []
    left = extra
    for label, key, size in columns:
        if key in text_keys:
            share = min(left, extra * size // text_width)
            left -= share
            size += share
        widened.append((label, key, size))
    return widened


def set_column_widths(
    table: DataTable[Any], columns: list[tuple[str, str, int]]
) -> None:
    """Give the table's columns the widths of ``columns``, (label, key, width)."""
    changed = False
    for _label, key, width in columns:
        column = table.columns[key]  # type: ignore[index]
        if column.width != width:
            column.width = width
            changed = True
    if not changed:
        return
    # NOTE: DataTable (Textual 8.2.8) has no public call that changes a column's
    # width. These are the steps its add_column takes after it changes the columns:
    # a new update count keeps the table from reusing rows drawn at the old widths,
    # and the next idle event computes the table's width again.
    table._require_update_dimensions = True
    table._update_count += 1
    table.refresh(layout=True)
    table.check_idle()


def grow_column(
    columns: list[tuple[str, str, int]],
    key: str,
    needed: int,
    text_keys: tuple[str, ...],
) -> list[tuple[str, str, int]]:
    """Return ``columns`` with column ``key`` at least ``needed`` cells wide.

    The cells it gains are taken from the widest column of ``text_keys``, which
    keeps at least one cell, so the columns' total width stays the same.
    """
    widths = {column_key: width for _label, column_key, width in columns}
    extra = needed - widths[key]
    if extra <= 0:
        return columns
    donors = [
        (width, column_key)
        for _label, column_key, width in columns
        if column_key in text_keys and column_key != key
    ]
    donor = max(donors)[1] if donors else None
    grown = []
    for label, column_key, width in columns:
        if column_key == key:
            width = needed
        elif column_key == donor:
            width = max(width - extra, 1)
        grown.append((label, column_key, width))
    return grown


@dataclass(frozen=True)
class WidenedTable:
    """A table and its columns as (label, key, width) for DESIGN_WIDTH.

    ``fitted_keys`` are the columns given to fit_column, which a WindowTable's later
    pages widen again.
    """

    table: DataTable[Any]
    columns: list[tuple[str, str, int]]
    text_keys: tuple[str, ...]
    fitted_keys: frozenset[str] = frozenset()


class TableScreen(BaseScreen):
    """A screen whose tables share the terminal width beyond DESIGN_WIDTH.

    The text columns of the tables given to add_columns widen and narrow again
    whenever the terminal width changes, also while another screen is on top.
    """

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self.widened_tables: list[WidenedTable] = []

    def add_columns(
        self,
        table: DataTable[Any],
        columns: list[tuple[str, str, int]],
        text_keys: tuple[str, ...],
    ) -> None:
        """Add columns given as (label, key, width) for DESIGN_WIDTH, widened.

        The columns whose keys are in ``text_keys`` take the cells beyond
        DESIGN_WIDTH, as widen_columns shares them. A label wider than its column
        ends in TRUNCATION_MARK, as new_table's labels do.
        """
        for label, key, width in widen_columns(columns, text_keys, self.app.size.width):
            table.add_column(plain(label), key=key, width=width)
        self.widened_tables.append(WidenedTable(table, columns, text_keys))

    def fit_column(
        self, table: DataTable[Any], key: str, texts: Iterable[object]
    ) -> None:
        """Widen column ``key`` of a table given to add_columns to the longest of
        ``texts``, so that numbers, the main identifiers, are never cut.

        The cells come from the table's widest text column, so the table still fits
        DESIGN_WIDTH. The column never narrows again, so it keeps its width while
        the rows change. The list screens pass the rows of the page they show
        first, and on a WindowTable each page read later fits the column again.
        """
        needed = max(
            (cell_len(getattr(text, "plain", str(text))) for text in texts), default=0
        )
        for index, widened in enumerate(self.widened_tables):
            if widened.table is table:
                columns = grow_column(widened.columns, key, needed, widened.text_keys)
                self.widened_tables[index] = WidenedTable(
                    table, columns, widened.text_keys, widened.fitted_keys | {key}
                )
                if columns != widened.columns:
                    self.widen_tables(self.app.size.width)
                return

    def on_window_table_page_added(self, event: WindowTable.PageAdded) -> None:
        table = event.table
        for widened in self.widened_tables:
            if widened.table is not table:
                continue
            for key in sorted(widened.fitted_keys):
                index = table.get_column_index(key)
                self.fit_column(table, key, (row.cells[index] for row in event.rows))

    def widen_tables(self, width: int) -> None:
        for widened in self.widened_tables:
            columns = widen_columns(widened.columns, widened.text_keys, width)
            set_column_widths(widened.table, columns)

    def on_resize(self, event: events.Resize) -> None:
        self.widen_tables(event.size.width)


def new_table(table_id: str, columns: list[tuple[str, str, int]]) -> DataTable[Any]:
    """Return a row-cursor table with the columns given as (label, key, width).

    A label wider than its column shows its start and TRUNCATION_MARK. Textual
    8.2.8 cuts a label given as a string with no mark.
    """
    table = RowTable(id=table_id)
    for label, key, width in columns:
        table.add_column(plain(label), key=key, width=width)
    return table


class ListScreen(TableScreen):
    """A screen whose actions may also need the admin role.

    Keys of ADMIN_ACTIONS are hidden and refused for marketers and viewers, as
    MARKETING_ACTIONS are for viewers.
    """

    ADMIN_ACTIONS: frozenset[str] = frozenset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ADMIN_ACTIONS:
            return getattr(self.app, "role", Role.ADMIN) == Role.ADMIN
        return super().check_action(action, parameters)

    def restore_cursor(self, table: DataTable[Any], key: str | None) -> None:
        move_to_key(table, key)
