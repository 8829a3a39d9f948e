"""Producing and delivering the letters of a logged segment, after its commit.

Every entry with a Word attachment gets its own ``.docx``. Hard-copy letters are also
collected into print files, one per template attachment, in which every letter is
its own section and so keeps its headers and footers. An entry's delivery status says
what is still to do: ``pending`` and ``failed`` entries are delivered (hard copies are
marked sent once written, emails are sent over SMTP), ``not_delivered`` entries only
get their letter written.

One letter takes about 17 ms to merge with python-docx (measured on a 2-core
machine). Large runs therefore merge in worker processes, a chunk of entries at a
time, and record each chunk's outcome as it finishes, so memory stays flat and an
interruption loses no record of what was written.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import JOIN, SQL, fn

from segtui.db import current_database, write_transaction
from segtui.domain.email_delivery import (
    connect,
    letter_message,
    smtp_error_text,
    smtp_settings,
)
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.letter_folders import free_segment_folder
from segtui.domain.letter_jobs import (
    JobRunner,
    LetterJob,
    letter_file_name,
    merge_letters,
    merge_print_file,
    write_print_file,
)
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count, ngettext
from segtui.models import (
    Attachment,
    Contact,
    CorrespondenceType,
    DeliveryStatus,
    InteractionLogEntry,
    InteractionTemplateLanguage,
    LoggedSegment,
)

log = logging.getLogger("segtui.delivery")

# Below this many letters the merge runs in the calling thread; starting worker
# processes costs more than it saves.
PARALLEL_THRESHOLD = 60
CHUNK_SIZE = 50
# The maximum number of letters in one print file; more go into further parts.
PRINT_FILE_LETTERS = 1000
# Up to this many email addresses or contacts are named in a question or report;
# beyond it they are counted.
NAMED_ADDRESSES = 3

TO_DELIVER = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


@dataclass
class DeliveryReport:
    letters: list[Path] = field(default_factory=list)
    print_files: list[Path] = field(default_factory=list)
    # Letters in the print files, and emails sent.
    printed: int = 0
    sent: int = 0
    # The addresses the emails went to, in the order sent.
    recipients: list[str] = field(default_factory=list)
    # Email entries not sent because their contact has no email address now, or
    # no longer exists: (entry no, contact no, contact name, contact exists).
    # They keep their status and error.
    no_address: list[tuple[int, str, str, bool]] = field(default_factory=list)
    # Entries whose letter or email failed, with the error text.
    failed: list[tuple[int, str]] = field(default_factory=list)
    print_failures: list[tuple[Path, str]] = field(default_factory=list)
    # PDF copies of the print files, made by LibreOffice when asked for.
    pdf_files: list[Path] = field(default_factory=list)
    canceled: bool = False
    # An error that stopped the delivery as a whole, such as a folder that cannot
    # be created.
    error: str = ""


@dataclass
class _Entry:
    entry_no: int
    attachment_id: int
    values: dict[str, Any]
    correspondence_type: str
    delivery_status: str
    subject: str
    contact_no: str
    contact_name: str
    company_name: str
    send_as_attachment: bool = True
    # The contact's email address now, "" when it has none and None when the
    # contact no longer exists. An email goes there, not to the address in
    # ``values``, so a resend after a bounce reaches the corrected address.
    recipient: str | None = None
    # The address the entry's email last went to, None before the first try.
    email_sent_to: str | None = None

    @property
    def to_deliver(self) -> bool:
        return self.delivery_status in TO_DELIVER


def deliver_logged_segment(
    logged_segment_no: int,
    folder: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    only: Any = None,
    print_file_title: str | None = None,
    pdf: bool = False,
) -> DeliveryReport:
    """Write the letters of a logged segment to ``folder`` and deliver them.

    ``progress`` is called with (letters done, letters in all), first before any
    letter is started. When ``cancel`` is set, no further letters are started: each
    worker finishes the letter in progress, the letters written are recorded, and
    the entries not reached keep their status for a later resend.
    ``only`` is a further condition on the entries, for a resend. With ``pdf`` the
    print files are converted to PDF with LibreOffice as well.
    An error that stops the whole delivery, such as a folder that cannot be
    created, is returned in the report rather than raised, because the entries are
    already committed.
    """
    report = DeliveryReport()
    try:
        _deliver(
            logged_segment_no,
            folder,
            report,
            progress,
            cancel,
            only,
            print_file_title,
            pdf,
        )
    except (OSError, smtplib.SMTPException) as error:
        log.exception("delivery of logged segment %s stopped", logged_segment_no)
        report.error = _("Writing the letters to {folder} failed: {error}").format(
            folder=folder, error=error
        )
    return report


def _deliver(
    logged_segment_no: int,
    folder: Path,
    report: DeliveryReport,
    progress: Callable[[int, int], None] | None,
    cancel: threading.Event | None,
    only: Any,
    print_file_title: str | None,
    pdf: bool = False,
) -> None:
    total = _count_letters(logged_segment_no, only)
    if total == 0:
        return
    # The first report comes before any letter is started, so that a front end
    # learns at once that a cancel now stops only the letters.
    if progress:
        progress(0, total)
    folder.mkdir(parents=True, exist_ok=True)
    templates = _templates_of(logged_segment_no)
    runner = JobRunner(
        {key: (value[0], value[1]) for key, value in templates.items()},
        parallel=total >= PARALLEL_THRESHOLD,
        cancel=cancel,
    )
    run = _Run(folder, report, templates, runner, progress, total, print_file_title)
    try:
        for chunk in _entries(logged_segment_no, only):
            if cancel is not None and cancel.is_set():
                break
            run.add(chunk)
        report.canceled = cancel is not None and cancel.is_set()
        run.collect(runner.finish())
        # A canceled or stopped runner starts no print file: the rest is written
        # below, in this thread.
        run.flush_print_files(final=True)
        run.collect(runner.finish())
        # A cancel while the last letters were written ends those not started.
        if cancel is not None and cancel.is_set() and run.done < total:
            report.canceled = True
    except BaseException:
        # A statement interrupted on a hangup ends the loop, but the letters the
        # workers wrote are on disk: the stopped runner returns them to record,
        # and they still get their print file.
        with suppress(Exception):
            run.collect(runner.finish())
        with suppress(Exception):
            run.write_print_files_here()
        raise
    else:
        run.write_print_files_here()
    finally:
        runner.close()
        run.record()
    if pdf and report.print_files and not report.canceled:
        _convert_print_files(report)
    if not report.canceled:
        _send_emails(run, cancel)


class _Run:
    """The state of one delivery: names used, print groups, outcomes to record."""

    def __init__(
        self,
        folder: Path,
        report: DeliveryReport,
        templates: dict[int, tuple[bytes, dict[str, str], str]],
        runner: JobRunner,
        progress: Callable[[int, int], None] | None,
        total: int,
        print_file_title: str | None,
    ) -> None:
        self.folder = folder
        self.report = report
        self.templates = templates
        self.labels = {key: value[2] for key, value in templates.items()}
        self.runner = runner
        self.progress = progress
        self.total = total
        self.done = 0
        self.print_file_title = print_file_title or _("All letters")
        self.used_names: set[str] = {p.name for p in folder.glob("*.docx")}
        self.entries: dict[int, _Entry] = {}
        # Attachment id → the merge values of its hard-copy letters that are
        # written but in no print file yet, in the order they were written.
        self.print_groups: dict[int, list[dict[str, Any]]] = {}
        self.print_parts: Counter[int] = Counter()
        # Print file path → (attachment id, letters) of the print files started
        # whose result has not come back.
        self.print_jobs: dict[str, tuple[int, list[dict[str, Any]]]] = {}
        # entry no → (path, error) of letters not yet recorded in the database.
        self.outcome: dict[int, tuple[str, str]] = {}
        self.emails: list[tuple[_Entry, str]] = []

    def add(self, chunk: list[_Entry]) -> None:
        jobs: list[LetterJob] = []
        for entry in chunk:
            self.entries[entry.entry_no] = entry
            name = letter_file_name(
                entry.contact_no, entry.contact_name, entry.company_name
            )
            if name in self.used_names:
                name = name[: -len(".docx")] + f" ({entry.entry_no}).docx"
            self.used_names.add(name)
            jobs.append(
                (
                    entry.entry_no,
                    entry.attachment_id,
                    entry.values,
                    str(self.folder / name),
                )
            )
        for start in range(0, len(jobs), CHUNK_SIZE):
            self.collect(
                self.runner.submit(merge_letters, jobs[start : start + CHUNK_SIZE])
            )
        self.flush_print_files(final=False)

    def flush_print_files(self, final: bool) -> None:
        """Start a print file for each full thousand of written hard-copy letters.

        With ``final`` the letters of the last, partial thousand get one too.
        """
        for attachment_id, letters in list(self.print_groups.items()):
            while letters and (final or len(letters) >= PRINT_FILE_LETTERS):
                part, letters = (
                    letters[:PRINT_FILE_LETTERS],
                    letters[PRINT_FILE_LETTERS:],
                )
                self.print_groups[attachment_id] = letters
                self.print_parts[attachment_id] += 1
                path = str(self.folder / self.print_file_name(attachment_id))
                self.print_jobs[path] = (attachment_id, part)
                self.collect(
                    self.runner.submit(merge_print_file, attachment_id, part, path)
                )

    def write_print_files_here(self) -> None:
        """Write in this thread the print files the runner did not write.

        These are the print files it was stopped or canceled before, or ended in,
        and those of the written hard-copy letters in none yet. So every written
        hard-copy letter is in exactly one print file, also after a stop.

        NOTE: after a hangup segtui ends within 0.9 s, and a print file of 1,000
        letters takes about a second to merge, so one of many letters may be cut
        off there. Its letters are then in no print file.
        """
        for path, (attachment_id, letters) in list(self.print_jobs.items()):
            content, field_map, _label = self.templates[attachment_id]
            self.take_print_file(*write_print_file(content, field_map, letters, path))
        for attachment_id, letters in list(self.print_groups.items()):
            content, field_map, _label = self.templates[attachment_id]
            for start in range(0, len(letters), PRINT_FILE_LETTERS):
                part = letters[start : start + PRINT_FILE_LETTERS]
                self.print_parts[attachment_id] += 1
                path = str(self.folder / self.print_file_name(attachment_id))
                self.print_jobs[path] = (attachment_id, part)
                self.take_print_file(*write_print_file(content, field_map, part, path))
            self.print_groups[attachment_id] = []

    def print_file_name(self, attachment_id: int) -> str:
        stem = self.print_file_title
        if len(self.labels) > 1:
            stem += f" - {self.labels[attachment_id]}"
        if self.print_parts[attachment_id] > 1:
            stem += " - " + _("part {part}").format(
                part=self.print_parts[attachment_id]
            )
        name = letter_file_name("", stem)
        counter = 2
        while name in self.used_names:
            name = letter_file_name("", f"{stem} ({counter})")
            counter += 1
        self.used_names.add(name)
        return name

    def collect(self, results: list[Any]) -> None:
        """Take the results of finished jobs: print files, or a chunk of letters."""
        for result in results:
            if isinstance(result, tuple):
                self.take_print_file(*result)
                continue
            for entry_no, path, error in result:
                self.outcome[entry_no] = (path, error)
                self.done += 1
                if error:
                    continue
                self.report.letters.append(Path(path))
                entry = self.entries[entry_no]
                if entry.correspondence_type == CorrespondenceType.HARD_COPY:
                    self.print_groups.setdefault(entry.attachment_id, []).append(
                        entry.values
                    )
        if results:
            self.record()
        if self.progress:
            self.progress(self.done, self.total)

    def take_print_file(self, path: str, error: str) -> None:
        """Take the result of a print file job into the report."""
        _attachment_id, letters = self.print_jobs.pop(path)
        if error:
            self.report.print_failures.append((Path(path), error))
        else:
            self.report.print_files.append(Path(path))
            self.report.printed += len(letters)

    def record(self) -> None:
        """Store the outcome of the letters written so far, in one short transaction.

        The outcome is kept until the transaction commits, so that a statement
        interrupted on a hangup can be recorded again by the next call.
        """
        rows = []
        emails = []
        failed = []
        for entry_no, (path, error) in self.outcome.items():
            entry = self.entries[entry_no]
            status = entry.delivery_status
            if error:
                if entry.to_deliver:
                    status = DeliveryStatus.FAILED
                failed.append((entry_no, error))
                path = ""
            elif (
                entry.to_deliver
                and entry.correspondence_type == CorrespondenceType.EMAIL
            ):
                emails.append((entry, path))
            elif entry.to_deliver:
                status = DeliveryStatus.SENT
            rows.append((path, status, error, entry_no))
        update_entries(rows)
        self.outcome = {}
        self.report.failed.extend(failed)
        self.emails.extend(emails)


# The columns update_entries sets, and those of an email that was tried.
ENTRY_RESULT_COLUMNS = ("document_path", "delivery_status", "delivery_error")
SENT_ENTRY_COLUMNS = (*ENTRY_RESULT_COLUMNS, "email_sent_to")


def update_entries(
    rows: list[tuple[Any, ...]], columns: tuple[str, ...] = ENTRY_RESULT_COLUMNS
) -> None:
    """Set ``columns`` of entries by entry number: each row has their values, then
    the entry number. By default the columns are document path, delivery status
    and error."""
    if not rows:
        return
    database = current_database()
    param = database.param
    assignments = ", ".join(f"{column} = {param}" for column in columns)
    sql = f"UPDATE interaction_log_entry SET {assignments} WHERE entry_no = {param}"
    with write_transaction():
        cursor = database.cursor()
        for start in range(0, len(rows), 1000):
            cursor.executemany(sql, rows[start : start + 1000])


def _send_emails(run: _Run, cancel: threading.Event | None) -> None:
    """Send the written letters of Email entries that are to be delivered."""
    if not run.emails:
        return
    settings = smtp_settings()
    rows: list[tuple[str, str, str, int]] = []
    if settings is None:
        error = _("no SMTP server is set; set SEGTUI_SMTP_HOST and send again")
        rows = [
            (path, DeliveryStatus.FAILED, error, e.entry_no) for e, path in run.emails
        ]
        run.report.failed.extend((e.entry_no, error) for e, _path in run.emails)
        update_entries(rows)
        return
    try:
        connection = connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        text = _("connecting to {host}:{port} failed: {error}").format(
            host=settings.host, port=settings.port, error=error
        )
        log.warning("SMTP %s:%s failed: %s", settings.host, settings.port, error)
        rows = [
            (path, DeliveryStatus.FAILED, text, e.entry_no) for e, path in run.emails
        ]
        run.report.failed.extend((e.entry_no, text) for e, _path in run.emails)
        update_entries(rows)
        return
    sent_rows: list[tuple[str, str, str, str, int]] = []
    with connection:
        for entry, path in run.emails:
            if cancel is not None and cancel.is_set():
                run.report.canceled = True
                break
            # The merge values stay as logged, so the letter reads as it did, but
            # the email goes to the contact's address now: the usual reason to
            # send again after a bounce is a corrected address.
            if not entry.recipient:
                # The entry keeps its status, pending or failed, so the next resend
                # takes it once the contact has an address. Its delivery error states why.
                exists = entry.recipient is not None
                run.report.no_address.append(
                    (entry.entry_no, entry.contact_no, entry.contact_name, exists)
                )
                error = no_address_error(entry.contact_no, exists)
                sent_rows.append(
                    (
                        path,
                        entry.delivery_status,
                        error,
                        entry.email_sent_to,
                        entry.entry_no,
                    )
                )
                continue
            message = letter_message(
                settings,
                entry.values.get("salesperson_email") or "",
                entry.recipient,
                entry.subject,
                Path(path),
                as_attachment=entry.send_as_attachment,
            )
            try:
                connection.send_message(message)
            except smtplib.SMTPException as error:
                text = "SMTP " + smtp_error_text(error)
                log.warning(
                    "sending entry %s to %s failed: %s",
                    entry.entry_no,
                    entry.recipient,
                    text,
                )
                sent_rows.append(
                    (path, DeliveryStatus.FAILED, text, entry.recipient, entry.entry_no)
                )
                run.report.failed.append((entry.entry_no, text))
                continue
            run.report.sent += 1
            run.report.recipients.append(entry.recipient)
            sent_rows.append(
                (path, DeliveryStatus.SENT, "", entry.recipient, entry.entry_no)
            )
            if len(sent_rows) >= CHUNK_SIZE:
                update_entries(sent_rows, SENT_ENTRY_COLUMNS)
                sent_rows = []
    update_entries(sent_rows, SENT_ENTRY_COLUMNS)


def no_address_error(contact_no: str, exists: bool) -> str:
    """Return the delivery error of an email not sent for want of an address."""
    if exists:
        return _(
            "not sent: contact {contact} has no email address; add one and send again"
        ).format(contact=contact_no)
    return _("not sent: contact {contact} no longer exists").format(contact=contact_no)


# Reading what to deliver.


def _letters_query(logged_segment_no: int, only: Any = None) -> Any:
    query = InteractionLogEntry.select().where(
        (InteractionLogEntry.logged_segment == logged_segment_no)
        & InteractionLogEntry.attachment.is_null(False)
    )
    if only is not None:
        query = query.where(only)
    return query


def _count_letters(logged_segment_no: int, only: Any = None) -> int:
    return _letters_query(logged_segment_no, only).count()


def _entries(logged_segment_no: int, only: Any = None) -> Iterator[list[_Entry]]:
    """Yield the entries that have a letter, a chunk at a time, in entry order."""
    last = 0
    while True:
        rows = list(
            _letters_query(logged_segment_no, only)
            .where(InteractionLogEntry.entry_no > last)
            .order_by(InteractionLogEntry.entry_no)
            .limit(CHUNK_SIZE * 4)
        )
        if not rows:
            return
        last = rows[-1].entry_no
        addresses = _current_addresses(
            {
                row.contact_no
                for row in rows
                if row.correspondence_type == CorrespondenceType.EMAIL
            }
        )
        yield [
            _Entry(
                entry_no=row.entry_no,
                attachment_id=row.attachment_id,
                values=row.merge_values or {},
                correspondence_type=row.correspondence_type,
                delivery_status=row.delivery_status,
                subject=row.subject,
                contact_no=row.contact_no,
                contact_name=row.contact_name,
                company_name=row.contact_company_name,
                send_as_attachment=bool(row.send_as_attachment),
                recipient=addresses.get(row.contact_no),
                email_sent_to=row.email_sent_to,
            )
            for row in rows
        ]


def current_address(contact_no: str) -> str | None:
    """Return the address an email to the contact goes to now.

    It is "" when the contact has no email address, and None when the contact no
    longer exists. A resend sends to it, not to the address the entry logged.
    """
    return _current_addresses({contact_no}).get(contact_no)


def _current_addresses(contact_nos: set[str]) -> dict[str, str]:
    """Return contact no → email address now, for the contacts that still exist."""
    if not contact_nos:
        return {}
    return dict(
        Contact.select(Contact.no, Contact.email)
        .where(Contact.no.in_(sorted(contact_nos)))
        .tuples()
    )


def _templates_of(
    logged_segment_no: int,
) -> dict[int, tuple[bytes, dict[str, str], str]]:
    """Return attachment id → (bytes, field map, label) for the attachments used."""
    used = (
        InteractionLogEntry.select(
            InteractionLogEntry.attachment,
            InteractionLogEntry.template_code,
            InteractionLogEntry.language_code,
        )
        .where(
            (InteractionLogEntry.logged_segment == logged_segment_no)
            & InteractionLogEntry.attachment.is_null(False)
        )
        .distinct()
        .tuples()
    )
    templates: dict[int, tuple[bytes, dict[str, str], str]] = {}
    for attachment_id, template_code, language_code in used:
        if attachment_id in templates:
            continue
        attachment = Attachment.get_by_id(attachment_id)
        template_language = InteractionTemplateLanguage.get_or_none(
            (InteractionTemplateLanguage.template == template_code)
            & (InteractionTemplateLanguage.language == language_code)
            & (InteractionTemplateLanguage.attachment == attachment_id)
        )
        field_map = template_language.field_map if template_language else {}
        label = f"{template_code} {language_code}".strip()
        templates[attachment_id] = (bytes(attachment.content), field_map or {}, label)
    return templates


# Delivering again.


def resend_condition(
    failed_only: bool = False, entry_nos: Iterable[int] | None = None
) -> Any:
    """Return which entries a resend takes: failed, pending, or without a letter.

    ``entry_nos`` names the entries to deliver again whatever their status, such
    as a letter whose recipient asks for it once more. Canceled entries are never
    resent.
    """
    entry = InteractionLogEntry
    if entry_nos is not None:
        condition = entry.entry_no.in_(list(entry_nos))
    elif failed_only:
        condition = entry.delivery_status == DeliveryStatus.FAILED
    else:
        condition = entry.delivery_status.in_(list(TO_DELIVER)) | (
            entry.document_path == ""
        )
    return condition & (entry.canceled == False)  # noqa: E712


def count_to_resend(
    logged_segment_no: int,
    failed_only: bool = False,
    entry_nos: Iterable[int] | None = None,
) -> int:
    """Count the letters a resend writes, with the ones deleted from disk."""
    count = _count_letters(logged_segment_no, resend_condition(failed_only, entry_nos))
    if entry_nos is None and not failed_only:
        count += len(_missing_letters(logged_segment_no))
    return count


def nothing_to_send_again() -> str:
    """Return the message for a logged segment whose count_to_resend is 0.

    Such a segment may still have entries logged without delivery (status not
    delivered), so the message does not claim that every letter was delivered.
    """
    return _(
        "Nothing to send again: every letter is written and none waits for delivery."
    )


def send_again_question(counts: ResendCounts) -> str:
    """Return the question whether to send again, a short line per kind of letter.

    The first lines name what happened to the letters before, the last ones what
    the resend does with them, so no one expects an email that is not sent.
    """
    question = ngettext(
        "Write {count} letter of this logged segment?",
        "Write {count} letters of this logged segment?",
        counts.total,
    )
    before = [
        (
            counts.never_written,
            ngettext(
                "{count} was never written before.",
                "{count} were never written before.",
                counts.never_written,
            ),
        ),
        (
            counts.failed,
            ngettext(
                "{count} failed to be written or delivered.",
                "{count} failed to be written or delivered.",
                counts.failed,
            ),
        ),
        (
            counts.deleted,
            ngettext(
                "{count} was written, but its file was deleted.",
                "{count} were written, but their files were deleted.",
                counts.deleted,
            ),
        ),
        (
            counts.not_delivered_yet,
            ngettext(
                "{count} was written, but not delivered yet.",
                "{count} were written, but not delivered yet.",
                counts.not_delivered_yet,
            ),
        ),
    ]
    outcome = [
        (
            counts.emails,
            ngettext(
                "{count} email is sent.", "{count} emails are sent.", counts.emails
            ),
        ),
        (
            counts.marked_sent,
            ngettext(
                "{count} hard copy is marked sent.",
                "{count} hard copies are marked sent.",
                counts.marked_sent,
            ),
        ),
        (
            counts.logged_without_delivery,
            ngettext(
                "{count} was logged without delivery, so it is only written.",
                "{count} were logged without delivery, so they are only written.",
                counts.logged_without_delivery,
            ),
        ),
        (
            counts.delivered_before,
            ngettext(
                "{count} was delivered before, so it is only written again.",
                "{count} were delivered before, so they are only written again.",
                counts.delivered_before,
            ),
        ),
    ]
    lines = [question.format(count=format_count(counts.total))]
    for count, text in before + outcome:
        if count:
            lines.append(text.format(count=format_count(count)))
    lines.extend(address_lines(counts))
    return "\n".join(lines)


def address_lines(counts: ResendCounts) -> list[str]:
    """Return where a resend's emails go and which contacts have no address."""
    lines = []
    if counts.addresses and len(counts.addresses) <= NAMED_ADDRESSES:
        lines.append(
            ngettext(
                "The email goes to {addresses}, the contact's address now.",
                "The emails go to {addresses}, the contacts' addresses now.",
                len(counts.addresses),
            ).format(addresses=", ".join(counts.addresses))
        )
    elif counts.addresses:
        lines.append(
            _("The emails go to the contacts' addresses now, not those logged.")
        )
    for contact_no, name in counts.contacts_without_address:
        lines.append(
            _(
                "Contact {contact} {name} has no email address, so its email is "
                "not sent."
            ).format(contact=contact_no, name=name)
        )
    rest = counts.without_address - len(counts.contacts_without_address)
    if rest > 0:
        lines.append(
            ngettext(
                "{count} more contact has no email address, so its email is not sent.",
                "{count} more contacts have no email address, so their emails are "
                "not sent.",
                rest,
            ).format(count=format_count(rest))
        )
    return lines


