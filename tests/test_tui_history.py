"""Logged segments and the interaction history through Pilot at 80x24."""

from __future__ import annotations

from textual.widgets import Static

from segtui.domain.logged_segments import follow_up_segments
from segtui.models import (
    InteractionLogEntry,
    LoggedSegment,
    Role,
    SegmentHeader,
    UserSetup,
)
from segtui.ui.app import SegtuiApp
from segtui.ui.catalog import binding_classes
from segtui.ui.keys import split_keys
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.history import EntryFilterDialog, InteractionHistoryScreen
from segtui.ui.screens.logged import LoggedSegmentListScreen, LoggedSegmentScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.conftest import TEST_USER
from tests.test_cancel_logged import add_logged
from tests.tui_helpers import settle, table_rows


def rendered(widget: Static) -> str:
    content = widget.render()
    return getattr(content, "plain", str(content))


async def test_cancel_several_with_one_question(world) -> None:
    add_logged(["IND1", "IND2"])
    second = add_logged(["CO1P1"])
    third = add_logged(["CO2P1"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
        # Newest first: third, second, first. Mark the first two rows.
        await pilot.press("m", "m")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        # Escape leaves everything as it was.
        await pilot.press("escape")
        await settle(pilot)
        assert not LoggedSegment.select().where(LoggedSegment.canceled == True).exists()  # noqa: E712
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        canceled = {
            logged.entry_no
            for logged in LoggedSegment.select().where(LoggedSegment.canceled == True)  # noqa: E712
        }
        assert canceled == {second, third}
        rows = table_rows(pilot, "#logged")
        assert [row[6] for row in rows] == ["canceled", "canceled", "done"]
        assert [row[5].strip() for row in rows] == ["0", "0", "2"]
        assert not InteractionLogEntry.get(
            InteractionLogEntry.contact_no == "IND1"
        ).canceled


async def test_logged_screen_chart_and_uncancel(world) -> None:
    logged_no = add_logged(["IND1", "IND2"], cost="2.00")
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        totals = rendered(pilot.app.screen.query_one("#totals", Static))
        assert "Interactions: 2" in totals
        assert "Cost: 4.00" in totals
        await pilot.press("X")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, rounds=5)
        totals = rendered(pilot.app.screen.query_one("#totals", Static))
        assert "Interactions: 0" in totals
        assert "(+2 canceled)" in totals
        assert [row[4] for row in table_rows(pilot, "#entries")] == ["canceled"] * 2
        # A single entry cannot be un-canceled while its logged segment is.
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentScreen)
        assert (
            InteractionLogEntry.select()
            .where(InteractionLogEntry.canceled == True)  # noqa: E712
            .count()
            == 2
        )
        await pilot.press("U")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, rounds=5)
        assert not LoggedSegment.get_by_id(logged_no).canceled
        totals = rendered(pilot.app.screen.query_one("#totals", Static))
        assert "Interactions: 2" in totals


async def test_delete_canceled_only_for_admin(world) -> None:
    from segtui.domain.users import role_of

    kept = add_logged(["IND1"])
    gone = add_logged(["IND2"])
    LoggedSegment.update(canceled=True).where(LoggedSegment.entry_no == gone).execute()
    InteractionLogEntry.update(canceled=True).where(
        InteractionLogEntry.logged_segment == gone
    ).execute()
    role_of(TEST_USER)
    UserSetup.create(user_id="marketer", role=Role.MARKETER)
    async with SegtuiApp(user="marketer").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
    assert LoggedSegment.select().count() == 2
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        # ctrl+d pages down in long lists, so it must not start deleting here.
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert pilot.app.screen.question.startswith(
            "Delete 1 canceled logged segment and 1 canceled interaction log entry "
        )
        await pilot.press("y")
        await settle(pilot)
    assert [logged.entry_no for logged in LoggedSegment.select()] == [kept]
    assert [entry.contact_no for entry in InteractionLogEntry.select()] == ["IND1"]


def test_screens_leave_page_keys_free() -> None:
    """No screen or dialog takes ctrl+u or ctrl+d, which page through long lists,
    for another action than paging."""
    page_keys = {"ctrl+u", "ctrl+d"}
    checked = 0
    for cls in binding_classes():
        for binding in cls.__dict__["BINDINGS"]:
            checked += 1
            if binding.action in ("scroll_page_up", "scroll_page_down"):
                continue
            taken = page_keys & set(split_keys(binding.key))
            assert not taken, (cls.__qualname__, binding.id, taken)
    assert checked > 50


async def test_palette_shows_delete_canceled_key(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        commands = {
            command.title: command.help
            for command in pilot.app.get_system_commands(pilot.app.screen)
        }
    title = "Logged segments: Delete canceled"
    assert title in commands
    assert commands[title].endswith("(d)")


async def test_follow_up_asks_when_one_exists(world) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        # The first follow-up segment: the question's default is Yes.
        await pilot.press("f")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "already" not in dialog.question
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        first = pilot.app.screen.segment_no
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)

        # A second one: the question names the first, and its default is No.
        await pilot.press("f")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        notice = f"Logged segment {logged_no} has a follow-up segment already: {first}."
        assert dialog.question.startswith(notice)
        assert dialog.question.endswith("Create another segment with its contacts?")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
        assert [segment.no for segment in SegmentHeader.select()] == [first]

        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        second = pilot.app.screen.segment_no
    assert second != first
    assert follow_up_segments(logged_no) == [first, second]


async def test_history_filter_dialog(world) -> None:
    add_logged(["IND1", "IND2"])
    add_logged(["CO1P1"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(InteractionHistoryScreen())
        await settle(pilot)
        assert len(table_rows(pilot, "#entries")) == 3
        await pilot.press("f")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, EntryFilterDialog)
        for character in "IND1|CO1P1":
            await pilot.press(character)
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = table_rows(pilot, "#entries")
        assert sorted(row[2] for row in rows) == ["CO1P1", "IND1"]
        status = rendered(pilot.app.screen.query_one("#list-status", Static))
        assert "contact no.=IND1|CO1P1" in status
        # An invalid filter keeps the dialog open with the reason.
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("tab", "tab")
        for character in "31.12.":
            await pilot.press(character)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EntryFilterDialog)
        error = rendered(pilot.app.screen.query_one("#error", Static))
        assert "not a date" in error
        await pilot.press("escape")
        await settle(pilot)
        assert len(table_rows(pilot, "#entries")) == 2


async def test_history_rereads_after_delete(world) -> None:
    """A list under the logged segments shows no rows that were deleted there."""
    add_logged(["IND1", "IND2"])
    add_logged(["CO1P1"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(InteractionHistoryScreen())
        await settle(pilot)
        assert len(table_rows(pilot, "#entries")) == 3
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
        # Newest first: cancel the segment of CO1P1, then delete canceled ones.
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, rounds=5)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, rounds=5)
        assert LoggedSegment.select().count() == 1
        await pilot.press("escape")
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, InteractionHistoryScreen)
        rows = table_rows(pilot, "#entries")
        assert sorted(row[2] for row in rows) == ["IND1", "IND2"]
