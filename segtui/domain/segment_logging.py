"""Logging a segment: validate, write the entries in one transaction, then deliver.

Logging is all-or-nothing. Validation runs inside the write transaction, under the
write lock, so what it checked is what gets logged even when other users work on the
same segment. Any problem found raises ValidationError listing every problem, and
nothing is written. Letters are merged and written after the commit, because the
entries hold everything needed to produce them again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import JOIN, Case, Value, fn

from segtui.db import current_database, is_sqlite, write_transaction
from segtui.domain import clock
from segtui.domain.attachments import delete_unused_attachments
from segtui.domain.delivery import (
    DeliveryReport,
    deliver_logged_segment,
    pdf_converter,
)
from segtui.domain.documents import DocumentError, unmatched_fields
from segtui.domain.email_delivery import smtp_settings
from segtui.domain.errors import (
    InvalidValueError,
    NotFoundError,
    Problem,
    SegtuiError,
    ValidationError,
)
from segtui.domain.letter_folders import (
    FolderClaim,
    FolderInUseError,
    claim_folder,
    free_segment_folder,
    letters_problem,
)
from segtui.domain.settings import HOME_COUNTRY, get_setting
from segtui.domain.sql import json_object
from segtui.domain.text import no_value
from segtui.domain.user_files import folder_write_problem
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count, ngettext
from segtui.models import (
    Attachment,
    Contact,
    CorrespondenceType,
    DeliveryStatus,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateLanguage,
    Language,
    LoggedSegment,
    Salesperson,
    SalutationFormula,
    SalutationKind,
    SegmentCriteriaAction,
    SegmentHeader,
    SegmentHistory,
    SegmentLine,
)

log = logging.getLogger("segtui.segments")

# A problem that every line of a larger segment has, such as a header without a
# template, is listed once instead of once per line.
SUMMARIZE_AFTER_LINES = 10
# Validation stops listing line problems after this many; the rest are counted.
MAX_LISTED_PROBLEMS = 500


@dataclass
class LogOptions:
    deliver: bool = False
    follow_up: bool = False
    # The folder the letters are written to. None means the first free folder named
    # after the segment in the letters folder of the user data directory, chosen
    # when the log runs (see default_output_folder).
    output_folder: Path | None = None
    # Convert the print files to PDF with LibreOffice as well.
    pdf: bool = False


class LogCanceledError(SegtuiError):
    """The user canceled a log before its entries were saved; nothing changed."""


def _stop_if_canceled(cancel: threading.Event | None, no: str) -> None:
    if cancel is not None and cancel.is_set():
        raise LogCanceledError(
            _("Segment {no} was not logged: canceled.").format(no=no)
        )


@dataclass
class LogResult:
    logged_segment_no: int
    segment_no: str
    entries: int
    follow_up_segment_no: str | None
    output_folder: Path
    delivery: DeliveryReport = field(default_factory=DeliveryReport)


# How often a log takes the next free default folder when another log claimed the
# one it chose first.
DEFAULT_FOLDER_ATTEMPTS = 10


def default_output_folder(segment_no: str) -> Path:
    """Return the folder offered for a segment's letters: the first free one.

    That is ``letters/SEGMENT_NO`` in the user data folder, or when it contains
    letters of an earlier log, the first free one of ``letters/SEGMENT_NO-2``,
    ``letters/SEGMENT_NO-3`` and so on.
    """
    return free_segment_folder(segment_no)


def log_segment(
    no: str,
    options: LogOptions,
    *,
    user: str,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> LogResult:
    """Log a segment: one entry per line, a logged segment, letters, optional follow-up.

    Raises ValidationError with every problem when the segment cannot be logged,
    and LogCanceledError when ``cancel`` is set before the entries are saved; the
    database and the output folder are then unchanged. Set later, ``cancel``
    stops the letters not started yet.
    """
    # Resolved now, because the entries store each letter's path and a relative one
    # would point elsewhere when the logged segment is sent again from another
    # working directory.
    output_folder = None
    if options.output_folder is not None:
        output_folder = Path(options.output_folder).expanduser().resolve()

    require(user, Permission.MARKETING, _("log segments"))
    claim: FolderClaim | None = None
    try:
        with write_transaction():
            _take_turn_to_log()
            segment = _segment_to_log(no)
            if output_folder is None:
                # Chosen under the write lock, so a log of another segment of this
                # database chooses only after this log claimed its folder.
                output_folder = default_output_folder(no).resolve()
            problems = validate_segment(segment, options, output_folder)
            _stop_if_canceled(cancel, no)
            if problems:
                raise _not_logged(no, problems)
            output_folder, claim = _claim_output_folder(
                no, output_folder, default=options.output_folder is None
            )
            logged = LoggedSegment.create(
                segment_no=segment.no,
                description=segment.description,
                created_at=clock.now(),
                user_id=user,
            )
            entries = _insert_entries(segment, logged, options, user)
            (
                Attachment.update(read_only=True)
                .where(
                    Attachment.id.in_(
                        InteractionLogEntry.select(
                            InteractionLogEntry.attachment
                        ).where(
                            (InteractionLogEntry.logged_segment == logged.entry_no)
                            & InteractionLogEntry.attachment.is_null(False)
                        )
                    )
                )
                .execute()
            )
            dropped = _line_attachments(segment.no)
            SegmentHeader.delete().where(SegmentHeader.no == segment.no).execute()
            delete_unused_attachments(dropped)
            follow_up = None
            if options.follow_up:
                from segtui.domain.logged_segments import create_follow_up_segment

                follow_up = create_follow_up_segment(logged.entry_no, user=user).no
            # The last moment a cancel undoes everything. From here on it stops
            # only the letters, because the entries are saved.
            _stop_if_canceled(cancel, no)

        report = deliver_logged_segment(
            logged.entry_no,
            output_folder,
            progress=progress,
            cancel=cancel,
            pdf=options.pdf,
        )
    finally:
        # Also after a rollback, which leaves the folder as it was before the log.
        if claim is not None:
            claim.release()
    return LogResult(
        logged_segment_no=logged.entry_no,
        segment_no=segment.no,
        entries=entries,
        follow_up_segment_no=follow_up,
        output_folder=output_folder,
        delivery=report,
    )


def _not_logged(no: str, problems: list[Problem]) -> ValidationError:
    return ValidationError(
        _("Segment {no} was not logged; fix these problems and log again:").format(
            no=no
        ),
        problems,
    )


def _claim_output_folder(
    no: str, folder: Path, *, default: bool
) -> tuple[Path, FolderClaim | None]:
    """Claim a folder for the log's letters, and return the folder and the claim.

    With ``default`` a folder that another log claimed since it was chosen is
    passed over for the next free one. A folder the user gave is never replaced,
    and ValidationError then reports that another log uses it. A folder that passed
    validation but cannot be created now is returned unclaimed, so the delivery
    after the commit reports the error like any later failure of the folder.
    """
    for attempt in range(1, DEFAULT_FOLDER_ATTEMPTS + 1):
        try:
            return folder, claim_folder(folder)
        except FolderInUseError as error:
            if not default or attempt == DEFAULT_FOLDER_ATTEMPTS:
                raise _not_logged(no, [Problem(error.message)]) from None
            folder = default_output_folder(no).resolve()
        except OSError:
            log.warning("claiming the letters folder %s failed", folder, exc_info=True)
            return folder, None
    raise AssertionError("the last attempt returns or raises")


def _take_turn_to_log() -> None:
    """Wait for other writers of logged segments, then hold them off until commit.

    SQLite lets one writer at a time in already. On PostgreSQL this lock makes
    logging take turns too, so each log's entries get one unbroken run of numbers,
    above those of every log committed before it. Readers are not blocked.
    """
    if not is_sqlite():
        current_database().execute_sql(
            f'LOCK TABLE "{LoggedSegment._meta.table_name}" IN SHARE ROW EXCLUSIVE MODE'
        )


def _line_attachments(segment_no: str) -> set[int]:
    """Return the own attachments of a segment's lines, current or in its history."""
    ids = {
        row[0]
        for row in SegmentLine.select(SegmentLine.attachment)
        .where(
            (SegmentLine.segment == segment_no) & SegmentLine.attachment.is_null(False)
        )
        .tuples()
    }
    value = SegmentHistory.attachment_id
    ids.update(
        int(row[0])
        for row in SegmentHistory.select(value)
        .join(SegmentCriteriaAction)
        .where((SegmentCriteriaAction.segment == segment_no) & value.is_null(False))
        .tuples()
    )
    return ids


