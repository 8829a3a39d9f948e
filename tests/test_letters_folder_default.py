"""The letters folder offered by default is free, also when the segment number repeats.

A segment number is used again after a second `segtui demo`, after a segment is
deleted and created again, or by two databases sharing one user data folder. Its
folder ``letters/SEGMENT_NO`` then contains the letters of the earlier log, and the
next free one of ``letters/SEGMENT_NO-2``, ``-3`` and so on is offered instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from segtui import paths
from segtui.domain import segmentation
from segtui.domain.delivery import letters_folder
from segtui.domain.errors import ValidationError
from segtui.domain.segment_logging import (
    LogOptions,
    default_output_folder,
    log_segment,
)
from segtui.models import InteractionLogEntry, LoggedSegment, SegmentHeader
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.segment_dialogs import LogDialog
from tests.test_tui_screens import make_segment, open_first_segment, visible_text
from tests.tui_helpers import settle

EARLIER_LETTER = "CT000001 Earlier log.docx"


def segment_folder(no: str, number: int = 1) -> Path:
    """Return the ``number``-th letters folder offered for segment ``no``."""
    name = no if number == 1 else f"{no}-{number}"
    return paths.default_letters_dir() / name


def earlier_letters(folder: Path) -> Path:
    """Put one letter of an earlier log into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    letter = folder / EARLIER_LETTER
    letter.write_bytes(b"earlier letter")
    return letter


def letter_segment() -> str:
    """Return a new segment of two hard-copy letters that logs without problems."""
    no = make_segment(contacts="IND1|IND2")
    segmentation.update_header(no, {"salesperson": "AH"}, user="tester")
    return no


def test_default_folder_is_first_free(world) -> None:
    no = "SEG00001"
    first = paths.default_letters_dir() / no
    assert default_output_folder(no) == first

    earlier_letters(first)
    assert default_output_folder(no) == paths.default_letters_dir() / "SEG00001-2"

    earlier_letters(paths.default_letters_dir() / "SEG00001-2")
    assert default_output_folder(no) == paths.default_letters_dir() / "SEG00001-3"


def test_log_without_folder_takes_next_free(world) -> None:
    no = letter_segment()
    earlier = earlier_letters(segment_folder(no))

    result = log_segment(no, LogOptions(), user="tester")

    expected = segment_folder(no, 2).resolve()
    assert result.output_folder == expected
    assert result.delivery.error == ""
    assert len(list(expected.glob("*.docx"))) >= 2
    assert sorted(path.name for path in earlier.parent.iterdir()) == [EARLIER_LETTER]
    assert earlier.read_bytes() == b"earlier letter"


def test_given_folder_with_letters_rejected(world) -> None:
    no = letter_segment()
    folder = segment_folder(no)
    earlier_letters(folder)

    with pytest.raises(ValidationError) as raised:
        log_segment(no, LogOptions(output_folder=folder), user="tester")

    problems = [str(problem) for problem in raised.value.problems]
    assert any("already contains letters" in text for text in problems), problems
    assert LoggedSegment.select().count() == 0
    assert SegmentHeader.get_or_none(SegmentHeader.no == no) is not None
    assert sorted(path.name for path in folder.iterdir()) == [EARLIER_LETTER]


def test_failed_log_leaves_no_folder(world) -> None:
    no = make_segment(contacts="IND3")
    folder = segment_folder(no)

    with pytest.raises(ValidationError):
        log_segment(no, LogOptions(), user="tester")

    assert not folder.exists()


def test_resend_folder_without_letters_is_free(world, tmp_path: Path) -> None:
    """A logged segment none of whose letters was written is sent to a free folder."""
    no = letter_segment()
    result = log_segment(
        no, LogOptions(output_folder=tmp_path / "elsewhere"), user="tester"
    )
    InteractionLogEntry.update(document_path="").execute()
    earlier_letters(segment_folder(no))

    assert letters_folder(result.logged_segment_no) == segment_folder(no, 2)


# The log dialog.


async def test_log_dialog_offers_next_free(world) -> None:
    no = letter_segment()
    earlier = earlier_letters(segment_folder(no))
    expected = segment_folder(no, 2)
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("l")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LogDialog)
        folder = dialog.query_one("#output", Input)
        assert folder.value == str(expected)
        assert folder.placeholder == str(expected)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=10)
        screen = pilot.app.screen
        assert isinstance(screen, LoggedSegmentScreen), visible_text(pilot)
        assert f"2 letters written to {expected}." in screen.message
    assert len(list(expected.glob("*.docx"))) == 3
    assert sorted(path.name for path in earlier.parent.iterdir()) == [EARLIER_LETTER]


