"""Segment history in columns: criteria actions record whole lines, Go Back restores them.

Each test also checks the history row's own columns, the form since schema 7, and
that Go Back or Go Forward puts every column of every line back, edits included.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
from peewee import Database, Value

from segtui.db import bind, create_database, is_sqlite
from segtui.domain.attachments import create_attachment, used_attachment_ids
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_actions import (
    SNAPSHOT_FIELDS,
    add_contacts,
    delete_lines,
    go_back,
    go_forward,
    record_action,
    reduce_contacts,
    refine_contacts,
)
from segtui.domain.segmentation import create_segment, delete_segment
from segtui.domain.sql import json_object
from segtui.models import (
    SegmentCriteriaAction,
    SegmentHeader,
    SegmentHistory,
    SegmentLine,
)
from segtui.models.migrations import MIGRATIONS, migrate
from tests.backends import POSTGRES, SERVER_URL, sqlite_url, worker_database_url
from tests.builders import word_file
from tests.conftest import TEST_USER

KEEP = {"contact": {"no": "CO1|CO2"}}


def new_segment() -> str:
    return create_segment(
        "Winter catalogue",
        user=TEST_USER,
        template_code="LETTER",
        salesperson_code="AH",
    ).no


def segment_with_everyone() -> str:
    no = new_segment()
    add_contacts(no, {}, AddOptions(ignore_exclusion=True), user=TEST_USER)
    return no


def line_rows(no: str) -> list[dict[str, Any]]:
    """Return a segment's lines as whole rows in line order, without the row id.

    A restored line is a new row, so its id differs; the line number identifies it.
    """
    rows = list(
        SegmentLine.select()
        .where(SegmentLine.segment == no)
        .order_by(SegmentLine.line_no)
        .dicts()
    )
    for row in rows:
        del row["id"]
    return rows


def edit_line(no: str, contact_no: str, attachment_id: int | None = None) -> None:
    """Give a contact's line values in every column a user or logging can change."""
    updated = (
        SegmentLine.update(
            date=date(2027, 3, 14),
            subject="Spring offer",
            description="Edited by hand",
            unit_cost=Decimal("7.35"),
            unit_duration=Decimal("12.50"),
            evaluation="positive",
            campaign_target=True,
            campaign_response=True,
            attachment=attachment_id,
            personal_note="Met at the fair\nCall in May",
            version=4,
            modified_at=datetime(2027, 3, 14, 9, 30, 5),
            modified_by="editor",
        )
        .where((SegmentLine.segment == no) & (SegmentLine.contact == contact_no))
        .execute()
    )
    assert updated == 1


def new_attachment() -> int:
    return create_attachment(
        "own letter.docx", word_file(["ContactNo"]), user=TEST_USER
    ).id


def history_rows(action_id: int, change: str) -> list[SegmentHistory]:
    return list(
        SegmentHistory.select()
        .where((SegmentHistory.action == action_id) & (SegmentHistory.change == change))
        .order_by(SegmentHistory.line_no)
    )


def assert_history_columns(rows: list[SegmentHistory], lines: list[dict]) -> None:
    """Check that each history row keeps its line in the columns of the same name."""
    assert [row.line_no for row in rows] == [line["line_no"] for line in lines]
    for row, line in zip(rows, lines, strict=True):
        for field in SNAPSHOT_FIELDS:
            kept = getattr(row, field.column_name)
            assert kept == line[field.name], field.name


def test_refine_history_keeps_edited_line(world):
    no = segment_with_everyone()
    attachment_id = new_attachment()
    edit_line(no, "IND1", attachment_id)
    before = line_rows(no)
    removed = [line for line in before if line["contact"] not in ("CO1", "CO2")]

    result = refine_contacts(no, KEEP, user=TEST_USER)

    assert result.deleted == len(removed)
    assert [line["contact"] for line in line_rows(no)] == ["CO1", "CO2"]
    rows = history_rows(result.action_id, "deleted")
    assert_history_columns(rows, removed)
    edited = next(row for row in rows if row.contact_no == "IND1")
    assert edited.personal_note == "Met at the fair\nCall in May"
    assert edited.attachment_id == attachment_id
    # The line's own letter stays in use while the history can restore the line.
    assert used_attachment_ids([attachment_id]) == {attachment_id}

    go_back(no, user=TEST_USER)

    assert line_rows(no) == before


