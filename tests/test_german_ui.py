"""The German user interface: Textual's own texts, key names, form examples, amounts
and the chart line, each at 80x24 where a screen is involved."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.align import Align
from rich.cells import cell_len
from textual.binding import Binding
from textual.command import CommandInput, CommandList
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Static

from segtui import i18n
from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.criteria_sources import build_sources
from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import validate_expression
from segtui.domain.history import MonthCount, Totals
from segtui.models import SegmentHeader
from tests.builders import World
from tests.tui_helpers import settle, type_text

# A German date as typed and shown: DD.MM.YYYY.
GERMAN_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")
SMALL = (80, 24)


@pytest.fixture
def german_ui() -> Iterator[ModuleType]:
    """segtui.ui.app imported afresh with German texts."""
    # The snapshot tests import the layout tests, so this import waits until now.
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        yield app_module


@pytest.fixture
def english_ui() -> Iterator[ModuleType]:
    from tests.test_snapshots import ui_in_language

    with ui_in_language("en") as app_module:
        yield app_module


def new_segment(contacts: str = "IND*") -> str:
    segment = segmentation.create_segment("Herbst", user="tester")
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": contacts}}, AddOptions(), user="tester"
    )
    return segment.no


async def wait_for(pilot: Pilot[Any], condition: Any, seconds: float = 5.0) -> None:
    """Pause until ``condition()`` is true; fail after ``seconds``."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out after {seconds} s waiting for {condition}")


def fits(widget: Widget, text: str) -> bool:
    """Return whether ``text`` fits in the widget's content area, inside the screen."""
    screen_width = widget.screen.size.width
    return (
        cell_len(text) <= widget.content_region.width
        and widget.region.right <= screen_width
    )


def rendered_text(widget: Widget) -> str:
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


def only_option_text(commands: CommandList) -> str:
    """Return the text of the palette's only option, such as its "no matches" line."""
    assert commands.option_count == 1
    prompt = commands.get_option_at_index(0).prompt
    if isinstance(prompt, Align):
        prompt = prompt.renderable
    return getattr(prompt, "plain", str(prompt))


# The command palette.


async def test_palette_texts_german(world: World, german_ui: ModuleType) -> None:
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        search = app.screen.query_one(CommandInput)
        assert search.placeholder == "Befehle suchen ..."

        await type_text(pilot, "xqxqxq")
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: commands.option_count == 1)
        assert only_option_text(commands).strip() == "Keine Treffer"


async def test_palette_texts_english(world: World, english_ui: ModuleType) -> None:
    app = english_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert (
            app.screen.query_one(CommandInput).placeholder == "Search for commands ..."
        )
        await type_text(pilot, "xqxqxq")
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: commands.option_count == 1)
        assert only_option_text(commands).strip() == "No matches found"


# Key names in F1 help and in the footer.


def help_keys(line: str) -> str:
    """Return the keys a help line starts with, such as "Strg+G, F6"."""
    return line[2:].split("  ")[0].strip()


async def test_help_german_key_names(world: World, german_ui: ModuleType) -> None:
    new_segment()
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        lines = app.screen.text.splitlines()
    keyed = [line for line in lines if line.startswith("  ")]
    keys = [help_keys(line) for line in keyed]

    def keys_of(text: str) -> str:
        return help_keys(next(line for line in keyed if text in line))

    assert keys_of("Menü") == "Strg+G, F6"
    assert keys_of("segtui beenden") == "Strg+Q"
    assert "d, Entf" in keys
    assert "i, Einfg" in keys
    assert "Eingabe" in keys
    assert "Esc" in keys
    assert keys_of("nächstes und vorheriges Feld") == "Tab, Umschalt+Tab"
    assert "Bild auf, Bild ab" in keys_of("in Listen und Tabellen")
    assert keys_of("erste und letzte Zeile") == "Strg+A, Strg+E"
    for english in ("ctrl", "escape", "enter", "delete", "insert", "shift", "Page"):
        assert not [key for key in keys if english in key], english


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("ctrl+g,f6", "Ctrl+G, F6"),
        ("escape, delete", "Esc, Delete"),
        ("tab,shift+tab", "Tab, Shift+Tab"),
        ("enter", "Enter"),
        ("pageup,pagedown", "Page Up, Page Down"),
        ("n", "n"),
    ],
)
def test_help_english_key_names(
    keys: str, expected: str, english_ui: ModuleType
) -> None:
    """English F1 help names keys as their key caps print them."""
    from segtui.ui.key_names import help_key_names

    assert help_key_names(keys) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ctrl+g", "^G"),
        ("escape", "Esc"),
        ("delete", "Entf"),
        ("pagedown", "BildAb"),
        ("f3", "F3"),
        ("enter", "⏎"),
        ("n", "n"),
    ],
)
async def test_footer_key_names(
    key: str, expected: str, german_ui: ModuleType, database: Any
) -> None:
    binding = Binding(key, "noop", "Noop")
    app = german_ui.SegtuiApp(user="tester")
    assert app.get_key_display(binding) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ctrl+g", "^G"),
        ("escape", "Esc"),
        ("delete", "Del"),
        ("pagedown", "PgDn"),
        ("f3", "F3"),
        ("shift+tab", "Shift+Tab"),
        ("n", "n"),
    ],
)
async def test_footer_key_names_english(
    key: str, expected: str, english_ui: ModuleType, database: Any
) -> None:
    """The English footer and palette name keys as their key caps print them."""
    binding = Binding(key, "noop", "Noop")
    app = english_ui.SegtuiApp(user="tester")
    assert app.get_key_display(binding) == expected


