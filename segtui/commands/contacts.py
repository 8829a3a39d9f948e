"""`segtui contacts ...`: contacts, their classifications and their history."""

from __future__ import annotations

from typing import Any

import click

from segtui.commands.common import (
    Context,
    LabeledChoice,
    LabeledChoiceOption,
    contact_type_text,
    correspondence_text,
    handle_errors,
    print_json,
    shown,
)
from segtui.domain.text import printable
from segtui.i18n import _, format_count

FILTER_HELP = _(
    "Filter as KEY=EXPR, repeatable: a contact field (country=DE|AT), "
    "mailing-group=NEWS, profile=QUESTIONNAIRE:ANSWER, interaction.date=2026-01-01.., "
    "has-mailing-group=no. The syntax is Business Central's."
)


def sort_choices() -> list[tuple[str, str]]:
    """Return the sort orders of the contact list with the labels the TUI shows."""
    from segtui.domain.contact_queries import sort_labels

    return list(sort_labels().items())


@click.group(help=_("Contacts: companies and persons."))
def contacts() -> None:
    pass


@contacts.command(
    "list", help=_("List contacts, optionally filtered, in number order.")
)
@click.option(
    "--filter", "filters", multiple=True, metavar="KEY=EXPR", help=FILTER_HELP
)
@click.option(
    "--search",
    default="",
    metavar="TEXT",
    help=_("Only contacts whose number, name, city or email contain every word."),
)
@click.option(
    "--sort",
    cls=LabeledChoiceOption,
    type=LabeledChoice(sort_choices),
    default="no",
    show_default=True,
    help=_("Sort order."),
)
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def contacts_list(
    context: Context, filters: tuple[str, ...], search: str, sort: str, as_json: bool
) -> None:
    from segtui.domain.contact_queries import list_contacts
    from segtui.domain.criteria import filters_from_pairs

    context.open()
    rows = list_contacts(search, filters_from_pairs(filters), sort)
    if as_json:
        print_json([row.__dict__ for row in rows])
        return
    if not rows:
        click.echo(
            _("No contacts match.") if filters or search.strip() else _("No contacts."),
            err=True,
        )
        return
    for row in rows:
        click.echo(
            printable(
                f"{row.no:<10} {contact_type_text(row.type):<11} {row.name[:32]:<32} "
                f"{row.post_code:<8} {row.city[:18]:<18} {row.country_code:<3} {row.email}"
            ).rstrip()
        )


@contacts.command(
    "show",
    help=_("Show a contact's fields, classifications, segments and interactions."),
)
@click.argument("contact_no", metavar="NO")
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@click.pass_obj
@handle_errors
def contacts_show(context: Context, contact_no: str, as_json: bool) -> None:
    from segtui.domain.contact_queries import contact_card

    context.open()
    data = card_data(contact_card(contact_no))
    if as_json:
        print_json(data)
        return
    # The fields keep their column names, which `segtui contacts set` takes.
    for key, value in data["fields"].items():
        if key == "type":
            value = contact_type_text(value)
        elif key == "correspondence_type":
            value = correspondence_text(value)
        click.echo(printable(f"{key:<22} {shown(value)}"))
    if data["company"]:
        company = data["company"]
        label = _("Company")
        click.echo(printable(f"{label:<22} {company['no']} {company['name']}"))
    for person in data["persons"]:
        label = _("Person")
        click.echo(printable(f"{label:<22} {person['no']} {person['name']}"))
    for kind, codes in data["classifications"].items():
        if codes:
            click.echo(printable(f"{kind:<22} {';'.join(codes)}"))
    for segment in data["unlogged_segments"]:
        label = _("Segment")
        click.echo(printable(f"{label:<22} {segment['no']} {segment['description']}"))
    totals = data["totals"]
    click.echo(
        _("interactions: {count}, cost {cost}, duration {duration} min").format(
            count=format_count(totals["interactions"]),
            cost=shown(totals["cost"]),
            duration=shown(totals["duration"]),
        )
    )
    for entry in data["interactions"]:
        canceled = _("canceled") if entry["canceled"] else ""
        click.echo(
            printable(
                f"{entry['entry_no']:>7}  {shown(entry['date'])}  "
                f"{entry['template']:<8} {entry['description'][:40]}  {canceled}"
            ).rstrip()
        )


