"""F1 help at 80 columns: a key description that wraps goes on under the
description column, in English and German, and stays plain text."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot

from tests.test_snapshots import ui_in_language
from tests.test_state_words import screen_lines
from tests.tui_helpers import press_settled, settle

# Per language: the keys of a row under "Moving around" and of the Go to key, and
# the first word of their descriptions. Both descriptions wrap at 80 columns.
WRAPPED_ROWS = {
    "en": [("Ctrl+A, Ctrl+E", "first"), ("Ctrl+G, F6", "Go")],
    "de": [("Strg+A, Strg+E", "erste"), ("Strg+G, F6", "Menü")],
}


def dialog_lines(pilot: Pilot[Any]) -> list[str]:
    """Return the text inside the dialog's side borders, one entry per line."""
    inside = []
    for line in screen_lines(pilot):
        parts = line.split("│")
        if len(parts) >= 3:
            inside.append(parts[1])
    return inside


def continuation_problem(lines: list[str], keys: str, word: str) -> str | None:
    """Return how the line after the row of ``keys`` misses the description column."""
    found = [
        index for index, line in enumerate(lines) if line.lstrip().startswith(keys)
    ]
    if len(found) != 1:
        return f"{len(found)} rows of {keys!r}:\n" + "\n".join(lines)
    row = lines[found[0]]
    column = row.index(f" {word}") + 1
    following = lines[found[0] + 1]
    indent = len(following) - len(following.lstrip())
    if not following.strip() or indent != column:
        return f"{keys!r} goes on at column {indent}, not {column}:\n{row}\n{following}"
    return None


@pytest.mark.parametrize("language", ["en", "de"])
async def test_wrapped_description_hangs(world, language: str) -> None:
    with ui_in_language(language) as app_module:
        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press_settled(pilot, "f1")
            # The rows checked are at the end of the help.
            await press_settled(pilot, "end")
            lines = dialog_lines(pilot)
            for keys, word in WRAPPED_ROWS[language]:
                assert continuation_problem(lines, keys, word) is None


def test_help_rows_stay_plain_text() -> None:
    from segtui.ui.screens.help import HelpText, KeyRow, help_blocks

    text = HelpText(["Press [b]x[/b].", "", KeyRow("[i]y", "[b]z[/b]", "  [i]y  z")])
    blocks = list(help_blocks(text))
    assert len(blocks) == 2
    assert "[b]x[/b]" in str(blocks[0].content)
    console = Console(width=60, record=True)
    console.print(blocks[1].content)
    assert console.export_text().rstrip() == "  [i]y" + " " * 12 + "[b]z[/b]"


def test_help_keys_column_widths() -> None:
    from segtui.ui.screens.help import KeyRow, KeyTable

    rows = [
        KeyRow("arrows, PageUp, PageDown", "move in lists and tables", ""),
        KeyRow("Esc", "close a dialog without changing anything", ""),
    ]
    for width, keys_width in [(72, 22), (92, 24)]:
        console = Console(width=width, record=True)
        console.print(KeyTable(rows))
        lines = console.export_text().splitlines()
        # At 72 columns the keys column is a third of the 68 left after the indent
        # and the gap, and the keys wrap. At 92 it is as wide as the keys.
        assert lines[-1].index("close") == 2 + keys_width + 2, lines