# Option values typed in filters as the screens show them.


def option_value(spec: Any, word: str) -> str:
    """Return the stored value a filter reads ``word`` as, for an option field."""
    from segtui.domain.filters import Term, convert_value

    def fail(reason: str, position: int) -> Exception:
        return AssertionError(f"{word!r} rejected: {reason}")

    return convert_value(spec, Term(word, 0), fail)


def shown_options() -> list[tuple[str, Any, str, str]]:
    """Return (field, spec, stored value, label on screen) for each option value
    the screens show translated, in the language the UI runs in now."""
    import importlib

    from segtui.domain.criteria_sources import (
        CONTACT_TYPE_SPEC,
        CORRESPONDENCE_TYPE_SPEC,
    )
    from segtui.domain.history import DELIVERY_STATUS_SPEC
    from segtui.models import ContactType, CorrespondenceType, DeliveryStatus

    text = importlib.import_module("segtui.ui.text")
    contacts = importlib.import_module("segtui.ui.screens.contacts")
    options = [
        ("contact type", CONTACT_TYPE_SPEC, value, contacts.type_label(value))
        for value in ContactType
    ]
    options += [
        ("correspondence type", CORRESPONDENCE_TYPE_SPEC, value, label)
        for value in (CorrespondenceType.HARD_COPY, CorrespondenceType.EMAIL)
        for label in [text.correspondence_label(value)]
    ]
    options += [
        ("delivery status", DELIVERY_STATUS_SPEC, value, text.delivery_label(value))
        for value in DeliveryStatus
    ]
    return options


def test_filters_read_german_words(german_ui: ModuleType) -> None:
    """A German user may type the words the screens show, such as Papier."""
    options = shown_options()
    labels = {label for _field, _spec, _value, label in options}
    assert {"Papier", "Unternehmen", "nicht zugestellt", "fehlgeschlagen"} <= labels
    for field, spec, value, label in options:
        assert option_value(spec, label) == value, (field, label)
        assert option_value(spec, label.upper()) == value, (field, label)


def test_filters_read_english_words(english_ui: ModuleType) -> None:
    """English words keep working, whatever language the UI runs in."""
    for field, spec, value, label in shown_options():
        assert option_value(spec, label) == value, (field, label)
    from segtui.domain.criteria_sources import CORRESPONDENCE_TYPE_SPEC

    assert option_value(CORRESPONDENCE_TYPE_SPEC, "hard copy") == "hard_copy"
    assert option_value(CORRESPONDENCE_TYPE_SPEC, "Papier") == "hard_copy"


def segment_contacts(filters: dict[str, dict[str, str]]) -> set[str]:
    """Return the contacts Add Contacts puts on a new segment with ``filters``."""
    from segtui.models import SegmentLine

    segment = segmentation.create_segment("Filter", user="tester")
    segment_actions.add_contacts(segment.no, filters, AddOptions(), user="tester")
    lines = SegmentLine.select().where(SegmentLine.segment == segment.no)
    return {line.contact_no for line in lines}


def test_criteria_filter_papier(world: World) -> None:
    """Add Contacts reads Papier as the hard-copy type, as it reads hard copy."""
    german = segment_contacts({"contact": {"correspondence_type": "Papier"}})
    english = segment_contacts({"contact": {"correspondence_type": "hard copy"}})
    assert english != set()
    assert german == english


