"""Code lists for pickers: salespeople, templates, languages and classifications."""

from __future__ import annotations

from peewee import Model

from segtui.models import (
    BusinessRelation,
    IndustryGroup,
    InteractionTemplate,
    Language,
    MailingGroup,
    Salesperson,
    Territory,
)

Choices = list[tuple[str, str]]


def _choices(model: type[Model], label_field: str) -> Choices:
    key = model._meta.primary_key
    label = getattr(model, label_field)
    return [
        (code, text) for code, text in model.select(key, label).order_by(key).tuples()
    ]


def salespeople() -> Choices:
    return _choices(Salesperson, "name")


def templates() -> Choices:
    return _choices(InteractionTemplate, "description")


def languages() -> Choices:
    return _choices(Language, "name")


def territories() -> Choices:
    return _choices(Territory, "name")


def mailing_groups() -> Choices:
    return _choices(MailingGroup, "description")


def industry_groups() -> Choices:
    return _choices(IndustryGroup, "description")


def business_relations() -> Choices:
    return _choices(BusinessRelation, "description")


def header_lookups() -> dict[str, Choices]:
    """Return the choices a segment header form needs, in one call."""
    return {
        "salesperson": salespeople(),
        "interaction_template": templates(),
        "language": languages(),
    }
