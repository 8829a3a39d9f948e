"""Sending again after a bounce: the contact's address now, readable SMTP errors,
and the state words of entries whose letters were never written.

Mail goes to an aiosmtpd server on 127.0.0.1 that rejects one address with 550 and
accepts every other. The world's contact IND1 has the address ind1@example.com.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from segtui import i18n
from segtui.domain import delivery
from segtui.domain.contacts import update_contact
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import create_segment, update_header
from segtui.models import InteractionLogEntry
from segtui.ui.screens.logged import entry_rows
from tests.conftest import TEST_USER
from tests.test_logging import RecordingHandler, free_port
from tests.test_send_again_kinds import log_stopped_before_letters
from tests.test_templates import cli_url, run_cli  # noqa: F401 - the fixture

OLD_ADDRESS = "ind1@example.com"
NEW_ADDRESS = "ind1.new@example.com"
REJECTION = "550 rejected for test"


class RejectOne(RecordingHandler):
    """Reject OLD_ADDRESS at RCPT with 550, as a server with no such mailbox does."""

    async def handle_RCPT(  # noqa: N802
        self, server, session, envelope, address, rcpt_options
    ) -> str:
        if address == OLD_ADDRESS:
            return REJECTION
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp_server(monkeypatch) -> Iterator[RejectOne]:
    from aiosmtpd.controller import Controller

    handler = RejectOne()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_PORT", str(port))
    try:
        yield handler
    finally:
        controller.stop()


def log_bounced_email(folder: Path) -> tuple[int, InteractionLogEntry]:
    """Log an email to IND1 that the server rejects, and return the logged segment
    number and the entry."""
    no = create_segment(
        "Bounce", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": "IND1"}}, AddOptions(), user=TEST_USER)
    update_header(
        no,
        {"correspondence_type": "email", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    result = log_segment(
        no, LogOptions(deliver=True, output_folder=folder), user=TEST_USER
    )
    return result.logged_segment_no, InteractionLogEntry.get()


def recipients(handler: RecordingHandler) -> list[list[str]]:
    return [envelope.rcpt_tos for envelope in handler.envelopes]


def test_smtp_error_readable(cli_url, smtp_server, tmp_path, caplog):  # noqa: F811
    caplog.set_level(logging.WARNING, logger="segtui.delivery")
    logged_no, entry = log_bounced_email(tmp_path / "letters")
    assert entry.delivery_status == "failed"
    assert entry.delivery_error == f"SMTP {REJECTION}"
    assert f"sending entry {entry.entry_no} to {OLD_ADDRESS} failed" in caplog.text
    assert REJECTION in caplog.text
    assert "b'" not in caplog.text

    code, _out, err = run_cli(cli_url, "logged", "resend", str(logged_no))
    assert code == 1
    assert f"Entry {entry.entry_no} failed: SMTP {REJECTION}" in err
    assert "b'" not in err
    code, out, _err = run_cli(cli_url, "interactions", "show", str(entry.entry_no))
    assert code == 0
    assert f"SMTP {REJECTION}" in out
    assert "b'" not in out


def test_resend_goes_to_new_address(cli_url, smtp_server, tmp_path):  # noqa: F811
    logged_no, entry = log_bounced_email(tmp_path / "letters")
    assert recipients(smtp_server) == []

    update_contact("IND1", {"email": NEW_ADDRESS}, user=TEST_USER)
    report = delivery.resend_logged_segment(logged_no, user=TEST_USER)
    assert recipients(smtp_server) == [[NEW_ADDRESS]]
    assert report.failed == []
    assert report.sent == 1
    assert report.recipients == [NEW_ADDRESS]
    assert f"Sent to {NEW_ADDRESS}." in delivery.describe_report(report, Path())

    entry = InteractionLogEntry.get_by_id(entry.entry_no)
    assert entry.delivery_status == "sent"
    assert entry.delivery_error == ""
    assert entry.email_sent_to == NEW_ADDRESS
    # The letter keeps the merge values as logged.
    assert entry.merge_values["email"] == OLD_ADDRESS


def test_question_names_new_address(smtp_server, world, tmp_path):
    logged_no, entry = log_bounced_email(tmp_path / "letters")
    assert entry.email_sent_to == OLD_ADDRESS
    update_contact("IND1", {"email": NEW_ADDRESS}, user=TEST_USER)

    counts = delivery.count_send_again(logged_no)
    assert counts.emails == 1
    assert counts.addresses == [NEW_ADDRESS]
    question = delivery.send_again_question(counts).splitlines()
    assert f"The email goes to {NEW_ADDRESS}, the contact's address now." in question


def test_show_names_addresses(cli_url, smtp_server, tmp_path):  # noqa: F811
    _logged_no, entry = log_bounced_email(tmp_path / "letters")
    update_contact("IND1", {"email": NEW_ADDRESS}, user=TEST_USER)

    code, out, _err = run_cli(cli_url, "interactions", "show", str(entry.entry_no))
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert f"Email last sent to {OLD_ADDRESS}" in lines
    assert f"Email goes to on a resend {NEW_ADDRESS}" in lines
    code, out, _err = run_cli(
        cli_url, "interactions", "show", str(entry.entry_no), "--json"
    )
    assert f'"email_sent_to": "{OLD_ADDRESS}"' in out
    assert f'"resend_email": "{NEW_ADDRESS}"' in out


def test_resend_without_address_skips(cli_url, smtp_server, tmp_path):  # noqa: F811
    logged_no, entry = log_bounced_email(tmp_path / "letters")
    update_contact("IND1", {"email": ""}, user=TEST_USER)

    code, _out, err = run_cli(cli_url, "logged", "resend", str(logged_no))
    assert code == 1
    assert (
        f"Entry {entry.entry_no} was not sent: contact IND1 Zoë Keller has no email "
        "address; add one and send again." in " ".join(err.split())
    )
    assert recipients(smtp_server) == []
    after = InteractionLogEntry.get_by_id(entry.entry_no)
    assert after.delivery_status == "failed"
    assert after.delivery_error == (
        "not sent: contact IND1 has no email address; add one and send again"
    )
    assert after.email_sent_to == OLD_ADDRESS
    assert Path(after.document_path).exists()

    counts = delivery.count_send_again(logged_no)
    assert counts.without_address == 1
    question = delivery.send_again_question(counts).splitlines()
    assert (
        "Contact IND1 Zoë Keller has no email address, so its email is not sent."
        in question
    )
    code, out, _err = run_cli(cli_url, "interactions", "show", str(entry.entry_no))
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "Email goes to on a resend none: the contact has no email address" in lines


def stopped_log_with_one_letter(folder: Path) -> tuple[int, int, int]:
    """Log two hard copies without delivery, stop before any letter, and write the
    first letter only. Return the logged segment number and both entry numbers."""
    result = log_stopped_before_letters(folder, deliver=False)
    first, second = [
        entry.entry_no
        for entry in InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no)
    ]
    delivery.deliver_logged_segment(
        result.logged_segment_no,
        folder,
        only=InteractionLogEntry.entry_no == first,
        cancel=threading.Event(),
    )
    return result.logged_segment_no, first, second


def test_state_words_after_stopped_log(cli_url, tmp_path):  # noqa: F811
    logged_no, first, second = stopped_log_with_one_letter(tmp_path / "letters")
    assert InteractionLogEntry.get_by_id(first).document_path != ""
    assert InteractionLogEntry.get_by_id(second).document_path == ""

    rows = {
        row.key: row.cells[4].plain for row in entry_rows(logged_no, 0, 10, 2, set())
    }
    assert rows == {str(first): "not delivered", str(second): "not written"}

    code, out, _err = run_cli(cli_url, "logged", "show", str(logged_no))
    assert code == 0
    states = {
        int(line.split()[0]): line
        for line in out.splitlines()
        if line.strip().split(" ")[0].isdigit() and "  " in line
    }
    assert "not delivered" in states[first]
    assert "not written" not in states[first]
    assert "not written" in states[second]

    code, out, _err = run_cli(cli_url, "interactions", "list")
    assert code == 0
    listed = {int(line.split()[0]): line for line in out.splitlines()}
    assert listed[first].endswith("not delivered")
    assert listed[second].endswith("not written")


def test_state_words_german(cli_url, tmp_path):  # noqa: F811
    logged_no, first, second = stopped_log_with_one_letter(tmp_path / "letters")
    i18n.set_language("de")
    try:
        rows = {
            row.key: row.cells[4].plain
            for row in entry_rows(logged_no, 0, 10, 2, set())
        }
    finally:
        i18n.set_language(None)
    assert rows == {str(first): "nicht zugestellt", str(second): "nicht geschrieben"}

    code, out, _err = run_cli(cli_url, "--lang", "de", "interactions", "list")
    assert code == 0
    listed = {int(line.split()[0]): line for line in out.splitlines()}
    assert listed[first].endswith("nicht zugestellt")
    assert listed[second].endswith("nicht geschrieben")
