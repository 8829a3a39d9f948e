"""Names that break terminal apps, as a CSV file that `segtui import contacts` reads.

Each row is one entry of the shared terminal fixture: umlauts, a decomposed name as
macOS saves it, text that Rich or Textual would read as markup, a trailing
backslash, wide CJK characters, Thai combining marks and an emoji with a
presentation selector. ``STORED`` holds the names as segtui stores and shows them,
which is the CSV text in Unicode NFC.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from segtui.domain.contact_import import ImportResult, import_contacts

# No, type, name, first name, surname, as written into the CSV file.
ROWS = (
    ("P-MUE", "person", "Jürgen Müller-Lüdenscheid", "Jürgen", "Müller-Lüdenscheid"),
    ("P-NFD", "person", "Mu\u0308ller, Zoe\u0308", "Zoe\u0308", "Mu\u0308ller"),
    ("C-BLD", "company", "[bold]Fett & Co[/bold] KG", "", ""),
    ("C-SLA", "company", "Kanzlei [/ Partner", "", ""),
    ("C-UPP", "company", "[TODO] Übergabe GmbH", "", ""),
    ("C-NUM", "company", "[0] Null GmbH", "", ""),
    ("C-NST", "company", "Prüfung [typ=x, v={'a[0]'}]", "", ""),
    ("C-JSN", "company", 'Export {"tags": [true, false]}', "", ""),
    ("C-BSL", "company", "C:\\Briefe\\", "", ""),
    ("P-CJK", "person", "山田 太郎", "太郎", "山田"),
    ("P-THA", "company", "สวัสดี Trading", "", ""),
    ("C-EMJ", "company", "\U0001f441\ufe0f Optik Studio", "", ""),
)

STORED = {no: unicodedata.normalize("NFC", name) for no, _type, name, *_ in ROWS}
MARKUP_NOS = ("C-BLD", "C-SLA", "C-UPP", "C-NUM", "C-NST", "C-JSN", "C-BSL")


def fixture_csv() -> bytes:
    """Return the fixture as the bytes of a UTF-8 CSV file with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["no", "type", "name", "first_name", "surname", "country", "language"]
    )
    for row in ROWS:
        writer.writerow([*row, "DE", "DE"])
    return buffer.getvalue().encode("utf-8")


def write_fixture(path: Path) -> Path:
    """Write the fixture CSV file to ``path`` and return the path."""
    path.write_bytes(fixture_csv())
    return path


def load_fixture(user: str) -> ImportResult:
    """Import the fixture into the open database, as `segtui import contacts` does."""
    return import_contacts(fixture_csv(), user=user, source="terminal_fixture.csv")
