"""Interaction templates, their languages and their Word attachments.

A template has a Word attachment and a subject per language. Importing a Word file
lists its merge fields and which of them match no segtui merge field. Such a field
can be mapped to a merge field per template language. Logging rejects a template
whose fields are not all matched or mapped. Replacing an attachment keeps
the old one while logged entries use it; otherwise the old one is deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from segtui.db import write_transaction
from segtui.domain.attachments import create_attachment, delete_unused_attachments
from segtui.domain.documents import (
    MERGE_FIELDS,
    DocumentError,
    TemplateField,
    inspect_template,
    normalize_field_name,
    read_merge_fields,
    resolve_merge_field,
)
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.setup_tables import (
    SetupField,
    SetupTable,
    Usage,
    check_lookup,
    find_record,
    join_with_and,
    record_values,
    save_table_record,
    usage_of,
    used_by_segment_lines,
    used_by_segments,
)
from segtui.domain.text import clean_line, no_value
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count
from segtui.models import (
    Attachment,
    CorrespondenceType,
    InformationFlow,
    InitiatedBy,
    InteractionTemplate,
    InteractionTemplateLanguage,
    Language,
    SegmentHeader,
    SegmentLine,
)

CORRESPONDENCE_CHOICES = (
    (CorrespondenceType.BLANK.value, no_value),
    (CorrespondenceType.HARD_COPY.value, lambda: _("Hard Copy")),
    (CorrespondenceType.EMAIL.value, lambda: _("Email")),
)
FLOW_CHOICES = (
    (InformationFlow.BLANK.value, no_value),
    (InformationFlow.OUTBOUND.value, lambda: _("Outbound")),
    (InformationFlow.INBOUND.value, lambda: _("Inbound")),
)
INITIATED_CHOICES = (
    (InitiatedBy.BLANK.value, no_value),
    (InitiatedBy.US.value, lambda: _("Us")),
    (InitiatedBy.THEM.value, lambda: _("Them")),
)

TEMPLATES = SetupTable(
    key="interaction-template",
    model=InteractionTemplate,
    title=lambda: _("Interaction templates"),
    singular=lambda: _("Interaction template"),
    fields=(
        SetupField("code", lambda: _("Code"), "code", max_length=20, required=True),
        SetupField(
            "group",
            lambda: _("Group"),
            "lookup",
            lookup="interaction-group",
            required=True,
        ),
        SetupField("description", lambda: _("Description")),
        SetupField(
            "correspondence_type",
            lambda: _("Corresp. type"),
            "choice",
            choices=CORRESPONDENCE_CHOICES,
        ),
        SetupField(
            "ignore_contact_corresp_type",
            lambda: _("Ign. contact type"),
            "bool",
        ),
        SetupField("unit_cost", lambda: _("Unit cost"), "amount"),
        SetupField("unit_duration", lambda: _("Duration (min)"), "amount"),
        SetupField(
            "information_flow",
            lambda: _("Information flow"),
            "choice",
            choices=FLOW_CHOICES,
        ),
        SetupField(
            "initiated_by",
            lambda: _("Initiated by"),
            "choice",
            choices=INITIATED_CHOICES,
        ),
        SetupField(
            "language", lambda: _("Default language"), "lookup", lookup="language"
        ),
        SetupField("campaign", lambda: _("Campaign No."), "lookup", lookup="campaign"),
        SetupField("campaign_target", lambda: _("Campaign target"), "bool"),
        SetupField("campaign_response", lambda: _("Campaign response"), "bool"),
    ),
    usages=(
        Usage(SegmentHeader.interaction_template, used_by_segments, SegmentHeader.no),
        Usage(SegmentLine.interaction_template, used_by_segment_lines),
    ),
)


@dataclass(frozen=True)
class TemplateSummary:
    code: str
    description: str
    group_code: str
    correspondence_type: str
    unit_cost: Decimal
    # The languages with a Word attachment, and those with only a subject.
    languages: list[str]
    languages_without_attachment: list[str]


@dataclass(frozen=True)
class TemplateLanguageInfo:
    """One language of a template: its subject, attachment and merge fields."""

    language_code: str
    language_name: str
    subject: str
    file_name: str
    attachment_id: int | None
    read_only: bool
    fields: list[TemplateField]
    field_map: dict[str, str]
    # Why the attachment's fields could not be read, or "".
    error: str = ""

    @property
    def unmatched(self) -> list[str]:
        return [field.name for field in self.fields if field.matched is None]


@dataclass(frozen=True)
class ImportResult:
    template_code: str
    language_code: str
    file_name: str
    fields: list[TemplateField]

    @property
    def unmatched(self) -> list[str]:
        return [field.name for field in self.fields if field.matched is None]


# Templates.


def list_templates() -> list[TemplateSummary]:
    """Return every template with the languages it has, by code."""
    languages: dict[str, tuple[list[str], list[str]]] = {}
    query = (
        InteractionTemplateLanguage.select(
            InteractionTemplateLanguage.template,
            InteractionTemplateLanguage.language,
            InteractionTemplateLanguage.attachment,
        )
        .order_by(InteractionTemplateLanguage.language)
        .tuples()
    )
    for template_code, language_code, attachment_id in query:
        with_file, without = languages.setdefault(template_code, ([], []))
        (with_file if attachment_id else without).append(language_code)
    return [
        TemplateSummary(
            code=row.code,
            description=row.description,
            group_code=row.interaction_group_code,
            correspondence_type=row.correspondence_type,
            unit_cost=Decimal(row.unit_cost or 0),
            languages=languages.get(row.code, ([], []))[0],
            languages_without_attachment=languages.get(row.code, ([], []))[1],
        )
        for row in InteractionTemplate.select().order_by(InteractionTemplate.code)
    ]


def get_template(code: str) -> dict[str, Any]:
    """Return a template's fields as field name → value."""
    return record_values(TEMPLATES, find_record(TEMPLATES, code))


