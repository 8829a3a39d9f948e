"""`segtui logged ...`: logged segments, their entries, follow-ups and resends."""

from __future__ import annotations

import contextlib
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from segtui.commands.common import (
    DATE,
    RECORD_NO,
    Context,
    delivery_succeeded,
    echo_fields,
    finish_delivery,
    handle_errors,
    output_path,
    print_json,
    shown,
)
from segtui.domain.text import printable
from segtui.i18n import _, format_count, ngettext


@click.group(help=_("Logged segments and their interaction log entries."))
def logged() -> None:
    pass


def logged_segment_data(summary: Any) -> dict[str, Any]:
    return {
        "entry_no": summary.entry_no,
        "segment_no": summary.segment_no,
        "description": summary.description,
        "created_at": summary.created_at,
        "user": summary.user_id,
        "interactions": summary.interactions,
        "canceled": summary.canceled,
        "canceled_entries": summary.canceled_entries,
    }


@logged.command("list", help=_("List the logged segments, newest first."))
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def logged_list(context: Context, as_json: bool) -> None:
    from segtui.domain.logged_segments import list_logged_segments

    context.open()
    summaries = list_logged_segments()
    if as_json:
        print_json([logged_segment_data(s) for s in summaries])
        return
    if not summaries:
        click.echo(_("No logged segments."), err=True)
        return
    for s in summaries:
        canceled = _("canceled") if s.canceled else ""
        click.echo(
            printable(
                f"{s.entry_no:>6}  {s.segment_no:<10} {shown(s.created_at)}  "
                f"{format_count(s.interactions):>6}  {s.description}  {canceled}"
            ).rstrip()
        )


@logged.command(
    "show", help=_("Show a logged segment and its interaction log entries.")
)
@click.argument("entry_no", type=RECORD_NO, metavar="ENTRY_NO")
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@click.pass_obj
@handle_errors
def logged_show(context: Context, entry_no: int, as_json: bool) -> None:
    from segtui.domain.history import letter_state_word, state_words
    from segtui.domain.logged_segments import get_logged_segment, logged_entries

    context.open()
    summary = get_logged_segment(entry_no)
    rows = logged_entries(entry_no)
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
            "email_sent_to": e.email_sent_to or "",
            "canceled": bool(e.canceled),
        }
        for e in rows
    ]
    states = [letter_state_word(e) for e in rows]
    if as_json:
        print_json({**logged_segment_data(summary), "entries": entries})
        return
    echo_fields(
        [
            (_("Entry No."), summary.entry_no),
            (_("Segment No."), summary.segment_no),
            (_("Description"), summary.description),
            (_("Created"), summary.created_at),
            (_("User"), summary.user_id),
            (_("Interactions"), format_count(summary.interactions)),
            (_("Canceled"), bool(summary.canceled)),
            (_("Canceled entries"), format_count(summary.canceled_entries)),
        ]
    )
    click.echo("")
    width = max(len(word) for word in state_words())
    for e, state in zip(entries, states, strict=True):
        click.echo(
            f"{e['entry_no']:>7}  {e['contact_no']:<10} {e['contact_name']:<30} "
            f"{state:<{width}} {canceled_word(e['canceled'])}"
            f"{e['document_path']}"
        )


def canceled_word(canceled: bool) -> str:
    return _("canceled") + "  " if canceled else ""


@logged.command(
    "follow-up",
    help=_(
        "Create a follow-up segment with the contacts of a logged segment.\n"
        "\n"
        "Prints the new segment's number. When the logged segment has a follow-up "
        "segment already, a notice on stderr names it; the new segment is still "
        "created."
    ),
)
@click.argument("entry_no", type=RECORD_NO, metavar="ENTRY_NO")
@click.option(
    "--non-responders-since",
    "since",
    type=DATE,
    help=_(
        "Only the contacts with no campaign response on this date or later; when "
        "the logged segment has a campaign, only responses to it count."
    ),
)
@click.pass_obj
@handle_errors
def logged_follow_up(context: Context, entry_no: int, since: date | None) -> None:
    from segtui.domain.logged_segments import (
        create_follow_up_segment,
        follow_up_notice,
        follow_up_segments,
    )

    context.open()
    existing = follow_up_segments(entry_no)
    segment = create_follow_up_segment(
        entry_no,
        user=context.user,
        non_responders_since=since,
    )
    if existing:
        click.echo(follow_up_notice(entry_no, existing), err=True)
    click.echo(segment.no)


