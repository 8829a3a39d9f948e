"""The command line: ``segtui`` opens the TUI, its subcommands do the same work headless.

Data goes to stdout and diagnostics to stderr. Exit codes: 0 success, 1 the operation
failed (the message gives the reason), 2 the command was used wrongly.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from segtui import paths
from segtui.domain.text import printable
from segtui.i18n import _

F = TypeVar("F", bound=Callable[..., Any])

# PRAGMA application_id of a demo database, so `segtui demo` only ever replaces one.
DEMO_APPLICATION_ID = 0x53454744


class Context:
    def __init__(self, database: str | None, user: str | None) -> None:
        self.database_option = database
        self.user_option = user

    @property
    def url(self) -> str:
        return paths.resolve_database_url(self.database_option)

    def open(self, create: bool = False) -> None:
        """Open the database; only ``init``, ``demo`` and the default file create one.

        A mistyped ``--db`` path would otherwise become a new, empty database.
        """
        from segtui.db import open_database
        from segtui.domain.errors import NotFoundError

        explicit = self.database_option or os.environ.get(paths.DATABASE_ENV)
        path = sqlite_path(self.url)
        if path is not None and explicit and not create and not path.exists():
            raise NotFoundError(
                _(
                    "Database {path} does not exist; create it with "
                    "`segtui --db {path} init` (add --sample for the demo data)."
                ).format(path=path)
            )
        open_database(self.url)

    @property
    def user(self) -> str:
        from segtui.domain.users import current_user

        return self.user_option or current_user()


def sqlite_path(url: str) -> Path | None:
    """Return the file of a ``sqlite:///`` URL, None for other databases."""
    prefix = "sqlite:///"
    return Path(url[len(prefix) :]) if url.startswith(prefix) else None


