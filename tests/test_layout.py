"""Every screen and dialog fits at 80x24 and at 200x60: nothing to act on is cut off.

Each screen of the Go to menu and each step of the main job is opened in a Pilot
terminal of the given size. Every focusable widget and every button must then lie
inside the screen and inside the container that shows it, once scrolled into view.
The footer must show the screen's own keys, and the title line must fit.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Label
from textual.widgets._footer import FooterKey

from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.ui.app import SegtuiApp
from segtui.ui.areas import all_areas
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.help import declared_bindings
from tests.builders import World, build_world
from tests.tui_helpers import settle

SIZES = [(80, 24), (200, 60)]


def build_screens_world(letters: Path) -> World:
    """Build the small world with one open segment and one logged segment.

    The open segment "Herbstbrief" has the persons of CO1 and CO2 and IND1, the logged
    one "Katalog Winter" had IND1 and IND2, with letters written into ``letters``.
    """
    world = build_world()
    logged = segmentation.create_segment(
        "Katalog Winter", user="tester", template_code="LETTER", salesperson_code="AH"
    )
    segment_actions.add_contacts(
        logged.no, {"contact": {"no": "IND1|IND2"}}, AddOptions(), user="tester"
    )
    log_segment(logged.no, LogOptions(output_folder=letters), user="tester")
    segment = segmentation.create_segment(
        "Herbstbrief", user="tester", template_code="LETTER", salesperson_code="AH"
    )
    segment_actions.add_contacts(
        segment.no,
        {"contact": {"no": "CO1P*|CO2P1|IND1"}},
        AddOptions(),
        user="tester",
    )
    return world


@pytest.fixture
def screens_world(database: Database, tmp_path: Path) -> World:
    return build_screens_world(tmp_path / "letters")


Route = Callable[[Pilot[Any]], Awaitable[None]]


def keys(*pressed: str) -> Route:
    """Return a route that presses keys from the segment list, settling after each."""

    async def route(pilot: Pilot[Any]) -> None:
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return route


def area(key: str) -> Route:
    """Return a route that opens a Go to menu area the way the menu does."""

    async def route(pilot: Pilot[Any]) -> None:
        chosen = next(item for item in all_areas() if item.key == key)
        await pilot.app.push_screen(chosen.load()())
        await settle(pilot)

    return route


# The main job, step by step, starting from the segment list.
MAIN_JOB_ROUTES: dict[str, Route] = {
    "segment_list": keys(),
    "go_to_menu": keys("ctrl+g"),
    "help": keys("f1"),
    "new_segment": keys("n"),
    "worksheet": keys("enter"),
    "worksheet_help": keys("enter", "f1"),
    "add_contacts": keys("enter", "a"),
    "add_contacts_help": keys("enter", "a", "f1"),
    "reduce_contacts": keys("enter", "r"),
    "refine_contacts": keys("enter", "k"),
    "criteria_list": keys("enter", "c"),
    "header": keys("enter", "e"),
    "insert_line": keys("enter", "i"),
    "edit_line": keys("enter", "enter"),
    "preview": keys("enter", "p"),
    "log": keys("enter", "l"),
    "logged_list": keys("f3"),
    "logged_segment": keys("f3", "enter"),
    "letter_view": keys("f3", "enter", "v"),
    "follow_up": keys("f3", "enter", "f"),
    "saved_criteria": keys("f4"),
}

AREA_ROUTES: dict[str, Route] = {
    item.key: area(item.key) for item in all_areas() if item.key != "segments"
}

ROUTES = {**MAIN_JOB_ROUTES, **AREA_ROUTES}


def is_shown(widget: Widget) -> bool:
    """Return whether the widget and all its ancestors are displayed and visible."""
    for node in widget.ancestors_with_self:
        if isinstance(node, Screen):
            return True
        if not node.display or not node.visible:
            return False
    return True


def placement_problem(screen: Screen[Any], widget: Widget) -> str | None:
    """Return how a widget sticks out of the screen or its container, if it does."""
    bounds = Region(0, 0, *screen.app.size)
    geometry = screen.find_widget(widget)
    region = geometry.region
    name = f"{type(widget).__name__}#{widget.id}"
    if not bounds.contains_region(region):
        return f"{name} at {region} is outside the screen {bounds}"
    if not geometry.clip.contains_region(region):
        return f"{name} at {region} is clipped to {geometry.clip}"
    return None


async def cut_off_widgets(pilot: Pilot[Any]) -> list[str]:
    """Return the focusable widgets and buttons that stick out of what is shown.

    Each one is first scrolled into view, as moving the focus to it would.
    """
    screen = pilot.app.screen
    problems = []
    for widget in list(screen.query("*")):
        if not (widget.focusable or isinstance(widget, Button)):
            continue
        if not is_shown(widget):
            continue
        widget.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        problem = placement_problem(screen, widget)
        if problem:
            problems.append(problem)
    return problems


def main_keys(screen: Screen[Any]) -> list[str]:
    """Return the actions of the keys segtui's classes show in this screen's footer."""
    active = {
        active.binding.action
        for active in screen.active_bindings.values()
        if active.enabled
    }
    return [
        binding.action
        for binding in declared_bindings(screen)
        if binding.show and binding.action in active
    ]


def footer_keys_in_view(screen: Screen[Any]) -> set[str]:
    """Return the actions whose footer key lies fully inside the screen's width."""
    width = screen.app.size.width
    shown = set()
    for key in screen.query(FooterKey):
        region = key.region
        if region.width and region.right <= width:
            shown.add(key.action)
    return shown


def title_problems(screen: Screen[Any]) -> list[str]:
    """Return the title labels whose text is wider than the room they have."""
    problems = []
    for label in screen.query("#screen-title, #dialog-title").results(Label):
        text = str(label.render())
        room = label.content_region.width
        if cell_len(text) > room:
            problems.append(f"title {text!r} is {cell_len(text)} cells, room {room}")
    return problems


async def check_fits(
    app: Any, route: str, size: tuple[int, int], base_screen: type[Any]
) -> None:
    """Open ``route`` in ``app`` at ``size`` and check that nothing is cut off."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        start = app.screen
        await ROUTES[route](pilot)
        screen = app.screen
        assert screen is not start or route == "segment_list", "nothing opened"

        assert await cut_off_widgets(pilot) == []
        assert title_problems(screen) == []
        # A table wider than the screen hides its last columns behind a scrollbar
        # that costs a row, and a keyboard user scrolls sideways blind.
        wide = [
            str(table)
            for table in screen.query(DataTable)
            if table.show_horizontal_scrollbar
        ]
        assert wide == [], "tables scroll sideways"

        if isinstance(screen, base_screen):
            assert screen.query(Footer), "the screen has no footer"
            missing = set(main_keys(screen)) - footer_keys_in_view(screen)
            assert not missing, f"keys missing from the footer: {sorted(missing)}"
            assert "help" in " ".join(footer_keys_in_view(screen))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("route", list(ROUTES))
async def test_screen_fits_terminal(
    screens_world: World, route: str, size: tuple[int, int]
) -> None:
    await check_fits(SegtuiApp(user="tester"), route, size, BaseScreen)


@pytest.mark.parametrize("route", list(ROUTES))
async def test_german_screen_fits(screens_world: World, route: str) -> None:
    """German labels are longer than English ones, and must still fit at 80x24."""
    # The snapshot tests import this module's routes, so this import waits until now.
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        base_screen = sys.modules["segtui.ui.screens.base"].BaseScreen
        await check_fits(
            app_module.SegtuiApp(user="tester"), route, (80, 24), base_screen
        )
