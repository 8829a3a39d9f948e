"""The TUI's screens and dialogs on the small world: help, Escape, errors, markup."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.logged_segments import LoggedSegmentSummary
from segtui.domain.segment_logging import default_output_folder
from segtui.models import (
    InteractionTemplate,
    LoggedSegment,
    SegmentHeader,
    SegmentLine,
)
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.criteria import AddContactsScreen
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.help import HelpScreen
from segtui.ui.screens.logged import LoggedSegmentListScreen, LoggedSegmentScreen
from segtui.ui.screens.segment_dialogs import (
    HeaderDialog,
    InsertLineDialog,
    LogDialog,
    NewSegmentDialog,
)
from segtui.ui.screens.segments import SegmentListScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.tui_helpers import settle, table_rows, type_text


def visible_text(pilot: Pilot[Any]) -> str:
    """Return the text of every Static on the current screen, as rendered."""
    texts = []
    for widget in pilot.app.screen.query(Static):
        rendered = widget.render()
        texts.append(getattr(rendered, "plain", str(rendered)))
    return "\n".join(texts)


def make_segment(description: str = "Herbst", contacts: str = "IND*") -> str:
    segment = segmentation.create_segment(
        description, user="tester", template_code="LETTER"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": contacts}}, AddOptions(), user="tester"
    )
    return segment.no


async def open_first_segment(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WorksheetScreen)


async def test_help_lists_screen_keys(world) -> None:
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        # The key rows are drawn as a table, so the drawn lines are read.
        strips = pilot.app.screen._compositor.render_strips()
        text = "\n".join(strip.text for strip in strips)
        assert "segment" in text.lower()
        for key in ("n ", "Enter", "d, Delete", "l "):
            assert key in text, key
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SegmentListScreen)


async def test_criteria_help_shows_syntax(world) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = visible_text(pilot)
        assert "DE|AT|CH" in text
        assert "<>NORTH" in text
        assert "Ctrl+S" in text
    assert SegmentLine.select().where(SegmentLine.segment == no).count() == 3


async def test_escape_leaves_new_segment(world) -> None:
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NewSegmentDialog)
        await type_text(pilot, "Not wanted")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SegmentListScreen)
    assert SegmentHeader.select().count() == 0


async def test_empty_description_shows_error(world) -> None:
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NewSegmentDialog)
        assert "needs a description" in visible_text(pilot)
    assert SegmentHeader.select().count() == 0


async def test_escape_leaves_header_unchanged(world) -> None:
    no = make_segment()
    before = SegmentHeader.get_by_id(no).__data__.copy()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HeaderDialog)
        await type_text(pilot, " changed")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert SegmentHeader.get_by_id(no).__data__ == before


async def test_header_change_updates_lines(world) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("e")
        await settle(pilot)
        # Description, date, salesperson: the salesperson select is the third field.
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    header = SegmentHeader.get_by_id(no)
    assert header.salesperson_code == "AH"
    line_salespeople = {
        line.salesperson_code
        for line in SegmentLine.select().where(SegmentLine.segment == no)
    }
    assert line_salespeople == {"AH"}


async def test_escape_leaves_log_dialog(world) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LogDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert LoggedSegment.select().count() == 0
    assert SegmentHeader.get_or_none(SegmentHeader.no == no) is not None


async def test_emptied_output_folder_shows_default(world) -> None:
    no = make_segment(contacts="IND1|IND2")
    segmentation.update_header(no, {"salesperson": "AH"}, user="tester")
    default = default_output_folder(no)
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("l")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LogDialog)
        folder = dialog.query_one("#output", Input)
        assert folder.value == str(default)
        await pilot.press("tab", "tab")
        assert pilot.app.focused is folder
        await pilot.press("ctrl+u")
        await settle(pilot)
        # The emptied field shows the folder the letters go to.
        assert folder.value == ""
        assert folder.placeholder == str(default)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=10)
        screen = pilot.app.screen
        assert isinstance(screen, LoggedSegmentScreen), visible_text(pilot)
        assert f"2 letters written to {default}." in screen.message
    assert len(list(default.glob("*.docx"))) >= 2


async def test_log_problems_listed_in_dialog(world) -> None:
    """IND3 has no salesperson, and the header has none: the dialog names the line."""
    no = make_segment(contacts="IND3")
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, LogDialog)
        text = visible_text(pilot)
        assert "was not logged" in text
        assert "contact IND3 [bold]x: no salesperson" in text
        # The dialog says where the problems are fixed.
        assert "e edits the header" in text
    assert LoggedSegment.select().count() == 0
    assert SegmentLine.select().where(SegmentLine.segment == no).count() == 1


async def test_delete_segment_asks_first(world) -> None:
    no = make_segment(description="[/b] Aktion")
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert table_rows(pilot, "#segments")[0][1] == "[/b] Aktion"
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert f"Delete segment {no} [/b] Aktion" in visible_text(pilot)
        # No is the default: Enter keeps the segment.
        await pilot.press("enter")
        await settle(pilot)
        assert SegmentHeader.get_or_none(SegmentHeader.no == no) is not None
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert table_rows(pilot, "#segments") == []
    assert SegmentHeader.get_or_none(SegmentHeader.no == no) is None


async def test_insert_unknown_contact_explains(world) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "NOPE1")
        await pilot.press("enter")
        await settle(pilot)
        # The dialog stays open with the message and the typed number, to correct it.
        assert isinstance(pilot.app.screen, InsertLineDialog)
        assert "'NOPE1' does not exist" in visible_text(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "co2p1")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        assert len(table_rows(pilot, "#lines")) == 4
    contacts = {
        line.contact_no
        for line in SegmentLine.select().where(SegmentLine.segment == no)
    }
    assert "CO2P1" in contacts


async def test_privacy_blocked_insert_refused(world) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "CO1P3")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, InsertLineDialog)
        assert "CO1P3 Paul Schmidt is privacy blocked" in visible_text(pilot)
    assert SegmentLine.select().where(SegmentLine.segment == no).count() == 3


async def test_invalid_filter_shows_position(world) -> None:
    make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AddContactsScreen)
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        await type_text(pilot, "DE|[")
        await pilot.pause(0.5)
        await settle(pilot)
        text = visible_text(pilot)
        assert "'country=DE|[' at position 4" in text
        # Applying anyway adds nothing and keeps the screen open with the message.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AddContactsScreen)


async def test_escape_on_update_question_saves_nothing(world) -> None:
    no = make_segment()
    before = SegmentHeader.get_by_id(no).__data__.copy()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        # Back in the header form, nothing saved; Escape again leaves it.
        assert isinstance(pilot.app.screen, HeaderDialog)
        await pilot.press("escape")
        await settle(pilot)
    assert SegmentHeader.get_by_id(no).__data__ == before


async def test_header_numbers_checked_together(world) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("ctrl+u")
        dialog = pilot.app.screen
        dialog.query_one("#unit_cost").value = "NaN"
        dialog.query_one("#unit_duration").value = "-5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = visible_text(pilot)
        assert "A segment needs a description" in text
        assert "Unit cost 'NaN' is not a number" in text
        assert "Duration is -5; it cannot be negative" in text
        assert "InvalidOperation" not in text
        assert isinstance(pilot.app.screen, HeaderDialog)
    assert SegmentHeader.get_by_id(no).description == "Herbst"


async def test_long_problem_list_keeps_buttons(world) -> None:
    """Thirty lines without a salesperson: the list scrolls, the buttons stay on screen."""
    from segtui.models import Contact

    # One contact has a salesperson, so the problem is listed for each other line.
    for index in range(31):
        salesperson = "AH" if index == 0 else None
        Contact.create(
            no=f"X{index:03d}",
            name=f"Person {index}",
            language="EN",
            salesperson=salesperson,
        )
    make_segment(contacts="X*")
    for size in ((80, 24), (200, 60)):
        async with SegtuiApp(user="tester").run_test(size=size) as pilot:
            await open_first_segment(pilot)
            await pilot.press("l")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot, rounds=5)
            dialog = pilot.app.screen
            assert isinstance(dialog, LogDialog)
            body = dialog.query_one("#dialog-body")
            for button_id in ("#save", "#cancel"):
                button = dialog.query_one(button_id)
                assert button.region.bottom <= size[1], (size, button_id)
                assert not body.region.overlaps(button.region), (size, button_id)
            assert body.max_scroll_y > 0 or size[1] == 60
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(pilot.app.screen, WorksheetScreen)


async def test_control_characters_shown_safely(world) -> None:
    segment = segmentation.create_segment("x\x1b[31mred\nline", user="tester")
    assert "\x1b" not in segment.description
    assert "\n" not in segment.description
    from segtui.models import Contact

    Contact.create(no="ESC1", name="Bad\x1b[2Jname", language="EN")
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "ESC1"}}, AddOptions(), user="tester"
    )
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert table_rows(pilot, "#segments")[0][1] == "x [31mred line"
        await pilot.press("enter")
        await settle(pilot)
        assert table_rows(pilot, "#lines")[0][1] == "Bad?[2Jname"


async def test_go_to_opens_areas(world) -> None:
    from segtui.ui.screens.logged import LoggedSegmentListScreen
    from segtui.ui.screens.menu import GoToDialog

    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(pilot.app.screen, GoToDialog)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)


async def test_header_summary_fits_width(world) -> None:
    """A long template description is cut, so the date stays on the first line."""
    InteractionTemplate.update(
        description="Product catalogue letter for the autumn season"
    ).where(InteractionTemplate.code == "LETTER").execute()
    make_segment()
    for width in (80, 120):
        async with SegtuiApp(user="tester").run_test(size=(width, 24)) as pilot:
            await open_first_segment(pilot)
            summary = pilot.app.screen.query_one("#header-summary", Static)
            assert summary.region.height == 2
            first_line = str(summary.render()).splitlines()[0]
            assert first_line.endswith(pilot.app.screen.data.header.date.isoformat())
            assert "LETTER Product catalo" in first_line


async def test_logged_status_shown_whole(world) -> None:
    """A state with thousands of open letters widens its column at 80 columns."""
    summary = LoggedSegmentSummary(
        entry_no=7,
        segment_no="SEG00007",
        description="Autumn letters to every customer",
        created_at=datetime(2026, 12, 4, 9, 30),
        user_id="tester",
        interactions=95967,
        canceled=False,
        unfinished=88667,
    )
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LoggedSegmentListScreen)
        screen.show([summary])
        await pilot.pause()
        table = screen.query_one("#logged", DataTable)
        assert table.columns[ColumnKey("status")].width >= len("88,667 open")
        assert table.columns[ColumnKey("interactions")].width >= len("95,967")
