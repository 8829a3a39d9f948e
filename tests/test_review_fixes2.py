"""Review fixes: focus that reads without colour, long criteria actions, the logged
segment's header after a cancel, saved criteria codes and the database path."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from peewee import Database
from rich.color import ColorSystem
from rich.segment import Segment
from textual.pilot import Pilot
from textual.widgets import Select, Static

from segtui.cli import cli
from segtui.db import create_database, open_database
from segtui.domain import saved_criteria, segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.errors import InvalidValueError
from segtui.models import LoggedSegment
from segtui.models.migrations import LATEST_VERSION, SCHEMA_VERSION_TABLE, SchemaError
from segtui.paths import to_database_url
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.criteria_list import CriteriaListScreen
from segtui.ui.screens.dialogs import MessageDialog
from segtui.ui.screens.help import help_text
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.segment_dialogs import NewSegmentDialog
from tests.backends import POSTGRES, fresh_database_url
from tests.builders import World, build_world
from tests.test_layout import build_screens_world, footer_line
from tests.test_state_words import screen_lines
from tests.tui_helpers import open_screen, press_settled, settle

REVERSE_VIDEO = "7"


def select_segments(pilot: Pilot[Any], select: Select[Any]) -> list[Segment]:
    """Return the drawn segments of a select's line that carry text."""
    region = select.region
    strips = pilot.app.screen._compositor.render_strips()
    line = strips[region.y].crop(region.x, region.right)
    return [segment for segment in line if segment.text.strip()]


def marked(segment: Segment) -> bool:
    """Return True if a segment is marked by more than its colours."""
    style = segment.style
    return bool(style and (style.reverse or style.bold or style.underline))


def standard_sgr_codes(segments: list[Segment]) -> set[str]:
    """Return the SGR codes a 16-colour terminal receives for the segments."""
    codes: set[str] = set()
    for segment in segments:
        if segment.style is None:
            continue
        ansi = segment.style.render(segment.text, color_system=ColorSystem.STANDARD)
        for parameters in re.findall(r"\x1b\[([0-9;]*)m", ansi):
            codes.update(parameters.split(";"))
    return codes


async def focused_and_blurred(pilot: Pilot[Any]) -> tuple[list[Segment], list[Segment]]:
    """Open the new segment dialog, focus Template, and return both selects' cells."""
    await open_screen(pilot, NewSegmentDialog())
    template = pilot.app.screen.query_one("#interaction_template", Select)
    salesperson = pilot.app.screen.query_one("#salesperson", Select)
    template.focus()
    await settle(pilot)
    assert template.has_focus
    return select_segments(pilot, template), select_segments(pilot, salesperson)


@pytest.mark.parametrize("no_color", [False, True], ids=["16-colours", "no-color"])
async def test_focused_select_marked_beyond_colour(
    world: World, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color is no_color
        focused, blurred = await focused_and_blurred(pilot)

        assert focused, "the focused select draws no text"
        assert blurred, "the unfocused select draws no text"
        assert all(marked(segment) for segment in focused)
        assert not any(marked(segment) for segment in blurred)
        if not no_color:
            # The 16-colour terminal gets reverse video (SGR 7) for the focused one.
            assert REVERSE_VIDEO in standard_sgr_codes(focused)
            assert REVERSE_VIDEO not in standard_sgr_codes(blurred)


# Enter on a criteria action shows its whole text, which the list cuts at 80 columns.

LONG_CITIES = "Boston|Glasgow|Hünfeld|Kopenhagen|Rotterdam|Salzburg|Ljubljana"


def long_filter_segment() -> str:
    segment = segmentation.create_segment("Long filters", user="tester")
    segment_actions.add_contacts(
        segment.no,
        {"contact": {"city": LONG_CITIES, "no": "CO1*|IND*"}},
        AddOptions(expand_companies=True),
        user="tester",
    )
    return segment.no


async def test_criteria_enter_shows_whole_action(world: World) -> None:
    no = long_filter_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, CriteriaListScreen(no))
        list_screen = pilot.app.screen
        assert not any(LONG_CITIES in line for line in screen_lines(pilot))
        assert "⏎ Show" in footer_line(list_screen)
        assert "Enter" in help_text(list_screen)

        await press_settled(pilot, "enter")

        dialog = pilot.app.screen
        assert isinstance(dialog, MessageDialog)
        text = "\n".join(screen_lines(pilot))
        assert "Action 1 of segment" in text
        assert "Add Contacts" in text
        assert "expand companies" in text
        assert f"city={LONG_CITIES}" in text
        assert "no.=CO1*|IND*" in text
        # The dialog has its own F1 help, not the list's.
        assert "filters" in help_text(dialog)
        assert help_text(dialog) != help_text(list_screen)

        await press_settled(pilot, "escape")
        assert pilot.app.screen is list_screen