def card_data(card: Any) -> dict[str, Any]:
    from segtui.domain.classifications import classification_kinds
    from segtui.domain.contacts import contact_values

    kinds = classification_kinds()
    classifications: dict[str, list[str]] = {kind.column: [] for kind in kinds.values()}
    for tag in card.tags:
        classifications[kinds[tag.kind].column].append(tag.code)
    classifications["profile_answers"] = [answer.key for answer in card.answers]
    contact = card.contact
    return {
        "fields": {
            **contact_values(contact),
            "created_at": contact.created_at,
            "created_by": contact.created_by,
            "modified_at": contact.modified_at,
            "modified_by": contact.modified_by,
            "version": contact.version,
        },
        "company": (
            {"no": card.company.no, "name": card.company.name} if card.company else None
        ),
        "persons": [{"no": p.no, "name": p.name} for p in card.persons],
        "classifications": classifications,
        "unlogged_segments": [
            {"no": no, "description": description} for no, description in card.segments
        ],
        "totals": {
            "interactions": card.totals.interactions,
            "cost": card.totals.cost,
            "duration": card.totals.duration,
            "canceled": card.totals.canceled,
        },
        "timeline": [
            {"month": month.month.strftime("%Y-%m"), "interactions": month.interactions}
            for month in card.timeline
        ],
        "interactions": [entry_data(entry) for entry in card.recent],
    }


def entry_data(entry: Any) -> dict[str, Any]:
    return {
        "entry_no": entry.entry_no,
        "contact_no": entry.contact_no,
        "contact_name": entry.contact_name,
        "company_no": entry.contact_company_no,
        "date": entry.date,
        "description": entry.description,
        "subject": entry.subject,
        "template": entry.template_code,
        "group": entry.group_code,
        "correspondence_type": entry.correspondence_type,
        "salesperson": entry.salesperson_code,
        "campaign": entry.campaign_no,
        "campaign_target": bool(entry.campaign_target),
        "campaign_response": bool(entry.campaign_response),
        "cost": entry.unit_cost,
        "duration": entry.unit_duration,
        "segment_no": entry.segment_no,
        "logged_segment": entry.logged_segment_entry_no,
        "delivery_status": entry.delivery_status,
        "canceled": bool(entry.canceled),
    }


def parse_assignments(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise click.BadParameter(
                _("{pair!r} is not FIELD=VALUE, for example city=Berlin.").format(
                    pair=pair
                )
            )
        values[key.strip().replace("-", "_")] = value
    return values


@contacts.command(
    "new",
    help=_(
        'Create a contact from column values, such as type=person name="Ann Lee".\n'
        "\n"
        "The fields are the columns of contacts.csv; a blank no takes the next number.\n"
        "Prints the new contact's number."
    ),
)
@click.argument("assignments", nargs=-1, metavar="FIELD=VALUE...")
@click.pass_obj
@handle_errors
def contacts_new(context: Context, assignments: tuple[str, ...]) -> None:
    from segtui.domain.contacts import create_contact

    values = parse_assignments(assignments)
    context.open()
    click.echo(create_contact(values, user=context.user).no)


@contacts.command(
    "set", help=_("Change a contact's fields, such as city=Berlin company_no=CT000010.")
)
@click.argument("contact_no", metavar="NO")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.pass_obj
@handle_errors
def contacts_set(
    context: Context, contact_no: str, assignments: tuple[str, ...]
) -> None:
    from segtui.domain.contacts import update_contact

    values = parse_assignments(assignments)
    context.open()
    contact = update_contact(contact_no, values, user=context.user)
    click.echo(_("Contact {no} saved.").format(no=contact.no), err=True)


@contacts.command(
    "tag",
    help=_(
        "Add or remove a classification: KIND is mailing-group, industry-group,\n"
        "business-relation, job-responsibility or profile (CODE as QUESTIONNAIRE:ANSWER)."
    ),
)
@click.argument("contact_no", metavar="NO")
@click.argument("kind", metavar="KIND")
@click.argument("code", metavar="CODE")
@click.option("--remove", is_flag=True, help=_("Remove the code instead of adding it."))
@click.pass_obj
@handle_errors
def contacts_tag(
    context: Context, contact_no: str, kind: str, code: str, remove: bool
) -> None:
    from segtui.domain import classifications, profiles

    context.open()
    if kind.strip().casefold() in ("profile", "profile-answer", "profile_answer"):
        change = (
            profiles.remove_contact_answer if remove else profiles.add_contact_answer
        )
        change(contact_no, code, user=context.user)
    else:
        change = classifications.remove_tag if remove else classifications.add_tag
        change(contact_no, kind, code, user=context.user)
    change_word = _("removed") if remove else _("added")
    click.echo(
        _("Contact {no}: {code} {change}.").format(
            no=contact_no.upper(), code=code.upper(), change=change_word
        ),
        err=True,
    )


@contacts.command("delete", help=_("Delete a contact that is on no unlogged segment."))
@click.argument("contact_no", metavar="NO")
@click.pass_obj
@handle_errors
def contacts_delete(context: Context, contact_no: str) -> None:
    from segtui.domain.contacts import delete_contact

    context.open()
    delete_contact(contact_no, user=context.user)
    click.echo(_("Contact {no} deleted.").format(no=contact_no.upper()), err=True)
