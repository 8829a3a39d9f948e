"""Words a German reviewer found in the German user interface and command line.

They are click's parser errors, help wrapped inside an example, labels at the start
of a sentence, log problems without a full stop, the palette name of a dialog, and
catalog words that differ for the same thing."""

from __future__ import annotations

import gettext
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from textual.widgets import DataTable

from segtui import i18n
from segtui.domain import classifications, segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.errors import NotFoundError, ValidationError
from segtui.domain.segment_logging import LogOptions, log_segment
from tests.builders import World
from tests.tui_helpers import settle

SMALL = (80, 24)


def run_segtui(*arguments: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS=str(columns))
    return subprocess.run(
        [sys.executable, "-m", "segtui", *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )


# Click's parser errors.


def test_german_option_needs_argument(sample_database_path: Path | str) -> None:
    result = run_segtui(
        "--db", str(sample_database_path), "--lang", "de", "segment", "add", "1",
        "--filter",
    )  # fmt: skip
    assert result.returncode == 2
    assert "Die Option '--filter' braucht ein Argument." in result.stderr
    assert "requires" not in result.stderr


def test_german_flag_takes_no_value(sample_database_path: Path | str) -> None:
    result = run_segtui(
        "--db", str(sample_database_path), "--lang", "de", "segment", "list",
        "--json=yes",
    )  # fmt: skip
    assert result.returncode == 2
    assert "Die Option '--json' nimmt keinen Wert an." in result.stderr


def test_english_option_needs_argument(sample_database_path: Path | str) -> None:
    result = run_segtui(
        "--db", str(sample_database_path), "segment", "add", "1", "--filter"
    )
    assert result.returncode == 2
    assert "Option '--filter' requires an argument." in result.stderr


# Help that wraps at 80 columns.


@pytest.mark.parametrize("language", ["en", "de"])
def test_help_keeps_filter_example_whole(language: str) -> None:
    result = run_segtui("--lang", language, "segment", "add", "--help")
    assert result.returncode == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert any(line.startswith("mailing-group=NEWS;") for line in lines)
    assert not any(line.endswith("mailing-") for line in lines)


# A label at the start of a German sentence keeps its capital.


def test_german_import_names_kind_capitalised(
    sample_database_path: Path | str, tmp_path: Path
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text("name,mailing_groups\nTest GmbH,NOPE\n", encoding="utf-8")
    result = run_segtui(
        "--db", str(sample_database_path), "--lang", "de", "import", "contacts",
        str(source), "--dry-run",
    )  # fmt: skip
    assert result.returncode == 1
    assert "Mailinggruppe 'NOPE' ist unbekannt" in result.stderr


def test_english_import_names_kind_lowercase(
    sample_database_path: Path | str, tmp_path: Path
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text("name,mailing_groups\nTest GmbH,NOPE\n", encoding="utf-8")
    result = run_segtui(
        "--db", str(sample_database_path), "import", "contacts", str(source),
        "--dry-run",
    )  # fmt: skip
    assert result.returncode == 1
    assert "unknown mailing group 'NOPE'" in result.stderr


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    yield
    i18n.set_language(None)


def test_german_untag_names_kind_capitalised(world: World, german: None) -> None:
    with pytest.raises(NotFoundError) as caught:
        classifications.remove_tag(
            world.independent, "mailing_group", "NOPE", user="tester"
        )
    assert "Mailinggruppe NOPE" in str(caught.value)


# Log problems are sentences.


def test_log_line_problems_end_in_full_stop(world: World, tmp_path: Path) -> None:
    segment = segmentation.create_segment("Herbst", user="tester")
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "IND*"}}, AddOptions(), user="tester"
    )
    with pytest.raises(ValidationError) as caught:
        log_segment(
            segment.no, LogOptions(output_folder=tmp_path / "out"), user="tester"
        )
    problems = caught.value.problems
    assert problems
    for problem in problems:
        assert str(problem).endswith("."), str(problem)


# The palette names a dialog by its title.


@pytest.fixture
def german_ui() -> Iterator[ModuleType]:
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        yield app_module


async def test_palette_names_dialog_german(world: World, german_ui: ModuleType) -> None:
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Neues Segment: Abbrechen" in titles
        assert not [title for title in titles if title.startswith("New segment")]


async def test_saved_criteria_actions_heading_german(
    world: World, german_ui: ModuleType
) -> None:
    app = german_ui.SegtuiApp(user="tester")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        table = app.screen.query_one("#saved", DataTable)
        column = table.columns["actions"]
        assert column.label.plain == "Aktionen"
        assert column.width >= len("Aktionen")


# The German catalog: one word for one thing.


@pytest.fixture(scope="module")
def catalog() -> gettext.GNUTranslations:
    return gettext.translation("segtui", localedir=i18n.LOCALE_DIR, languages=["de"])


def test_german_save_is_speichern(catalog: gettext.GNUTranslations) -> None:
    assert catalog.gettext("Save") == "Speichern"
    assert catalog.gettext("Save (Ctrl+S)") == "Speichern (Strg+S)"


def test_german_keymap_warning_says_strg(catalog: gettext.GNUTranslations) -> None:
    warning = catalog.gettext(
        "{key} is taken by the terminal or tmux before segtui sees it; "
        "use another ctrl key"
    )
    assert "Strg" in warning
    assert "ctrl" not in warning


def test_german_import_verbs_agree(catalog: gettext.GNUTranslations) -> None:
    checked = catalog.ngettext(
        "Checked: {created} contact would be created, {updated} updated, "
        "{unchanged} unchanged. Nothing was written.",
        "Checked: {created} contacts would be created, {updated} updated, "
        "{unchanged} unchanged. Nothing was written.",
        2,
    )
    imported = catalog.ngettext(
        "Imported: {created} contact created, {updated} updated, "
        "{unchanged} unchanged.",
        "Imported: {created} contacts created, {updated} updated, "
        "{unchanged} unchanged.",
        2,
    )
    assert "angelegt" in checked
    assert "angelegt" in imported


def test_german_classification_tab(catalog: gettext.GNUTranslations) -> None:
    assert catalog.gettext("3 Classes") == "3 Klassifizierung"


def test_german_campaign_target_label(catalog: gettext.GNUTranslations) -> None:
    assert catalog.gettext("Campaign target") == "Kampagnenziel"
