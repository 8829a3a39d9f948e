"""Typing in the Go to menu moves to the area whose shown label starts with the text."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.builders import World
from tests.tui_helpers import settle, type_text


@pytest.fixture
def german_ui() -> Iterator[ModuleType]:
    """segtui.ui.app imported afresh with German texts."""
    # The snapshot tests import the layout tests, so this import waits until now.
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        yield app_module


def highlighted_label(pilot: Pilot[Any]) -> str:
    areas = pilot.app.screen.query_one("#areas", OptionList)
    assert areas.highlighted is not None
    option = areas.get_option_at_index(areas.highlighted)
    return str(option.prompt)


async def test_group_and_title_typed(world: World, german_ui: ModuleType) -> None:
    """Typing "Kontakte: Akt" passes "Kontakte: Kontakte" to the interaction log."""
    async with german_ui.SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await type_text(pilot, "Kontakte")
        assert highlighted_label(pilot) == "Kontakte: Kontakte"
        await type_text(pilot, ": Akt")
        assert highlighted_label(pilot) == "Kontakte: Aktivitätenprotokollposten"
        await pilot.press("enter")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "InteractionHistoryScreen"


async def test_title_alone_still_found(world: World) -> None:
    """The name without its group still finds the area, as before."""
    from segtui.ui.app import SegtuiApp

    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await type_text(pilot, "sal")
        assert highlighted_label(pilot) == "Setup: Salespeople"
        await type_text(pilot, "utations")
        assert highlighted_label(pilot) == "Setup: Salutations"
