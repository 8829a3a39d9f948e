"""What every command shares: the database option, the acting user, errors and JSON.

Data goes to stdout and diagnostics to stderr. Exit codes: 0 success, 1 the operation
failed (the message gives the reason), 2 the command was used wrongly.
"""

from __future__ import annotations

import functools
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