async def test_log_dialog_offer_taken_meanwhile(world) -> None:
    """Another log takes the offered folder while the dialog is open: the next one."""
    no = letter_segment()
    offered = segment_folder(no)
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("l")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LogDialog)
        assert dialog.query_one("#output", Input).value == str(offered)
        earlier_letters(offered)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=10)
        screen = pilot.app.screen
        assert isinstance(screen, LoggedSegmentScreen), visible_text(pilot)
        expected = segment_folder(no, 2)
        assert f"2 letters written to {expected}." in screen.message
    assert sorted(path.name for path in offered.iterdir()) == [EARLIER_LETTER]


async def test_log_dialog_rejects_typed_used_folder(world, tmp_path: Path) -> None:
    letter_segment()
    typed = tmp_path / "typed"
    earlier_letters(typed)
    async with SegtuiApp(user="tester").run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await pilot.press("l")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LogDialog)
        dialog.query_one("#output", Input).value = str(typed)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=10)
        assert isinstance(pilot.app.screen, LogDialog)
        assert "already contains letters" in visible_text(pilot)
    assert LoggedSegment.select().count() == 0
    assert sorted(path.name for path in typed.iterdir()) == [EARLIER_LETTER]


# The command line.


def run_segtui(database: Path | str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "segtui", "--db", str(database), *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
        timeout=120,
    )


def new_letter_segment(database: Path | str) -> str:
    """Create a segment of three hard-copy letters with the command line."""
    created = run_segtui(
        database,
        "segment",
        "new",
        "--description",
        "Folder test",
        "--template",
        "LETTER",
        "--salesperson",
        "JO",
    )
    assert created.returncode == 0, created.stderr
    no = created.stdout.strip()
    added = run_segtui(
        database, "segment", "add", no, "--filter", "no=CT000001..CT000003"
    )
    assert added.returncode == 0, added.stderr
    return no


def test_cli_log_takes_next_free(sample_database_path: Path | str) -> None:
    no = new_letter_segment(sample_database_path)
    earlier = earlier_letters(segment_folder(no))

    logged = run_segtui(sample_database_path, "segment", "log", no)

    assert logged.returncode == 0, logged.stderr
    expected = segment_folder(no, 2)
    assert f"written to {expected}" in logged.stderr
    assert len(list(expected.glob("CT*.docx"))) == 3
    assert sorted(path.name for path in earlier.parent.iterdir()) == [EARLIER_LETTER]


def test_cli_log_rejects_used_output(sample_database_path: Path | str) -> None:
    no = new_letter_segment(sample_database_path)
    folder = segment_folder(no)
    earlier_letters(folder)

    logged = run_segtui(
        sample_database_path, "segment", "log", no, "--output", str(folder)
    )

    assert logged.returncode == 1
    assert "already contains letters" in logged.stderr
    assert logged.stdout == ""
    assert sorted(path.name for path in folder.iterdir()) == [EARLIER_LETTER]


@pytest.mark.sqlite_only
def test_demo_twice_logs_both(tmp_path: Path) -> None:
    """Two demo databases, one after the other, each log their first segment."""
    demo = paths.demo_database_path()
    build_demo = (
        "import sys; from pathlib import Path; "
        "from segtui.cli import create_demo_database; "
        "from segtui.domain.users import current_user; "
        "create_demo_database(Path(sys.argv[1]), current_user())"
    )
    folders = []
    for run in range(2):
        built = subprocess.run(
            [sys.executable, "-c", build_demo, str(demo)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert built.returncode == 0, built.stderr
        no = new_letter_segment(demo)
        logged = run_segtui(demo, "segment", "log", no)
        assert logged.returncode == 0, (run, logged.stderr)
        folders.append((no, sorted(paths.default_letters_dir().iterdir())))

    (first_no, first_folders), (second_no, second_folders) = folders
    assert first_no == second_no
    assert first_folders == [segment_folder(first_no)]
    assert second_folders == [
        segment_folder(first_no),
        segment_folder(first_no, 2),
    ]
    for folder in second_folders:
        assert len(list(folder.glob("CT*.docx"))) == 3, folder
