"""The Go to menu's areas for interaction templates and their setup."""

from __future__ import annotations

from segtui.i18n import _
from segtui.ui.areas import Area


def areas() -> list[Area]:
    group = _("Interactions")
    setup = _("Setup")
    screens = "segtui.ui.screens.setup_screens"
    return [
        Area(
            "templates",
            _("Interaction templates"),
            "segtui.ui.screens.templates:TemplateListScreen",
            group=group,
        ),
        Area(
            "interaction_groups",
            _("Interaction groups"),
            f"{screens}:InteractionGroupListScreen",
            group=group,
        ),
        Area(
            "salespeople", _("Salespeople"), f"{screens}:SalespersonListScreen", setup
        ),
        Area("languages", _("Languages"), f"{screens}:LanguageListScreen", setup),
        Area("salutations", _("Salutations"), f"{screens}:SalutationListScreen", setup),
        Area("email", _("Email settings"), f"{screens}:SmtpSettingsScreen", setup),
    ]
