"""The widgets listed for `segtui keys` are those each screen lets take focus."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widget import Widget

from segtui.ui.app import SegtuiApp
from segtui.ui.focus_clashes import (
    FOCUS_TARGETS,
    FocusTarget,
    class_by_name,
    class_name,
    focus_targets,
)
from tests.test_layout import ROUTES, screens_world  # noqa: F401
from tests.tui_helpers import settle


def table_entry(screen_name: str, targets: set[FocusTarget]) -> str:
    """Return the FOCUS_TARGETS entry for a screen, as Python source to paste."""
    lines = [f'    "{screen_name}": (']
    for target in sorted(targets, key=lambda target: target.widgets):
        names = "".join(f'"{name}", ' for name in target.widgets)
        typing = ", typing=True" if target.typing else ""
        lines.append(f"        FocusTarget(({names}){typing}),")
    lines.append("    ),")
    return "\n".join(lines)


@pytest.mark.usefixtures("screens_world")
@pytest.mark.parametrize("route", list(ROUTES))
async def test_focus_targets_listed(route: str) -> None:
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ROUTES[route](pilot)
        screen = app.screen
        found = focus_targets(screen)
        name = class_name(type(screen))
        listed = set(FOCUS_TARGETS.get(name, ()))
        assert found == listed, table_entry(name, found)


def test_focus_targets_name_classes() -> None:
    """Every screen and widget class that the table names can be imported."""
    for screen_name, targets in FOCUS_TARGETS.items():
        assert issubclass(class_by_name(screen_name), Screen), screen_name
        for target in targets:
            for widget_name in target.widgets:
                assert issubclass(class_by_name(widget_name), Widget), widget_name
