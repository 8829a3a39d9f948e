"""The contact list names the search and the keys to use when no contact matches."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contacts import ContactListScreen
from tests.conftest import TEST_USER
from tests.test_keys import write_keymap
from tests.tui_helpers import settle, type_text


def status_text(app: SegtuiApp) -> str:
    content = app.screen.query_one("#list-status", Static).render()
    return getattr(content, "plain", str(content))


async def search_contacts(pilot, word: str) -> None:
    pilot.app.push_screen(ContactListScreen())
    await settle(pilot)
    await pilot.press("s")
    await type_text(pilot, word)
    await pilot.press("enter")
    await settle(pilot, rounds=5)


async def test_no_match_names_word_and_key(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search_contacts(pilot, "[bold]zzq")
        assert pilot.app.screen.total == 0
        assert status_text(pilot.app) == (
            'No contact matches "[bold]zzq". Press s to change the search.'
        )


async def test_no_match_uses_remapped_key(world, tmp_path: Path) -> None:
    path = write_keymap(tmp_path / "keys.toml", '"contact_list.search" = "f7"')
    app = SegtuiApp(user=TEST_USER, keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactListScreen())
        await settle(pilot)
        await pilot.press("f7")
        await type_text(pilot, "xyz")
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert status_text(app) == (
            'No contact matches "xyz". Press F7 to change the search.'
        )


async def test_match_shows_count(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search_contacts(pilot, "IND1")
        assert pilot.app.screen.total >= 1
        assert status_text(pilot.app).startswith(f"{pilot.app.screen.total} contact")
