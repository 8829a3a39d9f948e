"""How a segment's header and interaction template give each line its values.

A line starts with the header's values. Its correspondence type is the header's when
the header ignores the contact's correspondence type and has one; otherwise the
template's default when the template ignores the contact's type or the contact has
none; otherwise the contact's own. Its language is the contact's when the template
has an attachment in that language, otherwise the header's default language. Its
salesperson is the header's, or the contact's when the header has none.

The values are built as SQL expressions over ``Contact``, so inserting a thousand
lines is one ``INSERT ... SELECT``.
"""

from __future__ import annotations

from typing import Any

from peewee import Case, Field, Value, fn

from segtui.models import (
    Contact,
    CorrespondenceType,
    InteractionTemplate,
    InteractionTemplateLanguage,
    SegmentHeader,
    SegmentLine,
)

# Header fields whose value every line copies as it is.
COPIED_FIELDS = (
    "date",
    "unit_cost",
    "unit_duration",
    "information_flow",
    "initiated_by",
    "campaign",
    "campaign_target",
    "campaign_response",
)

# Template fields the header takes when a template is applied to it.
TEMPLATE_HEADER_FIELDS = (
    "correspondence_type",
    "unit_cost",
    "unit_duration",
    "information_flow",
    "initiated_by",
    "campaign",
    "campaign_target",
    "campaign_response",
)


def apply_template_to_header(
    header: SegmentHeader, template: InteractionTemplate | None
) -> None:
    """Set the header's template and the values that come with it, without saving."""
    header.interaction_template = template
    if template is None:
        return
    for name in TEMPLATE_HEADER_FIELDS:
        setattr(header, name, getattr(template, name))
    header.ignore_contact_corresp_type = False
    header.language = template.language
    header.subject = ""


def template_languages(
    template: InteractionTemplate | None,
) -> dict[str, InteractionTemplateLanguage]:
    if template is None:
        return {}
    rows = InteractionTemplateLanguage.select().where(
        InteractionTemplateLanguage.template == template.code
    )
    return {row.language_code: row for row in rows}


def correspondence_type_expression(
    header: SegmentHeader, template: InteractionTemplate | None
) -> Any:
    contact_type = fn.COALESCE(Contact.correspondence_type, "")
    if header.ignore_contact_corresp_type and header.correspondence_type:
        return Value(header.correspondence_type)
    default = template.correspondence_type if template else header.correspondence_type
    if template is not None and template.ignore_contact_corresp_type:
        return Value(default or CorrespondenceType.BLANK)
    return Case(
        None, [(contact_type == "", Value(default or ""))], Contact.correspondence_type
    )


def language_expression(
    header: SegmentHeader, template: InteractionTemplate | None
) -> Any:
    default = header.language_code or (
        template.language_code_default if template else None
    )
    if template is None:
        return fn.COALESCE(Contact.language, Value(default))
    with_attachment = [
        code for code, row in template_languages(template).items() if row.attachment_id
    ]
    if not with_attachment:
        return Value(default)
    return Case(
        None,
        [(Contact.language.in_(with_attachment), Contact.language)],
        Value(default),
    )


def subject_expression(
    header: SegmentHeader, template: InteractionTemplate | None, language: Any
) -> Any:
    if header.subject or template is None:
        return Value(header.subject or "")
    subjects = [
        (code, row.subject)
        for code, row in template_languages(template).items()
        if row.subject
    ]
    if not subjects:
        return Value("")
    return Case(language, subjects, Value(""))


def line_columns(header: SegmentHeader) -> list[tuple[Field, Any]]:
    """Return (line field, SQL expression over Contact) for every value of a new line."""
    template = header.interaction_template
    language = language_expression(header, template)
    if header.salesperson_code:
        salesperson = constant(SegmentLine.salesperson, header.salesperson_code)
    else:
        salesperson = Contact.salesperson
    description = template.description if template else header.description
    columns: list[tuple[Field, Any]] = [
        (SegmentLine.salesperson, salesperson),
        (
            SegmentLine.interaction_template,
            constant(
                SegmentLine.interaction_template, header.interaction_template_code
            ),
        ),
        (SegmentLine.language, language),
        (SegmentLine.subject, subject_expression(header, template, language)),
        (SegmentLine.description, Value(description or "")),
        (
            SegmentLine.correspondence_type,
            correspondence_type_expression(header, template),
        ),
        (SegmentLine.evaluation, Value("")),
        (SegmentLine.personal_note, Value("")),
        (SegmentLine.version, Value(1)),
    ]
    for name in COPIED_FIELDS:
        line_field = getattr(SegmentLine, name)
        columns.append((line_field, constant(line_field, stored_value(header, name))))
    return columns


def constant(field: Field, value: Any) -> Value:
    """Return a SQL parameter converted the way ``field`` stores its values."""
    return Value(value, converter=field.db_value)


def stored_value(record: Any, name: str) -> Any:
    """Return the stored value of a field, the key itself for a foreign key."""
    return record.__data__.get(getattr(type(record), name).name)


def contact_dependent(field: Field) -> bool:
    return field in (
        SegmentLine.salesperson,
        SegmentLine.language,
        SegmentLine.subject,
        SegmentLine.correspondence_type,
    )
