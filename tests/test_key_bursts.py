"""Keys that arrive in one burst, as they do over SSH, reach the widget meant.

A key that moves the focus is followed at once by the keys typed after it. Each
test queues all its keys before the app handles the first, so a focus change that
waits for the next turn of the event loop sends the later keys to the old widget.
"""

from __future__ import annotations

from typing import Any

import pytest
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


# The keys sent in one burst, and the search text they must leave. In the last case
# the second s is typed inside the search field, where it is text.
BURSTS = [
    (["s", *"wien"], "wien"),
    (["ctrl+f", *"dinge"], "dinge"),
    (["s", *"sus"], "sus"),
]


@pytest.mark.parametrize(("keys", "search"), BURSTS)
async def test_search_burst_fills_field(world, keys: list[str], search: str) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactListScreen())
        await settle(pilot)
        screen = pilot.app.screen
        queue_keys(pilot, keys)
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.query_one("#search", Input).value == search