def save_template(
    code: str,
    values: Mapping[str, Any],
    *,
    user: str,
    create: bool | None = None,
) -> dict[str, Any]:
    """Create or change a template; see setup_tables.save_record for ``create``."""
    return save_table_record(TEMPLATES, code, values, user=user, create=create)


def delete_template(code: str, *, user: str) -> None:
    """Delete a template with its languages, unless a segment uses it.

    Attachments that logged entries use stay, read-only; the others are deleted.
    Logged entries keep the template code and their merge values, so their letters
    can still be produced.
    """
    require(user, Permission.ADMINISTRATION, _("change setup"))
    with write_transaction():
        template = find_record(TEMPLATES, code)
        used = usage_of(TEMPLATES, template.code)
        if used:
            raise InvalidValueError(
                _(
                    "Interaction template {code} is used by {uses}; give them another "
                    "template or delete them first."
                ).format(code=template.code, uses=join_with_and(used))
            )
        attachment_ids = [
            row[0]
            for row in InteractionTemplateLanguage.select(
                InteractionTemplateLanguage.attachment
            )
            .where(InteractionTemplateLanguage.template == template.code)
            .tuples()
        ]
        InteractionTemplateLanguage.delete().where(
            InteractionTemplateLanguage.template == template.code
        ).execute()
        template.delete_instance()
        delete_unused_attachments(attachment_ids)


# Template languages.


def _language_row(
    template_code: str, language_code: str
) -> InteractionTemplateLanguage | None:
    return InteractionTemplateLanguage.get_or_none(
        (InteractionTemplateLanguage.template == template_code)
        & (InteractionTemplateLanguage.language == language_code)
    )


def _check_language(language: str) -> str:
    code = check_lookup(
        SetupField(
            "language",
            lambda: _("Language"),
            "lookup",
            lookup="language",
            required=True,
        ),
        language,
    )
    assert code is not None
    return code


