"""What segtui imports before its first screen: only what a SQLite user needs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from peewee import PostgresqlDatabase

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
