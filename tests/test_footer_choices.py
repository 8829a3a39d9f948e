"""Which keys the footers of the entry list and a logged segment show, and the
folder that saving an entry's letter proposes."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from textual.pilot import Pilot
from textual.widgets import Input

from segtui import paths
from segtui.models import InteractionLogEntry
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import InputDialog
from segtui.ui.screens.history import InteractionHistoryScreen
from tests.builders import World
from tests.test_layout import (
    build_screens_world,
    footer_line,
    german_footer,
    whole_footer_problems,
)
from tests.tui_helpers import open_screen, settle, type_text


@pytest.fixture
def screens_world(database: Database, tmp_path: Path) -> World:
    return build_screens_world(tmp_path / "letters")


async def set_contact_filter(pilot: Pilot[Any], expression: str) -> None:
    """Filter the entry list on the contact number through its filter dialog."""
    await pilot.press("f")
    await settle(pilot)
    await type_text(pilot, expression)
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_history_clear_follows_filter(
    screens_world: World, size: tuple[int, int]
) -> None:
    """c Clear is in the entry list's footer while a filter is set, at 80 columns
    too, and leaves it once the filter is cleared."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=size) as pilot:
        await open_screen(pilot, InteractionHistoryScreen())
        screen = app.screen
        assert "c Clear" not in footer_line(screen)
        assert "f Filter" in footer_line(screen)

        await set_contact_filter(pilot, "IND1")
        assert screen.filters == {"contact": "IND1"}
        assert "c Clear" in footer_line(screen)
        assert whole_footer_problems(screen) == []

        await pilot.press("c")
        await settle(pilot)
        assert screen.filters == {}
        assert "c Clear" not in footer_line(screen)


async def test_history_clear_opened_filtered(screens_world: World) -> None:
    """A list opened with filters, as from a contact card, shows c Clear at once."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, InteractionHistoryScreen({"contact": "IND2"}))
        assert "c Clear" in footer_line(app.screen)


async def test_german_history_clear_fits(screens_world: World) -> None:
    """The German 80-column footer has room for c Leeren while a filter is set."""
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        history_module = importlib.import_module("segtui.ui.screens.history")
        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(pilot, history_module.InteractionHistoryScreen())
            screen = app.screen
            assert "c Leeren" not in footer_line(screen)
            await set_contact_filter(pilot, "IND1")
            line = footer_line(screen)
            assert "c Leeren" in line
            assert "f Filter" in line
            assert "Esc Zurück" in line
            assert whole_footer_problems(screen) == []


async def test_history_cancel_fits_unfiltered(screens_world: World) -> None:
    """Without a filter the 80-column footer keeps x Cancel, which gives way
    to c Clear only while a filter is set."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, InteractionHistoryScreen())
        assert "x Cancel" in footer_line(app.screen)


async def test_german_logged_footer_follow_up(screens_world: World) -> None:
    """At 80 columns the German logged segment footer shows f Folgesegment and
    s Neu senden, for which Ctrl+A/Ctrl+E gives way."""
    line, problems = await german_footer("logged_segment", (80, 24))
    assert "f Folgesegment" in line
    assert "s Neu senden" in line
    assert "v Brief" in line
    assert "Esc Zurück" in line
    assert "Anfang/Ende" not in line
    assert problems == []


async def test_english_logged_footer_keeps_cancel(screens_world: World) -> None:
    """The shorter English labels leave room for both Follow-up and Cancel."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3", "enter")
        await settle(pilot)
        line = footer_line(app.screen)
        assert "f Follow-up" in line
        assert "x Cancel" in line


async def proposed_letter_path(pilot: Pilot[Any]) -> Path:
    """Press w on the entry list's first row; return the file the dialog proposes."""
    await pilot.press("w")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, InputDialog)
    return Path(dialog.query_one("#value", Input).value)


async def test_history_save_proposes_letter_folder(
    screens_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """w on an entry proposes the folder of its letter, not the working folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, InteractionHistoryScreen())
        entry = app.screen.selected()
        assert entry is not None
        assert entry.document_path
        proposed = await proposed_letter_path(pilot)
        assert proposed.parent == Path(entry.document_path).parent
        assert proposed.name == f"entry-{entry.entry_no}.docx"


async def test_history_save_unwritten_letter_folder(
    screens_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry whose letter was never written proposes the folder its logged
    segment's letters would go to."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "default_letters_dir", lambda: tmp_path / "default")
    InteractionLogEntry.update(document_path="").execute()
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, InteractionHistoryScreen())
        entry = app.screen.selected()
        assert entry is not None
        assert entry.logged_segment_entry_no is not None
        proposed = await proposed_letter_path(pilot)
        assert proposed.parent.parent == tmp_path / "default"
        assert proposed.parent.name.startswith("SEG")


async def test_history_save_manual_entry_folder(
    screens_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry of no logged segment still proposes the working folder."""
    monkeypatch.chdir(tmp_path)
    InteractionLogEntry.update(document_path="", logged_segment=None).execute()
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, InteractionHistoryScreen())
        proposed = await proposed_letter_path(pilot)
        assert proposed.parent == tmp_path
