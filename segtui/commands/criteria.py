"""`segtui criteria ...`: save a segment's criteria, list, show, reuse and delete them."""

from __future__ import annotations

import click

from segtui.commands.common import (
    Context,
    handle_errors,
    print_json,
    run_interruptible,
)
from segtui.domain.text import printable
from segtui.i18n import _, format_count, ngettext


@click.group(help=_("Saved criteria: a segment's actions kept under a code."))
def criteria() -> None:
    pass


@criteria.command("save", help=_("Save a segment's criteria actions under CODE."))
@click.argument("segment_no", metavar="SEG")
@click.argument("code")
@click.option("--description", required=True, help=_("What the criteria select."))
@click.option(
    "--replace", is_flag=True, help=_("Replace saved criteria with the same code.")
)
@click.pass_obj
@handle_errors
def criteria_save(
    context: Context, segment_no: str, code: str, description: str, replace: bool
) -> None:
    from segtui.domain.saved_criteria import save_criteria

    context.open()
    saved = save_criteria(
        segment_no, code, description, user=context.user, replace=replace
    )
    click.echo(_("Criteria saved as {code}.").format(code=saved.code), err=True)


@criteria.command("list", help=_("List the saved criteria."))
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def criteria_list(context: Context, as_json: bool) -> None:
    from segtui.domain.saved_criteria import list_saved_criteria

    context.open()
    summaries = list_saved_criteria()
    if as_json:
        print_json(
            [
                {
                    "code": s.code,
                    "description": s.description,
                    "actions": s.actions,
                    "created_by": s.created_by,
                    "created_at": s.created_at,
                }
                for s in summaries
            ]
        )
        return
    if not summaries:
        click.echo(_("No saved criteria."), err=True)
        return
    for s in summaries:
        actions = format_count(s.actions)
        click.echo(printable(f"{s.code:<20} {actions:>4}  {s.description}"))


@criteria.command("show", help=_("Show the actions of saved criteria in order."))
@click.argument("code")
@click.pass_obj
@handle_errors
def criteria_show(context: Context, code: str) -> None:
    from segtui.domain.saved_criteria import describe_saved

    context.open()
    for number, line in enumerate(describe_saved(code), start=1):
        click.echo(printable(f"{number:>3}  {line}"))


@criteria.command(
    "reuse",
    help=_("Replay saved criteria on a segment, each action recorded as its own."),
)
@click.argument("code")
@click.argument("segment_no", metavar="SEG")
@click.pass_obj
@handle_errors
def criteria_reuse(context: Context, code: str, segment_no: str) -> None:
    from segtui.domain.saved_criteria import reuse_criteria

    context.open()
    result = run_interruptible(
        lambda _cancel: reuse_criteria(code, segment_no, user=context.user),
        name="criteria reuse",
        canceled_message=_(
            "Ctrl+C canceled the replay of saved criteria {code}. Segment {no} was "
            "not changed."
        ).format(code=code.upper(), no=segment_no),
    )
    click.echo(
        ngettext(
            "{actions} action replayed: {added} lines added, {removed} removed.",
            "{actions} actions replayed: {added} lines added, {removed} removed.",
            len(result.results),
        ).format(
            actions=format_count(len(result.results)),
            added=format_count(result.inserted),
            removed=format_count(result.deleted),
        ),
        err=True,
    )
    for message in result.messages:
        click.echo(printable(message), err=True)


@criteria.command("delete", help=_("Delete saved criteria."))
@click.argument("code")
@click.pass_obj
@handle_errors
def criteria_delete(context: Context, code: str) -> None:
    from segtui.domain.saved_criteria import delete_saved_criteria

    context.open()
    delete_saved_criteria(code, user=context.user)
    click.echo(_("Saved criteria {code} deleted.").format(code=code.upper()), err=True)
