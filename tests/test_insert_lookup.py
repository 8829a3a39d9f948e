"""The Insert Line dialog's contact lookup: type a number or words, pick, insert."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from segtui.domain import segment_actions, segmentation
from segtui.domain.contact_queries import lookup_contacts
from segtui.domain.criteria import AddOptions
from segtui.models import Contact, SegmentLine
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.help import HelpScreen
from segtui.ui.screens.segment_dialogs import InsertLineDialog
from segtui.ui.screens.worksheet import WorksheetScreen
from segtui.ui.widgets.contact_lookup import (
    LOOKUP_ROWS,
    SEARCH_DELAY,
    ContactLookupList,
    MatchList,
)
from tests.builders import World
from tests.test_layout import check_screen_fits, footer_line
from tests.tui_helpers import settle, type_text


def make_segment() -> str:
    """Create a segment with the lines of IND1, IND2 and IND3."""
    segment = segmentation.create_segment("Herbst", user="tester")
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "IND*"}}, AddOptions(), user="tester"
    )
    return segment.no


def segment_contacts(no: str) -> set[str]:
    lines = SegmentLine.select().where(SegmentLine.segment == no)
    return {line.contact_no for line in lines}


def screen_lines(pilot: Pilot[Any]) -> list[str]:
    """Return the terminal's lines as drawn."""
    strips = pilot.app.screen._compositor.render_strips()
    return [strip.text for strip in strips]


def listed_numbers(pilot: Pilot[Any]) -> list[str]:
    matches = pilot.app.screen.query_one(MatchList)
    return [
        str(matches.get_option_at_index(index).id)
        for index in range(matches.option_count)
    ]


def lookup_status(pilot: Pilot[Any]) -> str:
    status = pilot.app.screen.query_one("#lookup-status")
    return str(status.render())


async def open_insert_dialog(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WorksheetScreen)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, InsertLineDialog)


async def type_and_wait(pilot: Pilot[Any], text: str) -> None:
    """Type text, then wait for the lookup's typing pause and its search."""
    await type_text(pilot, text)
    await pilot.pause(SEARCH_DELAY + 0.2)
    await settle(pilot)


async def test_name_lists_contact_to_insert(world: World) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_and_wait(pilot, "grub")
        assert listed_numbers(pilot) == ["CO2P1"]
        row = next(line for line in screen_lines(pilot) if "CO2P1" in line)
        assert "Lena Gruber" in row
        assert "Wien" in row

        await pilot.press("down")
        await settle(pilot)
        assert isinstance(pilot.app.screen.focused, MatchList)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert "CO2P1" in segment_contacts(no)


async def test_down_waits_for_search(world: World) -> None:
    """Down pressed before the search is shown moves into the list once it is."""
    make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_text(pilot, "grub")
        await pilot.press("down")
        await pilot.pause(SEARCH_DELAY + 0.2)
        await settle(pilot)
        assert listed_numbers(pilot) == ["CO2P1"]
        assert isinstance(pilot.app.screen.focused, MatchList)


async def test_exact_number_enter_inserts(world: World) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        # Enter right away, before the lookup's search has run.
        await type_text(pilot, "co1p1")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        assert "CO1P1" in segment_contacts(no)

        # With the lookup shown, Enter in the field inserts the number typed.
        await pilot.press("i")
        await settle(pilot)
        await type_and_wait(pilot, "co2")
        assert listed_numbers(pilot) == ["CO2", "CO2P1"]
        assert isinstance(pilot.app.screen.focused, Input)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert "CO2" in segment_contacts(no)
    assert "CO2P1" not in segment_contacts(no)


def test_lookup_lists_exact_number_first(world: World) -> None:
    """The contact numbered as typed comes first, even after a page of others."""
    no = make_segment()
    Contact.create(no="O1", type="person", name="Oskar Ort", salutation="M", email="")
    lookup = lookup_contacts("o1", no, 2)
    assert [row.no for row in lookup.rows] == ["O1", "CO1"]
    assert lookup.more
    assert lookup.lines == {}


def test_lookup_names_segment_lines(world: World) -> None:
    no = make_segment()
    lookup = lookup_contacts("ind", no, 5)
    lines = {
        line.contact_no: line.line_no
        for line in SegmentLine.select().where(SegmentLine.segment == no)
    }
    assert [row.no for row in lookup.rows] == ["IND1", "IND2", "IND3"]
    assert not lookup.more
    assert lookup.lines == lines
    assert lookup_contacts("  ", no, 5).rows == []


