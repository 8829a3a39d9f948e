"""Notification timeouts by severity, and toasts that give way to the next screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import Database
from textual.widgets._toast import Toast

from segtui.ui.app import SegtuiApp
from segtui.ui.notices import NOTICE_SECONDS
from segtui.ui.screens.criteria import ReduceContactsScreen
from segtui.ui.screens.menu import GoToDialog
from tests.builders import World
from tests.test_keymap_notices import NOISY_KEYMAP
from tests.test_keys import write_keymap
from tests.test_layout import build_screens_world, keys
from tests.tui_helpers import settle


@pytest.fixture
def screens_world(database: Database, tmp_path: Path) -> World:
    return build_screens_world(tmp_path / "letters")


def toast_texts(app: SegtuiApp) -> list[str]:
    """Return the messages of the toasts drawn on the current screen."""
    return [toast._notification.message for toast in app.screen.query(Toast)]


async def test_timeouts_by_severity(screens_world: World) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.notify("Saved.")
        app.notify("Check the date.", severity="warning")
        app.notify("Writing failed.", severity="error")
        app.notify("Copied the path.", timeout=10)
        await settle(pilot)
        timeouts = {
            notification.message: notification.timeout
            for notification in app._notifications
        }
        assert timeouts["Saved."] == 4
        assert timeouts["Check the date."] == 8
        assert timeouts["Writing failed."] == 12
        assert timeouts["Copied the path."] == 10
        assert NOTICE_SECONDS["information"] < NOTICE_SECONDS["warning"]


async def test_info_toast_gone_when_reduce_opens(screens_world: World) -> None:
    """A confirmation such as "647 contacts added." leaves when the Reduce dialog
    opens, a full screen, so it does not cover the dialog's count. A warning stays."""
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await keys("enter")(pilot)
        app.notify("647 contacts added.")
        app.notify("The template has no letter.", severity="warning")
        await settle(pilot)
        assert "647 contacts added." in toast_texts(app)

        await keys("r")(pilot)
        assert isinstance(app.screen, ReduceContactsScreen)
        messages = [notification.message for notification in app._notifications]
        assert "647 contacts added." not in messages
        assert "647 contacts added." not in toast_texts(app)
        assert "The template has no letter." in toast_texts(app)


async def test_info_toast_gone_when_menu_opens(screens_world: World) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.notify("Segment SEG00003 deleted.")
        await settle(pilot)
        await keys("ctrl+g")(pilot)
        assert isinstance(app.screen, GoToDialog)
        assert toast_texts(app) == []


async def test_info_toast_after_push_stays(screens_world: World) -> None:
    """A notification sent as a screen opens, such as the log result over the
    logged segment, is shown on the new screen."""
    from segtui.ui.screens.templates import TemplateListScreen

    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.notify("Segment logged.")
        app.push_screen(TemplateListScreen())
        await settle(pilot)
        assert toast_texts(app) == ["Segment logged."]


async def test_keymap_warning_gives_way_to_menu(
    screens_world: World, tmp_path: Path
) -> None:
    """The keymap warning at start stays a moderate time and leaves when Ctrl+G
    opens the Go to menu, because segtui keys lists the warnings in full."""
    path = write_keymap(tmp_path / "keys.toml", *NOISY_KEYMAP)
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        [notice] = list(app._notifications)
        assert notice.severity == "warning"
        assert notice.timeout == NOTICE_SECONDS["warning"]
        assert len(toast_texts(app)) == 1

        await keys("ctrl+g")(pilot)
        assert isinstance(app.screen, GoToDialog)
        assert list(app._notifications) == []
        assert toast_texts(app) == []
