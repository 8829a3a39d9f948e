"""Dates and numbers on screen follow the interface language; typed dates are read
in ISO everywhere and as DD.MM.YYYY in German."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest

from segtui import i18n
from segtui.domain import campaigns, filters, segmentation
from segtui.domain.dates import date_forms, parse_date, read_date
from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import FieldKind, FieldSpec, FilterSyntaxError
from segtui.ui.app import SegtuiApp
from segtui.ui.text import display, editable_amount, format_count, format_month
from tests.tui_helpers import settle, table_rows

DATE_FIELD = FieldSpec(FieldKind.DATE)


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


def test_german_display_date(german) -> None:
    assert display(date(2026, 3, 5)) == "05.03.2026"
    assert display(datetime(2026, 3, 5, 14, 7)) == "05.03.2026 14:07"
    assert format_month(date(2026, 3, 1)) == "03.2026"


def test_english_display_date(english) -> None:
    assert display(date(2026, 3, 5)) == "2026-03-05"
    assert display(datetime(2026, 3, 5, 14, 7)) == "2026-03-05 14:07"
    assert format_month(date(2026, 3, 1)) == "2026-03"


def test_german_display_numbers(german) -> None:
    assert display(Decimal("1234567.5")) == "1.234.567,50"
    assert display(Decimal("0.2")) == "0,20"
    assert format_count(1234567) == "1.234.567"
    assert editable_amount(Decimal("1234.5")) == "1234,50"


def test_english_display_numbers(english) -> None:
    assert display(Decimal("1234567.5")) == "1,234,567.50"
    assert display(Decimal("0.2")) == "0.20"
    assert format_count(1234567) == "1,234,567"
    assert editable_amount(Decimal("1234.5")) == "1234.50"


def test_editable_amount_reads_back(german) -> None:
    """The text an amount input starts with is read as the same amount."""
    amount = Decimal("1234.50")
    assert segmentation.check_amount("Unit cost", editable_amount(amount)) == amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.03.2026", date(2026, 3, 5)),
        ("5.3.2026", date(2026, 3, 5)),
        (" 31.12.2026 ", date(2026, 12, 31)),
        ("2026-03-05", date(2026, 3, 5)),
    ],
)
def test_german_parser_accepts_both_forms(german, text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["05/03/2026", "2026-1-01", "morgen"])
def test_german_parser_rejects_bad_date(german, text: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        parse_date(text)
    message = raised.value.message
    assert repr(text) in message
    assert date_forms() in message
    assert date_forms() != "YYYY-MM-DD"


@pytest.mark.parametrize("text", ["31.02.2026", "2026-13-01"])
def test_german_parser_names_missing_day(german, text: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        parse_date(text)
    message = raised.value.message
    assert f"{text!r} ist kein gültiges Datum: " in message
    assert date_forms() not in message


def test_english_parser_iso_only(english) -> None:
    assert parse_date("2026-03-05") == date(2026, 3, 5)
    assert read_date("05.03.2026") is None
    with pytest.raises(InvalidValueError) as raised:
        parse_date("05.03.2026", "Starting date")
    assert "Starting date '05.03.2026'" in raised.value.message
    assert "YYYY-MM-DD" in raised.value.message


def test_german_filter_date_range(german) -> None:
    expression = "01.03.2026..31.03.2026"
    assert filters.matches(date(2026, 3, 5), DATE_FIELD, expression)
    assert not filters.matches(date(2026, 4, 1), DATE_FIELD, expression)
    assert filters.matches(date(2026, 3, 5), DATE_FIELD, "2026-03-01..")


def test_german_filter_bad_date_named(german) -> None:
    with pytest.raises(FilterSyntaxError) as raised:
        filters.matches(date(2026, 3, 5), DATE_FIELD, "32.01.2026")
    assert "'32.01.2026'" in raised.value.message


def test_english_filter_rejects_german_date(english) -> None:
    with pytest.raises(FilterSyntaxError):
        filters.matches(date(2026, 3, 5), DATE_FIELD, "05.03.2026")


def test_german_campaign_dates(world, german) -> None:
    campaigns.save_campaign(
        "CP9001",
        description="Frühjahr",
        starting_date="01.03.2026",
        ending_date="2026-05-31",
        user="tester",
        new=True,
    )
    row = campaigns.get_campaign("CP9001")
    assert row.starting_date == date(2026, 3, 1)
    assert row.ending_date == date(2026, 5, 31)


async def test_segment_list_german_date(world, german) -> None:
    segmentation.create_segment(
        "Frühjahr", user="tester", segment_date=date(2026, 3, 5)
    )
    async with SegtuiApp(user="tester").run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = table_rows(pilot, "#segments")
    assert len(rows) == 1
    assert "05.03.2026" in rows[0]
    assert "2026-03-05" not in rows[0]


async def test_segment_list_english_date(world, english) -> None:
    segmentation.create_segment("Spring", user="tester", segment_date=date(2026, 3, 5))
    async with SegtuiApp(user="tester").run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = table_rows(pilot, "#segments")
    assert "2026-03-05" in rows[0]


@pytest.mark.parametrize(
    ("language", "added", "imported"),
    [
        ("en", "12,345 contacts added.", "Imported: 1,500 contacts created"),
        ("de", "12.345 Kontakte hinzugefügt.", "Importiert: 1.500 Kontakte angelegt"),
    ],
)
def test_domain_messages_group_digits(language: str, added: str, imported: str) -> None:
    from segtui.domain.contact_import import ImportResult
    from segtui.domain.segment_actions import added_message

    i18n.set_language(language)
    try:
        assert added_message(12345) == added
        result = ImportResult(created=1500, updated=0, unchanged=0, dry_run=False)
        assert result.message().startswith(imported)
    finally:
        i18n.set_language(None)
