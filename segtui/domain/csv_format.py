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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from segtui.domain.errors import InvalidValueError, Problem, ValidationError
from segtui.i18n import _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = ",;\t"


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


def read_csv(data: bytes, source: str) -> CsvTable:
    """Read a CSV file's header and non-empty rows, the cells unescaped.

    Raises CsvError for a file that is not UTF-8, has no header, or cannot be
    parsed.
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
    try:
        for line, cells in _records(reader):
            if not table.header:
                table.header = [cell.strip() for cell in cells]
                continue
            if any(cell.strip() for cell in cells):
                table.rows.append((line, [unescape_cell(cell) for cell in cells]))
    except csv.Error as error:
        raise CsvError(
            _("{file} cannot be read as CSV; nothing was imported.").format(
                file=source
            ),
            [CsvProblem(str(error), line_no=reader.line_num)],
        ) from None
    return table


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Yield each record with the line it starts on; a quoted cell may span lines."""
    previous_end = 0
    for cells in reader:
        yield previous_end + 1, cells
        previous_end = reader.line_num
