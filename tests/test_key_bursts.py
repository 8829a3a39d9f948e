"""Keys that arrive in one burst, as they do over SSH, reach the widget meant.

A key that moves the focus is followed at once by the keys typed after it. Each
test queues all its keys before the app handles the first, so a focus change that
waits for the next turn of the event loop sends the later keys to the old widget.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contacts import ContactListScreen
from tests.conftest import TEST_USER
from tests.tui_helpers import settle


def queue_keys(pilot: Pilot[Any], keys: list[str]) -> None:
    """Queue key events on the app without handling any of them yet."""
    for key in keys:
        character = key if len(key) == 1 else None
        pilot.app.post_message(events.Key(key, character))


async def test_search_key_then_word_in_one_burst(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactListScreen())
        await settle(pilot)
        screen = pilot.app.screen
        queue_keys(pilot, ["s", *"wien"])
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.query_one("#search", Input).value == "wien"


async def test_ctrl_f_then_word_in_one_burst(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactListScreen())
        await settle(pilot)
        screen = pilot.app.screen
        queue_keys(pilot, ["ctrl+f", *"dinge"])
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.query_one("#search", Input).value == "dinge"


async def test_search_key_typed_inside_search(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactListScreen())
        await settle(pilot)
        screen = pilot.app.screen
        queue_keys(pilot, ["s", *"sus"])
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "sus"
