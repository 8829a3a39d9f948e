"""SQL expressions that differ between SQLite and PostgreSQL: JSON in and out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peewee import SQL, Cast, Field, NodeList, Value, fn

from segtui.db import is_sqlite


def json_object(pairs: Iterable[tuple[str, Any]]) -> Any:
    """Build a JSON object as text in SQL, one key and expression a pair.

    SQLite allows 127 function arguments and PostgreSQL 100, so a call takes at most
    50 pairs.
    """
    arguments: list[Any] = []
    for key, expression in pairs:
        arguments.extend((Value(key), expression))
    if len(arguments) > 100:
        raise ValueError(
            f"json_object takes at most 50 pairs, got {len(arguments) // 2}"
        )
    if is_sqlite():
        return fn.json_object(*arguments)
    return Cast(fn.json_build_object(*arguments), "text")


def json_value(column: Any, key: str, field: Field) -> Any:
    """Read one key of a JSON text column in SQL, as the type ``field`` stores."""
    if is_sqlite():
        return fn.json_extract(column, Value(f'$."{key}"'))
    text = NodeList((Cast(column, "json"), SQL("->>"), Value(key)))
    cast = POSTGRES_CASTS.get(type(field).__name__)
    return Cast(text, cast) if cast else text


# PostgreSQL types to read JSON text back into, by peewee field class.
POSTGRES_CASTS = {
    "IntegerField": "integer",
    "AutoField": "integer",
    "DecimalField": "numeric",
    "DateField": "date",
    "DateTimeField": "timestamp",
    "BooleanField": "boolean",
}