def template_languages(code: str) -> list[TemplateLanguageInfo]:
    """Return a template's languages with their attachments' merge fields."""
    template = find_record(TEMPLATES, code)
    query = (
        InteractionTemplateLanguage.select(InteractionTemplateLanguage, Language)
        .join(Language)
        .where(InteractionTemplateLanguage.template == template.code)
        .order_by(InteractionTemplateLanguage.language)
    )
    return [_language_info(row) for row in query]


def _language_info(row: InteractionTemplateLanguage) -> TemplateLanguageInfo:
    attachment = row.attachment if row.attachment_id else None
    fields: list[TemplateField] = []
    error = ""
    if attachment is not None:
        try:
            fields = inspect_template(
                bytes(attachment.content), row.field_map or {}, attachment.file_name
            )
        except DocumentError as problem:
            error = problem.message
    return TemplateLanguageInfo(
        language_code=row.language_code,
        language_name=row.language.name,
        subject=row.subject,
        file_name=attachment.file_name if attachment else "",
        attachment_id=row.attachment_id,
        read_only=bool(attachment.read_only) if attachment else False,
        fields=fields,
        field_map=dict(row.field_map or {}),
        error=error,
    )


def template_language(code: str, language: str) -> TemplateLanguageInfo:
    template = find_record(TEMPLATES, code)
    language_code = _check_language(language)
    row = _language_row(template.code, language_code)
    if row is None:
        raise NotFoundError(
            _(
                "Interaction template {code} has no language {language}; add it with "
                "`segtui template import {code} {language} FILE.docx`."
            ).format(code=template.code, language=language_code)
        )
    return _language_info(row)


def set_template_language(
    code: str, language: str, *, subject: str, user: str
) -> TemplateLanguageInfo:
    """Add a language to a template, or change its subject."""
    language_code = _check_language(language)
    subject = clean_line(subject)
    if len(subject) > 250:
        raise InvalidValueError(
            _("The subject has {count} characters; the maximum is 250.").format(
                count=format_count(len(subject))
            )
        )
    require(user, Permission.ADMINISTRATION, _("change setup"))
    with write_transaction():
        template = find_record(TEMPLATES, code)
        row = _language_row(template.code, language_code)
        if row is None:
            row = InteractionTemplateLanguage.create(
                template=template.code, language=language_code, subject=subject
            )
        else:
            row.subject = subject
            row.save()
        return _language_info(row)


def remove_template_language(code: str, language: str, *, user: str) -> None:
    """Remove a language from a template, unless unlogged lines use it."""
    language_code = _check_language(language)
    require(user, Permission.ADMINISTRATION, _("change setup"))
    with write_transaction():
        template = find_record(TEMPLATES, code)
        row = _language_row(template.code, language_code)
        if row is None:
            raise NotFoundError(
                _("Interaction template {code} has no language {language}.").format(
                    code=template.code, language=language_code
                )
            )
        segments = [
            value
            for (value,) in SegmentLine.select(SegmentLine.segment)
            .where(
                (SegmentLine.interaction_template == template.code)
                & (SegmentLine.language == language_code)
                & SegmentLine.attachment.is_null()
            )
            .distinct()
            .order_by(SegmentLine.segment)
            .tuples()
        ]
        if segments:
            raise InvalidValueError(
                _(
                    "Lines of segments {segments} use template {code} in language "
                    "{language}; change or log them first."
                ).format(
                    segments=", ".join(segments),
                    code=template.code,
                    language=language_code,
                )
            )
        attachment_id = row.attachment_id
        row.delete_instance()
        delete_unused_attachments([attachment_id] if attachment_id else [])


