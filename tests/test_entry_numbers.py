"""Entry numbers rise forever: deleting the newest rows never frees their numbers.

Users cite entry numbers in letters and audits, so a logged segment, an
interaction log entry or an attachment never gets a number that an earlier one had,
even after the earlier one was canceled and deleted.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from peewee import Database

from segtui.db import create_database, is_sqlite, open_database, write_transaction
from segtui.domain.attachments import create_attachment, delete_unused_attachments
from segtui.domain.cancellation import delete_canceled, set_logged_canceled
from segtui.domain.criteria import AddOptions, filters_from_pairs
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import LogOptions, LogResult, log_segment
from segtui.domain.segmentation import create_segment
from segtui.domain.transfer import copy_database
from segtui.models import (
    Attachment,
    InteractionLogEntry,
    LoggedSegment,
    Role,
    UserSetup,
)
from segtui.models.migrations import current_version, migrate
from tests.concurrent_worker import Worker, separate_database_url, url_of, wait_until
from tests.conftest import TEST_USER
from tests.test_concurrency import add_marketers, insert_dutch_contacts, insert_row

LOGGED_CONTACTS = ("CO1P1", "CO2P1", "IND1")

# The tables of schema version 5 whose rows and links migration 6 must keep, with
# their keys.
MIGRATED_TABLES = {
    "attachment": "id",
    "logged_segment": "entry_no",
    "interaction_log_entry": "entry_no",
    "interaction_template_language": "id",
    "segment_line": "id",
}


def phone_segment(contacts: tuple[str, ...] = LOGGED_CONTACTS) -> str:
    """Create a phone call segment of ``contacts``. CALL merges no letters."""
    segment = create_segment(
        "Phone calls", user=TEST_USER, template_code="CALL", salesperson_code="AH"
    )
    add_contacts(
        segment.no,
        {"contact": {"no": "|".join(contacts)}},
        AddOptions(),
        user=TEST_USER,
    )
    return segment.no


def log_contacts(folder: Path) -> LogResult:
    """Log a new phone call segment of LOGGED_CONTACTS."""
    return log_segment(
        phone_segment(), LogOptions(output_folder=folder), user=TEST_USER
    )


def entry_numbers(logged_no: int) -> list[int]:
    return [
        row[0]
        for row in InteractionLogEntry.select(InteractionLogEntry.entry_no)
        .where(InteractionLogEntry.logged_segment == logged_no)
        .order_by(InteractionLogEntry.entry_no)
        .tuples()
    ]


def test_deleted_log_numbers_not_reused(world, tmp_path: Path) -> None:
    first = log_contacts(tmp_path / "first")
    first_entries = entry_numbers(first.logged_segment_no)
    assert len(first_entries) == len(LOGGED_CONTACTS)

    set_logged_canceled([first.logged_segment_no], True, user=TEST_USER)
    deleted = delete_canceled(user=TEST_USER)
    assert deleted.logged_segments == 1
    assert deleted.entries == len(LOGGED_CONTACTS)
    assert LoggedSegment.select().count() == 0

    second = log_contacts(tmp_path / "second")
    second_entries = entry_numbers(second.logged_segment_no)
    assert len(second_entries) == len(LOGGED_CONTACTS)
    assert second.logged_segment_no > first.logged_segment_no
    assert min(second_entries) > max(first_entries)


def test_deleted_attachment_id_not_reused(world) -> None:
    with write_transaction():
        first = create_attachment("first.docx", b"first", user=TEST_USER)
        assert delete_unused_attachments([first.id]) == 1
        second = create_attachment("second.docx", b"second", user=TEST_USER)
    assert Attachment.get_or_none(Attachment.id == first.id) is None
    assert second.id > first.id


def test_copy_keeps_deleted_numbers_used(
    database: Database, world, tmp_path: Path
) -> None:
    deleted_log = log_contacts(tmp_path / "deleted")
    deleted_entries = entry_numbers(deleted_log.logged_segment_no)
    set_logged_canceled([deleted_log.logged_segment_no], True, user=TEST_USER)
    assert delete_canceled(user=TEST_USER).logged_segments == 1
    with write_transaction():
        deleted_attachment = create_attachment("old.docx", b"old", user=TEST_USER)
        assert delete_unused_attachments([deleted_attachment.id]) == 1

    with separate_database_url(tmp_path) as target_url:
        copy_database(url_of(database), target_url)
        target = open_database(target_url, create=False)
        try:
            assert LoggedSegment.select().count() == 0
            copied_log = log_contacts(tmp_path / "copied")
            assert copied_log.logged_segment_no > deleted_log.logged_segment_no
            assert min(entry_numbers(copied_log.logged_segment_no)) > max(
                deleted_entries
            )
            with write_transaction():
                attachment = create_attachment("new.docx", b"new", user=TEST_USER)
            assert attachment.id > deleted_attachment.id
        finally:
            target.close()


# A database made by segtui at schema version 5.


def fill_version_5(database: Database) -> None:
    """Insert rows that refer to each other with explicit numbers, as schema 5 has
    them: a template language and a line with attachments, two logged segments with
    entries, and an attachment that nothing uses."""
    insert_row(database, "language", {"code": "DE", "name": "Deutsch", "locale": "de"})
    insert_row(
        database,
        "salesperson",
        {
            "code": "JÖ",
            "name": "Jörg Öztürk",
            "job_title": "",
            "phone": "",
            "email": "",
        },
    )

    insert_row(database, "interaction_group", {"code": "LETTER", "description": ""})
    insert_row(
        database,
        "interaction_template",
        {
            "code": "LETTER",
            "interaction_group_code": "LETTER",
            "description": "Letter",
            "correspondence_type": "hard_copy",
            "ignore_contact_corresp_type": False,
            "unit_cost": "1.20",
            "unit_duration": "5.00",
            "information_flow": "outbound",
            "initiated_by": "us",
            "campaign_target": False,
            "campaign_response": False,
        },
    )

    for number in (1, 2, 3):
        insert_row(
            database,
            "attachment",
            {
                "id": number,
                "file_name": f"letter-{number}.docx",
                "content": f"Word file {number}".encode(),
                "read_only": number == 1,
                "created_by": "olduser",
            },
        )
    insert_row(
        database,
        "interaction_template_language",
        {
            "id": 7,
            "interaction_template_code": "LETTER",
            "language_code": "DE",
            "description": "",
            "subject": "Winter",
            "attachment_id": 1,
            "field_map": "{}",
        },
    )

    insert_row(
        database,
        "contact",
        {
            "no": "CT000001",
            "type": "person",
            "name": "Jürgen Müller",
            "first_name": "Jürgen",
            "middle_name": "",
            "surname": "Müller",
            "address": "",
            "address_2": "",
            "post_code": "",
            "city": "Berlin",
            "county": "",
            "country_code": "DE",
            "phone": "",
            "mobile_phone": "",
            "email": "",
            "correspondence_type": "hard_copy",
            "job_title": "",
            "exclude_from_segment": False,
            "privacy_blocked": False,
            "created_by": "olduser",
            "modified_by": "olduser",
            "version": 1,
        },
    )
    line_values = {
        "subject": "Frühjahr",
        "correspondence_type": "hard_copy",
        "unit_cost": "1.20",
        "unit_duration": "5.00",
        "information_flow": "outbound",
        "initiated_by": "us",
        "campaign_target": False,
        "campaign_response": False,
    }
    insert_row(
        database,
        "segment_header",
        {
            "no": "SEG00009",
            "description": "Frühjahrsaktion",
            "ignore_contact_corresp_type": False,
            "send_word_docs_as_attachment": True,
            "created_by": "olduser",
            "modified_by": "olduser",
            "version": 1,
            **line_values,
        },
    )
    insert_row(
        database,
        "segment_line",
        {
            "id": 40,
            "segment_no": "SEG00009",
            "line_no": 10000,
            "contact_no": "CT000001",
            "description": "Eigener Brief",
            "evaluation": "",
            "attachment_id": 2,
            "personal_note": "",
            "version": 1,
            "modified_by": "",
            **line_values,
        },
    )

    for logged_no, canceled in ((1, False), (2, True)):
        insert_row(
            database,
            "logged_segment",
            {
                "entry_no": logged_no,
                "segment_no": f"SEG0000{logged_no}",
                "description": "Winteraktion",
                "created_at": "2026-01-15 14:00:00",
                "user_id": "olduser",
                "canceled": canceled,
            },
        )
    for entry_no, logged_no in ((1, 1), (2, 1), (3, 2), (4, 2)):
        insert_row(
            database,
            "interaction_log_entry",
            {
                "entry_no": entry_no,
                "contact_no": "CT000001",
                "contact_name": "Jürgen Müller",
                "contact_company_no": "",
                "contact_company_name": "",
                "date": "2026-01-15",
                "created_at": "2026-01-15 14:00:00",
                "description": "Winterbrief",
                "subject": "Winter",
                "template_code": "LETTER",
                "group_code": "LETTER",
                "language_code": "DE",
                "correspondence_type": "hard_copy",
                "information_flow": "outbound",
                "initiated_by": "us",
                "unit_cost": "1.20",
                "unit_duration": "5.00",
                "salesperson_code": "JÖ",
                "campaign_no": "",
                "campaign_target": False,
                "campaign_response": False,
                "evaluation": "",
                "attempt_failed": False,
                "segment_no": f"SEG0000{logged_no}",
                "logged_segment_entry_no": logged_no,
                "attachment_id": 1,
                "merge_values": '{"name": "Jürgen Müller"}',
                "delivery_status": "not_delivered",
                "delivery_error": "",
                "document_path": "",
                "canceled": logged_no == 2,
                "user_id": "olduser",
                "send_as_attachment": True,
            },
        )


def table_contents(
    database: Database, columns: dict[str, list[str]] | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of the migrated tables, in key order, as plain values.

    ``columns`` names the columns to read of each table, by default all. A later
    migration may add columns, which the rows of an older version do not have.
    """
    contents = {}
    for table, key in MIGRATED_TABLES.items():
        names = ", ".join(f'"{name}"' for name in columns[table]) if columns else "*"
        rows = database.execute_sql(f'SELECT {names} FROM "{table}" ORDER BY "{key}"')
        contents[table] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in rows.fetchall()
        ]
    return contents


