"""Segments: create, change, list and delete them, and change their lines.

Every change to the lines is recorded as a criteria action with the whole lines it
inserted or deleted, so the criteria list shows how the segment was built.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from peewee import JOIN, Field, fn

from segtui.db import is_sqlite, write_transaction
from segtui.domain import clock
from segtui.domain.amounts import invalid_amount_message, read_amount
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.numbering import SEGMENT_SERIES, next_number
from segtui.domain.propagation import (
    apply_template_to_header,
    contact_dependent,
    line_columns,
    stored_value,
)
from segtui.domain.sql import read_page
from segtui.domain.text import clean_line
from segtui.domain.users import Permission, require
from segtui.domain.versions import check_version
from segtui.i18n import _, format_count
from segtui.models import (
    Contact,
    CorrespondenceType,
    InformationFlow,
    InitiatedBy,
    InteractionTemplate,
    Language,
    Salesperson,
    SegmentCriteriaAction,
    SegmentHeader,
    SegmentLine,
    UserSetup,
)


@dataclass(frozen=True)
class SegmentSummary:
    no: str
    description: str
    date: date | None
    salesperson_code: str
    template_code: str
    lines: int


def get_segment(no: str) -> SegmentHeader:
    segment = SegmentHeader.get_or_none(SegmentHeader.no == no)
    if segment is None:
        raise NotFoundError(
            _(
                "Segment {no!r} does not exist; it may have been logged or deleted "
                "by someone else."
            ).format(no=no)
        )
    return segment


def lock_segment(no: str) -> SegmentHeader:
    """Return a segment to change it, its row locked until the transaction ends.

    SQLite's BEGIN IMMEDIATE already holds the one write lock; on PostgreSQL the row
    lock makes a second user's change of the same segment wait for the first.
    """
    query = SegmentHeader.select().where(SegmentHeader.no == no)
    if not is_sqlite():
        query = query.for_update()
    segment = query.first()
    if segment is None:
        return get_segment(no)
    return segment


def list_segments() -> list[SegmentSummary]:
    """Return every unlogged segment with its number of lines, newest number last."""
    line_count = (
        SegmentLine.select(SegmentLine.segment, fn.COUNT(SegmentLine.id).alias("lines"))
        .group_by(SegmentLine.segment)
        .alias("line_count")
    )
    query = (
        SegmentHeader.select(
            SegmentHeader.no,
            SegmentHeader.description,
            SegmentHeader.date,
            SegmentHeader.salesperson,
            SegmentHeader.interaction_template,
            fn.COALESCE(line_count.c.lines, 0).alias("lines"),
        )
        .join(
            line_count,
            JOIN.LEFT_OUTER,
            on=(line_count.c.segment_no == SegmentHeader.no),
        )
        .order_by(SegmentHeader.no)
        .tuples()
    )
    return [
        SegmentSummary(
            no, description, day, salesperson or "", template or "", int(lines)
        )
        for no, description, day, salesperson, template, lines in query
    ]


def create_segment(
    description: str,
    *,
    user: str,
    template_code: str | None = None,
    salesperson_code: str | None = None,
    segment_date: date | None = None,
) -> SegmentHeader:
    """Create an empty segment with the next number of the segment series."""
    description = clean_line(description)
    if not description:
        raise InvalidValueError(
            _("A segment needs a description; type one and try again.")
        )
    template = find_template(template_code) if template_code else None
    if salesperson_code:
        salesperson_code = find_salesperson(salesperson_code).code
    else:
        setup = UserSetup.get_or_none(UserSetup.user_id == user)
        salesperson_code = setup.salesperson_code if setup else None

    require(user, Permission.MARKETING, _("create segments"))
    with write_transaction():
        now = clock.now()
        segment = SegmentHeader(
            no=next_number(SEGMENT_SERIES),
            description=description,
            date=segment_date or now.date(),
            salesperson=salesperson_code,
            created_at=now,
            created_by=user,
            modified_at=now,
            modified_by=user,
        )
        apply_template_to_header(segment, template)
        segment.save(force_insert=True)
        return segment


def delete_segment(no: str, *, user: str) -> None:
    """Delete an unlogged segment with its lines and criteria."""
    require(user, Permission.MARKETING, _("delete segments"))
    with write_transaction():
        segment = lock_segment(no)
        segment.delete_instance(recursive=False)


HEADER_FIELDS = {
    "description": SegmentHeader.description,
    "date": SegmentHeader.date,
    "salesperson": SegmentHeader.salesperson,
    "interaction_template": SegmentHeader.interaction_template,
    "language": SegmentHeader.language,
    "subject": SegmentHeader.subject,
    "correspondence_type": SegmentHeader.correspondence_type,
    "ignore_contact_corresp_type": SegmentHeader.ignore_contact_corresp_type,
    "unit_cost": SegmentHeader.unit_cost,
    "unit_duration": SegmentHeader.unit_duration,
    "information_flow": SegmentHeader.information_flow,
    "initiated_by": SegmentHeader.initiated_by,
    "send_word_docs_as_attachment": SegmentHeader.send_word_docs_as_attachment,
}

# Header fields that lines share; changing one of them can update the lines.
LINE_FIELDS = {
    "date",
    "salesperson",
    "interaction_template",
    "language",
    "subject",
    "correspondence_type",
    "ignore_contact_corresp_type",
    "unit_cost",
    "unit_duration",
    "information_flow",
    "initiated_by",
}


def lines_share(changes: Iterable[str]) -> bool:
    """Return whether changing these header fields would change the lines too."""
    return any(name in LINE_FIELDS for name in changes)


def update_header(
    no: str,
    changes: Mapping[str, Any],
    *,
    user: str,
    update_lines: bool = True,
    expected_version: int | None = None,
) -> SegmentHeader:
    """Change header fields; with ``update_lines`` the lines follow the shared ones.

    Setting ``interaction_template`` also sets the template's cost, duration,
    information flow, initiated by, correspondence type and language on the header.
    With ``expected_version``, a header changed by someone else since it was read
    raises ConflictError and nothing is saved.
    """
    unknown = [name for name in changes if name not in HEADER_FIELDS]
    if unknown:
        raise InvalidValueError(
            _("Unknown segment field {field!r}; the fields are: {known}.").format(
                field=unknown[0], known=", ".join(HEADER_FIELDS)
            )
        )

    require(user, Permission.MARKETING, _("change segments"))
    with write_transaction():
        segment = lock_segment(no)
        check_version(segment, expected_version, _("Segment {no}").format(no=no))
        changed: set[str] = set()
        for name, value in changes.items():
            value = check_header_value(name, value)
            if name == "interaction_template":
                template = find_template(value) if value else None
                if (
                    template is None
                    or template.code != segment.interaction_template_code
                ):
                    apply_template_to_header(segment, template)
                    changed.update(
                        {
                            "interaction_template",
                            "correspondence_type",
                            "unit_cost",
                            "unit_duration",
                            "information_flow",
                            "initiated_by",
                            "language",
                            "subject",
                        }
                    )
                continue
            if stored_value(segment, name) != value:
                setattr(segment, name, value)
                changed.add(name)
        if not changed:
            return segment
        segment.modified_at = clock.now()
        segment.modified_by = user
        segment.version += 1
        segment.save()
        if update_lines and lines_share(changed):
            _update_lines_from_header(segment, changed, user)
        return segment


def check_header_value(name: str, value: Any) -> Any:
    """Return a header value as stored, or raise InvalidValueError naming the field."""
    if name == "description":
        text = clean_line(value)
        if not text:
            raise InvalidValueError(
                _("A segment needs a description; type one and try again.")
            )
        return text
    if name == "subject":
        return clean_line(value)
    if name == "salesperson":
        return find_salesperson(value).code if value else None
    if name == "language":
        if not value:
            return None
        language = Language.get_or_none(Language.code == str(value).strip().upper())
        if language is None:
            known = ", ".join(
                code for (code,) in Language.select(Language.code).tuples()
            )
            raise NotFoundError(
                _(
                    "Language {code!r} does not exist; the languages are: {known}."
                ).format(code=value, known=known or _("none"))
            )
        return language.code
    if name == "correspondence_type":
        if value not in tuple(CorrespondenceType):
            raise InvalidValueError(
                _(
                    "Correspondence type {value!r} is not one of: hard_copy, email, blank."
                ).format(value=value)
            )
        return value
    if name == "information_flow" and value not in tuple(InformationFlow):
        raise InvalidValueError(
            _(
                "Information flow {value!r} is not one of: outbound, inbound, blank."
            ).format(value=value)
        )
    if name == "initiated_by" and value not in tuple(InitiatedBy):
        raise InvalidValueError(
            _("Initiated by {value!r} is not one of: us, them, blank.").format(
                value=value
            )
        )
    if name in ("unit_cost", "unit_duration"):
        return check_amount(HEADER_LABELS[name](), value)
    return value


HEADER_LABELS = {
    "unit_cost": lambda: _("Unit cost"),
    "unit_duration": lambda: _("Unit duration"),
}

# The largest amount a cost or duration field takes (DECIMAL(14, 2)).
MAX_AMOUNT = Decimal("999999999999.99")


def check_amount(label: str, value: Any) -> Decimal:
    """Return an amount of money or minutes, or raise naming the field and the value.

    Text is read as typed in the interface language, such as 1.234,50 in German,
    and numbers are taken as they are.
    """
    if isinstance(value, str):
        text = value.strip()
        number = read_amount(text)
    else:
        text = str(value if value is not None else "")
        try:
            number = Decimal(text)
        except ArithmeticError:
            number = None
    if number is None or not number.is_finite():
        raise InvalidValueError(invalid_amount_message(label, value))
    if number < 0:
        raise InvalidValueError(
            _("{field} is {value}; it cannot be negative.").format(
                field=label, value=text
            )
        )
    if number > MAX_AMOUNT:
        raise InvalidValueError(
            _("{field} is {value}; the largest amount is {max}.").format(
                field=label, value=text, max=format_count(MAX_AMOUNT)
            )
        )
    return number.quantize(Decimal("0.01"))


def _update_lines_from_header(
    segment: SegmentHeader, changed: set[str], user: str
) -> None:
    """Give every line of the segment the header's new values for the changed fields."""
    columns = dict(line_columns(segment))
    updates: dict[Field, Any] = {}
    template_changed = "interaction_template" in changed
    for line_field, expression in columns.items():
        name = line_field.name
        affected = name in changed or (
            template_changed
            and name in ("description", "correspondence_type", "language", "subject")
        )
        if name == "correspondence_type" and "ignore_contact_corresp_type" in changed:
            affected = True
        if name == "subject" and "language" in changed:
            affected = True
        if not affected or name in ("evaluation", "personal_note", "version"):
            continue
        if contact_dependent(line_field):
            expression = _per_contact(expression)
        updates[line_field] = expression
    if not updates:
        return
    # A line with a letter of its own keeps its language and so its letter.
    own = SegmentLine.attachment.is_null(False)
    plain = {f: e for f, e in updates.items() if f is not SegmentLine.language}
    updates_all = dict(plain)
    updates_all[SegmentLine.version] = SegmentLine.version + 1
    updates_all[SegmentLine.modified_at] = segment.modified_at
    updates_all[SegmentLine.modified_by] = user
    (SegmentLine.update(updates_all).where(SegmentLine.segment == segment.no).execute())
    if SegmentLine.language in updates:
        (
            SegmentLine.update({SegmentLine.language: updates[SegmentLine.language]})
            .where((SegmentLine.segment == segment.no) & ~own)
            .execute()
        )


