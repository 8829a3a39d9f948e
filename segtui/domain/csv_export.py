"""Exporting contacts, segment lines and interaction log entries to CSV.

Each export has a fixed column order and reads the database in pages by key, so a
large table streams in constant memory. The contact columns are the columns that
``import_contacts`` reads, so an exported file imports into another database as it
is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from peewee import JOIN

from segtui.domain.classifications import classification_kinds
from segtui.domain.contact_fields import CONTACT_COLUMNS, column_value
from segtui.domain.contact_import import (
    AUDIT_COLUMNS,
    CLASSIFICATION_COLUMNS,
    IMPORT_COLUMNS,
    PROFILE_COLUMN,
)
from segtui.domain.csv_format import write_csv
from segtui.domain.segmentation import get_segment
from segtui.models import (
    Contact,
    ContactProfileAnswer,
    InteractionLogEntry,
    ProfileAnswer,
    SegmentLine,
)

PAGE_SIZE = 1000

CONTACT_EXPORT_COLUMNS = IMPORT_COLUMNS

SEGMENT_EXPORT_COLUMNS = (
    "segment_no",
    "line_no",
    "contact_no",
    "contact_name",
    "company_no",
    "company_name",
    "date",
    "salesperson_code",
    "interaction_template_code",
    "language_code",
    "description",
    "subject",
    "correspondence_type",
    "unit_cost",
    "unit_duration",
    "information_flow",
    "initiated_by",
    "evaluation",
    "campaign_no",
    "campaign_target",
    "campaign_response",
    "personal_note",
)

# Each column of the interaction export with the entry field it comes from.
INTERACTION_EXPORT_FIELDS = (
    ("entry_no", "entry_no"),
    ("contact_no", "contact_no"),
    ("contact_name", "contact_name"),
    ("company_no", "contact_company_no"),
    ("company_name", "contact_company_name"),
    ("date", "date"),
    ("created_at", "created_at"),
    ("description", "description"),
    ("subject", "subject"),
    ("template_code", "template_code"),
    ("group_code", "group_code"),
    ("language_code", "language_code"),
    ("correspondence_type", "correspondence_type"),
    ("information_flow", "information_flow"),
    ("initiated_by", "initiated_by"),
    ("unit_cost", "unit_cost"),
    ("unit_duration", "unit_duration"),
    ("salesperson_code", "salesperson_code"),
    ("campaign_no", "campaign_no"),
    ("campaign_target", "campaign_target"),
    ("campaign_response", "campaign_response"),
    ("evaluation", "evaluation"),
    ("attempt_failed", "attempt_failed"),
    ("segment_no", "segment_no"),
    ("logged_segment_no", "logged_segment"),
    ("delivery_status", "delivery_status"),
    ("delivery_error", "delivery_error"),
    ("document_path", "document_path"),
    ("canceled", "canceled"),
    ("user", "user_id"),
)
INTERACTION_EXPORT_COLUMNS = tuple(
    column for column, _field in INTERACTION_EXPORT_FIELDS
)


def export_contacts(stream: TextIO, condition: Any = None) -> int:
    """Write contacts with their classifications, by number; return how many."""
    return write_csv(stream, CONTACT_EXPORT_COLUMNS, _contact_rows(condition))


def _contact_rows(condition: Any) -> Iterator[list[Any]]:
    last = ""
    while True:
        query = Contact.select().where(Contact.no > last)
        if condition is not None:
            query = query.where(condition)
        page = list(query.order_by(Contact.no).limit(PAGE_SIZE))
        if not page:
            return
        codes = _codes_of([contact.no for contact in page])
        for contact in page:
            row = [column_value(contact, column) for column in CONTACT_COLUMNS]
            row += [
                ";".join(sorted(codes[column].get(contact.no, ())))
                for column in CLASSIFICATION_COLUMNS
            ]
            row += [getattr(contact, column) for column in AUDIT_COLUMNS]
            yield row
        last = page[-1].no


def _codes_of(numbers: list[str]) -> dict[str, dict[str, list[str]]]:
    """Return the codes of each classification column for a page of contacts."""
    codes: dict[str, dict[str, list[str]]] = {}
    for kind in classification_kinds().values():
        found: dict[str, list[str]] = {}
        query = kind.link_model.select(kind.link_model.contact, kind.link_code()).where(
            kind.link_model.contact.in_(numbers)
        )
        for contact_no, code in query.tuples():
            found.setdefault(contact_no, []).append(code)
        codes[kind.column] = found
    answers: dict[str, list[str]] = {}
    query = (
        ContactProfileAnswer.select(
            ContactProfileAnswer.contact,
            ProfileAnswer.questionnaire,
            ProfileAnswer.code,
        )
        .join(ProfileAnswer)
        .where(ContactProfileAnswer.contact.in_(numbers))
    )
    for contact_no, questionnaire, code in query.tuples():
        answers.setdefault(contact_no, []).append(f"{questionnaire}:{code}")
    codes[PROFILE_COLUMN] = answers
    return codes


def export_segment(stream: TextIO, segment_no: str) -> int:
    """Write a segment's lines in line order; return how many."""
    segment = get_segment(segment_no)
    return write_csv(stream, SEGMENT_EXPORT_COLUMNS, _segment_rows(segment.no))


