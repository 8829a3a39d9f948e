"""Modal dialogs: confirm, enter a value, pick from a list, show a message.

Every dialog closes with Escape without changing anything. Long text scrolls in the
body while the buttons stay docked at the bottom, so they stay reachable on a short
terminal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from segtui.i18n import _, language
from segtui.ui.footer import KeyFooter
from segtui.ui.keys import (
    NamedBindings,
    first_and_last_bindings,
    move_focused_to_end,
)
from segtui.ui.worker import dismiss_on_top

# The key a button label names at its end, such as " (Ctrl+S)".
BUTTON_KEY = re.compile(r"\s*\([^()]*\)$")


class Dialog(NamedBindings, ModalScreen[Any]):
    """The frame every dialog shares: a title, a scrolling body, docked buttons."""

    # Shown by F1 help above the dialog's keys: what the dialog is for and what
    # its fields mean.
    HELP = _(
        "A dialog asks for something before segtui goes on. Esc closes it without "
        "changing anything."
    )

    BINDINGS = [
        Binding(
            "f1",
            "app.help",
            _("Help"),
            tooltip=_("Show what this dialog is for and its keys"),
        ),
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            tooltip=_("Close without changing anything"),
        ),
        *first_and_last_bindings(),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.dialog_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.dialog_title), id="dialog-title", markup=False)
            with VerticalScroll(id="dialog-body"):
                yield from self.compose_body()
            with Horizontal(id="dialog-buttons"):
                yield from self.compose_buttons()
        # The dialog's own keys, in place of those of the screen below, which do
        # not work while the dialog is open.
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def compose_buttons(self) -> ComposeResult:
        yield from ()

    def title_text(self) -> str:
        """Return the dialog's title, which the F1 help screen puts in its own."""
        return self.dialog_title

    def action_cancel(self) -> None:
        self.dismiss(None)

    def dismiss(self, result: Any = None) -> Any:
        """Close the dialog with ``result`` once it is the top screen.

        Textual 8.2.8 pops the top screen, whichever that is. A dialog whose job
        ends while help or the quit question covers it would close that screen
        instead and leave itself open, so it waits until the screens over it close.
        A dialog no longer in the screen stack does nothing.
        """
        if self.app.screen is self:
            return super().dismiss(result)
        dismiss_on_top(self, result)
        return None

    def enter_label(self) -> str | None:
        """Return what Enter does in the focused widget, for the footer, or None.

        A pick list binds Enter itself and hides the key, so without this the
        footer of a list dialog would not name the key that picks. In a Select's
        drop-down and in other widgets Enter is left unnamed.
        """
        focused = self.focused
        if isinstance(focused, OptionList) and not isinstance(focused.parent, Select):
            return _("Select")
        return None

    def button_label(self, action: str) -> str | None:
        """Return the label, without its key, of the button that does ``action``."""
        ids = ("cancel", "close") if action == "cancel" else (action,)
        for button in self.query(Button):
            if button.id in ids:
                return BUTTON_KEY.sub("", str(button.label))
        return None

    def action_first_item(self) -> None:
        move_focused_to_end(self.focused, last=False)

    def action_last_item(self) -> None:
        move_focused_to_end(self.focused, last=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Leave out the first and last row keys in a dialog without a list.

        F1 then does not list them, and in a text field ctrl+a and ctrl+e still
        move to the start and end of the text.
        """
        if action in ("first_item", "last_item"):
            return any(
                not any(isinstance(node, Select) for node in widget.ancestors)
                for widget in self.query(LIST_WIDGETS)
            )
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        select = event.widget.parent
        if isinstance(event.widget, OptionList) and isinstance(select, Select):
            self.fit_drop_down(select)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget.parent, Select):
            self.query_one("#dialog").styles.min_height = None
            self.query_one("#dialog-body").styles.clear_rule("padding")

    def fit_drop_down(self, select: Select[Any]) -> None:
        """Make room in the dialog for the list a Select drops down, and keep it there.

        Textual draws the list over the screen, up to DROP_DOWN_ROWS rows, so near
        the bottom of a short dialog it would cover the border and the screen
        below. The dialog grows as far as the screen allows. If that is not
        enough, the body scrolls the Select to its top, with blank rows added
        below the last field for the time the list is open. The list gets the
        rows left.
        """
        frame = self.query_one("#dialog")
        options = select.query_one(OptionList)
        # The list's frame (see app.tcss) takes rows of its own.
        frame_rows = options.styles.gutter.height
        needed = min(options.option_count + frame_rows, DROP_DOWN_ROWS)
        missing = needed - self.rows_below(select)
        if missing <= 0:
            self.call_after_refresh(self.limit_drop_down, select)
            return
        room = self.size.height - frame.outer_size.height
        frame.styles.min_height = frame.outer_size.height + min(missing, room)
        if missing <= room:
            self.call_after_refresh(self.limit_drop_down, select)
            return
        body = self.query_one("#dialog-body", VerticalScroll)
        body.styles.padding = (0, 0, needed, 0)

        def scroll_select_to_top() -> None:
            before = body.scroll_y
            body.scroll_to_widget(select, top=True, animate=False, immediate=True)
            # The Select's region follows the scroll only at a later refresh.
            self.limit_drop_down(select, round(body.scroll_y - before))

        self.call_after_refresh(scroll_select_to_top)

    def rows_below(self, select: Select[Any]) -> int:
        """Return the rows between a Select's value and the dialog's bottom border."""
        inner_bottom = self.query_one("#dialog").region.bottom - 1
        return inner_bottom - (select.region.y + 1)

    def limit_drop_down(self, select: Select[Any], scrolled: int = 0) -> None:
        if select.expanded:
            options = select.query_one(OptionList)
            options.styles.max_height = max(1, self.rows_below(select) + scrolled)


# Rows of Textual 8.2.8's Select list, its frame included: its max-height.
DROP_DOWN_ROWS = 12


def top_and_bottom_bindings() -> list[Binding]:
    """Return the keys that scroll a dialog's text to its top and its bottom.

    Ctrl+A and Ctrl+E come first, so the footer shows the keys that every terminal
    sends. A dialog that uses these has the actions scroll_top and scroll_bottom.
    """
    return [
        Binding(
            "ctrl+a,home",
            "scroll_top",
            _("Top"),
            tooltip=_("Scroll to the top of the text (Home where it works)"),
        ),
        Binding(
            "ctrl+e,end",
            "scroll_bottom",
            _("Bottom"),
            tooltip=_("Scroll to the bottom of the text (End where it works)"),
        ),
    ]


# The widgets whose rows ctrl+a and ctrl+e move to the first and last of. The
# option list that a Select drops down is not one: it has Home and End.
LIST_WIDGETS = "DataTable, OptionList"


class ConfirmDialog(Dialog):
    """Ask a yes/no question; the default button is the one focused first.

    Escape dismisses with None, so a caller can tell "back out" from "no". Most
    callers do nothing on either, and the footer names Escape "No". A caller that
    does something on "no" passes ``escape_label``, the word for what Escape
    leads back to instead. ``help`` is what F1 shows above the keys: what yes
    does, whether it can be undone, and what no and Escape keep.
    """

    # Shown by F1 only for a question whose caller passes no help of its own.
    HELP = _(
        "A yes/no question about the step you started. y (or j) answers yes, n "
        "answers no, and Enter presses the highlighted button. Esc backs out and "
        "changes nothing, which for most questions is the same as no."
    )

    BINDINGS = [
        # The footer shows the first key: j for the German "ja", as the yes button
        # does. Both keys mean yes in either language.
        Binding(
            "j,y" if language() == "de" else "y,j",
            "answer(True)",
            _("Yes"),
            tooltip=_("Answer yes"),
        ),
        Binding("n", "answer(False)", _("No"), tooltip=_("Answer no")),
    ]

    def __init__(
        self,
        title: str,
        question: str,
        *,
        default: bool = False,
        escape_label: str | None = None,
        help: str = "",
    ) -> None:
        super().__init__(title)
        self.question = question
        self.default = default
        self.escape_label = escape_label or _("No")
        if help:
            self.set_help(help)

    def set_help(self, help: str) -> None:
        """Make F1 show ``help`` above the keys of the question."""
        keys = _(
            "y (or j) answers yes, n answers no, Enter presses the highlighted "
            "button, and Esc backs out."
        )
        # F1 reads HELP from the dialog object, so this hides the class's.
        self.HELP = f"{help}\n\n{keys}"

    def set_question(self, question: str, help: str) -> None:
        """Replace the question and its F1 help while the dialog is open."""
        self.question = question
        self.set_help(help)
        self.query_one("#question", Static).update(Text(question))

    def button_label(self, action: str) -> str | None:
        # "Cancel" beside a question such as "Cancel entry 5?" would read as the
        # answer yes.
        if action == "cancel":
            return self.escape_label
        return super().button_label(action)

    def compose_body(self) -> ComposeResult:
        yield Static(Text(self.question), id="question", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(
            _("Yes (y)"),
            id="yes",
            variant="primary" if self.default else "default",
            compact=True,
        )
        yield Button(
            _("No (n)"),
            id="no",
            variant="default" if self.default else "primary",
            compact=True,
        )

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default else "#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class MessageDialog(Dialog):
    """Show a message, or a list of problems, until the user closes it.

    A caller that shows content, such as a letter, passes ``help``: what is shown.
    F1 then shows it with the keys that scroll and close the dialog.
    """

    HELP = _(
        "A message, or a list of problems, about the step just taken. Enter or "
        "Esc closes it."
    )

    BINDINGS = [
        Binding(
            "enter", "cancel", _("Close"), show=False, tooltip=_("Close the message")
        ),
        # The Close button has the focus, so the body scrolls only by these keys.
        Binding(
            "up",
            "scroll_line_up",
            _("Scroll"),
            show=False,
            tooltip=_("Scroll up one line"),
        ),
        Binding(
            "down",
            "scroll_line_down",
            _("Scroll"),
            show=False,
            tooltip=_("Scroll down one line"),
        ),
        Binding(
            "pageup,ctrl+u",
            "scroll_page_up",
            _("Scroll"),
            show=False,
            tooltip=_("Scroll up one page"),
        ),
        Binding(
            "pagedown,ctrl+d",
            "scroll_page_down",
            _("Scroll"),
            show=False,
            tooltip=_("Scroll down one page"),
        ),
        *top_and_bottom_bindings(),
    ]

    def __init__(
        self, title: str, message: str, lines: Sequence[str] = (), *, help: str = ""
    ) -> None:
        super().__init__(title)
        self.message = message
        self.lines = list(lines)
        if help:
            # F1 reads HELP from the dialog object, so this hides the class's.
            keys = _(
                "The up and down arrows, PageUp and PageDown (or Ctrl+U and Ctrl+D) "
                "scroll the text, Home and End (or Ctrl+A and Ctrl+E) go to its top "
                "and bottom, and Enter or Esc closes the dialog."
            )
            self.HELP = f"{help}\n\n{keys}"

    def compose_body(self) -> ComposeResult:
        yield Static(Text(self.message), classes="message", markup=False)
        for line in self.lines:
            yield Static(Text(f"- {line}"), classes="problem", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Close (Esc)"), id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()
        # Whether the body scrolls, and so shows Top and Bottom, is known after layout.
        self.call_after_refresh(self.refresh_bindings)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_bindings)

    def body(self) -> VerticalScroll:
        return self.query_one("#dialog-body", VerticalScroll)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Leave out Top and Bottom while the whole message fits the dialog."""
        if action in ("scroll_top", "scroll_bottom"):
            # Before compose the dialog has no body yet.
            body = self.query_one_optional("#dialog-body", VerticalScroll)
            return body is not None and body.max_scroll_y > 0
        return super().check_action(action, parameters)

    def action_scroll_top(self) -> None:
        self.body().scroll_home(animate=False)

    def action_scroll_bottom(self) -> None:
        self.body().scroll_end(animate=False)

    def action_scroll_line_up(self) -> None:
        self.body().action_scroll_up()

    def action_scroll_line_down(self) -> None:
        self.body().action_scroll_down()

    def action_scroll_page_up(self) -> None:
        self.body().action_page_up()

    def action_scroll_page_down(self) -> None:
        self.body().action_page_down()

    @on(Button.Pressed)
    def pressed(self) -> None:
        self.dismiss(None)


class InputDialog(Dialog):
    """Ask for one line of text; Enter accepts it, Escape cancels.

    ``help`` is what F1 shows above the keys: what the value means, the forms it
    accepts, what Enter does with it and that Esc changes nothing.
    """

    # Shown by F1 only for a dialog whose caller passes no help of its own.
    HELP = _(
        "Asks for the one value its prompt names. Type it and press Enter. Esc "
        "closes the dialog without using the value."
    )

    def __init__(
        self,
        title: str,
        prompt: str,
        value: str = "",
        placeholder: str = "",
        *,
        help: str = "",
    ) -> None:
        super().__init__(title)
        self.prompt = prompt
        self.value = value
        self.placeholder = placeholder
        if help:
            # F1 reads HELP from the dialog object, so this hides the class's.
            self.HELP = help

    def compose_body(self) -> ComposeResult:
        # A Static, unlike a Label, wraps the prompt at the dialog's width.
        yield Static(Text(self.prompt), id="prompt", markup=False)
        yield Input(value=self.value, placeholder=self.placeholder, id="value")
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("OK (Enter)"), id="ok", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def accept(self) -> None:
        text = self.query_one("#value", Input).value.strip()
        if not text:
            self.query_one("#error", Static).update(
                Text(_("Enter a value, or press Esc."))
            )
            return
        self.dismiss(text)

    @on(Input.Changed, "#value")
    def value_changed(self, event: Input.Changed) -> None:
        # The only problem shown is an empty value, which typed text fixes.
        if event.value.strip():
            self.query_one("#error", Static).update("")

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class ChoiceDialog(Dialog):
    """Pick one of several values from a list; Enter picks, Escape cancels."""

    HELP = _(
        "Pick one value from the list: move with the arrows, or Ctrl+A and Ctrl+E "
        "for the first and last, and press Enter. Esc closes the list without "
        "picking."
    )

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], current: str | None = None
    ):
        super().__init__(title)
        self.choices = list(choices)
        self.current = current

    def compose_body(self) -> ComposeResult:
        yield OptionList(
            *(Option(Text(label), id=value or "-") for value, label in self.choices),
            id="choices",
        )

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        options.focus()
        for index, (value, _label) in enumerate(self.choices):
            if value == self.current:
                options.highlighted = index

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        value = event.option.id
        self.dismiss("" if value == "-" else value)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)
