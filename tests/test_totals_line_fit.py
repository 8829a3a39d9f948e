"""The summary lines of the logged segment and log entries screens fit 80 columns.

The totals under the chart, canceled entries included, take one line at 80x24 in
English and German, and the entry count of the log entries screen is indented
as the chart and the totals are.
"""

from __future__ import annotations

import importlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot

from segtui.domain.cancellation import set_entries_canceled
from segtui.domain.history import Totals
from segtui.models import InteractionLogEntry, LoggedSegment
from tests.conftest import TEST_USER
from tests.test_snapshots import ui_in_language
from tests.tui_helpers import settle

# As many entries as the logged segment that showed the totals on two lines.
ENTRIES = 1_920


def add_logged_with_costs(count: int = ENTRIES) -> int:
    """Record a logged segment of ``count`` entries of 1.20 and 5 minutes each,
    and cancel its first entry."""
    logged = LoggedSegment.create(
        segment_no="SEG9", description="Large", created_at=datetime(2026, 11, 2, 9, 0)
    )
    rows = [
        {
            "contact_no": f"BIG{index:05d}",
            "contact_name": f"Person {index:05d}",
            "date": date(2026, 11, 2),
            "created_at": datetime(2026, 11, 2, 9, 0),
            "logged_segment": logged.entry_no,
            "template_code": "LETTER",
            "unit_cost": Decimal("1.20"),
            "unit_duration": Decimal("5"),
        }
        for index in range(1, count + 1)
    ]
    for start in range(0, count, 500):
        InteractionLogEntry.insert_many(rows[start : start + 500]).execute()
    first = (
        InteractionLogEntry.select(InteractionLogEntry.entry_no)
        .order_by(InteractionLogEntry.entry_no)
        .first()
    )
    set_entries_canceled([first.entry_no], True, user=TEST_USER)
    return int(logged.entry_no)


def screen_lines(pilot: Pilot[Any]) -> list[str]:
    strips = pilot.app.screen._compositor.render_strips()
    return [strip.text for strip in strips]


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@pytest.mark.parametrize("language", ["en", "de"])
async def test_logged_totals_fit_one_line(world, language: str) -> None:
    logged_no = add_logged_with_costs()
    with ui_in_language(language) as app_module:
        logged_module = importlib.import_module("segtui.ui.screens.logged")
        app = app_module.SegtuiApp(user=TEST_USER)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(logged_module.LoggedSegmentScreen(logged_no))
            await settle(pilot)
            totals = app.screen.query_one("#totals")
            assert totals.size.height == 1
            [line] = [line for line in screen_lines(pilot) if "(+1 " in line]
            assert "1,919" in line or "1.919" in line
            assert indent(line) == 1


@pytest.mark.parametrize("language", ["en", "de"])
async def test_history_summary_lines_aligned(world, language: str) -> None:
    logged_no = add_logged_with_costs()
    with ui_in_language(language) as app_module:
        history_module = importlib.import_module("segtui.ui.screens.history")
        app = app_module.SegtuiApp(user=TEST_USER)
        screen = history_module.InteractionHistoryScreen(
            {"logged_segment": str(logged_no)}
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(screen)
            await settle(pilot)
            lines = screen_lines(pilot)
            [count_line] = [
                line for line in lines if "1,920" in line or "1.920" in line
            ]
            assert indent(count_line) == 1
            [totals_line] = [line for line in lines if "(+1 " in line]
            assert indent(totals_line) == 1
            assert app.screen.query_one("#totals").size.height == 1


def test_totals_break_between_totals_when_too_wide() -> None:
    from segtui.ui.screens.timeline import totals_text

    totals = Totals(
        interactions=99_999,
        cost=Decimal("999999.99"),
        duration=Decimal("999999"),
        canceled=99_999,
    )
    lines = totals_text(totals, 78).split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("Interactions: 99,999 (+99,999 canceled)")
    assert lines[1].startswith("Duration: ")
    for line in lines:
        assert cell_len(line) <= 78
