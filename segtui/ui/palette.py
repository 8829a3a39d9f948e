"""Textual's command palette with its own texts in the user interface language."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import ThemeProvider

from segtui.i18n import _
from segtui.ui.keys import AREA_LABELS, area_label, area_of


def command_area(node: DOMNode, screen: Screen[object]) -> str:
    """Return the name a palette entry starts with for a binding of ``node``.

    That is the area of the app or of ``screen``. A dialog has no area of its own,
    so its translated title names it, as in "Neues Segment: Abbrechen".
    """
    if isinstance(node, App):
        return area_label(type(node))
    if area_of(type(screen)) not in AREA_LABELS:
        title_text = getattr(screen, "title_text", None)
        if callable(title_text) and title_text():
            return str(title_text())
    return area_label(type(screen))


class TranslatedCommandPalette(CommandPalette):
    """The command palette, with its placeholder and "no matches" line translated."""

    def __init__(self, **kwargs: object) -> None:
        # Three dots, as elsewhere in segtui, because some terminals draw Textual's
        # U+2026 two cells wide.
        kwargs.setdefault("placeholder", _("Search for commands ..."))
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def _watch__list_visible(self) -> None:
        # NOTE: Textual 8.2.8 writes "No matches found" in a timer callback it
        # defines inside _start_no_matches_countdown, with no hook for the text. That
        # callback adds the option and then shows the list, which runs this watcher,
        # so the option's prompt is replaced here.
        super()._watch__list_visible()
        try:
            commands = self.query_one(CommandList)
        except NoMatches:
            return
        if commands.option_count != 1:
            return
        option = commands.get_option_at_index(0)
        if option.id == self._NO_MATCHES:
            commands.replace_option_prompt(
                self._NO_MATCHES,
                Align.center(Text(_("No matches found"), style="not bold")),
            )


class TranslatedPalette:
    """App methods that open the command palette with its texts translated.

    They replace App.action_command_palette and App.search_themes of Textual 8.2.8,
    which open Textual's palette with English texts.
    """

    def action_command_palette(self: App[object]) -> None:  # type: ignore[misc]
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(TranslatedCommandPalette(id="--command-palette"))

    def search_themes(self: App[object]) -> None:  # type: ignore[misc]
        self.push_screen(
            TranslatedCommandPalette(
                providers=[ThemeProvider], placeholder=_("Search for themes ...")
            )
        )
