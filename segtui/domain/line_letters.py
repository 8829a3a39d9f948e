"""One line's letter before logging: preview it, export it, import an edited one.

A line's letter is merged exactly as logging will merge it, from the same merge
values. A letter exported, edited elsewhere and imported again becomes the line's
own attachment. The line keeps it when the header's template changes, and logging
uses it instead of the template's. The template's attachment, which the
header and the other lines share, is never changed or deleted here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.attachments import create_attachment, delete_unused_attachments
from segtui.domain.documents import (
    document_text,
    match_field,
    read_merge_fields,
    render_letter,
    stored_field_map,
    unmatched_fields,
)
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.line_editing import get_line
from segtui.domain.segmentation import get_segment, lock_segment
from segtui.domain.users import Permission, require
from segtui.domain.versions import check_version
from segtui.i18n import _
from segtui.models import (
    Attachment,
    Contact,
    InteractionTemplateLanguage,
    SegmentLine,
)


def line_letter_source(no: str, line_no: int) -> tuple[Attachment, dict[str, Any]]:
    """Return the attachment a line's letter is merged from and its merge values.

    Raises NotFoundError when the line has no Word attachment to merge, naming the
    template and language and how to add one.
    """
    from segtui.domain.segment_logging import line_letter_source as logging_source

    segment = get_segment(no)
    line = get_line(segment.no, line_no)
    source = logging_source(segment, line_no)
    if source is None:
        raise NotFoundError(
            _(
                "Line {line} of segment {no} has no contact any more; delete the line."
            ).format(line=line_no, no=segment.no)
        )
    if source["attachment_id"] is None:
        # The worksheet shows contacts, not line numbers, so these name the contact.
        contact = f"{line.contact_no} {line.contact.name}"
        template = line.interaction_template_code
        if not template:
            raise NotFoundError(
                _(
                    "The line of contact {contact} has no interaction template, so "
                    "it has no letter. Set a template on the line or on the segment "
                    "header."
                ).format(contact=contact)
            )
        language = line.language_code
        if not language:
            from segtui.domain.segment_logging import no_language_hint

            raise NotFoundError(
                _("The line of contact {contact} has no letter: {reason}").format(
                    contact=contact,
                    reason=no_language_hint(template, segment.no, line_no),
                )
            )
        raise NotFoundError(
            _(
                "Template {template} has no Word attachment in language {language}, "
                "so the line of contact {contact} has no letter. Import one with "
                "`segtui template import {template} {language} FILE.docx`."
            ).format(template=template, language=language, contact=contact)
        )
    attachment = Attachment.get_by_id(source["attachment_id"])
    return attachment, source["merge_values"]


# Line fields after whose change the personal note may have no place in the letter,
# so a front end checks with personal_note_warning.
NOTE_FIELDS = frozenset(
    {"personal_note", "interaction_template", "language", "contact"}
)


def personal_note_warning(no: str, line_no: int) -> str:
    """Return a warning when a line's personal note has no place in its letter.

    Returns "" when the line has no note, no letter, or a letter with a merge
    field that the note fills.
    """
    line = get_line(no, line_no)
    if not (line.personal_note or "").strip():
        return ""
    try:
        attachment, values = line_letter_source(no, line_no)
    except NotFoundError:
        return ""
    field_map = stored_field_map(values)
    fields = read_merge_fields(bytes(attachment.content), attachment.file_name)
    if any(match_field(name, field_map) == "personal_note" for name in fields):
        return ""
    if line.attachment_id is not None:
        return _(
            "The personal note of line {line} is not in its letter: the line's own "
            "letter {file} has no PersonalNote merge field. Add a PersonalNote field "
            "to that Word file and import it again, or remove the line's own letter."
        ).format(line=line_no, file=attachment.file_name)
    return _(
        "The personal note of line {line} is not in its letter: the Word file of "
        "template {template} in language {language} has no PersonalNote merge "
        "field. Add a PersonalNote field to the Word file and import it again with "
        "`segtui template import {template} {language} FILE.docx`."
    ).format(
        line=line_no,
        template=line.interaction_template_code,
        language=line.language_code,
    )


def line_letter(no: str, line_no: int) -> bytes:
    """Merge a line's letter as logging would, and return the .docx bytes."""
    attachment, values = line_letter_source(no, line_no)
    return render_letter(bytes(attachment.content), values)


