"""Send again counts its letters by kind and names its print file by them."""

from __future__ import annotations

import threading
from pathlib import Path

from segtui.domain import delivery
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import LogOptions, LogResult, log_segment
from segtui.domain.segmentation import create_segment, update_header
from segtui.models import InteractionLogEntry
from tests.conftest import TEST_USER


def hard_copy_segment() -> str:
    no = create_segment(
        "Send again", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": "CO1P1|IND1"}}, AddOptions(), user=TEST_USER)
    update_header(
        no,
        {"correspondence_type": "hard_copy", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    return no


def log_stopped_before_letters(folder: Path, deliver: bool) -> LogResult:
    """Log a segment and stop it at the first progress report, before any letter."""
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        cancel.set()

    return log_segment(
        hard_copy_segment(),
        LogOptions(deliver=deliver, output_folder=folder),
        user=TEST_USER,
        progress=progress,
        cancel=cancel,
    )


def entries() -> list[InteractionLogEntry]:
    return list(InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no))


def test_stopped_log_without_delivery_counts(world, tmp_path: Path) -> None:
    result = log_stopped_before_letters(tmp_path / "letters", deliver=False)
    assert result.delivery.canceled
    assert all(entry.document_path == "" for entry in entries())

    counts = delivery.count_send_again(result.logged_segment_no)
    assert counts.total == 2
    assert counts.never_written == 2
    assert counts.failed == 0
    assert counts.deleted == 0
    assert counts.not_delivered_yet == 0
    assert counts.logged_without_delivery == 2
    assert counts.delivered_before == 0
    assert counts.emails == 0
    assert counts.marked_sent == 0

    question = delivery.send_again_question(counts)
    assert question.splitlines() == [
        "Write 2 letters of this logged segment?",
        "2 were never written before.",
        "2 were logged without delivery, so they are only written.",
    ]


def test_stopped_log_prints_written_later(world, tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    result = log_stopped_before_letters(folder, deliver=True)
    counts = delivery.count_send_again(result.logged_segment_no)
    assert counts.never_written == 2
    assert counts.marked_sent == 2
    assert delivery.send_again_question(counts).splitlines()[1:] == [
        "2 were never written before.",
        "2 hard copies are marked sent.",
    ]

    report = delivery.resend_logged_segment(result.logged_segment_no, user=TEST_USER)
    assert [path.name for path in report.print_files] == ["Letters written later.docx"]
    assert {entry.delivery_status for entry in entries()} == {"sent"}


def test_stopped_log_email_counted(world, tmp_path: Path) -> None:
    """Pending Email entries never written are counted as emails the resend sends."""
    result = log_stopped_before_letters(tmp_path / "letters", deliver=True)
    InteractionLogEntry.update(correspondence_type="email").execute()
    counts = delivery.count_send_again(result.logged_segment_no)
    assert counts.never_written == 2
    assert counts.emails == 2
    assert counts.marked_sent == 0
    assert "2 emails are sent." in delivery.send_again_question(counts)


def test_failed_and_deleted_letters_counted(world, tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    result = log_segment(
        hard_copy_segment(),
        LogOptions(deliver=True, output_folder=folder),
        user=TEST_USER,
    )
    first, second = entries()
    Path(first.document_path).unlink()
    InteractionLogEntry.update(
        delivery_status="failed", delivery_error="disk full", document_path=""
    ).where(InteractionLogEntry.entry_no == second.entry_no).execute()

    counts = delivery.count_send_again(result.logged_segment_no)
    assert counts.total == 2
    assert counts.never_written == 0
    assert counts.failed == 1
    assert counts.deleted == 1
    assert counts.delivered_before == 1
    assert counts.marked_sent == 1
    assert delivery.send_again_question(counts).splitlines() == [
        "Write 2 letters of this logged segment?",
        "1 failed to be written or delivered.",
        "1 was written, but its file was deleted.",
        "1 hard copy is marked sent.",
        "1 was delivered before, so it is only written again.",
    ]

    report = delivery.resend_logged_segment(result.logged_segment_no, user=TEST_USER)
    assert [path.name for path in report.print_files] == ["Letters sent again.docx"]


def test_unsent_email_counted_as_not_delivered(world, tmp_path: Path) -> None:
    """A written letter whose email was never sent is written and emailed again."""
    result = log_segment(
        hard_copy_segment(),
        LogOptions(deliver=True, output_folder=tmp_path / "letters"),
        user=TEST_USER,
    )
    first, _second = entries()
    InteractionLogEntry.update(
        delivery_status="pending", correspondence_type="email"
    ).where(InteractionLogEntry.entry_no == first.entry_no).execute()

    counts = delivery.count_send_again(result.logged_segment_no)
    assert counts.total == 1
    assert counts.not_delivered_yet == 1
    assert counts.emails == 1
    assert delivery.count_to_resend(result.logged_segment_no) == counts.total
