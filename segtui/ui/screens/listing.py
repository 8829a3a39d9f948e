"""Helpers the contact, setup and history screens share: row tables and admin keys."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from segtui.models import Role
from segtui.ui.screens.base import BaseScreen


def selected_key(table: DataTable[Any]) -> str | None:
    """Return the key of the row under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    return str(key.value) if key.value is not None else None


def new_table(table_id: str, columns: list[tuple[str, str, int]]) -> DataTable[Any]:
    """Return a row-cursor table with the columns given as (label, key, width)."""
    table: DataTable[Any] = DataTable(
        id=table_id, cursor_type="row", zebra_stripes=True
    )
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
        if key is not None and key in table.rows:
            table.move_cursor(row=table.get_row_index(key))
