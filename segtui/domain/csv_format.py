"""CSV as users move data in it: reading what Excel saves, writing what it opens safely.

Reading accepts UTF-8 with or without a byte order mark, any line ends, and ``,``,
``;`` or tab between cells, detected from the header row. Writing produces UTF-8
with ``,`` and CRLF line ends (RFC 4180). A written cell that starts with ``=``,
``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``, so a spreadsheet
shows it as text instead of running it as a formula. Reading removes that ``'``
again, so exported files import unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from segtui.domain.errors import InvalidValueError, Problem, ValidationError
from segtui.i18n import _, format_count, ngettext

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = ",;\t"
# Records read between two calls of read_csv's progress callback.
READ_BATCH = 1000
# The maximum number of problems a file's error lists, in the TUI or on stderr. A
# file with more gets a line that counts the rest.
MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class CsvProblem(Problem):
    """A problem in a CSV file, at a line and, when it concerns one cell, a column."""

    column: str = ""

    def __str__(self) -> str:
        if self.line_no is None:
            return self.text
        if self.column:
            return _("line {line}, column {column}: {problem}").format(
                line=self.line_no, column=self.column, problem=self.text
            )
        return _("line {line}: {problem}").format(line=self.line_no, problem=self.text)


class CsvError(ValidationError, InvalidValueError):
    """Raised when a CSV file has problems; nothing was imported."""


def problem_lines(
    problems: Sequence[Problem], limit: int | None = MAX_PROBLEMS_SHOWN
) -> list[str]:
    """Return the problems as text, the first ``limit`` and a line counting the rest.

    A ``limit`` of None returns every problem.
    """
    lines = [str(problem) for problem in problems]
    hidden = len(lines) - limit if limit is not None else 0
    if hidden <= 0:
        return lines
    return [
        *lines[:limit],
        ngettext(
            "... and {count} more problem.", "... and {count} more problems.", hidden
        ).format(count=format_count(hidden)),
    ]


@dataclass
class CsvTable:
    """A CSV file's header and rows, each row with the line it starts on."""

    header: list[str]
    delimiter: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def escape_cell(text: str) -> str:
    """Return text that a spreadsheet shows as it is instead of running it."""
    if text.startswith(FORMULA_STARTS) or (
        text.startswith("'") and text[1:2] != "" and text[1] in ("'", *FORMULA_STARTS)
    ):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo ``escape_cell``: drop the ``'`` it put before a formula character."""
    if text.startswith("'") and text[1:2] != "" and text[1] in ("'", *FORMULA_STARTS):
        return text[1:]
    return text


def format_cell(value: Any) -> str:
    """Return a value as a CSV cell: ISO dates, yes/no, amounts with two decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return escape_cell(str(value))


def write_csv(
    stream: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write a header and rows to a text stream opened with ``newline=""``.

    Returns the number of rows written.
    """
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([format_cell(value) for value in row])
        count += 1
    return count


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 with or without a byte order mark, or raise naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        raise CsvError(
            _("{file} is not a UTF-8 file; nothing was imported.").format(file=source),
            [
                CsvProblem(
                    _(
                        'byte 0x{byte} is not UTF-8; save the file as "CSV UTF-8" '
                        "in Excel, or convert it to UTF-8."
                    ).format(byte=byte),
                    line_no=line,
                )
            ],
        ) from None


def detect_delimiter(header_line: str) -> str:
    """Return the delimiter of a header row: ``,``, ``;`` or tab.

    csv.Sniffer decides; when it cannot, the candidate that occurs most often wins,
    and a header without any is one column, read with ``,``.
    """
    try:
        return csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {candidate: header_line.count(candidate) for candidate in DELIMITERS}
        best = max(counts, key=lambda candidate: counts[candidate])
        return best if counts[best] else ","


def read_csv(
    data: bytes,
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> CsvTable:
    """Read a CSV file's header and non-empty rows, the cells unescaped.

    ``progress(rows_read, rows_expected)`` is called after every ``READ_BATCH``
    records. ``rows_expected`` is an estimate from the line breaks, since a
    quoted cell may span lines. An exception that ``progress`` raises, such as a
    cancel, stops the reading. Raises CsvError for a file that is not UTF-8, has
    no header, or cannot be parsed.
    """
    text = decode(data, source)
    first_line = next(iter(text.splitlines()), "")
    if not first_line.strip():
        raise CsvError(
            _("{file} has no header row; nothing was imported.").format(file=source),
            [
                CsvProblem(
                    _(
                        "the first line must name the columns, such as "
                        "no,type,name,city,email."
                    ),
                    line_no=1,
                )
            ],
        )
    delimiter = detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table = CsvTable(header=[], delimiter=delimiter)
    expected = max(text.count("\n") + text.count("\r") - text.count("\r\n") - 1, 0)
    rows = table.rows
    # The last line of the record read before, so the next record starts after it.
    previous_end = 0
    try:
        for cells in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not table.header:
                table.header = [cell.strip() for cell in cells]
                continue
            # Joined, the cells are blank exactly when each cell is, and contain a
            # ' whenever a cell starts with the escape.
            joined = "".join(cells)
            if not joined.strip():
                continue
            if "'" in joined:
                cells = [unescape_cell(cell) for cell in cells]
            rows.append((line, cells))
            if progress is not None and len(rows) % READ_BATCH == 0:
                progress(len(rows), max(expected, len(rows)))
    except csv.Error as error:
        raise _read_error(
            error, text, source, table.header, previous_end + 1, reader
        ) from None
    if progress is not None:
        progress(len(rows), len(rows))
    return table


def _read_error(
    error: csv.Error,
    text: str,
    source: str,
    header: list[str],
    line: int,
    reader: Any,
) -> CsvError:
    """Return the CsvError for a record the csv module cannot read.

    ``line`` is the line the record starts on. A cell over the csv module's field
    size limit is named by its column, since such a cell is often a quote that
    was never closed and ran on through the rest of the file.
    """
    message = _("{file} cannot be read as CSV; nothing was imported.").format(
        file=source
    )
    if "field limit" not in str(error):
        return CsvError(message, [CsvProblem(str(error), line_no=reader.line_num)])
    limit = csv.field_size_limit()
    index = _overlong_cell_index(text, line, reader.dialect.delimiter, limit)
    # A cell past the header's columns is named by its position, counted from 1.
    column = header[index] if index < len(header) else str(index + 1)
    problem = _(
        "the cell is longer than {limit} characters, more than any column takes. "
        "Add the closing quote if the cell misses it, or shorten the cell, then "
        "import the file again."
    ).format(limit=format_count(limit))
    return CsvError(message, [CsvProblem(problem, line_no=line, column=column)])


def _overlong_cell_index(text: str, line: int, delimiter: str, limit: int) -> int:
    """Return the index of the cell over ``limit`` in the record that starts on ``line``.

    The first ``limit`` characters of the record end inside that cell, so the
    number of cells read from them, minus one, is the index.
    """
    lines = io.StringIO(text, newline="")
    start = 0
    for _number in range(line - 1):
        start += len(lines.readline())
    # The csv module accepts a cell of exactly ``limit`` characters.
    prefix = text[start : start + limit]
    reader = csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter)
    try:
        return max(len(next(reader, [""])) - 1, 0)
    except csv.Error:
        return 0
