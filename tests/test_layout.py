"""Every screen and dialog fits at 80x24 and at 200x60: nothing to act on is cut off.

Each screen of the Go to menu and each step of the main job is opened in a Pilot
terminal of the given size. Every focusable widget and every button must then lie
inside the screen and inside the container that shows it, once scrolled into view.
The footer's drawn text must show every key it is built to show, and the screen's
keys. Keys it leaves out to fit, such as segtui's keys for every screen and
ctrl+a/ctrl+e while a list has focus, must be listed in F1 help and the command
palette. The title line must fit.
"""

from __future__ import annotations

import re
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
from textual.widgets import Button, DataTable, Footer, Label, OptionList

from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.i18n import _
from segtui.ui.app import SegtuiApp
from segtui.ui.areas import all_areas
from segtui.ui.footer import COMPACT_BELOW, footer_entries
from segtui.ui.keys import PORTABLE_KEYS, action_name
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.help import help_text
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


def expected_footer_texts(screen: Screen[Any], shared: bool = True) -> list[str]:
    """Return "key description" for each key the footer of ``screen`` must show.

    These are the shown bindings of the screen, its focused widget and the app,
    each action once, without the screen's FOOTER_WIDE_ONLY actions below 100
    columns, and ctrl+a/ctrl+e as one entry while a table or list has focus. The
    FOOTER_DROP_TO_FIT actions are left out too, because the footer may drop them.
    With ``shared`` false the app's keys and ctrl+a/ctrl+e are left out as well,
    because the footer gives them up for the screen's own keys.
    """
    compact = screen.app.size.width < COMPACT_BELOW
    wide_only = screen.FOOTER_WIDE_ONLY if compact else frozenset()
    wide_only |= set(screen.FOOTER_DROP_TO_FIT) if compact else set()
    display = screen.app.get_key_display
    texts = []
    actions = set()
    ends = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        portable = binding.key in PORTABLE_KEYS
        if active.node in (screen, screen.focused) and portable:
            ends.setdefault(action_name(binding.action).removesuffix("_item"), binding)
        if not binding.show or binding.action in actions:
            continue
        if action_name(binding.action) in wide_only:
            continue
        if not shared and active.node is screen.app:
            continue
        actions.add(binding.action)
        texts.append(f"{display(binding)} {binding.description}")
    if shared and isinstance(screen.focused, (DataTable, OptionList)):
        first = display(ends["first"])
        last = display(ends["last"])
        texts.append(f"{first}/{last} {_('First/last')}")
    return texts


def footer_line(screen: Screen[Any]) -> str:
    """Return the text of the terminal line the footer is drawn on."""
    footer = screen.query_one(Footer)
    strips = screen._compositor.render_strips()
    return strips[footer.region.y].text


def wide_only_problems(screen: Screen[Any]) -> list[str]:
    """Return the actions the compact footer may leave out that F1 help or the
    command palette does not list."""
    help_lines = help_text(screen).splitlines()
    titles = [command.title for command in screen.app.get_system_commands(screen)]
    left_out = screen.FOOTER_WIDE_ONLY | set(screen.FOOTER_DROP_TO_FIT)
    problems = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if action_name(binding.action) not in left_out:
            continue
        if not any(binding.description in line for line in help_lines):
            problems.append(f"{binding.action} is not in F1 help")
        if not any(title.endswith(": " + binding.description) for title in titles):
            problems.append(f"{binding.action} is not in the command palette")
    return problems


def built_footer_texts(screen: Screen[Any]) -> list[str]:
    """Return "key description" for each entry the footer is built with now."""
    compact = screen.app.size.width < COMPACT_BELOW
    entries = footer_entries(screen, compact, screen.app.size.width)
    return [f"{entry.key_display} {entry.description}" for entry in entries]


# A word cut short with a full stop, such as "Aktual." or "Folgeseg.".
ABBREVIATION = re.compile(r"\w\.(?=\s|/|$)")


def abbreviations(line: str) -> list[str]:
    """Return the words of a footer line that end in a full stop."""
    return [word for word in line.split() if ABBREVIATION.search(word)]


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
    app: Any, route: str, sizes: list[tuple[int, int]], base_screen: type[Any]
) -> None:
    """Open ``route`` in ``app`` and check that nothing is cut off at each size.

    The app starts at the first size and is resized to each next one, as a user
    resizes a terminal, which saves starting it again.
    """
    first, *others = sizes
    async with app.run_test(size=first) as pilot:
        await settle(pilot)
        start = app.screen
        await ROUTES[route](pilot)
        screen = app.screen
        assert screen is not start or route == "segment_list", "nothing opened"
        await check_screen_fits(pilot, base_screen)
        for size in others:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert app.screen is screen
            await check_screen_fits(pilot, base_screen)


