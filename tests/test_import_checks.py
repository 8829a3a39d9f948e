"""Checks of the contact import: oversized cells, country codes, and the column checks.

The small world (tests/builders.py) has the mailing groups NEWS and VIP and the
contacts CO1, CO1P1, IND1 and a few more.
"""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest

from segtui.domain.contact_fields import (
    QUOTED_VALUE_MAX,
    known_codes,
    parse_value,
    quote_value,
)
from segtui.domain.contact_import import BATCH_SIZE, import_contacts
from segtui.domain.contacts import create_contact
from segtui.domain.csv_format import CsvError
from segtui.domain.errors import InvalidValueError, ValidationError
from segtui.models import Contact
from tests.conftest import TEST_USER
from tests.test_scale_import import snapshot

# A cell far over the csv module's field size limit of 131,072 characters.
BIG_CELL = "x" * 5_000_000


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue()


def import_problems(data: bytes) -> list[str]:
    with pytest.raises(CsvError) as caught:
        import_contacts(data, user=TEST_USER, source="people.csv")
    assert "people.csv" in caught.value.message
    assert "nothing was imported" in caught.value.message
    return [str(problem) for problem in caught.value.problems]


def test_big_cell_names_row_and_column(world) -> None:
    header = ["no", "name", "city"]
    text = csv_text(
        header,
        [["BIG1", "Anna", "Köln"], ["BIG2", "Bernd", BIG_CELL], ["BIG3", "Carl", ""]],
    )
    before = snapshot()

    problems = import_problems(text.encode("utf-8"))

    assert len(problems) == 1
    assert problems[0].startswith("line 3, column city: the cell is longer than")
    assert "131,072 characters" in problems[0]
    assert "closing quote" in problems[0]
    assert "shorten" in problems[0]
    assert "field larger than field limit" not in problems[0]
    assert snapshot() == before


def test_unclosed_quote_names_its_column(world) -> None:
    """A quote never closed swallows the rest of the file into one cell."""
    lines = ["no,name,city", "Q1,Anna,Köln", 'Q2,"Bernd,Bonn']
    lines += [f"Q{index},Person {index},Berlin" for index in range(3, 20_000)]
    before = snapshot()

    problems = import_problems("\n".join(lines).encode("utf-8"))

    assert len(problems) == 1
    assert problems[0].startswith("line 3, column name: the cell is longer than")
    assert snapshot() == before


def test_big_cell_past_header_named_by_position(world) -> None:
    text = "no,name\nP1,Anna\nP2,Bernd," + BIG_CELL + "\n"
    problems = import_problems(text.encode("utf-8"))
    assert problems[0].startswith("line 3, column 3: the cell is longer than")


def test_unknown_country_code_imports_nothing(world) -> None:
    header = ["no", "name", "country_code"]
    rows = [[f"CC{index:04d}", f"Person {index}", "DE"] for index in range(1200)]
    # Row 700 is line 702 of the file, in the second batch of rows.
    rows[700][2] = "XX"
    before = snapshot()

    problems = import_problems(csv_text(header, rows).encode("utf-8"))

    assert len(problems) == 1
    assert problems[0].startswith("line 702, column country_code: ")
    assert "unknown country code 'XX'" in problems[0]
    assert "ISO 3166" in problems[0]
    assert "leave it blank" in problems[0]
    assert snapshot() == before


def test_unknown_country_with_other_problems(world) -> None:
    header = ["no", "name", "country", "email"]
    rows = [
        ["CC1", "Anna", "ZZ", "anna@example.com"],
        ["CC2", "Bernd", "AT", "bernd.example.com"],
        ["CC3", "Carl", "EU", ""],
    ]
    problems = import_problems(csv_text(header, rows).encode("utf-8"))
    assert problems == [
        "line 2, column country: unknown country code 'ZZ'; use a two-letter ISO "
        "3166 code such as DE, AT or CH, or leave it blank.",
        "line 3, column email: invalid email address 'bernd.example.com'; write it "
        "as name@example.com or leave it blank.",
        "line 4, column country: unknown country code 'EU'; use a two-letter ISO "
        "3166 code such as DE, AT or CH, or leave it blank.",
    ]


