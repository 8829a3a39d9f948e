"""Opening databases: URLs, SQLite settings, file permissions and schema versions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from segtui import paths
from segtui.db import (
    DatabaseUrlError,
    bind,
    create_database,
    is_sqlite,
    open_database,
)
from segtui.models import ALL_MODELS
from segtui.models.contact_search import SEARCH_TEXT_COLUMN
from segtui.models.migrations import (
    LATEST_VERSION,
    SchemaError,
    check_version,
    current_version,
    migrate,
)


@pytest.mark.sqlite_only
def test_sqlite_pragmas(database) -> None:
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    # synchronous=NORMAL is 1.
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 1


@pytest.mark.sqlite_only
def test_new_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "private.sqlite3"
    open_database("sqlite:///" + str(path)).close()
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode & stat.S_IRWXO == 0
    assert mode & stat.S_IRUSR
    assert mode & stat.S_IWUSR


def test_schema_version_recorded(database) -> None:
    assert current_version(database) == LATEST_VERSION
    check_version(database)


@pytest.mark.sqlite_only
def test_migrations_match_models(database, tmp_path: Path) -> None:
    """A database built by the migrations has the tables, columns and indexes of the models."""
    reference = SqliteDatabase(str(tmp_path / "models.sqlite3"))
    bind(reference)
    reference.create_tables(ALL_MODELS)

    def shape(db: SqliteDatabase) -> dict[str, object]:
        tables = {}
        for table in db.get_tables():
            # The search index is no model: migration 8 builds it from plain SQL.
            if table == "schema_version" or table.startswith("contact_search"):
                continue
            columns = [
                (c.name, c.data_type, c.null, c.primary_key)
                for c in db.get_columns(table)
            ]
            indexes = sorted(
                (i.name, tuple(i.columns), i.unique) for i in db.get_indexes(table)
            )
            keys = sorted(
                (f.column, f.dest_table, f.dest_column)
                for f in db.get_foreign_keys(table)
            )
            tables[table] = (columns, indexes, keys)
        return tables

    expected = shape(reference)
    reference.close()
    bind(database)
    assert shape(database) == expected


def test_tables_have_model_columns(database) -> None:
    """On every database kind, the migrations make each model's table and columns."""
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {column.name for column in database.get_columns(table)}
        expected = {field.column_name for field in model._meta.sorted_fields}
        if table == "contact" and not is_sqlite(database):
            # The server computes the search text, so the model leaves it out.
            expected.add(SEARCH_TEXT_COLUMN)
        assert columns == expected, table


def test_newer_schema_rejected(database) -> None:
    database.execute_sql(
        "INSERT INTO schema_version (version, description) "
        f"VALUES ({database.param}, {database.param})",
        (LATEST_VERSION + 1, "from the future"),
    )
    with pytest.raises(SchemaError) as caught:
        check_version(database)
    assert "upgrade segtui" in str(caught.value)


@pytest.mark.sqlite_only
def test_foreign_database_rejected(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    other = SqliteDatabase(str(path))
    other.execute_sql("CREATE TABLE something (id INTEGER)")
    other.close()
    with pytest.raises(SchemaError) as caught:
        open_database("sqlite:///" + str(path))
    assert "not made by segtui" in str(caught.value)


def test_migrate_is_repeatable(database) -> None:
    assert migrate(database) == []


def test_unknown_scheme_rejected() -> None:
    with pytest.raises(DatabaseUrlError) as caught:
        create_database("mysql://localhost/segtui")
    assert "'mysql'" in str(caught.value)


def test_database_location_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = paths.resolve_database_url(None)
    assert default == "sqlite:///" + str(paths.default_database_path().resolve())
    assert str(tmp_path) in default

    monkeypatch.setenv("SEGTUI_DATABASE", str(tmp_path / "from-env.sqlite3"))
    assert paths.resolve_database_url(None).endswith("from-env.sqlite3")
    assert paths.resolve_database_url(str(tmp_path / "option.sqlite3")).endswith(
        "option.sqlite3"
    )
    assert (
        paths.resolve_database_url("postgresql://user@host/name")
        == "postgresql://user@host/name"
    )
