"""Importing contacts from CSV: progress in batches, and a cancel that changes nothing.

The small world (tests/builders.py) has the mailing groups NEWS and VIP and the
industry groups RETAIL and IT.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from typing import Any

import pytest

from segtui.domain.contact_import import (
    BATCH_SIZE,
    STEPS_PER_ROW,
    ImportCanceledError,
    import_contacts,
)
from segtui.domain.csv_format import READ_BATCH
from segtui.domain.users import Permission, require
from segtui.models import ALL_MODELS, Contact, ContactMailingGroup
from tests.backends import POSTGRES, worker_database_url
from tests.conftest import TEST_USER

# Four batches of rows, so a cancel can come after some are written.
ROW_COUNT = 4 * BATCH_SIZE


def csv_file(count: int = ROW_COUNT) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(["no", "type", "name", "city", "country_code", "mailing_groups"])
    for index in range(1, count + 1):
        writer.writerow(
            [f"IMP{index:05d}", "person", f"Person {index}", "Köln", "DE", "NEWS;VIP"]
        )
    return stream.getvalue().encode("utf-8")


def snapshot() -> dict[str, list[tuple[str, ...]]]:
    """Return every row of every segtui table, in a stable order.

    The test user's row is made first, since the first check of a user's role
    creates it.
    """
    require(TEST_USER, Permission.MARKETING, "import contacts")
    rows = {}
    for model in ALL_MODELS:
        query = model.select().order_by(*model._meta.sorted_fields).tuples()
        rows[model._meta.table_name] = [tuple(map(str, row)) for row in query]
    return rows


def test_import_reports_progress(world) -> None:
    calls: list[tuple[int, int]] = []
    result = import_contacts(
        csv_file(),
        user=TEST_USER,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.created == ROW_COUNT
    assert calls, "progress was never called"
    assert {total for _done, total in calls} == {STEPS_PER_ROW * ROW_COUNT}
    done_values = [done for done, _total in calls]
    assert done_values == sorted(done_values)
    assert done_values[-1] == STEPS_PER_ROW * ROW_COUNT
    # Reading reports once per READ_BATCH rows; checking and writing once per batch.
    reading_calls = [done for done in done_values if done <= ROW_COUNT]
    assert len(reading_calls) >= ROW_COUNT // READ_BATCH
    assert len(calls) >= ROW_COUNT // READ_BATCH + 2 * (ROW_COUNT // BATCH_SIZE)


@pytest.mark.parametrize(
    ("phase", "cancel_after"),
    [
        ("while reading", READ_BATCH),
        ("while checking", ROW_COUNT + BATCH_SIZE),
        ("after the first batch written", 2 * ROW_COUNT + BATCH_SIZE),
        ("after the last batch written", 3 * ROW_COUNT),
    ],
)
def test_canceled_import_changes_nothing(world, phase: str, cancel_after: int) -> None:
    before = snapshot()
    cancel = threading.Event()
    written_when_canceled: list[int] = []

    def progress(done: int, total: int) -> None:
        if done >= cancel_after and not cancel.is_set():
            cancel.set()
            written_when_canceled.append(
                Contact.select().where(Contact.no.startswith("IMP")).count()
            )

    with pytest.raises(ImportCanceledError, match="nothing was written"):
        import_contacts(csv_file(), user=TEST_USER, progress=progress, cancel=cancel)

    assert cancel.is_set(), phase
    if cancel_after > 2 * ROW_COUNT:
        # The cancel came while rows were already in the open transaction.
        assert written_when_canceled[0] > 0, phase
    assert snapshot() == before, phase


def test_cancel_stops_reading_the_file(world) -> None:
    """A cancel during reading is seen before the csv reader reaches the end."""
    rows = 10 * READ_BATCH
    before = snapshot()
    cancel = threading.Event()
    reported: list[int] = []

    def progress(done: int, total: int) -> None:
        reported.append(done)
        if done >= READ_BATCH:
            cancel.set()

    with pytest.raises(ImportCanceledError, match="nothing was written"):
        import_contacts(
            csv_file(rows), user=TEST_USER, progress=progress, cancel=cancel
        )

    # The report after READ_BATCH rows set the cancel, and the next check, after
    # 2 * READ_BATCH rows, raised: the other rows were never read.
    assert reported == [READ_BATCH]
    assert snapshot() == before


def test_cancel_before_start_reads_nothing(world) -> None:
    cancel = threading.Event()
    cancel.set()
    reported: list[tuple[int, int]] = []
    with pytest.raises(ImportCanceledError):
        import_contacts(
            csv_file(),
            user=TEST_USER,
            progress=lambda done, total: reported.append((done, total)),
            cancel=cancel,
        )
    assert reported == []


def test_import_after_cancel_succeeds(world) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCanceledError):
        import_contacts(csv_file(10), user=TEST_USER, cancel=cancel)
    result = import_contacts(csv_file(10), user=TEST_USER)
    assert result.created == 10
    links = ContactMailingGroup.select().where(
        ContactMailingGroup.contact.startswith("IMP")
    )
    assert links.count() == 20


def test_dry_run_cancel_raises(world) -> None:
    cancel = threading.Event()
    cancel.set()
    before = snapshot()
    with pytest.raises(ImportCanceledError):
        import_contacts(csv_file(10), user=TEST_USER, dry_run=True, cancel=cancel)
    assert snapshot() == before


def test_cancel_message_names_file(world) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCanceledError) as raised:
        import_contacts(
            csv_file(10), user=TEST_USER, cancel=cancel, source="people.csv"
        )
    message: Any = raised.value.message
    assert "people.csv" in message
    assert "again" in message


def test_ctrl_c_sets_cancel_event() -> None:
    import signal

    from segtui.commands.common import cancel_on_interrupt

    before = signal.getsignal(signal.SIGINT)
    with cancel_on_interrupt() as cancel:
        assert not cancel.is_set()
        signal.raise_signal(signal.SIGINT)
        assert cancel.is_set()
    assert signal.getsignal(signal.SIGINT) is before


def test_cli_import_canceled_by_ctrl_c(world, tmp_path, monkeypatch) -> None:
    """Ctrl+C during `segtui import contacts` stops it and writes nothing."""
    import signal

    from click.testing import CliRunner

    from segtui.cli import cli
    from segtui.domain import contact_import
    from segtui.domain.users import current_user
    from segtui.models import Role, UserSetup

    # The command acts as the operating system user, made after the test user, which
    # the first role check makes an admin.
    snapshot()
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file())
    before = snapshot()
    original = contact_import._insert_rows
    inserted: list[int] = []

    def insert_then_interrupt(fields: Any, rows: Any) -> None:
        original(fields, rows)
        inserted.append(len(rows))
        if len(inserted) == 1:
            signal.raise_signal(signal.SIGINT)
            # The import runs in a thread of its own, and the main thread's handler
            # starts the statement interrupter. Waiting for it keeps the import from
            # writing the next batch before it checks the cancel event.
            deadline = time.monotonic() + 10
            while not any(
                thread.name == "segtui-cancel" for thread in threading.enumerate()
            ):
                assert time.monotonic() < deadline, "Ctrl+C was not handled"
                time.sleep(0.01)

    monkeypatch.setattr(contact_import, "_insert_rows", insert_then_interrupt)
    database_url = (
        worker_database_url()
        if POSTGRES
        else str(contact_import.Contact._meta.database.database)
    )
    result = CliRunner().invoke(
        cli,
        ["--db", database_url, "import", "contacts", str(path)],
    )
    assert result.exit_code == 1, result.output
    assert "canceled" in result.output
    assert inserted == [BATCH_SIZE]
    assert snapshot() == before