def _segment_to_log(no: str) -> SegmentHeader:
    """Return the segment to log, locked; name who logged it if it is gone."""
    query = SegmentHeader.select().where(SegmentHeader.no == no)
    if not is_sqlite():
        # Keeps edits off the header while it is logged. The second of two users
        # logging it at once waits in _take_turn_to_log, then finds it gone.
        query = query.for_update()
    segment = query.first()
    if segment is not None:
        return segment
    logged = (
        LoggedSegment.select()
        .where(LoggedSegment.segment_no == no)
        .order_by(LoggedSegment.entry_no.desc())
        .first()
    )
    if logged is not None:
        raise NotFoundError(
            _(
                "Segment {no} was logged by {user} at {time}; it is logged segment {entry}."
            ).format(
                no=no,
                user=logged.user_id,
                time=logged.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                entry=logged.entry_no,
            )
        )
    raise NotFoundError(
        _(
            "Segment {no!r} does not exist; `segtui segment list` shows the segments."
        ).format(no=no)
    )


def validate_segment(
    segment: SegmentHeader, options: LogOptions, output_folder: Path | None = None
) -> list[Problem]:
    """Return every problem that would stop the segment from logging."""
    problems: list[Problem] = []
    if not segment.description.strip():
        problems.append(
            Problem(_("The segment has no description; enter one in the header."))
        )
    line_count = SegmentLine.select().where(SegmentLine.segment == segment.no).count()
    if line_count == 0:
        problems.append(Problem(_("The segment has no lines; add contacts first.")))

    problems.extend(_attachment_problems(segment))
    if options.deliver and _has_email_lines(segment):
        problem = _smtp_problem()
        if problem:
            problems.append(Problem(problem))
    if options.pdf and pdf_converter() is None:
        problems.append(
            Problem(
                _(
                    "PDF files need LibreOffice, and soffice was not found; install "
                    "LibreOffice Writer or log without PDF files."
                )
            )
        )
    if output_folder is not None and line_count:
        problem = _output_folder_problem(output_folder)
        if problem:
            problems.append(Problem(problem))
    problems.extend(_line_problems(segment, options, line_count))
    return problems


