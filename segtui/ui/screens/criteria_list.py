"""A segment's criteria: its actions in order, Go Back, Go Forward, save and reuse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from segtui.domain import saved_criteria, segment_actions, segmentation
from segtui.domain.criteria import describe_action, describe_filters
from segtui.domain.saved_criteria import ReplayResult
from segtui.domain.segment_actions import ReuseResult
from segtui.i18n import _, format_count, ngettext
from segtui.models import SegmentCriteriaAction
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.criteria_dialogs import ReuseLoggedDialog, SaveCriteriaDialog
from segtui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from segtui.ui.text import display, terminal_text, truncate_cells


@dataclass(frozen=True)
class ActionRow:
    """One criteria action as the list shows it."""

    sequence: int
    text: str
    active: bool
    inserted: int
    deleted: int
    # The action's name with its target and options, without its filters.
    summary: str = ""
    # One ``label=expression`` line per filter.
    filters: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriteriaData:
    description: str
    line_count: int
    actions: list[ActionRow]


def action_row(action: SegmentCriteriaAction) -> ActionRow:
    filters = action.filters or {}
    options = action.options or {}
    return ActionRow(
        sequence=action.sequence,
        text=describe_action(action.action, filters, options),
        active=bool(action.active),
        inserted=action.lines_inserted,
        deleted=action.lines_deleted,
        summary=describe_action(action.action, {}, options),
        filters=tuple(
            describe_filters({source: {key: expression}})
            for source, fields in filters.items()
            for key, expression in fields.items()
        ),
    )


def load_criteria(no: str) -> CriteriaData:
    header = segmentation.get_segment(no)
    return CriteriaData(
        description=header.description,
        line_count=segmentation.count_lines(no),
        actions=[action_row(a) for a in segmentation.criteria_actions(no)],
    )


class OneLine(Visual):
    """A list option's text on one line, ending in TRUNCATION_MARK when cut to fit.

    OptionList in Textual 8.2.8 wraps a Text or str prompt at the list's width, so
    a long action would continue on the next line under the columns.
    """

    def __init__(self, text: str) -> None:
        self.plain = terminal_text(text)

    def __str__(self) -> str:
        return self.plain

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if width <= 0:
            return []
        line = Content(truncate_cells(self.plain, width))
        return line.render_strips(width, 1, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return Content(self.plain).cell_length

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


def state_width() -> int:
    """Return the cells of the state column: its heading or "undone", whichever is
    longer in the interface language, such as 10 for the German "rückgängig"."""
    return max(cell_len(_("State")), cell_len(_("undone")))


def pad(text: str, width: int) -> str:
    """Return ``text`` followed by spaces up to ``width`` terminal cells."""
    return text + " " * max(width - cell_len(text), 0)


def action_line(row: ActionRow) -> OneLine:
    """Render an action as ``  3  undone  +0      -4       Reduce Contacts  city=X``."""
    state = "" if row.active else _("undone")
    return OneLine(
        f"{row.sequence:>3}  {pad(state, state_width())}  +{row.inserted:<6} "
        f"-{row.deleted:<7} {display(row.text)}"
    )


def heading_line() -> Text:
    """Return the column names above the lines that action_line renders."""
    number, state, added = _("No."), _("State"), _("Added")
    removed, action = _("Removed"), _("Action")
    return Text(
        f"{number:>3}  {pad(state, state_width())}  {pad(added, 7)} "
        f"{pad(removed, 8)} {action}",
        style="bold",
    )


def step_target(actions: list[ActionRow], direction: str) -> ActionRow | None:
    """Return the action Go Back (``back``) or Go Forward (``forward``) would change."""
    if direction == "back":
        active = [row for row in actions if row.active]
        return active[-1] if active else None
    undone = [row for row in actions if not row.active]
    return undone[0] if undone else None


def step_message(direction: str, sequence: int, result: Any) -> str:
    restored, removed = result.inserted, result.deleted
    if direction == "back":
        text = ngettext(
            "Action {sequence} undone: {restored} line restored, {removed} removed.",
            "Action {sequence} undone: {restored} lines restored, {removed} removed.",
            restored,
        )
    else:
        text = ngettext(
            "Action {sequence} redone: {restored} line restored, {removed} removed.",
            "Action {sequence} redone: {restored} lines restored, {removed} removed.",
            restored,
        )
    return text.format(
        sequence=sequence,
        restored=format_count(restored),
        removed=format_count(removed),
    )


def offer_step(
    screen: BaseScreen, segment_no: str, direction: str, done: Callable[[str], None]
) -> None:
    """Ask before Go Back (``back``) or Go Forward (``forward``), then run it.

    "No" is the default. ``done`` gets the message of what changed.
    """
    user = screen.app.user  # type: ignore[attr-defined]

    def run_step(target: ActionRow) -> None:
        step = (
            segment_actions.go_back
            if direction == "back"
            else segment_actions.go_forward
        )
        screen.run(
            lambda: step(segment_no, user=user),
            lambda result: done(step_message(direction, target.sequence, result)),
        )

    def ask(actions: list[ActionRow]) -> None:
        target = step_target(actions, direction)
        if target is None:
            message = (
                _("Segment {no} has no action to go back from.")
                if direction == "back"
                else _("Segment {no} has no undone action to go forward to.")
            )
            screen.notify(message.format(no=segment_no), markup=False)
            return
        if direction == "back":
            title = _("Go Back")
            question = _(
                "Undo action {sequence}?\n{action}\nThe lines it added are removed "
                "and the lines it removed come back."
            )
            step_help = _(
                "Yes undoes this action of the segment's criteria: the lines it "
                "added are removed and the lines it removed come back as they were. "
                "The action stays listed as undone, so Go Forward (f) redoes it, "
                "until a new action discards it. No and Esc leave the lines as they "
                "are."
            )
        else:
            title = _("Go Forward")
            question = _(
                "Redo action {sequence}?\n{action}\nThe lines it added come back "
                "and the lines it removed are removed again."
            )
            step_help = _(
                "Yes redoes this undone action of the segment's criteria: the lines "
                "it added come back and the lines it removed are removed again. Go "
                "Back (b) undoes it again. No and Esc leave the lines as they are."
            )
        text = question.format(sequence=target.sequence, action=display(target.text))

        def answered(yes: bool | None) -> None:
            if yes:
                run_step(target)

        screen.app.push_screen(
            ConfirmDialog(title, text, default=False, help=step_help), answered
        )

    screen.run(lambda: load_criteria(segment_no).actions, ask)


def replay_message(code: str, result: ReplayResult) -> str:
    return ngettext(
        "Saved criteria {code} replayed, {count} action: {inserted} lines added, "
        "{deleted} removed.",
        "Saved criteria {code} replayed, {count} actions: {inserted} lines added, "
        "{deleted} removed.",
        len(result.results),
    ).format(
        code=code,
        count=format_count(len(result.results)),
        inserted=format_count(result.inserted),
        deleted=format_count(result.deleted),
    )


def action_dialog(segment_no: str, row: ActionRow) -> MessageDialog:
    """Return a dialog with an action's whole text, which the list cuts to fit."""
    parts = [
        display(row.summary or row.text),
        _("Lines added: {added}, removed: {removed}.").format(
            added=format_count(row.inserted), removed=format_count(row.deleted)
        ),
    ]
    if not row.active:
        parts.append(_("Go Back undid this action."))
    if row.filters:
        parts.append(_("Filters:"))
    return MessageDialog(
        _("Action {sequence} of segment {no}").format(
            sequence=row.sequence, no=segment_no
        ),
        "\n".join(parts),
        [display(line) for line in row.filters],
        help=_(
            "One action of the segment's criteria in full: its name with its target "
            "and options, the lines it added and removed, and each of its filters "
            "on a line of its own."
        ),
    )


