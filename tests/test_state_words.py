"""State reads without colour: canceled, failed delivery and excluded carry words.

The app runs with NO_COLOR set, and the tests read the rendered text of the screen,
so a state shown only by a colour or a style would not be found. State words are
lower case on every screen and in the CLI's output.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from peewee import Database
from rich.cells import cell_len
from textual.pilot import Pilot

from segtui.cli import cli
from segtui.db import open_database
from segtui.domain import cancellation, segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.models import DeliveryStatus, InteractionLogEntry, LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contact_card import ContactCardScreen
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.history import InteractionHistoryScreen
from segtui.ui.screens.logged import LoggedSegmentScreen
from tests.backends import fresh_database_url
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


def upper_case_states(pilot: Pilot[Any]) -> list[str]:
    """Return the lines on screen that write a state word in capitals."""
    words = ("CANCELED", "FAILED", "DONE", "PENDING", "SENT", "NOT DELIVERED")
    return [line for line in screen_lines(pilot) if any(word in line for word in words)]


async def open_app(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    assert pilot.app.no_color


async def test_logged_list_shows_states(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await pilot.press("f3")
        await settle(pilot)

        assert "canceled" in line_with(pilot, "Storniert")
        failed_row = line_with(pilot, "Katalog Winter")
        assert "1 failed" in failed_row
        assert "canceled" not in failed_row
        assert upper_case_states(pilot) == []


async def test_logged_segment_shows_canceled(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await app.push_screen(LoggedSegmentScreen(states.canceled))
        await settle(pilot)

        # The summary line and the entry row both show the word.
        assert "canceled" in line_with(pilot, "Segment: ")
        assert "canceled" in line_with(pilot, "CO2P1")
        assert upper_case_states(pilot) == []


async def test_logged_segment_shows_failed(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await app.push_screen(LoggedSegmentScreen(states.failed.entry_no))
        await settle(pilot)

        assert "failed" in line_with(pilot, "IND1")
        other = line_with(pilot, "IND2")
        assert "not delivered" in other
        assert "failed" not in other
        assert "1 failed" in line_with(pilot, "failed, ")
        assert upper_case_states(pilot) == []


async def test_history_shows_states(states: States) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_app(pilot)
        await app.push_screen(InteractionHistoryScreen())
        await settle(pilot)

        assert "canceled" in line_with(pilot, "CO2P1")
        assert "failed" in line_with(pilot, "IND1")
        assert "not delivered" in line_with(pilot, "IND2")
        assert upper_case_states(pilot) == []


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


@pytest.fixture
def states_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of a database with the states of ``States``, for the CLI."""
    monkeypatch.setenv("NO_COLOR", "1")
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    States(tmp_path / "letters")
    database.close()
    return url


def run_cli(url: str, *arguments: str) -> str:
    result = CliRunner().invoke(cli, ["--db", url, *arguments], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def cli_line_with(output: str, text: str) -> str:
    """Return the one line of CLI output that contains ``text``."""
    found = [line for line in output.splitlines() if text in line]
    assert len(found) == 1, f"{len(found)} lines contain {text!r}:\n{output}"
    return found[0]


def test_cli_interactions_state_words(states_url: str) -> None:
    """The CLI writes the state words the screens show, in the same case."""
    output = run_cli(states_url, "interactions", "list")
    assert cli_line_with(output, "CO2P1").endswith("canceled")
    assert cli_line_with(output, "IND1").endswith("failed")
    assert cli_line_with(output, "IND2").endswith("not delivered")
    assert "not_delivered" not in output
    assert "CANCELED" not in output
    assert "FAILED" not in output


def test_cli_logged_show_state_words(states_url: str) -> None:
    number = LoggedSegment.get(LoggedSegment.description == "Katalog Winter").entry_no
    output = run_cli(states_url, "logged", "show", str(number))
    assert "failed" in cli_line_with(output, "IND1")
    assert "not delivered" in cli_line_with(output, "IND2")
    assert "not_delivered" not in output


async def test_german_status_column_fits(states: States) -> None:
    """The interaction log's status column fits the longest German state word,
    "nicht zugestellt", whole at 80x24."""
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        history_module = importlib.import_module("segtui.ui.screens.history")
        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=(80, 24)) as pilot:
            await open_app(pilot)
            await app.push_screen(history_module.InteractionHistoryScreen())
            await settle(pilot)

            assert "nicht zugestellt" in line_with(pilot, "IND2")
            assert "fehlgeschlagen" in line_with(pilot, "IND1")
            assert "storniert" in line_with(pilot, "CO2P1")
            table = app.screen.query_one("#entries")
            status = table.columns["status"]
            assert status.width >= cell_len("nicht zugestellt")
            assert not table.show_horizontal_scrollbar


@pytest.mark.parametrize("language", ["en", "de"])
def test_state_width_is_longest_word(language: str) -> None:
    from segtui import i18n
    from segtui.ui.screens.history import state_width
    from segtui.ui.text import delivery_label

    i18n.set_language(language)
    try:
        words = [i18n._("canceled"), i18n._("not written")]
        words += [delivery_label(status) for status in DeliveryStatus]
        assert state_width() == max(cell_len(word) for word in words)
        assert state_width() >= cell_len(delivery_label(DeliveryStatus.NOT_DELIVERED))
    finally:
        i18n.set_language(None)