# The examples of the criteria form.


def test_german_examples_accepted(german_ui: ModuleType, database: Any) -> None:
    from segtui.ui.screens.criteria_form import form_sections

    rows = {(row.source, row.field): row for s in form_sections() for row in s.rows}
    assert rows["contact", "type"].example == "Unternehmen"
    assert rows["contact", "exclude_from_segment"].example == "nein"
    assert rows["contact", "correspondence_type"].example == "E-Mail"
    date_example = rows["interaction", "date"].example
    assert GERMAN_DATE.match(date_example), date_example
    # Codes in the examples need not exist, so only the syntax and values are checked.
    sources = build_sources()
    for row in rows.values():
        if row.example:
            spec = sources[row.source].field(row.field).spec
            validate_expression(spec, row.example, row.field)


async def test_german_form_takes_examples(world: World, german_ui: ModuleType) -> None:
    """The German examples are shown on the form, fit, and count without an error."""
    no = new_segment()
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        examples = {}
        for row_id in ("filter-contact-type", "filter-interaction-date"):
            field = screen.query_one(f"#{row_id}", Input)
            label = field.parent.query_one(".example", Label)
            shown = rendered_text(label)
            screen.query_one("#criteria-form").scroll_to_widget(field, animate=False)
            await pilot.pause()
            assert shown.startswith("z. B. "), shown
            assert fits(label, shown), shown
            examples[row_id] = shown.removeprefix("z. B. ")
        assert examples["filter-contact-type"] == "Unternehmen"
        assert GERMAN_DATE.match(examples["filter-interaction-date"])

        # Each example alone, then both: the count shows, and no field is marked.
        typed = {
            "filter-contact-type": ("type", "company"),
            "filter-interaction-date": ("date", "2026-01-01.."),
        }
        filters: dict[str, dict[str, str]] = {}
        for row_id, example in examples.items():
            field = screen.query_one(f"#{row_id}", Input)
            field.focus()
            await type_text(pilot, example)
            await pilot.pause(0.6)
            await settle(pilot)
            status = rendered_text(screen.query_one("#count", Static))
            assert not status.startswith("!"), status
            assert list(screen.query(".invalid-filter")) == []
            key, english = typed[row_id]
            source = "contact" if key == "type" else "interaction"
            filters.setdefault(source, {})[key] = english
            expected = segment_actions.count_add_contacts(filters, AddOptions(), no)
            assert re.match(rf"{expected}\b", status), (status, expected)
            if key == "type":
                # The companies are not in the segment yet, so the count is not 0.
                assert expected > 0


# The cost field.


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


def test_german_amount_read(german: None) -> None:
    from segtui.ui.text import read_amount

    assert read_amount("Kosten", "1.234,56") == Decimal("1234.56")
    assert read_amount("Kosten", "12345,67") == Decimal("12345.67")
    assert read_amount("Kosten", " 0,5 ") == Decimal("0.5")
    # A point before one or two digits can only be a decimal point.
    assert read_amount("Kosten", "1.20") == Decimal("1.20")
    # A point between digits that are not a group of three is neither.
    with pytest.raises(InvalidValueError) as raised:
        read_amount("Kosten", "12.3456")
    assert "'12.3456'" in raised.value.message
    assert "wie 1,20 ein" in raised.value.message


def test_english_amount_read(english: None) -> None:
    from segtui.ui.text import read_amount

    assert read_amount("Cost", "1234.56") == Decimal("1234.56")
    assert read_amount("Cost", "1,234.56") == Decimal("1234.56")
    with pytest.raises(InvalidValueError) as raised:
        read_amount("Cost", "1,20")
    assert "'1,20'" in raised.value.message
    assert "such as 1.20." in raised.value.message


@pytest.mark.parametrize("text", ["", "abc", "NaN", "Infinity", "1..2"])
def test_amount_not_a_number(german: None, text: str) -> None:
    from segtui.ui.text import read_amount

    with pytest.raises(InvalidValueError):
        read_amount("Kosten", text)