class CriteriaListScreen(BaseScreen):
    HELP = _(
        "The criteria of a segment: every action that changed its lines, in order, "
        "with the lines it added (+) and removed (-). An action undone by Go Back is "
        "marked undone until Go Forward redoes it; a new action discards the undone "
        "ones. Enter shows the highlighted action in full, with its filters and "
        "options.\n\n"
        "b goes back from the last action and f goes forward again, both after a "
        "question whose default is No. s saves the active actions under a code, u "
        "replays saved criteria on this segment, and o adds the contacts of a logged "
        "segment."
    )

    MARKETING_ACTIONS = frozenset(
        {"go_back", "go_forward", "save", "reuse_saved", "reuse_logged"}
    )
    # In a terminal too narrow for all the keys, Go Forward gives way first.
    FOOTER_DROP_TO_FIT = ("go_forward",)
    FOOTER_ESSENTIAL = frozenset(
        {"go_back", "go_forward", "save", "reuse_saved", "reuse_logged"}
    )

    BINDINGS = [
        Binding(
            "enter",
            "show_action",
            _("Show"),
            show=False,
            tooltip=_("Show the highlighted action with all its filters and options"),
        ),
        Binding(
            "b",
            "go_back",
            _("Go back"),
            tooltip=_("Undo the last action, restoring the lines exactly"),
        ),
        Binding(
            "f",
            "go_forward",
            _("Forward"),
            tooltip=_("Redo the action that Go Back undid"),
        ),
        Binding(
            "s",
            "save",
            _("Save"),
            tooltip=_("Save the active actions under a code, to reuse them"),
        ),
        Binding(
            "u",
            "reuse_saved",
            _("Reuse saved"),
            tooltip=_("Replay saved criteria on this segment"),
        ),
        Binding(
            "o",
            "reuse_logged",
            _("Reuse logged"),
            tooltip=_("Add the contacts of a logged segment"),
        ),
        Binding(
            "f5",
            "refresh",
            _("Refresh"),
            show=False,
            tooltip=_("Read the criteria again"),
        ),
        Binding(
            "escape", "back", _("Back"), tooltip=_("Back to the segment's worksheet")
        ),
    ]

    def __init__(self, segment_no: str) -> None:
        super().__init__()
        self.segment_no = segment_no
        self.data: CriteriaData | None = None
        # True once an action here changed the lines, so the worksheet reads them.
        self.changed = False
        self.last_message = ""

    def title_text(self) -> str:
        return _("Criteria of segment {no}").format(no=self.segment_no)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="criteria-status", markup=False)
        yield Label(heading_line(), id="actions-heading", markup=False)
        yield OptionList(id="actions", compact=True)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        no = self.segment_no
        self.run(lambda: load_criteria(no), self.show, group="load", exclusive=True)

    def show(self, data: CriteriaData) -> None:
        self.data = data
        self.set_title(
            _("Criteria of segment {no}  {description}").format(
                no=self.segment_no, description=data.description
            )
        )
        actions = self.query_one("#actions", OptionList)
        highlighted = actions.highlighted
        actions.clear_options()
        actions.add_options(
            Option(action_line(row), id=str(row.sequence)) for row in data.actions
        )
        if data.actions:
            last = len(data.actions) - 1
            actions.highlighted = min(
                highlighted if highlighted is not None else last, last
            )
        actions.focus()
        self.show_status()

    def show_status(self) -> None:
        if self.data is None:
            return
        status = Text()
        count = self.data.line_count
        status.append(
            ngettext(
                "{count} line on the segment.", "{count} lines on the segment.", count
            ).format(count=format_count(count))
        )
        back = step_target(self.data.actions, "back")
        forward = step_target(self.data.actions, "forward")
        if not self.data.actions:
            status.append(
                " "
                + _(
                    "No actions yet: add contacts in the worksheet (a), reuse saved "
                    "criteria (u) or reuse a logged segment (o)."
                )
            )
        if back is not None:
            status.append(" " + _("b undoes action {no}.").format(no=back.sequence))
        if forward is not None:
            status.append(" " + _("f redoes action {no}.").format(no=forward.sequence))
        if self.last_message:
            status.append("\n")
            status.append(self.last_message, style="bold")
        self.query_one("#criteria-status", Static).update(status)

    def after_change(self, message: str, *, notify: bool = True) -> None:
        self.changed = True
        self.last_message = message
        if notify:
            self.notify(message, markup=False)
        self.action_refresh()

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def enter_label(self) -> str | None:
        # Enter in the list shows the highlighted action in full.
        actions = self.query_one("#actions", OptionList)
        if self.focused is actions and actions.highlighted is not None:
            return _("Show")
        return None

    @on(OptionList.OptionSelected, "#actions")
    def action_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_show_action()

    def action_show_action(self) -> None:
        actions = self.query_one("#actions", OptionList)
        index = actions.highlighted
        if self.data is None or index is None or index >= len(self.data.actions):
            return
        self.app.push_screen(action_dialog(self.segment_no, self.data.actions[index]))

    def action_go_back(self) -> None:
        offer_step(self, self.segment_no, "back", self.after_change)

    def action_go_forward(self) -> None:
        offer_step(self, self.segment_no, "forward", self.after_change)

    def action_save(self) -> None:
        def saved(code: str | None) -> None:
            if code:
                self.last_message = _("Criteria saved as {code}.").format(code=code)
                self.notify(self.last_message, markup=False)
                self.show_status()

        self.app.push_screen(SaveCriteriaDialog(self.segment_no), saved)

    def action_reuse_saved(self) -> None:
        self.run(saved_criteria.list_saved_criteria, self.pick_saved)

    def pick_saved(self, rows: list[saved_criteria.SavedCriteriaSummary]) -> None:
        if not rows:
            self.notify(
                _("There are no saved criteria yet; press s to save these."),
                markup=False,
            )
            return
        choices = [
            (
                row.code,
                ngettext(
                    "{code}  {description}  ({count} action)",
                    "{code}  {description}  ({count} actions)",
                    row.actions,
                ).format(
                    code=row.code,
                    description=display(row.description),
                    count=format_count(row.actions),
                ),
            )
            for row in rows
        ]

        def chosen(code: str | None) -> None:
            if code:
                self.run(
                    lambda: saved_criteria.describe_saved(code),
                    lambda lines: self.confirm_replay(code, lines),
                )

        self.app.push_screen(ChoiceDialog(_("Reuse saved criteria"), choices), chosen)

    def confirm_replay(self, code: str, lines: list[str]) -> None:
        question = "\n".join(
            [
                _("Replay saved criteria {code} on segment {no}?").format(
                    code=code, no=self.segment_no
                ),
                *(f"{index}  {display(line)}" for index, line in enumerate(lines, 1)),
            ]
        )
        no, user = self.segment_no, self.app.user  # type: ignore[attr-defined]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: saved_criteria.reuse_criteria(code, no, user=user),
                    lambda result: self.replayed(code, result),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Reuse saved criteria"),
                question,
                default=True,
                help=_(
                    "Yes replays the listed actions on this segment, in order and "
                    "with their options, as new actions of its criteria. If one "
                    "fails, the segment is left as it was. Go Back (b) undoes the "
                    "replayed actions one at a time. No and Esc change nothing."
                ),
            ),
            answered,
        )

    def replayed(self, code: str, result: ReplayResult) -> None:
        message = replay_message(code, result)
        self.after_change(message, notify=not result.messages)
        if result.messages:
            title = _("Saved criteria {code} replayed").format(code=code)
            self.app.push_screen(MessageDialog(title, message, result.messages))

    def action_reuse_logged(self) -> None:
        no, user = self.segment_no, self.app.user  # type: ignore[attr-defined]

        def chosen(choice: tuple[int, bool] | None) -> None:
            if choice is None:
                return
            entry_no, allow_existing = choice
            self.run(
                lambda: segment_actions.reuse_logged_segment(
                    no, entry_no, allow_existing=allow_existing, user=user
                ),
                lambda result: self.reused(entry_no, result),
            )

        self.app.push_screen(ReuseLoggedDialog(self.segment_no), chosen)

    def reused(self, entry_no: int, result: ReuseResult) -> None:
        message = result.message()
        self.after_change(message, notify=not result.missing)
        if result.missing:
            self.app.push_screen(
                MessageDialog(
                    _("Logged segment {no} reused").format(no=entry_no), message
                )
            )
