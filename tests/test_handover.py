"""Handing a letter to the user: a browser download under serve, a folder otherwise."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from textual.app import App
from textual.widgets import ProgressBar

from segtui.domain import delivery
from segtui.ui.app import SegtuiApp
from segtui.ui.handover import hand_over_file
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.send_dialog import SendAgainDialog
from tests.conftest import TEST_USER
from tests.test_cancel_logged import entries_of, log_world_segment
from tests.tui_helpers import settle


class BrowserApp(App[None]):
    """An app that reports running in a browser, as under textual-serve."""

    @property
    def is_web(self) -> bool:
        return True


def notification_texts(app: App[Any]) -> list[str]:
    return [notification.message for notification in app._notifications]


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letters" / "SEG00001" / "CT000001.docx"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 not a real letter")
    return path


async def test_terminal_names_folder(letter: Path) -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        key = hand_over_file(app, letter)
        await pilot.pause()

        assert key is None
        assert notification_texts(app) == [
            f"CT000001.docx is in the folder {letter.parent}"
        ]


async def test_browser_gets_download(
    letter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = BrowserApp()
    async with app.run_test() as pilot:
        sent: list[dict[str, Any]] = []

        def record(binary: Any, **options: Any) -> None:
            sent.append({"content": binary.read(), **options})
            binary.close()

        # This replaces the driver's method, which under textual-serve streams the
        # file to the browser.
        monkeypatch.setattr(app._driver, "deliver_binary", record)
        key = hand_over_file(app, letter)
        await pilot.pause()

        assert key is not None
        assert len(sent) == 1
        assert sent[0]["delivery_key"] == key
        assert sent[0]["content"] == letter.read_bytes()
        assert sent[0]["save_path"].name == "CT000001.docx"
        assert sent[0]["open_method"] == "download"
        assert notification_texts(app) == []


async def test_browser_missing_file_notifies(tmp_path: Path) -> None:
    app = BrowserApp()
    async with app.run_test() as pilot:
        key = hand_over_file(app, tmp_path / "gone.docx")
        await pilot.pause()

        assert key is None
        [message] = notification_texts(app)
        assert message.startswith("Failed to send gone.docx to the browser: ")
        assert "No such file" in message


class BrowserSegtui(SegtuiApp):
    """segtui as textual-serve runs it: in a browser."""

    @property
    def is_web(self) -> bool:
        return True


async def test_saved_letter_downloads_in_browser(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    first = entries_of(logged_no)[0]
    app = BrowserSegtui(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        sent: list[dict[str, Any]] = []

        def record(binary: Any, **options: Any) -> None:
            sent.append({"content": binary.read(), **options})
            binary.close()

        monkeypatch.setattr(app._driver, "deliver_binary", record)
        app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        # The browser user is asked for no server path: w sends the letter at once.
        await pilot.press("w")
        await settle(pilot, rounds=6)

        assert [type(screen) for screen in app.screen_stack][-1] is LoggedSegmentScreen
        assert len(sent) == 1
        assert sent[0]["save_path"].name == f"entry-{first.entry_no}.docx"
        letter = Document(io.BytesIO(sent[0]["content"]))
        text = "\n".join(paragraph.text for paragraph in letter.paragraphs)
        assert first.contact_name in text


@pytest.mark.parametrize("key", ["s", "e"])
async def test_send_refused_while_sending(world, tmp_path: Path, key: str) -> None:
    """Send again and Send entries tell the user while the letters are being sent."""
    logged_no = log_world_segment(tmp_path / "letters")
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        with delivery._resending(logged_no):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, LoggedSegmentScreen)
        assert any(
            "being sent again already" in text for text in notification_texts(app)
        )


async def test_send_again_shows_progress_and_stops(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Send again runs in a dialog with a progress bar, and Esc there stops it."""
    logged_no = log_world_segment(tmp_path / "letters")
    for entry in entries_of(logged_no):
        Path(entry.document_path).unlink()
    release = threading.Event()
    stopped: list[bool] = []
    deliver = delivery.deliver_logged_segment

    def held_deliver(*args: Any, **kwargs: Any) -> delivery.DeliveryReport:
        kwargs["progress"](0, 2)
        assert release.wait(10)
        stopped.append(kwargs["cancel"].is_set())
        return deliver(*args, **kwargs)

    monkeypatch.setattr(delivery, "deliver_logged_segment", held_deliver)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SendAgainDialog)
        assert dialog.query_one(ProgressBar).total == 2
        await pilot.press("escape")
        await pilot.pause()
        assert dialog.cancel_event.is_set()
        assert app.screen is dialog
        release.set()
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, LoggedSegmentScreen)
    assert stopped == [True]


async def test_send_again_question_without_delivery(world, tmp_path: Path) -> None:
    """Send again on a segment logged without delivery offers to write the
    letters only, and tells that no email goes out."""
    from segtui.ui.screens.dialogs import ConfirmDialog

    logged_no = log_world_segment(tmp_path / "letters")
    for entry in entries_of(logged_no):
        Path(entry.document_path).unlink()
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        written = len(entries_of(logged_no))
        assert dialog.question.splitlines() == [
            f"Write {written} letters of this logged segment?",
            f"{written} were written, but their files were deleted.",
            f"{written} were logged without delivery, so they are only written.",
        ]
