"""Several users on one database: simultaneous writes, a killed process, edit
conflicts, a busy SQLite file, and upgrading and copying a shared database.

The simultaneous writers are separate processes (tests/concurrent_worker.py), each
with its own connection, as two users on two terminals would be.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from peewee import Database, chunked

import segtui.db
from segtui.db import create_database, open_database, write_transaction
from segtui.domain.criteria import AddOptions, filters_from_pairs
from segtui.domain.errors import ConflictError, DatabaseBusyError
from segtui.domain.line_editing import get_line, update_line
from segtui.domain.segment_actions import add_contacts, count_add_contacts
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import create_segment, get_segment, update_header
from segtui.models import (
    ALL_MODELS,
    Attachment,
    Contact,
    InteractionLogEntry,
    LoggedSegment,
    Role,
    SegmentHeader,
    SegmentLine,
    Setting,
    UserSetup,
)
from segtui.models.migrations import LATEST_VERSION, current_version, migrate
from tests.backends import POSTGRES, sqlite_url
from tests.builders import build_world
from tests.concurrent_worker import (
    BusyWarnings,
    Worker,
    busy_warnings,
    separate_database_url,
    table_rows,
    url_of,
    wait_until,
)
from tests.conftest import TEST_USER
from tests.test_cli import run_segtui

# Two marketers who work on the same segments at the same time.
FIRST_USER = "anna"
SECOND_USER = "ben"


def add_marketers(*users: str) -> None:
    """Make TEST_USER an admin and each of ``users`` a marketer."""
    UserSetup.insert(user_id=TEST_USER, role=Role.ADMIN).on_conflict_ignore().execute()
    for user in users:
        UserSetup.insert(user_id=user, role=Role.MARKETER).execute()


# Logging the same segment twice at once.

SIMULTANEOUS_LINES = 5000
SIMULTANEOUS_ROUNDS = 20


def insert_dutch_contacts(count: int) -> None:
    """Insert ``count`` persons with country NL, which no build_world contact has."""
    rows = [
        {
            "no": f"NL{number:05d}",
            "name": f"Sanne de Vries {number}",
            "country_code": "NL",
            "language": "EN",
        }
        for number in range(1, count + 1)
    ]
    with segtui.db.current_database().atomic():
        # The PostgreSQL protocol takes at most 65,535 parameters per statement.
        for batch in chunked(rows, 1000):
            Contact.insert_many(batch).execute()


def test_simultaneous_logging_logs_once(database: Database, tmp_path: Path) -> None:
    url = url_of(database)
    build_world()
    add_marketers(FIRST_USER, SECOND_USER)
    insert_dutch_contacts(SIMULTANEOUS_LINES)

    with (
        Worker(url, FIRST_USER, tmp_path) as first,
        Worker(url, SECOND_USER, tmp_path) as second,
    ):
        for round_no in range(1, SIMULTANEOUS_ROUNDS + 1):
            # CALL has no Word attachment, so logging merges no letters.
            segment = create_segment(
                f"Phone campaign, round {round_no}",
                user=TEST_USER,
                template_code="CALL",
                salesperson_code="AH",
            )
            added = add_contacts(
                segment.no,
                filters_from_pairs(["country=NL"]),
                AddOptions(),
                user=TEST_USER,
            )
            assert added.inserted == SIMULTANEOUS_LINES

            # Both workers block on stdin, so they start logging at nearly the same moment.
            request = {
                "action": "log",
                "segment": segment.no,
                "output_folder": str(tmp_path / "letters" / segment.no),
            }
            first.send(request)
            second.send(request)
            replies = {FIRST_USER: first.receive(), SECOND_USER: second.receive()}

            winners = [user for user, reply in replies.items() if reply["ok"]]
            assert len(winners) == 1, f"round {round_no}: {replies}"
            winner = winners[0]
            loser = SECOND_USER if winner == FIRST_USER else FIRST_USER
            won = replies[winner]
            lost = replies[loser]
            assert won["entries"] == SIMULTANEOUS_LINES
            assert lost["error"] == "NotFoundError", lost
            assert f"Segment {segment.no} was logged by {winner} at " in lost["message"]
            assert f"logged segment {won['logged_segment_no']}" in lost["message"]

            logged = list(
                LoggedSegment.select().where(LoggedSegment.segment_no == segment.no)
            )
            assert len(logged) == 1
            assert logged[0].entry_no == won["logged_segment_no"]
            assert logged[0].user_id == winner
            entries = InteractionLogEntry.select().where(
                InteractionLogEntry.segment_no == segment.no
            )
            assert entries.count() == SIMULTANEOUS_LINES
            assert (
                entries.where(
                    InteractionLogEntry.logged_segment == logged[0].entry_no
                ).count()
                == SIMULTANEOUS_LINES
            )
            assert SegmentHeader.get_or_none(SegmentHeader.no == segment.no) is None
            assert (
                SegmentLine.select().where(SegmentLine.segment == segment.no).count()
                == 0
            )


# Adding contacts to one segment twice at once.

ADD_ROUNDS = 5
FIRST_FILTERS = ["country=DE|AT"]
SECOND_FILTERS = ["mailing-group=NEWS"]


def test_simultaneous_adds_give_union(
    sample_database: Database, tmp_path: Path
) -> None:
    add_marketers(FIRST_USER, SECOND_USER)
    url = url_of(sample_database)

    # The union, built one action after the other.
    control = create_segment("Union, one after the other", user=TEST_USER)
    first_alone = add_contacts(
        control.no, filters_from_pairs(FIRST_FILTERS), AddOptions(), user=TEST_USER
    ).inserted
    second_after = add_contacts(
        control.no, filters_from_pairs(SECOND_FILTERS), AddOptions(), user=TEST_USER
    ).inserted
    second_alone = count_add_contacts(filters_from_pairs(SECOND_FILTERS), AddOptions())
    expected = set(
        SegmentLine.select(SegmentLine.contact)
        .where(SegmentLine.segment == control.no)
        .tuples()
    )
    # The filters overlap, and each selects contacts the other does not.
    overlap = second_alone - second_after
    assert overlap > 0
    assert first_alone > overlap
    assert second_after > 0
    assert len(expected) == first_alone + second_after

    with (
        Worker(url, FIRST_USER, tmp_path) as first,
        Worker(url, SECOND_USER, tmp_path) as second,
    ):
        for round_no in range(1, ADD_ROUNDS + 1):
            segment = create_segment(f"Union, round {round_no}", user=TEST_USER)
            first.send(
                {"action": "add", "segment": segment.no, "filters": FIRST_FILTERS}
            )
            second.send(
                {"action": "add", "segment": segment.no, "filters": SECOND_FILTERS}
            )
            first_reply = first.receive()
            second_reply = second.receive()
            assert first_reply["ok"], first_reply
            assert second_reply["ok"], second_reply

            lines = list(
                SegmentLine.select(SegmentLine.contact, SegmentLine.line_no)
                .where(SegmentLine.segment == segment.no)
                .tuples()
            )
            contacts = [contact for contact, _line_no in lines]
            line_nos = [line_no for _contact, line_no in lines]
            assert len(contacts) == len(set(contacts)), f"round {round_no}"
            assert len(line_nos) == len(set(line_nos)), f"round {round_no}"
            assert {(contact,) for contact in contacts} == expected
            assert first_reply["inserted"] + second_reply["inserted"] == len(expected)


# A process killed while logging.


def test_killed_logging_leaves_segment_unlogged(
    database: Database, tmp_path: Path
) -> None:
    url = url_of(database)
    build_world()
    add_marketers(FIRST_USER)
    segment = create_segment(
        "Calls to everyone", user=TEST_USER, template_code="CALL", salesperson_code="AH"
    )
    lines = add_contacts(
        segment.no,
        filters_from_pairs(["country=DE|AT|CH|GB|US"]),
        AddOptions(),
        user=TEST_USER,
    ).inserted
    assert lines > 0

    marker = tmp_path / "entries-inserted"
    with Worker(
        url, FIRST_USER, tmp_path, "--hold-after-entries", str(marker)
    ) as worker:
        worker.send(
            {
                "action": "log",
                "segment": segment.no,
                "output_folder": str(tmp_path / "letters"),
            }
        )
        wait_until(marker.exists, "the worker to insert the log entries")
        assert marker.read_text(encoding="utf-8") == str(lines)
        # A query on another connection does not return the uncommitted entries.
        assert InteractionLogEntry.select().count() == 0
        assert worker.kill() == -9

    assert get_segment(segment.no).description == "Calls to everyone"
    assert (
        SegmentLine.select().where(SegmentLine.segment == segment.no).count() == lines
    )
    assert LoggedSegment.select().count() == 0
    assert InteractionLogEntry.select().count() == 0

    result = log_segment(
        segment.no, LogOptions(output_folder=tmp_path / "letters"), user=TEST_USER
    )
    assert result.entries == lines
    assert LoggedSegment.select().count() == 1
    assert InteractionLogEntry.select().count() == lines


# Two users changing the same line or header.


@pytest.fixture
def shared_segment(database: Database) -> SegmentHeader:
    """A segment with the small world's contacts that two marketers both change."""
    build_world()
    add_marketers(FIRST_USER, SECOND_USER)
    segment = create_segment(
        "Catalogue", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    )
    add_contacts(
        segment.no, filters_from_pairs(["country=DE|AT"]), AddOptions(), user=TEST_USER
    )
    return segment