def import_template_attachment(
    code: str,
    language: str,
    content: bytes,
    file_name: str,
    *,
    user: str,
    subject: str | None = None,
) -> ImportResult:
    """Store a Word file as a template's attachment in one language.

    The file must open as a Word document. Field mappings of fields that the new
    file still has are kept. The language is added when the template lacks it.
    """
    language_code = _check_language(language)
    names = read_merge_fields(content, file_name)
    require(user, Permission.ADMINISTRATION, _("change setup"))
    with write_transaction():
        template = find_record(TEMPLATES, code)
        row = _language_row(template.code, language_code)
        if row is None:
            row = InteractionTemplateLanguage(
                template=template.code, language=language_code, field_map={}
            )
        old_attachment = row.attachment_id
        attachment = create_attachment(file_name, content, user=user)
        present = {normalize_field_name(name) for name in names}
        row.field_map = {
            name: merge_field
            for name, merge_field in (row.field_map or {}).items()
            if normalize_field_name(name) in present
        }
        row.attachment = attachment
        if subject is not None:
            row.subject = clean_line(subject)
        row.save()
        if old_attachment:
            delete_unused_attachments([old_attachment])
        return ImportResult(
            template.code,
            language_code,
            attachment.file_name,
            inspect_template(content, row.field_map, attachment.file_name),
        )


def export_template_attachment(code: str, language: str) -> tuple[str, bytes]:
    """Return the file name and bytes of a template's attachment in one language."""
    info = template_language(code, language)
    if info.attachment_id is None:
        raise NotFoundError(
            _(
                "Interaction template {code} has no Word attachment in language "
                "{language}; import one with `segtui template import {code} "
                "{language} FILE.docx`."
            ).format(code=code.upper(), language=info.language_code)
        )
    attachment = Attachment.get_by_id(info.attachment_id)
    return attachment.file_name, bytes(attachment.content)


def map_template_fields(
    code: str,
    language: str,
    mapping: Mapping[str, str | None],
    *,
    user: str,
) -> list[TemplateField]:
    """Map fields of a template language's attachment to segtui merge fields.

    ``mapping`` is template field → merge field (its key or any of its names); an
    empty merge field removes the mapping. A field that the attachment lacks, or a
    merge field that does not exist, raises InvalidValueError naming it.
    """
    info = template_language(code, language)
    if info.attachment_id is None:
        raise NotFoundError(
            _(
                "Interaction template {code} has no Word attachment in language "
                "{language}; import one first with `segtui template import {code} "
                "{language} FILE.docx`."
            ).format(code=code.upper(), language=info.language_code)
        )
    by_normalized = {normalize_field_name(f.name): f.name for f in info.fields}
    changes: dict[str, str | None] = {}
    for field_name, merge_field in mapping.items():
        written = by_normalized.get(normalize_field_name(field_name))
        if written is None:
            raise InvalidValueError(
                _(
                    "{field!r} is not a merge field of {file}; its fields are: {known}."
                ).format(
                    field=field_name,
                    file=info.file_name,
                    known=", ".join(f.name for f in info.fields) or _("none"),
                )
            )
        target = clean_line(merge_field or "")
        changes[written] = resolve_merge_field(target) if target else None

    require(user, Permission.ADMINISTRATION, _("change setup"))
    with write_transaction():
        row = _language_row(code.upper(), info.language_code)
        if row is None or row.attachment_id != info.attachment_id:
            raise InvalidValueError(
                _(
                    "The attachment of template {code} in language {language} was "
                    "replaced meanwhile; look at its fields again."
                ).format(code=code.upper(), language=info.language_code)
            )
        field_map = {
            name: value
            for name, value in (row.field_map or {}).items()
            if name not in changes
        }
        field_map.update({name: value for name, value in changes.items() if value})
        row.field_map = field_map
        row.save()
        attachment = Attachment.get_by_id(info.attachment_id)
        return inspect_template(
            bytes(attachment.content), field_map, attachment.file_name
        )


def file_fields(content: bytes, file_name: str = "") -> list[TemplateField]:
    """Return the merge fields of a Word file and what each matches, unmapped."""
    return inspect_template(content, None, file_name)


def merge_field_choices() -> list[tuple[str, str]]:
    """Return each merge field with its names, for a picker: (key, names)."""
    return [(key, ", ".join(names)) for key, names in MERGE_FIELDS.items()]


def template_count_by_group() -> dict[str, int]:
    query = (
        InteractionTemplate.select(
            InteractionTemplate.group, fn.COUNT(InteractionTemplate.code)
        )
        .group_by(InteractionTemplate.group)
        .tuples()
    )
    return {group: count for group, count in query}
