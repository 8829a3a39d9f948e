"""German dates without the year, such as 01.03. and 0103, read as that day of the
current year: in date inputs, in filters and their ranges, in the criteria builder
and on the command line. The clock is fixed at 2026-12-04 unless a test moves it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from textual.widgets import Input, Static

from segtui import i18n
from segtui.domain import segmentation
from segtui.domain.dates import (
    date_forms,
    impossible_date_reason,
    parse_date,
    read_date,
)
from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import (
    FieldKind,
    FieldSpec,
    FilterSyntaxError,
    Range,
    compile_expression,
    matches,
    parse,
)
from segtui.models import InteractionLogEntry, SegmentHeader
from tests.builders import World
from tests.test_german_ui import rendered_text, wait_for
from tests.tui_helpers import settle, type_text

DATE = FieldSpec(FieldKind.DATE)


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


@pytest.fixture
def leap_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEGTUI_TODAY", "2024-06-01")


# Reading a single date.


@pytest.mark.parametrize("text", ["01.03.", "1.3.", "01.03", "1.3", "0103", " 01.03. "])
def test_short_date_forms_read(german: None, text: str) -> None:
    assert read_date(text) == date(2026, 3, 1)
    assert parse_date(text) == date(2026, 3, 1)


def test_short_date_year_from_clock(
    german: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGTUI_TODAY", "2030-01-02")
    assert read_date("31.12.") == date(2030, 12, 31)


@pytest.mark.parametrize(
    "text", ["001.03.", "01.03.x", "01..03", "010", "01032", ".0103"]
)
def test_short_date_bad_forms_rejected(german: None, text: str) -> None:
    assert read_date(text) is None
    assert impossible_date_reason(text) is None


@pytest.mark.parametrize("text", ["01.03.", "01.03", "0103", "03-01"])
def test_english_short_date_rejected(english: None, text: str) -> None:
    """English reads ISO dates only, so a date without the year is rejected."""
    assert read_date(text) is None
    with pytest.raises(InvalidValueError) as raised:
        parse_date(text)
    assert "YYYY-MM-DD" in raised.value.message


@pytest.mark.parametrize(
    ("short", "long"),
    [("31.02.", "31.02.2026"), ("3102", "31.02.2026"), ("01.13.", "01.13.2026")],
)
def test_short_date_impossible_day(german: None, short: str, long: str) -> None:
    """A short date that names no day gets the same reason as its long form."""
    reason = impossible_date_reason(short)
    assert reason is not None
    assert reason == impossible_date_reason(long)
    with pytest.raises(InvalidValueError) as raised:
        parse_date(short)
    assert raised.value.message == f"{short!r} ist kein gültiges Datum: {reason}."


def test_short_date_february_names_days(german: None) -> None:
    assert impossible_date_reason("31.02.") == "Februar 2026 hat 28 Tage"


def test_february_29_leap_year(german: None, leap_year: None) -> None:
    assert read_date("29.02.") == date(2024, 2, 29)
    assert impossible_date_reason("29.02.") is None
    assert impossible_date_reason("30.02.") == "Februar 2024 hat 29 Tage"


def test_february_29_common_year(german: None) -> None:
    assert read_date("29.02.") is None
    assert impossible_date_reason("29.02.") == "Februar 2026 hat 28 Tage"


def test_german_forms_name_short_form(german: None) -> None:
    """Error messages list the short form among the forms a date may take."""
    assert re.search(r"\b[DT]{2}\.MM\. ", date_forms()), date_forms()


# Filters: where the range operator ends and the date's own point begins.


@pytest.mark.parametrize(
    ("expression", "low", "high"),
    [
        ("01.03...31.03.", "01.03.", "31.03."),
        ("01.03..31.03.", "01.03", "31.03."),
        ("01.03..31.03", "01.03", "31.03"),
        ("01.03. .. 31.03.", "01.03.", "31.03."),
        ("01.03...", "01.03.", None),
        ("01.03..", "01.03", None),
        ("..31.12.", None, "31.12."),
        ("..31.12", None, "31.12"),
        ("0103..3103", "0103", "3103"),
        ("01.03.2026..31.03.2026", "01.03.2026", "31.03.2026"),
        ("2026-03-01..", "2026-03-01", None),
        ("1..5", "1", "5"),
        ("Dr...Z", "Dr.", "Z"),
    ],
)
def test_range_tokens(expression: str, low: str | None, high: str | None) -> None:
    node = parse(expression)
    assert isinstance(node, Range)
    assert (node.low.text if node.low else None) == low
    assert (node.high.text if node.high else None) == high


FILTER_CASES = [
    ("01.03.", date(2026, 3, 1), True),
    ("01.03.", date(2026, 3, 2), False),
    ("01.03.", date(2025, 3, 1), False),
    ("0103", date(2026, 3, 1), True),
    ("01.03...31.03.", date(2026, 3, 1), True),
    ("01.03...31.03.", date(2026, 3, 31), True),
    ("01.03...31.03.", date(2026, 2, 28), False),
    ("01.03...31.03.", date(2026, 4, 1), False),
    ("01.03..31.03", date(2026, 3, 15), True),
    ("01.03..", date(2026, 3, 1), True),
    ("01.03..", date(2027, 1, 1), True),
    ("01.03..", date(2026, 2, 28), False),
    ("01.03...", date(2026, 3, 1), True),
    ("01.03...", date(2026, 2, 28), False),
    ("..31.12.", date(2026, 12, 31), True),
    ("..31.12.", date(2020, 1, 1), True),
    ("..31.12.", date(2027, 1, 1), False),
    ("..31.03", date(2026, 4, 1), False),
    ("<01.03.", date(2026, 2, 28), True),
    (">=01.03.", date(2026, 2, 28), False),
    ("01.03.|15.03.", date(2026, 3, 15), True),
    ("01.03...15.03.|01.06...", date(2026, 6, 2), True),
    ("01.03...15.03.|01.06...", date(2026, 4, 2), False),
]


@pytest.mark.parametrize(("expression", "value", "expected"), FILTER_CASES)
def test_short_date_filter_matches(
    german: None, expression: str, value: date, expected: bool
) -> None:
    assert matches(value, DATE, expression) is expected


def test_short_date_filter_leap_year(german: None, leap_year: None) -> None:
    assert matches(date(2024, 2, 29), DATE, "29.02.")
    assert matches(date(2024, 2, 29), DATE, "01.02...29.02.")


def test_short_date_filter_common_year(german: None) -> None:
    with pytest.raises(FilterSyntaxError) as raised:
        matches(date(2026, 2, 28), DATE, "01.02...29.02.")
    assert raised.value.position == 9
    assert "'29.02.' ist kein gültiges Datum: Februar 2026 hat 28 Tage" in str(
        raised.value.message
    )


@pytest.mark.parametrize(
    ("expression", "position", "value"),
    [
        ("31.02.", 1, "31.02."),
        ("31.02...", 1, "31.02."),
        ("31.02..", 1, "31.02"),
        ("..31.02.", 3, "31.02."),
        ("01.03...31.02.", 9, "31.02."),
    ],
)
def test_short_date_filter_impossible_day(
    german: None, expression: str, position: int, value: str
) -> None:
    with pytest.raises(FilterSyntaxError) as raised:
        matches(date(2026, 3, 1), DATE, expression)
    assert raised.value.position == position
    message = raised.value.message
    assert f"{value!r} ist kein gültiges Datum: Februar 2026 hat 28 Tage" in message


@pytest.mark.parametrize("expression", ["01.03.", "01.03..31.03.", "..31.12."])
def test_english_filter_short_date_rejected(english: None, expression: str) -> None:
    with pytest.raises(FilterSyntaxError) as raised:
        matches(date(2026, 3, 1), DATE, expression)
    assert "is not a date; write it as YYYY-MM-DD" in raised.value.message


@pytest.fixture
def dated_segments(world: World) -> World:
    """Segment headers dated around March 2026 and one without a date."""
    for no, day in (
        ("S1", date(2026, 2, 28)),
        ("S2", date(2026, 3, 1)),
        ("S3", date(2026, 3, 31)),
        ("S4", date(2026, 4, 1)),
        ("S5", date(2025, 3, 15)),
        ("S6", None),
    ):
        SegmentHeader.create(no=no, description=no, date=day)
    return world


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("01.03...31.03.", {"S2", "S3"}),
        ("01.03..", {"S2", "S3", "S4"}),
        ("..31.03.", {"S1", "S2", "S3", "S5"}),
        ("01.03.|0104", {"S2", "S4"}),
    ],
)
def test_short_date_filter_sql(
    german: None, expression: str, expected: set[str], dated_segments: World
) -> None:
    condition = compile_expression(SegmentHeader.date, DATE, expression)
    found = {header.no for header in SegmentHeader.select().where(condition)}
    assert found == expected
    by_reference = {
        header.no
        for header in SegmentHeader.select()
        if matches(header.date, DATE, expression)
    }
    assert by_reference == expected


# The help texts.


@pytest.fixture
def german_ui() -> Iterator[ModuleType]:
    # The snapshot tests import the layout tests, so this import waits until now.
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        yield app_module


@pytest.fixture
def english_ui() -> Iterator[ModuleType]:
    from tests.test_snapshots import ui_in_language

    with ui_in_language("en") as app_module:
        yield app_module


def test_german_filter_help_names_short_form(german_ui: ModuleType) -> None:
    from segtui.ui.screens.criteria_form import FILTER_HELP

    assert "01.03...31.03." in FILTER_HELP
    assert "0103" in FILTER_HELP


def test_english_filter_help_without_short_form(english_ui: ModuleType) -> None:
    from segtui.ui.screens.criteria_form import FILTER_HELP

    assert "01.03." not in FILTER_HELP


# The criteria builder.


async def test_criteria_builder_short_range(
    world: World, german_ui: ModuleType
) -> None:
    """Add Contacts counts the contacts of a German short range, and adds them."""
    for contact_no, day in (("IND1", date(2026, 3, 5)), ("IND2", date(2026, 4, 1))):
        InteractionLogEntry.create(
            contact_no=contact_no,
            date=day,
            created_at=datetime(2026, 12, 4, 9, 0),
            template_code="LETTER",
            unit_cost=Decimal("1.20"),
        )
    segment = segmentation.create_segment("Herbst", user="tester")
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        field = screen.query_one("#filter-interaction-date", Input)
        field.focus()
        await type_text(pilot, "01.03...31.03.")
        count = screen.query_one("#count", Static)
        await wait_for(pilot, lambda: rendered_text(count).startswith("1 "))
        assert list(screen.query(".invalid-filter")) == []
        await pilot.press("ctrl+s")
        await settle(pilot)
    lines = segmentation.segment_lines(segment.no)
    assert [line.contact_no for line in lines] == ["IND1"]


# The command line.


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


def run_german(database: Path | str, *arguments: str) -> str:
    """Run segtui in German and return its stdout; fail with stderr on an error."""
    result = run_segtui(database, "--lang", "de", *arguments)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cli_short_dates(sample_database_path: Path | str) -> None:
    """--date options and criteria filters read German dates without the year."""
    database = sample_database_path
    run_german(database, "campaign", "set", "SPRING", "--start", "01.03.")
    run_german(database, "campaign", "set", "SPRING", "--end", "3103")
    campaigns = json.loads(run_german(database, "campaign", "list", "--json"))
    spring = next(row for row in campaigns if row["no"] == "SPRING")
    assert spring["starting_date"] == "2026-03-01"
    assert spring["ending_date"] == "2026-03-31"

    respond = ("interactions", "respond", "CT000014", "--campaign", "SPRING")
    run_german(database, *respond, "--date", "05.03.")
    entries = run_german(
        database, "interactions", "list", "--json", "--filter", "date=01.03...31.03."
    )
    assert [entry["contact_no"] for entry in json.loads(entries)] == ["CT000014"]

    number = run_german(database, "segment", "new", "--description", "Herbst").strip()
    run_german(database, "segment", "set", number, "--date", "05.03")
    run_german(
        database, "segment", "add", number, "--filter", "interaction.date=01.03..."
    )
    segment_json = json.loads(run_german(database, "segment", "show", number, "--json"))
    assert segment_json["header"]["date"] == "2026-03-05"
    assert [line["contact_no"] for line in segment_json["lines"]] == ["CT000014"]

    wrong = run_segtui(
        database, "--lang", "de", "segment", "set", number, "--date", "31.02."
    )
    assert wrong.returncode == 1
    assert "'31.02.' ist kein gültiges Datum: Februar 2026 hat 28 Tage." in wrong.stderr