def count_to_deliver_again(logged_segment_no: int) -> int:
    """Count the letters a resend of the whole logged segment delivers.

    Only entries still to deliver, pending or failed, are delivered. The others a
    resend writes, such as letters deleted from disk after delivery or letters of
    a segment logged without delivery, are only written.
    """
    entry = InteractionLogEntry
    to_deliver = entry.delivery_status.in_(list(TO_DELIVER)) & (
        entry.canceled == False  # noqa: E712
    )
    return _count_letters(logged_segment_no, to_deliver)


@dataclass
class ResendCounts:
    """The letters a resend of a whole logged segment writes, counted two ways.

    By what happened to them before: ``never_written``, ``failed``, ``deleted``
    and ``not_delivered_yet`` (written, but the email was never sent). By what the
    resend does with them: ``emails`` are sent, ``marked_sent`` hard copies are
    marked sent, and the letters ``logged_without_delivery`` or
    ``delivered_before`` are only written. Each way adds up to ``total``.
    """

    never_written: int = 0
    failed: int = 0
    deleted: int = 0
    not_delivered_yet: int = 0
    emails: int = 0
    marked_sent: int = 0
    logged_without_delivery: int = 0
    delivered_before: int = 0
    # Where the ``emails`` go: the contacts' addresses now, the first
    # NAMED_ADDRESSES + 1 of them, so a question can tell whether it names all.
    addresses: list[str] = field(default_factory=list)
    # The emails whose contact has no address now or no longer exists, and the
    # first NAMED_ADDRESSES of those contacts as (contact no, name).
    without_address: int = 0
    contacts_without_address: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.never_written + self.failed + self.deleted + self.not_delivered_yet


