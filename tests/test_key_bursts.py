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

from segtui.domain.contact_queries import list_contacts
from segtui.models import LoggedSegment, SegmentHeader
from segtui.ui.app import SegtuiApp
from segtui.ui.key_order import nodes_to_wait_for
from segtui.ui.screens.contact_card import ContactCardScreen
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.criteria import AddContactsScreen
from segtui.ui.screens.menu import GoToDialog
from segtui.ui.screens.segment_dialogs import LogDialog, NewSegmentDialog
from segtui.ui.screens.setup_screens import SalespersonListScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.conftest import TEST_USER
from tests.test_tui_screens import make_segment
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


async def test_enter_then_l_opens_log(world) -> None:
    make_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        queue_keys(pilot, ["enter", "l"])
        await settle(pilot)
        assert isinstance(pilot.app.screen, LogDialog)
        assert isinstance(pilot.app.screen_stack[-2], WorksheetScreen)


# Bursts that end in the New segment dialog, and the description they type. In the
# second, Go to opens a dialog, Esc closes it, and n then acts on the segment list.
NEW_SEGMENT_BURSTS = [
    (["n", *"Herbst"], "Herbst"),
    (["ctrl+g", "escape", "n", *"Mai"], "Mai"),
]


@pytest.mark.parametrize(("keys", "description"), NEW_SEGMENT_BURSTS)
async def test_burst_fills_new_segment(
    world, keys: list[str], description: str
) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        queue_keys(pilot, keys)
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, NewSegmentDialog)
        assert not any(isinstance(s, GoToDialog) for s in pilot.app.screen_stack)
        assert dialog.query_one("#description", Input).value == description


async def test_save_then_key_reaches_new_screen(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Ctrl+S saves the new segment in a job, whose result opens the worksheet,
        # where a opens Add Contacts.
        queue_keys(pilot, ["n", *"Mai", "ctrl+s", "a"])
        await settle(pilot)
        assert isinstance(pilot.app.screen, AddContactsScreen)
        assert isinstance(pilot.app.screen_stack[-2], WorksheetScreen)


async def test_escape_and_letter_read_as_alt(world) -> None:
    """Esc then n in one burst arrives as alt+n, and acts as the two keys."""
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        queue_keys(pilot, ["ctrl+g"])
        pilot.app.post_message(events.Key("alt+n", "n"))
        queue_keys(pilot, [*"Mai"])
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, NewSegmentDialog)
        assert dialog.query_one("#description", Input).value == "Mai"


async def test_typing_waits_for_few_widgets(world) -> None:
    """A key in a field of Add Contacts waits for its own widgets, not all."""
    make_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        queue_keys(pilot, ["enter", "a", "tab"])
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AddContactsScreen)
        widgets = len(list(screen.walk_children()))
        waited = nodes_to_wait_for(pilot.app, screen)
        assert widgets > 50
        assert len(waited) < 15


@pytest.mark.parametrize("leave", ["down", "enter"])
async def test_search_then_enter_opens_first_hit(world, leave: str) -> None:
    """Keys after the search word act on the rows the search finds."""
    first_hit = list_contacts("wien")[0].no
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactListScreen())
        await settle(pilot)
        queue_keys(pilot, ["s", *"wien", leave, "enter"])
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, ContactCardScreen)
        assert card.contact_no == first_hit


@pytest.mark.parametrize(
    ("typed", "screen_type"),
    [("co", ContactListScreen), ("sal", SalespersonListScreen)],
)
async def test_go_to_finds_typed_name(world, typed: str, screen_type: type) -> None:
    """Letters typed in Go to move to the area whose name starts with them."""
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        queue_keys(pilot, ["ctrl+g", *typed, "enter"])
        await settle(pilot)
        assert isinstance(pilot.app.screen, screen_type)


async def test_escape_while_checking_closes_log(world) -> None:
    """Esc right after Ctrl+S in the log dialog backs out, with nothing logged."""
    no = make_segment()
    SegmentHeader.update(salesperson_code=None).where(SegmentHeader.no == no).execute()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        queue_keys(pilot, ["enter", "l"])
        await settle(pilot)
        assert isinstance(pilot.app.screen, LogDialog)
        queue_keys(pilot, ["ctrl+s", "escape"])
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        assert LoggedSegment.select().count() == 0
