"""Dates and amounts as users type them: days that do not exist, thousands separators.

The domain reads both in the interface language, and the command line, the TUI
forms, the filters and the CSV import share those readers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from segtui import i18n
from segtui.domain.amounts import parse_amount, read_amount
from segtui.domain.contact_import import import_contacts
from segtui.domain.csv_format import CsvError
from segtui.domain.dates import invalid_date_message, parse_date
from segtui.domain.errors import InvalidValueError
from segtui.domain.segmentation import check_amount
from tests.conftest import TEST_USER


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    yield
    i18n.set_language(None)


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language(None)


# Dates in the right form that name no day.


def test_german_date_february_31(german: None) -> None:
    message = invalid_date_message("31.02.2026", "Datum")
    assert message == (
        "Datum '31.02.2026' ist kein gültiges Datum: Februar 2026 hat 28 Tage."
    )


def test_english_date_february_31(english: None) -> None:
    message = invalid_date_message("2026-02-31")
    assert message == "'2026-02-31' is not a valid date: February 2026 has 28 days."


def test_leap_year_days_counted(english: None) -> None:
    message = invalid_date_message("2024-02-30")
    assert "February 2024 has 29 days" in message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-13-01", "months go from 1 to 12"),
        ("2026-00-10", "months go from 1 to 12"),
        ("0000-01-01", "years go from 1 to 9999"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-04-00", "April 2026 has 30 days"),
    ],
)
def test_impossible_iso_dates(english: None, text: str, reason: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        parse_date(text, "Date")
    assert raised.value.message == f"Date {text!r} is not a valid date: {reason}."


@pytest.mark.parametrize("text", ["31.2.26", "2026-2-31", "abc", "31/02/2026"])
def test_wrong_form_names_forms(german: None, text: str) -> None:
    message = invalid_date_message(text)
    assert "TT.MM.JJJJ, TT.MM. oder JJJJ-MM-TT" in message
    assert "gültiges" not in message


def test_german_form_needs_german(english: None) -> None:
    # English reads no DD.MM.YYYY, so the message names the forms it reads.
    message = invalid_date_message("31.02.2026")
    assert message == "'31.02.2026' is not a date; write it as YYYY-MM-DD."


def test_valid_dates_still_read(german: None) -> None:
    assert str(parse_date("29.02.2024")) == "2024-02-29"
    assert str(parse_date("2026-02-28")) == "2026-02-28"


def csv_with_created(created: str) -> bytes:
    return f"no,type,name,created_at\nIMP00001,person,Anna Probe,{created}\n".encode()


def test_csv_date_day_missing(world, german: None) -> None:
    with pytest.raises(CsvError) as raised:
        import_contacts(csv_with_created("2026-02-31"), user=TEST_USER)
    problems = [str(problem) for problem in raised.value.problems]
    assert len(problems) == 1
    assert (
        "'2026-02-31' ist kein gültiges Datum: Februar 2026 hat 28 Tage."
        in (problems[0])
    )


def test_csv_date_time_day_missing(world, english: None) -> None:
    with pytest.raises(CsvError) as raised:
        import_contacts(csv_with_created("2026-02-31T10:00:00"), user=TEST_USER)
    (problem,) = raised.value.problems
    assert "February 2026 has 28 days." in str(problem)


def test_csv_date_hint_german(world, german: None) -> None:
    with pytest.raises(CsvError) as raised:
        import_contacts(csv_with_created("31.02.2026"), user=TEST_USER)
    (problem,) = raised.value.problems
    assert "'31.02.2026' ist kein ISO-Datum" in str(problem)
    assert "JJJJ-MM-TT oder JJJJ-MM-TTThh:mm:ss" in str(problem)
    assert "YYYY" not in str(problem)


# Amounts with thousands separators.


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.234,50", "1234.50"),
        ("1234,50", "1234.50"),
        ("1.234.567,5", "1234567.5"),
        ("1.234", "1234"),
        # The plain form of scripts and numeric keypads, which no German grouping
        # can be.
        ("1.20", "1.20"),
        ("1234.50", "1234.50"),
        ("2.5", "2.5"),
    ],
)
def test_german_amounts_read(german: None, text: str, amount: str) -> None:
    assert read_amount(text) == Decimal(amount)
    assert check_amount("Einstandspreis", text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "amount"), [("1,234.50", "1234.50"), ("1234.50", "1234.50")]
)
def test_english_amounts_read(english: None, text: str, amount: str) -> None:
    assert read_amount(text) == Decimal(amount)
    assert check_amount("Unit cost", text) == Decimal(amount)


@pytest.mark.parametrize(
    "text", ["1.2.3", "12.34,5", "1.2345", "12.345.6", "1,2,3", "1e3", "+5"]
)
def test_german_misplaced_separators(german: None, text: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        check_amount("Einstandspreis", text)
    assert raised.value.message == (
        f"Einstandspreis {text!r} ist keine Zahl; geben Sie einen Betrag wie 1,20 ein."
    )


@pytest.mark.parametrize("text", ["1,20", "12,34.5", "1.2.3"])
def test_english_misplaced_separators(english: None, text: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        parse_amount("Unit cost", text)
    assert raised.value.message == (
        f"Unit cost {text!r} is not a number; enter an amount such as 1.20."
    )


def test_numbers_taken_as_they_are(german: None) -> None:
    # Saved data and JSON give numbers, which have no separators to read.
    assert check_amount("Kosten", Decimal("1234.5")) == Decimal("1234.50")
    assert check_amount("Kosten", 2) == Decimal("2.00")


def test_tui_and_domain_agree(german: None) -> None:
    from segtui.ui.text import read_amount as read_typed_amount

    assert read_typed_amount("Kosten", "1.234,50") == Decimal("1234.50")
    with pytest.raises(InvalidValueError):
        read_typed_amount("Kosten", "12.34,5")


def run_segtui(database: Path | str, *arguments: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "segtui", "--db", str(database), *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )


def test_cli_german_cost_and_date(sample_database_path: Path | str) -> None:
    created = run_segtui(
        sample_database_path, "segment", "new", "--description", "Preisliste"
    )
    assert created.returncode == 0, created.stderr
    number = created.stdout.strip()

    changed = run_segtui(
        sample_database_path,
        "--lang",
        "de",
        "segment",
        "set",
        number,
        "--unit-cost",
        "1.234,50",
    )
    assert changed.returncode == 0, changed.stderr
    show_output = run_segtui(
        sample_database_path, "--lang", "de", "segment", "show", number
    )
    assert "1.234,50" in show_output.stdout

    wrong_day = run_segtui(
        sample_database_path,
        "--lang",
        "de",
        "segment",
        "set",
        number,
        "--date",
        "31.02.2026",
    )
    assert wrong_day.returncode != 0
    assert "Februar 2026 hat 28 Tage" in wrong_day.stderr


@pytest.mark.parametrize(
    ("language", "field", "message"),
    [
        ("en", "Duration", "Duration is empty; enter a number such as 1.20."),
        ("de", "Dauer", "Dauer ist leer; geben Sie eine Zahl wie 1,20 ein."),
    ],
)
def test_empty_amount_named_empty(language: str, field: str, message: str) -> None:
    """An empty field is missing, not a malformed number."""
    i18n.set_language(language)
    try:
        with pytest.raises(InvalidValueError) as raised:
            parse_amount(field, "  ")
    finally:
        i18n.set_language(None)
    assert raised.value.message == message
