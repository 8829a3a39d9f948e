"""Helpers the list screens share: row tables, the cursor's row, admin keys."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.widgets import DataTable

from segtui.models import Role
from segtui.ui.screens.base import BaseScreen
from segtui.ui.widgets.virtual_table import RowTable


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

    NOTE: the screens call this when they are composed, so a terminal resized
    later keeps the widths of the size the screen was opened at.
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


def new_table(table_id: str, columns: list[tuple[str, str, int]]) -> DataTable[Any]:
    """Return a row-cursor table with the columns given as (label, key, width)."""
    table = RowTable(id=table_id)
    for label, key, width in columns:
        table.add_column(label, key=key, width=width)
    return table


class ListScreen(BaseScreen):
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
