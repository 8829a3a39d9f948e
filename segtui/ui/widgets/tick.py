"""A checkbox whose state reads as text: ``[x]`` or ``[ ]``."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class Tick(Checkbox):
    """A Checkbox that shows its state by a character, so it reads without colour.

    Textual's own checkbox draws the same character on and off and tells them apart
    by colour alone, which NO_COLOR and monochrome terminals lose. The brackets are
    ASCII, one cell wide in every terminal.
    """

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        return Content.assemble(
            self.BUTTON_LEFT,
            ("x" if self.value else " ", button_style),
            self.BUTTON_RIGHT,
        )