def _never_written_condition() -> Any:
    """Return the condition of entries whose letter was never written or tried.

    NOTE: a resend stopped after it cleared the paths of deleted letters of a
    segment logged without delivery leaves those entries matching this too.
    """
    entry = InteractionLogEntry
    return (
        (entry.document_path == "")
        & (entry.delivery_error == "")
        & entry.delivery_status.in_(
            [DeliveryStatus.PENDING, DeliveryStatus.NOT_DELIVERED]
        )
    )


def count_send_again(logged_segment_no: int) -> ResendCounts:
    """Count, by kind, the letters a resend of the whole logged segment writes."""
    entry = InteractionLogEntry
    counts = ResendCounts()
    rows = (
        _letters_query(logged_segment_no, resend_condition())
        .select(
            entry.delivery_status,
            entry.correspondence_type,
            entry.document_path == "",
            entry.delivery_error != "",
            fn.COUNT(entry.entry_no),
        )
        # By position: peewee passes each "" as its own parameter, so PostgreSQL
        # takes the comparisons here and in the select list for different ones.
        .group_by(SQL("1"), SQL("2"), SQL("3"), SQL("4"))
        .tuples()
    )
    for status, correspondence, unwritten, errored, count in rows:
        if status == DeliveryStatus.FAILED or errored:
            counts.failed += count
        elif status == DeliveryStatus.SENT:
            # A delivered letter with no path is one whose deleted file an
            # earlier resend cleared before it was stopped.
            counts.deleted += count
        elif unwritten:
            counts.never_written += count
        else:
            counts.not_delivered_yet += count
        _count_outcome(counts, status, correspondence, count)
    for status in _missing_letter_statuses(logged_segment_no):
        counts.deleted += 1
        _count_outcome(counts, status, "", 1)
    _count_addresses(counts, logged_segment_no, resend_condition())
    return counts