def _smtp_problem() -> str | None:
    try:
        settings = smtp_settings()
    except InvalidValueError as error:
        return error.message
    if settings is None:
        return _(
            "Lines with correspondence type Email need an SMTP server to deliver; "
            "set one in the email settings or SEGTUI_SMTP_HOST, or log without delivery."
        )
    return None


def _line_problems(
    segment: SegmentHeader, options: LogOptions, line_count: int
) -> list[Problem]:
    """List the problems of each line; one that every line has is listed once."""
    with_attachment = InteractionTemplateLanguage.alias("with_attachment")
    has_any_attachment = with_attachment.select(fn.COUNT(with_attachment.id)).where(
        (with_attachment.template == SegmentLine.interaction_template)
        & with_attachment.attachment.is_null(False)
    )
    query = (
        SegmentLine.select(
            SegmentLine.line_no,
            SegmentLine.contact,
            Contact.no.alias("existing_contact"),
            Contact.name,
            Contact.email,
            Contact.privacy_blocked,
            SegmentLine.salesperson,
            SegmentLine.interaction_template,
            SegmentLine.date,
            SegmentLine.language,
            SegmentLine.correspondence_type,
            SegmentLine.attachment,
            InteractionTemplateLanguage.attachment.alias("template_attachment"),
            has_any_attachment.alias("template_attachments"),
        )
        .join_from(
            SegmentLine,
            Contact,
            JOIN.LEFT_OUTER,
            on=(SegmentLine.contact == Contact.no),
        )
        .join_from(
            SegmentLine,
            InteractionTemplateLanguage,
            JOIN.LEFT_OUTER,
            on=(
                (
                    InteractionTemplateLanguage.template
                    == SegmentLine.interaction_template
                )
                & (InteractionTemplateLanguage.language == SegmentLine.language)
            ),
        )
        .where((SegmentLine.segment == segment.no) & _may_have_problems(options))
        .order_by(SegmentLine.line_no)
        .dicts()
    )
    found: list[tuple[str, dict[str, Any]]] = []
    lines_with: Counter[str] = Counter()
    for row in query.iterator():
        for text in _problems_of_line(row, options):
            lines_with[text] += 1
            if len(found) < MAX_LISTED_PROBLEMS * 2:
                found.append((text, row))

    problems: list[Problem] = []
    on_every_line = {
        text
        for text, count in lines_with.items()
        if count == line_count > SUMMARIZE_AFTER_LINES
    }
    for text in sorted(on_every_line):
        problems.append(
            Problem(
                _("all {count} lines: {problem}").format(
                    count=format_count(line_count), problem=text
                )
            )
        )
    hidden = sum(lines_with[text] for text in lines_with if text not in on_every_line)
    for text, row in found:
        if text in on_every_line or len(problems) >= MAX_LISTED_PROBLEMS:
            continue
        problems.append(Problem(text, row["line_no"], row["contact"], row["name"]))
        hidden -= 1
    if hidden > 0:
        problems.append(
            Problem(
                ngettext(
                    "... and {count} more problem of the same kinds.",
                    "... and {count} more problems of the same kinds.",
                    hidden,
                ).format(count=format_count(hidden))
            )
        )
    return problems