@logged.command(
    "cancel", help=_("Cancel logged segments with all their interaction log entries.")
)
@click.argument(
    "entry_nos", type=RECORD_NO, nargs=-1, required=True, metavar="ENTRY_NO..."
)
@click.pass_obj
@handle_errors
def logged_cancel(context: Context, entry_nos: tuple[int, ...]) -> None:
    from segtui.domain.cancellation import set_logged_canceled

    context.open()
    changed = set_logged_canceled(entry_nos, True, user=context.user)
    click.echo(
        ngettext(
            "Canceled logged segment {numbers}: {count} entry canceled.",
            "Canceled logged segment {numbers}: {count} entries canceled.",
            changed,
        ).format(
            numbers=", ".join(str(n) for n in sorted(set(entry_nos))),
            count=format_count(changed),
        ),
        err=True,
    )


@logged.command(
    "uncancel",
    help=_("Un-cancel logged segments, restoring all their interaction log entries."),
)
@click.argument(
    "entry_nos", type=RECORD_NO, nargs=-1, required=True, metavar="ENTRY_NO..."
)
@click.pass_obj
@handle_errors
def logged_uncancel(context: Context, entry_nos: tuple[int, ...]) -> None:
    from segtui.domain.cancellation import set_logged_canceled

    context.open()
    changed = set_logged_canceled(entry_nos, False, user=context.user)
    click.echo(
        ngettext(
            "Un-canceled logged segment {numbers}: {count} entry restored.",
            "Un-canceled logged segment {numbers}: {count} entries restored.",
            changed,
        ).format(
            numbers=", ".join(str(n) for n in sorted(set(entry_nos))),
            count=format_count(changed),
        ),
        err=True,
    )


@logged.command(
    "delete-canceled",
    help=_(
        "Delete every canceled logged segment and every canceled entry (admin only).\n"
        "\n"
        "Entries that are not canceled are never deleted."
    ),
)
@click.pass_obj
@handle_errors
def logged_delete_canceled(context: Context) -> None:
    from segtui.domain.cancellation import delete_canceled

    context.open()
    deleted = delete_canceled(user=context.user)
    click.echo(
        _("Deleted {logged} and {entries}.").format(**deleted.phrases()), err=True
    )


@logged.command(
    "resend",
    help=_(
        "Write and deliver again the letters of logged segment ENTRY_NO that failed, "
        "were never written or were deleted from disk, or the entries named with "
        "--entry."
    ),
)
@click.argument("entry_no", type=RECORD_NO, metavar="ENTRY_NO")
@click.option(
    "--failed-only", is_flag=True, help=_("Only the entries whose delivery failed.")
)
@click.option(
    "--entry",
    "entry_nos",
    type=RECORD_NO,
    multiple=True,
    metavar="N",
    help=_(
        "An interaction log entry to write and deliver again whatever its status; "
        "repeat for several."
    ),
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    metavar="DIRECTORY",
    help=_(
        "Folder for the letters (default: the folder of the segment's other letters)."
    ),
)
@click.pass_obj
@handle_errors
def logged_resend(
    context: Context,
    entry_no: int,
    failed_only: bool,
    entry_nos: tuple[int, ...],
    output: Path | None,
) -> None:
    from segtui.domain.delivery import (
        count_to_resend,
        letters_folder,
        nothing_to_send_again,
        resend_logged_segment,
    )
    from segtui.domain.logged_segments import get_logged_segment

    if entry_nos and failed_only:
        raise click.UsageError(
            _(
                "--entry and --failed-only cannot be combined: name the failed "
                "entries with --entry, or use --failed-only alone."
            )
        )
    context.open()
    get_logged_segment(entry_no)
    if not entry_nos and count_to_resend(entry_no, failed_only) == 0:
        click.echo(
            _("Nothing to send again: no letter failed.")
            if failed_only
            else nothing_to_send_again(),
            err=True,
        )
        return
    with contextlib.ExitStack() as stack:
        if output is not None:
            folder = stack.enter_context(output_path(output, folder=True)).resolve()
        else:
            folder = letters_folder(entry_no)
        report = resend_logged_segment(
            entry_no,
            user=context.user,
            failed_only=failed_only,
            folder=folder,
            entry_nos=entry_nos or None,
        )
    finish_delivery(report, folder, entry_no)
    # An email skipped for want of an address is not delivered either.
    if not delivery_succeeded(report) or report.no_address:
        sys.exit(1)