def _count_addresses(counts: ResendCounts, logged_segment_no: int, only: Any) -> None:
    """Fill in where the emails of a resend go, as _send_emails sends them."""
    entry = InteractionLogEntry
    emails = (
        _letters_query(logged_segment_no, only)
        .select(entry.contact_no, entry.contact_name, Contact.email)
        .join(Contact, JOIN.LEFT_OUTER, on=(Contact.no == entry.contact_no))
        .where(
            entry.delivery_status.in_(list(TO_DELIVER))
            & (entry.correspondence_type == CorrespondenceType.EMAIL)
        )
    )
    no_address = Contact.email.is_null() | (Contact.email == "")
    counts.addresses = [
        address
        for _no, _name, address in emails.where(~no_address)
        .order_by(entry.entry_no)
        .limit(NAMED_ADDRESSES + 1)
        .tuples()
    ]
    counts.without_address = emails.where(no_address).count()
    counts.contacts_without_address = [
        (no, name)
        for no, name, _address in emails.where(no_address)
        .order_by(entry.entry_no)
        .limit(NAMED_ADDRESSES)
        .tuples()
    ]


def _count_outcome(
    counts: ResendCounts, status: str, correspondence: str, count: int
) -> None:
    """Add ``count`` letters to what a resend does with them, as _Run.record does."""
    if status == DeliveryStatus.NOT_DELIVERED:
        counts.logged_without_delivery += count
    elif status == DeliveryStatus.SENT:
        counts.delivered_before += count
    elif correspondence == CorrespondenceType.EMAIL:
        counts.emails += count
    else:
        counts.marked_sent += count