def _may_have_problems(options: LogOptions) -> Any:
    """Select the lines that ``_problems_of_line`` may find a problem on.

    It selects at least every such line, so a segment without problems reads no
    lines into Python, whatever its size.
    """
    no_salesperson = fn.COALESCE(SegmentLine.salesperson, "") == ""
    no_template = fn.COALESCE(SegmentLine.interaction_template, "") == ""
    condition = (
        Contact.no.is_null()
        | (Contact.privacy_blocked == True)  # noqa: E712
        | no_salesperson
        | no_template
        | SegmentLine.date.is_null()
        | (
            SegmentLine.correspondence_type.in_(
                [CorrespondenceType.HARD_COPY, CorrespondenceType.EMAIL]
            )
            & SegmentLine.attachment.is_null()
            & InteractionTemplateLanguage.attachment.is_null()
        )
    )
    if options.deliver:
        condition = condition | (
            (SegmentLine.correspondence_type == CorrespondenceType.EMAIL)
            # Wider than a blank address: any address without "@", tabs included.
            & ~(fn.COALESCE(Contact.email, "").contains("@"))
        )
    return condition


def _problems_of_line(row: dict[str, Any], options: LogOptions) -> list[str]:
    texts = []
    if row["existing_contact"] is None:
        return [_("the contact no longer exists; delete the line.")]
    if row["privacy_blocked"]:
        texts.append(_("the contact is privacy blocked; delete the line."))
    if not row["salesperson"]:
        texts.append(_("no salesperson; set one on the line or the header."))
    if not row["interaction_template"]:
        texts.append(_("no interaction template; set one on the line or the header."))
    if not row["date"]:
        texts.append(_("no date; set one on the header."))
    delivered = row["correspondence_type"] in (
        CorrespondenceType.HARD_COPY,
        CorrespondenceType.EMAIL,
    )
    if (
        options.deliver
        and row["correspondence_type"] == CorrespondenceType.EMAIL
        and not (row["email"] or "").strip()
    ):
        texts.append(
            _(
                "correspondence type is Email but the contact has no email address; "
                "add one to the contact, change the line's correspondence type, "
                "or log without delivery."
            )
        )
    if (
        row["interaction_template"]
        and delivered
        and not row["attachment"]
        and not row["template_attachment"]
    ):
        language = row["language"]
        if not language:
            texts.append(no_language_hint(row["interaction_template"]))
        elif row["template_attachments"]:
            texts.append(
                _(
                    "template {template} has no attachment in language {language}; "
                    "import one with `segtui template import {template} {language} FILE.docx`."
                ).format(template=row["interaction_template"], language=language)
            )
        else:
            texts.append(
                _(
                    "template {template} has no Word attachment in language {language}, "
                    "and correspondence type {kind} needs one; add it in Interaction "
                    "templates (Ctrl+G), Languages of {template}, or with "
                    "`segtui template import {template} {language} FILE.docx`; "
                    "or set the line's correspondence type to blank."
                ).format(
                    template=row["interaction_template"],
                    language=language,
                    kind=correspondence_label(row["correspondence_type"]),
                )
            )
    return texts


