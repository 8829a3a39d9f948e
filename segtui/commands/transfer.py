"""`segtui import ...` and `segtui export ...`: contacts and history as CSV files."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from segtui.commands.common import Context, handle_errors
from segtui.i18n import _


@click.group("import")
def import_group() -> None:
    """Import data from CSV files."""


@import_group.command("contacts")
@click.argument(
    "path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.csv"
)
@click.option(
    "--update",
    is_flag=True,
    help="Update contacts whose number exists; without it such a row is an error.",
)
@click.option(
    "--dry-run", is_flag=True, help="Check the whole file and report; write nothing."
)
@click.pass_obj
@handle_errors
def import_contacts_command(
    context: Context, path: Path, update: bool, dry_run: bool
) -> None:
    """Import contacts and their classifications from a CSV file, all rows or none.

    The first row names the columns (those of `segtui export contacts`), in any
    order and case. Cells are separated by comma, semicolon or tab. The file is
    UTF-8, with or without the byte order mark Excel writes. Every problem is
    listed as "line N, column C: problem", and then nothing is imported.
    """
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
    result = import_contacts(
        data, user=context.user, update=update, dry_run=dry_run, source=str(path)
    )
    click.echo(result.message(), err=True)


@click.group("export")
def export_group() -> None:
    """Export data to CSV files (UTF-8, ISO dates, a fixed column order)."""


OUTPUT_HELP = "File to write, or - for stdout (the default)."


@contextmanager
def open_output(output: str, bom: bool) -> Iterator[TextIO]:
    """Open the output as UTF-8 text: a new file, or stdout for ``-``."""
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
    with Path(output).open(
        "w", encoding="utf-8-sig" if bom else "utf-8", newline=""
    ) as stream:
        yield stream


def export_to(output: str, bom: bool, write: Callable[[TextIO], int]) -> None:
    with open_output(output, bom) as stream:
        count = write(stream)
    if output != "-":
        click.echo(
            _("{count} rows written to {path}.").format(count=count, path=output),
            err=True,
        )


def output_options(function: Any) -> Any:
    function = click.option(
        "--bom",
        is_flag=True,
        help="Start the file with a UTF-8 byte order mark, so Excel opens it as UTF-8.",
    )(function)
    return click.option(
        "-o", "--output", default="-", metavar="FILE|-", help=OUTPUT_HELP
    )(function)


@export_group.command("contacts")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=EXPR",
    help="Only the contacts that match, as in `segtui contacts list --filter`.",
)
@output_options
@click.pass_obj
@handle_errors
def export_contacts_command(
    context: Context, filters: tuple[str, ...], output: str, bom: bool
) -> None:
    """Export contacts with their classifications, in number order."""
    from segtui.domain.criteria import (
        clean_filters,
        filters_from_pairs,
        matching_condition,
    )
    from segtui.domain.csv_export import export_contacts

    context.open()
    condition = matching_condition(clean_filters(filters_from_pairs(filters)))
    export_to(output, bom, lambda stream: export_contacts(stream, condition))


@export_group.command("segment")
@click.argument("segment_no", metavar="SEG")
@output_options
@click.pass_obj
@handle_errors
def export_segment_command(
    context: Context, segment_no: str, output: str, bom: bool
) -> None:
    """Export a segment's lines in line order."""
    from segtui.domain.csv_export import export_segment

    context.open()
    export_to(output, bom, lambda stream: export_segment(stream, segment_no))


@export_group.command("interactions")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=EXPR",
    help="Only the entries that match, as in `segtui interactions list --filter`.",
)
@output_options
@click.pass_obj
@handle_errors
def export_interactions_command(
    context: Context, filters: tuple[str, ...], output: str, bom: bool
) -> None:
    """Export interaction log entries in entry order, canceled ones marked."""
    from segtui.domain.csv_export import export_interactions
    from segtui.domain.history import entry_condition, entry_filters_from_pairs

    context.open()
    condition = entry_condition(entry_filters_from_pairs(filters))
    export_to(output, bom, lambda stream: export_interactions(stream, condition))


COMMANDS = [import_group, export_group]