def _per_contact(expression: Any) -> Any:
    """Evaluate a line expression over Contact for the contact of each line."""
    return Contact.select(expression).where(Contact.no == SegmentLine.contact)


def find_template(code: str) -> InteractionTemplate:
    code = clean_line(code).upper()
    template = InteractionTemplate.get_or_none(InteractionTemplate.code == code)
    if template is None:
        known = ", ".join(
            t.code
            for t in InteractionTemplate.select().order_by(InteractionTemplate.code)
        )
        raise NotFoundError(
            _(
                "Interaction template {code!r} does not exist; the templates are: {known}."
            ).format(code=code, known=known or _("none"))
        )
    return template


def find_salesperson(code: str) -> Salesperson:
    code = clean_line(code).upper()
    salesperson = Salesperson.get_or_none(Salesperson.code == code)
    if salesperson is None:
        known = ", ".join(
            s.code for s in Salesperson.select().order_by(Salesperson.code)
        )
        raise NotFoundError(
            _(
                "Salesperson {code!r} does not exist; the salespeople are: {known}."
            ).format(code=code, known=known or _("none"))
        )
    return salesperson


# Reading lines for display.


@dataclass(frozen=True)
class LineRow:
    line_no: int
    contact_no: str
    contact_name: str
    company_name: str
    correspondence_type: str
    language_code: str
    salesperson_code: str
    template_code: str
    description: str


