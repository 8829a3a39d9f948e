"""A relative letters folder is resolved against the working directory of the log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from segtui.domain.criteria import AddOptions
from segtui.domain.delivery import (
    count_to_resend,
    letters_folder,
    resend_logged_segment,
)
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import create_segment, update_header
from segtui.models import InteractionLogEntry
from tests.conftest import TEST_USER

SEGTUI = [sys.executable, "-m", "segtui"]


def logged_letters(start: Path, monkeypatch) -> int:
    """Log two hard-copy letters to the relative folder ``letters`` from ``start``."""
    no = create_segment(
        "Relative folder", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": "CO1P1|IND1"}}, AddOptions(), user=TEST_USER)
    update_header(
        no,
        {"correspondence_type": "hard_copy", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    monkeypatch.chdir(start)
    result = log_segment(no, LogOptions(output_folder=Path("letters")), user=TEST_USER)
    assert result.delivery.error == ""
    return result.logged_segment_no


def document_paths() -> list[str]:
    return [
        entry.document_path
        for entry in InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no)
    ]


def test_log_stores_absolute_paths(world, tmp_path: Path, monkeypatch) -> None:
    start = tmp_path / "start"
    start.mkdir()
    logged_no = logged_letters(start, monkeypatch)

    assert letters_folder(logged_no) == start / "letters"
    paths = document_paths()
    assert len(paths) == 2
    for path in paths:
        assert os.path.isabs(path), path
        assert Path(path).parent == start / "letters"
        assert Path(path).exists()


def test_resend_elsewhere_finds_letters(world, tmp_path: Path, monkeypatch) -> None:
    start = tmp_path / "start"
    elsewhere = tmp_path / "elsewhere"
    start.mkdir()
    elsewhere.mkdir()
    logged_no = logged_letters(start, monkeypatch)
    deleted = Path(document_paths()[0])
    deleted.unlink()

    monkeypatch.chdir(elsewhere)
    assert letters_folder(logged_no) == start / "letters"
    assert count_to_resend(logged_no) == 1
    report = resend_logged_segment(logged_no, user=TEST_USER)

    assert report.error == ""
    assert report.letters == [deleted]
    assert deleted.exists()
    assert not (elsewhere / "letters").exists()


def test_resend_relative_folder_absolute(world, tmp_path: Path, monkeypatch) -> None:
    start = tmp_path / "start"
    elsewhere = tmp_path / "elsewhere"
    start.mkdir()
    elsewhere.mkdir()
    logged_no = logged_letters(start, monkeypatch)
    Path(document_paths()[1]).unlink()

    monkeypatch.chdir(elsewhere)
    report = resend_logged_segment(logged_no, user=TEST_USER, folder=Path("again"))

    assert report.error == ""
    assert len(report.letters) == 1
    rewritten = document_paths()[1]
    assert os.path.isabs(rewritten), rewritten
    assert Path(rewritten).parent == elsewhere / "again"
    assert Path(rewritten).exists()


def run_in(folder: Path, database: Path | str, *arguments: str) -> str:
    """Run segtui in ``folder`` and return its stdout and stderr, failing on an error."""
    result = subprocess.run(
        [*SEGTUI, "--db", str(database), *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() + "\n" + result.stderr


def test_cli_resend_from_other_folder(sample_database_path, tmp_path: Path) -> None:
    start = tmp_path / "start"
    elsewhere = tmp_path / "elsewhere"
    start.mkdir()
    elsewhere.mkdir()
    output = run_in(
        start,
        sample_database_path,
        "segment",
        "new",
        "--description",
        "Relative folder",
        "--template",
        "LETTER",
        "--salesperson",
        "JO",
    )
    segment_no = output.split()[0]
    run_in(
        start,
        sample_database_path,
        "segment",
        "add",
        segment_no,
        "--filter",
        "no=CT000002|CT000003",
    )
    logged = run_in(
        start,
        sample_database_path,
        "segment",
        "log",
        segment_no,
        "--output",
        "./letters",
    )
    letters = sorted((start / "letters").glob("CT*.docx"))
    assert len(letters) == 2
    letters[0].unlink()
    logged_no = logged.split()[0]

    resent = run_in(elsewhere, sample_database_path, "logged", "resend", logged_no)

    assert str(start / "letters") in resent
    assert letters[0].exists()
    assert not (elsewhere / "letters").exists()
    logged_text = run_in(elsewhere, sample_database_path, "logged", "show", logged_no)
    assert str(letters[1]) in logged_text
