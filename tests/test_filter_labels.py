"""Filter errors, filter lines and filter examples name fields and values as the
user interface language does, in German and in English.

The criteria list keeps its columns aligned in both languages, and the command
line's --version help follows the language too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.cells import cell_len

from segtui import i18n
from segtui.domain import history
from segtui.domain.criteria import clean_filters
from segtui.domain.criteria_sources import build_sources
from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import FieldKind, FilterSyntaxError
from tests.test_translations import run_segtui


@pytest.fixture
def set_language() -> Iterator[object]:
    """Return i18n.set_language; the language of the environment comes back after."""
    yield i18n.set_language
    i18n.set_language(None)


@pytest.mark.parametrize(
    ("language", "quoted"),
    [("de", "'PLZ-Code=(10000'"), ("en", "'post code=(10000'")],
)
def test_criteria_filter_error_names_label(
    set_language, language: str, quoted: str
) -> None:
    set_language(language)
    with pytest.raises(FilterSyntaxError) as raised:
        clean_filters({"contact": {"post_code": "(10000"}})
    assert quoted in raised.value.message
    assert "post_code" not in raised.value.message


def test_criteria_form_error_names_label(set_language) -> None:
    """The criteria form shows the source, then the field as the form labels it."""
    set_language("de")
    from segtui.ui.screens.criteria_form import find_invalid_filter

    outcome = find_invalid_filter({"contact": {"post_code": "(10000"}})
    assert outcome is not None
    assert outcome.problem.startswith("Kontakt: Ungültiger Filter 'PLZ-Code=(10000'")


def test_classification_filter_error_names_label(set_language) -> None:
    set_language("de")
    with pytest.raises(FilterSyntaxError) as raised:
        clean_filters({"interaction": {"date": "2026-13-45"}})
    assert "'Datum=2026-13-45'" in raised.value.message


@pytest.mark.parametrize(
    ("language", "quoted"),
    [("de", "'Zustellstatus=xyz'"), ("en", "'delivery status=xyz'")],
)
def test_entry_filter_error_names_label(
    set_language, language: str, quoted: str
) -> None:
    set_language(language)
    with pytest.raises(FilterSyntaxError) as raised:
        history.entry_condition({"delivery_status": "xyz"})
    assert quoted in raised.value.message
    assert "delivery_status" not in raised.value.message


@pytest.mark.parametrize(
    ("language", "value", "described"),
    [
        (
            "de",
            "nicht zugestellt",
            "Datum=01.12.2026..; Zustellstatus=nicht zugestellt",
        ),
        ("en", "failed", "date=01.12.2026..; delivery status=failed"),
    ],
)
def test_entry_filter_line_labels(
    set_language, language: str, value: str, described: str
) -> None:
    set_language(language)
    from segtui.ui.screens.history import describe_entry_filters

    filters = {"date": "01.12.2026..", "delivery_status": value}
    assert describe_entry_filters(filters) == described


def test_entry_filter_line_unknown_key(set_language) -> None:
    """A key the entry fields lack is shown as it is, rather than failing."""
    set_language("de")
    from segtui.ui.screens.history import describe_entry_filters

    assert describe_entry_filters({"retired_key": "X"}) == "retired_key=X"


def word_examples() -> dict[tuple[str, str], str]:
    """Return the examples of the option and yes/no fields of the entry filter
    dialog and the criteria form, by dialog and field, as the language shows them."""
    from segtui.ui.screens import criteria_form
    from segtui.ui.screens import history as history_screen

    word_kinds = (FieldKind.OPTION, FieldKind.BOOLEAN)
    examples = {}
    fields = history.entry_fields()
    for key, example in history_screen.FILTER_FIELDS:
        if fields[key].spec.kind in word_kinds:
            examples[("entries", key)] = history_screen.shown_example(key, example)
    sources = build_sources()
    for section in criteria_form.form_sections():
        for row in section.rows:
            spec = sources[row.source].field(row.field).spec
            if row.example and spec.kind in word_kinds:
                examples[(row.source, row.field)] = row.example
    return examples


def test_word_examples_in_german(set_language) -> None:
    """An example of a field that takes words shows the German word, such as
    fehlgeschlagen, which is what a German user types."""
    set_language("en")
    english = word_examples()
    set_language("de")
    german = word_examples()
    assert german[("entries", "delivery_status")] == "fehlgeschlagen"
    assert german[("entries", "canceled")] == "nein"
    same = [key for key, example in german.items() if example == english[key]]
    assert same == []


def test_word_examples_accepted(set_language) -> None:
    """Each example the German forms show is a valid filter for its field."""
    from segtui.domain.filters import validate_expression

    set_language("de")
    fields = history.entry_fields()
    sources = build_sources()
    for (where, key), example in word_examples().items():
        field = fields[key] if where == "entries" else sources[where].field(key)
        try:
            validate_expression(field.spec, example)
        except InvalidValueError as error:
            pytest.fail(f"{where} {key} example {example!r}: {error}")


@pytest.mark.parametrize("language", ["de", "en"])
def test_criteria_columns_aligned(set_language, language: str) -> None:
    """The state word of an undone action fits its column, so the counts after it
    stand under their headings: "rückgängig" in German is wider than "State"."""
    set_language(language)
    from segtui.ui.screens.criteria_list import ActionRow, action_line, heading_line

    heading = heading_line().plain
    undone = ActionRow(
        sequence=3, text="Kontakte verfeinern", active=False, inserted=0, deleted=3
    )
    active = ActionRow(
        sequence=4, text="Kontakte verfeinern", active=True, inserted=12, deleted=0
    )
    added = heading.index(i18n._("Added"))
    removed = heading.index(i18n._("Removed"))
    action = heading.index(i18n._("Action"))
    for row in (undone, active):
        line = str(action_line(row))
        assert line.index("+") == added, line
        assert line.index("-") == removed, line
        assert line.index("Kontakte verfeinern") == action, line
    state = heading.index(i18n._("State"))
    assert cell_len(i18n._("undone")) <= added - state - 1


def test_version_help_german() -> None:
    """click writes the --version help as the decorator runs, at import."""
    by_option = run_segtui("--lang", "de", "--help", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    by_lang = run_segtui("--help", LANG="de_DE.UTF-8", LC_ALL="")
    english = run_segtui("--help", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    assert "Die Version anzeigen und beenden." in by_option
    assert "Show the version and exit." not in by_option
    assert "Die Version anzeigen und beenden." in by_lang
    assert "Show the version and exit." in english


def test_required_mark_german() -> None:
    """click's [required] mark of an option follows the language too."""
    german = run_segtui(
        "--lang", "de", "segment", "new", "--help", LANG="C.UTF-8", LC_ALL="C.UTF-8"
    )
    english = run_segtui("segment", "new", "--help", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    assert "[erforderlich]" in german
    assert "[required]" not in german
    assert "[required]" in english
