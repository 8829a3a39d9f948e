"""The base model, shared field types and the fixed value lists of segtui's tables."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from peewee import (
    SQL,
    AutoField,
    DatabaseProxy,
    DecimalField,
    Model,
    NodeList,
    SqliteDatabase,
    TextField,
)

from segtui.db import database_proxy


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class EntryNumberField(AutoField):
    """An integer key whose numbers are never handed out again, even after deletes.

    The migrations make the schema, and this field makes ``create_tables`` match
    them: on SQLite the key is declared AUTOINCREMENT, because SQLite otherwise
    gives a new row the highest key plus one. A PostgreSQL serial sequence only goes
    back when reset by hand, so there the DDL is that of AutoField.
    """

    def ddl(self, ctx: Any) -> Any:
        nodes = super().ddl(ctx)
        database = self.model._meta.database
        if isinstance(database, DatabaseProxy):
            database = database.obj
        if isinstance(database, SqliteDatabase):
            return NodeList((nodes, SQL("AUTOINCREMENT")))
        return nodes


class JSONField(TextField):
    """JSON stored as text with sorted keys, so equal values give equal bytes."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return dump_json(value)

    def python_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, (dict, list)):
            return value
        return json.loads(value)


def dump_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def money_field(**kwargs: Any) -> DecimalField:
    return DecimalField(
        max_digits=14, decimal_places=2, auto_round=True, default=0, **kwargs
    )


class ContactType(StrEnum):
    COMPANY = "company"
    PERSON = "person"


class CorrespondenceType(StrEnum):
    """How a document reaches the contact; blank means it is only recorded."""

    BLANK = ""
    HARD_COPY = "hard_copy"
    EMAIL = "email"


class InformationFlow(StrEnum):
    BLANK = ""
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class InitiatedBy(StrEnum):
    BLANK = ""
    US = "us"
    THEM = "them"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    NOT_DELIVERED = "not_delivered"


class Role(StrEnum):
    VIEWER = "viewer"
    MARKETER = "marketer"
    ADMIN = "admin"


class SalutationKind(StrEnum):
    FORMAL = "formal"
    INFORMAL = "informal"
