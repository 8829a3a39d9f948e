"""Counts in messages carry the language's thousands separators: 12,345 or 12.345.

Every translated message that gets a count goes through segtui.i18n.format_count.
A static check reads segtui's source for ``.format()`` calls on messages that pass a
count as it is, and a few messages are checked as the user reads them.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

import segtui
from segtui import i18n
from segtui.domain.delivery import DeliveryReport, describe_report
from segtui.domain.logged_segments import LoggedSegmentSummary
from segtui.models import LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.logged import (
    LoggedSegmentScreen,
    load_logged,
    logged_status,
)
from tests.test_layout import build_screens_world
from tests.tui_helpers import settle

PACKAGE = Path(segtui.__file__).parent

# Names of ``.format()`` arguments that contain a count in segtui's messages.
COUNT_ARGUMENT = re.compile(
    r"^(count|total|done|made|added|removed|inserted|deleted|kept|changed|failed"
    r"|open|sent|printed|persons|used|restored|canceled|limit|max)$"
)
# Calls that already turn a number into text for the user.
FORMATTERS = {"format_count", "format_amount", "format_decimal"}


def is_message(node: ast.expr) -> bool:
    """Return whether ``node`` is a translated message or a name bound to one."""
    if isinstance(node, ast.Name):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("_", "ngettext", "pgettext")
    )


def is_formatted(value: ast.expr) -> bool:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return True
    if not isinstance(value, ast.Call):
        return False
    name = getattr(value.func, "id", getattr(value.func, "attr", ""))
    return name in FORMATTERS or name == "join"


def raw_counts(path: Path) -> list[str]:
    """Return "file:line argument" for each count a message gets without
    format_count."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "format" or not is_message(node.func.value):
            continue
        for keyword in node.keywords:
            if keyword.arg is None or not COUNT_ARGUMENT.match(keyword.arg):
                continue
            if not is_formatted(keyword.value):
                relative = path.relative_to(PACKAGE)
                found.append(f"{relative}:{node.lineno} {keyword.arg}")
    return found


def test_messages_format_counts() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found.extend(raw_counts(path))
    assert found == []


def comma_specs(path: Path) -> list[str]:
    """Return "file:line" for each message with a ``{name:,}`` format spec."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not (is_message(node) and isinstance(node, ast.Call)):
            continue
        for argument in node.args:
            text = argument.value if isinstance(argument, ast.Constant) else None
            if isinstance(text, str) and re.search(r"\{\w+:[^}]*,[^}]*\}", text):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_messages_use_no_comma_spec() -> None:
    """Python's ``{count:,}`` always writes English commas, in German too."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found.extend(comma_specs(path))
    assert found == []


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    try:
        yield
    finally:
        i18n.set_language(None)


def big_report() -> DeliveryReport:
    return DeliveryReport(
        letters=[Path(f"letter {number}.docx") for number in range(1200)],
        sent=12345,
        failed=[(number, "refused") for number in range(2500)],
    )


def test_delivery_report_english() -> None:
    lines = describe_report(big_report(), Path("letters"))
    assert "1,200 letters written to letters." in lines
    assert "12,345 emails sent." in lines
    assert "2,500 letters failed; they can be sent again." in lines


def test_delivery_report_german(german: None) -> None:
    lines = "\n".join(describe_report(big_report(), Path("briefe")))
    assert "1.200 " in lines
    assert "12.345 " in lines
    assert "2.500 " in lines
    assert "12345" not in lines
    assert "12,345" not in lines


def summary_with(failed: int, unfinished: int) -> LoggedSegmentSummary:
    fields = {field.name: None for field in dataclasses.fields(LoggedSegmentSummary)}
    summary = LoggedSegmentSummary(**fields)
    return dataclasses.replace(
        summary, canceled=False, failed=failed, unfinished=unfinished
    )


def test_logged_status_english() -> None:
    assert logged_status(summary_with(1234, 0)) == "1,234 failed"
    assert logged_status(summary_with(0, 56789)) == "56,789 open"


def test_logged_status_german(german: None) -> None:
    assert logged_status(summary_with(1234, 0)).startswith("1.234 ")


async def test_logged_summary_line(database: Database, tmp_path: Path) -> None:
    """The line under a logged segment's title counts letters with separators."""
    build_screens_world(tmp_path / "letters")
    number = LoggedSegment.get(LoggedSegment.description == "Katalog Winter").entry_no
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = LoggedSegmentScreen(number)
        await app.push_screen(screen)
        await settle(pilot)
        data = load_logged(number, 100)
        summary = dataclasses.replace(data.summary, failed=0, unfinished=100865)
        screen.show(dataclasses.replace(data, summary=summary))
        await settle(pilot)
        text = str(screen.query_one("#logged-summary").render())
        assert "0 failed, 100,865 not written or sent yet" in text