async def edit_header_cost(pilot: Pilot[Any], typed: str) -> Any:
    """Open the header dialog of the first segment, type a unit cost, press ctrl+s."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    dialog = pilot.app.screen
    field = dialog.query_one("#unit_cost", Input)
    field.focus()
    field.value = ""
    await type_text(pilot, typed)
    await pilot.pause()
    assert field.value == typed
    assert fits(field, typed + " "), "the typed amount is not all in view"
    await pilot.press("ctrl+s")
    await settle(pilot)
    # The segment has lines, so saving a new cost asks whether they follow.
    if type(pilot.app.screen).__name__ == "ConfirmDialog":
        await pilot.press("enter")
        await settle(pilot)
    return dialog


@pytest.mark.parametrize("typed", ["1.234,56", "1234,56"])
async def test_german_header_cost(
    world: World, german_ui: ModuleType, typed: str
) -> None:
    no = new_segment()
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        dialog = await edit_header_cost(pilot, typed)
        assert app.screen is not dialog
    assert SegmentHeader.get_by_id(no).unit_cost == Decimal("1234.56")


async def test_english_header_cost(world: World, english_ui: ModuleType) -> None:
    no = new_segment()
    app = english_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        dialog = await edit_header_cost(pilot, "1234.56")
        assert app.screen is not dialog
    assert SegmentHeader.get_by_id(no).unit_cost == Decimal("1234.56")


async def test_german_header_cost_error(world: World, german_ui: ModuleType) -> None:
    no = new_segment()
    before = SegmentHeader.get_by_id(no).unit_cost
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        dialog = await edit_header_cost(pilot, "12.345.6")
        assert app.screen is dialog
        error = rendered_text(dialog.query_one("#error", Static))
    assert "'12.345.6' ist keine Zahl" in error
    assert "wie 1,20 ein" in error
    assert SegmentHeader.get_by_id(no).unit_cost == before


# The chart line of the logged segment screen.


@pytest.fixture
def logged_world(database: Any, tmp_path: Path) -> World:
    from tests.test_layout import build_screens_world

    return build_screens_world(tmp_path / "letters")


async def test_german_chart_line_fits(
    logged_world: World, german_ui: ModuleType
) -> None:
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        scale = app.screen.query_one("#chart-scale", Static)
        shown = rendered_text(scale)
        assert "Höchstwert" in shown
        assert fits(scale, shown), shown

        # A segment of a hundred thousand contacts logged in one month.
        months = [MonthCount(date(2026, month, 1), 0) for month in range(1, 13)]
        months[-1] = MonthCount(date(2026, 12, 1), 123456)
        timeline = scale.parent.parent
        timeline.show(months, Totals(123456, Decimal("1234.56"), Decimal(0), 0))
        await pilot.pause()
        shown = rendered_text(scale)
        assert shown.endswith("12.2026: 123.456"), shown
        assert fits(scale, shown), shown


async def open_template_card(pilot: Pilot[Any]) -> Any:
    """Open the card of the first interaction template, as an admin."""
    import sys

    await settle(pilot)
    areas = sys.modules["segtui.ui.areas"].all_areas()
    templates = next(area for area in areas if area.key == "templates")
    await pilot.app.push_screen(templates.load()())
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    return pilot.app.screen


async def test_german_template_cost(world: World, german_ui: ModuleType) -> None:
    from segtui.models import InteractionTemplate, Role, UserSetup

    UserSetup.create(user_id="tester", role=Role.ADMIN)
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        card = await open_template_card(pilot)
        code = card.values["code"]
        field = card.query_one("#field-unit_cost", Input)
        field.value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card
        error = rendered_text(card.query_one("#error", Static))
        assert "geben Sie einen Betrag wie 1,20 ein, oder 0" in error

        field.focus()
        await type_text(pilot, "1.234,56")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not card
    assert InteractionTemplate.get_by_id(code).unit_cost == Decimal("1234.56")


async def test_german_line_cost(world: World, german_ui: ModuleType) -> None:
    from segtui.models import SegmentLine

    no = new_segment()
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        field = dialog.query_one("#unit_cost", Input)
        field.focus()
        field.value = ""
        await type_text(pilot, "1.234,56")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
    costs = [
        line.unit_cost
        for line in SegmentLine.select()
        .where(SegmentLine.segment == no)
        .order_by(SegmentLine.line_no)
    ]
    assert costs[0] == Decimal("1234.56")


async def test_history_filter_examples_german(
    world: World, german_ui: ModuleType
) -> None:
    """The log's filter dialog shows German dates and words, which the filters read."""
    from segtui.domain.history import EntryFilters, entry_condition
    from segtui.ui.screens.history import EntryFilterDialog

    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(EntryFilterDialog({}))
        await settle(pilot)
        date_field = app.screen.query_one("#filter-date", Input)
        assert date_field.placeholder == "z. B. 01.01.2026..30.06.2026"
        canceled_field = app.screen.query_one("#filter-canceled", Input)
        assert canceled_field.placeholder == "z. B. nein"
    typed = EntryFilters({"date": "01.01.2026..30.06.2026", "canceled": "nein"})
    assert entry_condition(typed) is not None