def line_letter_text(no: str, line_no: int) -> str:
    """Return the text of a line's merged letter: headers, body, footers."""
    return document_text(line_letter(no, line_no))


def export_line_letter(
    no: str, line_no: int, target: Path, *, overwrite: bool = False
) -> Path:
    """Write a line's merged letter to ``target``: a .docx file, or a folder.

    An existing file is only replaced with ``overwrite``, so no edited letter is
    lost by a second export.
    """
    from segtui.domain.letter_jobs import letter_file_name, write_file

    content = line_letter(no, line_no)
    target = Path(target).expanduser()
    # A path without a suffix names a folder, created when it does not exist yet.
    if target.is_dir() or (not target.exists() and not target.suffix):
        line = get_line(no, line_no)
        contact = line.contact
        company = contact.company.name if contact.company_no else ""
        target = target / letter_file_name(contact.no, contact.name, company)
    if target.suffix.lower() != ".docx":
        raise InvalidValueError(
            _("{path} does not end in .docx; name a Word file or a folder.").format(
                path=target
            )
        )
    if target.exists() and not overwrite:
        raise InvalidValueError(
            _(
                "{path} exists already; choose another name or allow replacing it."
            ).format(path=target)
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, content)
    except OSError as error:
        raise InvalidValueError(
            _("Writing {path} failed: {error}.").format(
                path=target, error=error.strerror or error
            )
        ) from None
    return target


def import_line_letter(
    no: str,
    line_no: int,
    content: bytes,
    file_name: str,
    *,
    user: str,
    expected_version: int | None = None,
) -> SegmentLine:
    """Make a Word file the line's own letter, replacing an earlier one of its own.

    The file must open as a Word document, and any merge field still in it must
    match a segtui merge field, because nothing maps the fields of a line's own
    letter. The template attachment that other lines share stays as it is.
    """
    unknown = unmatched_fields(content, None, file_name)
    if unknown:
        raise InvalidValueError(
            _(
                "{file} has merge fields that match nothing: {fields}; remove them or "
                "rename them to segtui merge fields (`segtui template fields FILE`)."
            ).format(file=file_name, fields=", ".join(unknown))
        )
    read_merge_fields(content, file_name)
    require(user, Permission.MARKETING, _("change segment lines"))
    with write_transaction():
        segment = lock_segment(no)
        line = get_line(segment.no, line_no)
        check_version(
            line,
            expected_version,
            _("Line {line} of segment {no}").format(line=line_no, no=segment.no),
        )
        old = line.attachment_id
        line.attachment = create_attachment(file_name, content, user=user)
        _touch(line, user)
        if old:
            delete_unused_attachments([old])
        return line


def remove_line_letter(
    no: str, line_no: int, *, user: str, expected_version: int | None = None
) -> SegmentLine:
    """Drop a line's own letter, so the line uses its template's attachment again."""
    require(user, Permission.MARKETING, _("change segment lines"))
    with write_transaction():
        segment = lock_segment(no)
        line = get_line(segment.no, line_no)
        check_version(
            line,
            expected_version,
            _("Line {line} of segment {no}").format(line=line_no, no=segment.no),
        )
        old = line.attachment_id
        if old is None:
            contact = Contact.get_or_none(Contact.no == line.contact_no)
            name = contact.name if contact is not None else ""
            raise InvalidValueError(
                _(
                    "The line of contact {contact} has no letter of its own; it uses "
                    "the template's."
                ).format(contact=f"{line.contact_no} {name}".strip())
            )
        line.attachment = None
        _touch(line, user)
        delete_unused_attachments([old])
        return line


def _touch(line: SegmentLine, user: str) -> None:
    line.version += 1
    line.modified_at = clock.now()
    line.modified_by = user
    line.save()


def own_letter_name(line: SegmentLine) -> str:
    """Return the file name of a line's own letter, or "" when it has none."""
    if line.attachment_id is None:
        return ""
    row = (
        Attachment.select(Attachment.file_name)
        .where(Attachment.id == line.attachment_id)
        .first()
    )
    return row.file_name if row else ""


def template_attachment_of(line: SegmentLine) -> int | None:
    """Return the template attachment a line without its own letter uses."""
    row = InteractionTemplateLanguage.get_or_none(
        (InteractionTemplateLanguage.template == line.interaction_template_code)
        & (InteractionTemplateLanguage.language == line.language_code)
    )
    return row.attachment_id if row else None
