"""Importing contacts and their classifications from a CSV file, all rows or none.

The header row names the columns; names match ignoring case, spaces and hyphens,
in any order, and only the columns present are imported. Every row is checked
before anything is written, and every problem is reported as "line N, column C:
problem". Then one write transaction inserts and updates the contacts with
batched statements. The check looks contacts up by joining a temporary table of
the file's numbers, so it takes as many queries for a large file as for a small
one. A contact whose number exists is updated only with ``update``; a blank
number takes the next number of the CONTACT series.

Classification columns list codes separated by ``;``: ``mailing_groups``,
``industry_groups`` and ``business_relations`` (companies), ``job_responsibilities``
(persons) and ``profile_answers`` as ``QUESTIONNAIRE:ANSWER``. A column present
replaces the contact's codes of that kind. ``created_at`` and ``modified_at`` are
ISO dates or date-times.
"""

from __future__ import annotations

import gc
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import Any

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.classifications import (
    applies_to,
    classification_kinds,
    wrong_type_message,
)
from segtui.domain.contact_fields import (
    BOOLEAN_COLUMNS,
    CODE_COLUMNS,
    CONTACT_COLUMNS,
    EMAIL_PATTERN,
    INHERITED_COLUMNS,
    composed_name,
    known_codes,
    max_length,
    model_field,
    parse_value,
    quote_value,
)
from segtui.domain.csv_format import CsvError, CsvProblem, read_csv
from segtui.domain.dates import ISO_DATE, impossible_date_reason, iso_date_hint
from segtui.domain.errors import InvalidValueError, SegtuiError
from segtui.domain.numbering import CONTACT_SERIES, increment
from segtui.domain.text import CONTROL_CHARACTERS, clean_line, no_value
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count, inside_sentence, ngettext
from segtui.models import (
    Contact,
    ContactProfileAnswer,
    ContactType,
    NumberSeries,
    ProfileAnswer,
    SegmentLine,
)
from segtui.models.contact_search import update_search_index

PROFILE_COLUMN = "profile_answers"
# The classification columns, each with its kind key; profile answers have none.
CLASSIFICATION_COLUMNS = (
    "mailing_groups",
    "industry_groups",
    "business_relations",
    "job_responsibilities",
    PROFILE_COLUMN,
)
AUDIT_COLUMNS = ("created_at", "created_by", "modified_at", "modified_by")
IMPORT_COLUMNS = CONTACT_COLUMNS + CLASSIFICATION_COLUMNS + AUDIT_COLUMNS

# Other names users give columns, after normalising.
COLUMN_ALIASES = {
    "e_mail": "email",
    "contact_no": "no",
    "number": "no",
    "country": "country_code",
    "language": "language_code",
    "salutation": "salutation_code",
    "salesperson": "salesperson_code",
    "territory": "territory_code",
    "zip": "post_code",
    "mobile": "mobile_phone",
}

# The type of a row whose type cell is invalid, for the rows that refer to it.
UNKNOWN_TYPE = "?"

# Rows parsed, checked or written between two progress reports and cancel checks.
BATCH_SIZE = 500
# New contact numbers checked against the contacts in one query.
NUMBERS_CHECKED_AT_ONCE = 5000
# Classification rows written between two progress reports and cancel checks.
CODES_BATCH_SIZE = 5000
# Rows fetched from a lookup's result between two progress reports.
FETCH_BATCH = 5000
# The temporary table of the file's numbers, which the check's lookups join.
NUMBER_TABLE = "segtui_import_number"
# Progress steps of each row: read, checked and written.
STEPS_PER_ROW = 3
READING, CHECKING, WRITING = range(STEPS_PER_ROW)
# The parts of the checking and of the writing, as fractions of their phase. Each
# is an estimate of the part's share of the time, from profiles of imports of
# 30,000 exported sample contacts into a database of 150,000.
PARSE_SHARE = (0.0, 0.55)
LOOKUP_SHARE = (0.55, 0.7)
ROW_CHECK_SHARE = (0.7, 0.8)
OLD_CODES_SHARE = (0.8, 1.0)
PREPARE_SHARE = (0.0, 0.1)
CONTACTS_WRITE_SHARE = (0.1, 0.6)
CODES_WRITE_SHARE = (0.6, 0.9)
SEARCH_INDEX_SHARE = (0.9, 1.0)

# Text columns whose rule parse_value applies to one cell: a length limit, upper
# case for numbers, the email pattern. A clean column is checked for all its cells
# at once, and only the cells that may break the rule go through parse_value.
TEXT_COLUMNS_CHECKED_AT_ONCE = frozenset(
    column
    for column in CONTACT_COLUMNS
    if column not in ("type", "correspondence_type", "country_code")
    and column not in BOOLEAN_COLUMNS
    and column not in CODE_COLUMNS
)
UPPER_CASE_COLUMNS = ("no", "company_no")
# EMAIL_PATTERN for each line of a column's cells joined by line breaks.
EMAIL_LINES = re.compile(EMAIL_PATTERN.pattern, re.MULTILINE)


CONTACT_COLUMN_SET = frozenset(CONTACT_COLUMNS)
_contact_columns = itemgetter(*CONTACT_COLUMNS)


class ImportCanceledError(SegtuiError):
    """The user canceled an import; its transaction was rolled back."""


Progress = Callable[[int, int], None]
# The progress of one part of a phase: (items done, items of the part).
PartProgress = Callable[[int, int], None]