def _segment_rows(segment_no: str) -> Iterator[list[Any]]:
    company = Contact.alias("company")
    line = SegmentLine
    last = -1
    while True:
        page = list(
            line.select(
                line, Contact.name.alias("contact_name"), company.no, company.name
            )
            .join(Contact, on=(line.contact == Contact.no))
            .join(
                company, on=(Contact.company == company.no), join_type=JOIN.LEFT_OUTER
            )
            .where((line.segment == segment_no) & (line.line_no > last))
            .order_by(line.line_no)
            .limit(PAGE_SIZE)
            .objects()
        )
        if not page:
            return
        for row in page:
            yield [
                segment_no,
                row.line_no,
                row.contact_no,
                row.contact_name,
                row.no or "",
                row.name or "",
                row.date,
                row.salesperson_code or "",
                row.interaction_template_code or "",
                row.language_code or "",
                row.description,
                row.subject,
                row.correspondence_type,
                row.unit_cost,
                row.unit_duration,
                row.information_flow,
                row.initiated_by,
                row.evaluation,
                row.campaign_no or "",
                bool(row.campaign_target),
                bool(row.campaign_response),
                row.personal_note,
            ]
        last = page[-1].line_no


def export_interactions(stream: TextIO, condition: Any = None) -> int:
    """Write interaction log entries in entry order; return how many."""
    return write_csv(stream, INTERACTION_EXPORT_COLUMNS, _interaction_rows(condition))


def _interaction_rows(condition: Any) -> Iterator[list[Any]]:
    entry = InteractionLogEntry
    columns = [
        getattr(entry, name)
        for _column, name in INTERACTION_EXPORT_FIELDS
        if name != "logged_segment"
    ]
    last = 0
    while True:
        query = entry.select(*columns, entry.logged_segment).where(
            entry.entry_no > last
        )
        if condition is not None:
            query = query.where(condition)
        page = list(query.order_by(entry.entry_no).limit(PAGE_SIZE))
        if not page:
            return
        for row in page:
            values = []
            for _column, name in INTERACTION_EXPORT_FIELDS:
                if name == "logged_segment":
                    values.append(row.logged_segment_entry_no or "")
                elif name in ("campaign_target", "campaign_response", "canceled"):
                    values.append(bool(getattr(row, name)))
                elif name == "attempt_failed":
                    values.append(bool(row.attempt_failed))
                else:
                    values.append(getattr(row, name))
            yield values
        last = page[-1].entry_no
