"""At 80x24, in English and German, every screen's footer shows the keys of the
screen's own work.

A full screen names those actions in FOOTER_ESSENTIAL, the keys its F1 help names
as what it is for. A dialog has few keys, and its footer shows all of them. Keys
that work alike on every screen (Ctrl+A/Ctrl+E, Go to, Enter) and the screen's
rarer keys may give way, because F1 help and the command palette list them.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer

from segtui.domain import profiles
from segtui.models import SegmentHeader
from segtui.ui.footer import COMPACT_BELOW, footer_entries
from segtui.ui.keys import action_name
from tests.builders import World
from tests.test_layout import FOOTER_ROUTES, Route, build_screens_world, footer_line
from tests.tui_helpers import open_screen, settle


@pytest.fixture
def screens_world(database: Database, tmp_path: Path) -> World:
    return build_screens_world(tmp_path / "letters")


def screen_route(module: str, name: str, *arguments: Any) -> Route:
    """Return a route that opens the screen class ``name`` of ``module``.

    The module is imported when the route runs, so that the class comes from the
    copy of the UI modules imported in the language under test.
    """

    async def route(pilot: Pilot[Any]) -> None:
        imported = importlib.import_module(f"segtui.ui.screens.{module}")
        screen_class = getattr(imported, name)
        await open_screen(pilot, screen_class(*arguments))

    return route


async def open_questionnaire_lines(pilot: Pilot[Any]) -> None:
    """Open the questions of a questionnaire with one question and one answer."""
    profiles.save_questionnaire("SIZE", "Company size", user="tester", new=True)
    question = profiles.save_question("SIZE", "EMPLOYEES", "Staff", user="tester")
    profiles.save_answer(question, "SMALL", "Up to 50", user="tester")
    await screen_route("code_tables", "QuestionnaireLinesScreen", "SIZE")(pilot)


# The screens of FOOTER_ROUTES, and those that a route of keys reaches only with
# more data or a selected row: a template's languages and merge fields, the
# questions of a questionnaire, and the entry list while a filter is set.
ROUTES: dict[str, Route] = {
    **FOOTER_ROUTES,
    "template_languages": screen_route(
        "templates", "TemplateLanguagesScreen", "LETTER"
    ),
    "template_fields": screen_route(
        "templates", "TemplateFieldsScreen", "LETTER", "DE"
    ),
    "questionnaire_lines": open_questionnaire_lines,
    "interactions_filtered": screen_route(
        "history", "InteractionHistoryScreen", {"contact": "IND1"}
    ),
}


def own_keys(screen: Screen[Any]) -> dict[str, str]:
    """Return "key description" by action for each key of the screen's own work.

    These are the screen's shown, enabled keys in its FOOTER_ESSENTIAL, or all of
    them for a dialog, which has no FOOTER_ESSENTIAL.
    """
    essential = getattr(screen, "FOOTER_ESSENTIAL", None)
    display = screen.app.get_key_display
    keys: dict[str, str] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if active.node is not screen or not binding.show or not active.enabled:
            continue
        name = action_name(binding.action)
        if essential is not None and name not in essential:
            continue
        keys.setdefault(name, f"{display(binding)} {binding.description}")
    return keys


def essential_problems(screen: Screen[Any]) -> list[str]:
    """Return what is wrong with the FOOTER_ESSENTIAL of a full screen: none at
    all, an action of no binding of the screen, or one also in FOOTER_WIDE_ONLY."""
    essential = screen.FOOTER_ESSENTIAL
    if not essential:
        return [f"{type(screen).__name__} has no FOOTER_ESSENTIAL"]
    actions = {
        action_name(binding.action)
        for bindings in screen._bindings.key_to_bindings.values()
        for binding in bindings
    }
    problems = [f"{name} is no action of the screen" for name in essential - actions]
    both = essential & screen.FOOTER_WIDE_ONLY
    problems += [f"{name} is in FOOTER_WIDE_ONLY too" for name in both]
    return problems


def left_out_keys(screen: Screen[Any]) -> list[str]:
    """Return the keys of the screen's own work that its drawn footer leaves out."""
    compact = screen.app.size.width < COMPACT_BELOW
    entries = footer_entries(screen, compact, screen.app.size.width)
    line = footer_line(screen)
    shown = {
        action_name(entry.action)
        for entry in entries
        if f"{entry.key_display} {entry.description}" in line
    }
    return [text for name, text in own_keys(screen).items() if name not in shown]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("route", list(ROUTES))
async def test_footer_shows_own_keys(
    screens_world: World, route: str, language: str
) -> None:
    """The 80-column footer shows every key of the screen's own work."""
    from tests.test_snapshots import ui_in_language

    with ui_in_language(language) as app_module:
        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await ROUTES[route](pilot)
            screen = app.screen
            if not screen.query(Footer):
                pytest.skip(f"{type(screen).__name__} has no footer")
            if hasattr(screen, "FOOTER_ESSENTIAL"):
                assert essential_problems(screen) == []
            assert own_keys(screen), "the screen has no keys of its own"
            assert left_out_keys(screen) == [], footer_line(screen)


async def worksheet_footer_and_summary(language: str) -> tuple[str, str]:
    """Open the worksheet at 80x24 in ``language``; return its drawn footer line
    and the first line of its header summary."""
    from tests.test_snapshots import ui_in_language

    with ui_in_language(language) as app_module:
        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await ROUTES["worksheet"](pilot)
            screen = app.screen
            summary = screen.query_one("#header-summary")
            strips = screen._compositor.render_strips()
            return footer_line(screen), strips[summary.region.y].text


@pytest.mark.parametrize(
    ("language", "header_key", "own_keys"),
    [
        ("en", "e Header", ["a Add", "r Reduce", "k Refine", "l Log", "Esc Back"]),
        (
            "de",
            "e Kopf",
            ["a Hinzufügen", "r Reduzieren", "k Verfeinern", "Esc Zurück"],
        ),
    ],
)
async def test_worksheet_footer_shows_header_key(
    screens_world: World, language: str, header_key: str, own_keys: list[str]
) -> None:
    """At 80 columns the worksheet's footer shows e (Header), which a segment
    without a template needs before it can be logged, next to the other keys of
    the segment's own work."""
    line, _summary = await worksheet_footer_and_summary(language)
    assert header_key in line
    for text in own_keys:
        assert text in line
    # Ctrl+A/Ctrl+E works alike on every screen, so it gives way first.
    assert "^A/^E" not in line


@pytest.mark.parametrize(
    ("language", "hint"),
    [("en", "Template: (none), press e to set"), ("de", "(keine), mit e wählen")],
)
async def test_worksheet_names_header_key(
    screens_world: World, language: str, hint: str
) -> None:
    """A segment without a template names the key that sets one in its summary,
    and the date on the same line stays whole."""
    SegmentHeader.update(interaction_template_code=None).execute()
    _line, summary = await worksheet_footer_and_summary(language)
    assert hint in summary
    assert re.search(r"(\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4})$", summary.rstrip())