def test_german_texts_name_keys_as_printed() -> None:
    """German texts write Strg+S and Esc, as F1 and the key caps do.

    Texts that show how to write a key in keys.toml keep its syntax (ctrl+n).
    """
    from babel.messages.pofile import read_po

    catalog_path = Path(i18n.__file__).parent / "locale/de/LC_MESSAGES/segtui.po"
    with catalog_path.open("rb") as stream:
        catalog = read_po(stream, locale="de")
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        texts = [message.string] if isinstance(message.string, str) else message.string
        for text in texts:
            if '"ctrl+n' in text or "{key}" in text:
                continue
            if re.search(r"ctrl\+\w|\bEscape\b", text):
                wrong.append(text)
    assert wrong == []


def german_catalog_texts() -> list[str]:
    """Return every German translation in the catalog, plural forms included."""
    from babel.messages.pofile import read_po

    catalog_path = Path(i18n.__file__).parent / "locale/de/LC_MESSAGES/segtui.po"
    with catalog_path.open("rb") as stream:
        catalog = read_po(stream, locale="de")
    texts = []
    for message in catalog:
        if not message.id:
            continue
        strings = (
            [message.string] if isinstance(message.string, str) else message.string
        )
        texts.extend(string for string in strings if string)
    return texts


def test_german_texts_write_eingabe() -> None:
    """German names the Enter key Eingabe, as German keyboards print it."""
    wrong = [text for text in german_catalog_texts() if re.search(r"\bEnter\b", text)]
    assert wrong == []


def test_german_deliver_option_has_verb(german: None) -> None:
    """The log dialog's deliver option names both actions with their verbs.

    tests/test_layout.py checks that the dialog still fits at 80x24.
    """
    option = i18n._("Deliver (send emails, mark letters as sent)")
    assert option == "E-Mails senden, Briefe als versandt markieren"


def test_german_filter_labels_fit(german: None) -> None:
    """Each label of the criteria form fits its column of 20 cells, uncut."""
    from segtui.ui.screens.criteria_form import form_sections

    too_long = [
        row.label
        for section in form_sections()
        for row in section.rows
        if cell_len(row.label) > 20
    ]
    assert too_long == []


@pytest.mark.parametrize(
    ("language", "spec_name", "allowed"),
    [
        ("de", "CORRESPONDENCE_TYPE_SPEC", "leer, Papier, E-Mail"),
        ("en", "CORRESPONDENCE_TYPE_SPEC", "blank, hard copy, email"),
        ("de", "CONTACT_TYPE_SPEC", "Unternehmen, Person"),
        ("en", "CONTACT_TYPE_SPEC", "company, person"),
        (
            "de",
            "DELIVERY_STATUS_SPEC",
            "ausstehend, gesendet, fehlgeschlagen, nicht zugestellt",
        ),
        ("en", "DELIVERY_STATUS_SPEC", "pending, sent, failed, not delivered"),
    ],
)
def test_option_error_lists_shown_words(
    language: str, spec_name: str, allowed: str
) -> None:
    """An invalid option lists the allowed values in the UI language."""
    from segtui.domain import criteria_sources, history

    spec = getattr(criteria_sources, spec_name, None) or getattr(history, spec_name)
    i18n.set_language(language)
    try:
        with pytest.raises(InvalidValueError) as caught:
            validate_expression(spec, "Fax", "field")
        message = caught.value.message
    finally:
        i18n.set_language(None)
    assert message.endswith(f": {allowed}.")


