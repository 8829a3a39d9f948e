"""The interaction history: filters on entries, totals, the timeline and documents."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from segtui.domain import history
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.filters import FilterSyntaxError
from segtui.models import DeliveryStatus, InteractionLogEntry
from tests.conftest import TEST_USER
from tests.test_cancel_logged import add_logged, log_world_segment
from tests.test_cli import run_segtui


def matching(*pairs: str) -> list[str]:
    condition = history.entry_condition(history.entry_filters_from_pairs(pairs))
    return sorted(entry.contact_no for entry in history.list_entries(condition))


def test_filter_keys(world) -> None:
    first = add_logged(["IND1", "IND2"], day=date(2026, 10, 5), campaign="SPRING")
    add_logged(["CO1P1"], day=date(2026, 11, 5), cost="3.00")
    InteractionLogEntry.update(
        salesperson_code="AH", delivery_status=DeliveryStatus.FAILED
    ).where(InteractionLogEntry.contact_no == "IND2").execute()
    InteractionLogEntry.update(contact_company_no="CO1").where(
        InteractionLogEntry.contact_no == "CO1P1"
    ).execute()

    assert matching("date=2026-11-01..") == ["CO1P1"]
    assert matching("contact=IND1|CO1P1") == ["CO1P1", "IND1"]
    assert matching("company=CO1") == ["CO1P1"]
    assert matching("campaign=SPRING") == ["IND1", "IND2"]
    assert matching("salesperson=AH") == ["IND2"]
    assert matching("delivery-status=failed") == ["IND2"]
    assert matching(f"logged-segment={first}") == ["IND1", "IND2"]
    assert matching("template=LETTER", "date=..2026-10-31") == ["IND1", "IND2"]
    assert matching("canceled=no", "cost=>2") == ["CO1P1"]
    assert matching("contact=IND1", "contact=IND2") == []


def test_filter_errors(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        history.entry_filters_from_pairs(["colour=red"])
    assert "'colour'" in caught.value.message
    assert "logged-segment" in caught.value.message
    with pytest.raises(FilterSyntaxError) as caught:
        history.entry_condition(history.entry_filters_from_pairs(["date=31.12.2026"]))
    assert "not a date" in caught.value.message


def test_totals_and_timeline(world) -> None:
    add_logged(["IND1", "IND2"], day=date(2026, 10, 5))
    add_logged(["IND1"], day=date(2026, 12, 1), cost="2.00")
    add_logged(["IND1"], day=date(2025, 1, 1))
    counted = history.totals(InteractionLogEntry.contact_no == "IND1")
    assert counted.interactions == 3
    assert counted.cost == history.Decimal("4.40")
    assert counted.duration == history.Decimal("15.00")
    months = history.timeline(end=date(2026, 12, 4))
    assert len(months) == 12
    assert months[0].month == date(2026, 1, 1)
    assert months[-1].month == date(2026, 12, 1)
    assert [m.interactions for m in months][-3:] == [2, 0, 1]
    # An entry older than the twelve months is not in the timeline.
    assert sum(m.interactions for m in months) == 3


def test_document_export(world, tmp_path: Path) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    entry = InteractionLogEntry.get(
        (InteractionLogEntry.logged_segment == logged_no)
        & (InteractionLogEntry.contact_no == "IND1")
    )
    path = history.export_document(entry.entry_no, tmp_path / "out" / "letter.docx")
    assert path.read_bytes()[:2] == b"PK"
    with pytest.raises(InvalidValueError) as caught:
        history.export_document(entry.entry_no, path)
    assert "exists already" in caught.value.message
    with pytest.raises(InvalidValueError):
        history.export_document(entry.entry_no, tmp_path / "letter.txt")
    without_letter = add_logged(["IND2"])
    call = InteractionLogEntry.get(InteractionLogEntry.logged_segment == without_letter)
    with pytest.raises(NotFoundError) as caught:
        history.export_document(call.entry_no, tmp_path / "call.docx")
    assert "has no letter" in caught.value.message
    assert TEST_USER


def test_cli_interactions_list(sample_database_path) -> None:
    from segtui.db import open_database
    from tests.backends import POSTGRES, sqlite_url

    url = sample_database_path if POSTGRES else sqlite_url(Path(sample_database_path))
    database = open_database(str(url))
    add_logged(["CT000001", "CT000002"], day=date(2026, 10, 5))
    add_logged(["CT000002"], day=date(2026, 11, 5))
    database.close()

    result = run_segtui(
        sample_database_path,
        "interactions",
        "list",
        "--filter",
        "contact=CT000002",
        "--filter",
        "date=2026-11-01..",
        "--json",
    )
    rows = json.loads(result.stdout)
    assert [(row["contact_no"], row["date"]) for row in rows] == [
        ("CT000002", "2026-11-05")
    ]
    assert "1 interaction," in result.stderr
    bad = run_segtui(
        sample_database_path, "interactions", "list", "--filter", "when=1", check=False
    )
    assert bad.returncode == 1
    assert "Unknown interaction filter key 'when'" in bad.stderr


HUGE = "99999999999999999999999"


def test_huge_number_filter_rejected(world) -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        history.entry_condition(
            history.entry_filters_from_pairs([f"logged-segment={HUGE}"])
        )
    assert f"'{HUGE}' is too large" in caught.value.message


@pytest.mark.parametrize(
    "arguments",
    [
        ("logged", "show", HUGE),
        ("interactions", "show", HUGE),
        ("interactions", "list", "--filter", f"logged-segment={HUGE}"),
    ],
)
def test_cli_huge_number_explained(sample_database_path, arguments) -> None:
    result = run_segtui(sample_database_path, *arguments, check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert HUGE in result.stderr