def test_reduce_go_back_restores_lines(world):
    no = segment_with_everyone()
    edit_line(no, "CO2P1")
    before = line_rows(no)
    removed = [line for line in before if line["contact"] in ("CO2", "CO2P1")]

    result = reduce_contacts(no, {"contact": {"no": "CO2*"}}, user=TEST_USER)

    assert result.deleted == 2
    assert_history_columns(history_rows(result.action_id, "deleted"), removed)
    go_back(no, user=TEST_USER)
    assert line_rows(no) == before


def test_add_go_back_keeps_edits(world):
    no = new_segment()
    add_contacts(no, {"contact": {"no": "CO1"}}, AddOptions(), user=TEST_USER)
    result = add_contacts(
        no, {"contact": {"no": "IND1|IND2"}}, AddOptions(), user=TEST_USER
    )
    edit_line(no, "IND2", new_attachment())
    before = line_rows(no)

    go_back(no, user=TEST_USER)

    assert [line["contact"] for line in line_rows(no)] == ["CO1"]
    assert_history_columns(history_rows(result.action_id, "inserted"), before[1:])
    go_forward(no, user=TEST_USER)
    assert line_rows(no) == before


def test_delete_line_go_back_restores(world):
    no = segment_with_everyone()
    edit_line(no, "IND3")
    before = line_rows(no)
    line = next(line for line in before if line["contact"] == "IND3")

    result = delete_lines(no, [line["line_no"]], user=TEST_USER)

    assert_history_columns(history_rows(result.action_id, "deleted"), [line])
    go_back(no, user=TEST_USER)
    assert line_rows(no) == before


def test_go_forward_keeps_newer_edits(world):
    """Go Forward snapshots the lines it deletes again, with edits made meanwhile."""
    no = segment_with_everyone()
    result = refine_contacts(no, KEEP, user=TEST_USER)
    go_back(no, user=TEST_USER)
    edit_line(no, "IND1")
    edited = line_rows(no)

    go_forward(no, user=TEST_USER)

    kept = history_rows(result.action_id, "deleted")
    ind1 = next(row for row in kept if row.contact_no == "IND1")
    assert ind1.personal_note == "Met at the fair\nCall in May"
    assert ind1.modified_by == "editor"
    assert [line["contact"] for line in line_rows(no)] == ["CO1", "CO2"]
    go_back(no, user=TEST_USER)
    assert line_rows(no) == edited


def json_history_statements(database) -> list[str]:
    """Return migration 1's DDL for segment_history, its form up to schema 6."""
    dialect = "sqlite" if is_sqlite() else "postgresql"
    text = (
        resources.files("segtui.models.migrations")
        .joinpath(f"0001_initial.{dialect}.sql")
        .read_text(encoding="utf-8")
    )
    return [
        statement.strip()
        for statement in text.split(";\n")
        if '"segment_history"' in statement
    ]


