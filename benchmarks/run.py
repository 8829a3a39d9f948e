"""Measure segtui against hand-written references on databases it builds itself.

    python benchmarks/run.py [--contacts N] [--lines N] [--letters N] [--repeat N]

Each measure runs ``--repeat`` times and prints one line:

    NAME ratio=R ours=S reference=S

where R is the median of segtui's time divided by the median of the reference's.
The references are the hand-written equivalents: raw SQL through the sqlite3 module,
docx-mailmerge2 called directly in one process, or a minimal Textual app. Two more
lines give the peak memory of logging a small and a large segment, each in a process
of its own.

The goals at 1,000,000 contacts, 100,000 lines and 1,000 letters are in
docs/benchmarks.md, with a recorded run.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
USER = "bench"


def timed(function: Callable[[], Any]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def report(name: str, ours: list[float], reference: list[float]) -> None:
    ours_median = statistics.median(ours)
    reference_median = statistics.median(reference)
    ratio = ours_median / reference_median if reference_median else float("inf")
    print(
        f"{name} ratio={ratio:.2f} ours={ours_median:.4f} reference={reference_median:.4f}"
    )
    sys.stdout.flush()


def open_segtui(path: Path) -> Any:
    from segtui.db import open_database

    return open_database("sqlite:///" + str(path))


def build_database(folder: Path, contacts: int) -> Path:
    """Build the base database once: the sample setup and ``contacts`` contacts."""
    from segtui.domain.large_sample import load_large_sample

    path = folder / "base.sqlite3"
    database = open_segtui(path)
    load_large_sample(USER, contacts)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


def copy_of(base: Path, folder: Path, name: str) -> Path:
    path = folder / f"{name}.sqlite3"
    shutil.copyfile(base, path)
    return path


# Criteria: the same filters for Add Contacts, the count and the reference.

FILTERS = {
    "contact": {"country": "DE|AT"},
    "mailing_group": {"code": "NEWS"},
    "industry_group": {"code": "RETAIL", "exists": "no"},
}
REFERENCE_WHERE = (
    "c.country_code IN ('DE', 'AT') "
    "AND c.no IN (SELECT contact_no FROM contact_mailing_group "
    "WHERE mailing_group_code = 'NEWS') "
    "AND (c.company_no IS NULL OR c.company_no NOT IN (SELECT contact_no FROM "
    "contact_industry_group WHERE industry_group_code = 'RETAIL')) "
    "AND c.privacy_blocked = 0 AND c.exclude_from_segment = 0"
)


def new_segment(template: str | None = None) -> str:
    from segtui.domain.segmentation import create_segment

    return create_segment(
        "Benchmark", user=USER, template_code=template, salesperson_code="JO"
    ).no


def measure_add_contacts(base: Path, folder: Path, repeat: int) -> None:
    from segtui.domain.criteria import AddOptions
    from segtui.domain.segment_actions import add_contacts
    from segtui.models import SegmentHeader

    path = copy_of(base, folder, "add")
    database = open_segtui(path)
    ours = []
    for _round in range(repeat):
        no = new_segment("LETTER")
        ours.append(
            timed(lambda no=no: add_contacts(no, FILTERS, AddOptions(), user=USER))
        )
        SegmentHeader.delete().where(SegmentHeader.no == no).execute()
    database.close()

    connection = sqlite3.connect(path, isolation_level=None)
    reference = []
    for _round in range(repeat):

        def insert() -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "INSERT INTO segment_header (no, description, subject, correspondence_type, "
                "ignore_contact_corresp_type, unit_cost, unit_duration, information_flow, "
                "initiated_by, campaign_target, campaign_response, "
                "send_word_docs_as_attachment, created_by, modified_by, version) "
                "VALUES ('REF', 'Reference', '', '', 0, 0, 0, '', '', 0, 0, 1, '', '', 1)"
            )
            # The same values segtui gives a line of a LETTER segment: the
            # template's subject in the contact's language, else in English.
            connection.execute(
                "INSERT INTO segment_line (segment_no, line_no, contact_no, "
                "salesperson_code, interaction_template_code, language_code, subject, "
                "description, correspondence_type, date, unit_cost, unit_duration, "
                "information_flow, initiated_by, evaluation, campaign_target, "
                "campaign_response, personal_note, version, modified_at, modified_by) "
                "SELECT 'REF', ROW_NUMBER() OVER (ORDER BY c.no) * 10000, c.no, 'JO', "
                "'LETTER', CASE WHEN c.language_code IN ('EN', 'DE') "
                "THEN c.language_code ELSE 'EN' END, "
                "CASE WHEN c.language_code = 'DE' THEN 'Unser neuer Produktkatalog' "
                "ELSE 'Our new product catalogue' END, 'Product catalogue letter', "
                "CASE WHEN COALESCE(c.correspondence_type, '') = '' THEN 'hard_copy' "
                "ELSE c.correspondence_type END, '2026-12-04', '1.20', '5.00', "
                "'outbound', 'us', '', 0, 0, '', 1, '2026-12-04 00:00:00', 'bench' "
                f"FROM contact c WHERE {REFERENCE_WHERE} ORDER BY c.no"
            )
            connection.execute("COMMIT")

        reference.append(timed(insert))
        connection.execute("DELETE FROM segment_line WHERE segment_no = 'REF'")
        connection.execute("DELETE FROM segment_header WHERE no = 'REF'")
    connection.close()
    report("add-contacts", ours, reference)


def measure_count(base: Path, folder: Path, repeat: int) -> None:
    from segtui.domain.criteria import AddOptions
    from segtui.domain.segment_actions import count_add_contacts

    path = copy_of(base, folder, "count")
    database = open_segtui(path)
    ours = [
        timed(lambda: count_add_contacts(FILTERS, AddOptions())) for _ in range(repeat)
    ]
    database.close()
    connection = sqlite3.connect(path)
    reference = [
        timed(
            lambda: connection.execute(
                f"SELECT COUNT(*) FROM contact c WHERE {REFERENCE_WHERE}"
            ).fetchone()
        )
        for _ in range(repeat)
    ]
    connection.close()
    report("count", ours, reference)


def measure_search(base: Path, folder: Path, repeat: int) -> None:
    """Search the contact list for a rare word: the count and the first page."""
    from segtui.domain.contact_queries import count_contacts, list_contacts

    path = copy_of(base, folder, "search")
    connection = sqlite3.connect(path)
    (email,) = connection.execute(
        "SELECT email FROM contact WHERE email <> '' ORDER BY no "
        "LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM contact)"
    ).fetchone()
    word = email.split("@")[0]

    database = open_segtui(path)

    def search() -> None:
        total = count_contacts(word)
        list_contacts(word, limit=50, total=total)

    ours = [timed(search) for _ in range(repeat)]
    database.close()

    # The same lookup written by hand: the index stores the folded text.
    pattern = f"*{word.casefold()}*"
    matching = "rowid IN (SELECT rowid FROM contact_search WHERE text GLOB ?)"

    def search_by_hand() -> None:
        connection.execute(
            f"SELECT COUNT(*) FROM contact WHERE {matching}", (pattern,)
        ).fetchone()
        connection.execute(
            f"SELECT no, name, city, email FROM contact WHERE {matching} "
            "ORDER BY no LIMIT 50",
            (pattern,),
        ).fetchall()

    reference = [timed(search_by_hand) for _ in range(repeat)]
    connection.close()
    report("search", ours, reference)


def segment_with_lines(lines: int, template: str | None) -> str:
    """Create a segment of ``lines`` contacts, adding contacts in number order."""
    from segtui.domain.criteria import AddOptions
    from segtui.domain.segment_actions import add_contacts

    no = new_segment(template)
    last = f"CT{lines:07d}"
    add_contacts(
        no,
        {"contact": {"no": f"..{last}"}},
        AddOptions(ignore_exclusion=True),
        user=USER,
    )
    return no


def measure_refine(base: Path, folder: Path, lines: int, repeat: int) -> None:
    from segtui.domain.segment_actions import go_back, refine_contacts

    path = copy_of(base, folder, "refine")
    database = open_segtui(path)
    no = segment_with_lines(lines, "LETTER")
    ours = []
    for _round in range(repeat):
        ours.append(
            timed(
                lambda: refine_contacts(
                    no, {"mailing_group": {"code": "NEWS"}}, user=USER
                )
            )
        )
        go_back(no, user=USER)
    database.close()

    connection = sqlite3.connect(path, isolation_level=None)
    reference = []
    keep = (
        "SELECT contact_no FROM contact_mailing_group WHERE mailing_group_code = 'NEWS'"
    )
    for _round in range(repeat):
        connection.execute("DROP TABLE IF EXISTS saved_lines")
        connection.execute(
            f"CREATE TEMP TABLE saved_lines AS SELECT * FROM segment_line WHERE segment_no = '{no}'"
        )

        def refine() -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                f"DELETE FROM segment_line WHERE segment_no = '{no}' AND contact_no NOT IN ({keep})"
            )
            connection.execute("COMMIT")

        reference.append(timed(refine))
        connection.execute(f"DELETE FROM segment_line WHERE segment_no = '{no}'")
        connection.execute("INSERT INTO segment_line SELECT * FROM saved_lines")
    connection.close()
    report("refine", ours, reference)


def measure_log(base: Path, folder: Path, lines: int, repeat: int) -> None:
    from segtui.domain.segment_logging import LogOptions, log_segment

    ours = []
    reference = []
    for round_no in range(repeat):
        path = copy_of(base, folder, f"log{round_no}")
        database = open_segtui(path)
        no = segment_with_lines(lines, "CALL")
        target = folder / f"letters-{round_no}"
        options = LogOptions(output_folder=target)
        ours.append(
            timed(lambda no=no, options=options: log_segment(no, options, user=USER))
        )
        reference_no = segment_with_lines(lines, "CALL")
        database.close()

        connection = sqlite3.connect(path, isolation_level=None)

        def log_by_hand(
            connection: Any = connection, reference_no: str = reference_no
        ) -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "INSERT INTO logged_segment "
                "(segment_no, description, created_at, user_id, canceled) "
                f"VALUES ('{reference_no}', 'Reference', '2026-12-04 00:00:00', 'bench', 0)"
            )
            logged = connection.execute("SELECT last_insert_rowid()").fetchone()[0]
            connection.execute(
                "INSERT INTO interaction_log_entry (contact_no, contact_name, contact_company_no, "
                "contact_company_name, date, created_at, description, subject, template_code, "
                "group_code, language_code, correspondence_type, information_flow, initiated_by, "
                "unit_cost, unit_duration, salesperson_code, campaign_no, campaign_target, "
                "campaign_response, evaluation, attempt_failed, segment_no, "
                "logged_segment_entry_no, merge_values, delivery_status, delivery_error, "
                "document_path, canceled, user_id, send_as_attachment) "
                "SELECT l.contact_no, c.name, COALESCE(c.company_no, ''), '', l.date, "
                "'2026-12-04 00:00:00', l.description, l.subject, "
                "COALESCE(l.interaction_template_code, ''), '', COALESCE(l.language_code, ''), "
                "l.correspondence_type, l.information_flow, l.initiated_by, l.unit_cost, "
                "l.unit_duration, COALESCE(l.salesperson_code, ''), '', 0, 0, '', 0, "
                f"l.segment_no, {logged}, json_object('name', c.name), 'not_delivered', "
                "'', '', 0, 'bench', 0 "
                "FROM segment_line l JOIN contact c ON c.no = l.contact_no "
                f"WHERE l.segment_no = '{reference_no}' ORDER BY l.line_no"
            )
            connection.execute(
                f"DELETE FROM segment_line WHERE segment_no = '{reference_no}'"
            )
            connection.execute(
                f"DELETE FROM segment_header WHERE no = '{reference_no}'"
            )
            connection.execute("COMMIT")

        reference.append(timed(log_by_hand))
        connection.close()
        path.unlink()
    report("log", ours, reference)


def measure_letters(base: Path, folder: Path, letters: int, repeat: int) -> None:
    """Merge and write letters with segtui's delivery against one process of docx-mailmerge2."""
    from segtui.domain.delivery import deliver_logged_segment
    from segtui.domain.documents import render_letter
    from segtui.domain.segment_logging import LogOptions, log_segment
    from segtui.models import (
        Attachment,
        InteractionLogEntry,
        InteractionTemplateLanguage,
    )

    path = copy_of(base, folder, "letters")
    database = open_segtui(path)
    no = segment_with_lines(letters, "LETTER")
    result = log_segment(no, LogOptions(output_folder=folder / "first"), user=USER)
    entries = list(
        InteractionLogEntry.select().where(
            InteractionLogEntry.logged_segment == result.logged_segment_no
        )
    )
    templates = {
        row.attachment_id: (
            bytes(Attachment.get_by_id(row.attachment_id).content),
            row.field_map or {},
        )
        for row in InteractionTemplateLanguage.select()
        if row.attachment_id
    }
    ours = []
    reference = []
    for round_no in range(repeat):
        target = folder / f"ours-{round_no}"
        ours.append(
            timed(
                lambda target=target: deliver_logged_segment(
                    result.logged_segment_no, target
                )
            )
        )
        reference_folder = folder / f"reference-{round_no}"
        reference_folder.mkdir()

        def merge_by_hand(reference_folder: Path = reference_folder) -> None:
            for entry in entries:
                content, field_map = templates[entry.attachment_id]
                data = render_letter(content, entry.merge_values or {}, field_map)
                (reference_folder / f"{entry.entry_no}.docx").write_bytes(data)

        reference.append(timed(merge_by_hand))
    database.close()
    report("letters", ours, reference)


