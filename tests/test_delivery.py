"""Delivery after the commit: failures, canceling, partial files, and sending again."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from segtui.domain import delivery, letter_jobs
from segtui.domain.criteria import AddOptions
from segtui.domain.delivery import count_to_resend, resend_logged_segment
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import (
    LogOptions,
    _output_folder_problem,
    log_segment,
)
from segtui.domain.segmentation import create_segment, update_header
from segtui.models import InteractionLogEntry, LoggedSegment
from tests.conftest import TEST_USER


def letter_segment(filters: dict[str, dict[str, str]]) -> str:
    no = create_segment(
        "Delivery test", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, filters, AddOptions(), user=TEST_USER)
    return no


def entries() -> list[InteractionLogEntry]:
    return list(InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no))


def test_unwritable_folder_rejected_first(world, tmp_path: Path) -> None:
    # /proc accepts no new folders, even for root, whatever its permission bits say.
    problem = _output_folder_problem(Path("/proc/segtui-letters"))
    assert problem is not None
    assert "/proc/segtui-letters" in problem
    assert "cannot be created" in problem
    assert _output_folder_problem(tmp_path / "new" / "deeper") is None
    assert not (tmp_path / "new").exists()


def test_failure_after_commit_reported(world, tmp_path: Path, monkeypatch) -> None:
    """A folder that fails only when written to: the log stands, the report says so."""
    no = letter_segment({"contact": {"no": "CO1|IND1"}})
    folder = tmp_path / "letters"

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "mkdir", refuse)
    result = log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    monkeypatch.undo()

    assert LoggedSegment.select().count() == 1
    assert result.entries == 2
    assert "No space left on device" in result.delivery.error
    assert result.delivery.letters == []
    assert all(entry.document_path == "" for entry in entries())
    assert count_to_resend(result.logged_segment_no) == 2

    report = resend_logged_segment(
        result.logged_segment_no, user=TEST_USER, folder=folder
    )
    assert report.error == ""
    assert len(report.letters) == 2
    assert all(Path(entry.document_path).exists() for entry in entries())
    assert count_to_resend(result.logged_segment_no) == 0


def test_failed_letter_leaves_no_part_file(world, tmp_path: Path, monkeypatch) -> None:
    no = letter_segment({"contact": {"no": "CO1|IND2"}})
    folder = tmp_path / "letters"
    original = Path.write_bytes
    parts: list[Path] = []

    def fill_disk_on_second(self: Path, data: bytes) -> int:
        if self.name.endswith(".part"):
            parts.append(self)
            if len(parts) == 2:
                # Half of the file reaches the disk before the disk is full.
                original(self, data[:100])
                raise OSError(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", fill_disk_on_second)
    result = log_segment(
        no, LogOptions(deliver=True, output_folder=folder), user=TEST_USER
    )
    monkeypatch.undo()

    assert list(folder.glob("*.part")) == []
    failed = [entry for entry in entries() if entry.delivery_status == "failed"]
    assert len(failed) == 1
    assert "No space left" in failed[0].delivery_error
    assert failed[0].document_path == ""
    assert len(result.delivery.failed) == 1
    assert count_to_resend(result.logged_segment_no, failed_only=True) == 1


def test_part_file_removed_on_error(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "letter.docx"

    def broken_replace(source: object, destination: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(letter_jobs.os, "replace", broken_replace)
    with pytest.raises(OSError):
        letter_jobs.write_file(target, b"content")
    assert list(tmp_path.iterdir()) == []


def test_cancel_records_written_letters(sample_database, tmp_path: Path) -> None:
    """Canceling keeps a record of every letter on disk; sending again does the rest."""
    no = create_segment(
        "Cancel test", user=TEST_USER, template_code="LETTER", salesperson_code="JO"
    ).no
    add_contacts(no, {"contact": {"country": "NL|CH"}}, AddOptions(), user=TEST_USER)
    update_header(
        no,
        {"correspondence_type": "hard_copy", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    folder = tmp_path / "letters"
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= delivery.CHUNK_SIZE:
            cancel.set()

    result = log_segment(
        no,
        LogOptions(deliver=True, output_folder=folder),
        user=TEST_USER,
        progress=progress,
        cancel=cancel,
    )
    assert result.delivery.canceled
    on_disk = {path.name for path in folder.glob("CT*.docx")}
    recorded = {
        Path(entry.document_path).name for entry in entries() if entry.document_path
    }
    assert on_disk == recorded
    assert 0 < len(recorded) < result.entries
    unfinished = count_to_resend(result.logged_segment_no)
    assert unfinished == result.entries - len(recorded)

    report = resend_logged_segment(result.logged_segment_no, user=TEST_USER)
    assert len(report.letters) == unfinished
    assert {entry.delivery_status for entry in entries()} == {"sent"}
    assert len(list(folder.glob("CT*.docx"))) == result.entries
    assert sorted(p.name for p in folder.glob("Letters written later*.docx")) == [
        "Letters written later - LETTER DE.docx",
        "Letters written later - LETTER EN.docx",
    ]


def test_resend_rewrites_deleted_letter(world, tmp_path: Path) -> None:
    no = letter_segment({"contact": {"no": "CO1P1|IND1"}})
    update_header(
        no,
        {"correspondence_type": "hard_copy", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    folder = tmp_path / "letters"
    result = log_segment(
        no, LogOptions(deliver=True, output_folder=folder), user=TEST_USER
    )
    deleted = Path(entries()[0].document_path)
    kept = Path(entries()[1].document_path)
    kept_written = kept.stat().st_mtime_ns
    deleted.unlink()
    logged_no = result.logged_segment_no
    assert count_to_resend(logged_no) == 1
    # --failed-only takes failed entries alone, as before.
    assert count_to_resend(logged_no, failed_only=True) == 0
    report = resend_logged_segment(logged_no, user=TEST_USER, failed_only=True)
    assert report.letters == []
    assert not deleted.exists()

    report = resend_logged_segment(logged_no, user=TEST_USER)
    assert report.letters == [deleted]
    assert deleted.exists()
    assert kept.stat().st_mtime_ns == kept_written
    assert [entry.document_path for entry in entries()] == [str(deleted), str(kept)]
    assert {entry.delivery_status for entry in entries()} == {"sent"}
    assert count_to_resend(logged_no) == 0


def test_second_resend_rejected_while_first_runs(
    world, tmp_path: Path, monkeypatch
) -> None:
    """A second Send again of the same logged segment waits for the first to end.

    Two runs at once wrote each letter twice and the second replaced the first's
    print file.
    """
    no = letter_segment({"contact": {"no": "CO1P1|IND1"}})
    result = log_segment(
        no,
        LogOptions(deliver=False, output_folder=tmp_path / "letters"),
        user=TEST_USER,
    )
    logged_no = result.logged_segment_no
    for entry in entries():
        Path(entry.document_path).unlink()
    inside = threading.Event()
    release = threading.Event()
    deliver = delivery.deliver_logged_segment

    def slow_deliver(*args, **kwargs):
        inside.set()
        assert release.wait(10)
        return deliver(*args, **kwargs)

    monkeypatch.setattr(delivery, "deliver_logged_segment", slow_deliver)
    reports = []
    first = threading.Thread(
        target=lambda: reports.append(resend_logged_segment(logged_no, user=TEST_USER))
    )
    first.start()
    try:
        assert inside.wait(10)
        assert delivery.resending(logged_no)
        with pytest.raises(delivery.InvalidValueError) as refused:
            resend_logged_segment(logged_no, user=TEST_USER)
        assert f"logged segment {logged_no}" in refused.value.message
        assert "wait until that run ends" in refused.value.message
    finally:
        release.set()
        first.join(10)
    assert len(reports[0].letters) == 2
    assert not delivery.resending(logged_no)
    assert count_to_resend(logged_no) == 0


def test_resend_without_delivery_only_writes(world, tmp_path: Path) -> None:
    """A segment logged without delivery gets its missing letters written again,
    and none of them counts as one to deliver."""
    no = letter_segment({"contact": {"no": "CO1P1|IND1"}})
    result = log_segment(
        no,
        LogOptions(deliver=False, output_folder=tmp_path / "letters"),
        user=TEST_USER,
    )
    logged_no = result.logged_segment_no
    for entry in entries():
        Path(entry.document_path).unlink()
    assert count_to_resend(logged_no) == 2
    assert delivery.count_to_deliver_again(logged_no) == 0

    report = resend_logged_segment(logged_no, user=TEST_USER)
    assert len(report.letters) == 2
    assert report.sent == 0
    assert {entry.delivery_status for entry in entries()} == {"not_delivered"}


def test_resend_counts_failed_to_deliver(world, tmp_path: Path) -> None:
    """Of the letters a resend writes, only failed or pending ones are delivered."""
    no = letter_segment({"contact": {"no": "CO1P1|IND1"}})
    update_header(
        no,
        {"correspondence_type": "hard_copy", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    result = log_segment(
        no,
        LogOptions(deliver=True, output_folder=tmp_path / "letters"),
        user=TEST_USER,
    )
    logged_no = result.logged_segment_no
    first, second = entries()
    Path(first.document_path).unlink()
    InteractionLogEntry.update(delivery_status="failed").where(
        InteractionLogEntry.entry_no == second.entry_no
    ).execute()
    assert count_to_resend(logged_no) == 2
    assert delivery.count_to_deliver_again(logged_no) == 1


def test_interrupted_record_kept(world, tmp_path: Path, monkeypatch) -> None:
    """A recording statement interrupted, as on a hangup, is retried with the same
    letters, so every letter on disk ends up recorded."""
    no = letter_segment({"contact": {"no": "CO1P1|IND1"}})
    folder = tmp_path / "letters"
    result = log_segment(
        no, LogOptions(deliver=False, output_folder=folder), user=TEST_USER
    )
    logged_no = result.logged_segment_no
    for entry in entries():
        Path(entry.document_path).unlink()
    calls = []
    update = delivery.update_entries

    def interrupted_once(rows):
        calls.append(len(rows))
        if len(calls) == 1:
            raise KeyboardInterrupt("statement interrupted")
        return update(rows)

    monkeypatch.setattr(delivery, "update_entries", interrupted_once)
    with pytest.raises(KeyboardInterrupt):
        resend_logged_segment(logged_no, user=TEST_USER)

    recorded = [Path(entry.document_path) for entry in entries() if entry.document_path]
    assert len(recorded) == 2
    assert all(path.exists() for path in recorded)
    assert calls[0] == 2