def test_json_history_restores_after_migration(database, world):
    """A line kept as JSON before schema 7 comes back whole after migrations 7 and 10.

    Migration 7 builds the history table anew with 32-bit line numbers. Migration
    13 widens them again, as in a real upgrade, because the worker's PostgreSQL
    database keeps this table for the tests after this one.
    """
    no = segment_with_everyone()
    edit_line(no, "IND1", new_attachment())
    before = line_rows(no)
    migrations = [m for m in MIGRATIONS if m.version in (7, 10, 13)]
    gone = (SegmentLine.segment == no) & SegmentLine.contact.not_in(["CO1", "CO2"])

    # Everything in one transaction, so a failure leaves the table as it was.
    with database.atomic():
        # SQLite rejects renaming a table to segment_history, as migration 7 does,
        # while the trigger of schema 10 names that table.
        trigger = '"segment_criteria_action_delete_history"'
        if is_sqlite():
            database.execute_sql(f"DROP TRIGGER {trigger}")
        else:
            database.execute_sql(f'DROP TRIGGER {trigger} ON "segment_criteria_action"')
        database.execute_sql('DROP TABLE "segment_history"')
        for statement in json_history_statements(database):
            database.execute_sql(statement)
        segment = SegmentHeader.get_by_id(no)
        action = record_action(segment, "refine", KEEP, {}, TEST_USER)
        # The statement segtui wrote before schema 7.
        old_form = SegmentLine.select(
            Value(action.id),
            Value("deleted"),
            SegmentLine.line_no,
            SegmentLine.contact,
            json_object((field.column_name, field) for field in SNAPSHOT_FIELDS),
        ).where(gone)
        sql, params = old_form.sql()
        database.execute_sql(
            'INSERT INTO "segment_history" ("action_id", "change", "line_no", '
            f'"contact_no", "line_values") {sql}',
            params,
        )
        SegmentLine.delete().where(gone).execute()
        for migration in migrations:
            migration.apply(database)

    assert [line["contact"] for line in line_rows(no)] == ["CO1", "CO2"]
    go_back(no, user=TEST_USER)
    assert line_rows(no) == before
    if not is_sqlite():
        types = {c.name: c.data_type for c in database.get_columns("segment_history")}
        assert types["line_no"] == "bigint"


@pytest.mark.sqlite_only
def test_version_5_history_migrates(tmp_path: Path):
    """History rows of a version 5 database reach their columns by migrate()."""
    database = create_database(sqlite_url(tmp_path / "old.sqlite3"))
    assert migrate(database, target=5) == [1, 2, 3, 4, 5]
    database.execute_sql(
        "INSERT INTO segment_header (no, description, subject, correspondence_type, "
        "ignore_contact_corresp_type, unit_cost, unit_duration, information_flow, "
        "initiated_by, campaign_target, campaign_response, "
        "send_word_docs_as_attachment, created_by, modified_by, version) "
        "VALUES ('SEG1', 'Old', '', '', 0, 0, 0, '', '', 0, 0, 1, '', '', 1)"
    )
    database.execute_sql(
        "INSERT INTO segment_criteria_action (segment_no, sequence, action, filters, "
        "options, active, lines_inserted, lines_deleted, created_by) "
        "VALUES ('SEG1', 1, 'refine', '{}', '{}', 1, 0, 2, 'old')"
    )
    # The first row is from before schema 2, without modified_at and modified_by.
    first = (
        '{"line_no": 10000, "contact_no": "CO1", "date": "2026-01-05", '
        '"salesperson_code": "AH", "interaction_template_code": null, '
        '"language_code": "DE", "subject": "Old offer", "description": "", '
        '"correspondence_type": "email", "unit_cost": 1.2, "unit_duration": 5, '
        '"information_flow": "outbound", "initiated_by": "us", "evaluation": "", '
        '"campaign_no": null, "campaign_target": 1, "campaign_response": 0, '
        '"attachment_id": null, "personal_note": "Note", "version": 3}'
    )
    second = (
        '{"line_no": 20000, "contact_no": "IND1", "date": null, '
        '"salesperson_code": null, "interaction_template_code": "LETTER", '
        '"language_code": null, "subject": "", "description": "d", '
        '"correspondence_type": "", "unit_cost": 0, "unit_duration": 0, '
        '"information_flow": "", "initiated_by": "", "evaluation": "neutral", '
        '"campaign_no": "CP1", "campaign_target": 0, "campaign_response": 1, '
        '"attachment_id": 7, "personal_note": "", "version": 1, '
        '"modified_at": "2026-02-01 08:00:00", "modified_by": "ann"}'
    )
    for line_no, contact_no, values in (
        (10000, "CO1", first),
        (20000, "IND1", second),
    ):
        database.execute_sql(
            "INSERT INTO segment_history (action_id, change, line_no, contact_no, "
            "line_values) VALUES (1, 'deleted', ?, ?, ?)",
            (line_no, contact_no, values),
        )

    assert 7 in migrate(database)

    bind(database)
    rows = list(SegmentHistory.select().order_by(SegmentHistory.line_no))
    database.close()
    assert [row.contact_no for row in rows] == ["CO1", "IND1"]
    old, newer = rows
    assert old.date == date(2026, 1, 5)
    assert old.salesperson_code == "AH"
    assert old.subject == "Old offer"
    assert old.unit_cost == Decimal("1.20")
    assert old.campaign_target is True
    assert old.personal_note == "Note"
    assert old.version == 3
    assert old.modified_at is None
    assert old.modified_by == ""
    assert newer.date is None
    assert newer.interaction_template_code == "LETTER"
    assert newer.campaign_no == "CP1"
    assert newer.campaign_response is True
    assert newer.attachment_id == 7
    assert newer.modified_at == datetime(2026, 2, 1, 8, 0)
    assert newer.modified_by == "ann"


