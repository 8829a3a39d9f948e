"""Brackets, backslashes, combining marks and wide characters in user data.

The names of tests/terminal_fixture.py are imported from CSV and shown in every kind
of widget segtui uses; the visible text must equal the stored text. Decomposed
input is stored in NFC, and segtui's own glyphs are one cell wide in every terminal.
"""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

import segtui.ui
from segtui.domain.contacts import create_contact
from segtui.domain.criteria import contacts_matching, filters_from_pairs
from segtui.models import Contact
from segtui.ui import text as ui_text
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.criteria import AddContactsScreen
from segtui.ui.screens.dialogs import ConfirmDialog, MessageDialog
from segtui.ui.screens.logged import MARK
from segtui.ui.screens.segment_dialogs import select_options
from segtui.ui.widgets.tick import Tick
from tests.terminal_fixture import MARKUP_NOS, ROWS, STORED, load_fixture
from tests.test_state_words import screen_lines
from tests.test_terminal_cases import terminal_cells
from tests.test_tui_criteria import (
    TABS_TO_COUNTRY,
    new_segment,
    open_segment,
    press_times,
    wait_for_count,
)
from tests.tui_helpers import settle, type_text

USER = "tester"
FIXTURE_NOS = [row[0] for row in ROWS]


@pytest.fixture
def fixture_world(world: Any) -> Any:
    result = load_fixture(USER)
    assert result.created == len(ROWS)
    return world


# NFC.


def test_import_stores_nfc(fixture_world: Any) -> None:
    for no, name in STORED.items():
        assert Contact.get_by_id(no).name == name, no
    contact = Contact.get_by_id("P-NFD")
    assert contact.name == "Müller, Zoë"
    assert contact.first_name == "Zoë"
    assert contact.surname == "Müller"
    assert "\u0308" not in contact.name


def fixture_matches(*pairs: str) -> set[str]:
    query = contacts_matching(filters_from_pairs(list(pairs)))
    return {row.no for row in query} & set(FIXTURE_NOS)


@pytest.mark.parametrize("typed", ["Müller*", "Mu\u0308ller*"])
def test_filter_finds_decomposed_name(fixture_world: Any, typed: str) -> None:
    assert fixture_matches(f"name={typed}") == {"P-NFD"}
    assert fixture_matches(f"surname={typed}") == {"P-MUE", "P-NFD"}
    assert fixture_matches(f"name=*{typed}") == {"P-MUE", "P-NFD"}


def test_typed_contact_stored_nfc(world: Any) -> None:
    contact = create_contact(
        {
            "no": "NFD1",
            "type": "person",
            "first_name": "Zoe\u0308",
            "surname": "Mu\u0308ller",
            "city": "Lu\u0308beck",
        },
        user=USER,
    )

    stored = Contact.get_by_id(contact.no)
    assert stored.name == "Zoë Müller"
    assert stored.city == "Lübeck"
    assert fixture_matches("name=Zoë*") == set()
    assert {row.no for row in contacts_matching(filters_from_pairs(["name=Zoë*"]))} >= {
        "NFD1"
    }


# segtui's own glyphs.


def chrome_glyphs() -> list[str]:
    return [
        *ui_text.CHROME_GLYPHS,
        MARK,
        Tick.BUTTON_LEFT,
        Tick.BUTTON_RIGHT,
    ]


def literal_symbols(path: Path) -> set[str]:
    """Return the non-letter characters of the string literals in a source file."""
    symbols = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for character in node.value:
                if ord(character) > 127 and not unicodedata.category(
                    character
                ).startswith(("L", "M")):
                    symbols.add(character)
    return symbols


def test_chrome_glyphs_one_cell() -> None:
    for glyph in chrome_glyphs():
        for character in glyph:
            width = unicodedata.east_asian_width(character)
            assert width in ("Na", "N", "H"), f"{character!r} is {width}"
            assert cell_len(character) == 1, repr(character)


def test_ui_sources_use_no_ambiguous_symbols() -> None:
    folder = Path(segtui.ui.__file__).parent
    for path in sorted(folder.rglob("*.py")):
        for character in literal_symbols(path):
            width = unicodedata.east_asian_width(character)
            assert width in ("Na", "N", "H"), f"{path.name}: {character!r} is {width}"


# Emoji sequences in table cells.

