"""The TUI contact import with more problems than the dialog lists, at 80x24.

A file whose contacts all exist already, imported without the update tick, has a
problem on every line. The dialog lists MAX_PROBLEMS_SHOWN of them and counts the
rest, and the file field and the ticks stay reachable with Tab and Shift+Tab.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from segtui import i18n
from segtui.domain.contact_import import import_contacts
from segtui.domain.csv_format import MAX_PROBLEMS_SHOWN, CsvProblem, problem_lines
from segtui.ui.app import SegtuiApp
from tests.conftest import TEST_USER
from tests.test_tui_import import (
    long_rows,
    open_import_dialog,
    rendered,
    start_import,
    write_csv,
)
from tests.tui_helpers import settle

ROWS = 400


@pytest.fixture(autouse=True)
def in_test_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language(None)


def in_view(widget: Widget) -> bool:
    """Return whether the whole widget is shown on the screen."""
    screen = widget.screen
    region = widget.region
    return (
        region.height > 0
        and screen.region.contains_region(region)
        and all(
            ancestor.region.contains_region(region)
            for ancestor in widget.ancestors
            if isinstance(ancestor, Widget) and ancestor is not screen
        )
    )


async def import_existing(pilot: Pilot[Any], folder: Path) -> Any:
    """Import a file of ROWS contacts that exist already, without the update tick."""
    write_csv(folder / "existing.csv", long_rows(ROWS))
    import_contacts(
        (folder / "existing.csv").read_bytes(), user=TEST_USER, source="existing.csv"
    )
    dialog = await open_import_dialog(pilot)
    await start_import(pilot, "existing.csv")
    await settle(pilot, rounds=5)
    return dialog


async def test_problem_list_cut_with_count(world, in_test_folder: Path) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await import_existing(pilot, in_test_folder)
        error = rendered(dialog.query_one("#error", Static))
        listed = [line for line in error.splitlines() if line.startswith("- ")]
        hidden = ROWS - MAX_PROBLEMS_SHOWN
        assert len(listed) == MAX_PROBLEMS_SHOWN + 1
        assert listed[-1] == f"- ... and {hidden} more problems."
        assert "exists already" in listed[0]


async def test_fields_reachable_after_problems(world, in_test_folder: Path) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await import_existing(pilot, in_test_folder)
        path = dialog.query_one("#path")
        assert dialog.focused is path
        assert in_view(path)

        # Each field that takes the focus scrolls into view, both ways round.
        for key in ("shift+tab", "shift+tab", "shift+tab", "tab", "tab", "tab"):
            await pilot.press(key)
            await settle(pilot)
            focused = dialog.focused
            assert focused is not None, key
            assert in_view(focused), (key, focused.id)


def test_problem_lines_cut_at_limit(english: None) -> None:
    problems = [CsvProblem(f"problem {number}", line_no=number) for number in range(5)]
    assert problem_lines(problems, limit=5) == [str(problem) for problem in problems]
    assert problem_lines(problems, limit=None) == [str(p) for p in problems]
    assert problem_lines(problems, limit=3) == [
        "line 0: problem 0",
        "line 1: problem 1",
        "line 2: problem 2",
        "... and 2 more problems.",
    ]
    assert problem_lines(problems, limit=4)[-1] == "... and 1 more problem."
