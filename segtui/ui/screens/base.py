"""What every segtui screen shares: running jobs and showing their errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Label

from segtui.domain.errors import SegtuiError, ValidationError
from segtui.i18n import _
from segtui.ui.footer import KeyFooter
from segtui.ui.key_names import help_key_name
from segtui.ui.keys import (
    NamedBindings,
    first_and_last_bindings,
    move_focused_to_end,
)
from segtui.ui.screens.dialogs import MessageDialog
from segtui.ui.text import terminal_text, truncate_cells
from segtui.ui.worker import run_job


class ScreenTitle(Label):
    """A screen's title line. A title wider than the line shows its start and
    TRUNCATION_MARK, as a table cell does, and is cut again on every resize."""

    def __init__(self, text: str) -> None:
        super().__init__(id="screen-title", markup=False)
        self.text = text

    def set_text(self, text: str) -> None:
        self.text = text
        self.refresh()

    def render(self) -> RenderResult:
        return Text(truncate_cells(terminal_text(self.text), self.content_size.width))


class BaseScreen(NamedBindings, Screen[Any]):
    """A full screen with a title line, the footer, and background jobs."""

    AREA = "screen"
    # Shown by F1 help: what the screen is for.
    HELP = ""
    SCREEN_TITLE = ""
    # Actions that change data: hidden and refused for a user whose role is viewer.
    MARKETING_ACTIONS: frozenset[str] = frozenset()
    # Actions of the screen's own work, the keys its HELP names as what it is for.
    # The footer gives up the screen's other keys and the keys shared by all
    # screens before these, which must fit an 80-column footer in English and
    # German, as tests/test_footer_fit.py checks.
    FOOTER_ESSENTIAL: frozenset[str] = frozenset()
    # Rare actions, such as Refresh or Un-cancel, that the footer leaves out below
    # COMPACT_BELOW columns. F1 help and the command palette list them at every
    # width.
    FOOTER_WIDE_ONLY: frozenset[str] = frozenset()
    # The order in which the footer leaves out actions, before the others of the
    # same kind, in a terminal too narrow for all its keys.
    FOOTER_DROP_TO_FIT: tuple[str, ...] = ()

    BINDINGS = [
        Binding(
            "f1",
            "app.help",
            _("Help"),
            tooltip=_("Show the keys and help for this screen"),
        ),
        *first_and_last_bindings(),
    ]

    def key_in_effect(self, action: str) -> str:
        """Return the first key that runs ``action`` of this screen now, as key caps
        print it, or "" when no key does."""
        for key, active in self.app.active_bindings.items():
            if active.node is self and active.binding.action == action:
                return help_key_name(key)
        return ""

    def record_exists(self) -> bool:
        """Check that the one record this screen shows still exists.

        Screens that show one record override this, together with
        deleted_message. It runs in a job thread when the screen comes back from
        under another full screen, where the user may have deleted the record.
        """
        return True

    def deleted_message(self) -> str:
        return _("The record shown here was deleted.")

    def record_resumed(self) -> None:
        """Read the screen's data again after a full screen above it closed.

        Screens that show one record get here only when the record still exists.
        By default a screen with a refresh action runs it, unless a subclass has
        its own ScreenResume handler, which then decides.
        """
        refresh = getattr(self, "action_refresh", None)
        if refresh is not None and not self.handles_resume():
            refresh()

    def handles_resume(self) -> bool:
        for cls in type(self).__mro__:
            if cls is BaseScreen:
                return False
            if "on_screen_resume" in cls.__dict__:
                return True
        return False

    def on_screen_suspend(self) -> None:
        # Textual posts ScreenSuspend before it pushes the next screen, so by the
        # time this runs the covering screen is on top. After a dialog its result
        # decides instead: logging, for example, closes the worksheet itself.
        self.covered_by_full_screen = not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        if not getattr(self, "covered_by_full_screen", False):
            return
        self.covered_by_full_screen = False
        if type(self).record_exists is BaseScreen.record_exists:
            self.record_resumed()
            return
        self.run(self.record_exists, self.close_if_deleted, group="resume")

    def close_if_deleted(self, exists: bool) -> None:
        if exists:
            self.record_resumed()
            return
        self.notify(self.deleted_message(), markup=False)
        if self.is_current:
            self.dismiss(None)

    def action_first_item(self) -> None:
        move_focused_to_end(self.focused, last=False)

    def action_last_item(self) -> None:
        move_focused_to_end(self.focused, last=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys of actions the user's role may not do."""
        may_change = getattr(self.app, "may_change", True)
        return may_change or action not in self.MARKETING_ACTIONS

    def compose_title(self) -> ComposeResult:
        yield ScreenTitle(self.title_text())

    def compose_footer(self) -> ComposeResult:
        # The footer sets its own compact layout from the terminal width.
        yield KeyFooter()

    def title_text(self) -> str:
        return self.SCREEN_TITLE

    def set_title(self, text: str) -> None:
        self.query_one("#screen-title", ScreenTitle).set_text(text)

    def run(
        self,
        function: Callable[[], Any],
        on_done: Callable[[Any], None],
        *,
        group: str = "default",
        exclusive: bool = False,
    ) -> None:
        run_job(self, function, on_done, group=group, exclusive=exclusive)

    def show_error(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.app.push_screen(
                MessageDialog(
                    _("Not done"), error.message, [str(p) for p in error.problems]
                )
            )
        elif isinstance(error, SegtuiError):
            self.app.push_screen(MessageDialog(_("Not done"), error.message))
        else:
            log_path = getattr(self.app, "log_path", None)
            details = (
                _("The log file {path} has the details.").format(path=log_path)
                if log_path
                else ""
            )
            self.app.push_screen(
                MessageDialog(
                    _("Unexpected error"), f"{type(error).__name__}: {error}\n{details}"
                )
            )