async def check_screen_fits(pilot: Pilot[Any], base_screen: type[Any]) -> None:
    """Check that nothing on the current screen is cut off at the terminal's size."""
    screen = pilot.app.screen
    size = pilot.app.size
    assert await cut_off_widgets(pilot) == [], size
    assert title_problems(screen) == [], size
    # A table wider than the screen hides its last columns behind a scrollbar
    # that costs a row, and a keyboard user scrolls sideways blind.
    wide = [
        str(table)
        for table in screen.query(DataTable)
        if table.show_horizontal_scrollbar
    ]
    assert wide == [], f"tables scroll sideways at {size}"

    if isinstance(screen, base_screen):
        assert screen.query(Footer), "the screen has no footer"
        line = footer_line(screen)
        own = expected_footer_texts(screen, shared=False)
        missing = [text for text in own if text not in line]
        assert missing == [], f"cut off the footer {line!r}"
        expected = expected_footer_texts(screen)
        built = built_footer_texts(screen)
        assert [text for text in built if text not in line] == [], line
        assert abbreviations(line) == [], line
        assert any(text.lower().startswith("f1 ") for text in expected), expected
        assert any(text.endswith(" " + _("Go to")) for text in expected), expected
        assert wide_only_problems(screen) == []


@pytest.mark.parametrize("route", list(ROUTES))
async def test_screen_fits_terminal(screens_world: World, route: str) -> None:
    await check_fits(SegtuiApp(user="tester"), route, SIZES, BaseScreen)


@pytest.mark.parametrize("route", list(ROUTES))
async def test_german_screen_fits(screens_world: World, route: str) -> None:
    """German labels are longer than English ones, and must still fit at 80x24."""
    # The snapshot tests import this module's routes, so this import waits until now.
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        base_screen = sys.modules["segtui.ui.screens.base"].BaseScreen
        await check_fits(
            app_module.SegtuiApp(user="tester"), route, [(80, 24)], base_screen
        )


async def test_list_footer_shows_first_last(screens_world: World) -> None:
    """While a table has focus the footer shows ctrl+a/ctrl+e, which always arrive."""
    for description in ("Frühjahr", "Sommer"):
        segmentation.create_segment(description, user="tester")
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert app.screen.focused is table
        assert table.row_count >= 3
        assert "^A/^E First/last" in footer_line(app.screen)

        await pilot.press("ctrl+e")
        await settle(pilot)
        assert table.cursor_row == table.row_count - 1
        await pilot.press("ctrl+a")
        await settle(pilot)
        assert table.cursor_row == 0


async def test_input_footer_hides_first_last(screens_world: World) -> None:
    """In a text field ctrl+a and ctrl+e move the text cursor, so the footer shows
    no first/last entry."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys("enter", "a")(pilot)
        assert type(app.screen.focused).__name__.endswith("Input")
        line = footer_line(app.screen)
        assert "First/last" not in line
        assert "Help" in line


async def test_compact_footer_follows_resize(screens_world: World) -> None:
    """Below 100 columns the worksheet footer drops its FOOTER_WIDE_ONLY keys, and
    shows them again once the terminal is wide. At 80 columns Ctrl+A/Ctrl+E gives
    way to the worksheet's own keys."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        await keys("enter")(pilot)
        screen = app.screen
        assert screen.FOOTER_WIDE_ONLY, "the worksheet footer fits without cuts"
        assert "p Preview" in footer_line(screen)

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        line = footer_line(screen)
        assert "p Preview" not in line
        assert "^G Go to" in line
        assert "^A/^E First/last" not in line
        assert [
            text
            for text in expected_footer_texts(screen, shared=False)
            if text not in line
        ] == []

        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert "p Preview" in footer_line(screen)


async def german_footer(route: str, size: tuple[int, int]) -> tuple[str, list[str]]:
    """Open ``route`` in the German UI; return its drawn footer line, and the keys
    left out of it that F1 help or the palette does not list."""
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await ROUTES[route](pilot)
            return footer_line(app.screen), wide_only_problems(app.screen)


