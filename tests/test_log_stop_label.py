"""The log dialog names Esc Stop letters before the first letter is started."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button

from segtui.domain import documents, segmentation
from segtui.models import InteractionLogEntry, LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.segment_dialogs import LogDialog
from tests.conftest import TEST_USER
from tests.test_dialog_keys import wait_until
from tests.test_layout import footer_line
from tests.test_tui_screens import make_segment, open_first_segment
from tests.tui_helpers import press_settled, settle


async def test_log_button_reads_stop_at_first_letter(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the first letter is merged, the button reads Stop letters; Esc stops.

    The first letter is held until the test releases it, so the label is read
    before any letter is done, and Esc then keeps the second one from starting.
    """
    no = make_segment(contacts="IND1|IND2")
    segmentation.update_header(no, {"salesperson": "AH"}, user=TEST_USER)
    original = documents.render_letter
    started = threading.Event()
    release = threading.Event()
    rendered: list[int] = []

    def held_render(*args: Any, **kwargs: Any) -> bytes:
        rendered.append(1)
        started.set()
        release.wait(timeout=20)
        return original(*args, **kwargs)

    monkeypatch.setattr(documents, "render_letter", held_render)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await press_settled(pilot, "l")
        dialog = pilot.app.screen
        assert isinstance(dialog, LogDialog)
        cancel = dialog.query_one("#cancel", Button)
        try:
            await pilot.press("ctrl+s")
            assert await wait_until(pilot, started.is_set)
            await pilot.pause()
            assert str(cancel.label) == "Stop letters (Esc)"
            assert "Esc Stop letters" in footer_line(dialog)
            await pilot.press("escape")
            assert await wait_until(pilot, dialog.cancel_event.is_set)
        finally:
            release.set()
        await settle(pilot, rounds=5)
        assert pilot.app.screen is not dialog

    assert LoggedSegment.select().count() == 1
    entries = list(InteractionLogEntry.select())
    assert len(entries) == 2
    assert rendered == [1]
    written = [Path(entry.document_path) for entry in entries if entry.document_path]
    assert len(written) == 1
    assert written[0].exists()
    assert sorted(written[0].parent.glob("*.docx")) == written
