"""`segtui import ...` and `segtui export ...`: contacts and history as CSV files."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from segtui.commands.common import (
    Context,
    handle_errors,
    output_path,
    run_interruptible,
)
from segtui.i18n import _, format_count, ngettext


@click.group("import", help=_("Import data from CSV files."))
def import_group() -> None:
    pass


@import_group.command(
    "contacts",
    help=_(
        "Import contacts and their classifications from a CSV file, all rows or none.\n"
        "\n"
        "The first row names the columns (those of `segtui export contacts`), in any\n"
        "order and case. Cells are separated by comma, semicolon or tab. The file is\n"
        "UTF-8, with or without the byte order mark Excel writes. Every problem is\n"
        'listed as "line N, column C: problem", and then nothing is imported.'
    ),
)
@click.argument(
    "path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.csv"
)
@click.option(
    "--update",
    is_flag=True,
    help=_("Update contacts whose number exists; without it such a row is an error."),
)
@click.option(
    "--dry-run", is_flag=True, help=_("Check the whole file and report; write nothing.")
)
@click.pass_obj
@handle_errors
def import_contacts_command(
    context: Context, path: Path, update: bool, dry_run: bool
) -> None:
    from segtui.domain.contact_import import import_contacts
    from segtui.domain.errors import NotFoundError

    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(
            _("File {path} does not exist; give the path of a CSV file.").format(
                path=path
            )
        ) from None
    context.open()
    progress = progress_printer(str(path))
    try:
        result = run_interruptible(
            lambda cancel: import_contacts(
                data,
                user=context.user,
                update=update,
                dry_run=dry_run,
                source=str(path),
                progress=progress,
                cancel=cancel,
            ),
            name="import",
            canceled_message=_(
                "Import of {source} canceled; nothing was written. Run the "
                "import again to import the file."
            ).format(source=path),
        )
    finally:
        if sys.stderr.isatty():
            click.echo("", err=True)
    click.echo(result.message(), err=True)


def progress_printer(source: str) -> Callable[[int, int], None] | None:
    """Return a function that shows the import's progress on stderr, if a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        text = _("Importing {source}: {percent}% (Ctrl+C cancels)").format(
            source=source, percent=percent
        )
        click.echo("\r" + text, err=True, nl=False)

    return show


@click.group(
    "export",
    help=_("Export data to CSV files (UTF-8, ISO dates, a fixed column order)."),
)
def export_group() -> None:
    pass


OUTPUT_HELP = _("File to write, or - for stdout (the default).")


@contextmanager
def open_output(output: str, bom: bool) -> Iterator[TextIO]:
    """Open the output as UTF-8 text: a file written whole or not at all, or stdout.

    The rows go to FILE.part first, which replaces FILE only once every row is
    written, so a failed export leaves no partial file and keeps an older FILE.
    """
    if output == "-":
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            if bom:
                stream.write("\ufeff")
            yield stream
        finally:
            stream.flush()
            stream.detach()
        return
    with output_path(Path(output)) as path:
        temporary = path.with_name(path.name + ".part")
        try:
            with temporary.open(
                "w", encoding="utf-8-sig" if bom else "utf-8", newline=""
            ) as stream:
                yield stream
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def export_to(output: str, bom: bool, write: Callable[[TextIO], int]) -> None:
    with open_output(output, bom) as stream:
        count = write(stream)
    if output != "-":
        click.echo(
            ngettext(
                "{count} row written to {path}.",
                "{count} rows written to {path}.",
                count,
            ).format(count=format_count(count), path=Path(output).expanduser()),
            err=True,
        )


def output_options(function: Any) -> Any:
    function = click.option(
        "--bom",
        is_flag=True,
        help=_(
            "Start the file with a UTF-8 byte order mark, so Excel opens it as UTF-8."
        ),
    )(function)
    return click.option(
        "-o", "--output", default="-", metavar="FILE|-", help=OUTPUT_HELP
    )(function)


@export_group.command(
    "contacts", help=_("Export contacts with their classifications, in number order.")
)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=EXPR",
    help=_("Only the contacts that match, as in `segtui contacts list --filter`."),
)
@output_options
@click.pass_obj
@handle_errors
def export_contacts_command(
    context: Context, filters: tuple[str, ...], output: str, bom: bool
) -> None:
    from segtui.domain.criteria import (
        clean_filters,
        filters_from_pairs,
        matching_condition,
    )
    from segtui.domain.csv_export import export_contacts

    context.open()
    condition = matching_condition(clean_filters(filters_from_pairs(filters)))
    export_to(output, bom, lambda stream: export_contacts(stream, condition))


@export_group.command("segment", help=_("Export a segment's lines in line order."))
@click.argument("segment_no", metavar="SEG")
@output_options
@click.pass_obj
@handle_errors
def export_segment_command(
    context: Context, segment_no: str, output: str, bom: bool
) -> None:
    from segtui.domain.csv_export import export_segment

    context.open()
    export_to(output, bom, lambda stream: export_segment(stream, segment_no))


@export_group.command(
    "interactions",
    help=_("Export interaction log entries in entry order, canceled ones marked."),
)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=EXPR",
    help=_("Only the entries that match, as in `segtui interactions list --filter`."),
)
@output_options
@click.pass_obj
@handle_errors
def export_interactions_command(
    context: Context, filters: tuple[str, ...], output: str, bom: bool
) -> None:
    from segtui.domain.csv_export import export_interactions
    from segtui.domain.history import entry_condition, entry_filters_from_pairs

    context.open()
    condition = entry_condition(entry_filters_from_pairs(filters))
    export_to(output, bom, lambda stream: export_interactions(stream, condition))