async def test_german_worksheet_footer_words(screens_world: World) -> None:
    """At 80 columns the German worksheet footer shows Reduce and Refine in whole
    words and Header, and leaves Go to and Ctrl+A/Ctrl+E to F1 help and the
    palette. Log has a shorter label there than "Protokollieren"."""
    line, problems = await german_footer("worksheet", (80, 24))
    assert "a Hinzufügen" in line
    assert "r Reduzieren" in line
    assert "k Verfeinern" in line
    assert "e Kopf" in line
    assert "l Protokoll " in line
    assert "Esc Zurück" in line
    assert "Menü" not in line
    assert "Anfang/Ende" not in line
    assert problems == []


async def test_german_worksheet_wide_footer(screens_world: World) -> None:
    """A wide terminal has room for the German Reduce and Refine keys."""
    line, _problems = await german_footer("worksheet", (200, 60))
    assert "r Reduzieren" in line
    assert "k Verfeinern" in line


async def test_english_worksheet_keeps_fitting_keys(screens_world: World) -> None:
    """The footer drops FOOTER_DROP_TO_FIT keys only when they do not fit: the
    shorter English labels leave room for Reduce and Refine at 80 columns."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys("enter")(pilot)
        line = footer_line(app.screen)
        assert "r Reduce" in line
        assert "k Refine" in line


async def test_german_quit_differs_from_end(screens_world: World) -> None:
    """Quit and the Home/End entry use different German words, since both stand
    in the segment list's footer."""
    line, _problems = await german_footer("segment_list", (80, 24))
    assert "q Beenden" in line
    assert "^A/^E Anfang/Ende" in line
    assert "q Ende" not in line


def card_tab(tab: str) -> Route:
    """Return a route that opens the first contact's card on tab ``tab``."""

    async def route(pilot: Pilot[Any]) -> None:
        await area("contacts")(pilot)
        await keys("enter", tab)(pilot)

    return route


# Every screen, and each tab of the contact card, whose footer keys change with it.
FOOTER_ROUTES: dict[str, Route] = {
    **ROUTES,
    **{f"contact_card_tab_{tab}": card_tab(tab) for tab in "12345"},
}
FOOTER_SIZES = [(80, 24), (120, 36)]


def whole_footer_problems(screen: Screen[Any]) -> list[str]:
    """Return what the drawn footer of ``screen`` cuts off or leaves out unlisted.

    Every entry the footer is built with must be drawn whole, and so must F1 help
    and Back. A shown key the footer leaves out, such as Go to, must be listed in
    F1 help and the command palette, and so are Ctrl+A and Ctrl+E on every screen.
    """
    line = footer_line(screen)
    built = built_footer_texts(screen)
    problems = [f"{text!r} is cut from {line!r}" for text in built if text not in line]
    display = screen.app.get_key_display
    required = [_("Help")]
    for active in screen.active_bindings.values():
        binding = active.binding
        is_back = action_name(binding.action) == "back"
        if active.node is screen and is_back and binding.show:
            required.append(binding.description)
    for description in required:
        if not any(text.endswith(" " + description) for text in built):
            problems.append(f"{description!r} is not in {line!r}")
    help_lines = help_text(screen).splitlines()
    titles = [command.title for command in screen.app.get_system_commands(screen)]
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.show or not active.enabled:
            continue
        if f"{display(binding)} {binding.description}" in built:
            continue
        if not any(binding.description in line for line in help_lines):
            problems.append(f"{binding.action} is left out and not in F1 help")
        if not any(title.endswith(": " + binding.description) for title in titles):
            problems.append(f"{binding.action} is left out and not in the palette")
    return problems


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("route", list(FOOTER_ROUTES))
async def test_footer_drawn_whole(
    screens_world: World, route: str, language: str
) -> None:
    """The drawn footer shows each key it is built with whole, in both languages,
    and leaves out only keys that F1 help and the palette list.

    The app starts at the first of FOOTER_SIZES and is resized to the others.
    """
    from tests.test_snapshots import ui_in_language

    first, *others = FOOTER_SIZES
    with ui_in_language(language) as app_module:
        base_screen = sys.modules["segtui.ui.screens.base"].BaseScreen
        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=first) as pilot:
            await settle(pilot)
            await FOOTER_ROUTES[route](pilot)
            screen = app.screen
            if not isinstance(screen, base_screen):
                pytest.skip("tests/test_dialog_keys.py checks the footers of dialogs")
            assert whole_footer_problems(screen) == [], first
            for size in others:
                await pilot.resize_terminal(*size)
                await settle(pilot)
                assert whole_footer_problems(screen) == [], size
