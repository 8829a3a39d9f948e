"""Copying a whole database to another, for example from SQLite to PostgreSQL.

The target must be empty; it gets the current schema, then every table's rows in
dependency order, in batches, in one transaction. Each value passes through its
peewee field in both directions, so SQLite's 0/1 booleans and ISO date strings
arrive in PostgreSQL as booleans and dates. The copy is verified by comparing every
table's row count, and a mismatch rolls the whole copy back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from peewee import Database, Field, PostgresqlDatabase

from segtui.db import create_database
from segtui.domain.entry_numbers import highest_used_numbers, raise_counters
from segtui.domain.errors import InvalidValueError, SegtuiError
from segtui.i18n import _
from segtui.models import ALL_MODELS, BaseModel, Contact
from segtui.models.contact_search import update_search_index
from segtui.models.migrations import check_version, current_version, migrate

BATCH_ROWS = 1000


def copy_database(source_url: str, target_url: str) -> dict[str, int]:
    """Copy every row of the source database into the empty target database.

    Returns each table's row count. Raises InvalidValueError when the target is not
    empty or the source's schema is not this segtui's.
    """
    if source_url == target_url:
        raise InvalidValueError(_("The source and the target are the same database."))
    source = create_database(source_url)
    target = create_database(target_url)
    source.connect()
    target.connect()
    try:
        check_version(source)
        if current_version(target) != 0:
            raise InvalidValueError(
                _(
                    "The target database {url} already has tables; copy only into a new, "
                    "empty database."
                ).format(url=target_url)
            )
        migrate(target)
        counts: dict[str, int] = {}
        with target.atomic():
            for model in ALL_MODELS:
                counts[model._meta.table_name] = _copy_table(source, target, model)
            if isinstance(target, PostgresqlDatabase):
                _reset_sequences(target)
            raise_counters(target, highest_used_numbers(source))
            update_search_index(target)
            _verify_counts(source, target, counts)
        return counts
    finally:
        source.close()
        target.close()


def _copy_table(source: Database, target: Database, model: type[BaseModel]) -> int:
    fields = list(model._meta.sorted_fields)
    table = model._meta.table_name
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    placeholders = ", ".join(target.param for _field in fields)
    insert = f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})'
    copied = 0
    cursor = target.cursor()
    for batch in _read_batches(source, model, fields, columns):
        cursor.executemany(insert, [_convert(fields, row) for row in batch])
        copied += len(batch)
    return copied


def _read_batches(
    source: Database, model: type[BaseModel], fields: list[Field], columns: str
) -> Iterator[list[tuple[Any, ...]]]:
    table = model._meta.table_name
    order = ", ".join(f'"{field.column_name}"' for field in fields if field.primary_key)
    if model is Contact:
        # A person refers to its company, so companies and independent persons come
        # first; a company refers to itself.
        order = "CASE WHEN company_no IS NULL OR company_no = no THEN 0 ELSE 1 END, no"
    cursor = source.execute_sql(
        f'SELECT {columns} FROM "{table}" ORDER BY {order or "1"}'
    )
    while True:
        rows = cursor.fetchmany(BATCH_ROWS)
        if not rows:
            return
        yield rows


def _convert(fields: list[Field], row: tuple[Any, ...]) -> tuple[Any, ...]:
    converted = []
    for field, value in zip(fields, row, strict=True):
        if value is None:
            converted.append(None)
        elif isinstance(value, memoryview):
            converted.append(bytes(value))
        else:
            converted.append(field.db_value(field.python_value(value)))
    return tuple(converted)


def _reset_sequences(target: Database) -> None:
    """Move each PostgreSQL serial sequence past the highest id copied."""
    for model in ALL_MODELS:
        key = model._meta.primary_key
        if key is None or key.field_type != "AUTO":
            continue
        table = model._meta.table_name
        target.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{key.column_name}'), "
            f'COALESCE(MAX("{key.column_name}"), 1), MAX("{key.column_name}") IS NOT NULL) '
            f'FROM "{table}"'
        )


def _verify_counts(source: Database, target: Database, counts: dict[str, int]) -> None:
    for table, copied in counts.items():
        expected = source.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        found = target.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        if not expected == found == copied:
            raise SegtuiError(
                _(
                    "Copying {table} failed: the source has {expected} rows, the target "
                    "{found}; nothing was copied."
                ).format(table=table, expected=expected, found=found)
            )