def test_country_codes_cleaned_and_stored(world) -> None:
    header = ["no", "name", "country_code"]
    rows = [["CC1", "Anna", " de "], ["CC2", "Bernd", "gb"], ["CC3", "Carl", ""]]
    result = import_contacts(
        csv_text(header, rows).encode("utf-8"), user=TEST_USER, source="people.csv"
    )
    assert result.created == 3
    assert Contact.get_by_id("CC1").country_code == "DE"
    assert Contact.get_by_id("CC2").country_code == "GB"
    assert Contact.get_by_id("CC3").country_code == ""


def test_contact_form_rejects_unknown_country(world) -> None:
    with pytest.raises(ValidationError) as caught:
        create_contact(
            {"type": "person", "name": "Anna", "country_code": "QQ"}, user=TEST_USER
        )
    problems = [str(problem) for problem in caught.value.problems]
    assert any("unknown country code 'QQ'" in problem for problem in problems)


# Cells that the column checks must read exactly as parse_value reads one cell.
TRICKY_CELLS = {
    # Clean NFC text with and without accents: checked for the column at once.
    "name": ["  Anna  ", "Zoë", "Bo", "\u00a0Space\u00a0", "Émile", "Ågren", "Ngũgĩ"],
    # Control characters and a decomposed accent: checked cell by cell.
    "city": ["Köln", "  Bonn", "Line\nbreak", "Cafe\u0301", "x" * 30, "", "Graz"],
    # Decomposed umlauts only.
    "first_name": ["Mu\u0308ller", "", "Jo", "  Ann ", "", "", "Lu\u0308"],
    # Control characters only.
    "surname": ["Ctrl\x07bell", "", "Tab\tbed", "", "Smith", "", "\x1fLead"],
    "email": [
        "a@example.com",
        " b@example.com ",
        "",
        "c@example.org",
        "d@mail.example.net",
        "E@EXAMPLE.COM",
        "f@example.com",
    ],
    "company_no": ["", "", "", "", "", "", ""],
    "mobile_phone": ["+49 1", "", " 0171 ", "", "", "", "\u2007"],
}


def test_column_checks_equal_cell_checks(world) -> None:
    """Every row of a batch that the column checks read is stored as parse_value reads it."""
    header = ["no", "type", *TRICKY_CELLS]
    count = len(TRICKY_CELLS["name"])
    rows = [
        [f"tc{index}", "person", *(cells[index] for cells in TRICKY_CELLS.values())]
        for index in range(count)
    ]
    result = import_contacts(
        csv_text(header, rows).encode("utf-8"), user=TEST_USER, source="people.csv"
    )
    assert result.created == count

    codes = known_codes()
    for index in range(count):
        contact = Contact.get_by_id(f"TC{index}")
        for column, cells in TRICKY_CELLS.items():
            expected = parse_value(column, cells[index], codes)
            stored = contact.__data__.get(
                "company" if column == "company_no" else column
            )
            assert (stored or "") == expected, (index, column)
    assert Contact.get_by_id("TC0").first_name == unicodedata.normalize("NFC", "Müller")
    assert Contact.get_by_id("TC2").surname == "Tab bed"


def test_column_checks_report_bad_cells(world) -> None:
    header = ["no", "name", "email", "city", "address"]
    rows = [[f"BC{index}", f"Person {index}", "", "Bonn", ""] for index in range(30)]
    rows[3][2] = "not an address"
    rows[4][4] = "A" * 101
    rows[9][3] = "C" * 101
    problems = import_problems(csv_text(header, rows).encode("utf-8"))
    assert len(problems) == 3
    assert problems[0].startswith("line 5, column email: invalid email address")
    assert problems[1].startswith("line 6, column address: ")
    assert "longer than" in problems[1]
    assert problems[2].startswith("line 11, column city: ")
    assert "longer than" in problems[2]