def _missing_letters(logged_segment_no: int) -> list[int]:
    """Return the delivered entries whose recorded letter file no longer exists.

    Entries still to deliver are left out: a resend takes them anyway.
    """
    return [no for no, _status in _missing_letter_rows(logged_segment_no)]


def _missing_letter_statuses(logged_segment_no: int) -> list[str]:
    return [status for _no, status in _missing_letter_rows(logged_segment_no)]


def _missing_letter_rows(logged_segment_no: int) -> list[tuple[int, str]]:
    """Return (entry no, delivery status) of the entries _missing_letters names."""
    entry = InteractionLogEntry
    rows = (
        entry.select(entry.entry_no, entry.document_path, entry.delivery_status)
        .where(
            (entry.logged_segment == logged_segment_no)
            & entry.attachment.is_null(False)
            & (entry.document_path != "")
            & entry.delivery_status.not_in(list(TO_DELIVER))
            & (entry.canceled == False)  # noqa: E712
        )
        .tuples()
    )
    return [(no, status) for no, path, status in rows if not Path(path).exists()]


def _forget_missing_letters(logged_segment_no: int) -> None:
    """Clear the document path of entries whose letter file was deleted.

    A resend then counts them as never written and writes them again. Their
    delivery status stays as it is, so a sent email is not sent twice.
    """
    missing = _missing_letters(logged_segment_no)
    for start in range(0, len(missing), CHUNK_SIZE):
        with write_transaction():
            (
                InteractionLogEntry.update(document_path="")
                .where(
                    InteractionLogEntry.entry_no.in_(
                        missing[start : start + CHUNK_SIZE]
                    )
                )
                .execute()
            )