class _Steps:
    """Report progress as (done, total) and stop when the cancel event is set.

    Each row counts three times in the total: when read, when checked and when
    written. While the file is read, ``rows`` is an estimate from its line breaks.
    The checking and the writing each have parts, such as looking up the
    contacts and writing the classifications, and each part moves the bar over
    its share of the phase, a fixed estimate of its share of the time.
    """

    def __init__(
        self,
        source: str,
        progress: Progress | None,
        cancel: threading.Event | None,
    ) -> None:
        self.rows = 0
        self.done = 0
        self.source = source
        self.progress = progress
        self.cancel = cancel

    @property
    def total(self) -> int:
        return STEPS_PER_ROW * self.rows

    def read(self, rows_read: int, rows_expected: int) -> None:
        """Count the rows read so far; raise ImportCanceledError if canceled."""
        self.rows = rows_expected
        self.done = 0
        self.advance(rows_read)

    def canceled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def check_cancel(self) -> None:
        if self.canceled():
            raise self.canceled_error()

    def canceled_error(self) -> ImportCanceledError:
        return ImportCanceledError(
            _(
                "Import of {source} canceled; nothing was written. Run the "
                "import again to import the file."
            ).format(source=self.source)
        )

    def advance(self, count: int) -> None:
        """Count ``count`` more steps done; raise ImportCanceledError if canceled."""
        self.check_cancel()
        self.done = min(self.done + count, self.total)
        if self.progress is not None:
            self.progress(self.done, self.total)

    def move_to(self, done: int) -> None:
        """Report ``done`` steps, never fewer than before; raise if canceled."""
        self.advance(max(done - self.done, 0))

    def part(self, phase: int, start: float, end: float) -> PartProgress:
        """Return the progress of a part of ``phase`` that spans ``start`` to ``end``.

        The fractions are of the phase. The returned function takes the items
        of the part done and the part's items, and raises when canceled.
        """

        def report(count: int, of: int) -> None:
            fraction = start + (end - start) * (count / of if of else 1.0)
            self.move_to(phase * self.rows + int(fraction * self.rows))

        return report


@dataclass
class ImportResult:
    """The counts of an import, or of the import a dry run checked."""

    created: int
    updated: int
    unchanged: int
    dry_run: bool

    def message(self) -> str:
        if self.dry_run:
            text = ngettext(
                "Checked: {created} contact would be created, {updated} updated, "
                "{unchanged} unchanged. Nothing was written.",
                "Checked: {created} contacts would be created, {updated} updated, "
                "{unchanged} unchanged. Nothing was written.",
                self.created,
            )
        else:
            text = ngettext(
                "Imported: {created} contact created, {updated} updated, "
                "{unchanged} unchanged.",
                "Imported: {created} contacts created, {updated} updated, "
                "{unchanged} unchanged.",
                self.created,
            )
        return text.format(
            created=format_count(self.created),
            updated=format_count(self.updated),
            unchanged=format_count(self.unchanged),
        )


@dataclass(slots=True)
class Row:
    """One row of the file, checked, with its values by column."""

    line: int
    values: dict[str, Any]
    codes: dict[str, list[str]] = field(default_factory=dict)
    old: dict[str, Any] | None = None
    # The codes an existing contact has, for each classification column present;
    # None for a new contact.
    old_codes: dict[str, set[str]] | None = None
    # True when the type cell was invalid, so checks that depend on it are skipped.
    bad_type: bool = False

    def contact_changed(self) -> bool:
        if self.old is None:
            return True
        try:
            # One comparison in C when the row has every column, as completed
            # rows and exported files do.
            return _contact_columns(self.values) != _contact_columns(self.old)
        except KeyError:
            return any(
                self.values.get(column, self.old[column]) != self.old[column]
                for column in CONTACT_COLUMNS
            )

    def codes_changed(self, column: str) -> bool:
        if column not in self.codes:
            return False
        old_codes = self.old_codes or {}
        return self.old is None or set(self.codes[column]) != old_codes.get(
            column, set()
        )

    def changed(self) -> bool:
        return self.contact_changed() or any(
            self.codes_changed(column) for column in self.codes
        )

    @property
    def no(self) -> str:
        return self.values.get("no") or ""


def normalize_column(name: str) -> str:
    key = clean_line(name).casefold().replace("-", "_").replace(" ", "_")
    return COLUMN_ALIASES.get(key, key)