def action_history_count(action_id: int) -> int:
    return SegmentHistory.select().where(SegmentHistory.action == action_id).count()


def test_new_action_drops_undone_history(world):
    """A new action deletes the undone action and its history, and Go Back works."""
    no = segment_with_everyone()
    edit_line(no, "IND1", new_attachment())
    before = line_rows(no)
    first = refine_contacts(no, KEEP, user=TEST_USER)
    assert action_history_count(first.action_id) == first.deleted
    go_back(no, user=TEST_USER)

    second = reduce_contacts(no, {"contact": {"no": "IND*"}}, user=TEST_USER)

    # SQLite may give the new action the id of the deleted one, so the actions
    # and history rows are counted, not looked up by the old id.
    actions = (
        SegmentCriteriaAction.select()
        .where(SegmentCriteriaAction.segment == no)
        .order_by(SegmentCriteriaAction.sequence)
    )
    assert [action.action for action in actions] == ["add", "reduce"]
    assert SegmentHistory.select().count() == second.deleted
    removed = [line for line in before if line["contact"].startswith("IND")]
    assert_history_columns(history_rows(second.action_id, "deleted"), removed)
    go_back(no, user=TEST_USER)
    assert line_rows(no) == before


def test_back_forward_new_action_back(world):
    """Go Back, Go Forward, a new action and Go Back twice give the exact lines."""
    no = segment_with_everyone()
    edit_line(no, "IND1", new_attachment())
    before = line_rows(no)
    refine_contacts(no, KEEP, user=TEST_USER)
    go_back(no, user=TEST_USER)
    edit_line(no, "IND2")
    edited = line_rows(no)
    go_forward(no, user=TEST_USER)
    assert [line["contact"] for line in line_rows(no)] == ["CO1", "CO2"]

    reduce_contacts(no, {"contact": {"no": "CO2"}}, user=TEST_USER)
    assert [line["contact"] for line in line_rows(no)] == ["CO1"]
    go_back(no, user=TEST_USER)
    assert [line["contact"] for line in line_rows(no)] == ["CO1", "CO2"]
    go_back(no, user=TEST_USER)

    assert line_rows(no) == edited
    assert line_rows(no) != before


def test_deleted_segment_takes_history(world):
    """Deleting a segment deletes its actions and, by the trigger, their history."""
    no = segment_with_everyone()
    refined = refine_contacts(no, KEEP, user=TEST_USER)
    other = segment_with_everyone()
    other_refined = refine_contacts(other, KEEP, user=TEST_USER)
    assert action_history_count(refined.action_id) == refined.deleted

    delete_segment(no, user=TEST_USER)

    assert action_history_count(refined.action_id) == 0
    assert action_history_count(other_refined.action_id) == other_refined.deleted


