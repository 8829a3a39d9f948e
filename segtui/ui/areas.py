"""The areas of segtui a user can go to, for the Go to menu (ctrl+g or F6).

Each area names its screen as ``module:Class`` and is imported only when opened.
Modules that add areas list them in an ``AREAS`` list of their own and are named in
AREA_MODULES; one that is not installed adds nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from segtui.i18n import _


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    screen: str
    group: str = ""

    def load(self) -> Any:
        """Return the area's screen class."""
        module, name = self.screen.split(":")
        return getattr(importlib.import_module(module), name)


def core_areas() -> list[Area]:
    return [
        Area("segments", _("Segments"), "segtui.ui.screens.segments:SegmentListScreen"),
        Area(
            "logged",
            _("Logged segments"),
            "segtui.ui.screens.logged:LoggedSegmentListScreen",
        ),
        Area(
            "saved_criteria",
            _("Saved criteria"),
            "segtui.ui.screens.saved_criteria:SavedCriteriaScreen",
        ),
    ]


# Modules with more areas: interaction templates and their setup, and contacts with
# their classifications, history and campaigns.
AREA_MODULES = ("segtui.ui.areas_interactions", "segtui.ui.areas_contacts")


def all_areas() -> list[Area]:
    areas = core_areas()
    for name in AREA_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        areas.extend(module.areas())
    return areas