def import_contacts(
    data: bytes,
    *,
    user: str,
    update: bool = False,
    dry_run: bool = False,
    source: str = "contacts.csv",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Check a whole CSV file of contacts, then import all its rows or none.

    Raises CsvError listing every problem, each with its line and column, when any
    row is invalid; nothing is written then. ``progress(done, total)`` is called
    after each batch of rows read, checked or written. Setting ``cancel`` stops
    the import at the next batch, while reading too, with ImportCanceledError.
    Its transaction is rolled back, so the database stays as it was.
    """
    require(user, Permission.MARKETING, _("import contacts"))
    steps = _Steps(source, progress, cancel)
    steps.check_cancel()
    with _collector_paused():
        table = read_csv(data, source, steps.read)
        importer = _Importer(table.header, update, source)
        importer.steps = steps
        if dry_run:
            with _canceled_statements(steps):
                rows = importer.check(table.rows)
            return importer.result(rows, dry_run=True)
        with _canceled_statements(steps), write_transaction():
            # Checked inside the transaction, so a contact that another user creates
            # meanwhile cannot be overwritten.
            rows = importer.check(table.rows)
            result = importer.result(rows, dry_run=False)
            importer.write(rows, user)
    return result


@contextmanager
def _canceled_statements(steps: _Steps) -> Iterator[None]:
    """Raise ImportCanceledError for a statement that failed after a cancel.

    On a cancel, the dialog also interrupts the running statement, so that a long
    statement stops at once. That statement raises the driver's error, and the
    transaction rolls back.
    """
    try:
        yield
    except ImportCanceledError:
        raise
    except Exception as error:
        if steps.canceled():
            raise steps.canceled_error() from error
        raise


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, if it runs, until the block ends.

    An import keeps several objects per row until it ends, and each full
    collection walks all of them. Reading and checking the 100,000 rows of
    benchmarks/run.py's import file took 40% longer with the collector running,
    measured once on a busy 2-core machine. Reference counting still frees what
    the import drops. The pause is process-wide, so reference cycles that any
    thread makes meanwhile are collected only after the import.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Importer:
    def __init__(self, header: list[str], update: bool, source: str) -> None:
        self.update = update
        self.source = source
        self.problems: list[CsvProblem] = []
        self.columns: dict[int, str] = {}
        self.labels: dict[str, str] = {}
        self.steps = _Steps(source, None, None)
        self.map_header(header)

    # The header.

    def map_header(self, header: list[str]) -> None:
        seen: dict[str, str] = {}
        for index, name in enumerate(header):
            column = normalize_column(name)
            if not name.strip():
                self.problem(
                    1,
                    _("column {n} has no name; name it or delete it.").format(
                        n=index + 1
                    ),
                )
                continue
            if column not in IMPORT_COLUMNS:
                self.problem(
                    1,
                    _("unknown column; the columns are: {known}.").format(
                        known=", ".join(IMPORT_COLUMNS)
                    ),
                    name,
                )
                continue
            if column in seen:
                self.problem(
                    1,
                    _("the column appears twice, also as {other}; keep one.").format(
                        other=quote_value(seen[column])
                    ),
                    name,
                )
                continue
            seen[column] = name
            self.columns[index] = column
            self.labels[column] = name
        if not ({"no", "name", "first_name", "surname"} & set(seen)):
            self.problem(
                1,
                _(
                    "the header has neither a no column nor a name column, so no row "
                    "can name a contact; add one of them."
                ),
            )
        if self.problems:
            self.fail()

    def problem(self, line: int, text: str, column: str = "") -> None:
        self.problems.append(CsvProblem(text, line_no=line, column=column))

    def fail(self) -> None:
        # Problems are found column by column; the user fixes the file row by row.
        self.problems.sort(key=lambda problem: problem.line_no or 0)
        count = len(self.problems)
        raise CsvError(
            ngettext(
                "{file} has {count} problem; nothing was imported. Correct it and "
                "import the file again.",
                "{file} has {count} problems; nothing was imported. Correct them and "
                "import the file again.",
                count,
            ).format(file=self.source, count=format_count(count)),
            self.problems,
        )

    # Checking the rows.

    def check(self, records: list[tuple[int, list[str]]]) -> list[Row]:
        self.problems = []
        self.codes = known_codes()
        kinds = classification_kinds().values()
        self.kind_codes = {
            kind.column: {
                row[0]
                for row in kind.code_model.select(
                    kind.code_model._meta.primary_key
                ).tuples()
            }
            for kind in kinds
        }
        self.kinds = {kind.column: kind for kind in kinds}
        self.answers = {
            f"{questionnaire}:{code}": answer_id
            for answer_id, questionnaire, code in ProfileAnswer.select(
                ProfileAnswer.id, ProfileAnswer.questionnaire, ProfileAnswer.code
            ).tuples()
        }
        self.parsers = {column: self.cell_parser(column) for column in self.labels}
        self.parsed_cells: dict[str, dict[str, Any]] = {
            column: {} for column in self.labels
        }
        rows = self.parse_rows(records)
        self.check_numbers(rows)
        numbers = [row.no for row in rows if row.no]
        company_numbers = [
            row.values["company_no"] for row in rows if row.values.get("company_no")
        ]
        steps = self.steps
        _stage_numbers(numbers + company_numbers)
        existing = _read_contacts(
            steps.part(CHECKING, *LOOKUP_SHARE), len(numbers) + len(company_numbers)
        )
        on_segments = _contacts_on_segments()
        file_types = {
            row.no: UNKNOWN_TYPE if row.bad_type else row.values.get("type", "")
            for row in rows
            if row.no
        }
        report = steps.part(CHECKING, *ROW_CHECK_SHARE)
        for index, row in enumerate(rows, 1):
            row.old = existing.get(row.no) if row.no else None
            self.check_row(row, existing, file_types, on_segments)
            if index % BATCH_SIZE == 0:
                report(index, len(rows))
        # A person that leaves its company keeps the values it shares with it only
        # when they differ from the company's, so writing needs the old companies.
        old_companies = {
            row.old["company_no"]
            for row in rows
            if row.old is not None and row.old["company_no"]
        }
        _read_old_codes(
            [row for row in rows if row.old is not None],
            self.kinds,
            {answer_id: code for code, answer_id in self.answers.items()},
            steps.part(CHECKING, *OLD_CODES_SHARE),
        )
        missing = old_companies.difference(existing)
        if missing:
            _stage_numbers(missing)
            existing.update(_read_contacts(None, len(missing)))
        self.existing = existing
        _drop_staged_numbers()
        if self.problems:
            self.fail()
        return rows

    def cell_parser(self, column: str) -> Callable[[str], Any]:
        """Return the function that reads a cell of ``column`` or raises."""
        if column in CONTACT_COLUMNS:
            return partial(parse_value, column, codes=self.codes)
        if column in CLASSIFICATION_COLUMNS:
            return partial(self.parse_codes, column)
        if column in ("created_at", "modified_at"):
            return _parse_timestamp
        return _parse_user_cell

    def parse_rows(self, records: list[tuple[int, list[str]]]) -> list[Row]:
        """Parse the rows a batch at a time, in the file's order.

        The rows with a cell for each column of the header are parsed a column at
        a time. A row with fewer or more cells is parsed cell by cell.
        """
        width = len(self.columns)
        rows: list[Row] = []
        report = self.steps.part(CHECKING, *PARSE_SHARE)
        for chunk in _chunks(records, BATCH_SIZE):
            regular = [record for record in chunk if len(record[1]) == width]
            parsed = self.parse_columns(regular)
            if len(regular) < len(chunk):
                parsed.extend(
                    self.parse_row(line, cells)
                    for line, cells in chunk
                    if len(cells) != width
                )
                parsed.sort(key=lambda row: row.line)
            rows.extend(parsed)
            report(len(rows), len(records))
        return rows

    def parse_columns(self, records: list[tuple[int, list[str]]]) -> list[Row]:
        """Parse rows that have a cell for each column, a column at a time."""
        if not records:
            return []
        lines = [line for line, _cells in records]

        parsed: dict[str, list[Any]] = {}
        failed: list[tuple[int, str]] = []
        columns = zip(*[cells for _line, cells in records], strict=True)
        for index, cells in enumerate(columns):
            column = self.columns[index]
            values, errors = self.parse_column(column, cells)
            parsed[column] = values
            for position, message in errors:
                self.problem(lines[position], message, self.labels[column])
                failed.append((position, column))

        value_columns = [
            column for column in parsed if column not in CLASSIFICATION_COLUMNS
        ]
        code_columns = [column for column in parsed if column in CLASSIFICATION_COLUMNS]
        # The header always has a no or a name column, so value_columns has one.
        values_by_row = zip(*[parsed[column] for column in value_columns], strict=True)
        codes_by_row: Iterable[tuple[Any, ...]] = (
            zip(*[parsed[column] for column in code_columns], strict=True)
            if code_columns
            else [()] * len(lines)
        )
        rows = [
            Row(
                line,
                dict(zip(value_columns, values, strict=True)),
                dict(zip(code_columns, codes, strict=True)),
            )
            for line, values, codes in zip(
                lines, values_by_row, codes_by_row, strict=True
            )
        ]
        # A cell that failed has no value, as in a row parsed cell by cell.
        for position, column in failed:
            row = rows[position]
            row.values.pop(column, None)
            row.codes.pop(column, None)
            if column == "type":
                row.bad_type = True
        return rows

    def parse_column(
        self, column: str, cells: Sequence[str]
    ) -> tuple[list[Any], list[tuple[int, str]]]:
        """Return the values of a column's cells, and (position, message) of each bad one.

        A text column that is already clean NFC is checked for the whole column
        at once. Any other column parses each distinct cell once.
        """
        if column in TEXT_COLUMNS_CHECKED_AT_ONCE:
            checked = _check_text_column(column, cells)
            if checked is not None:
                values, suspects = checked
                errors = []
                for position in suspects:
                    try:
                        values[position] = self.parsers[column](cells[position])
                    except InvalidValueError as error:
                        errors.append((position, error.message))
                return values, errors
        known = self.parsed_cells[column]
        distinct = set(cells)
        parse = self.parsers[column]
        for cell in distinct.difference(known):
            try:
                known[cell] = parse(cell)
            except InvalidValueError as error:
                known[cell] = _InvalidCell(error.message)
        values = list(map(known.__getitem__, cells))
        bad = {cell for cell in distinct if type(known[cell]) is _InvalidCell}
        if not bad:
            return values, []
        errors = [
            (position, known[cell].message)
            for position, cell in enumerate(cells)
            if cell in bad
        ]
        return values, errors

    def parse_row(self, line: int, cells: list[str]) -> Row:
        row = Row(line, {})
        for index, cell in enumerate(cells):
            column = self.columns.get(index)
            if column is not None:
                self.parse_cell(row, column, cell)
            elif cell.strip():
                self.problem(
                    line,
                    ngettext(
                        "the row has {count} cells, more than the {columns} column of "
                        "the header; quote cells that contain the delimiter.",
                        "the row has {count} cells, more than the {columns} columns of "
                        "the header; quote cells that contain the delimiter.",
                        len(self.columns),
                    ).format(
                        count=format_count(len(cells)),
                        columns=format_count(len(self.columns)),
                    ),
                )
                break
        return row

    def parse_cell(self, row: Row, column: str, cell: str) -> None:
        label = self.labels[column]
        try:
            value = self.parsers[column](cell)
            if column in CLASSIFICATION_COLUMNS:
                row.codes[column] = value
            else:
                row.values[column] = value
        except InvalidValueError as error:
            self.problem(row.line, error.message, label)
            if column == "type":
                row.bad_type = True

    def parse_codes(self, column: str, cell: str) -> list[str]:
        codes = []
        for part in cell.split(";"):
            code = clean_line(part).upper()
            if not code or code in codes:
                continue
            if column == PROFILE_COLUMN:
                if code not in self.answers:
                    raise InvalidValueError(
                        _(
                            "unknown profile answer {code}; write "
                            "QUESTIONNAIRE:ANSWER with codes of the profile "
                            "questionnaires."
                        ).format(code=quote_value(code))
                    )
            elif code not in self.kind_codes[column]:
                kind = self.kinds[column]
                listing = ", ".join(sorted(self.kind_codes[column])[:20]) or _("none")
                raise InvalidValueError(
                    _("unknown {kind} {code}; the codes are: {codes}.").format(
                        kind=inside_sentence(kind.label),
                        code=quote_value(code),
                        codes=listing,
                    )
                )
            codes.append(code)
        return codes

    def check_numbers(self, rows: list[Row]) -> None:
        first_line: dict[str, int] = {}
        for row in rows:
            if not row.no:
                continue
            if row.no in first_line:
                self.problem(
                    row.line,
                    _("contact {no} is on line {first} already; keep one row.").format(
                        no=row.no, first=first_line[row.no]
                    ),
                    self.labels.get("no", "no"),
                )
            else:
                first_line[row.no] = row.line

    def check_row(
        self,
        row: Row,
        existing: dict[str, dict[str, Any]],
        file_types: dict[str, str],
        on_segments: dict[str, list[str]],
    ) -> None:
        values = row.values
        label = self.labels.get
        if row.bad_type:
            # The type is reported already: check only what does not depend on it.
            self.check_untyped_row(row, existing, file_types)
            return
        if row.old is not None and not self.update:
            self.problem(
                row.line,
                _(
                    "contact {no} exists already; import with --update to update it, "
                    "or remove the row."
                ).format(no=row.no),
                label("no", "no"),
            )
            return
        contact_type = values.get("type") or (
            row.old["type"] if row.old else ContactType.PERSON
        )
        if row.old is not None and contact_type != row.old["type"]:
            self.problem(
                row.line,
                _(
                    "contact {no} is a {old}; an import cannot change its type. "
                    "Change it on the contact card."
                ).format(no=row.no, old=row.old["type"]),
                label("type", "type"),
            )
        values["type"] = contact_type
        company_no = values.get("company_no", "")
        if contact_type == ContactType.COMPANY:
            if company_no and company_no != row.no:
                self.problem(
                    row.line,
                    _(
                        "a company's company number is its own number {no}; leave it "
                        "blank or write {no}."
                    ).format(no=row.no or no_value()),
                    label("company_no"),
                )
        elif company_no:
            self.check_company(row, company_no, existing, file_types)
        if (
            row.old is not None
            and "company_no" in values
            and contact_type == ContactType.PERSON
            and company_no != row.old["company_no"]
            and row.no in on_segments
        ):
            self.problem(
                row.line,
                _(
                    "contact {no} is on segment {segments}, which is not logged, so it "
                    "cannot move to another company; remove it from the segment or log "
                    "the segment first."
                ).format(no=row.no, segments=", ".join(on_segments[row.no])),
                label("company_no"),
            )
        for column, codes in row.codes.items():
            kind = self.kinds.get(column)
            if codes and kind is not None and not applies_to(kind, contact_type):
                self.problem(row.line, wrong_type_message(kind), label(column))
        name = values.get("name") or (row.old["name"] if row.old else "")
        if not name and contact_type == ContactType.PERSON:
            name = composed_name(
                values.get("first_name", ""),
                values.get("middle_name", ""),
                values.get("surname", ""),
            )
        if not name:
            self.problem(
                row.line,
                _("a contact needs a name; fill in name, or first name or surname."),
                label("name") or label("surname") or label("no", "no"),
            )

    def check_company(
        self,
        row: Row,
        company_no: str,
        existing: dict[str, dict[str, Any]],
        file_types: dict[str, str],
    ) -> None:
        """Check that a person's company number names a company."""
        company_type = file_types.get(company_no) or (
            existing[company_no]["type"] if company_no in existing else ""
        )
        if company_type == UNKNOWN_TYPE:
            return
        if not company_type:
            self.problem(
                row.line,
                _(
                    "company {no} does not exist; give the number of a company "
                    "in the database or in this file, or leave it blank."
                ).format(no=quote_value(company_no)),
                self.labels.get("company_no"),
            )
        elif company_type != ContactType.COMPANY:
            self.problem(
                row.line,
                _("contact {no} is a person, not a company.").format(no=company_no),
                self.labels.get("company_no"),
            )

    def check_untyped_row(
        self,
        row: Row,
        existing: dict[str, dict[str, Any]],
        file_types: dict[str, str],
    ) -> None:
        """Check a row with an invalid type for the problems any type would have."""
        label = self.labels.get
        if row.old is not None and not self.update:
            self.problem(
                row.line,
                _(
                    "contact {no} exists already; import with --update to update it, "
                    "or remove the row."
                ).format(no=row.no),
                label("no", "no"),
            )
            return
        company_no = row.values.get("company_no", "")
        if company_no and company_no != row.no:
            self.check_company(row, company_no, existing, file_types)
        name = row.values.get("name") or (row.old["name"] if row.old else "")
        name = name or composed_name(
            row.values.get("first_name", ""),
            row.values.get("middle_name", ""),
            row.values.get("surname", ""),
        )
        if not name:
            self.problem(
                row.line,
                _("a contact needs a name; fill in name, or first name or surname."),
                label("name") or label("surname") or label("no", "no"),
            )

    def result(self, rows: list[Row], *, dry_run: bool) -> ImportResult:
        created = sum(1 for row in rows if row.old is None)
        changed = sum(1 for row in rows if row.old is not None and row.changed())
        return ImportResult(
            created=created,
            updated=changed,
            unchanged=len(rows) - created - changed,
            dry_run=dry_run,
        )

    # Writing.

    def write(self, rows: list[Row], user: str) -> None:
        now = clock.now()
        _number_new_rows(rows)
        companies = {
            row.no: row for row in rows if row.values["type"] == ContactType.COMPANY
        }
        present = frozenset(self.columns.values())
        report = self.steps.part(WRITING, *PREPARE_SHARE)
        for index, row in enumerate(rows, 1):
            _complete_row(row, companies, self.existing, present)
            if index % BATCH_SIZE == 0:
                report(index, len(rows))
        _propagate_company_changes(
            [row for row in rows if row.old is not None and row.no in companies],
            present,
            user,
            now,
        )
        ordered = sorted(
            rows, key=lambda row: row.values["type"] != ContactType.COMPANY
        )
        new_rows = [row for row in ordered if row.old is None]
        changed_rows = [
            row for row in ordered if row.old is not None and row.contact_changed()
        ]
        report = self.steps.part(WRITING, *CONTACTS_WRITE_SHARE)
        written = len(new_rows) + len(changed_rows)
        _insert_contacts(new_rows, user, now, partial(report, of=written))
        _update_contacts(
            changed_rows,
            user,
            now,
            lambda count: report(len(new_rows) + count, written),
        )
        _replace_classifications(
            rows, self.kinds, self.answers, self.steps.part(WRITING, *CODES_WRITE_SHARE)
        )
        _advance_contact_series([row.no for row in rows])
        update_search_index(progress=self.steps.part(WRITING, *SEARCH_INDEX_SHARE))
        self.steps.move_to(self.steps.total)
        # The last check: a cancel during the last report still rolls back.
        self.steps.check_cancel()


def _parse_timestamp(text: str) -> datetime | None:
    text = clean_line(text)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        pass
    # The date part of a date-time such as 2026-02-31T10:00 may name no day.
    found = ISO_DATE.match(text)
    reason = None
    if found and text[found.end() : found.end() + 1] in ("", "T", " "):
        reason = impossible_date_reason(found[0], iso_only=True)
    if reason:
        raise InvalidValueError(
            _("{value} is not a valid date: {reason}.").format(
                value=quote_value(text), reason=reason
            )
        )
    raise InvalidValueError(
        _("{value} is not an ISO date; write it as {date} or {date}T{time}.").format(
            value=quote_value(text), date=iso_date_hint(), time=_("HH:MM:SS")
        )
    )


class _InvalidCell:
    """The problem of a cell that failed to parse, stored in place of its value."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _parse_user_cell(cell: str) -> str:
    return clean_line(cell)[:100]


def _check_text_column(
    column: str, cells: Sequence[str]
) -> tuple[list[str], list[int]] | None:
    """Clean a text column's cells all at once, where that equals clean_line per cell.

    Returns None when a cell has a control character or is not NFC, because then
    each cell needs clean_line. Otherwise returns the values and the positions of
    the cells that may break the column's rule, for parse_value to check.
    """
    joined = "".join(cells)
    if CONTROL_CHARACTERS.search(joined):
        return None
    # NUL composes with no character, so the text joined by NUL is NFC exactly
    # when each cell is.
    if not joined.isascii() and not unicodedata.is_normalized("NFC", "\0".join(cells)):
        return None
    values = [cell.strip() for cell in cells]
    suspects: set[int] = set()
    limit = max_length(column)
    if limit is not None and max(map(len, values), default=0) > limit:
        suspects.update(
            position for position, value in enumerate(values) if len(value) > limit
        )
    if column in UPPER_CASE_COLUMNS:
        values = [value.upper() for value in values]
    elif column == "email":
        filled = len(values) - values.count("")
        if len(EMAIL_LINES.findall("\n".join(values))) != filled:
            match = EMAIL_PATTERN.match
            suspects.update(
                position
                for position, value in enumerate(values)
                if value and not match(value)
            )
    return values, sorted(suspects)


def _chunks(items: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _stage_numbers(numbers: Iterable[str]) -> None:
    """Put ``numbers`` into the temporary table that the lookups join, replacing any.

    The lookups then take one query each, whatever the size of the file. The
    table is temporary, so other connections never see it, and it goes away with
    the connection or a rolled back transaction.
    """
    database = Contact._meta.database
    database.execute_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {NUMBER_TABLE} "
        '("no" VARCHAR(20) NOT NULL PRIMARY KEY)'
    )
    database.execute_sql(f"DELETE FROM {NUMBER_TABLE}")
    database.cursor().executemany(
        f'INSERT INTO {NUMBER_TABLE} ("no") VALUES ({database.param})',
        [(number,) for number in sorted(set(numbers))],
    )


def _drop_staged_numbers() -> None:
    Contact._meta.database.execute_sql(f"DROP TABLE IF EXISTS {NUMBER_TABLE}")


def _staged(column: Any) -> Any:
    """Return the condition that ``column`` is one of the staged numbers."""
    return column.in_(SQL(f'(SELECT "no" FROM {NUMBER_TABLE})'))


def _fetch(query: Any, expected: int, report: PartProgress | None) -> Iterator[Any]:
    """Run ``query`` and yield its rows, reporting after each batch fetched.

    ``expected`` is the most rows the query can return, for the progress. The
    rows come from one statement, fetched in batches so that a cancel is seen
    between them.
    """
    sql, params = query.sql()
    cursor = Contact._meta.database.execute_sql(sql, params)
    fetched = 0
    while True:
        batch = cursor.fetchmany(FETCH_BATCH)
        if not batch:
            break
        yield from batch
        fetched += len(batch)
        if report is not None:
            report(fetched, max(expected, fetched))
    if report is not None:
        report(expected, expected)


def _read_contacts(
    report: PartProgress | None, expected: int
) -> dict[str, dict[str, Any]]:
    """Read the staged numbers' contacts, all columns, as contact_values returns them."""
    fields = [getattr(Contact, model_field(column)) for column in CONTACT_COLUMNS]
    query = Contact.select(*fields).where(_staged(Contact.no)).order_by(Contact.no)
    found: dict[str, dict[str, Any]] = {}
    booleans = [CONTACT_COLUMNS.index(column) for column in BOOLEAN_COLUMNS]
    for row in _fetch(query, expected, report):
        values = [value or "" for value in row]
        for index in booleans:
            values[index] = bool(row[index])
        found[row[0]] = dict(zip(CONTACT_COLUMNS, values, strict=True))
    return found


def _contacts_on_segments() -> dict[str, list[str]]:
    """Return the segments of each staged contact that is on one."""
    query = (
        SegmentLine.select(SegmentLine.contact, SegmentLine.segment)
        .where(_staged(SegmentLine.contact))
        .distinct()
        .order_by(SegmentLine.contact, SegmentLine.segment)
    )
    found: dict[str, list[str]] = {}
    for contact_no, segment_no in _fetch(query, 0, None):
        found.setdefault(contact_no, []).append(segment_no)
    return found


def _read_old_codes(
    rows: list[Row],
    kinds: dict[str, Any],
    answer_codes: dict[int, str],
    report: PartProgress,
) -> None:
    """Read the codes existing contacts have, for the classification columns given.

    Each column takes one query over the staged numbers. ``answer_codes`` gives
    the QUESTIONNAIRE:ANSWER code of each profile answer id.
    """
    by_no = {row.no: row for row in rows}
    columns = [
        column
        for column in CLASSIFICATION_COLUMNS
        if any(column in row.codes for row in rows)
    ]
    for row in rows:
        row.old_codes = {column: set() for column in row.codes}
    for position, column in enumerate(columns):
        if column == PROFILE_COLUMN:
            link_model = ContactProfileAnswer
            code_field = ContactProfileAnswer.answer
        else:
            link_model = kinds[column].link_model
            code_field = kinds[column].link_code()
        query = link_model.select(link_model.contact, code_field).where(
            _staged(link_model.contact)
        )
        for contact_no, code in _fetch(query, 0, None):
            row = by_no.get(contact_no)
            if row is None or column not in row.codes:
                continue
            assert row.old_codes is not None
            if column == PROFILE_COLUMN:
                code = answer_codes[code]
            row.old_codes[column].add(code)
        report(position + 1, len(columns))


def _number_new_rows(rows: list[Row]) -> None:
    """Give each row without a number the next numbers of the CONTACT series.

    A number that a contact already has is skipped, so numbers typed by hand
    earlier cannot collide.
    """
    unnumbered = [row for row in rows if not row.no]
    if not unnumbered:
        return
    from segtui.domain.numbering import next_number

    numbers = _free_numbers(
        next_number(CONTACT_SERIES), len(unnumbered), {row.no for row in rows if row.no}
    )
    for row, number in zip(unnumbered, numbers, strict=True):
        row.values["no"] = number
        if row.values["type"] == ContactType.COMPANY:
            row.values["company_no"] = number
    NumberSeries.update(last_no_used=numbers[-1]).where(
        NumberSeries.code == CONTACT_SERIES
    ).execute()


def _free_numbers(first: str, count: int, taken: set[str]) -> list[str]:
    """Return ``count`` numbers from ``first`` on that neither a row nor a contact has.

    The candidates are checked against the contacts a chunk at a time, so this
    takes a query per chunk, not per number.
    """
    # NOTE: unlike the check's lookups, this takes one more query for each
    # NUMBERS_CHECKED_AT_ONCE rows without a number.
    free: list[str] = []
    number = first
    while len(free) < count:
        candidates = []
        while len(candidates) < min(count - len(free), NUMBERS_CHECKED_AT_ONCE):
            if number not in taken:
                candidates.append(number)
            number = increment(number)
        used = {
            no
            for (no,) in Contact.select(Contact.no)
            .where(Contact.no.in_(candidates))
            .tuples()
        }
        free.extend(candidate for candidate in candidates if candidate not in used)
    return free


def _complete_row(
    row: Row,
    companies: dict[str, Row],
    existing: dict[str, dict[str, Any]],
    present: frozenset[str],
) -> None:
    """Fill a row's final values: the old ones, inherited ones and the name.

    A new contact also takes the audit columns of its row.
    """
    if row.old is None:
        values = _blank_contact()
        values.update(row.values)
    else:
        values = dict(row.old)
        values.update(
            (column, value)
            for column, value in row.values.items()
            if column in CONTACT_COLUMN_SET
        )
    if values["type"] == ContactType.COMPANY:
        values["company_no"] = values["no"]
    elif values["company_no"] and (
        row.old is None or values["company_no"] != row.old["company_no"]
    ):
        company = _company_values(values["company_no"], companies, existing)
        old_company = (
            _company_values(row.old["company_no"], companies, existing)
            if row.old is not None and row.old["company_no"]
            else None
        )
        for column in INHERITED_COLUMNS:
            if row.old is None:
                # A new person takes the company's value where its own is blank.
                if not values[column]:
                    values[column] = company.get(column, "")
            elif column not in present:
                old_value = old_company.get(column, "") if old_company else ""
                if values[column] == old_value:
                    values[column] = company.get(column, "")
    if values["type"] == ContactType.PERSON and not values["name"]:
        values["name"] = composed_name(
            values["first_name"], values["middle_name"], values["surname"]
        )
    row.values = values


def _company_values(
    no: str, companies: dict[str, Row], existing: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    if no in companies:
        row = companies[no]
        merged = dict(row.old) if row.old is not None else {}
        merged.update(row.values)
        return merged
    return existing.get(no, {})


def _blank_contact() -> dict[str, Any]:
    return dict(_BLANK_CONTACT)


_BLANK_CONTACT: dict[str, Any] = {
    column: False if column in BOOLEAN_COLUMNS else "" for column in CONTACT_COLUMNS
}


def _stored_row(values: dict[str, Any]) -> dict[str, Any]:
    stored = {}
    for column, name, blank_is_null in _STORED_COLUMNS:
        value = values[column]
        stored[name] = (value or None) if blank_is_null else value
    return stored


# Each column's field name, and whether a blank is stored as NULL (a code or link).
_STORED_COLUMNS = [
    (column, model_field(column), column in CODE_COLUMNS or column == "company_no")
    for column in CONTACT_COLUMNS
]


def _insert_contacts(
    rows: list[Row], user: str, now: datetime, report: Callable[[int], None]
) -> None:
    """Insert new contacts in batches, building each batch a column at a time.

    ``report`` takes the number of rows inserted so far.
    """
    names = [name for _column, name, _blank_is_null in _STORED_COLUMNS]
    names += [*AUDIT_COLUMNS, "version"]
    fields = [Contact._meta.fields[name] for name in names]
    inserted = 0
    for chunk in _chunks(rows):
        values = [row.values for row in chunk]
        columns = [
            [value[column] or None for value in values]
            if blank_is_null
            else [value[column] for value in values]
            for column, _name, blank_is_null in _STORED_COLUMNS
        ]
        columns.append([value.get("created_at") or now for value in values])
        columns.append([value.get("created_by") or user for value in values])
        columns.append([value.get("modified_at") for value in values])
        columns.append([value.get("modified_by") or "" for value in values])
        columns.append([1] * len(values))
        _insert_rows(fields, list(zip(*columns, strict=True)))
        inserted += len(chunk)
        report(inserted)


def _insert_rows(fields: list[Any], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows of values for ``fields`` of one model with one prepared statement.

    Peewee's insert_many builds the SQL text value by value, and that took most of
    the time of an import of 20,000 contacts. executemany reuses one statement.
    """
    model = fields[0].model
    database = model._meta.database
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join([database.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    if not rows:
        return
    by_column = [
        _database_values(field, values)
        for field, values in zip(fields, zip(*rows, strict=True), strict=True)
    ]
    database.cursor().executemany(sql, list(zip(*by_column, strict=True)))


# The Python type in which each kind of field stores a value as it is: for such a
# value, and for None, Peewee's db_value returns the value unchanged.
_UNCONVERTED_TYPES: dict[type, type] = {
    CharField: str,
    TextField: str,
    BooleanField: bool,
    IntegerField: int,
    DateTimeField: datetime,
}


def _database_values(field: Any, values: Sequence[Any]) -> Sequence[Any]:
    """Return one column's values as ``field`` stores them.

    The column is converted value by value only when a value's type needs it, so
    a column of text for a text field costs one pass over the types.
    """
    stored = field.rel_field if isinstance(field, ForeignKeyField) else field
    kept = _UNCONVERTED_TYPES.get(type(stored))
    if kept is not None and set(map(type, values)) <= {kept, type(None)}:
        return values
    return [field.db_value(value) for value in values]


def _update_contacts(
    rows: list[Row], user: str, now: datetime, report: Callable[[int], None]
) -> None:
    """Write changed contacts with one prepared UPDATE; each version goes up by one.

    The rows were read in this transaction, so each one exists. ``report`` takes
    the number of rows updated so far.
    """
    fields = [Contact._meta.fields[name] for _column, name, _null in _STORED_COLUMNS]
    fields += [Contact.modified_at, Contact.modified_by]
    database = Contact._meta.database
    assignments = ", ".join(
        f'"{field.column_name}" = {database.param}' for field in fields
    )
    sql = (
        f'UPDATE "{Contact._meta.table_name}" SET {assignments}, '
        f'"version" = "version" + 1 WHERE "no" = {database.param}'
    )
    cursor = database.cursor()
    updated = 0
    for chunk in _chunks(rows):
        records = []
        for row in chunk:
            record = list(_stored_row(row.values).values())
            record += [now, user, row.no]
            records.append(record)
        by_column = [
            _database_values(field, values)
            for field, values in zip(
                [*fields, Contact.no], zip(*records, strict=True), strict=True
            )
        ]
        cursor.executemany(sql, list(zip(*by_column, strict=True)))
        updated += len(chunk)
        report(updated)


def _propagate_company_changes(
    company_rows: list[Row], present: frozenset[str], user: str, now: datetime
) -> None:
    """Let the persons of updated companies follow their changed inherited values.

    A person takes a company's new value where it had the company's old one, as
    propagate_to_persons does for one company, and its version goes up. Each
    inherited column takes one prepared UPDATE for all companies, and a code
    column a second one for the companies whose old code was blank.
    """
    database = Contact._meta.database
    cursor = database.cursor()
    param = database.param
    table = Contact._meta.table_name
    for column in INHERITED_COLUMNS:
        if column not in present:
            continue
        is_code = column in CODE_COLUMNS
        name = getattr(Contact, model_field(column)).column_name
        matching: list[tuple[Any, ...]] = []
        blank: list[tuple[Any, ...]] = []
        for row in company_rows:
            assert row.old is not None
            new_value, old_value = row.values[column], row.old[column]
            if new_value == old_value:
                continue
            stored = new_value or (None if is_code else "")
            if is_code and not old_value:
                blank.append((stored, now, user, row.no))
            else:
                matching.append((stored, now, user, row.no, old_value))
        update = (
            f'UPDATE "{table}" SET "{name}" = {param}, "version" = "version" + 1, '
            f'"modified_at" = {param}, "modified_by" = {param} '
            f'WHERE "company_no" = {param} AND "type" = \'{ContactType.PERSON}\' '
        )
        if matching:
            cursor.executemany(update + f'AND "{name}" = {param}', matching)
        if blank:
            cursor.executemany(update + f'AND "{name}" IS NULL', blank)


def _replace_classifications(
    rows: list[Row],
    kinds: dict[str, Any],
    answers: dict[str, int],
    report: PartProgress,
) -> None:
    """Replace the codes of each classification column present, in batches.

    Only contacts whose codes differ from the file's are written: the old codes
    of such an existing contact are deleted and the file's codes inserted. Each
    batch is one prepared statement run for many rows. ``answers`` gives the id
    of each QUESTIONNAIRE:ANSWER code.
    """
    database = Contact._meta.database
    cursor = database.cursor()
    work = []
    for column in CLASSIFICATION_COLUMNS:
        having = [row for row in rows if row.codes_changed(column)]
        if not having:
            continue
        if column == PROFILE_COLUMN:
            link_model = ContactProfileAnswer
            code_field = ContactProfileAnswer.answer
            links = [
                (row.no, answers[code]) for row in having for code in row.codes[column]
            ]
        else:
            link_model = kinds[column].link_model
            code_field = kinds[column].link_code()
            links = [(row.no, code) for row in having for code in row.codes[column]]
        # In key order, so that each index grows in place.
        links.sort()
        existing = sorted(row.no for row in having if row.old is not None)
        work.append((link_model, code_field, existing, links))
    total = sum(len(existing) + len(links) for _m, _f, existing, links in work)
    done = 0
    for link_model, code_field, existing, links in work:
        table = link_model._meta.table_name
        contact = link_model.contact.column_name
        delete = f'DELETE FROM "{table}" WHERE "{contact}" = {database.param}'
        for chunk in _chunks(existing, CODES_BATCH_SIZE):
            cursor.executemany(delete, [(no,) for no in chunk])
            done += len(chunk)
            report(done, total)
        for chunk in _chunks(links, CODES_BATCH_SIZE):
            _insert_rows([link_model.contact, code_field], chunk)
            done += len(chunk)
            report(done, total)


def _advance_contact_series(numbers: list[str]) -> None:
    """Move the CONTACT series past the highest imported number of its pattern."""
    series = NumberSeries.get_or_none(NumberSeries.code == CONTACT_SERIES)
    if series is None:
        return
    last = series.last_no_used or ""
    reference = last or series.starting_no
    pattern = _pattern(reference)
    matching = [no for no in numbers if _pattern(no) == pattern]
    if not matching:
        return
    highest = max(matching)
    if not last or highest > last:
        NumberSeries.update(last_no_used=highest).where(
            NumberSeries.code == CONTACT_SERIES
        ).execute()


def _pattern(number: str) -> tuple[str, int]:
    """Return a number's letters before its digits and its length: ``CT``, 8."""
    prefix = number.rstrip("0123456789")
    return prefix, len(number)