def letters_folder(logged_segment_no: int) -> Path:
    """Return the folder a logged segment's letters went to, or the default one.

    The default, for a logged segment none of whose letters was written, is the
    first free folder named after its segment, because ``letters/SEGMENT_NO`` may
    contain the letters of another segment with the same number.
    """
    logged = LoggedSegment.get_or_none(LoggedSegment.entry_no == logged_segment_no)
    if logged is None:
        raise NotFoundError(
            _("Logged segment {no} does not exist.").format(no=logged_segment_no)
        )
    written = (
        InteractionLogEntry.select(InteractionLogEntry.document_path)
        .where(
            (InteractionLogEntry.logged_segment == logged_segment_no)
            & (InteractionLogEntry.document_path != "")
        )
        .first()
    )
    if written is not None:
        return Path(written.document_path).parent
    return free_segment_folder(logged.segment_no)


def resend_logged_segment(
    logged_segment_no: int,
    *,
    user: str,
    failed_only: bool = False,
    folder: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    entry_nos: Iterable[int] | None = None,
    pdf: bool = False,
) -> DeliveryReport:
    """Write and deliver again the letters that failed or were never written.

    A letter whose file was deleted from disk counts as never written, unless
    ``failed_only`` is set. With ``entry_nos`` exactly those entries are delivered
    again, and each must belong to the logged segment. The letters go to ``folder``,
    by default the folder of the segment's other letters. Their print file is named
    by what it contains (see ``resend_print_file_title``).
    """
    require(user, Permission.MARKETING, _("send letters"))
    with _resending(logged_segment_no):
        if entry_nos is not None:
            entry_nos = _check_resend_entries(logged_segment_no, entry_nos)
        if folder is None:
            target = letters_folder(logged_segment_no)
        else:
            target = Path(folder).expanduser().resolve()
        only = resend_condition(failed_only, entry_nos)
        whole = entry_nos is None and not failed_only
        title = resend_print_file_title(logged_segment_no, only, whole)
        if whole:
            _forget_missing_letters(logged_segment_no)
        if entry_nos is not None:
            _mark_pending(logged_segment_no, entry_nos)
        return deliver_logged_segment(
            logged_segment_no,
            target,
            progress=progress,
            cancel=cancel,
            only=only,
            print_file_title=title,
            pdf=pdf,
        )


