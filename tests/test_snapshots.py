"""SVG snapshots of every screen and dialog, at 80x24 and 120x36, in English and German.

The data is the small world with one open and one logged segment, built afresh for
each test, and the clock is fixed with SEGTUI_NOW, so a snapshot changes only when
a screen does. The main screens are also taken in German.

After a deliberate change to a screen, or to the German catalog, write the new
snapshots with ``pytest tests/test_snapshots.py --snapshot-update`` and review them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from peewee import Database
from textual.pilot import Pilot

import segtui
from segtui import i18n, paths
from segtui.models import InteractionLogEntry
from tests.test_layout import ROUTES, build_screens_world
from tests.tui_helpers import settle

# The fixed date and time every snapshot shows.
SNAPSHOT_NOW = "2026-12-04T09:30:00"
# Folders shown on screen, fixed so the snapshots do not depend on tmp_path.
SHOWN_DATA_DIR = Path("/home/demo/.local/share/segtui")
SHOWN_LETTERS_DIR = Path("/home/demo/letters")

SIZES = [(80, 24), (120, 36)]
SIZE_IDS = [f"{width}x{height}" for width, height in SIZES]

# The screens also taken in German: the ones of the main job, and the contact list.
GERMAN_ROUTES = [
    "segment_list",
    "worksheet",
    "add_contacts",
    "log",
    "logged_segment",
    "contacts",
    "help",
]

# Routes the layout test covers that add no screen of their own: F1 help on more
# screens, whose frame the "help" snapshot shows.
ENGLISH_ROUTES = [
    route for route in ROUTES if route not in ("worksheet_help", "add_contacts_help")
]

UI_PACKAGE = "segtui.ui"


@pytest.fixture
def snapshot_world(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGTUI_NOW", SNAPSHOT_NOW)
    monkeypatch.setattr(paths, "data_dir", lambda: SHOWN_DATA_DIR)
    letters = tmp_path / "letters"
    build_screens_world(letters)
    # The letters themselves are merged again from the database when shown, so only
    # the folder names on screen change here.
    for entry in InteractionLogEntry.select():
        if entry.document_path:
            shown = Path(
                entry.document_path.replace(str(letters), str(SHOWN_LETTERS_DIR))
            )
            entry.document_path = str(shown)
            entry.save()


def is_ui_module(name: str) -> bool:
    return name == UI_PACKAGE or name.startswith(UI_PACKAGE + ".")


@contextmanager
def ui_in_language(language: str) -> Iterator[ModuleType]:
    """Import a fresh copy of segtui's UI with its text in ``language``.

    Bindings, titles and help texts are translated when their module is imported,
    so switching the language alone would leave them in the language of the first
    import. The modules imported before are put back afterwards.
    """
    saved = {name: module for name, module in sys.modules.items() if is_ui_module(name)}
    for name in saved:
        del sys.modules[name]
    i18n.set_language(language)
    try:
        yield importlib.import_module("segtui.ui.app")
    finally:
        for name in [name for name in sys.modules if is_ui_module(name)]:
            del sys.modules[name]
        sys.modules.update(saved)
        segtui.ui = saved[UI_PACKAGE]
        i18n.set_language(None)


def opening(route: str) -> Callable[[Pilot[Any]], Any]:
    """Return what runs before the screenshot: wait for the app, then open the screen."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await ROUTES[route](pilot)
        await settle(pilot)
        # A blinking cursor would be drawn on or off, depending on the moment.
        for widget in pilot.app.screen.query("*"):
            if hasattr(widget, "cursor_blink"):
                widget.cursor_blink = False
        await pilot.pause()

    return run_before


def take_snapshot(
    snap_compare: Any, route: str, size: tuple[int, int], language: str
) -> bool:
    with ui_in_language(language) as app_module:
        app = app_module.SegtuiApp(user="tester")
        return snap_compare(app, run_before=opening(route), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("route", ENGLISH_ROUTES)
def test_screen_english(
    snapshot_world: None, snap_compare: Any, route: str, size: tuple[int, int]
) -> None:
    assert take_snapshot(snap_compare, route, size, "en")


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("route", GERMAN_ROUTES)
def test_screen_german(
    snapshot_world: None, snap_compare: Any, route: str, size: tuple[int, int]
) -> None:
    assert take_snapshot(snap_compare, route, size, "de")
