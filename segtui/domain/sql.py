"""SQL helpers for the domain: JSON in and out on SQLite and PostgreSQL, and pages.

JSON functions differ between the two databases, so the expressions here pick the
right one. ``read_page`` reads a page of a sorted query from whichever end is nearer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from peewee import (
    SQL,
    Cast,
    Field,
    ForeignKeyField,
    NodeList,
    Ordering,
    Select,
    Value,
    fn,
)

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


def read_page(
    query: Select,
    order: Sequence[Any],
    offset: int = 0,
    limit: int | None = None,
    total: int | None = None,
) -> list[Any]:
    """Run ``query`` sorted by ``order`` and return ``limit`` rows from ``offset`` on.

    SQLite and PostgreSQL step over the rows before an OFFSET one by one, so the last
    page of a long query costs as much as reading the whole query. Given ``total``,
    the query's row count, a page nearer the end than the start is therefore read in
    the reversed order with the offset counted from the end, and the rows are put
    back in order. ``order`` must end on a unique key: with ties, the reversed order
    could list tied rows in another sequence than the forward one. A ``total`` that
    is out of date shifts such a page by the rows added or removed since the count.
    """
    after = None if limit is None or total is None else total - offset - limit
    if after is None or after >= offset:
        page = query.order_by(*order).offset(offset)
        return list(page if limit is None else page.limit(limit))
    # The page may run past the last row, which leaves fewer rows to read.
    rows_left = limit + min(after, 0)
    if rows_left <= 0:
        return []
    reversed_order = [reverse_ordering(key) for key in order]
    page = query.order_by(*reversed_order).offset(max(after, 0)).limit(rows_left)
    rows = list(page)
    rows.reverse()
    return rows


def reverse_ordering(key: Any) -> Ordering:
    """Return the ordering that lists rows in the reverse sequence of ``key``.

    A column or expression without a direction sorts ascending. DESC is the exact
    reverse of ASC on both databases, NULLs included, and an explicit NULLS FIRST or
    LAST is swapped as well.
    """
    if not isinstance(key, Ordering):
        return key.desc()
    direction = "ASC" if key.direction.upper() == "DESC" else "DESC"
    nulls = None
    if key.nulls:
        nulls = "first" if key.nulls.lower() == "last" else "last"
    return Ordering(key.node, direction, key.collation, nulls)