def test_line_edit_conflict_names_first_user(shared_segment: SegmentHeader) -> None:
    line_no = (
        SegmentLine.select(SegmentLine.line_no)
        .where(SegmentLine.segment == shared_segment.no)
        .order_by(SegmentLine.line_no)
        .scalar()
    )
    version = get_line(shared_segment.no, line_no).version

    update_line(
        shared_segment.no,
        line_no,
        {"description": "Catalogue with price list", "unit_cost": "2.50"},
        user=FIRST_USER,
        expected_version=version,
    )
    with pytest.raises(ConflictError) as caught:
        update_line(
            shared_segment.no,
            line_no,
            {"description": "Catalogue without price list", "personal_note": "Hi"},
            user=SECOND_USER,
            expected_version=version,
        )

    assert caught.value.modified_by == FIRST_USER
    assert f"was changed by {FIRST_USER} at " in caught.value.message
    assert "nothing was saved" in caught.value.message
    line = get_line(shared_segment.no, line_no)
    assert line.description == "Catalogue with price list"
    assert line.unit_cost == Decimal("2.50")
    assert line.personal_note == ""
    assert line.version == version + 1
    assert line.modified_by == FIRST_USER


def test_header_edit_conflict_names_first_user(shared_segment: SegmentHeader) -> None:
    version = get_segment(shared_segment.no).version

    update_header(
        shared_segment.no,
        {"description": "Catalogue spring", "subject": "Spring catalogue"},
        user=FIRST_USER,
        expected_version=version,
    )
    with pytest.raises(ConflictError) as caught:
        update_header(
            shared_segment.no,
            {"description": "Catalogue autumn", "subject": "Autumn catalogue"},
            user=SECOND_USER,
            expected_version=version,
        )

    assert caught.value.modified_by == FIRST_USER
    assert f"Segment {shared_segment.no} was changed by {FIRST_USER} at " in (
        caught.value.message
    )
    header = get_segment(shared_segment.no)
    assert header.description == "Catalogue spring"
    assert header.subject == "Spring catalogue"
    assert header.version == version + 1
    assert header.modified_by == FIRST_USER
    subjects = {
        line.subject
        for line in SegmentLine.select().where(SegmentLine.segment == shared_segment.no)
    }
    assert subjects == {"Spring catalogue"}


