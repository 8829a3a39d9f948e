"""What segtui imports before its first screen: only what a SQLite user needs."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import click
import pytest
from babel.numbers import format_decimal
from peewee import PostgresqlDatabase

from segtui import i18n
from segtui.cli import LAZY_COMMANDS, cli
from segtui.db import create_database


def imported_modules(code: str) -> set[str]:
    """Run ``code`` in a new interpreter and return the names in its sys.modules."""
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_sqlite_start_skips_postgresql_driver(tmp_path):
    url = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    # Creating the schema uses playhouse.migrate, which imports the driver. Opening
    # an existing database, as every start after the first does, must not.
    imported_modules(f"from segtui.db import open_database\nopen_database({url!r})")
    modules = imported_modules(
        f"from segtui.db import open_database\nopen_database({url!r})\n"
        "import segtui.ui.app"
    )
    assert "peewee" in modules
    assert "psycopg" not in modules
    assert "psycopg2" not in modules


def test_driver_importable_after_peewee():
    modules = imported_modules("import segtui.db\nimport psycopg")
    assert "psycopg" in modules


def test_postgresql_database_loads_driver():
    database = create_database("postgresql://someone@127.0.0.1:1/nothing")
    assert isinstance(database, PostgresqlDatabase)
    assert database._adapter.driver.__name__ == "psycopg"
    assert database._adapter.txn_idle is not None


def test_postgresql_connect_failure_names_host():
    database = create_database("postgresql://someone@127.0.0.1:1/nothing")
    with pytest.raises(Exception) as failure:
        database.connect()
    assert "127.0.0.1" in str(failure.value)


def test_package_import_skips_importlib_abc():
    modules = imported_modules("import segtui")
    assert "segtui" in modules
    assert "importlib.abc" not in modules
    assert "importlib.resources" not in modules


def test_cli_import_skips_command_modules():
    modules = imported_modules("import segtui.cli")
    assert "segtui.cli" in modules
    for target in LAZY_COMMANDS.values():
        module = target.split(":")[0]
        assert module not in modules


def test_lazy_commands_resolve_by_name():
    context = click.Context(cli)
    for name in LAZY_COMMANDS:
        command = cli.get_command(context, name)
        assert isinstance(command, click.Command), name
        assert command.name == name
    assert set(LAZY_COMMANDS) <= set(cli.list_commands(context))
    assert cli.get_command(context, "no-such-command") is None


def test_headless_commands_import_no_textual():
    """Loading every subcommand imports neither Textual nor python-docx."""
    modules = imported_modules(
        "from segtui.cli import LAZY_COMMANDS, cli\n"
        "for name in LAZY_COMMANDS:\n"
        "    cli.get_command(None, name)\n"
    )
    for target in LAZY_COMMANDS.values():
        assert target.split(":")[0] in modules
    heavy = {"textual", "docx", "mailmerge"}
    assert sorted(name for name in modules if name.split(".")[0] in heavy) == []


def test_format_count_skips_babel():
    modules = imported_modules(
        "from segtui.i18n import format_count\nformat_count(1234567)"
    )
    assert "segtui.i18n" in modules
    assert "babel" not in modules
    assert "babel.numbers" not in modules


COUNTS = [0, 7, 999, 1000, -1000, 12345, 1234567, 10**12, -(10**15)]
FRACTIONS = [Decimal("999999999999.99"), Decimal("2.5"), Decimal("3.5"), 1234.5]


@pytest.mark.parametrize("language", ["en", "de"])
def test_format_count_matches_babel(language):
    i18n.set_language(language)
    try:
        for value in [*COUNTS, *FRACTIONS]:
            expected = format_decimal(value, "#,##0", locale=language)
            assert i18n.format_count(value) == expected, value
    finally:
        i18n.set_language(None)
