"""The notification after logging at 80x24: the letters' folder on lines of its own,
broken after a "/" and with the home folder as "~", never inside a name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from segtui import paths
from segtui.domain import segmentation
from segtui.domain.delivery import DeliveryReport
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.segment_dialogs import LogDialog
from tests.test_state_words import screen_lines
from tests.test_tui_screens import make_segment, open_first_segment
from tests.tui_helpers import settle


def toast_lines(pilot: Pilot[Any]) -> list[str]:
    """Return the lines of text drawn inside the one toast on screen."""
    toasts = list(pilot.app.screen.query(Toast))
    assert len(toasts) == 1
    region = toasts[0].content_region
    lines = screen_lines(pilot)[region.y : region.bottom]
    return [line[region.x : region.right].rstrip() for line in lines]


async def test_log_toast_folder_lines(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path / "segtui data for letters")
    no = make_segment(contacts="IND1|IND2")
    segmentation.update_header(no, {"salesperson": "AH"}, user="tester")
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_first_segment(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LogDialog)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=10)
        assert isinstance(pilot.app.screen, LoggedSegmentScreen)
        lines = toast_lines(pilot)
    folder_at = lines.index("2 letters written to the folder:")
    # The toast has 37 columns of text, fewer than the folder's 42.
    assert lines[folder_at + 1] == "~/segtui data for letters/letters/"
    assert lines[folder_at + 2] == no


def test_shown_folder_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from segtui.ui.toast_text import shown_folder

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert shown_folder(tmp_path / "home" / "letters") == "~/letters"
    assert shown_folder(tmp_path / "home") == "~"
    assert shown_folder(Path("/srv/letters")) == "/srv/letters"


@pytest.mark.parametrize(
    ("path", "width", "expected"),
    [
        ("~/letters/SEG00001", 37, ["~/letters/SEG00001"]),
        ("/home/demo/letters/SEG00001", 12, ["/home/demo/", "letters/", "SEG00001"]),
        ("/a/averyveryverylongname/b", 8, ["/a/", "averyver", "yverylon", "gname/b"]),
        # Wide characters take two cells each.
        ("/ä/日本語の長い名前/", 6, ["/ä/", "日本語", "の長い", "名前/"]),
    ],
)
def test_path_lines_cases(path: str, width: int, expected: list[str]) -> None:
    from segtui.ui.toast_text import path_lines

    assert path_lines(path, width) == expected


def test_report_toast_keeps_other_lines(tmp_path: Path) -> None:
    from segtui.ui.toast_text import report_toast_lines

    folder = tmp_path / "letters"
    report = DeliveryReport(letters=[folder / "a.docx"], sent=2)
    lines = report_toast_lines(report, folder, 200)
    assert lines == [
        "1 letter written to the folder:",
        str(folder),
        "2 emails sent.",
    ]