WORKSHEET_SCRIPT = """
import asyncio, sys, time
from segtui.db import open_database
open_database(sys.argv[1])
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.worksheet import WorksheetScreen
from textual.widgets import DataTable

async def main():
    app = SegtuiApp(user="bench")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        app.push_screen(WorksheetScreen(sys.argv[2]))
        while True:
            await pilot.pause(0.005)
            screen = app.screen
            if isinstance(screen, WorksheetScreen) and screen.query(DataTable):
                if screen.query_one(DataTable).row_count:
                    break
        print(time.perf_counter() - start)

asyncio.run(main())
"""


def measure_open_worksheet(base: Path, folder: Path, lines: int, repeat: int) -> None:
    path = copy_of(base, folder, "worksheet")
    database = open_segtui(path)
    large = segment_with_lines(lines, "LETTER")
    small = segment_with_lines(100, "LETTER")
    database.close()
    url = "sqlite:///" + str(path)

    def first_paint(segment: str) -> float:
        result = subprocess.run(
            [sys.executable, "-c", WORKSHEET_SCRIPT, url, segment],
            capture_output=True,
            text=True,
            check=True,
        )
        return float(result.stdout.strip().splitlines()[-1])

    ours = [first_paint(large) for _ in range(repeat)]
    reference = [first_paint(small) for _ in range(repeat)]
    report("open-worksheet", ours, reference)


