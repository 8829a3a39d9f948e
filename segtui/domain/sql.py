"""SQL expressions that differ between SQLite and PostgreSQL: JSON in and out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peewee import SQL, Cast, Field, ForeignKeyField, NodeList, Value, fn

from segtui.db import is_sqlite


def json_object(pairs: Iterable[tuple[str, Any]]) -> Any:
    """Build a JSON object as text in SQL, one key and expression a pair.

    SQLite allows 127 function arguments and PostgreSQL 100, so a call takes at most
    50 pairs.
    """
    arguments: list[Any] = []
    sqlite = is_sqlite()
    for key, expression in pairs:
        if sqlite:
            arguments.extend((Value(key), expression))
            continue
        # PostgreSQL cannot infer the type of a bare text parameter in a function call.
        if isinstance(expression, Value) and (
            expression.value is None or isinstance(expression.value, str)
        ):
            expression = Cast(expression, "text")
        arguments.extend((Cast(Value(key), "text"), expression))
    if len(arguments) > 100:
        raise ValueError(
            f"json_object takes at most 50 pairs, got {len(arguments) // 2}"
        )
    if sqlite:
        return fn.json_object(*arguments)
    return Cast(fn.json_build_object(*arguments), "text")


def json_value(column: Any, key: str, field: Field) -> Any:
    """Read one key of a JSON text column in SQL, as the type ``field`` stores."""
    if is_sqlite():
        return fn.json_extract(column, Value(f'$."{key}"'))
    text = NodeList((Cast(column, "json"), SQL("->>"), Cast(Value(key), "text")))
    stored = field.rel_field if isinstance(field, ForeignKeyField) else field
    cast = POSTGRES_CASTS.get(stored.field_type)
    return Cast(text, cast) if cast else text


# PostgreSQL types to read JSON text back into, by peewee's field type.
POSTGRES_CASTS = {
    "INT": "integer",
    "AUTO": "integer",
    "BIGINT": "bigint",
    "DECIMAL": "numeric",
    "DATE": "date",
    "DATETIME": "timestamp",
    "BOOL": "boolean",
}
