"""Fixtures shared by the tests: real SQLite files, the sample data, a small world."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

from segtui.db import open_database
from tests.backends import POSTGRES, fresh_database, fresh_database_url, sqlite_url
from tests.builders import World, build_world

TEST_USER = "tester"


def load_sample_for_tests() -> None:
    """Load the sample data as TEST_USER, who becomes admin; the login running the
    tests becomes admin too, so segtui processes started by tests may change data."""
    from segtui.domain.sample_data import load_sample_data
    from segtui.domain.users import current_user
    from segtui.models import Role, UserSetup

    load_sample_data(TEST_USER)
    UserSetup.insert(
        user_id=current_user(), role=Role.ADMIN
    ).on_conflict_ignore().execute()


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's data folders and settings inside its own tmp_path."""
    for name in (
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
    ):
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name.lower()))
    for name in (
        "SEGTUI_DATABASE",
        "SEGTUI_SMTP_HOST",
        "SEGTUI_SMTP_PORT",
        "SEGTUI_SMTP_USER",
        "SEGTUI_SMTP_PASSWORD",
        "SEGTUI_SMTP_PASSWORD_FILE",
        "SEGTUI_SMTP_FROM",
        "SEGTUI_SMTP_SECURITY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SEGTUI_TODAY", "2026-12-04")


@pytest.fixture(autouse=True)
def language_reset() -> Iterator[None]:
    """Put the interface language back to LANG's after each test.

    The command line's --lang sets the language of the whole process, so a test
    that runs it in-process with --lang de would leave German to the next test.
    """
    yield
    from segtui import i18n

    i18n.set_language(None)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Return the number of workers for ``-n auto``: two per core on small machines.

    Many tests wait on tmux, LibreOffice, a browser or a pilot's pauses instead of
    computing. On 2 cores the suite took 6m40s with four workers and 9m with two.
    """
    cores = os.cpu_count() or 1
    return 2 * cores if cores <= 4 else cores


# Test modules of the terminal front end: screens, layout, keys, terminal modes,
# translations and the browser demo. They reach the database only through domain
# functions whose own tests run on PostgreSQL too, so a second run would repeat
# them and double the time CI takes. test_tui_main_job stays in the PostgreSQL run
# as its end-to-end check of the screens.
FRONT_END_MODULES = {
    "test_area_keys_over_dialog",
    "test_contact_search_top",
    "test_copy",
    "test_count_format",
    "test_criteria_form_width",
    "test_dialog_frames",
    "test_dialog_help",
    "test_dialog_keys",
    "test_dialog_selects",
    "test_drop_down_frame",
    "test_focus_targets",
    "test_footer_choices",
    "test_footer_fit",
    "test_german_ui",
    "test_goto_typeahead",
    "test_help_columns",
    "test_help_texts",
    "test_key_bursts",
    "test_keymap_notices",
    "test_keys",
    "test_keys_focus_clashes",
    "test_layout",
    "test_letter_view_keys",
    "test_list_screens",
    "test_listing",
    "test_locale_format",
    "test_log_stop_label",
    "test_log_toast",
    "test_notices",
    "test_question_help",
    "test_review_ui",
    "test_scale_screens",
    "test_screen_widths",
    "test_send_again_tui",
    "test_serve_browser",
    "test_serve_forwarding",
    "test_snapshots",
    "test_terminal_cases",
    "test_terminal_exit",
    "test_terminal_keys",
    "test_terminal_locale",
    "test_terminal_settings",
    "test_terminal_text",
    "test_terminal_text_cases",
    "test_tmux_main_job",
    "test_totals_line_fit",
    "test_translations",
    "test_tui_contacts",
    "test_tui_criteria",
    "test_tui_history",
    "test_tui_import",
    "test_tui_import_problems",
    "test_tui_lines_roles",
    "test_tui_screens",
    "test_tui_templates",
    "test_window_table",
}


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Skip SQLite's own tests and the front end's tests on PostgreSQL."""
    if not POSTGRES:
        return
    skip = pytest.mark.skip(reason="tests SQLite itself; this run uses PostgreSQL")
    skip_front_end = pytest.mark.skip(
        reason="tests the terminal front end, which the SQLite run covers"
    )
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)
        elif item.module is not None and (
            item.module.__name__.rsplit(".", 1)[-1] in FRONT_END_MODULES
        ):
            item.add_marker(skip_front_end)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """A new, empty segtui database: a SQLite file, or the PostgreSQL test database."""
    database = fresh_database(tmp_path)
    yield database
    database.close()


@pytest.fixture
def world(database: Database) -> World:
    """A small, hand-made set of contacts and setup for exact expectations."""
    return build_world()


@pytest.fixture(scope="session")
def sample_database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the shipped sample data, built once per test session."""
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite3"
    database = open_database(sqlite_url(path))
    load_sample_for_tests()
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def sample_database_path(tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """A private database with the sample data, as a SQLite path or a PostgreSQL URL."""
    if POSTGRES:
        url = fresh_database_url(tmp_path)
        database = open_database(url)
        load_sample_for_tests()
        database.close()
        return url
    path = tmp_path / "sample.sqlite3"
    shutil.copyfile(request.getfixturevalue("sample_database_file"), path)
    return path


@pytest.fixture
def sample_database(sample_database_path: Path | str) -> Iterator[Database]:
    """The sample database, open, in a private copy."""
    url = sample_database_path if POSTGRES else sqlite_url(Path(sample_database_path))
    database = open_database(str(url))
    yield database
    database.close()