# The classification columns of an export, with each one's link table and code column.
IMPORT_LINKS = {
    "mailing_groups": ("contact_mailing_group", "mailing_group_code"),
    "industry_groups": ("contact_industry_group", "industry_group_code"),
    "business_relations": ("contact_business_relation", "business_relation_code"),
    "job_responsibilities": (
        "contact_job_responsibility",
        "job_responsibility_code",
    ),
}
# The contact columns in an export's order, and the ones stored as NULL when blank.
IMPORT_CONTACT_COLUMNS = [
    "no",
    "type",
    "name",
    "first_name",
    "middle_name",
    "surname",
    "company_no",
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "country_code",
    "phone",
    "mobile_phone",
    "email",
    "language_code",
    "salutation_code",
    "salesperson_code",
    "territory_code",
    "correspondence_type",
    "job_title",
    "exclude_from_segment",
    "privacy_blocked",
]
IMPORT_NULL_COLUMNS = frozenset(
    [
        "company_no",
        "language_code",
        "salutation_code",
        "salesperson_code",
        "territory_code",
    ]
)


def import_file(folder: Path, count: int) -> bytes:
    """Return ``count`` generated contacts as segtui exports them, numbered apart.

    The contacts come from a sample database of their own, so the file has every
    column of an export: classifications, profile answers and audit columns.
    Their numbers start with IM in place of CT, so none exists in the base.
    """
    from segtui.domain.csv_export import export_contacts
    from segtui.domain.large_sample import load_large_sample

    path = folder / "import-source.sqlite3"
    database = open_segtui(path)
    load_large_sample(USER, count)
    exported = io.StringIO()
    export_contacts(exported)
    database.close()
    path.unlink()

    rows = list(csv.reader(io.StringIO(exported.getvalue())))
    header = rows[0]
    number_columns = [header.index("no"), header.index("company_no")]
    for row in rows[1:]:
        for index in number_columns:
            if row[index].startswith("CT"):
                row[index] = "IM" + row[index][2:]
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    return stream.getvalue().encode("utf-8")


