"""Editing a line in the TUI, conflicts with another user, and what a viewer sees."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from segtui.domain import line_editing, segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.models import Role, SegmentHeader, SegmentLine, UserSetup
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.line_dialog import LineDialog
from segtui.ui.screens.segments import SegmentListScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.conftest import TEST_USER
from tests.tui_helpers import settle, type_text


def make_segment() -> str:
    segment = segmentation.create_segment(
        "Lines", user=TEST_USER, template_code="LETTER"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "IND1|IND2"}}, AddOptions(), user=TEST_USER
    )
    return segment.no


def footer_keys(pilot: Pilot[Any]) -> set[str]:
    """Return the actions whose keys the current screen offers."""
    screen = pilot.app.screen
    return {
        active.binding.action
        for active in screen.active_bindings.values()
        if active.enabled
    }


async def open_worksheet(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WorksheetScreen)


async def test_edit_line_note_by_keys(world) -> None:
    no = make_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_worksheet(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LineDialog)
        dialog.query_one("#personal_note", TextArea).focus()
        await type_text(pilot, "Danke für Ihren Besuch!")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    line = SegmentLine.get((SegmentLine.segment == no) & (SegmentLine.line_no == 10000))
    assert line.personal_note == "Danke für Ihren Besuch!"
    assert line.version == 2
    assert line.modified_by == TEST_USER


async def test_line_conflict_offers_reload(world) -> None:
    no = make_segment()
    UserSetup.create(user_id="anna", role=Role.MARKETER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_worksheet(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LineDialog)
        # Anna saves the same line while the form is open.
        line_editing.update_line(no, 10000, {"evaluation": "positive"}, user="anna")
        subject = pilot.app.screen.query_one("#subject", Input)
        subject.focus()
        await type_text(pilot, " mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "changed by anna" in dialog.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    line = SegmentLine.get((SegmentLine.segment == no) & (SegmentLine.line_no == 10000))
    assert line.evaluation == "positive"
    assert not line.subject.endswith(" mine")
    assert line.modified_by == "anna"


async def test_viewer_sees_no_changes(world) -> None:
    no = make_segment()
    UserSetup.create(user_id="vera", role=Role.VIEWER)
    before = SegmentHeader.get_by_id(no).__data__.copy()
    async with SegtuiApp(user="vera").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, SegmentListScreen)
        keys = footer_keys(pilot)
        assert "refresh" in keys
        assert "new" not in keys
        assert "delete" not in keys
        await pilot.press("n", "d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SegmentListScreen)

        await open_worksheet(pilot)
        keys = footer_keys(pilot)
        for action in ("log", "edit_header", "insert_line", "delete_line", "go_back"):
            assert action not in keys, action
        assert "criteria_list" in keys
        await pilot.press("l", "e", "i", "d", "a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert SegmentHeader.get_by_id(no).__data__ == before
    assert SegmentLine.select().where(SegmentLine.segment == no).count() == 2