def attachment_languages(template_code: str) -> list[str]:
    """Return the languages in which a template has a Word attachment, sorted."""
    return [
        code
        for (code,) in InteractionTemplateLanguage.select(
            InteractionTemplateLanguage.language
        )
        .where(
            (InteractionTemplateLanguage.template == template_code)
            & InteractionTemplateLanguage.attachment.is_null(False)
        )
        .order_by(InteractionTemplateLanguage.language)
        .tuples()
    ]


def no_language_hint(
    template_code: str, segment_no: str = "SEGMENT", line_no: int | str = "LINE_NO"
) -> str:
    """Return the problem of a line without a language, and how to give it one.

    Problems of several lines are counted by their text, so logging leaves the
    segment and line number as placeholders; the message names the line already.
    """
    languages = attachment_languages(template_code)
    if not languages:
        return _(
            "the line has no language, and template {template} has no Word "
            "attachment in any language; import one with `segtui template import "
            "{template} LANGUAGE FILE.docx`, then choose that language on the line "
            "(Enter on the line, then Language)."
        ).format(template=template_code)
    return _(
        "the line has no language, so template {template} has no attachment for it; "
        "choose one of {languages} on the line (Enter on the line, then Language) "
        "or run `segtui segment line {segment} {line} language={language}`."
    ).format(
        template=template_code,
        languages=", ".join(languages),
        language=languages[0],
        segment=segment_no,
        line=line_no,
    )


def correspondence_label(value: str) -> str:
    return {
        CorrespondenceType.HARD_COPY: _("Hard Copy"),
        CorrespondenceType.EMAIL: _("Email"),
    }.get(value, "")


def _attachment_problems(segment: SegmentHeader) -> list[Problem]:
    """Check every Word attachment the lines use once: it opens and its fields are known."""
    used = (
        SegmentLine.select(
            SegmentLine.interaction_template,
            SegmentLine.language,
            fn.COALESCE(
                SegmentLine.attachment, InteractionTemplateLanguage.attachment
            ).alias("attachment_id"),
            (SegmentLine.attachment.is_null(False)).alias("own"),
            fn.COUNT(SegmentLine.id).alias("lines"),
        )
        .join_from(
            SegmentLine,
            InteractionTemplateLanguage,
            JOIN.LEFT_OUTER,
            on=(
                (
                    InteractionTemplateLanguage.template
                    == SegmentLine.interaction_template
                )
                & (InteractionTemplateLanguage.language == SegmentLine.language)
            ),
        )
        .where(SegmentLine.segment == segment.no)
        .group_by(
            SegmentLine.interaction_template,
            SegmentLine.language,
            fn.COALESCE(SegmentLine.attachment, InteractionTemplateLanguage.attachment),
            SegmentLine.attachment.is_null(False),
        )
        .dicts()
    )
    problems = []
    checked: set[tuple[int, str, str]] = set()
    for row in used:
        attachment_id = row["attachment_id"]
        if attachment_id is None:
            continue
        key = (attachment_id, row["interaction_template"] or "", row["language"] or "")
        if key in checked:
            continue
        checked.add(key)
        attachment = Attachment.get_or_none(Attachment.id == attachment_id)
        where = _("template {template}, language {language}").format(
            template=row["interaction_template"], language=row["language"] or no_value()
        )
        if attachment is None:
            problems.append(
                Problem(
                    _("The Word attachment of {where} is missing.").format(where=where)
                )
            )
            continue
        field_map = {}
        if not row["own"]:
            template_language = InteractionTemplateLanguage.get_or_none(
                (InteractionTemplateLanguage.template == row["interaction_template"])
                & (InteractionTemplateLanguage.language == row["language"])
            )
            field_map = template_language.field_map if template_language else {}
        try:
            unknown = unmatched_fields(
                bytes(attachment.content), field_map, attachment.file_name
            )
        except DocumentError as error:
            problems.append(Problem(f"{where}: {error.message}"))
            continue
        if unknown:
            problems.append(
                Problem(
                    _(
                        "The Word attachment {file} of {where} has merge fields that match "
                        "nothing: {fields}; map them with `segtui template map`."
                    ).format(
                        file=attachment.file_name,
                        where=where,
                        fields=", ".join(unknown),
                    )
                )
            )
    return problems


def _has_email_lines(segment: SegmentHeader) -> bool:
    return (
        SegmentLine.select()
        .where(
            (SegmentLine.segment == segment.no)
            & (SegmentLine.correspondence_type == CorrespondenceType.EMAIL)
        )
        .exists()
    )