def column_names(database: Database) -> dict[str, list[str]]:
    """Return the column names of each migrated table, in their order."""
    return {
        table: [column.name for column in database.get_columns(table)]
        for table in MIGRATED_TABLES
    }


def table_indexes(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(
            (index.name, tuple(index.columns), index.unique)
            for index in database.get_indexes(table)
        )
        for table in MIGRATED_TABLES
    }


def test_version_5_database_keeps_rising(tmp_path: Path) -> None:
    with separate_database_url(tmp_path) as url:
        database = create_database(url)
        database.connect()
        assert migrate(database, target=5) == [1, 2, 3, 4, 5]
        with database.atomic():
            fill_version_5(database)
        contents = table_contents(database)
        columns = column_names(database)
        indexes = table_indexes(database)
        assert len(contents["interaction_log_entry"]) == 4

        applied = migrate(database)
        assert applied[0] == 6
        assert table_contents(database, columns) == contents
        assert table_indexes(database) == indexes
        if is_sqlite(database):
            assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        database.close()

        database = open_database(url, create=False)
        try:
            assert current_version(database) >= 6
            UserSetup.create(user_id=TEST_USER, role=Role.ADMIN)
            old_entry = InteractionLogEntry.get_by_id(3)
            assert old_entry.logged_segment.entry_no == 2
            assert old_entry.attachment.file_name == "letter-1.docx"

            # The highest logged segment and attachment go; their numbers stay used.
            with write_transaction():
                assert delete_unused_attachments([3]) == 1
            deleted = delete_canceled(user=TEST_USER)
            assert deleted.logged_segments == 1
            assert deleted.entries == 2
            with write_transaction():
                attachment = create_attachment("new.docx", b"new", user=TEST_USER)
                logged = LoggedSegment.create(
                    segment_no="SEG00010",
                    description="Neu",
                    created_at="2026-12-04 09:00:00",
                    user_id=TEST_USER,
                )
                entry = InteractionLogEntry.create(
                    contact_no="CT000001",
                    date="2026-12-04",
                    created_at="2026-12-04 09:00:00",
                    logged_segment=logged,
                )
            assert attachment.id > 3
            assert logged.entry_no > 2
            assert entry.entry_no > 4
        finally:
            database.close()