def segment_lines(
    no: str, offset: int = 0, limit: int | None = None, total: int | None = None
) -> list[LineRow]:
    """Return a page of a segment's lines with each contact's name and company.

    With ``total``, the segment's line count, a page near the end is read backwards
    from the last line, which takes as long as reading the first page.
    """
    company = Contact.alias("company")
    query = (
        SegmentLine.select(
            SegmentLine.line_no,
            SegmentLine.contact,
            Contact.name,
            fn.COALESCE(company.name, ""),
            Contact.type,
            SegmentLine.correspondence_type,
            SegmentLine.language,
            SegmentLine.salesperson,
            SegmentLine.interaction_template,
            SegmentLine.description,
        )
        .join_from(SegmentLine, Contact, on=(SegmentLine.contact == Contact.no))
        .join_from(
            Contact, company, JOIN.LEFT_OUTER, on=(Contact.company == company.no)
        )
        .where(SegmentLine.segment == no)
        .tuples()
    )
    # Line numbers are unique within a segment, so the order is total.
    page = read_page(query, [SegmentLine.line_no], offset, limit, total)
    rows = []
    for (
        line_no,
        contact_no,
        name,
        company_name,
        kind,
        corr,
        language,
        sp,
        template,
        desc,
    ) in page:
        rows.append(
            LineRow(
                line_no=line_no,
                contact_no=contact_no,
                contact_name=name,
                company_name=company_name if kind != "company" else "",
                correspondence_type=corr or "",
                language_code=language or "",
                salesperson_code=sp or "",
                template_code=template or "",
                description=desc or "",
            )
        )
    return rows


def count_lines(no: str) -> int:
    return SegmentLine.select().where(SegmentLine.segment == no).count()


def criteria_actions(no: str) -> list[SegmentCriteriaAction]:
    return list(
        SegmentCriteriaAction.select()
        .where(SegmentCriteriaAction.segment == no)
        .order_by(SegmentCriteriaAction.sequence)
    )