def handle_errors(function: F) -> F:
    """Turn segtui's errors into a message on stderr and exit code 1."""
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from peewee import DatabaseError, OperationalError

        from segtui.db import DatabaseUrlError
        from segtui.domain.errors import SegtuiError, ValidationError
        from segtui.models.migrations import SchemaError

        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            click.echo(error.message, err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(1)
        except (SegtuiError, DatabaseUrlError, SchemaError) as error:
            click.echo(str(error), err=True)
            sys.exit(1)
        except (OperationalError, DatabaseError) as error:
            click.echo(
                _(
                    "Database error: {error}. Check that --db names a segtui database."
                ).format(error=error),
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def print_json(data: Any) -> None:
    """Write JSON as UTF-8 whatever the locale's encoding, so it always parses."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=json_default)
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()


pass_context = click.make_pass_decorator(Context)


@click.group(invoke_without_command=True)
@click.option(
    "--db",
    "database",
    metavar="PATH|URL",
    help="Database file or URL (sqlite:///PATH, postgresql://USER@HOST/NAME). "
    "Overrides SEGTUI_DATABASE.",
)
@click.option("--user", "user", metavar="LOGIN", help="Act as this user (for scripts).")
@click.option(
    "--lang",
    "language",
    type=click.Choice(["en", "de"], case_sensitive=False),
    help="User interface language.",
)
@click.version_option(package_name="segtui")
@click.pass_context
def cli(
    click_context: click.Context,
    database: str | None,
    user: str | None,
    language: str | None,
) -> None:
    """Segments, interactions and merged Word letters in the terminal.

    Without a command, segtui opens the TUI on the configured database.
    """
    if language:
        from segtui.i18n import set_language

        set_language(language)
    click_context.obj = Context(database, user)
    if click_context.invoked_subcommand is None:
        run_tui(click_context.obj)


def terminal_encoding() -> str:
    """Return the terminal's character encoding as the locale variables name it.

    Under the C or POSIX locale, or a locale the system lacks, Python turns on its
    UTF-8 mode by itself and sets LC_CTYPE=C.UTF-8 (PEP 538 and PEP 540), so
    sys.stdout reports UTF-8 whatever the terminal shows. The variables the user set
    tell the truth, so they are read by name, passing over that LC_CTYPE.
    """
    coerced = bool(sys.flags.utf8_mode) and os.environ.get("PYTHONUTF8") != "1"
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(name, "")
        if not value or (coerced and name == "LC_CTYPE" and value == "C.UTF-8"):
            continue
        if value in ("C", "POSIX"):
            return "ASCII"
        if "." in value:
            return value.split(".", 1)[1].split("@", 1)[0]
        # A locale name without a character set, such as de_DE, is ISO-8859-1.
        return "ISO-8859-1"
    return "ASCII" if coerced else (sys.stdout.encoding or "UTF-8")


def run_tui(context: Context) -> None:
    """Open the TUI; refuse a terminal whose encoding is not UTF-8."""
    encoding = terminal_encoding()
    if encoding.lower().replace("-", "") != "utf8":
        click.echo(
            _(
                "The terminal encoding is {encoding}, not UTF-8, so segtui cannot draw "
                "its screens; set LANG to a UTF-8 locale such as en_US.UTF-8 or "
                "de_DE.UTF-8 and start it again."
            ).format(encoding=encoding),
            err=True,
        )
        sys.exit(1)

    @handle_errors
    def start() -> None:
        from segtui.logs import configure_logging

        log_path = configure_logging()
        context.open()
        from segtui.ui.app import SegtuiApp

        app = SegtuiApp(user=context.user, database_url=context.url, log_path=log_path)
        app.run()
        if app.return_code:
            sys.exit(app.return_code)

    start()


@cli.command()
@click.option(
    "--db", "database", metavar="PATH", help="Where to create the demo database."
)
@click.pass_obj
@handle_errors
def demo(context: Context, database: str | None) -> None:
    """Create a fresh demo database with sample data and open the TUI on it."""
    target = Path(database or context.database_option or paths.demo_database_path())
    create_demo_database(target, context.user)
    context.database_option = str(target)
    run_tui(context)


def create_demo_database(target: Path, user: str) -> None:
    """Replace the demo database at ``target`` with a new one holding the sample data."""
    import sqlite3

    from segtui.db import current_database, open_database
    from segtui.domain.errors import InvalidValueError
    from segtui.domain.sample_data import load_sample_data

    if "://" in str(target):
        raise InvalidValueError(
            _("segtui demo makes a SQLite file; give --db a file path.")
        )
    target = target.expanduser().resolve()
    if target.exists():
        with sqlite3.connect(target) as connection:
            try:
                application_id = connection.execute("PRAGMA application_id").fetchone()[
                    0
                ]
            except sqlite3.DatabaseError:
                application_id = None
        if application_id != DEMO_APPLICATION_ID:
            raise InvalidValueError(
                _(
                    "{path} exists and is not a segtui demo database, so segtui demo "
                    "will not replace it; give --db a new file path."
                ).format(path=target)
            )
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
    click.echo(_("Creating the demo database {path} ...").format(path=target), err=True)
    open_database(paths.to_database_url(str(target)))
    current_database().execute_sql(f"PRAGMA application_id = {DEMO_APPLICATION_ID}")
    load_sample_data(user)


@cli.command()
@click.option(
    "--sample", is_flag=True, help="Load the sample contacts, templates and letters."
)
@click.pass_obj
@handle_errors
def init(context: Context, sample: bool) -> None:
    """Create the database, optionally with the sample data."""
    from segtui.domain.errors import InvalidValueError
    from segtui.models import Contact

    context.open(create=True)
    if sample:
        if Contact.select().exists():
            raise InvalidValueError(
                _(
                    "The database {url} already has contacts; "
                    "load the sample data into a new database."
                ).format(url=context.url)
            )
        from segtui.domain.sample_data import load_sample_data

        load_sample_data(context.user)
    click.echo(_("Database ready: {url}").format(url=context.url), err=True)


# Segments.


@cli.group()
def segment() -> None:
    """Create, fill, show and log segments."""


@segment.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
@handle_errors
def segment_list(context: Context, as_json: bool) -> None:
    """List the unlogged segments."""
    from segtui.domain.segmentation import list_segments

    context.open()
    segments = list_segments()
    if as_json:
        print_json(
            [
                {
                    "no": s.no,
                    "description": s.description,
                    "date": s.date,
                    "salesperson": s.salesperson_code,
                    "template": s.template_code,
                    "lines": s.lines,
                }
                for s in segments
            ]
        )
        return
    if not segments:
        click.echo(_("No unlogged segments."), err=True)
        return
    for s in segments:
        day = s.date.isoformat() if s.date else ""
        click.echo(
            printable(
                f"{s.no:<10} {day:<10} {s.salesperson_code:<6} {s.lines:>7}  {s.description}"
            )
        )


@segment.command("new")
@click.option("--description", required=True, help="What the segment is for.")
@click.option(
    "--template", "template", metavar="CODE", help="Interaction template code."
)
@click.option("--salesperson", metavar="CODE", help="Salesperson code.")
@click.pass_obj
@handle_errors
def segment_new(
    context: Context, description: str, template: str | None, salesperson: str | None
) -> None:
    """Create a segment and print its number alone on stdout."""
    from segtui.domain.segmentation import create_segment

    context.open()
    created = create_segment(
        description,
        user=context.user,
        template_code=template,
        salesperson_code=salesperson,
    )
    click.echo(created.no)


@segment.command("set")
@click.argument("segment_no", metavar="SEG")
@click.option("--description", help="What the segment is for.")
@click.option(
    "--template", "template", metavar="CODE", help="Interaction template code."
)
@click.option("--salesperson", metavar="CODE", help="Salesperson code; '' for none.")
@click.option(
    "--date", "segment_date", metavar="YYYY-MM-DD", help="The interaction date."
)
@click.option("--subject", help="The subject of the letters.")
@click.option(
    "--correspondence-type",
    type=click.Choice(["hard_copy", "email", "blank"]),
    help="Override the contacts' correspondence type (with --ignore-contact-type).",
)
@click.option(
    "--ignore-contact-type/--use-contact-type",
    default=None,
    help="Whether the header's correspondence type overrides each contact's.",
)
@click.option("--unit-cost", metavar="AMOUNT", help="Cost of one interaction.")
@click.option("--unit-duration", metavar="MINUTES", help="Duration of one interaction.")
@click.option(
    "--keep-lines",
    is_flag=True,
    help="Change the header only; by default the lines take the new values too.",
)
@click.pass_obj
@handle_errors
def segment_set(
    context: Context,
    segment_no: str,
    description: str | None,
    template: str | None,
    salesperson: str | None,
    segment_date: str | None,
    subject: str | None,
    correspondence_type: str | None,
    ignore_contact_type: bool | None,
    unit_cost: str | None,
    unit_duration: str | None,
    keep_lines: bool,
) -> None:
    """Change a segment's header; its lines follow unless --keep-lines is given."""
    from segtui.domain.errors import InvalidValueError
    from segtui.domain.segmentation import update_header

    changes: dict[str, Any] = {}
    if description is not None:
        changes["description"] = description
    if template is not None:
        changes["interaction_template"] = template or None
    if salesperson is not None:
        changes["salesperson"] = salesperson or None
    if segment_date is not None:
        try:
            changes["date"] = date.fromisoformat(segment_date) if segment_date else None
        except ValueError:
            raise InvalidValueError(
                _("Date {value!r} is not a date; write it as YYYY-MM-DD.").format(
                    value=segment_date
                )
            ) from None
    if subject is not None:
        changes["subject"] = subject
    if correspondence_type is not None:
        changes["correspondence_type"] = (
            "" if correspondence_type == "blank" else correspondence_type
        )
    if ignore_contact_type is not None:
        changes["ignore_contact_corresp_type"] = ignore_contact_type
    if unit_cost is not None:
        changes["unit_cost"] = unit_cost
    if unit_duration is not None:
        changes["unit_duration"] = unit_duration
    if not changes:
        raise click.UsageError(
            _("Name at least one field to change, such as --template.")
        )

    context.open()
    update_header(segment_no, changes, user=context.user, update_lines=not keep_lines)
    click.echo(_("Segment {no} changed.").format(no=segment_no), err=True)


def add_option_flags(function: F) -> F:
    for flag, text in reversed(
        [
            ("--allow-existing", "Add contacts that already have a line."),
            (
                "--expand-companies",
                "A matching contact brings its company and all its persons.",
            ),
            ("--allow-related-companies", "A matching person brings its company."),
            ("--ignore-exclusion", "Include contacts marked exclude from segment."),
        ]
    ):
        function = click.option(flag, is_flag=True, help=text)(function)
    return function


@segment.command("add")
@click.argument("segment_no", metavar="SEG")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=EXPR",
    help="A filter such as country=DE|AT or mailing-group=NEWS; repeat for more.",
)
@add_option_flags
@click.pass_obj
@handle_errors
def segment_add(
    context: Context,
    segment_no: str,
    filters: tuple[str, ...],
    allow_existing: bool,
    expand_companies: bool,
    allow_related_companies: bool,
    ignore_exclusion: bool,
) -> None:
    """Add Contacts: insert a line for every contact the filters select."""
    from segtui.domain.criteria import AddOptions, filters_from_pairs
    from segtui.domain.segment_actions import add_contacts, added_message

    context.open()
    options = AddOptions(
        allow_existing, expand_companies, allow_related_companies, ignore_exclusion
    )
    result = add_contacts(
        segment_no, filters_from_pairs(filters), options, user=context.user
    )
    click.echo(added_message(result.inserted), err=True)
    if result.inserted == 0:
        click.echo(
            _(
                "No contact was added: none matched, or those that matched are already "
                "on the segment, excluded from segments or privacy blocked."
            ),
            err=True,
        )


@segment.command("show")
@click.argument("segment_no", metavar="SEG")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_obj
@handle_errors
def segment_show(context: Context, segment_no: str, as_json: bool) -> None:
    """Show a segment's header and lines."""
    from segtui.domain.segmentation import get_segment, segment_lines

    context.open()
    header = get_segment(segment_no)
    lines = segment_lines(segment_no)
    header_data = {
        "no": header.no,
        "description": header.description,
        "date": header.date,
        "salesperson": header.salesperson_code or "",
        "template": header.interaction_template_code or "",
        "language": header.language_code or "",
        "subject": header.subject,
        "correspondence_type": header.correspondence_type,
        "unit_cost": header.unit_cost,
        "unit_duration": header.unit_duration,
        "information_flow": header.information_flow,
        "initiated_by": header.initiated_by,
        "lines": len(lines),
    }
    line_data = [
        {
            "line_no": line.line_no,
            "contact_no": line.contact_no,
            "contact_name": line.contact_name,
            "company_name": line.company_name,
            "correspondence_type": line.correspondence_type,
            "language": line.language_code,
            "salesperson": line.salesperson_code,
            "template": line.template_code,
            "description": line.description,
        }
        for line in lines
    ]
    if as_json:
        print_json({"header": header_data, "lines": line_data})
        return
    for key, value in header_data.items():
        click.echo(f"{key:<20} {value if value is not None else ''}")
    click.echo("")
    for line in lines:
        click.echo(
            f"{line.line_no:>8}  {line.contact_no:<10} {line.contact_name:<30} "
            f"{line.correspondence_type:<10} {line.language_code}"
        )


@segment.command("log")
@click.argument("segment_no", metavar="SEG")
@click.option(
    "--deliver",
    is_flag=True,
    help="Send email lines and mark hard copies as delivered.",
)
@click.option(
    "--follow-up",
    is_flag=True,
    help="Create a follow-up segment with the same contacts.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the letters (default: the letters folder of the data directory).",
)
@click.pass_obj
@handle_errors
def segment_log(
    context: Context,
    segment_no: str,
    deliver: bool,
    follow_up: bool,
    output: Path | None,
) -> None:
    """Log a segment: entries, a logged segment, letters, and optionally a follow-up."""
    from segtui.domain.segment_logging import LogOptions, log_segment

    context.open()
    result = log_segment(
        segment_no,
        LogOptions(deliver=deliver, follow_up=follow_up, output_folder=output),
        user=context.user,
    )
    click.echo(
        _("Logged segment {entry}: {count} interactions.").format(
            entry=result.logged_segment_no, count=result.entries
        ),
        err=True,
    )
    if result.follow_up_segment_no:
        click.echo(
            _("Follow-up segment {no}.").format(no=result.follow_up_segment_no),
            err=True,
        )
    finish_delivery(result.delivery, result.output_folder, result.logged_segment_no)
    click.echo(str(result.logged_segment_no))
    if not delivery_succeeded(result.delivery):
        sys.exit(1)


def finish_delivery(report: Any, folder: Path, logged_no: int) -> None:
    """Print what a delivery did, with the failed entries and how to retry them."""
    from segtui.domain.delivery import describe_report

    for line in describe_report(report, folder):
        click.echo(printable(line), err=True)
    for entry_no, error in report.failed:
        click.echo(
            printable(
                _("Entry {entry} failed: {error}").format(entry=entry_no, error=error)
            ),
            err=True,
        )
    if not delivery_succeeded(report):
        click.echo(
            _("Write and send them again with `segtui logged resend {no}`.").format(
                no=logged_no
            ),
            err=True,
        )


def delivery_succeeded(report: Any) -> bool:
    return not (
        report.failed or report.print_failures or report.error or report.canceled
    )


# Logged segments.


@cli.group()
def logged() -> None:
    """Logged segments and their interaction log entries."""


def logged_segment_data(summary: Any) -> dict[str, Any]:
    return {
        "entry_no": summary.entry_no,
        "segment_no": summary.segment_no,
        "description": summary.description,
        "created_at": summary.created_at,
        "user": summary.user_id,
        "interactions": summary.interactions,
        "canceled": summary.canceled,
    }


@logged.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
@handle_errors
def logged_list(context: Context, as_json: bool) -> None:
    """List the logged segments, newest first."""
    from segtui.domain.logged_segments import list_logged_segments

    context.open()
    summaries = list_logged_segments()
    if as_json:
        print_json([logged_segment_data(s) for s in summaries])
        return
    for s in summaries:
        canceled = _("canceled") if s.canceled else ""
        click.echo(
            f"{s.entry_no:>6}  {s.segment_no:<10} {s.created_at:%Y-%m-%d %H:%M}  "
            f"{s.interactions:>6}  {s.description}  {canceled}".rstrip()
        )


@logged.command("show")
@click.argument("entry_no", type=int, metavar="ENTRY_NO")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_obj
@handle_errors
def logged_show(context: Context, entry_no: int, as_json: bool) -> None:
    """Show a logged segment and its interaction log entries."""
    from segtui.domain.logged_segments import get_logged_segment, logged_entries

    context.open()
    summary = get_logged_segment(entry_no)
    entries = [
        {
            "entry_no": e.entry_no,
            "contact_no": e.contact_no,
            "contact_name": e.contact_name,
            "company_name": e.contact_company_name,
            "date": e.date,
            "template": e.template_code,
            "language": e.language_code,
            "correspondence_type": e.correspondence_type,
            "subject": e.subject,
            "delivery_status": e.delivery_status,
            "delivery_error": e.delivery_error,
            "document_path": e.document_path,
            "canceled": bool(e.canceled),
        }
        for e in logged_entries(entry_no)
    ]
    if as_json:
        print_json({**logged_segment_data(summary), "entries": entries})
        return
    for key, value in logged_segment_data(summary).items():
        click.echo(f"{key:<14} {value}")
    click.echo("")
    for e in entries:
        click.echo(
            f"{e['entry_no']:>7}  {e['contact_no']:<10} {e['contact_name']:<30} "
            f"{e['delivery_status']:<14} {e['document_path']}"
        )


@logged.command("follow-up")
@click.argument("entry_no", type=int, metavar="ENTRY_NO")
@click.pass_obj
@handle_errors
def logged_follow_up(context: Context, entry_no: int) -> None:
    """Create a follow-up segment with the contacts of a logged segment."""
    from segtui.domain.logged_segments import create_follow_up_segment

    context.open()
    click.echo(create_follow_up_segment(entry_no, user=context.user).no)


@logged.command("resend")
@click.argument("entry_no", type=int, metavar="ENTRY_NO")
@click.option(
    "--failed-only", is_flag=True, help="Only the entries whose delivery failed."
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the letters (default: the folder of the segment's other letters).",
)
@click.pass_obj
@handle_errors
def logged_resend(
    context: Context, entry_no: int, failed_only: bool, output: Path | None
) -> None:
    """Write and deliver again the letters that failed or were never written."""
    from segtui.domain.delivery import (
        count_to_resend,
        letters_folder,
        resend_logged_segment,
    )
    from segtui.domain.logged_segments import get_logged_segment

    context.open()
    get_logged_segment(entry_no)
    if count_to_resend(entry_no, failed_only) == 0:
        click.echo(
            _("Nothing to send again: every letter was written and delivered."),
            err=True,
        )
        return
    folder = output or letters_folder(entry_no)
    report = resend_logged_segment(entry_no, failed_only=failed_only, folder=folder)
    finish_delivery(report, folder, entry_no)
    if not delivery_succeeded(report):
        sys.exit(1)


def main() -> None:
    # Text output on a terminal that is not UTF-8 shows escapes instead of failing.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    cli(prog_name="segtui")
