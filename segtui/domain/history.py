"""Interaction history: listing log entries by filters, their totals and a timeline.

Filters use the criteria expression syntax (``DE|AT``, ``2026-01-01..``, ``<>''``)
on the fields of ``entry_fields``. Canceled entries are listed, marked, but never
counted: a canceled interaction did not happen, so totals and timelines leave it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from peewee import SQL, Case, fn

from segtui.db import is_sqlite
from segtui.domain import clock
from segtui.domain.criteria_sources import (
    BOOLEAN,
    CODE,
    CORRESPONDENCE_TYPE_SPEC,
    DATE,
    DECIMAL,
    INTEGER,
    TEXT,
    FilterField,
    normalize_key,
    shown_words,
)
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.filters import FieldKind, FieldSpec, all_of, compile_expression
from segtui.domain.sql import read_page
from segtui.i18n import _, inside_sentence
from segtui.models import DeliveryStatus, InteractionLogEntry

EntryFilters = dict[str, str]

DELIVERY_STATUS_SPEC = FieldSpec(
    FieldKind.OPTION,
    (
        (DeliveryStatus.PENDING, shown_words("pending")),
        (DeliveryStatus.SENT, shown_words("sent")),
        (DeliveryStatus.FAILED, shown_words("failed")),
        (DeliveryStatus.NOT_DELIVERED, shown_words("not delivered")),
    ),
)


def delivery_word(status: str) -> str:
    """Return a delivery status as screens and the CLI show it: "not delivered".

    State words are lower case everywhere, like "canceled" and "done".
    """
    words = {
        DeliveryStatus.PENDING: _("pending"),
        DeliveryStatus.SENT: _("sent"),
        DeliveryStatus.FAILED: _("failed"),
        DeliveryStatus.NOT_DELIVERED: _("not delivered"),
    }
    return words.get(status, status)


def entry_state_word(entry: Any) -> str:
    """Return an interaction log entry's state as a word for lists.

    The word is "canceled" for a canceled entry, "not written" for one whose letter
    was never written or tried (such as the rest of a log stopped with Esc), and
    its delivery status otherwise. So a letter never written reads apart from one
    written but "not delivered", and a failed one reads "failed".
    """
    if entry.canceled:
        return _("canceled")
    return letter_state_word(entry)


def letter_state_word(entry: Any) -> str:
    """Return "not written" or the delivery status of an entry, canceled or not."""
    if letter_never_written(entry):
        return _("not written")
    return delivery_word(entry.delivery_status)


def letter_never_written(entry: Any) -> bool:
    """Tell whether an entry has a letter that was never written or tried.

    The same test as the resend's count of letters "never written before".
    """
    return (
        entry.attachment_id is not None
        and not entry.document_path
        and not entry.delivery_error
        and entry.delivery_status
        in (DeliveryStatus.PENDING, DeliveryStatus.NOT_DELIVERED)
    )


def state_words() -> list[str]:
    """Return every word ``entry_state_word`` may return, in the current language."""
    return [
        _("canceled"),
        _("not written"),
        *(delivery_word(status) for status in DeliveryStatus),
    ]


def entry_fields() -> dict[str, FilterField]:
    """Return the filterable fields of an interaction log entry by key."""
    e = InteractionLogEntry
    fields = (
        FilterField("entry_no", _("Entry No."), e.entry_no, INTEGER, aliases=("no",)),
        FilterField(
            "contact", _("Contact No."), e.contact_no, CODE, aliases=("contact_no",)
        ),
        FilterField("contact_name", _("Contact name"), e.contact_name, TEXT),
        FilterField(
            "company",
            _("Company No."),
            e.contact_company_no,
            CODE,
            aliases=("company_no",),
        ),
        FilterField("date", _("Date"), e.date, DATE),
        FilterField("description", _("Description"), e.description, TEXT),
        FilterField("subject", _("Subject"), e.subject, TEXT),
        FilterField(
            "template", _("Template"), e.template_code, CODE, aliases=("template_code",)
        ),
        FilterField("group", _("Group"), e.group_code, CODE, aliases=("group_code",)),
        FilterField(
            "language", _("Language"), e.language_code, CODE, aliases=("language_code",)
        ),
        FilterField(
            "correspondence_type",
            _("Correspondence type"),
            e.correspondence_type,
            CORRESPONDENCE_TYPE_SPEC,
        ),
        FilterField(
            "salesperson",
            _("Salesperson"),
            e.salesperson_code,
            CODE,
            aliases=("salesperson_code",),
        ),
        FilterField(
            "campaign", _("Campaign No."), e.campaign_no, CODE, aliases=("campaign_no",)
        ),
        FilterField(
            "campaign_target", _("Campaign target"), e.campaign_target, BOOLEAN
        ),
        FilterField(
            "campaign_response", _("Campaign response"), e.campaign_response, BOOLEAN
        ),
        FilterField("evaluation", _("Evaluation"), e.evaluation, TEXT),
        FilterField("attempt_failed", _("Attempt failed"), e.attempt_failed, BOOLEAN),
        FilterField(
            "segment", _("Segment No."), e.segment_no, CODE, aliases=("segment_no",)
        ),
        FilterField(
            "logged_segment",
            _("Logged segment"),
            e.logged_segment,
            INTEGER,
            aliases=("logged_segment_no", "logged"),
        ),
        FilterField("canceled", _("Canceled"), e.canceled, BOOLEAN),
        FilterField(
            "delivery_status",
            _("Delivery status"),
            e.delivery_status,
            DELIVERY_STATUS_SPEC,
            aliases=("delivery", "status"),
        ),
        FilterField("cost", _("Cost"), e.unit_cost, DECIMAL, aliases=("unit_cost",)),
        FilterField(
            "duration",
            _("Duration"),
            e.unit_duration,
            DECIMAL,
            aliases=("unit_duration",),
        ),
        FilterField("user", _("User"), e.user_id, TEXT, aliases=("user_id",)),
    )
    return {field.key: field for field in fields}


def find_entry_field(key: str) -> FilterField:
    wanted = normalize_key(key)
    fields = entry_fields()
    for field in fields.values():
        if wanted == field.key or wanted in field.aliases:
            return field
    raise InvalidValueError(
        _("Unknown interaction filter key {key!r}; the keys are: {known}.").format(
            key=key, known=", ".join(key.replace("_", "-") for key in fields)
        )
    )


def entry_filters_from_pairs(pairs: Iterable[str]) -> EntryFilters:
    """Turn ``KEY=EXPR`` strings into entry filters; the same key twice joins with &."""
    filters: EntryFilters = {}
    for pair in pairs:
        key, separator, expression = pair.partition("=")
        if not separator or not key.strip():
            raise InvalidValueError(
                _(
                    "Filter {pair!r} is not KEY=EXPRESSION, for example "
                    "date=2026-01-01.."
                ).format(pair=pair)
            )
        field = find_entry_field(key).key
        if field in filters:
            filters[field] = f"({filters[field]})&({expression})"
        else:
            filters[field] = expression
    return filters


def entry_condition(filters: EntryFilters) -> Any:
    """Compile entry filters into a condition on InteractionLogEntry, None for none.

    Raises FilterSyntaxError for an expression that does not parse or fit its field.
    """
    fields = entry_fields()
    conditions = []
    for key, expression in filters.items():
        if not str(expression).strip():
            continue
        field = fields[find_entry_field(key).key]
        # The error names the field by its label, as the filter dialog does.
        label = inside_sentence(field.label)
        conditions.append(
            compile_expression(field.column, field.spec, expression, label)
        )
    return all_of(conditions) if conditions else None


def _where(query: Any, condition: Any) -> Any:
    return query if condition is None else query.where(condition)


def list_entries(
    condition: Any = None,
    offset: int = 0,
    limit: int | None = None,
    total: int | None = None,
) -> list[InteractionLogEntry]:
    """Return a page of entries, newest first, without their letters.

    With ``total``, the row count from ``count_entries``, a page near the end is read
    backwards from the oldest entry, which takes as long as reading the first page.
    """
    e = InteractionLogEntry
    columns = [field for field in e._meta.sorted_fields if field.name != "letter"]
    query = _where(e.select(*columns), condition)
    # The unique entry number breaks ties between entries of the same day.
    order = [e.date.desc(), e.entry_no.desc()]
    return read_page(query, order, offset, limit, total)


def count_entries(condition: Any = None) -> int:
    return _where(InteractionLogEntry.select(), condition).count()


@dataclass(frozen=True)
class Totals:
    """Interactions that count (not canceled), with their cost and duration."""

    interactions: int
    cost: Decimal
    # Minutes.
    duration: Decimal
    # Entries that matched but were canceled, so are not counted.
    canceled: int


def totals(condition: Any = None) -> Totals:
    e = InteractionLogEntry
    active = e.canceled == False  # noqa: E712
    query = _where(
        e.select(
            fn.SUM(Case(None, [(active, 1)], 0)),
            fn.SUM(Case(None, [(active, e.unit_cost)], 0)),
            fn.SUM(Case(None, [(active, e.unit_duration)], 0)),
            fn.SUM(Case(None, [(active, 0)], 1)),
        ),
        condition,
    )
    row = query.tuples().first() or (0, 0, 0, 0)
    return Totals(
        interactions=int(row[0] or 0),
        cost=Decimal(str(row[1] or 0)).quantize(Decimal("0.01")),
        duration=Decimal(str(row[2] or 0)).quantize(Decimal("0.01")),
        canceled=int(row[3] or 0),
    )


@dataclass(frozen=True)
class MonthCount:
    month: date
    interactions: int


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def timeline(
    condition: Any = None, months: int = 12, end: date | None = None
) -> list[MonthCount]:
    """Count the interactions that are not canceled per month, the last month ending at ``end``.

    ``end`` defaults to today. Months without interactions count 0.
    """
    e = InteractionLogEntry
    end = end or clock.today()
    first = _month_start(end, months - 1)
    after = _month_start(end, -1)
    month = (
        fn.strftime("%Y-%m", e.date)
        if is_sqlite()
        else fn.to_char(e.date, SQL("'YYYY-MM'"))
    )
    where = (e.canceled == False) & (e.date >= first) & (e.date < after)  # noqa: E712
    if condition is not None:
        where = where & condition
    counted = {
        key: int(count)
        for key, count in e.select(month.alias("month"), fn.COUNT(e.entry_no))
        .where(where)
        .group_by(SQL("1"))
        .tuples()
    }
    result = []
    for back in range(months - 1, -1, -1):
        start = _month_start(end, back)
        result.append(MonthCount(start, counted.get(start.strftime("%Y-%m"), 0)))
    return result


def get_entry(entry_no: int) -> InteractionLogEntry:
    entry = InteractionLogEntry.get_or_none(InteractionLogEntry.entry_no == entry_no)
    if entry is None:
        raise NotFoundError(
            _("Interaction log entry {no} does not exist.").format(no=entry_no)
        )
    return entry


def export_document(entry_no: int, path: Path, *, overwrite: bool = False) -> Path:
    """Write an entry's letter to ``path`` as a Word file and return the path.

    Raises NotFoundError for an entry without a letter, such as a phone call, and
    InvalidValueError when the file exists and ``overwrite`` is false.
    """
    from segtui.domain.logged_segments import entry_letter

    get_entry(entry_no)
    path = Path(path).expanduser()
    if path.suffix.lower() != ".docx":
        raise InvalidValueError(
            _(
                "{path} does not end in .docx; name a Word file such as letter.docx."
            ).format(path=path)
        )
    if path.exists() and not overwrite:
        raise InvalidValueError(
            _("{path} exists already; name another file.").format(path=path)
        )
    content = entry_letter(entry_no)
    if content is None:
        raise NotFoundError(
            _(
                "Interaction log entry {no} has no letter; its template has no Word "
                "attachment."
            ).format(no=entry_no)
        )
    from segtui.domain.letter_jobs import write_file

    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, content)
    return path
