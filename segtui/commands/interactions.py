"""`segtui interactions ...`, `segtui campaign ...` and `segtui codes ...`.

Interaction log entries with their letters, cancellation and campaign responses;
campaigns with their counts; and the code tables contacts are classified by.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from segtui.commands.common import (
    DATE,
    RECORD_NO,
    Context,
    correspondence_text,
    echo_fields,
    handle_errors,
    output_path,
    print_json,
    shown,
)
from segtui.domain.text import printable
from segtui.i18n import _, format_count, ngettext

ENTRY_FILTER_HELP = _(
    "Filter as KEY=EXPR, repeatable, in Business Central's syntax. Keys: contact, "
    "company, date, template, group, salesperson, campaign, segment, "
    "logged-segment, canceled, delivery-status, correspondence-type, evaluation, "
    "campaign-response, ... For example date=2026-01-01.. canceled=no."
)


@click.group(help=_("Interaction log entries: the history of what was sent to whom."))
def interactions() -> None:
    pass


def entry_condition_from(filters: tuple[str, ...]) -> Any:
    from segtui.domain.history import entry_condition, entry_filters_from_pairs

    return entry_condition(entry_filters_from_pairs(filters))


@interactions.command(
    "list",
    help=_(
        "List interaction log entries, newest first, with their totals on stderr.\n"
        "\n"
        "Canceled entries are listed and marked, but not counted in the totals."
    ),
)
@click.option(
    "--filter", "filters", multiple=True, metavar="KEY=EXPR", help=ENTRY_FILTER_HELP
)
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def interactions_list(
    context: Context, filters: tuple[str, ...], as_json: bool
) -> None:
    from segtui.commands.contacts import entry_data
    from segtui.domain.history import entry_state_word, list_entries, totals

    context.open()
    condition = entry_condition_from(filters)
    entries = list_entries(condition)
    if as_json:
        print_json([entry_data(entry) for entry in entries])
    else:
        for entry in entries:
            state = entry_state_word(entry)
            click.echo(
                printable(
                    f"{entry.entry_no:>7}  {shown(entry.date)}  {entry.contact_no:<10} "
                    f"{entry.contact_name[:24]:<24} {entry.template_code:<8} "
                    f"{entry.campaign_no:<8} {state}"
                ).rstrip()
            )
    counted = totals(condition)
    click.echo(
        ngettext(
            "{count} interaction, cost {cost}, duration {duration} min; "
            "{canceled} canceled not counted.",
            "{count} interactions, cost {cost}, duration {duration} min; "
            "{canceled} canceled not counted.",
            counted.interactions,
        ).format(
            count=format_count(counted.interactions),
            cost=shown(counted.cost),
            duration=shown(counted.duration),
            canceled=format_count(counted.canceled),
        ),
        err=True,
    )


@interactions.command(
    "show", help=_("Show an interaction log entry and its letter as text.")
)
@click.argument("entry_no", type=RECORD_NO, metavar="ENTRY_NO")
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@click.pass_obj
@handle_errors
def interactions_show(context: Context, entry_no: int, as_json: bool) -> None:
    from segtui.commands.contacts import entry_data
    from segtui.domain.history import get_entry
    from segtui.domain.logged_segments import entry_letter_text
    from segtui.models import CorrespondenceType

    context.open()
    entry = get_entry(entry_no)
    data = entry_data(entry)
    data["delivery_error"] = entry.delivery_error
    data["email_sent_to"] = entry.email_sent_to or ""
    data["resend_email"] = resend_address(entry)
    data["letter"] = entry_letter_text(entry_no)
    if as_json:
        print_json(data)
        return
    echo_fields(entry_fields(entry))
    if entry.correspondence_type == CorrespondenceType.EMAIL:
        echo_fields(email_fields(entry.email_sent_to, data["resend_email"]))
    if data["letter"]:
        click.echo("")
        click.echo(data["letter"])


def resend_address(entry: Any) -> str | None:
    """Return the address an email of the entry goes to now, None for no contact."""
    from segtui.domain.delivery import current_address

    return current_address(entry.contact_no)


def email_fields(sent_to: str | None, resend_to: str | None) -> list[tuple[str, Any]]:
    """Return where an Email entry's message went, and where a resend sends it."""
    if resend_to is None:
        resend_text = _("none: the contact no longer exists")
    elif not resend_to:
        resend_text = _("none: the contact has no email address")
    else:
        resend_text = resend_to
    return [
        (_("Email last sent to"), sent_to or ""),
        (_("Email goes to on a resend"), resend_text),
    ]