def old_database_name() -> str:
    return urlparse(worker_database_url()).path.lstrip("/") + "_old"


def drop_old_database() -> None:
    """Drop the PostgreSQL database that empty_database_url created, if any."""
    if not POSTGRES:
        return
    import psycopg

    with psycopg.connect(SERVER_URL, autocommit=True) as connection:
        connection.execute(
            f'DROP DATABASE IF EXISTS "{old_database_name()}" WITH (FORCE)'
        )


def empty_database_url(tmp_path: Path) -> str:
    """Return the URL of a new database without tables, beside the worker's own."""
    if not POSTGRES:
        return sqlite_url(tmp_path / "old.sqlite3")
    import psycopg

    drop_old_database()
    with psycopg.connect(SERVER_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{old_database_name()}"')
    worker_url = urlparse(worker_database_url())
    return urlunparse(worker_url._replace(path="/" + old_database_name()))


def version_9_database(tmp_path: Path) -> Database:
    """Create a database at schema version 9, bound to the models."""
    database = create_database(empty_database_url(tmp_path))
    assert migrate(database, target=9)[-1] == 9
    bind(database)
    return database


def test_version_9_history_migrates(tmp_path: Path):
    """Migration 10 keeps history rows whole and deletes them with their action."""
    database = version_9_database(tmp_path)
    assert database.get_foreign_keys("segment_history") != []
    SegmentHeader.create(no="SEG1", description="Old")
    action = SegmentCriteriaAction.create(
        segment="SEG1", sequence=1, action="refine", lines_deleted=2
    )
    # insert_many takes its columns from the first row, so both rows name all.
    rows = [
        {
            "action": action.id,
            "change": "deleted",
            "line_no": 10000,
            "contact_no": "CO1",
            "date": date(2026, 1, 5),
            "salesperson_code": "AH",
            "interaction_template_code": None,
            "language_code": "DE",
            "subject": "Old offer",
            "unit_cost": Decimal("1.20"),
            "campaign_no": None,
            "campaign_target": True,
            "campaign_response": False,
            "evaluation": "",
            "attachment_id": 7,
            "personal_note": "Note\nsecond line",
            "version": 3,
            "modified_at": datetime(2026, 2, 1, 8, 0, 5),
            "modified_by": "ann",
        },
        {
            "action": action.id,
            "change": "deleted",
            "line_no": 20000,
            "contact_no": "IND1",
            "date": None,
            "salesperson_code": None,
            "interaction_template_code": "LETTER",
            "language_code": None,
            "subject": "",
            "unit_cost": Decimal("0"),
            "campaign_no": "CP1",
            "campaign_target": False,
            "campaign_response": True,
            "evaluation": "neutral",
            "attachment_id": None,
            "personal_note": "",
            "version": 1,
            "modified_at": None,
            "modified_by": "",
        },
    ]
    SegmentHistory.insert_many(rows).execute()
    stored = list(SegmentHistory.select().order_by(SegmentHistory.line_no).dicts())

    try:
        assert migrate(database, target=10) == [10]
        migrated = list(
            SegmentHistory.select().order_by(SegmentHistory.line_no).dicts()
        )
        foreign_keys = database.get_foreign_keys("segment_history")
        SegmentCriteriaAction.delete().where(
            SegmentCriteriaAction.id == action.id
        ).execute()
        left = SegmentHistory.select().count()
    finally:
        database.close()
        drop_old_database()

    assert migrated == stored
    assert migrated[0]["personal_note"] == "Note\nsecond line"
    assert migrated[1]["campaign_no"] == "CP1"
    assert foreign_keys == []
    assert left == 0
