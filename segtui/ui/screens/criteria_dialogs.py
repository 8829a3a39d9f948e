"""Dialogs of the criteria list: save the criteria, pick a logged segment to reuse."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from segtui.domain import logged_segments, saved_criteria
from segtui.i18n import _, format_count, ngettext
from segtui.ui.screens.dialogs import Dialog
from segtui.ui.screens.logged import logged_status
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row
from segtui.ui.text import display
from segtui.ui.widgets.tick import Tick
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job


class SaveCriteriaDialog(FormDialog, FieldNavigation):
    """Save a segment's active actions under a code. An error keeps the dialog open."""

    HELP = _(
        "Save the segment's criteria, the add, reduce and refine actions in effect "
        "in their order, to replay them on another segment later. Code names the "
        "saved criteria "
        "and Description says what they select. The tick replaces saved criteria "
        "that have the same code. Enter in Description or Ctrl+S saves. Esc closes "
        "without saving."
    )

    SUBMIT_INPUTS = frozenset({"description"})

    def __init__(self, segment_no: str) -> None:
        super().__init__(_("Save the criteria of segment {no}").format(no=segment_no))
        self.segment_no = segment_no

    def compose_body(self) -> ComposeResult:
        yield form_row(
            _("Code"),
            TypeAheadInput(
                id="code",
                compact=True,
                max_length=saved_criteria.MAX_CODE_LENGTH,
                placeholder=_("such as NEWS-DE"),
            ),
        )
        yield form_row(_("Description"), TypeAheadInput(id="description", compact=True))
        # Under the labels rather than the inputs: the German text would not fit
        # beside the label column in an 80-column terminal.
        yield Horizontal(
            Tick(
                _("Replace saved criteria with the same code"),
                False,
                id="replace",
                compact=True,
            ),
            classes="options-row",
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#description")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        code = self.query_one("#code", Input).value
        description = self.query_one("#description", Input).value
        replace = self.query_one("#replace", Checkbox).value
        no, user = self.segment_no, self.app.user  # type: ignore[attr-defined]
        run_job(
            self,
            lambda: (
                saved_criteria.save_criteria(
                    no, code, description, user=user, replace=replace
                ).code
            ),
            self.saved,
            on_error=self.report,
        )

    def saved(self, code: str) -> None:
        self.dismiss(code)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class ReuseLoggedDialog(Dialog):
    """Pick a logged segment whose contacts to add.

    Dismisses with the logged segment's entry number and the Allow existing tick.
    """

    HELP = _(
        "Add the contacts of a logged segment to this segment, such as the "
        "contacts a mailing went to. Each row shows the entry number, the segment "
        "number, its description, when it was logged and how many interactions it "
        "has. Allow existing contacts adds a contact that is on the segment "
        "already once more. Enter or Ctrl+S adds the contacts of the highlighted "
        "row. Esc closes without adding."
    )

    BINDINGS = [
        Binding(
            "ctrl+s",
            "reuse",
            _("Reuse"),
            tooltip=_("Add the contacts of the highlighted logged segment"),
        ),
    ]

    def __init__(self, segment_no: str) -> None:
        super().__init__(
            _("Add the contacts of a logged segment to segment {no}").format(
                no=segment_no
            )
        )

    def compose_body(self) -> ComposeResult:
        yield Label(
            Text(_("Entry  Segment   Description, logged at, interactions")),
            markup=False,
        )
        yield OptionList(id="logged", compact=True)
        # The label as the criteria form names this option. F1 help explains it,
        # because a longer label would be cut at 80 columns.
        yield Tick(
            _("Allow existing contacts"),
            False,
            id="allow_existing",
            compact=True,
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Reuse (Enter)"), id="reuse", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#logged", OptionList).focus()
        run_job(
            self, logged_segments.list_logged_segments, self.fill, on_error=self.report
        )

    def fill(self, rows: list[logged_segments.LoggedSegmentSummary]) -> None:
        options = self.query_one("#logged", OptionList)
        for row in rows:
            text = ngettext(
                "{entry:>5}  {segment:<8}  {description}  {date}  {count} "
                "interaction  {status}",
                "{entry:>5}  {segment:<8}  {description}  {date}  {count} "
                "interactions  {status}",
                row.interactions,
            ).format(
                entry=row.entry_no,
                segment=row.segment_no,
                description=display(row.description),
                date=display(row.created_at),
                count=format_count(row.interactions),
                status=logged_status(row),
            )
            options.add_option(Option(Text(text), id=str(row.entry_no)))
        if rows:
            options.highlighted = 0
        else:
            self.query_one("#error", Static).update(
                Text(_("There is no logged segment yet; press Esc."))
            )

    def report(self, error: Exception) -> None:
        message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        self.query_one("#error", Static).update(Text(message))

    def enter_label(self) -> str | None:
        # Enter in the list reuses the highlighted row, as the Reuse button does.
        if super().enter_label() is None:
            return None
        return self.button_label("reuse")

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option.id)

    @on(Button.Pressed, "#reuse")
    def action_reuse(self) -> None:
        options = self.query_one("#logged", OptionList)
        if options.highlighted is None:
            return
        self.choose(options.get_option_at_index(options.highlighted).id)

    def choose(self, option_id: str | None) -> None:
        if option_id is None:
            return
        allow_existing = self.query_one("#allow_existing", Checkbox).value
        self.dismiss((int(option_id), allow_existing))

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)
