"""Claiming a letters folder: one log at a time writes into it.

A log claims its folder with a lock on the claim file in it. Other logs, of the
same database or of another one, pass that folder over or are rejected with a
message that names the folder.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from segtui import paths
from segtui.domain import segmentation
from segtui.domain.errors import ValidationError
from segtui.domain.letter_folders import (
    CLAIM_FILE_NAME,
    FolderInUseError,
    claim_folder,
)
from segtui.domain.segment_logging import (
    LogOptions,
    default_output_folder,
    log_segment,
)
from segtui.models import LoggedSegment
from tests.test_tui_screens import make_segment

EARLIER_LETTER = "CT000001 Earlier log.docx"


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


def test_default_folder_passes_claimed_and_files(world) -> None:
    no = "SEG00001"
    claim = claim_folder(paths.default_letters_dir() / no)
    a_file = paths.default_letters_dir() / "SEG00001-2"
    a_file.write_text("not a folder", encoding="utf-8")
    empty = paths.default_letters_dir() / "SEG00001-3"
    empty.mkdir()
    (empty / "notes.txt").write_text("no letters here", encoding="utf-8")

    assert default_output_folder(no) == empty
    claim.release()
    assert default_output_folder(no) == paths.default_letters_dir() / no


def test_given_claimed_folder_rejected(world, tmp_path: Path) -> None:
    no = letter_segment()
    folder = tmp_path / "shared"
    claim = claim_folder(folder)

    with pytest.raises(ValidationError) as raised:
        log_segment(no, LogOptions(output_folder=folder), user="tester")

    text = str(raised.value)
    assert "Another log is writing letters to the output folder" in text
    assert "log again when that log has ended" in text
    assert LoggedSegment.select().count() == 0
    assert (folder / CLAIM_FILE_NAME).exists()
    claim.release()


def test_claim_file_of_killed_log_ignored(world, tmp_path: Path) -> None:
    """A claim file whose lock is gone, as a killed log leaves it, claims nothing."""
    no = letter_segment()
    folder = tmp_path / "after kill"
    folder.mkdir()
    (folder / CLAIM_FILE_NAME).write_text("123\n", encoding="utf-8")

    result = log_segment(no, LogOptions(output_folder=folder), user="tester")

    assert result.output_folder == folder
    assert len(list(folder.glob("*.docx"))) == 3
    assert not (folder / CLAIM_FILE_NAME).exists()


def test_claim_in_other_process_rejected(tmp_path: Path) -> None:
    """The lock holds between processes, and ends with the process that held it."""
    folder = tmp_path / "SEG00001"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; "
            "from segtui.domain.letter_folders import claim_folder; "
            "claim_folder(Path(sys.argv[1])); print('claimed', flush=True); "
            "sys.stdin.read()",
            str(folder),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "claimed\n"
        with pytest.raises(FolderInUseError):
            claim_folder(folder)
    finally:
        holder.kill()
        holder.wait(timeout=30)

    # The killed process left its claim file, which the next claim takes over.
    assert (folder / CLAIM_FILE_NAME).exists()
    claim_folder(folder).release()
    assert list(folder.iterdir()) == []


def test_claim_held_until_released(tmp_path: Path) -> None:
    folder = tmp_path / "letters" / "SEG00001"
    claim = claim_folder(folder)
    assert (folder / CLAIM_FILE_NAME).exists()

    with pytest.raises(FolderInUseError) as raised:
        claim_folder(folder)
    assert str(folder) in raised.value.message
    assert "log again when that log has ended" in raised.value.message

    claim.release()
    assert not (tmp_path / "letters").exists()
    claim_folder(folder).release()


def test_claim_rejects_folder_with_letters(tmp_path: Path) -> None:
    folder = tmp_path / "SEG00001"
    earlier_letters(folder)

    with pytest.raises(FolderInUseError) as raised:
        claim_folder(folder)

    assert "already contains letters" in raised.value.message
    assert sorted(path.name for path in folder.iterdir()) == [EARLIER_LETTER]


def test_log_releases_its_claim(world) -> None:
    no = letter_segment()

    result = log_segment(no, LogOptions(), user="tester")

    assert result.output_folder == paths.segment_letters_dir(no).resolve()
    assert len(list(result.output_folder.glob("*.docx"))) == 3
    assert not (result.output_folder / CLAIM_FILE_NAME).exists()


def test_claimed_default_passed_over(world, monkeypatch) -> None:
    """Another log claims the chosen folder before this log does: the next one."""
    from segtui.domain import segment_logging

    no = letter_segment()
    first = paths.segment_letters_dir(no).resolve()
    other_claims = []

    def claim_first_elsewhere(folder: Path):
        if folder == first and not other_claims:
            other_claims.append(claim_folder(folder))
        return claim_folder(folder)

    monkeypatch.setattr(segment_logging, "claim_folder", claim_first_elsewhere)
    result = log_segment(no, LogOptions(), user="tester")

    assert result.output_folder == paths.segment_letters_dir(no, 2).resolve()
    assert (first / CLAIM_FILE_NAME).exists()
    assert list(first.glob("*.docx")) == []
    other_claims[0].release()
