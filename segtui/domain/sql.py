"""SQL expressions that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peewee import Cast, Value, fn

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