def import_by_hand(path: Path, data: bytes) -> None:
    """Insert the file's contacts and their classification and profile rows.

    The reference reads the file with the csv module and inserts with executemany
    in one transaction: the contacts, then each link table's rows.
    """
    connection = sqlite3.connect(path)
    answers = {
        f"{questionnaire}:{code}": answer_id
        for answer_id, questionnaire, code in connection.execute(
            "SELECT id, questionnaire_code, code FROM profile_answer"
        )
    }
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    contacts = []
    links: dict[str, list[tuple[str, Any]]] = {column: [] for column in IMPORT_LINKS}
    profile_links = []
    for row in reader:
        values: list[Any] = []
        for column in IMPORT_CONTACT_COLUMNS:
            value = row[column]
            if column in ("exclude_from_segment", "privacy_blocked"):
                values.append(1 if value == "yes" else 0)
            elif column in IMPORT_NULL_COLUMNS:
                values.append(value or None)
            else:
                values.append(value)
        values += [
            row["created_at"].replace("T", " ") or now,
            row["created_by"] or USER,
            row["modified_at"].replace("T", " ") or None,
            row["modified_by"],
        ]
        contacts.append(values)
        for column in IMPORT_LINKS:
            for code in filter(None, row[column].split(";")):
                links[column].append((row["no"], code))
        for code in filter(None, row["profile_answers"].split(";")):
            profile_links.append((row["no"], answers[code]))
    columns = [*IMPORT_CONTACT_COLUMNS, "created_at", "created_by"]
    columns += ["modified_at", "modified_by"]
    marks = ", ".join("?" * len(columns))
    with connection:
        connection.executemany(
            f"INSERT INTO contact ({', '.join(columns)}, version) VALUES ({marks}, 1)",
            contacts,
        )
        for column, (table, code_column) in IMPORT_LINKS.items():
            connection.executemany(
                f"INSERT INTO {table} (contact_no, {code_column}) VALUES (?, ?)",
                links[column],
            )
        connection.executemany(
            "INSERT INTO contact_profile_answer (contact_no, answer_id) VALUES (?, ?)",
            profile_links,
        )
    connection.close()


