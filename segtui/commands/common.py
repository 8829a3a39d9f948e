"""What every command shares: the database option, the acting user, errors and JSON.

Data goes to stdout and diagnostics to stderr. Exit codes: 0 success, 1 the operation
failed (the message gives the reason), 2 the command was used wrongly.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from segtui import paths
from segtui.domain.text import printable
from segtui.i18n import _

if TYPE_CHECKING:
    from segtui.domain.interrupts import StatementInterrupter

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# Entry and line numbers: whole numbers from 1 up to the largest the databases store.
# A larger number typed by mistake gets click's range message instead of a crash.
RECORD_NO = click.IntRange(min=1, max=2**63 - 1)


class DateParam(click.ParamType):
    """A date as the TUI reads it: ISO always, DD.MM.YYYY too when German is chosen."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        # click_messages.translate_metavar shows this as the form of the language.
        return "YYYY-MM-DD"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        from segtui.domain.dates import invalid_date_message, read_date

        if isinstance(value, date):
            return value
        day = read_date(str(value))
        if day is None:
            self.fail(invalid_date_message(str(value)), param, ctx)
        return day


DATE = DateParam()


class LabeledChoice(click.ParamType):
    """A choice among codes that takes each code's label in the interface language too.

    ``choices`` returns (code, label) pairs when called, so the labels are read in
    the language chosen at that time. Both are matched case-insensitively, and the
    value is always returned as the code, which scripts should use.
    """

    name = "choice"

    def __init__(self, choices: Callable[[], Sequence[tuple[str, str]]]) -> None:
        self.choices = choices

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "[" + "|".join(code for code, _label in self.choices()) + "]"

    def help_text(self) -> str:
        """Return the codes with their labels, such as "email = Email"."""
        pairs = ", ".join(f"{code} = {label}" for code, label in self.choices())
        return _("Codes and labels: {pairs}.").format(pairs=pairs)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        text = str(value).strip().casefold()
        for code, label in self.choices():
            if text in (code.casefold(), label.casefold()):
                return code
        choices = self.choices()
        self.fail(
            _(
                "{value!r} is not one of the codes {codes} or the labels {labels}."
            ).format(
                value=value,
                codes=", ".join(code for code, _label in choices),
                labels=", ".join(label for _code, label in choices),
            ),
            param,
            ctx,
        )

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [
            CompletionItem(code)
            for code, _label in self.choices()
            if code.startswith(incomplete)
        ]


class LabeledChoiceOption(click.Option):
    """An option of type LabeledChoice whose help ends with the codes and labels.

    The list is added when the help is shown, so that building the command does not
    import the modules that define the labels.
    """

    @property  # type: ignore[override]
    def help(self) -> str | None:
        if isinstance(self.type, LabeledChoice):
            return " ".join(filter(None, [self.own_help, self.type.help_text()]))
        return self.own_help

    @help.setter
    def help(self, value: str | None) -> None:
        self.own_help = value


def correspondence_choices() -> list[tuple[str, str]]:
    """Return the correspondence types as (code, label), "blank" for none, last."""
    from segtui.domain.templates import CORRESPONDENCE_CHOICES

    return code_choices(CORRESPONDENCE_CHOICES)


def correspondence_code(value: str) -> str:
    """Return the stored code of a correspondence type given as code or label.

    "blank" and its label become "". A value that names no type is returned
    unchanged, so that the domain rejects it with its list of choices.
    """
    text = value.strip().casefold()
    for code, label in correspondence_choices():
        if text in (code.casefold(), label.casefold()):
            return "" if code == "blank" else code
    return value


def code_choices(choices: Any) -> list[tuple[str, str]]:
    """Return a setup field's (code, label function) pairs as (code, label).

    The empty code is written "blank", as the commands take it, and put last.
    """
    pairs = [(code or "blank", label()) for code, label in choices]
    return sorted(pairs, key=lambda pair: pair[0] == "blank")


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
        self.check_user_option()

    def check_user_option(self) -> None:
        """Allow ``--user`` for another login only when the real login is an admin."""
        from segtui.domain.users import Permission, current_user, require

        login = current_user()
        if self.user_option and self.user_option != login:
            require(
                login, Permission.ADMINISTRATION, _("act as another user with --user")
            )

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

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from peewee import DatabaseError, OperationalError

        from segtui.db import DatabaseUrlError
        from segtui.domain.csv_format import problem_lines
        from segtui.domain.errors import SegtuiError, ValidationError
        from segtui.models.migrations import SchemaError

        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            click.echo(error.message, err=True)
            for line in problem_lines(error.problems):
                click.echo(f"  {line}", err=True)
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


@contextmanager
def cancel_on_interrupt(
    interrupter: StatementInterrupter | None = None,
) -> Iterator[threading.Event]:
    """Turn Ctrl+C into a cancel request, and stop ``interrupter``'s statements too.

    Outside the main thread, where Python cannot install signal handlers, Ctrl+C
    keeps its default behaviour.
    """
    cancel = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return

    def interrupted(_signal_number: int, _frame: Any) -> None:
        cancel.set()
        if interrupter is not None:
            interrupter.stop()

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


# Seconds between two checks of the main thread for a Ctrl+C while a job runs. A
# signal that the kernel delivers to the job's thread wakes no waiting main thread,
# so the main thread checks again this often.
SIGNAL_CHECK_INTERVAL = 0.1


