"""The database the tests run on: SQLite files by default, or a PostgreSQL server.

Set ``SEGTUI_TEST_DATABASE_URL`` to a PostgreSQL URL (``scripts/test-postgres``
starts a server and prints one) and every test that uses these helpers runs on
PostgreSQL instead. Each pytest worker gets a database of its own on that server,
emptied before each test.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from functools import cache
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from peewee import Database

from segtui.db import create_database, open_database
from segtui.models import ALL_MODELS
from segtui.models.migrations import LATEST_VERSION, SCHEMA_VERSION_TABLE

SERVER_URL = os.environ.get("SEGTUI_TEST_DATABASE_URL", "").strip()
POSTGRES = SERVER_URL.startswith(("postgresql://", "postgres://"))
if SERVER_URL and not POSTGRES:
    raise RuntimeError(
        f"SEGTUI_TEST_DATABASE_URL is {SERVER_URL!r}, which is not a PostgreSQL URL; "
        "set it to the URL scripts/test-postgres prints, or unset it for SQLite."
    )


def sqlite_url(path: Path) -> str:
    return "sqlite:///" + str(path)


@cache
def empty_sqlite_file() -> Path:
    """Create this process's empty SQLite database with the current schema.

    Each test gets a copy: copying took about 1 ms here, and creating the schema
    about 40 ms.
    """
    folder = tempfile.mkdtemp(prefix="segtui-empty-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder) / "empty.sqlite3"
    open_database(sqlite_url(path)).close()
    # Closing the last connection checkpoints the write-ahead log into the file.
    assert not path.with_name(path.name + "-wal").exists()
    return path


@cache
def worker_database_url() -> str:
    """Create this worker's database on the PostgreSQL server and return its URL."""
    import psycopg

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"segtui_test_{worker}"
    with psycopg.connect(SERVER_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    parsed = urlparse(SERVER_URL)
    return urlunparse(parsed._replace(path="/" + name))


def fresh_database_url(folder: Path) -> str:
    """Return the URL of an empty segtui database with the current schema.

    On SQLite a new file in ``folder``; on PostgreSQL the worker's database, with
    every table emptied and every sequence reset.
    """
    if not POSTGRES:
        path = folder / f"segtui-{uuid.uuid4().hex[:8]}.sqlite3"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(empty_sqlite_file(), path)
        path.chmod(0o660)
        return sqlite_url(path)
    url = worker_database_url()
    # A test may have written a newer schema version; it would stop the next one.
    database = create_database(url)
    if database.table_exists(SCHEMA_VERSION_TABLE):
        database.execute_sql(
            f"DELETE FROM {SCHEMA_VERSION_TABLE} WHERE version > {LATEST_VERSION}"
        )
    database.close()
    database = open_database(url)
    tables = ", ".join(f'"{model._meta.table_name}"' for model in ALL_MODELS)
    database.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    database.close()
    return url


def fresh_database(folder: Path) -> Database:
    """Open an empty segtui database, bound to the models."""
    return open_database(fresh_database_url(folder))