def measure_import(base: Path, folder: Path, count: int, repeat: int) -> None:
    from segtui.domain.contact_import import import_contacts

    data = import_file(folder, count)
    ours = []
    reference = []
    for round_no in range(repeat):
        path = copy_of(base, folder, f"import-{round_no}")
        database = open_segtui(path)
        ours.append(timed(lambda: import_contacts(data, user=USER)))
        database.close()
        path.unlink()
        path = copy_of(base, folder, f"import-reference-{round_no}")
        reference.append(timed(lambda path=path: import_by_hand(path, data)))
        path.unlink()
    report("import", ours, reference)


STARTUP_OURS = """
import time
start = time.perf_counter()
import asyncio, sys
from segtui.db import open_database
open_database(sys.argv[1])
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.segments import SegmentListScreen

async def main():
    app = SegtuiApp(user="bench")
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, SegmentListScreen):
            await pilot.pause(0.005)
        await pilot.pause()
        print(time.perf_counter() - start)

asyncio.run(main())
"""

STARTUP_REFERENCE = """
import time
start = time.perf_counter()
import asyncio
from textual.app import App
from textual.widgets import DataTable, Footer, Label

class Minimal(App):
    def compose(self):
        yield Label("Segments")
        yield DataTable()
        yield Footer()

async def main():
    app = Minimal()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(time.perf_counter() - start)

asyncio.run(main())
"""


