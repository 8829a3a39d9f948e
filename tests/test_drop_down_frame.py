"""An open drop-down list at 80x24 has a frame, so its first option, such as
"(none)", sits on a row of its own and not beside the next field's label."""

from __future__ import annotations

import pytest
from textual.widgets import Label, Select
from textual.widgets._select import SelectOverlay

from segtui.ui.app import SegtuiApp
from segtui.ui.screens.segment_dialogs import NewSegmentDialog
from tests.conftest import TEST_USER
from tests.test_dialog_selects import inner_region
from tests.test_state_words import screen_lines
from tests.tui_helpers import open_screen, press_settled


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_template_list_first_row_apart(world, size: tuple[int, int]) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=size) as pilot:
        await open_screen(pilot, NewSegmentDialog())
        dialog = pilot.app.screen
        select = dialog.query_one("#interaction_template", Select)
        select.focus()
        await press_settled(pilot, "enter")
        assert select.expanded
        overlay = select.query_one(SelectOverlay)
        salesperson_label = next(
            label
            for label in dialog.query(".form-label").results(Label)
            if str(label.render()) == "Salesperson"
        )
        label_row = salesperson_label.region.y
        assert overlay.region.y == label_row
        # The frame's top edge is on the label's row, the first option below it.
        assert overlay.content_region.y == label_row + 1
        lines = screen_lines(pilot)
        assert "Salesperson" in lines[label_row]
        assert select.prompt not in lines[label_row]
        assert select.prompt in lines[label_row + 1]
        assert inner_region(dialog).contains_region(overlay.region)
        # Every option of the short list is shown inside the frame.
        assert overlay.content_region.height == overlay.option_count
