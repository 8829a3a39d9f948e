"""Exporting to CSV: contacts re-import to an identical database, cells are safe."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from segtui.domain.contact_import import import_contacts
from segtui.domain.contacts import update_contact
from segtui.domain.csv_export import (
    CONTACT_EXPORT_COLUMNS,
    INTERACTION_EXPORT_COLUMNS,
    SEGMENT_EXPORT_COLUMNS,
    export_contacts,
    export_interactions,
    export_segment,
)
from segtui.domain.profiles import (
    add_contact_answer,
    save_answer,
    save_question,
    save_questionnaire,
)
from segtui.domain.segment_actions import insert_line
from segtui.domain.segmentation import create_segment
from segtui.models import (
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    ContactProfileAnswer,
    InteractionLogEntry,
    LoggedSegment,
)
from tests.conftest import TEST_USER
from tests.test_cli import run_segtui

LINKS = (
    ContactMailingGroup,
    ContactIndustryGroup,
    ContactBusinessRelation,
    ContactJobResponsibility,
    ContactProfileAnswer,
)


def exported(function: Any, *arguments: Any) -> str:
    buffer = io.StringIO(newline="")
    function(buffer, *arguments)
    return buffer.getvalue()


def database_state() -> dict[str, Any]:
    """Every contact with all columns but its row version, and every classification."""
    contacts = {}
    for contact in Contact.select().order_by(Contact.no):
        values = dict(contact.__data__)
        values.pop("version")
        contacts[contact.no] = values
    links = {
        model._meta.table_name: sorted(
            tuple(str(value) for value in row[1:])
            for row in model.select().tuples().execute()
        )
        for model in LINKS
    }
    return {"contacts": contacts, "links": links}


def delete_all_contacts() -> None:
    Contact.update(company=None).execute()
    Contact.delete().execute()


def test_exported_contacts_reimport_identically(sample_database) -> None:
    save_questionnaire("SIZE", "Company size", user=TEST_USER, new=True)
    question = save_question("SIZE", "EMPLOYEES", "Employees", user=TEST_USER)
    save_answer(question, "LARGE", "More than 250", user=TEST_USER)
    add_contact_answer("CT000001", "SIZE:LARGE", user=TEST_USER)
    update_contact(
        "CT000002",
        {"name": '=HYPERLINK("x")', "job_title": "@boss", "city": "-Nord"},
        user=TEST_USER,
    )
    before = database_state()
    text = exported(export_contacts)
    assert text.splitlines()[0] == ",".join(CONTACT_EXPORT_COLUMNS)
    assert "'=HYPERLINK" in text
    assert "'+49" in text

    delete_all_contacts()
    assert Contact.select().count() == 0
    result = import_contacts(text.encode("utf-8"), user=TEST_USER)

    assert result.created == len(before["contacts"])
    after = database_state()
    assert after["links"] == before["links"]
    assert after["contacts"] == before["contacts"]
    assert Contact.get_by_id("CT000002").name == '=HYPERLINK("x")'


def test_export_is_stable(sample_database) -> None:
    first = exported(export_contacts)
    second = exported(export_contacts)
    assert first == second
    assert first.count("\r\n") == Contact.select().count() + 1


def test_export_segment_lines(world) -> None:
    segment = create_segment("Herbst", user=TEST_USER, template_code="LETTER")
    insert_line(segment.no, "IND1", user=TEST_USER)
    insert_line(segment.no, "CO1P1", user=TEST_USER)
    rows = list(csv.reader(io.StringIO(exported(export_segment, segment.no))))
    assert rows[0] == list(SEGMENT_EXPORT_COLUMNS)
    assert [row[2] for row in rows[1:]] == ["IND1", "CO1P1"]
    by_column = dict(zip(rows[0], rows[2], strict=True))
    assert by_column["company_no"] == "CO1"
    assert by_column["company_name"] == "Müller GmbH"
    assert by_column["interaction_template_code"] == "LETTER"
    assert by_column["date"] == "2026-12-04"


def test_export_interactions(world) -> None:
    logged = LoggedSegment.create(
        segment_no="SEG1", created_at=datetime(2026, 12, 1, 9, 30), user_id=TEST_USER
    )
    for number, canceled in (("IND1", False), ("IND2", True)):
        InteractionLogEntry.create(
            contact_no=number,
            contact_name=number,
            date=date(2026, 12, 1),
            created_at=datetime(2026, 12, 1, 9, 30),
            logged_segment=logged,
            description="-minus first",
            canceled=canceled,
        )
    rows = list(csv.reader(io.StringIO(exported(export_interactions))))
    assert rows[0] == list(INTERACTION_EXPORT_COLUMNS)
    values = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [row["contact_no"] for row in values] == ["IND1", "IND2"]
    assert [row["canceled"] for row in values] == ["no", "yes"]
    assert values[0]["created_at"] == "2026-12-01T09:30:00"
    assert values[0]["description"] == "'-minus first"
    assert values[0]["logged_segment_no"] == str(logged.entry_no)


def test_cli_export_and_import(sample_database_path, tmp_path: Path) -> None:
    target = tmp_path / "contacts.csv"
    run_segtui(sample_database_path, "export", "contacts", "-o", str(target))
    data = target.read_bytes()
    assert data.startswith(b"no,type,name,")
    stdout = run_segtui(
        sample_database_path, "export", "contacts", "--filter", "country=NL"
    ).stdout
    rows = list(csv.reader(io.StringIO(stdout)))
    assert len(rows) > 10
    assert all(row[12] == "NL" for row in rows[1:])

    rejected = run_segtui(
        sample_database_path, "import", "contacts", str(target), check=False
    )
    assert rejected.returncode == 1
    assert "line 2, column no: contact CT000001 exists already" in rejected.stderr

    checked = run_segtui(
        sample_database_path, "import", "contacts", str(target), "--update", "--dry-run"
    )
    assert "2,000 unchanged" in checked.stderr

    interactions = run_segtui(sample_database_path, "export", "interactions").stdout
    assert interactions.splitlines()[0].startswith("entry_no,contact_no,")