def measure_startup(base: Path, folder: Path, repeat: int) -> None:
    path = copy_of(base, folder, "startup")
    url = "sqlite:///" + str(path)

    # An installed segtui starts from cached bytecode, as Textual here does: pip
    # compiles both on install. Allow the cache and fill it with one run of each
    # first, so neither side is timed compiling its source.
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)

    def run(script: str, *arguments: str) -> float:
        result = subprocess.run(
            [sys.executable, "-c", script, *arguments],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        )
        return float(result.stdout.strip().splitlines()[-1])

    run(STARTUP_OURS, url)
    run(STARTUP_REFERENCE)
    ours = [run(STARTUP_OURS, url) for _ in range(repeat)]
    reference = [run(STARTUP_REFERENCE) for _ in range(repeat)]
    report("startup", ours, reference)


MEMORY_SCRIPT = """
import json, resource, sys
from segtui.db import open_database
open_database(sys.argv[1])
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import create_segment
lines = int(sys.argv[2])
no = create_segment("Memory", user="bench", template_code="CALL", salesperson_code="JO").no
everyone = AddOptions(ignore_exclusion=True)
add_contacts(no, {"contact": {"no": f"..CT{lines:07d}"}}, everyone, user="bench")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
log_segment(no, LogOptions(output_folder=sys.argv[3]), user="bench")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before": before, "after": after}))
"""


def measure_memory(base: Path, folder: Path, small: int, large: int) -> None:
    peaks = {}
    for lines in (small, large):
        path = copy_of(base, folder, f"memory{lines}")
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                MEMORY_SCRIPT,
                "sqlite:///" + str(path),
                str(lines),
                str(folder / f"m{lines}"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        values = json.loads(result.stdout.strip().splitlines()[-1])
        peaks[lines] = values["after"] / 1024
        path.unlink()
    growth = peaks[large] - peaks[small]
    print(
        f"memory-log peak_{small}={peaks[small]:.1f}MiB peak_{large}={peaks[large]:.1f}MiB "
        f"growth={growth:.1f}MiB"
    )


MEASURES = (
    "add-contacts",
    "refine",
    "count",
    "log",
    "letters",
    "import",
    "open-worksheet",
    "startup",
    "memory-log",
    "search",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--contacts", type=int, default=1_000_000, help="contacts in the database"
    )
    parser.add_argument(
        "--lines",
        type=int,
        default=100_000,
        help="lines of the large segment, and contacts imported from CSV",
    )
    parser.add_argument("--letters", type=int, default=1_000, help="letters to merge")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated names of the measures to run (default: all)",
    )
    arguments = parser.parse_args()
    only = {name.strip() for name in arguments.only.split(",") if name.strip()}
    unknown = only - set(MEASURES)
    if unknown:
        parser.error(
            f"--only: unknown measure {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(MEASURES)}"
        )
    if arguments.lines > arguments.contacts or arguments.letters > arguments.contacts:
        parser.error("--lines and --letters must not exceed --contacts")

    os.environ.setdefault("SEGTUI_TODAY", "2026-12-04")
    with tempfile.TemporaryDirectory(prefix="segtui-bench-") as name:
        folder = Path(name)
        started = time.perf_counter()
        base = build_database(folder, arguments.contacts)
        took = time.perf_counter() - started
        print(f"# database of {arguments.contacts:,} contacts built in {took:.1f} s")
        lines, repeat = arguments.lines, arguments.repeat
        runs = {
            "add-contacts": lambda: measure_add_contacts(base, folder, repeat),
            "refine": lambda: measure_refine(base, folder, lines, repeat),
            "count": lambda: measure_count(base, folder, repeat),
            "log": lambda: measure_log(base, folder, lines, repeat),
            "letters": lambda: measure_letters(base, folder, arguments.letters, repeat),
            "import": lambda: measure_import(base, folder, lines, repeat),
            "open-worksheet": lambda: measure_open_worksheet(
                base, folder, lines, repeat
            ),
            "startup": lambda: measure_startup(base, folder, repeat),
            "memory-log": lambda: measure_memory(
                base, folder, max(1, lines // 10), lines
            ),
            "search": lambda: measure_search(base, folder, repeat),
        }
        for name in MEASURES:
            if not only or name in only:
                runs[name]()


if __name__ == "__main__":
    main()
