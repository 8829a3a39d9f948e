"""SQL helpers for the domain: JSON in and out on SQLite and PostgreSQL, and pages.

JSON functions differ between the two databases, so the expressions here pick the
right one. ``read_page`` reads a page of a sorted query by seeking from a row already
read next to it, or else from whichever end of the query is nearer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from peewee import (
    SQL,
    Cast,
    Field,
    ForeignKeyField,
    NodeList,
    Ordering,
    Select,
    Tuple,
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


@dataclass(frozen=True)
class Anchor:
    """A row already read: its index in the sorted query and its unique key.

    ``key`` is the row's value in the last column of the order, the unique one.
    """

    index: int
    key: Any


# The row that the page being read lies next to, for callers that cannot pass one to
# read_page through the functions in between.
_current_anchor: ContextVar[Anchor | None] = ContextVar("page_anchor", default=None)


@contextmanager
def reading_next_to(anchor: Anchor | None) -> Iterator[None]:
    """Let every read_page call in the block seek from ``anchor``."""
    token = _current_anchor.set(anchor)
    try:
        yield
    finally:
        _current_anchor.reset(token)


def current_anchor() -> Anchor | None:
    """Return the anchor that ``reading_next_to`` set for this context, if any."""
    return _current_anchor.get()


def read_page(
    query: Select,
    order: Sequence[Any],
    offset: int = 0,
    limit: int | None = None,
    total: int | None = None,
    anchor: Anchor | None = None,
) -> list[Any]:
    """Run ``query`` sorted by ``order`` and return ``limit`` rows from ``offset`` on.

    SQLite and PostgreSQL step over the rows before an OFFSET one by one, so a page
    in the middle of a long query costs as much as reading half of it. Given an
    ``anchor``, a row read before (by default the one ``reading_next_to`` set), the
    page is read by seeking from the anchor's sort values in an index, with an
    OFFSET of only the rows between the anchor and the page. Without one, or when
    the anchor is farther away than an end, or no longer matches the query, the
    page is read from the nearer end. Given ``total``, the query's row count, a page
    nearer the end than the start is read in the reversed order with the offset
    counted from the end, and the rows are put back in order.

    ``order`` must end on a unique key: with ties, the reversed order could list
    tied rows in another sequence than the forward one. A ``total`` that is out of
    date shifts a page read from the end by the rows added or removed since the
    count. A seek instead continues from the anchor row wherever it now is.
    """
    anchor = anchor or current_anchor()
    if anchor is not None and limit is not None:
        rows = read_page_from_anchor(query, order, offset, limit, total, anchor)
        if rows is not None:
            return rows
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


def read_page_from_anchor(
    query: Select,
    order: Sequence[Any],
    offset: int,
    limit: int,
    total: int | None,
    anchor: Anchor,
) -> list[Any] | None:
    """Read a page by seeking from ``anchor``, or return None where that costs more.

    The cost of a read is the rows its OFFSET steps over. An anchor before the page
    seeks forward past it, and an anchor after the page seeks backwards.
    """
    if anchor.index < offset:
        backwards, skip = False, offset - anchor.index - 1
    elif anchor.index >= offset + limit:
        backwards, skip = True, anchor.index - offset - limit
    else:
        return None
    if anchor.key is None:
        return None
    from_ends = offset if total is None else min(offset, total - offset - limit)
    if skip > max(from_ends, 0):
        return None
    values = sort_values(query, order, anchor.key)
    if values is None:
        return None
    page_order = list(order)
    if backwards:
        page_order = [reverse_ordering(key) for key in order]
    page = query.where(after_condition(page_order, values)).order_by(*page_order)
    if skip:
        page = page.offset(skip)
    rows = list(page.limit(limit))
    if backwards:
        rows.reverse()
    return rows


def sort_values(query: Select, order: Sequence[Any], key: Any) -> tuple[Any] | None:
    """Return the sort values of the row whose unique key is ``key``.

    Return None when no row of ``query`` has that key, for example after the row
    was deleted or changed so that it no longer matches.
    """
    columns = [ordering_parts(item)[0] for item in order]
    lookup = query.select(*columns).where(columns[-1] == key).order_by().limit(1)
    rows = list(lookup.tuples())
    return rows[0] if rows else None


def ordering_parts(key: Any) -> tuple[Any, bool, bool]:
    """Return the expression of a sort key, whether it is descending, and whether
    NULLs come first.

    Without NULLS FIRST or LAST, SQLite sorts NULL below every value and
    PostgreSQL above every value.
    """
    if not isinstance(key, Ordering):
        return key, False, is_sqlite()
    descending = key.direction.upper() == "DESC"
    if not key.nulls:
        return key.node, descending, is_sqlite() != descending
    return key.node, descending, key.nulls.lower() == "first"


def after_condition(order: Sequence[Any], values: Sequence[Any]) -> Any:
    """Match the rows that ``order`` lists after the row with sort ``values``.

    The last sort key must be unique. Where every key is a column without NULLs
    and all go one way, the condition is a row-value comparison such as
    ``(name, no) > (?, ?)``, which SQLite and PostgreSQL read as a range of an
    index on those columns. Otherwise it compares key by key, with NULLs placed
    as the database sorts them.
    """
    parts = [ordering_parts(item) for item in order]
    nodes = [node for node, _descending, _nulls_first in parts]
    directions = {descending for _node, descending, _nulls_first in parts}
    without_nulls = not any(may_be_null(node) for node in nodes)
    # SQLite 3.40 reads no range of an expression index from a row value, so an
    # expression such as a sort key compares key by key.
    columns = all(isinstance(node, Field) for node in nodes)
    if len(parts) > 1 and len(directions) == 1 and without_nulls and columns:
        bound = Tuple(
            *[
                Value(value, converter=node.db_value)
                for node, value in zip(nodes, values, strict=True)
            ]
        )
        return Tuple(*nodes) < bound if directions == {True} else Tuple(*nodes) > bound
    # Built from the last key back: after on this key, or tied on it and after on
    # the keys that follow. None matches no row.
    condition = None
    for (node, descending, nulls_first), value in zip(
        reversed(parts), reversed(values), strict=True
    ):
        tied = None
        if condition is not None:
            same = node.is_null() if value is None else node == value
            tied = same & condition
        beyond = beyond_condition(node, descending, nulls_first, value)
        if beyond is None or tied is None:
            condition = beyond if tied is None else tied
        else:
            condition = beyond | tied
    if condition is None:
        # The anchor's last key is NULL and NULLs sort last, so no row follows.
        return SQL("1 = 0")
    # The OR of the key-by-key form hides the range from SQLite's planner, so a
    # bound on the first key lets it start the index walk at the anchor.
    node, descending, nulls_first = parts[0]
    if values[0] is not None and (nulls_first or not may_be_null(node)):
        condition &= node <= values[0] if descending else node >= values[0]
    return condition


def may_be_null(node: Any) -> bool:
    """Tell whether ``node`` may be NULL: a field as declared, and an expression
    unless its class sets ``null`` to False, as the sort key of a text column does."""
    if isinstance(node, Field):
        return bool(node.null)
    # The class, because an Entity makes up any attribute asked of it.
    return getattr(type(node), "null", True) is not False


def beyond_condition(
    node: Any, descending: bool, nulls_first: bool, value: Any
) -> Any | None:
    """Match the rows whose ``node`` sorts strictly after ``value``, or return None
    when none can."""
    if value is None:
        return node.is_null(False) if nulls_first else None
    beyond = node < value if descending else node > value
    if nulls_first or not may_be_null(node):
        return beyond
    return beyond | node.is_null()


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