@pytest.mark.parametrize(
    ("language", "described"),
    [
        ("de", "Kontakte hinzufügen  Ort=Berlin; PLZ-Code=1*; Mailinggruppe=NEWS"),
        ("en", "Add Contacts  city=Berlin; post code=1*; mailing group=NEWS"),
    ],
)
def test_criteria_line_field_labels(language: str, described: str) -> None:
    """The criteria list and the contact list's filter line name each field as the
    filter forms do, not by the key that the command line takes."""
    from segtui.domain.criteria import describe_action

    filters = {
        "contact": {"city": "Berlin", "post_code": "1*"},
        "mailing_group": {"code": "NEWS"},
    }
    i18n.set_language(language)
    try:
        assert describe_action("add", filters, {}) == described
    finally:
        i18n.set_language(None)


async def test_email_settings_german_labels(
    world: World, german_ui: ModuleType
) -> None:
    """The email settings screen names each setting as its dialog does, whole."""
    from segtui.ui.screens.setup_screens import SmtpSettingsScreen
    from tests.tui_helpers import open_screen

    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(pilot, SmtpSettingsScreen())
        table = app.screen.query_one("#settings", DataTable)
        names = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        assert "SMTP-Server" in names
        assert "Zusätzliche CA-Datei" in names
        assert "host" not in names
        assert "ca_file" not in names
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert widths[0] >= cell_len("Zusätzliche CA-Datei")


# Yes/no buttons, and texts cut off at 80x24.


def visible_width(widget: Widget) -> int:
    """Return the cells of the widget's content that its containers do not clip."""
    region = widget.content_region
    for ancestor in widget.ancestors:
        if isinstance(ancestor, Widget):
            region = region.intersection(ancestor.content_region)
    return region.width


async def test_confirm_buttons_german(world: World, german_ui: ModuleType) -> None:
    """The yes button names j, the key the German help names first, and y is still
    bound to yes."""
    from textual.widgets import Button
    from textual.widgets._footer import FooterKey

    from segtui.ui.screens.dialogs import ConfirmDialog

    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key in ("j", "y"):
            answers: list[bool | None] = []
            app.push_screen(ConfirmDialog("Frage", "Weiter?"), answers.append)
            await settle(pilot)
            assert str(app.screen.query_one("#yes", Button).label) == "Ja (j)"
            assert str(app.screen.query_one("#no", Button).label) == "Nein (n)"
            footer = {
                footer_key.description: footer_key.key_display
                for footer_key in app.screen.query(FooterKey)
            }
            assert footer["Ja"] == "j"
            await pilot.press(key)
            await settle(pilot)
            assert answers == [True]


@pytest.mark.parametrize(
    ("dialog", "tick_id"), [("save", "replace"), ("reuse", "allow_existing")]
)
@pytest.mark.parametrize("language", ["de", "en"])
async def test_criteria_dialog_ticks_whole(
    world: World, language: str, dialog: str, tick_id: str
) -> None:
    from tests.test_snapshots import ui_in_language

    with ui_in_language(language) as app_module:
        from segtui.ui.screens.criteria_dialogs import (
            ReuseLoggedDialog,
            SaveCriteriaDialog,
        )
        from segtui.ui.widgets.tick import Tick

        opened = {"save": SaveCriteriaDialog, "reuse": ReuseLoggedDialog}[dialog]
        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            app.push_screen(opened(new_segment()))
            await settle(pilot)
            tick = app.screen.query_one(f"#{tick_id}", Tick)
            text = rendered_text(tick).rstrip()
            assert str(tick.label) in text
            assert cell_len(text) <= visible_width(tick), text


@pytest.mark.parametrize("language", ["de", "en"])
async def test_entry_filter_labels_whole(world: World, language: str) -> None:
    """Each label of the entry filter dialog shows whole, "Protokolliertes Segment"
    too, with a space before its input."""
    from tests.test_snapshots import ui_in_language

    with ui_in_language(language) as app_module:
        from segtui.ui.screens.history import EntryFilterDialog

        app = app_module.SegtuiApp(user="tester")
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            app.push_screen(EntryFilterDialog({}))
            await settle(pilot)
            labels = list(app.screen.query(".form-label").results(Label))
            texts = [rendered_text(label).strip() for label in labels]
            if language == "de":
                assert "Protokolliertes Segment" in texts
            for label, text in zip(labels, texts, strict=True):
                assert cell_len(text) <= visible_width(label), text
                # The label's right padding keeps a space before the input.
                row_input = label.parent.query_one(Input)
                assert label.content_region.right < row_input.region.x, text
            placeholders = {
                widget.id: widget.placeholder for widget in app.screen.query(Input)
            }
            if language == "de":
                assert placeholders["filter-delivery_status"] == "z. B. fehlgeschlagen"