# Two users logging at the same time.

FIRST_USER = "anna"
SECOND_USER = "ben"
CONCURRENT_LINES = 2000


def test_simultaneous_logs_get_rising_numbers(
    database: Database, tmp_path: Path
) -> None:
    from tests.builders import build_world

    build_world()
    add_marketers(FIRST_USER, SECOND_USER)
    insert_dutch_contacts(CONCURRENT_LINES)

    deleted_log = log_contacts(tmp_path / "deleted")
    deleted_entries = entry_numbers(deleted_log.logged_segment_no)
    set_logged_canceled([deleted_log.logged_segment_no], True, user=TEST_USER)
    assert delete_canceled(user=TEST_USER).entries == len(LOGGED_CONTACTS)

    segments = []
    for user in (FIRST_USER, SECOND_USER):
        segment = create_segment(
            f"Calls by {user}",
            user=TEST_USER,
            template_code="CALL",
            salesperson_code="AH",
        )
        added = add_contacts(
            segment.no, filters_from_pairs(["country=NL"]), AddOptions(), user=TEST_USER
        )
        assert added.inserted == CONCURRENT_LINES
        segments.append(segment.no)

    url = url_of(database)
    with (
        Worker(url, FIRST_USER, tmp_path) as first,
        Worker(url, SECOND_USER, tmp_path) as second,
    ):
        for worker, segment_no in ((first, segments[0]), (second, segments[1])):
            worker.send(
                {
                    "action": "log",
                    "segment": segment_no,
                    "output_folder": str(tmp_path / "letters" / segment_no),
                }
            )
        replies = [first.receive(), second.receive()]

    for reply in replies:
        assert reply["ok"], reply
        assert reply["entries"] == CONCURRENT_LINES
    logged_numbers = sorted(reply["logged_segment_no"] for reply in replies)
    assert logged_numbers[0] > deleted_log.logged_segment_no
    assert logged_numbers[0] < logged_numbers[1]

    runs = [entry_numbers(number) for number in logged_numbers]
    for run in runs:
        assert len(run) == CONCURRENT_LINES
        # Each log's entries are one unbroken run of numbers.
        assert run[-1] - run[0] == CONCURRENT_LINES - 1
    assert runs[0][0] > max(deleted_entries)
    # The logged segment numbered later got the later entry numbers.
    assert runs[1][0] > runs[0][-1]


