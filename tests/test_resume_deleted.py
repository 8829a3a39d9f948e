"""A screen that shows one record closes itself when the user returns to it and the
record was deleted on a screen above it."""

from __future__ import annotations

from segtui.domain import segmentation
from segtui.models import Contact, LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contact_card import ContactCardScreen
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.logged import LoggedSegmentListScreen, LoggedSegmentScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.conftest import TEST_USER
from tests.test_cancel_logged import add_logged
from tests.test_tui_screens import make_segment, open_first_segment
from tests.tui_helpers import settle


def notification_texts(app: SegtuiApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_logged_segment_closes_after_delete(world) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, rounds=5)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, rounds=5)
        assert not LoggedSegment.select().exists()
        await pilot.press("escape")
        await settle(pilot, rounds=5)
        assert not isinstance(pilot.app.screen, LoggedSegmentScreen)
        assert not any(
            isinstance(screen, LoggedSegmentScreen) for screen in pilot.app.screen_stack
        )
        assert f"Logged segment {logged_no} was deleted." in notification_texts(
            pilot.app
        )


async def test_logged_segment_stays_when_kept(world) -> None:
    logged_no = add_logged(["IND1"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, LoggedSegmentScreen)


async def test_worksheet_closes_after_delete(world) -> None:
    no = make_segment()
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
        # Deleted while the worksheet is covered, as another screen or user can.
        segmentation.delete_segment(no, user="tester")
        await pilot.press("escape")
        await settle(pilot, rounds=5)
        assert not any(
            isinstance(screen, WorksheetScreen) for screen in pilot.app.screen_stack
        )
        assert f"Segment {no} was deleted." in notification_texts(pilot.app)


async def test_contact_card_closes_after_delete(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactCardScreen("IND1"))
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentListScreen)
        Contact.delete().where(Contact.no == "IND1").execute()
        await pilot.press("escape")
        await settle(pilot, rounds=5)
        assert not any(
            isinstance(screen, ContactCardScreen) for screen in pilot.app.screen_stack
        )
        assert "Contact IND1 was deleted." in notification_texts(pilot.app)


async def test_dialog_close_keeps_screen(world) -> None:
    """A dialog closing does not check the record: its own result decides."""
    logged_no = add_logged(["IND1"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = LoggedSegmentScreen(logged_no)
        pilot.app.push_screen(screen)
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert not screen.covered_by_full_screen
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