def test_short_and_long_rows_keep_order(world) -> None:
    """Rows with fewer cells than the header are parsed on their own, in order."""
    header = ["no", "name", "city"]
    rows = [
        [f"SR{index:04d}", f"Person {index}", "Bonn"] for index in range(BATCH_SIZE)
    ]
    rows[5] = ["SR0005", "Short"]
    rows[6] = ["SR0006", "Long", "Köln", ""]
    rows[7] = ["SR0005", "Duplicate", "Graz"]
    problems = import_problems(csv_text(header, rows).encode("utf-8"))
    # The duplicate is found in the file's order: the short row comes first.
    assert problems == [
        "line 9, column no: contact SR0005 is on line 7 already; keep one row."
    ]

    rows[7] = ["SR0007", "Seven", "Graz"]
    result = import_contacts(
        csv_text(header, rows).encode("utf-8"), user=TEST_USER, source="people.csv"
    )
    assert result.created == BATCH_SIZE
    assert Contact.get_by_id("SR0005").city == ""
    assert Contact.get_by_id("SR0006").city == "Köln"
    assert Contact.get_by_id("SR0007").name == "Seven"


def test_invalid_type_cell_in_column(world) -> None:
    header = ["no", "type", "name", "mailing_groups"]
    rows = [[f"TY{index}", "person", f"Person {index}", "NEWS"] for index in range(10)]
    rows[2][1] = "robot"
    rows[4][3] = "NEWS;GOLD"
    problems = import_problems(csv_text(header, rows).encode("utf-8"))
    assert len(problems) == 2
    assert problems[0].startswith("line 4, column type: 'robot' is not a valid value")
    assert problems[1].startswith("line 6, column mailing_groups: ")
    assert "unknown mailing group 'GOLD'" in problems[1]
    assert not Contact.select().where(Contact.no.startswith("TY")).exists()


def test_parse_value_country_rule() -> None:
    codes = {"country_code": {"DE"}}
    assert parse_value("country_code", " de ", codes) == "DE"
    assert parse_value("country_code", "", codes) == ""
    with pytest.raises(InvalidValueError):
        parse_value("country_code", "AT", codes)


# Values quoted in messages.


def test_long_cells_quoted_short(world) -> None:
    header = ["no", "name", "city"]
    rows = [
        ["LC1", "Anna", "M" * 5_000],
        ["LC2", "Bernd", "C" * 300],
        ["LC3", "Carl", "Köln"],
    ]
    before = snapshot()

    problems = import_problems(csv_text(header, rows).encode("utf-8"))

    assert problems == [
        "line 2, column city: '" + "M" * 39 + "~' (5,000 characters) is longer "
        "than 50 characters; shorten it.",
        "line 3, column city: '" + "C" * 39 + "~' (300 characters) is longer "
        "than 50 characters; shorten it.",
    ]
    assert snapshot() == before


def test_quote_value_cut_at_limit() -> None:
    assert quote_value("x" * QUOTED_VALUE_MAX) == repr("x" * QUOTED_VALUE_MAX)
    cut = quote_value("y" * (QUOTED_VALUE_MAX + 1))
    length = QUOTED_VALUE_MAX + 1
    assert cut == "'" + "y" * (QUOTED_VALUE_MAX - 1) + f"~' ({length} characters)"


def test_long_code_and_email_quoted_short() -> None:
    codes = {"language_code": {"DEU"}}
    long_code = "Q" * 500
    with pytest.raises(InvalidValueError) as caught:
        parse_value("language_code", long_code, codes)
    assert "(500 characters)" in caught.value.message
    assert long_code not in caught.value.message
    long_email = "e" * 90
    with pytest.raises(InvalidValueError) as caught:
        parse_value("email", long_email, codes)
    assert caught.value.message.startswith("invalid email address 'eeee")
    assert "~' (90 characters)" in caught.value.message


def test_country_name_gets_country_message() -> None:
    codes = {"country_code": {"DE"}}
    with pytest.raises(InvalidValueError) as caught:
        parse_value("country_code", "Deutschland", codes)
    assert caught.value.message == (
        "unknown country code 'Deutschland'; use a two-letter ISO 3166 code such "
        "as DE, AT or CH, or leave it blank."
    )


def test_country_name_in_import(world) -> None:
    header = ["no", "name", "country_code"]
    rows = [["CN1", "Anna", "Deutschland"]]
    problems = import_problems(csv_text(header, rows).encode("utf-8"))
    assert len(problems) == 1
    assert "unknown country code 'Deutschland'" in problems[0]
    assert "longer than" not in problems[0]