def entry_fields(entry: Any) -> list[tuple[str, Any]]:
    """Return an interaction log entry's fields with their labels, for text output."""
    from segtui.domain.history import delivery_word

    return [
        (_("Entry No."), entry.entry_no),
        (_("Contact No."), entry.contact_no),
        (_("Contact name"), entry.contact_name),
        (_("Company No."), entry.contact_company_no),
        (_("Date"), entry.date),
        (_("Description"), entry.description),
        (_("Subject"), entry.subject),
        (_("Interaction template"), entry.template_code),
        (_("Interaction group"), entry.group_code),
        (_("Correspondence type"), correspondence_text(entry.correspondence_type)),
        (_("Salesperson"), entry.salesperson_code),
        (_("Campaign"), entry.campaign_no),
        (_("Campaign target"), bool(entry.campaign_target)),
        (_("Campaign response"), bool(entry.campaign_response)),
        (_("Cost"), entry.unit_cost),
        (_("Duration (min)"), entry.unit_duration),
        (_("Segment No."), entry.segment_no),
        (_("Logged segment"), entry.logged_segment_entry_no),
        (_("Delivery status"), delivery_word(entry.delivery_status)),
        (_("Delivery error"), entry.delivery_error),
        (_("Canceled"), bool(entry.canceled)),
    ]


@interactions.command(
    "document",
    help=_("Write an entry's letter as a Word file, made again from its template."),
)
@click.argument("entry_no", type=RECORD_NO, metavar="ENTRY_NO")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE.docx",
    required=True,
    help=_("The Word file to write, ending in .docx."),
)
@click.option("--overwrite", is_flag=True, help=_("Replace the file if it exists."))
@click.pass_obj
@handle_errors
def interactions_document(
    context: Context, entry_no: int, output: Path, overwrite: bool
) -> None:
    from segtui.domain.history import export_document

    context.open()
    with output_path(output) as target:
        path = export_document(entry_no, target, overwrite=overwrite)
    click.echo(
        _("Letter of entry {no} written to {path}.").format(no=entry_no, path=path),
        err=True,
    )


@interactions.command("cancel", help=_("Cancel single interaction log entries."))
@click.argument(
    "entry_nos", type=RECORD_NO, nargs=-1, required=True, metavar="ENTRY_NO..."
)
@click.pass_obj
@handle_errors
def interactions_cancel(context: Context, entry_nos: tuple[int, ...]) -> None:
    from segtui.domain.cancellation import set_entries_canceled

    context.open()
    changed = set_entries_canceled(entry_nos, True, user=context.user)
    click.echo(
        ngettext(
            "{count} entry canceled.", "{count} entries canceled.", changed
        ).format(count=format_count(changed)),
        err=True,
    )


@interactions.command(
    "uncancel", help=_("Un-cancel single entries whose logged segment is not canceled.")
)
@click.argument(
    "entry_nos", type=RECORD_NO, nargs=-1, required=True, metavar="ENTRY_NO..."
)
@click.pass_obj
@handle_errors
def interactions_uncancel(context: Context, entry_nos: tuple[int, ...]) -> None:
    from segtui.domain.cancellation import set_entries_canceled

    context.open()
    changed = set_entries_canceled(entry_nos, False, user=context.user)
    click.echo(
        ngettext(
            "{count} entry un-canceled.", "{count} entries un-canceled.", changed
        ).format(count=format_count(changed)),
        err=True,
    )


@interactions.command(
    "respond",
    help=_("Log a contact's response to a campaign; prints the new entry's number."),
)
@click.argument("contact_no", metavar="CONTACT_NO")
@click.option(
    "--campaign",
    "campaign_no",
    required=True,
    metavar="NO",
    help=_("The campaign responded to."),
)
@click.option(
    "--date",
    "response_date",
    type=DATE,
    help=_("Date of the response (YYYY-MM-DD); default today."),
)
@click.option(
    "--template",
    "template_code",
    default="",
    metavar="CODE",
    help=_("Interaction template for group, cost and duration."),
)
@click.option(
    "--description",
    default="",
    help=_("Description; default 'Response to campaign NO'."),
)
@click.option("--evaluation", default="", help=_("Evaluation, such as positive."))
@click.pass_obj
@handle_errors
def interactions_respond(
    context: Context,
    contact_no: str,
    campaign_no: str,
    response_date: date | None,
    template_code: str,
    description: str,
    evaluation: str,
) -> None:
    from segtui.domain.campaigns import log_response

    context.open()
    entry = log_response(
        contact_no,
        campaign_no,
        user=context.user,
        response_date=response_date,
        template_code=template_code,
        description=description,
        evaluation=evaluation,
    )
    click.echo(entry.entry_no)


@click.group(help=_("Campaigns with their target and response counts."))
def campaign() -> None:
    pass


def campaign_data(row: Any) -> dict[str, Any]:
    return dict(row.__dict__)