def test_header_change_conflicts_line_edit(shared_segment: SegmentHeader) -> None:
    line_no = (
        SegmentLine.select(SegmentLine.line_no)
        .where(SegmentLine.segment == shared_segment.no)
        .order_by(SegmentLine.line_no)
        .scalar()
    )
    line_version = get_line(shared_segment.no, line_no).version

    # The header's subject goes to every line.
    update_header(shared_segment.no, {"subject": "New subject"}, user=FIRST_USER)
    with pytest.raises(ConflictError) as caught:
        update_line(
            shared_segment.no,
            line_no,
            {"subject": "My own subject"},
            user=SECOND_USER,
            expected_version=line_version,
        )

    assert get_line(shared_segment.no, line_no).subject == "New subject"
    assert caught.value.modified_by == FIRST_USER
    assert f"was changed by {FIRST_USER} at " in caught.value.message


# A busy SQLite database.


@contextmanager
def sqlite_writer(path: str) -> Iterator[sqlite3.Connection]:
    """Hold SQLite's write lock on another connection until the block ends."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.close()


@pytest.mark.sqlite_only
def test_busy_database_raises_busy_error(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segtui.db, "BUSY_ATTEMPTS", 2)
    # Sets PRAGMA busy_timeout on this thread's connection, in seconds.
    database.timeout = 0.1

    with (
        sqlite_writer(database.database),
        pytest.raises(DatabaseBusyError) as caught,
        write_transaction(),
    ):
        Setting.create(key="busy", value="never written")

    assert caught.value.message.startswith("The database is busy")
    assert "Try again in a moment" in caught.value.message
    assert Setting.get_or_none(Setting.key == "busy") is None


@pytest.mark.sqlite_only
def test_busy_database_waits_for_commit(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segtui.db, "BUSY_ATTEMPTS", 3)
    database.timeout = 0.5

    def commit_after_first_warning(
        connection: sqlite3.Connection, warnings: BusyWarnings
    ) -> None:
        if warnings.first.wait(timeout=30):
            connection.execute("COMMIT")

    with busy_warnings() as warnings, sqlite_writer(database.database) as other:
        other.execute("INSERT INTO setting (key, value) VALUES ('other', 'first')")
        committer = threading.Thread(
            target=commit_after_first_warning, args=(other, warnings)
        )
        committer.start()
        with write_transaction():
            Setting.create(key="mine", value="second")
        committer.join(timeout=30)

    assert Setting.get(Setting.key == "other").value == "first"
    assert Setting.get(Setting.key == "mine").value == "second"
    assert len(warnings.records) in (1, 2)
    assert "database busy, attempt 1 of 3" in warnings.records[0][1]


# Upgrading a database made by segtui's first schema.


def insert_row(database: Database, table: str, values: dict[str, Any]) -> None:
    columns = ", ".join(f'"{column}"' for column in values)
    placeholders = ", ".join(database.param for _value in values)
    database.execute_sql(
        f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})',
        tuple(values.values()),
    )


def fill_version_1(database: Database) -> None:
    """Insert a contact, a segment with a line, and a logged segment with an entry,
    with the columns of schema version 1."""
    insert_row(
        database, "language", {"code": "DE", "name": "Deutsch", "locale": "de_DE"}
    )
    insert_row(
        database,
        "salesperson",
        {
            "code": "JÖ",
            "name": "Jörg Öztürk",
            "job_title": "",
            "phone": "",
            "email": "jo@example.de",
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
            "address": "Hauptstraße 1",
            "address_2": "",
            "post_code": "10115",
            "city": "Berlin",
            "county": "",
            "country_code": "DE",
            "phone": "",
            "mobile_phone": "",
            "email": "jm@example.de",
            "language_code": "DE",
            "correspondence_type": "hard_copy",
            "job_title": "",
            "exclude_from_segment": False,
            "privacy_blocked": False,
            "created_by": "olduser",
            "modified_by": "olduser",
            "version": 1,
        },
    )
    shared = {
        "subject": "Frühjahr",
        "correspondence_type": "hard_copy",
        "unit_cost": "1.20",
        "unit_duration": "5.00",
        "information_flow": "outbound",
        "initiated_by": "us",
        "campaign_target": False,
        "campaign_response": False,
        "version": 3,
    }
    insert_row(
        database,
        "segment_header",
        {
            "no": "SEG00001",
            "description": "Frühjahrsaktion",
            "date": "2026-03-01",
            "salesperson_code": "JÖ",
            "language_code": "DE",
            "ignore_contact_corresp_type": False,
            "send_word_docs_as_attachment": False,
            "created_at": "2026-02-27 09:30:00",
            "created_by": "olduser",
            "modified_at": "2026-02-27 09:30:00",
            "modified_by": "olduser",
            **shared,
        },
    )
    insert_row(
        database,
        "segment_line",
        {
            "segment_no": "SEG00001",
            "line_no": 10000,
            "contact_no": "CT000001",
            "date": "2026-03-01",
            "salesperson_code": "JÖ",
            "language_code": "DE",
            "description": "Katalogbrief",
            "evaluation": "",
            "personal_note": "Grüße an die Familie",
            **shared,
        },
    )
    insert_row(
        database,
        "logged_segment",
        {
            "segment_no": "SEG00000",
            "description": "Winteraktion",
            "created_at": "2026-01-15 14:00:00",
            "user_id": "olduser",
            "canceled": False,
        },
    )
    insert_row(
        database,
        "interaction_log_entry",
        {
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
            "segment_no": "SEG00000",
            "logged_segment_entry_no": 1,
            "merge_values": json.dumps({"name": "Jürgen Müller", "city": "Berlin"}),
            "delivery_status": "not_delivered",
            "delivery_error": "",
            "document_path": "",
            "canceled": False,
            "user_id": "olduser",
        },
    )


def test_version_1_database_upgrades(tmp_path: Path) -> None:
    with separate_database_url(tmp_path) as url:
        database = create_database(url)
        database.connect()
        assert migrate(database, target=1) == [1]
        fill_version_1(database)
        database.close()

        rejected = run_segtui(url, "segment", "list", check=False)
        assert rejected.returncode == 1
        assert "schema version 1" in rejected.stderr
        assert "run `segtui db migrate`" in rejected.stderr

        upgraded = run_segtui(url, "db", "migrate")
        assert f"from schema version 1 to {LATEST_VERSION}" in upgraded.stderr
        again = run_segtui(url, "db", "migrate")
        assert f"at schema version {LATEST_VERSION} already" in again.stderr

        segment_json = json.loads(
            run_segtui(url, "segment", "show", "SEG00001", "--json").stdout
        )
        assert segment_json["header"]["description"] == "Frühjahrsaktion"
        assert segment_json["header"]["salesperson"] == "JÖ"
        assert segment_json["header"]["unit_cost"] == 1.2
        assert [
            (line["contact_no"], line["contact_name"], line["description"])
            for line in segment_json["lines"]
        ] == [("CT000001", "Jürgen Müller", "Katalogbrief")]
        logged = json.loads(run_segtui(url, "logged", "show", "1", "--json").stdout)
        assert logged["segment_no"] == "SEG00000"
        assert logged["user"] == "olduser"
        assert [(e["contact_name"], e["subject"]) for e in logged["entries"]] == [
            ("Jürgen Müller", "Winter")
        ]

        database = open_database(url, create=False)
        try:
            assert current_version(database) == LATEST_VERSION
            columns = {column.name for column in database.get_columns("segment_line")}
            assert {"modified_at", "modified_by"} <= columns
            line = SegmentLine.get(SegmentLine.segment == "SEG00001")
            assert line.personal_note == "Grüße an die Familie"
            assert line.version == 3
            assert line.modified_by == ""
            assert line.modified_at is None
            entry = InteractionLogEntry.get()
            assert entry.merge_values == {"name": "Jürgen Müller", "city": "Berlin"}

            # The new columns record who changes an old line.
            update_line(
                "SEG00001",
                10000,
                {"description": "Katalogbrief 2026"},
                user=TEST_USER,
                expected_version=3,
            )
            line = SegmentLine.get(SegmentLine.segment == "SEG00001")
            assert line.modified_by == TEST_USER
            assert line.modified_at is not None
        finally:
            database.close()


# Copying a whole database between SQLite and PostgreSQL.


def copied_samples(
    database: Database, contact_nos: list[str], logged_segment_no: int
) -> tuple[dict[str, str], list[dict[str, Any]], list[tuple[bytes, bool]]]:
    """Return contacts' names, a logged segment's merge values and every attachment."""
    with database.bind_ctx(ALL_MODELS):
        names = dict(
            Contact.select(Contact.no, Contact.name)
            .where(Contact.no.in_(contact_nos))
            .tuples()
        )
        merge_values = [
            entry.merge_values
            for entry in InteractionLogEntry.select()
            .where(InteractionLogEntry.logged_segment == logged_segment_no)
            .order_by(InteractionLogEntry.contact_no)
        ]
        attachments = [
            (bytes(attachment.content), attachment.read_only)
            for attachment in Attachment.select().order_by(Attachment.id)
        ]
    return names, merge_values, attachments


@pytest.mark.skipif(
    not POSTGRES,
    reason="copying to PostgreSQL needs a server; set SEGTUI_TEST_DATABASE_URL to a "
    "postgresql:// URL, which `scripts/test-postgres start DIR` prints",
)
def test_copy_to_postgresql_and_back(
    sample_database_file: Path, tmp_path: Path
) -> None:
    source_path = tmp_path / "source.sqlite3"
    source_path.write_bytes(sample_database_file.read_bytes())
    source_url = sqlite_url(source_path)
    copy_back_url = sqlite_url(tmp_path / "copied-back.sqlite3")

    # A logged segment gives entries with merge values and read-only attachments.
    source = open_database(source_url)
    umlaut_contacts = [
        contact.no
        for contact in Contact.select()
        .where(Contact.name.contains("ü") & (Contact.type == "person"))
        .order_by(Contact.no)
        .limit(4)
    ]
    assert len(umlaut_contacts) == 4
    segment = create_segment("Grüße aus Köln", user=TEST_USER, template_code="LETTER")
    add_contacts(
        segment.no,
        filters_from_pairs(["no=" + "|".join(umlaut_contacts)]),
        AddOptions(),
        user=TEST_USER,
    )
    logged = log_segment(
        segment.no, LogOptions(output_folder=tmp_path / "letters"), user=TEST_USER
    )
    assert logged.entries == 4
    source.close()

    with separate_database_url(tmp_path) as postgres_url:
        run_segtui(source_url, "db", "copy", source_url, postgres_url)
        run_segtui(source_url, "db", "copy", postgres_url, copy_back_url)

        source = create_database(source_url)
        middle = create_database(postgres_url)
        copied_back = create_database(copy_back_url)
        try:
            expected = table_rows(source)
            in_postgres = table_rows(middle)
            copied_back_rows = table_rows(copied_back)
            assert in_postgres.keys() == expected.keys()
            assert copied_back_rows.keys() == expected.keys()
            for table, rows in expected.items():
                assert len(in_postgres[table]) == len(rows), table
                assert len(copied_back_rows[table]) == len(rows), table
                assert in_postgres[table] == rows, table
                assert copied_back_rows[table] == rows, table

            samples = copied_samples(middle, umlaut_contacts, logged.logged_segment_no)
            assert samples == copied_samples(
                source, umlaut_contacts, logged.logged_segment_no
            )
            names, merge_values, attachments = samples
            assert len(names) == 4
            assert all("ü" in name for name in names.values())
            assert len(merge_values) == 4
            assert all(
                values["name"] == names[values["contact_no"]] for values in merge_values
            )
            letters = [content for content, read_only in attachments if read_only]
            assert letters
            assert all(content.startswith(b"PK") for content in letters)

            rejected = run_segtui(
                source_url, "db", "copy", source_url, postgres_url, check=False
            )
            assert rejected.returncode == 1
            assert "already has tables" in rejected.stderr
            assert table_rows(middle) == in_postgres
        finally:
            source.close()
            middle.close()
            copied_back.close()
