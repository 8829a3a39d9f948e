"""Importing contacts from CSV: all rows or none, every problem with line and column.

The small world (tests/builders.py) has the mailing groups NEWS and VIP, the
industry groups RETAIL and IT, the companies CO1 and CO2 and a few persons.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from playhouse.test_utils import count_queries

from segtui.domain.contact_import import import_contacts
from segtui.domain.contacts import update_contact
from segtui.domain.csv_format import CsvError, escape_cell, unescape_cell
from segtui.domain.segment_actions import insert_line
from segtui.domain.segmentation import create_segment
from segtui.models import (
    Contact,
    ContactIndustryGroup,
    ContactMailingGroup,
    NumberSeries,
)
from tests.conftest import TEST_USER

HEADER = [
    "no",
    "type",
    "name",
    "first_name",
    "surname",
    "company_no",
    "city",
    "country_code",
    "email",
    "mailing_groups",
    "industry_groups",
]


def thousand_rows() -> list[dict[str, str]]:
    """100 companies with 9 persons each, numbered N0001 to N1000."""
    rows = []
    for company in range(100):
        company_no = f"N{company * 10 + 1:04d}"
        rows.append(
            {
                "no": company_no,
                "type": "company",
                "name": f"Firma {company} GmbH",
                "first_name": "",
                "surname": "",
                "company_no": "",
                "city": "Köln",
                "country_code": "DE",
                "email": f"info{company}@firma.example",
                "mailing_groups": "NEWS" if company % 2 else "",
                "industry_groups": "RETAIL" if company % 3 else "IT",
            }
        )
        for person in range(2, 11):
            rows.append(
                {
                    "no": f"N{company * 10 + person:04d}",
                    "type": "person",
                    "name": "",
                    "first_name": f"Vorname{person}",
                    "surname": f"Nachname{company}",
                    "company_no": company_no,
                    "city": "",
                    "country_code": "",
                    "email": f"p{company}.{person}@firma.example",
                    "mailing_groups": "NEWS;VIP" if person % 2 else "",
                    "industry_groups": "",
                }
            )
    return rows


def csv_bytes(
    rows: list[dict[str, str]],
    header: list[str] = HEADER,
    delimiter: str = ",",
    line_end: str = "\n",
    bom: bool = False,
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    text = buffer.getvalue()
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def contact_state() -> dict[str, Any]:
    """Every contact column but the import time, with each contact's codes."""
    contacts = {}
    for contact in Contact.select().order_by(Contact.no):
        values = dict(contact.__data__)
        for column in ("created_at", "modified_at", "version"):
            values.pop(column, None)
        contacts[contact.no] = values
    groups = sorted(ContactMailingGroup.select().tuples().execute())
    industries = sorted(ContactIndustryGroup.select().tuples().execute())
    return {
        "contacts": contacts,
        "mailing_groups": [row[1:] for row in groups],
        "industry_groups": [row[1:] for row in industries],
    }


def imported(data: bytes, **options: Any) -> Any:
    return import_contacts(data, user=TEST_USER, source="contacts.csv", **options)