@campaign.command(
    "list", help=_("List the campaigns with their targets, responses and interactions.")
)
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def campaign_list(context: Context, as_json: bool) -> None:
    from segtui.domain.campaigns import list_campaigns

    context.open()
    rows = list_campaigns()
    if as_json:
        print_json([campaign_data(row) for row in rows])
        return
    if not rows:
        click.echo(_("No campaigns."), err=True)
        return
    for row in rows:
        click.echo(
            printable(
                f"{row.no:<10} {row.description[:26]:<26} {shown(row.starting_date):<10} "
                f"{shown(row.ending_date):<10} {row.status:<8} "
                f"{format_count(row.targets):>6} {format_count(row.responses):>6} "
                f"{format_count(row.interactions):>6}"
            ).rstrip()
        )


@campaign.command(
    "set",
    help=_("Create a campaign, or change the values given of an existing one (admin)."),
)
@click.argument("no", metavar="NO")
@click.option("--description", default=None, help=_("What the campaign is."))
@click.option(
    "--start",
    "starting_date",
    default=None,
    metavar="DATE",
    help=_("Starting date, YYYY-MM-DD."),
)
@click.option(
    "--end",
    "ending_date",
    default=None,
    metavar="DATE",
    help=_("Ending date, YYYY-MM-DD."),
)
@click.option(
    "--salesperson", default=None, metavar="CODE", help=_("Salesperson responsible.")
)
@click.option(
    "--status", default=None, help=_("Status, such as PLANNED, ACTIVE or DONE.")
)
@click.pass_obj
@handle_errors
def campaign_set(context: Context, no: str, **values: Any) -> None:
    from segtui.domain.campaigns import get_campaign, save_campaign
    from segtui.domain.errors import NotFoundError

    context.open()
    try:
        current = get_campaign(no).__dict__
        new = False
    except NotFoundError:
        current = {}
        new = True
    merged = {
        "description": current.get("description", ""),
        "starting_date": current.get("starting_date"),
        "ending_date": current.get("ending_date"),
        "salesperson": current.get("salesperson_code", ""),
        "status": current.get("status", ""),
    }
    merged.update({key: value for key, value in values.items() if value is not None})
    saved = save_campaign(
        no,
        description=merged["description"],
        starting_date=merged["starting_date"],
        ending_date=merged["ending_date"],
        salesperson_code=merged["salesperson"] or "",
        status=merged["status"],
        user=context.user,
        new=new,
    )
    click.echo(_("Campaign {no} saved.").format(no=saved), err=True)


@campaign.command("delete", help=_("Delete a campaign that nothing refers to (admin)."))
@click.argument("no", metavar="NO")
@click.pass_obj
@handle_errors
def campaign_delete(context: Context, no: str) -> None:
    from segtui.domain.campaigns import delete_campaign

    context.open()
    delete_campaign(no, user=context.user)
    click.echo(_("Campaign {no} deleted.").format(no=no.upper()), err=True)


TABLE_HELP = _(
    "TABLE is mailing-group, industry-group, business-relation, job-responsibility "
    "or territory."
)


@click.group(help=_("Code tables of contacts: classifications and territories."))
def codes() -> None:
    pass


@codes.command(
    "list", help=_("List a table's codes with the number of contacts that have each.")
)
@click.argument("table", metavar="TABLE")
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def codes_list(context: Context, table: str, as_json: bool) -> None:
    from segtui.domain.classifications import list_codes

    context.open()
    rows = list_codes(table)
    if as_json:
        print_json([row.__dict__ for row in rows])
        return
    if not rows:
        click.echo(_("The table {table} has no codes.").format(table=table), err=True)
        return
    for row in rows:
        click.echo(printable(f"{row.code:<20} {row.contacts:>6}  {row.text}"))


codes_list.help = (codes_list.help or "") + "\n\n" + TABLE_HELP


@codes.command("set", help=_("Create a code or change its description (admin)."))
@click.argument("table", metavar="TABLE")
@click.argument("code", metavar="CODE")
@click.argument("description", metavar="DESCRIPTION")
@click.pass_obj
@handle_errors
def codes_set(context: Context, table: str, code: str, description: str) -> None:
    from segtui.domain.classifications import list_codes, save_code

    context.open()
    exists = any(row.code == code.strip().upper() for row in list_codes(table))
    saved = save_code(table, code, description, user=context.user, new=not exists)
    click.echo(_("{code} saved.").format(code=saved), err=True)


@codes.command("delete", help=_("Delete a code that no contact has (admin)."))
@click.argument("table", metavar="TABLE")
@click.argument("code", metavar="CODE")
@click.pass_obj
@handle_errors
def codes_delete(context: Context, table: str, code: str) -> None:
    from segtui.domain.classifications import delete_code

    context.open()
    delete_code(table, code, user=context.user)
    click.echo(_("{code} deleted.").format(code=code.upper()), err=True)