def resend_print_file_title(
    logged_segment_no: int, only: Any, with_missing: bool
) -> str:
    """Return the name of a resend's print file, by what its letters are.

    "Letters written later" when every letter the resend takes was never written
    before, such as the rest of a stopped log, and "Letters sent again" when any
    one was written, failed or deleted before. ``with_missing`` adds the delivered
    letters whose file was deleted, which a resend of the whole segment takes too.
    """
    written_before = _count_letters(
        logged_segment_no, only & ~_never_written_condition()
    )
    if with_missing:
        written_before += len(_missing_letters(logged_segment_no))
    if written_before == 0:
        return _("Letters written later")
    return _("Letters sent again")


# The logged segments whose letters this process is sending again. A second run
# beside the first would write the same letters twice and replace its print file.
# NOTE: the guard holds within one process only. Two users who send the same logged
# segment again at the same time from two processes are not stopped.
_RESENDING: set[int] = set()
_RESENDING_LOCK = threading.Lock()


def resending(logged_segment_no: int) -> bool:
    """Tell whether this process is sending the logged segment's letters again."""
    with _RESENDING_LOCK:
        return logged_segment_no in _RESENDING


@contextmanager
def _resending(logged_segment_no: int) -> Iterator[None]:
    """Mark the logged segment as being sent again, or raise if it is already."""
    with _RESENDING_LOCK:
        if logged_segment_no in _RESENDING:
            raise InvalidValueError(
                _(
                    "The letters of logged segment {no} are being sent again "
                    "already; wait until that run ends."
                ).format(no=logged_segment_no)
            )
        _RESENDING.add(logged_segment_no)
    try:
        yield
    finally:
        with _RESENDING_LOCK:
            _RESENDING.discard(logged_segment_no)


def _check_resend_entries(
    logged_segment_no: int, entry_nos: Iterable[int]
) -> list[int]:
    """Return the chosen entries, or raise naming one that cannot be sent again."""
    wanted = sorted({int(no) for no in entry_nos})
    if not wanted:
        raise InvalidValueError(_("Choose at least one entry to send again."))
    rows = {
        row.entry_no: row
        for row in InteractionLogEntry.select().where(
            InteractionLogEntry.entry_no.in_(wanted)
        )
    }
    for no in wanted:
        row = rows.get(no)
        if row is None or row.logged_segment_entry_no != logged_segment_no:
            raise NotFoundError(
                _("Logged segment {segment} has no entry {entry}.").format(
                    segment=logged_segment_no, entry=no
                )
            )
        if row.canceled:
            raise InvalidValueError(
                _("Entry {entry} is canceled; un-cancel it to send it again.").format(
                    entry=no
                )
            )
        if row.attachment_id is None:
            raise InvalidValueError(
                _(
                    "Entry {entry} has no letter to send: its template has no Word "
                    "attachment."
                ).format(entry=no)
            )
    return wanted


