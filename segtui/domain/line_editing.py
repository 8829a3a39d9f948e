"""Changing one segment line: its interaction values and a personal note.

A line starts with the header's values; a user may change them for one contact.
Giving a line another contact takes that contact's language, correspondence type
and salesperson as a new line would, and keeps the line's attachment: the
template's, which the header and other lines share, or the line's own letter.
Changing the line's template replaces its description with the template's, except
that a description typed on a line that had no template yet is kept, and brings the
template's cost, duration, information flow and initiated by. Every save checks
the line's row version, so two users editing one line never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.dates import parse_date
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.propagation import (
    correspondence_type_expression,
    language_expression,
)
from segtui.domain.segmentation import (
    check_amount,
    check_header_value,
    find_template,
    lock_segment,
)
from segtui.domain.text import clean_line, clean_text
from segtui.domain.users import Permission, require
from segtui.domain.versions import check_version
from segtui.i18n import _, format_count
from segtui.models import Contact, CorrespondenceType, SegmentLine

# The line fields a user may change, with how each value is checked.
LINE_FIELDS = (
    "contact",
    "date",
    "salesperson",
    "interaction_template",
    "language",
    "subject",
    "description",
    "correspondence_type",
    "unit_cost",
    "unit_duration",
    "information_flow",
    "initiated_by",
    "evaluation",
    "personal_note",
)

MAX_NOTE_LENGTH = 2000


def get_line(no: str, line_no: int) -> SegmentLine:
    line = SegmentLine.get_or_none(
        (SegmentLine.segment == no) & (SegmentLine.line_no == line_no)
    )
    if line is None:
        raise NotFoundError(
            _(
                "Segment {no} has no line {line}; it may have been deleted by someone else."
            ).format(no=no, line=line_no)
        )
    return line


def update_line(
    no: str,
    line_no: int,
    changes: Mapping[str, Any],
    *,
    user: str,
    expected_version: int | None = None,
) -> SegmentLine:
    """Change one line's values; a line changed meanwhile raises ConflictError."""
    unknown = [name for name in changes if name not in LINE_FIELDS]
    if unknown:
        raise InvalidValueError(
            _("Unknown line field {field!r}; the fields are: {known}.").format(
                field=unknown[0], known=", ".join(LINE_FIELDS)
            )
        )
    require(user, Permission.MARKETING, _("change segment lines"))
    with write_transaction():
        segment = lock_segment(no)
        line = get_line(segment.no, line_no)
        check_version(
            line,
            expected_version,
            _("Line {line} of segment {no}").format(line=line_no, no=segment.no),
        )
        changed = False
        old_subject = _template_subject(
            line.interaction_template_code, line.language_code
        )
        # The contact goes first: it brings a language and correspondence type that
        # values changed along with it then override.
        ordered = sorted(changes.items(), key=lambda item: item[0] != "contact")
        for name, value in ordered:
            value = _check_line_value(name, value)
            if name == "interaction_template":
                changed |= _change_template(segment, line, value)
                continue
            if name == "contact":
                changed |= _change_contact(segment, line, value)
                continue
            current = line.__data__.get(getattr(SegmentLine, name).name)
            if current != value:
                setattr(line, name, value)
                changed = True
        if changed and "subject" not in changes and not segment.subject:
            _follow_template_subject(line, old_subject)
        if changed:
            line.version += 1
            line.modified_at = clock.now()
            line.modified_by = user
            line.save()
        return line


def _check_line_value(name: str, value: Any) -> Any:
    if name in ("unit_cost", "unit_duration"):
        labels = {"unit_cost": _("Unit cost"), "unit_duration": _("Duration")}
        return check_amount(labels[name], value)
    if name == "personal_note":
        note = clean_text(value)
        if len(note) > MAX_NOTE_LENGTH:
            raise InvalidValueError(
                _(
                    "The personal note has {count} characters; the most is {max}."
                ).format(
                    count=format_count(len(note)), max=format_count(MAX_NOTE_LENGTH)
                )
            )
        return note
    if name in ("description", "evaluation"):
        return clean_line(value)
    if name == "date":
        if value is None or isinstance(value, date):
            return value
        return parse_date(str(value), _("Date"))
    if name == "interaction_template":
        return value or None
    if name == "contact":
        return clean_line(value).upper()
    return check_header_value(name, value)


def _change_template(segment: Any, line: SegmentLine, code: str | None) -> bool:
    """Give a line another template, with the values that come with it."""
    if code == line.interaction_template_code:
        return False
    template = find_template(code) if code else None
    had_template = line.interaction_template_code is not None
    line.interaction_template = template
    if template is None:
        return True
    if had_template or not line.description:
        line.description = template.description
    for name in ("unit_cost", "unit_duration", "information_flow", "initiated_by"):
        setattr(line, name, getattr(template, name))
    if template.ignore_contact_corresp_type or not line.correspondence_type:
        line.correspondence_type = (
            template.correspondence_type or CorrespondenceType.BLANK
        )
    # The template's languages decide the line's language, unless the line has a
    # letter of its own.
    if line.attachment_id is None:
        line.language = (
            Contact.select(language_expression(segment, template))
            .where(Contact.no == line.contact_no)
            .scalar()
        )
    return True


def _change_contact(segment: Any, line: SegmentLine, contact_no: str) -> bool:
    """Give a line another contact and the values that depend on the contact."""
    if not contact_no:
        raise InvalidValueError(_("A line needs a contact; type a contact number."))
    if contact_no == line.contact_no:
        return False
    contact = Contact.get_or_none(Contact.no == contact_no)
    if contact is None:
        raise NotFoundError(
            _("Contact {no!r} does not exist; check the number.").format(no=contact_no)
        )
    if contact.privacy_blocked:
        raise InvalidValueError(
            _("Contact {no} {name} is privacy blocked and cannot be added.").format(
                no=contact.no, name=contact.name
            )
        )
    template = line.interaction_template
    expressions = {
        "correspondence_type": correspondence_type_expression(segment, template),
        "language": language_expression(segment, template),
    }
    if not segment.salesperson_code:
        expressions["salesperson"] = Contact.salesperson
    row = (
        Contact.select(*(e.alias(name) for name, e in expressions.items()))
        .where(Contact.no == contact.no)
        .dicts()
        .get()
    )
    line.contact = contact
    line.correspondence_type = row["correspondence_type"] or ""
    if "salesperson" in row:
        line.salesperson = row["salesperson"]
    # A line with a letter of its own keeps its language, and so its letter.
    if line.attachment_id is None:
        line.language = row["language"]
        if not segment.subject and template is not None:
            line.subject = _template_subject(template.code, line.language_code)
    return True


def _follow_template_subject(line: SegmentLine, old_subject: str) -> None:
    """Give a line the subject of its template in its language, unless its subject
    was typed for this line: one that differs from the template's before the change.
    """
    if line.subject and line.subject != old_subject:
        return
    line.subject = _template_subject(line.interaction_template_code, line.language_code)


def _template_subject(template_code: str | None, language_code: str | None) -> str:
    from segtui.models import InteractionTemplateLanguage

    if template_code is None:
        return ""
    row = InteractionTemplateLanguage.get_or_none(
        (InteractionTemplateLanguage.template == template_code)
        & (InteractionTemplateLanguage.language == language_code)
    )
    return row.subject if row else ""
