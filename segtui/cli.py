"""The command line: ``segtui`` opens the TUI, its subcommands do the same work headless.

Data goes to stdout and diagnostics to stderr. Exit codes: 0 success, 1 the operation
failed (the message gives the reason), 2 the command was used wrongly.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from segtui import paths
from segtui.click_messages import translate_click
from segtui.commands.common import Context, handle_errors, output_path, sqlite_path
from segtui.i18n import _, format_count

# PRAGMA application_id of a demo database, so `segtui demo` only ever replaces one.
DEMO_APPLICATION_ID = 0x53454744


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module when the command is used.

    ``lazy_commands`` maps a command name to ``module:attribute``. Help and
    completion list every name, and listing their help texts imports all modules.
    """

    def __init__(
        self, *args: Any, lazy_commands: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, attribute = self.lazy_commands[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


# The command groups in modules of their own, imported when used, so that `segtui`
# opens the TUI without loading the code of every headless command.
LAZY_COMMANDS = {
    "segment": "segtui.commands.segments:segment",
    "logged": "segtui.commands.logged:logged",
    "criteria": "segtui.commands.criteria:criteria",
    "contacts": "segtui.commands.contacts:contacts",
    "user": "segtui.commands.admin:user",
    "db": "segtui.commands.admin:db",
    "template": "segtui.commands.templates:template",
    "setup": "segtui.commands.setup:setup",
    "interactions": "segtui.commands.interactions:interactions",
    "campaign": "segtui.commands.interactions:campaign",
    "codes": "segtui.commands.interactions:codes",
    "import": "segtui.commands.transfer:import_group",
    "export": "segtui.commands.transfer:export_group",
    "serve": "segtui.commands.serve:serve",
}


@click.group(
    cls=LazyGroup,
    lazy_commands=LAZY_COMMANDS,
    invoke_without_command=True,
    help=_(
        "Segments, interactions and merged Word letters in the terminal.\n"
        "\n"
        "Without a command, segtui opens the TUI on the configured database."
    ),
)
@click.option(
    "--db",
    "database",
    metavar="PATH|URL",
    help=_(
        "Database file or URL (sqlite:///PATH, postgresql://USER@HOST/NAME). "
        "Overrides SEGTUI_DATABASE."
    ),
)
@click.option(
    "--user", "user", metavar="LOGIN", help=_("Act as this user (for scripts).")
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(["en", "de"], case_sensitive=False),
    help=_("User interface language."),
)
@click.version_option(package_name="segtui")
@click.pass_context
def cli(
    click_context: click.Context,
    database: str | None,
    user: str | None,
    language: str | None,
) -> None:
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


@cli.command(
    help=_("Create a fresh demo database with sample data and open the TUI on it.")
)
@click.option(
    "--db", "database", metavar="PATH", help=_("Where to create the demo database.")
)
@click.pass_obj
@handle_errors
def demo(context: Context, database: str | None) -> None:
    target = Path(database or context.database_option or paths.demo_database_path())
    if "://" in str(target):
        create_demo_database(target, context.user)
    else:
        with output_path(target) as checked:
            create_demo_database(checked, context.user)
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


@cli.command(help=_("Create the database, optionally with the sample data."))
@click.option(
    "--sample", is_flag=True, help=_("Load the sample contacts, templates and letters.")
)
@click.option(
    "--contacts",
    type=click.IntRange(min=1),
    metavar="N",
    help=_(
        "With --sample: generate N contacts with classifications and history "
        "instead of the 2,000 shipped ones, for tests at scale."
    ),
)
@click.pass_obj
@handle_errors
def init(context: Context, sample: bool, contacts: int | None) -> None:
    from segtui.domain.errors import InvalidValueError
    from segtui.models import Contact

    path = sqlite_path(context.url)
    if path is None:
        context.open(create=True)
    else:
        # A new database file is an output file: its folder is checked and created.
        with output_path(path):
            context.open(create=True)
    if sample:
        if Contact.select().exists():
            raise InvalidValueError(
                _(
                    "The database {url} already has contacts; "
                    "load the sample data into a new database."
                ).format(url=context.url)
            )
        if contacts is not None:
            from segtui.domain.large_sample import load_large_sample

            def progress(done: int, total: int) -> None:
                text = _("{done} / {total} contacts").format(
                    done=format_count(done), total=format_count(total)
                )
                click.echo("\r" + text, err=True, nl=False)

            made = load_large_sample(context.user, contacts, progress=progress)
            click.echo(
                _("\n{count} contacts generated.").format(count=format_count(made)),
                err=True,
            )
        else:
            from segtui.domain.sample_data import load_sample_data

            load_sample_data(context.user)
    elif contacts is not None:
        raise click.UsageError(_("--contacts works with --sample only."))
    click.echo(_("Database ready: {url}").format(url=context.url), err=True)


@cli.command(
    help=_(
        "List every key binding id with the keys in effect after the keymap file, "
        "and warn about its problems."
    )
)
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
def keys(as_json: bool) -> None:
    from segtui.commands.common import print_json
    from segtui.ui.catalog import binding_catalog
    from segtui.ui.focus_clashes import find_listed_focus_clashes
    from segtui.ui.key_names import help_key_name
    from segtui.ui.keymap import (
        describe_conflict,
        keys_in_effect,
        load_keymap,
        lost_keys,
    )

    path = paths.keymap_path()
    keymap = load_keymap(path)
    problems = list(keymap.problems)
    # Keys a focused widget takes; the TUI warns about them in the same words
    # when a screen opens. --json lists them under the action that loses the key.
    focus_warnings: dict[str, list[str]] = {}
    for conflict in find_listed_focus_clashes(keymap.keys):
        warning = describe_conflict(path, conflict)
        focus_warnings.setdefault(conflict.loser, []).append(warning)
        problems.append(warning)
    for problem in problems:
        click.echo(_("Warning: {problem}").format(problem=problem), err=True)
    in_effect = keys_in_effect(keymap.keys)
    taken_keys = lost_keys(keymap.conflicts)
    entries = binding_catalog()
    if as_json:
        print_json(
            [
                {
                    "id": e.id,
                    "keys": ",".join(in_effect.get(e.id, [])),
                    "default_keys": e.keys,
                    "remapped": e.id in keymap.keys,
                    "taken_keys": taken_keys.get(e.id, []),
                    "focus_warnings": focus_warnings.get(e.id, []),
                    "description": e.description,
                }
                for e in entries
            ]
        )
        return
    click.echo(
        _(
            "Give an action other keys in {path}, under [keys], written as keymap "
            'names such as "ctrl+n,f7" (--json lists them so). * marks keys set '
            "there, ! an action that lost a key to an entry there or to a focused "
            "table or field (see the warning)."
        ).format(path=path),
        err=True,
    )
    width = max(len(entry.id) for entry in entries)
    for entry in entries:
        keys_text = ",".join(map(help_key_name, in_effect.get(entry.id, []))) or "-"
        remapped_mark = "*" if entry.id in keymap.keys else " "
        lost = entry.id in taken_keys or entry.id in focus_warnings
        lost_mark = "!" if lost else " "
        mark = remapped_mark + lost_mark
        click.echo(f"{entry.id:<{width}}  {mark} {keys_text:<22}  {entry.description}")


def main() -> None:
    # Text output on a terminal that is not UTF-8 shows escapes instead of failing.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    translate_click()
    cli(prog_name="segtui")