# Names whose emoji Rich 15.0 and tmux 3.3a measure differently when shown whole.
EMOJI_NAMES = {
    "eye with emoji selector": "\U0001f441\ufe0f Optik Studio",
    "heart with emoji selector": "\u2764\ufe0f Blumen Lang",
    "keycap": "1\ufe0f\u20e3 Fahrschule",
    "family joined": "\U0001f468\u200d\U0001f469\u200d\U0001f467 Familie Roth",
    "skin tone": "\U0001f44d\U0001f3fd Gut und Co",
    "rainbow flag": "\U0001f3f3\ufe0f\u200d\U0001f308 Verein",
}


@pytest.mark.parametrize("name", EMOJI_NAMES.values(), ids=list(EMOJI_NAMES))
def test_cell_text_width_as_tmux(name: str) -> None:
    text = ui_text.plain(name).plain
    # tmux 3.3a places characters by the C library's wcwidth(), as terminal_cells.
    assert cell_len(text) == len(terminal_cells(text)), repr(text)
    assert text.split()[1:] == name.split()[1:]
    # Only marks, joiners and modifiers are left out, never a letter or an emoji.
    assert set(text) <= set(name)
    for character in set(name) - set(text):
        category = unicodedata.category(character)
        assert category in ("Mn", "Cf", "Sk"), (hex(ord(character)), category)


def test_cell_text_keeps_other_names() -> None:
    for no, name in STORED.items():
        if no != "C-EMJ":
            assert ui_text.plain(name).plain == name, no


# Markup-looking text shown literally.


class WidgetsApp(App[None]):
    """Every kind of widget segtui shows user data in, each built as segtui does."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.value = name

    def compose(self) -> ComposeResult:
        yield Label(ui_text.plain(self.value), id="label")
        yield Static(ui_text.plain(self.value), id="static")
        table: DataTable[Any] = DataTable(id="table")
        table.add_column("Name", width=40)
        table.add_row(ui_text.plain(self.value))
        yield table
        yield Input(value=self.value, id="input")
        yield OptionList(Option(Text(ui_text.display(self.value))), id="options")
        yield Select(select_options([("K1", self.value)]), id="select", value="K1")


@pytest.mark.parametrize("no", FIXTURE_NOS)
async def test_names_shown_in_widgets(no: str) -> None:
    name = STORED[no]
    # Labels and table cells leave out emoji selectors and joiners, and the other
    # widgets show the name as stored.
    cell_text = ui_text.terminal_text(name)
    expected_by_widget = {
        "#label": cell_text,
        "#static": cell_text,
        "#table": cell_text,
    }
    app = WidgetsApp(name)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for selector in ("#label", "#static", "#table", "#input", "#options"):
            region = app.query_one(selector).region
            lines = screen_lines(pilot)[region.y : region.bottom]
            expected = expected_by_widget.get(selector, name)
            assert any(expected in line for line in lines), (selector, lines)
        select = app.query_one("#select", Select)
        select_lines = screen_lines(pilot)[select.region.y : select.region.bottom]
        assert any(f"K1  {name}" in line for line in select_lines), select_lines

        app.notify(name, markup=False)
        await settle(pilot)
        assert any(name in line for line in screen_lines(pilot))

        app.push_screen(ConfirmDialog(name, name))
        await settle(pilot)
        assert sum(name in line for line in screen_lines(pilot)) >= 2
        app.pop_screen()
        app.push_screen(MessageDialog(name, name, [name]))
        await settle(pilot)
        assert sum(name in line for line in screen_lines(pilot)) >= 3


async def test_contact_list_shows_names(fixture_world: Any) -> None:
    from segtui.ui.screens.contacts import ContactListScreen

    async with SegtuiApp(user=USER).run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactListScreen())
        await settle(pilot)
        lines = screen_lines(pilot)
        for no in MARKUP_NOS + ("P-NFD", "P-CJK"):
            [line] = [line for line in lines if line.startswith(f" {no} ")]
            # The name column is 24 cells wide, so longer names end in an ellipsis.
            assert STORED[no][:20] in line, line


async def test_invalid_filter_names_column(world: Any) -> None:
    no = new_segment(filters=None)
    async with SegtuiApp(user=USER).run_test(size=(80, 24)) as pilot:
        await open_segment(pilot, no)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AddContactsScreen)
        await press_times(pilot, "tab", TABS_TO_COUNTRY)
        await type_text(pilot, "DE|[")
        text = await wait_for_count(pilot)
        assert "DE|[" in text
        assert "at position 4" in text
        assert pilot.app.screen.query_one(".invalid-filter") is not None