def run_interruptible(
    work: Callable[[threading.Event], T], *, name: str, canceled_message: str
) -> T:
    """Run ``work`` in a thread of its own, so that Ctrl+C stops it at once.

    Python runs signal handlers in the main thread between two bytecodes, so a
    SQLite statement running in the main thread would run to its end before the
    Ctrl+C handler runs. Here the main thread only waits. On Ctrl+C it sets the
    cancel event that ``work`` gets and interrupts the running statement until
    ``work`` ends.

    ``work`` must write in one transaction, which the interrupted statement rolls
    back. After a cancel, an error of ``work`` other than a SegtuiError, such as
    the driver's error of the interrupted statement, becomes CanceledError with
    ``canceled_message``, which handle_errors shows. A SegtuiError, such as
    ImportCanceledError, is raised as it is. When ``work`` ends before the
    interrupt reaches it, a note on stderr reports that and its result is returned.
    """
    from segtui.db import current_database
    from segtui.domain.errors import SegtuiError
    from segtui.domain.interrupts import CanceledError, StatementInterrupter

    interrupter = StatementInterrupter(name)
    results: list[T] = []
    errors: list[BaseException] = []

    with cancel_on_interrupt(interrupter) as cancel:

        def job() -> None:
            try:
                with current_database().connection_context(), interrupter.running():
                    results.append(work(cancel))
            except BaseException as error:  # noqa: BLE001 - raised in the main thread
                errors.append(error)

        thread = threading.Thread(target=job, name=f"segtui-{name}")
        thread.start()
        while thread.is_alive():
            thread.join(SIGNAL_CHECK_INTERVAL)

    if errors:
        error = errors[0]
        if (
            cancel.is_set()
            and isinstance(error, Exception)
            and not isinstance(error, SegtuiError)
        ):
            raise CanceledError(canceled_message) from error
        raise error
    if cancel.is_set():
        click.echo(
            _(
                "Ctrl+C came too late to cancel, because the command had already "
                "finished."
            ),
            err=True,
        )
    return results[0]


def run_segment_action(segment_no: str, action: str, work: Callable[[], T]) -> T:
    """Run ``work``, which changes segment ``segment_no``, so that Ctrl+C cancels it.

    ``action`` is the name of the action in the message after a cancel, such as
    Add Contacts. See run_interruptible.
    """
    return run_interruptible(
        lambda _cancel: work(),
        name="criteria action",
        canceled_message=_(
            "Ctrl+C canceled {action}. Segment {no} was not changed."
        ).format(action=action, no=segment_no),
    )


@contextmanager
def output_path(path: Path, *, folder: bool = False) -> Iterator[Path]:
    """Check a path that a command writes to, then yield it with ``~`` expanded.

    ``path`` is a file to write, or with ``folder`` a folder to write files into.
    Every command that writes a file uses this, so all of them handle paths alike.
    The missing folders of a file are created here, and those of a folder by the
    code that writes into it. Either way, stderr names the new folder once the
    command succeeds. When the command fails, the new folders are removed if they
    are empty, and an OSError becomes an InvalidValueError that names the path.

    Raises InvalidValueError, naming the path and what to do, for a file path that
    is a folder and for a folder that cannot be created or written.
    """
    from segtui.domain.errors import InvalidValueError
    from segtui.domain.user_files import folder_write_problem

    path = Path(path).expanduser()
    if not folder and path.is_dir():
        raise InvalidValueError(
            _("{path} is a folder; give the path of a file to write in it.").format(
                path=path
            )
        )
    target_folder = path if folder else path.parent
    problem = folder_write_problem(target_folder)
    if problem:
        raise InvalidValueError(problem)
    missing = missing_folders(target_folder)
    try:
        if not folder:
            target_folder.mkdir(parents=True, exist_ok=True)
        yield path
    except OSError as error:
        remove_empty_folders(missing)
        raise InvalidValueError(
            _("Writing {path} failed: {error}.").format(
                path=path, error=error.strerror or error
            )
        ) from None
    except BaseException:
        remove_empty_folders(missing)
        raise
    if missing and target_folder.is_dir():
        click.echo(
            _("Created the folder {folder}.").format(folder=target_folder), err=True
        )


def missing_folders(folder: Path) -> list[Path]:
    """Return the folders that do not exist on the way to ``folder``, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def remove_empty_folders(folders: list[Path]) -> None:
    """Remove the folders a failed command created, innermost first, if empty."""
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            return


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


# Text output shows values as the TUI does, in the user interface language: 05.03.2026
# and 1.234,50 in German, labels instead of stored codes. JSON keeps ISO dates, plain
# numbers and the codes, so scripts read the same in every language.


def shown(value: Any) -> str:
    """Return a value as the TUI shows it: a date, an amount, yes or no, or text.

    Whole numbers are shown as they are, because most are entry or line numbers;
    counts go through format_count.
    """
    from segtui.ui.text import display

    return display(value)


def correspondence_text(code: str) -> str:
    """Return a correspondence type as the TUI names it: Hard Copy, Email or ''."""
    from segtui.ui.text import correspondence_label

    return correspondence_label(code)


def choice_text(choices: Any, code: str) -> str:
    """Return the label of ``code`` among a setup field's (code, label) choices."""
    labels = {value: label for value, label in choices}
    return labels[code]() if code in labels else code


def setup_value_text(table: Any, name: str, value: Any) -> str:
    """Return the value of a setup table's field ``name`` as the TUI shows it."""
    for spec in table.fields:
        if spec.name == name and spec.kind == "choice":
            return choice_text(spec.choices, value or "")
    return shown(value)


def contact_type_text(code: str) -> str:
    from segtui.models import ContactType

    labels = {ContactType.COMPANY: _("Company"), ContactType.PERSON: _("Person")}
    return labels.get(code, code)


def echo_fields(fields: list[tuple[str, Any]]) -> None:
    """Print one "label  value" line a field, the values in one column."""
    width = max((len(label) for label, _value in fields), default=0)
    for label, value in fields:
        click.echo(printable(f"{label:<{width}}  {shown(value)}").rstrip())


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
