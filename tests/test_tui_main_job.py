"""The main job done by key presses in the TUI on the sample database."""

from __future__ import annotations

from pathlib import Path

from peewee import Database
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from segtui.domain.documents import leftover_field_codes
from segtui.models import InteractionLogEntry, LoggedSegment, SegmentHeader, SegmentLine
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.criteria import AddContactsScreen
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.segment_dialogs import LogDialog, NewSegmentDialog
from segtui.ui.screens.worksheet import WorksheetScreen
from segtui.ui.widgets.virtual_table import WindowTable
from tests.tui_helpers import settle, table_rows, type_text


async def choose_in_select(pilot: Pilot[None], code: str) -> None:
    """Open the focused Select with Enter, move down to the option ``code``, pick it."""
    await pilot.press("enter")
    await pilot.pause()
    options = pilot.app.focused
    assert isinstance(options, OptionList)
    for _ in range(options.option_count):
        assert options.highlighted is not None
        if str(options.get_option_at_index(options.highlighted).prompt).startswith(
            code
        ):
            break
        await pilot.press("down")
    else:
        raise AssertionError(f"no option {code!r} in the list")
    await pilot.press("enter")
    await pilot.pause()


async def press_times(pilot: Pilot[None], key: str, times: int) -> None:
    for _ in range(times):
        await pilot.press(key)


async def test_main_job_by_keys(sample_database: Database, tmp_path: Path) -> None:
    output = tmp_path / "letters"
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        # A new segment with the LETTER template.
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewSegmentDialog)
        await type_text(pilot, "Frühjahrsaktion 2027")
        await pilot.press("tab")
        await choose_in_select(pilot, "LETTER")
        await pilot.press("tab")
        await choose_in_select(pilot, "JO")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen)
        segment = SegmentHeader.get(SegmentHeader.description == "Frühjahrsaktion 2027")
        assert segment.interaction_template_code == "LETTER"
        assert segment.salesperson_code == "JO"

        # Add Contacts: country DE or AT, mailing group NEWS.
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddContactsScreen)
        # The first filter has the focus; Tab moves on to Country, then Mailing Group.
        await press_times(pilot, "tab", 5)
        assert app.focused is app.screen.query_one("#filter-contact-country", Input)
        await type_text(pilot, "DE|AT")
        await press_times(pilot, "tab", 10)
        assert app.focused is app.screen.query_one("#filter-mailing_group-code", Input)
        await type_text(pilot, "NEWS")
        await pilot.pause(0.5)
        await settle(pilot)
        count_text = str(app.screen.query_one("#count").render())
        expected = int(count_text.split()[0])
        assert expected > 10
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen)
        lines = SegmentLine.select().where(SegmentLine.segment == segment.no).count()
        assert lines == expected
        shown = table_rows(pilot, "#lines")
        assert len(shown) == lines

        # Log it with a follow-up segment, letters into our folder.
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LogDialog)
        # Deliver has the focus; tick follow-up, then replace the output folder.
        await pilot.press("tab")
        await pilot.press("space")
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#output", Input)
        await pilot.press("ctrl+u")
        await type_text(pilot, str(output))
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=10)
        assert isinstance(app.screen, LoggedSegmentScreen)

        logged = LoggedSegment.get(LoggedSegment.segment_no == segment.no)
        entries = list(
            InteractionLogEntry.select().where(
                InteractionLogEntry.logged_segment == logged.entry_no
            )
        )
        assert len(entries) == lines
        assert SegmentHeader.get_or_none(SegmentHeader.no == segment.no) is None
        letters = sorted(output.glob("CT*.docx"))
        assert len(letters) == lines
        assert all(leftover_field_codes(p.read_bytes()) == [] for p in letters)
        # The table contains a window of the entries and counts them all.
        entries_table = app.screen.query_one("#entries", WindowTable)
        assert entries_table.total == lines
        assert entries_table.row_count == min(lines, entries_table.max_rows)

        follow_up = (
            SegmentHeader.select()
            .where(SegmentHeader.description == "Frühjahrsaktion 2027")
            .get()
        )
        follow_up_contacts = sorted(
            line.contact_no
            for line in SegmentLine.select().where(SegmentLine.segment == follow_up.no)
        )
        assert follow_up_contacts == sorted(entry.contact_no for entry in entries)

        # Escape leads back to the list, where the follow-up segment is shown.
        await pilot.press("escape")
        await settle(pilot)
        rows = table_rows(pilot, "#segments")
        assert [row[0] for row in rows] == [follow_up.no]