async def test_no_match_shown(world: World) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_and_wait(pilot, "zzqq")
        assert listed_numbers(pilot) == []
        assert 'No contact matches "zzqq"' in lookup_status(pilot)
        # Down has no contact to move to, and the focus stays in the field.
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(pilot.app.screen.focused, Input)

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, InsertLineDialog)
        error = str(pilot.app.screen.query_one("#error").render())
        assert "'ZZQQ' does not exist" in error
        assert "pick it from the list" in error
    assert segment_contacts(no) == {"IND1", "IND2", "IND3"}


async def test_unknown_number_points_to_list(world: World) -> None:
    """Enter on words that are no number names them and points to the list."""
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_and_wait(pilot, "grub")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, InsertLineDialog)
        error = str(pilot.app.screen.query_one("#error").render())
        assert "'GRUB' does not exist" in error
        assert "Press Down to pick one of the contacts listed" in error
    assert "CO2P1" not in segment_contacts(no)


async def test_markup_name_shown_literally(world: World) -> None:
    make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_and_wait(pilot, "[bold")
        assert listed_numbers(pilot) == ["IND3"]
        row = next(line for line in screen_lines(pilot) if "IND3" in line)
        assert "[bold]x" in row
        # IND3 is on the segment already, and the row names its line.
        line_no = (
            SegmentLine.select().where(SegmentLine.contact == "IND3").get().line_no
        )
        assert f"on line {line_no}" in row


async def test_blocked_and_excluded_named(world: World) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_and_wait(pilot, "berlin")
        assert listed_numbers(pilot) == ["CO1", "CO1P1", "CO1P2", "CO1P3"]
        lines = screen_lines(pilot)
        excluded = next(line for line in lines if "CO1P2" in line)
        blocked = next(line for line in lines if "CO1P3" in line)
        plain = next(line for line in lines if "CO1P1" in line)
        assert "excluded" in excluded
        assert "privacy blocked" in blocked
        assert "excluded" not in plain
        assert "blocked" not in plain

        # Picking the blocked contact keeps the dialog open with the reason.
        await pilot.press("tab", "down", "down", "down")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, InsertLineDialog)
        error = str(pilot.app.screen.query_one("#error").render())
        assert "CO1P3 Paul Schmidt is privacy blocked" in error
    assert "CO1P3" not in segment_contacts(no)


async def test_up_returns_to_field(world: World) -> None:
    make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_and_wait(pilot, "berlin")
        await pilot.press("down", "down")
        await settle(pilot)
        matches = pilot.app.screen.query_one(MatchList)
        assert matches.has_focus
        assert matches.highlighted == 1
        await pilot.press("up", "up")
        await settle(pilot)
        assert isinstance(pilot.app.screen.focused, Input)

        # A character typed in the list goes on the end of the field's text.
        await pilot.press("tab")
        await settle(pilot)
        assert matches.has_focus
        await type_and_wait(pilot, " j")
        field = pilot.app.screen.query_one("#contact_no", Input)
        assert field.has_focus
        assert field.value == "berlin j"
        assert listed_numbers(pilot) == ["CO1P1"]


async def test_older_search_result_dropped(world: World) -> None:
    """A search's result that arrives after a newer search started is not shown."""
    make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_and_wait(pilot, "grub")
        lookup = pilot.app.screen.query_one(ContactLookupList)
        older = lookup.generation
        await type_and_wait(pilot, "er")
        assert listed_numbers(pilot) == ["CO2P1"]
        lookup.show(older, "berlin", lookup_contacts("berlin", "", LOOKUP_ROWS))
        await settle(pilot)
        assert listed_numbers(pilot) == ["CO2P1"]


async def test_many_matches_fit_80x24(world: World) -> None:
    """A full list, the status and a problem message fit with the buttons."""
    make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        await type_and_wait(pilot, "example")
        assert len(listed_numbers(pilot)) == LOOKUP_ROWS
        assert "More contacts match than shown" in lookup_status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "'EXAMPLE' does not exist" in str(
            pilot.app.screen.query_one("#error").render()
        )
        await check_screen_fits(pilot, BaseScreen)
        lines = screen_lines(pilot)
        assert any("Insert (Ctrl+S)" in line for line in lines)
        for contact_no in listed_numbers(pilot):
            assert any(line.strip("│ ").startswith(contact_no) for line in lines)


async def test_footer_and_help_name_keys(world: World) -> None:
    make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_insert_dialog(pilot)
        line = footer_line(pilot.app.screen)
        assert "↓ Pick contact" in line
        assert "⏎ Insert" in line
        await type_and_wait(pilot, "berlin")
        await pilot.press("down")
        await settle(pilot)
        line = footer_line(pilot.app.screen)
        assert "⏎ Insert" in line
        assert "Pick contact" not in line

        await pilot.press("f1")
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "Down or Tab moves into the list" in help_screen.text