# The logged segment's header stops quoting the logging run's counts once they change.


def summary_text(screen: LoggedSegmentScreen) -> str:
    """Return the whole text of the header above the totals, scrolled or not."""
    return str(screen.query_one("#logged-summary", Static).render())


async def test_logged_header_follows_cancel(database: Database, tmp_path: Path) -> None:
    build_screens_world(tmp_path / "letters")
    logged = LoggedSegment.get(LoggedSegment.description == "Katalog Winter")
    message = f"Logged segment {logged.entry_no}: 2 interactions."
    screen = LoggedSegmentScreen(logged.entry_no, message=message)
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, screen)
        assert message in summary_text(screen)
        lines = screen_lines(pilot)
        assert any("Interactions: 2" in line for line in lines), lines

        await press_settled(pilot, "x")
        await press_settled(pilot, "y")

        lines = screen_lines(pilot)
        assert any("Interactions: 1" in line for line in lines), lines
        assert "2 interactions" not in summary_text(screen)

        # Un-canceling the entry does not bring the outdated message back.
        await press_settled(pilot, "u")
        await press_settled(pilot, "y")
        lines = screen_lines(pilot)
        assert any("Interactions: 2" in line for line in lines), lines
        assert message not in summary_text(screen)


# Saved criteria codes allow the characters of other codes only.


def criteria_segment() -> str:
    segment = segmentation.create_segment("Criteria to save", user="tester")
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "IND1"}}, AddOptions(), user="tester"
    )
    return segment.no


@pytest.mark.parametrize("code", ["bad code!", "NEWS DE", "Ä?", "a;b"])
def test_saved_criteria_code_rejected(world: World, code: str) -> None:
    no = criteria_segment()
    with pytest.raises(InvalidValueError) as raised:
        saved_criteria.save_criteria(no, code, "Bad", user="tester")

    message = str(raised.value)
    assert repr(code.upper()) in message
    assert "letters, digits and - _ . / + #" in message
    assert saved_criteria.list_saved_criteria() == []


def test_saved_criteria_code_allowed_characters(world: World) -> None:
    no = criteria_segment()
    saved = saved_criteria.save_criteria(no, "news-de/2.0+#_ü", "Good", user="tester")
    assert saved.code == "NEWS-DE/2.0+#_Ü"


def test_cli_saved_criteria_code_rejected(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    no = criteria_segment()
    database.close()

    result = CliRunner().invoke(
        cli, ["--db", url, "criteria", "save", no, "bad code!", "--description", "x"]
    )

    assert result.exit_code == 1, result.output
    assert "'BAD CODE!'" in result.stderr
    assert "letters, digits and - _ . / + #" in result.stderr
    assert "saved as" not in result.output


# Messages name the database file as it is, without the URL's extra slash.


def test_sqlite_url_path_single_slash(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    url = to_database_url(str(path))
    assert url.startswith("sqlite:////")

    database = create_database(url)

    assert database.database == str(path)


@pytest.mark.skipif(POSTGRES, reason="a SQLite file's path")
def test_schema_message_names_real_path(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    url = to_database_url(str(path))
    open_database(url).close()
    with sqlite3.connect(path) as connection:
        connection.execute(
            f"DELETE FROM {SCHEMA_VERSION_TABLE} WHERE version = ?", (LATEST_VERSION,)
        )
    connection.close()

    with pytest.raises(SchemaError) as raised:
        open_database(url)

    message = str(raised.value)
    assert f"Database {str(path)!r} has schema version {LATEST_VERSION - 1}" in message
    assert "//" not in message
