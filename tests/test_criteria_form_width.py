"""On a wide terminal the criteria form keeps each example next to its field, and
its buttons under the form, as at 120 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import Database
from textual.widgets import Button, Input, Label

from segtui.ui.app import SegtuiApp
from tests.builders import World
from tests.test_layout import build_screens_world
from tests.tui_helpers import settle


@pytest.fixture
def screens_world(database: Database, tmp_path: Path) -> World:
    return build_screens_world(tmp_path / "letters")


# Where the form puts a row's field and example at 120 columns: the field starts
# after the 22-cell label and the example ends at column 118, before the scrollbar.
FIELD_X = 22
EXAMPLE_END = 118


@pytest.mark.parametrize("action_key", ["a", "r", "k"])
@pytest.mark.parametrize("size", [(120, 36), (200, 60)])
async def test_example_next_to_field(
    screens_world: World, action_key: str, size: tuple[int, int]
) -> None:
    """Add, Reduce and Refine Contacts draw the form as at 120 columns: each
    example right after its field, the headings as wide as the rows, and the
    buttons ending at the form's right edge."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter", action_key)
        await settle(pilot)
        screen = app.screen
        for row in screen.query(".form-row"):
            field = row.query_one(Input).region
            example = row.query_one(".example", Label).region
            assert field.x == FIELD_X, row
            assert example.x == field.right, row
            assert example.right == EXAMPLE_END, row
        headings = [heading.region for heading in screen.query(".form-heading")]
        assert headings
        assert all(heading.right == EXAMPLE_END for heading in headings)
        cancel = screen.query_one("#cancel", Button).region
        assert EXAMPLE_END <= cancel.right <= 120


async def test_example_follows_field_at_80(screens_world: World) -> None:
    """At 80 columns the field gives up the width, and the example keeps its own."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "a")
        await settle(pilot)
        row = app.screen.query(".form-row").first()
        field = row.query_one(Input).region
        example = row.query_one(".example", Label).region
        assert field.x == FIELD_X
        assert example.x == field.right
        assert example.right == 78
