"""The base model, shared field types and the fixed value lists of segtui's tables."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from peewee import DecimalField, Model, TextField

from segtui.db import database_proxy


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


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