BAD_ROWS = [
    ("email", "anna.at.example", "invalid email address 'anna.at.example'"),
    ("mailing_groups", "NEWS;GOLD", "unknown mailing group 'GOLD'"),
    ("company_no", "N9999", "company 'N9999' does not exist"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_ROWS)
def test_one_bad_row_imports_nothing(world, column, value, reason) -> None:
    rows = thousand_rows()
    before = Contact.select().count()
    # Row index 501 is a person: line 503 of the file, after the header.
    rows[501][column] = value

    with pytest.raises(CsvError) as caught:
        imported(csv_bytes(rows))

    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1
    assert problems[0].startswith(f"line 503, column {column}: ")
    assert reason in problems[0]
    assert "nothing was imported" in caught.value.message
    assert Contact.select().count() == before
    assert not Contact.select().where(Contact.no.startswith("N")).exists()

    rows[501] = thousand_rows()[501]
    result = imported(csv_bytes(rows))
    assert result.created == 1000
    assert Contact.select().where(Contact.no.startswith("N")).count() == 1000


def test_every_problem_reported(world) -> None:
    rows = thousand_rows()[:20]
    rows[2]["email"] = "bad"
    rows[5]["mailing_groups"] = "NOPE"
    rows[7]["country_code"] = "X" * 11
    rows[9]["no"] = rows[8]["no"]
    with pytest.raises(CsvError) as caught:
        imported(csv_bytes(rows))
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 4
    assert problems[0].startswith("line 4, column email:")
    assert problems[1].startswith("line 7, column mailing_groups:")
    assert problems[2].startswith("line 9, column country_code:")
    assert problems[3].startswith("line 11, column no:")
    assert "line 10 already" in problems[3]


def test_excel_file_imports_like_plain(world) -> None:
    rows = thousand_rows()[:50]
    imported(csv_bytes(rows))
    plain = contact_state()

    Contact.update(company=None).where(Contact.no.startswith("N")).execute()
    Contact.delete().where(Contact.no.startswith("N")).execute()
    excel = csv_bytes(rows, delimiter=";", line_end="\r\n", bom=True)
    assert excel.startswith(b"\xef\xbb\xbf")
    assert b";" in excel.splitlines()[0]
    result = imported(excel)

    assert result.created == 50
    assert contact_state() == plain
    # The byte order mark does not end up in the first column's name or value.
    assert Contact.get_by_id("N0001").name == "Firma 0 GmbH"


def test_tab_separated_and_reordered_columns(world) -> None:
    header = ["E-Mail", "Name", "NO", "Type", "Country Code"]
    rows = [
        {
            "E-Mail": "x@y.example",
            "Name": "Tab GmbH",
            "NO": "t1",
            "Type": "Company",
            "Country Code": "at",
        }
    ]
    imported(csv_bytes(rows, header=header, delimiter="\t"))
    contact = Contact.get_by_id("T1")
    assert contact.email == "x@y.example"
    assert contact.type == "company"
    assert contact.company_no == "T1"
    assert contact.country_code == "AT"


def test_person_inherits_company_address(world) -> None:
    header = ["no", "type", "first_name", "surname", "company_no", "city"]
    rows = [
        {
            "no": "P1",
            "type": "person",
            "first_name": "Ida",
            "surname": "Ott",
            "company_no": "CO1",
        }
    ]
    imported(csv_bytes(rows, header=header))
    person = Contact.get_by_id("P1")
    assert person.name == "Ida Ott"
    assert person.city == "Berlin"
    assert person.address == "Hauptstraße 1"
    assert person.territory_code == "NORTH"


def test_existing_contact_needs_update(world) -> None:
    header = ["no", "city"]
    data = csv_bytes([{"no": "IND1", "city": "Basel"}], header=header)
    with pytest.raises(CsvError) as caught:
        imported(data)
    assert "line 2, column no: contact IND1 exists already" in str(
        caught.value.problems[0]
    )
    assert "--update" in str(caught.value.problems[0])
    assert Contact.get_by_id("IND1").city == "Zürich"

    result = imported(data, update=True)
    assert (result.created, result.updated) == (0, 1)
    contact = Contact.get_by_id("IND1")
    assert contact.city == "Basel"
    assert contact.version == 2
    assert contact.modified_by == TEST_USER
    # Columns not in the file keep their values.
    assert contact.email == "ind1@example.com"
    assert {row.mailing_group_code for row in contact.mailing_groups} == {"NEWS", "VIP"}


def test_update_replaces_classifications(world) -> None:
    header = ["no", "mailing_groups"]
    imported(
        csv_bytes([{"no": "IND1", "mailing_groups": "VIP"}], header=header), update=True
    )
    assert [
        row.mailing_group_code for row in Contact.get_by_id("IND1").mailing_groups
    ] == ["VIP"]

    unchanged = imported(
        csv_bytes([{"no": "IND1", "mailing_groups": "VIP"}], header=header), update=True
    )
    assert (unchanged.updated, unchanged.unchanged) == (0, 1)


def test_company_change_blocked_on_segment(world) -> None:
    segment = create_segment("Herbst", user=TEST_USER)
    insert_line(segment.no, "CO1P1", user=TEST_USER)
    data = csv_bytes(
        [{"no": "CO1P1", "company_no": "CO2"}], header=["no", "company_no"]
    )
    with pytest.raises(CsvError) as caught:
        imported(data, update=True)
    problem = str(caught.value.problems[0])
    assert problem.startswith("line 2, column company_no:")
    assert segment.no in problem
    assert Contact.get_by_id("CO1P1").company_no == "CO1"


def test_classification_of_wrong_type(world) -> None:
    data = csv_bytes(
        [{"no": "X1", "type": "person", "name": "X", "industry_groups": "IT"}],
        header=["no", "type", "name", "industry_groups"],
    )
    with pytest.raises(CsvError) as caught:
        imported(data)
    assert str(caught.value.problems[0]).startswith("line 2, column industry_groups:")
    assert "companies" in str(caught.value.problems[0])


def test_header_problems(world) -> None:
    with pytest.raises(CsvError) as caught:
        imported(b"no,name,colour,NAME\nX1,Anna,red,Anna\n")
    problems = [str(problem) for problem in caught.value.problems]
    assert problems[0].startswith("line 1, column colour: unknown column")
    assert problems[1].startswith("line 1, column NAME: the column appears twice")


def test_empty_file_rejected(world) -> None:
    with pytest.raises(CsvError) as caught:
        imported(b"")
    assert "no header row" in caught.value.message


def test_not_utf8_names_line(world) -> None:
    data = "no,name\nX1,Anna\nX2,Jürgen\n".encode("latin-1")
    with pytest.raises(CsvError) as caught:
        imported(data)
    problem = str(caught.value.problems[0])
    assert problem.startswith("line 3:")
    assert "CSV UTF-8" in problem
    assert not Contact.select().where(Contact.no == "X1").exists()


def test_too_many_cells(world) -> None:
    with pytest.raises(CsvError) as caught:
        imported(b"no,name\nX1,Anna,Berlin\n")
    assert str(caught.value.problems[0]).startswith("line 2: the row has 3 cells")


def test_quoted_line_break_counts_lines(world) -> None:
    data = b'no,name,address\nX1,Anna,"Hof 1\nHaus 2"\nX2,,Weg\n'
    with pytest.raises(CsvError) as caught:
        imported(data)
    assert str(caught.value.problems[0]).startswith("line 4, column name:")


def test_blank_numbers_take_series(world) -> None:
    NumberSeries.create(code="CONTACT", description="Contacts", starting_no="CT0001")
    Contact.create(no="CT0002", name="Taken")
    data = csv_bytes(
        [
            {"name": "Erste AG", "type": "company"},
            {"name": "Zweite AG", "type": "company"},
        ],
        header=["no", "name", "type"],
    )
    imported(data)
    assert Contact.get_by_id("CT0001").name == "Erste AG"
    assert Contact.get_by_id("CT0003").name == "Zweite AG"
    assert Contact.get_by_id("CT0003").company_no == "CT0003"
    assert NumberSeries.get_by_id("CONTACT").last_no_used == "CT0003"


def test_numbering_takes_no_query_per_row(world) -> None:
    """Numbering 10 or 60 new contacts takes as many queries; taken ones are skipped."""
    NumberSeries.create(code="CONTACT", description="Contacts", starting_no="CT0001")
    Contact.create(no="CT0004", name="Taken")
    Contact.create(no="CT0050", name="Taken too")

    def queries_for(count: int, start: int) -> int:
        data = csv_bytes(
            [{"name": f"Firma {start + i}", "type": "company"} for i in range(count)],
            header=["no", "name", "type"],
        )
        with count_queries() as counter:
            imported(data)
        return counter.count

    # The first import also reads what later ones find cached, so compare later ones.
    queries_for(1, 0)
    assert queries_for(10, 1) == queries_for(60, 11)
    numbers = [
        no
        for (no,) in Contact.select(Contact.no)
        .where(Contact.name.startswith("Firma"))
        .order_by(Contact.no)
        .tuples()
    ]
    assert len(numbers) == 71
    assert "CT0004" not in numbers
    assert "CT0050" not in numbers
    assert numbers[0] == "CT0001"
    assert numbers[-1] == "CT0073"
    assert NumberSeries.get_by_id("CONTACT").last_no_used == "CT0073"


def test_dry_run_writes_nothing(world) -> None:
    before = contact_state()
    result = imported(csv_bytes(thousand_rows()[:30]), dry_run=True)
    assert result.created == 30
    assert result.dry_run
    assert "Nothing was written" in result.message()
    assert contact_state() == before


def test_viewer_cannot_import(world) -> None:
    from segtui.domain.users import PermissionDeniedError, role_of
    from segtui.models import Role, UserSetup

    role_of(TEST_USER)
    UserSetup.create(user_id="viewer", role=Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        import_contacts(csv_bytes(thousand_rows()[:3]), user="viewer")


def test_typed_text_cleaned(world) -> None:
    decomposed = "Mu\u0308ller\x1b[31m"
    imported(csv_bytes([{"no": "X1", "name": decomposed}], header=["no", "name"]))
    assert Contact.get_by_id("X1").name == "Müller [31m"


def test_update_moves_person_inherited_fields(world) -> None:
    update_contact("CO1P1", {"phone": "+49 1"}, user=TEST_USER)
    Contact.update(phone="+49 1").where(Contact.no == "CO1").execute()
    data = csv_bytes(
        [{"no": "CO1P1", "company_no": "CO2"}], header=["no", "company_no"]
    )
    imported(data, update=True)
    person = Contact.get_by_id("CO1P1")
    assert person.company_no == "CO2"
    assert person.city == "Wien"
    assert person.country_code == "AT"
    assert person.territory_code == "SOUTH"


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+49 30 1", "-5", "@SUM(A1)", "'=x", "''", "'", "plain", "'quoted", "\tx"],
)
def test_formula_escape_round_trip(text) -> None:
    escaped = escape_cell(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t"))
    assert unescape_cell(escaped) == text


def test_invalid_type_keeps_other_problems(world) -> None:
    data = (
        b"no,type,name,company_no\n"
        b"NEW3,company,X,CT999999\n"
        b"NEW4,person,Y,CT999999\n"
        b"NEW5,persn,Z,CT999999\n"
        b"NEW6,persn,,\n"
    )
    with pytest.raises(CsvError) as caught:
        imported(data)
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 6
    assert [problem.split(":")[0] for problem in problems] == [
        "line 2, column company_no",
        "line 3, column company_no",
        "line 4, column type",
        "line 4, column company_no",
        "line 5, column type",
        "line 5, column name",
    ]
    assert "company 'CT999999' does not exist" in problems[3]
    assert "needs a name" in problems[5]
    assert not Contact.select().where(Contact.no.startswith("NEW")).exists()


def test_invalid_type_of_existing_contact(world) -> None:
    data = b"no,type,name\nIND1,persn,Max Keller\n"
    with pytest.raises(CsvError) as caught:
        imported(data)
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 2
    assert problems[0].startswith("line 2, column type:")
    assert problems[1].startswith("line 2, column no:")
    assert "exists already" in problems[1]


def test_german_words_for_codes(world) -> None:
    """The German words the error hint suggests import, though longer than the code."""
    data = csv_bytes(
        [
            {
                "no": "DE1",
                "name": "Erste AG",
                "type": "Unternehmen",
                "correspondence_type": "Papier",
            },
            {
                "no": "DE2",
                "name": "Eva Ernst",
                "type": "Person",
                "correspondence_type": "E-Mail",
            },
        ],
        header=["no", "name", "type", "correspondence_type"],
    )
    imported(data)
    assert Contact.get_by_id("DE1").type == "company"
    assert Contact.get_by_id("DE1").correspondence_type == "hard_copy"
    assert Contact.get_by_id("DE2").correspondence_type == "email"
