"""The Go to menu's areas for contacts, their setup, campaigns and history."""

from __future__ import annotations

from segtui.i18n import _
from segtui.ui.areas import Area

SCREENS = "segtui.ui.screens"


def areas() -> list[Area]:
    contacts = _("Contacts")
    setup = _("Contact setup")
    return [
        Area(
            "contacts", _("Contacts"), f"{SCREENS}.contacts:ContactListScreen", contacts
        ),
        Area(
            "interactions",
            _("Interaction log entries"),
            f"{SCREENS}.history:InteractionHistoryScreen",
            contacts,
        ),
        Area(
            "campaigns",
            _("Campaigns"),
            f"{SCREENS}.campaigns:CampaignListScreen",
            contacts,
        ),
        Area(
            "mailing_groups",
            _("Mailing groups"),
            f"{SCREENS}.code_tables:MailingGroupScreen",
            setup,
        ),
        Area(
            "industry_groups",
            _("Industry groups"),
            f"{SCREENS}.code_tables:IndustryGroupScreen",
            setup,
        ),
        Area(
            "business_relations",
            _("Business relations"),
            f"{SCREENS}.code_tables:BusinessRelationScreen",
            setup,
        ),
        Area(
            "job_responsibilities",
            _("Job responsibilities"),
            f"{SCREENS}.code_tables:JobResponsibilityScreen",
            setup,
        ),
        Area(
            "profile_questionnaires",
            _("Profile questionnaires"),
            f"{SCREENS}.code_tables:QuestionnaireScreen",
            setup,
        ),
        Area(
            "territories",
            _("Territories"),
            f"{SCREENS}.code_tables:TerritoryScreen",
            setup,
        ),
    ]
