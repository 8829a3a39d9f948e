"""Campaigns: their setup, their target and response counts, and logging responses.

A contact is a campaign's target when an entry of that campaign marks it as target,
and has responded when an entry marks a campaign response. Counts are queries over
the entries that are not canceled, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, fn

from segtui.db import write_transaction
from segtui.domain import clock, dates
from segtui.domain.classifications import check_code
from segtui.domain.contacts import get_contact
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.segmentation import check_amount
from segtui.domain.setup_tables import (
    used_by_log_entries,
    used_by_segment_lines,
    used_by_segments,
    used_by_templates,
)
from segtui.domain.text import clean_line
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count
from segtui.models import (
    Campaign,
    Contact,
    DeliveryStatus,
    InformationFlow,
    InitiatedBy,
    InteractionLogEntry,
    InteractionTemplate,
    Salesperson,
    SegmentHeader,
    SegmentLine,
    UserSetup,
)

# Status words a campaign can have; free text is allowed too, upper-cased.
SUGGESTED_STATUSES = ("PLANNED", "ACTIVE", "DONE")


@dataclass(frozen=True)
class CampaignRow:
    no: str
    description: str
    starting_date: date | None
    ending_date: date | None
    salesperson_code: str
    status: str
    # Contacts that are targets, contacts that responded, and interactions.
    targets: int
    responses: int
    interactions: int


def _counts() -> Any:
    e = InteractionLogEntry
    return (
        e.select(
            e.campaign_no.alias("campaign_no"),
            fn.COUNT(
                fn.DISTINCT(Case(None, [(e.campaign_target == True, e.contact_no)]))  # noqa: E712
            ).alias("targets"),
            fn.COUNT(
                fn.DISTINCT(Case(None, [(e.campaign_response == True, e.contact_no)]))  # noqa: E712
            ).alias("responses"),
            fn.COUNT(e.entry_no).alias("interactions"),
        )
        .where((e.campaign_no != "") & (e.canceled == False))  # noqa: E712
        .group_by(e.campaign_no)
        .alias("counts")
    )


def list_campaigns(no: str | None = None) -> list[CampaignRow]:
    """Return the campaigns, or the one numbered ``no``, with their counts."""
    counts = _counts()
    query = (
        Campaign.select(
            Campaign,
            fn.COALESCE(counts.c.targets, 0).alias("targets"),
            fn.COALESCE(counts.c.responses, 0).alias("responses"),
            fn.COALESCE(counts.c.interactions, 0).alias("interactions"),
        )
        .join(counts, JOIN.LEFT_OUTER, on=(counts.c.campaign_no == Campaign.no))
        .order_by(Campaign.no)
    )
    if no is not None:
        query = query.where(Campaign.no == no.strip().upper())
    return [
        CampaignRow(
            no=row.no,
            description=row.description,
            starting_date=row.starting_date,
            ending_date=row.ending_date,
            salesperson_code=row.salesperson_code or "",
            status=row.status,
            targets=int(row.targets),
            responses=int(row.responses),
            interactions=int(row.interactions),
        )
        for row in query
    ]


def get_campaign(no: str) -> CampaignRow:
    found = list_campaigns(no)
    if not found:
        raise NotFoundError(_("Campaign {no!r} does not exist.").format(no=no))
    return found[0]


def parse_date(label: str, value: Any) -> date | None:
    """Read a typed date, blank as None, or raise naming the field and the value."""
    if isinstance(value, date) or value is None:
        return value
    text = clean_line(value)
    if not text:
        return None
    return dates.parse_date(text, label)


def save_campaign(
    no: str,
    *,
    description: str,
    starting_date: Any = None,
    ending_date: Any = None,
    salesperson_code: str = "",
    status: str = "",
    user: str,
    new: bool,
) -> str:
    """Create a campaign (``new``) or change an existing one; return its number."""
    require(user, Permission.ADMINISTRATION, _("change campaigns"))
    no = check_code(no) if new else clean_line(no).upper()
    starting = parse_date(_("Starting date"), starting_date)
    ending = parse_date(_("Ending date"), ending_date)
    if starting and ending and ending < starting:
        raise InvalidValueError(
            _(
                "The ending date {ending} is before the starting date {starting}; "
                "correct one of them."
            ).format(ending=ending, starting=starting)
        )
    salesperson = clean_line(salesperson_code).upper() or None
    if salesperson and Salesperson.get_or_none(Salesperson.code == salesperson) is None:
        raise NotFoundError(
            _("Salesperson {code!r} does not exist.").format(code=salesperson)
        )
    values = {
        "description": clean_line(description)[:100],
        "starting_date": starting,
        "ending_date": ending,
        "salesperson": salesperson,
        "status": clean_line(status).upper()[:20],
    }
    with write_transaction():
        exists = Campaign.get_or_none(Campaign.no == no) is not None
        if new and exists:
            raise InvalidValueError(
                _("Campaign {no} already exists; pick another number.").format(no=no)
            )
        if not new and not exists:
            raise NotFoundError(_("Campaign {no!r} does not exist.").format(no=no))
        if new:
            Campaign.insert(no=no, **values).execute()
        else:
            Campaign.update(**values).where(Campaign.no == no).execute()
    return no


def delete_campaign(no: str, *, user: str) -> None:
    """Delete a campaign that no entry, template or segment refers to."""
    require(user, Permission.ADMINISTRATION, _("change campaigns"))
    no = clean_line(no).upper()
    with write_transaction():
        if Campaign.get_or_none(Campaign.no == no) is None:
            raise NotFoundError(_("Campaign {no!r} does not exist.").format(no=no))
        users = [
            (used_by_log_entries, InteractionLogEntry.campaign_no == no),
            (used_by_templates, InteractionTemplate.campaign == no),
            (used_by_segments, SegmentHeader.campaign == no),
            (used_by_segment_lines, SegmentLine.campaign == no),
        ]
        for label, condition in users:
            count = condition.lhs.model.select().where(condition).count()
            if count:
                uses = label(count).format(count=format_count(count))
                raise InvalidValueError(
                    _(
                        "Campaign {no} is used by {uses}, so it cannot be deleted."
                    ).format(no=no, uses=uses)
                )
        Campaign.delete().where(Campaign.no == no).execute()


def log_response(
    contact_no: str,
    campaign_no: str,
    *,
    user: str,
    response_date: Any = None,
    template_code: str = "",
    description: str = "",
    evaluation: str = "",
    cost: Any = None,
    duration: Any = None,
) -> InteractionLogEntry:
    """Record a contact's response to a campaign as an inbound interaction.

    The template, when given, supplies the group, cost and duration. The salesperson
    is the user's, or else the contact's.
    """
    require(user, Permission.MARKETING, _("log interactions"))
    campaign_no = clean_line(campaign_no).upper()
    when = parse_date(_("Date"), response_date) or clock.today()
    with write_transaction():
        contact = get_contact(contact_no)
        campaign = Campaign.get_or_none(Campaign.no == campaign_no)
        if campaign is None:
            raise NotFoundError(
                _("Campaign {no!r} does not exist.").format(no=campaign_no)
            )
        template = None
        if clean_line(template_code):
            code = clean_line(template_code).upper()
            template = InteractionTemplate.get_or_none(InteractionTemplate.code == code)
            if template is None:
                raise NotFoundError(
                    _("Interaction template {code!r} does not exist.").format(code=code)
                )
        company = (
            Contact.get_or_none(Contact.no == contact.company_no)
            if contact.company_no
            else None
        )
        setup = UserSetup.get_or_none(UserSetup.user_id == user)
        salesperson = (setup.salesperson_code if setup else None) or (
            contact.salesperson_code or ""
        )
        text = clean_line(description) or _("Response to campaign {no}").format(
            no=campaign.no
        )
        unit_cost = (
            check_amount(_("Cost"), cost)
            if cost not in (None, "")
            else Decimal(template.unit_cost if template else 0)
        )
        unit_duration = (
            check_amount(_("Duration"), duration)
            if duration not in (None, "")
            else Decimal(template.unit_duration if template else 0)
        )
        return InteractionLogEntry.create(
            contact_no=contact.no,
            contact_name=contact.name,
            contact_company_no=contact.company_no or "",
            contact_company_name=company.name if company else "",
            date=when,
            created_at=clock.now(),
            description=text[:100],
            template_code=template.code if template else "",
            group_code=template.interaction_group_code if template else "",
            information_flow=InformationFlow.INBOUND,
            initiated_by=InitiatedBy.THEM,
            unit_cost=unit_cost,
            unit_duration=unit_duration,
            salesperson_code=salesperson,
            campaign_no=campaign.no,
            campaign_response=True,
            evaluation=clean_line(evaluation)[:20],
            delivery_status=DeliveryStatus.NOT_DELIVERED,
            user_id=user,
        )