def _output_folder_problem(folder: Path) -> str | None:
    """Return why letters cannot be written to ``folder``, or None."""
    return letters_problem(folder) or folder_write_problem(folder)


def _insert_entries(
    segment: SegmentHeader, logged: LoggedSegment, options: LogOptions, user: str
) -> int:
    """Insert one interaction log entry per line in one INSERT ... SELECT."""
    company = Contact.alias("company")
    now = clock.now()
    line = SegmentLine

    attachment = fn.COALESCE(line.attachment, InteractionTemplateLanguage.attachment)
    email_without_address = (line.correspondence_type == CorrespondenceType.EMAIL) & (
        fn.COALESCE(Contact.email, "") == ""
    )
    if options.deliver:
        correspondence = line.correspondence_type
    else:
        # Without delivery an Email line whose contact has no address is only recorded.
        correspondence = Case(
            None, [(email_without_address, Value(""))], line.correspondence_type
        )
    delivery_status = Case(
        None,
        [
            (attachment.is_null(), Value(DeliveryStatus.NOT_DELIVERED)),
            (correspondence == "", Value(DeliveryStatus.NOT_DELIVERED)),
        ],
        Value(
            DeliveryStatus.PENDING if options.deliver else DeliveryStatus.NOT_DELIVERED
        ),
    )
    columns = [
        (InteractionLogEntry.contact_no, Contact.no),
        (InteractionLogEntry.contact_name, Contact.name),
        (InteractionLogEntry.contact_company_no, fn.COALESCE(Contact.company, "")),
        (InteractionLogEntry.contact_company_name, fn.COALESCE(company.name, "")),
        (InteractionLogEntry.date, line.date),
        (
            InteractionLogEntry.created_at,
            Value(now, converter=InteractionLogEntry.created_at.db_value),
        ),
        (InteractionLogEntry.description, line.description),
        (InteractionLogEntry.subject, line.subject),
        (InteractionLogEntry.template_code, fn.COALESCE(line.interaction_template, "")),
        (InteractionLogEntry.group_code, fn.COALESCE(InteractionTemplate.group, "")),
        (InteractionLogEntry.language_code, fn.COALESCE(line.language, "")),
        (InteractionLogEntry.correspondence_type, correspondence),
        (InteractionLogEntry.information_flow, line.information_flow),
        (InteractionLogEntry.initiated_by, line.initiated_by),
        (InteractionLogEntry.unit_cost, line.unit_cost),
        (InteractionLogEntry.unit_duration, line.unit_duration),
        (InteractionLogEntry.salesperson_code, fn.COALESCE(line.salesperson, "")),
        (InteractionLogEntry.campaign_no, fn.COALESCE(line.campaign, "")),
        (InteractionLogEntry.campaign_target, line.campaign_target),
        (InteractionLogEntry.campaign_response, line.campaign_response),
        (InteractionLogEntry.evaluation, line.evaluation),
        (InteractionLogEntry.attempt_failed, Value(False)),
        (InteractionLogEntry.segment_no, Value(segment.no)),
        (InteractionLogEntry.logged_segment, Value(logged.entry_no)),
        (InteractionLogEntry.attachment, attachment),
        # Only an entry with a Word file is ever merged, so only it keeps the values.
        (
            InteractionLogEntry.merge_values,
            Case(
                None,
                [(attachment.is_null(), None)],
                merge_values_expression(segment, company),
            ),
        ),
        (InteractionLogEntry.delivery_status, delivery_status),
        (InteractionLogEntry.delivery_error, Value("")),
        (InteractionLogEntry.document_path, Value("")),
        (InteractionLogEntry.canceled, Value(False)),
        (InteractionLogEntry.user_id, Value(user)),
        (
            InteractionLogEntry.send_as_attachment,
            Value(bool(segment.send_word_docs_as_attachment)),
        ),
    ]
    query = (
        _line_query(segment, company, [expression for _field, expression in columns])
        .where(line.segment == segment.no)
        .order_by(line.line_no)
    )
    return (
        InteractionLogEntry.insert_from(query, [column for column, _expr in columns])
        .as_rowcount()
        .execute()
    )