# Seconds the second log is given to finish while the first one's transaction is
# open: ample for logging three lines if nothing made it wait.
WAIT_FOR_SECOND_LOG = 2


def test_second_log_waits_for_first(database: Database, tmp_path: Path) -> None:
    from tests.builders import build_world

    build_world()
    add_marketers(FIRST_USER, SECOND_USER)
    held_segment = phone_segment()
    waiting_segment = phone_segment()

    url = url_of(database)
    marker = tmp_path / "entries-inserted"
    with (
        Worker(url, FIRST_USER, tmp_path, "--hold-after-entries", str(marker)) as held,
        Worker(url, SECOND_USER, tmp_path) as waiting,
    ):
        held.send(
            {
                "action": "log",
                "segment": held_segment,
                "output_folder": str(tmp_path / "held"),
            }
        )
        wait_until(marker.exists, "the first worker to insert the log entries")
        waiting.send(
            {
                "action": "log",
                "segment": waiting_segment,
                "output_folder": str(tmp_path / "waiting"),
            }
        )
        time.sleep(WAIT_FOR_SECOND_LOG)
        assert waiting.replies.empty(), waiting.replies.get()
        assert held.kill() == -9
        reply = waiting.receive()

    assert reply["ok"], reply
    assert reply["entries"] == len(LOGGED_CONTACTS)
    assert [row.segment_no for row in LoggedSegment.select()] == [waiting_segment]
    numbers = entry_numbers(reply["logged_segment_no"])
    assert numbers[-1] - numbers[0] == len(LOGGED_CONTACTS) - 1


@pytest.mark.sqlite_only
def test_sqlite_keys_declared_autoincrement(database: Database) -> None:
    for table in ("attachment", "logged_segment", "interaction_log_entry"):
        sql = database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
        assert "PRIMARY KEY AUTOINCREMENT" in sql, table