def _mark_pending(logged_segment_no: int, entry_nos: list[int]) -> None:
    """Deliver chosen entries again: sent or failed ones become pending."""
    with write_transaction():
        (
            InteractionLogEntry.update(delivery_status=DeliveryStatus.PENDING)
            .where(
                (InteractionLogEntry.logged_segment == logged_segment_no)
                & InteractionLogEntry.entry_no.in_(entry_nos)
                & (InteractionLogEntry.correspondence_type != "")
            )
            .execute()
        )


def describe_report(report: DeliveryReport, folder: Path) -> list[str]:
    """Return what a delivery did, as sentences for the user."""
    lines = []
    if report.letters:
        lines.append(
            ngettext(
                "{count} letter written to {folder}.",
                "{count} letters written to {folder}.",
                len(report.letters),
            ).format(count=format_count(len(report.letters)), folder=folder)
        )
    if report.print_files:
        names = ", ".join(path.name for path in report.print_files)
        lines.append(
            ngettext(
                "{count} hard-copy letter to print is in {files}.",
                "{count} hard-copy letters to print are in {files}.",
                report.printed,
            ).format(count=format_count(report.printed), files=names)
        )
    if report.pdf_files:
        lines.append(
            _("PDF to print: {files}.").format(
                files=", ".join(path.name for path in report.pdf_files)
            )
        )
    if report.sent:
        lines.append(
            ngettext("{count} email sent.", "{count} emails sent.", report.sent).format(
                count=format_count(report.sent)
            )
        )
    if report.recipients and len(report.recipients) <= NAMED_ADDRESSES:
        lines.append(
            ngettext(
                "Sent to {addresses}.",
                "Sent to {addresses}.",
                len(report.recipients),
            ).format(addresses=", ".join(report.recipients))
        )
    lines.extend(no_address_lines(report.no_address))
    for path, error in report.print_failures:
        lines.append(
            _("The print file {file} failed: {error}").format(
                file=path.name, error=error
            )
        )
    if report.failed:
        lines.append(
            ngettext(
                "{count} letter failed; it can be sent again.",
                "{count} letters failed; they can be sent again.",
                len(report.failed),
            ).format(count=format_count(len(report.failed)))
        )
    if report.canceled:
        lines.append(
            _("Stopped before all letters were done; the rest can be sent again.")
        )
    if report.error:
        lines.append(report.error + " " + _("The letters can be sent again."))
    return lines


def no_address_lines(no_address: list[tuple[int, str, str, bool]]) -> list[str]:
    """Return a sentence per email not sent for want of an address, by contact.

    Past NAMED_ADDRESSES contacts the rest are counted in one sentence.
    """
    lines = []
    for entry_no, contact_no, name, exists in no_address[:NAMED_ADDRESSES]:
        if exists:
            text = _(
                "Entry {entry} was not sent: contact {contact} {name} has no email "
                "address; add one and send again."
            )
        else:
            text = _(
                "Entry {entry} was not sent: contact {contact} {name} no longer "
                "exists, so it has no email address."
            )
        lines.append(text.format(entry=entry_no, contact=contact_no, name=name))
    rest = len(no_address) - NAMED_ADDRESSES
    if rest > 0:
        lines.append(
            ngettext(
                "{count} more email was not sent because its contact has no email "
                "address.",
                "{count} more emails were not sent because their contacts have no "
                "email address.",
                rest,
            ).format(count=format_count(rest))
        )
    return lines


# PDF files.


def pdf_converter() -> str | None:
    """Return the path of LibreOffice's soffice, or None when it is not installed."""
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


# LibreOffice takes about a second per file, more for a print file of many letters.
PDF_TIMEOUT_SECONDS = 600


def convert_to_pdf(documents: list[Path], folder: Path) -> tuple[list[Path], str]:
    """Convert Word files to PDF files in ``folder``; return them and an error text.

    Each run uses a LibreOffice profile of its own, so two conversions at once do
    not block each other on the profile's lock.
    """
    import subprocess
    import tempfile

    program = pdf_converter()
    if program is None:
        return [], _("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="segtui-soffice-") as profile:
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(path) for path in documents),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=PDF_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return [], str(error)
    made = [folder / (path.stem + ".pdf") for path in documents]
    missing = [path.name for path in made if not path.exists()]
    if missing:
        detail = (result.stderr or result.stdout).strip()
        return [p for p in made if p.exists()], _(
            "LibreOffice made no {files}: {detail}"
        ).format(files=", ".join(missing), detail=detail or result.returncode)
    return made, ""


def _convert_print_files(report: DeliveryReport) -> None:
    folder = report.print_files[0].parent
    made, error = convert_to_pdf(report.print_files, folder)
    report.pdf_files.extend(made)
    if error:
        log.warning("PDF conversion failed: %s", error)
        report.print_failures.append((folder, _("PDF: {error}").format(error=error)))