def merge_values_expression(segment: SegmentHeader, company: Any) -> Any:
    """Build in SQL the merge values of a line's letter, as JSON text.

    The field map of the template language goes with them, except for a line with
    a letter of its own, whose fields need no mapping.
    """
    line = SegmentLine
    formal = SalutationFormula.alias("formal")
    informal = SalutationFormula.alias("informal")
    field_map = Case(
        None,
        [(line.attachment.is_null(), InteractionTemplateLanguage.field_map)],
        Value(""),
    )
    return json_object(
        [
            ("contact_no", Contact.no),
            ("contact_type", Contact.type),
            ("name", Contact.name),
            ("first_name", Contact.first_name),
            ("middle_name", Contact.middle_name),
            ("surname", Contact.surname),
            ("job_title", Contact.job_title),
            ("company_no", Contact.company),
            ("company_name", company.name),
            ("address", Contact.address),
            ("address_2", Contact.address_2),
            ("post_code", Contact.post_code),
            ("city", Contact.city),
            ("county", Contact.county),
            ("country_code", Contact.country_code),
            ("phone", Contact.phone),
            ("mobile_phone", Contact.mobile_phone),
            ("email", Contact.email),
            (
                "formal_salutation_formula",
                _formula(formal, SalutationKind.FORMAL),
            ),
            (
                "informal_salutation_formula",
                _formula(informal, SalutationKind.INFORMAL),
            ),
            ("salesperson_code", Salesperson.code),
            ("salesperson_name", Salesperson.name),
            ("salesperson_job_title", Salesperson.job_title),
            ("salesperson_phone", Salesperson.phone),
            ("salesperson_email", Salesperson.email),
            ("segment_no", Value(segment.no)),
            ("segment_description", Value(segment.description)),
            ("subject", line.subject),
            ("date", line.date),
            ("personal_note", line.personal_note),
            ("unit_cost", line.unit_cost),
            ("language_code", line.language),
            ("locale", Language.locale),
            ("home_country_code", Value(get_setting(HOME_COUNTRY))),
            ("field_map", field_map),
        ]
    )


def _formula(alias: Any, kind: str) -> Any:
    """Return the salutation formula of the contact in the line's language."""
    return (
        alias.select(alias.formula)
        .where(
            (alias.salutation == Contact.salutation)
            & (alias.language == SegmentLine.language)
            & (alias.kind == kind)
        )
        .limit(1)
    )


def _line_query(segment: SegmentHeader, company: Any, expressions: list[Any]) -> Any:
    """Select ``expressions`` over the lines with everything their letters need."""
    line = SegmentLine
    return (
        line.select(*expressions)
        .join_from(line, Contact, on=(line.contact == Contact.no))
        .join_from(
            Contact, company, JOIN.LEFT_OUTER, on=(Contact.company == company.no)
        )
        .join_from(
            line,
            InteractionTemplate,
            JOIN.LEFT_OUTER,
            on=(line.interaction_template == InteractionTemplate.code),
        )
        .join_from(
            line,
            InteractionTemplateLanguage,
            JOIN.LEFT_OUTER,
            on=(
                (InteractionTemplateLanguage.template == line.interaction_template)
                & (InteractionTemplateLanguage.language == line.language)
            ),
        )
        .join_from(
            line,
            Salesperson,
            JOIN.LEFT_OUTER,
            on=(line.salesperson == Salesperson.code),
        )
        .join_from(line, Language, JOIN.LEFT_OUTER, on=(line.language == Language.code))
    )


def line_letter_source(segment: SegmentHeader, line_no: int) -> dict[str, Any] | None:
    """Return what one line's letter is merged from, as logging would take it.

    The result has ``merge_values`` (a dict) and ``attachment_id`` (the line's own
    attachment, else its template's in the line's language, else None); None when
    the line or its contact does not exist.
    """
    company = Contact.alias("company")
    query = (
        _line_query(
            segment,
            company,
            [
                merge_values_expression(segment, company).alias("merge_values"),
                fn.COALESCE(
                    SegmentLine.attachment, InteractionTemplateLanguage.attachment
                ).alias("attachment_id"),
            ],
        )
        .where((SegmentLine.segment == segment.no) & (SegmentLine.line_no == line_no))
        .dicts()
    )
    row = query.first()
    if row is None:
        return None
    values = row["merge_values"]
    if isinstance(values, str):
        values = json.loads(values)
    return {"merge_values": values, "attachment_id": row["attachment_id"]}
