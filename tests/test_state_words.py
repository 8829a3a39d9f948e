"""State reads without colour: canceled, failed delivery and excluded carry words.

The app runs with NO_COLOR set, and the tests read the rendered text of the screen,
so a state shown only by a colour or a style would not be found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from textual.pilot import Pilot

from segtui.domain import cancellation, segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.models import DeliveryStatus, InteractionLogEntry, LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contact_card import ContactCardScreen
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.history import InteractionHistoryScreen
from segtui.ui.screens.logged import LoggedSegmentScreen
from tests.test_layout import build_screens_world
from tests.tui_helpers import settle


def screen_lines(pilot: Pilot[Any]) -> list[str]:
    """Return the text of every line of the terminal, as it is drawn."""
    strips = pilot.app.screen._compositor.render_strips()
    return [strip.text for strip in strips]


def line_with(pilot: Pilot[Any], text: str) -> str:
    """Return the one line on screen that contains ``text``."""
    found = [line for line in screen_lines(pilot) if text in line]
    assert len(found) == 1, f"{len(found)} lines contain {text!r}:\n" + "\n".join(
        screen_lines(pilot)
    )
    return found[0]


class States:
    """The logged segments and entries whose state the screens have to show."""

    def __init__(self, letters: Path) -> None:
        self.world = build_screens_world(letters)
        # The small world's logged segment has IND1 (email) and IND2 (hard copy).
        self.failed = LoggedSegment.get(LoggedSegment.description == "Katalog Winter")
        InteractionLogEntry.update(delivery_status=DeliveryStatus.FAILED).where(
            InteractionLogEntry.logged_segment == self.failed.entry_no,
            InteractionLogEntry.contact_no == "IND1",
        ).execute()

        segment = segmentation.create_segment(
            "Storniert", user="tester", template_code="LETTER", salesperson_code="AH"
        )
        segment_actions.add_contacts(
            segment.no, {"contact": {"no": "CO2P1"}}, AddOptions(), user="tester"
        )
        options = LogOptions(output_folder=letters / "canceled")
        result = log_segment(segment.no, options, user="tester")
        self.canceled = result.logged_segment_no
        cancellation.set_logged_canceled([self.canceled], True, user="tester")


@pytest.fixture
def states(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NO_COLOR", "1")
    return States(tmp_path / "letters")


async def open_app(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    assert pilot.app.no_color


async def test_logged_list_shows_states(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await pilot.press("f3")
        await settle(pilot)

        assert "CANCELED" in line_with(pilot, "Storniert")
        failed_row = line_with(pilot, "Katalog Winter")
        assert "1 failed" in failed_row
        assert "CANCELED" not in failed_row


async def test_logged_segment_shows_canceled(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await app.push_screen(LoggedSegmentScreen(states.canceled))
        await settle(pilot)

        # The summary line and the entry row both show the word.
        assert "CANCELED" in line_with(pilot, "Segment: ")
        assert "CANCELED" in line_with(pilot, "CO2P1")


async def test_logged_segment_shows_failed(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await app.push_screen(LoggedSegmentScreen(states.failed.entry_no))
        await settle(pilot)

        assert "FAILED" in line_with(pilot, "IND1")
        other = line_with(pilot, "IND2")
        assert "not delivered" in other
        assert "FAILED" not in other
        assert "1 failed" in line_with(pilot, "failed, ")


async def test_history_shows_states(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_app(pilot)
        await app.push_screen(InteractionHistoryScreen())
        await settle(pilot)

        assert "CANCELED" in line_with(pilot, "CO2P1")
        assert "FAILED" in line_with(pilot, "IND1")
        assert "not delivered" in line_with(pilot, "IND2")


async def test_excluded_contact_card(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await app.push_screen(ContactCardScreen(states.world.person_excluded))
        await settle(pilot)
        assert "(excluded from segments)" in line_with(pilot, "Person CO1P2")


async def test_contact_card_without_flags(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await app.push_screen(ContactCardScreen(states.world.person))
        await settle(pilot)

        title = line_with(pilot, "Person CO1P1")
        assert "excluded" not in title
        assert "blocked" not in title


async def test_contact_list_flags_excluded(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await app.push_screen(ContactListScreen())
        await settle(pilot)

        excluded = line_with(pilot, states.world.person_excluded)
        included = line_with(pilot, states.world.person)
        assert " X " in excluded
        assert " X " not in included
