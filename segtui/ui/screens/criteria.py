"""The criteria builder for Add, Reduce and Refine Contacts, with a live count."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static

from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions, Filters
from segtui.domain.criteria_sources import EXISTS_FIELD
from segtui.domain.interrupts import StatementInterrupter
from segtui.i18n import _, inside_sentence, ngettext
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.criteria_form import (
    FILTER_HELP,
    FormSection,
    Outcome,
    find_invalid_filter,
    form_sections,
    input_id,
    none_tick_id,
)
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.text import RULE, format_count
from segtui.ui.widgets.tick import Tick
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import dismiss_on_top, run_job

log = logging.getLogger("segtui.ui")

ADD_OPTIONS: list[tuple[str, str]] = [
    ("allow_existing", _("Allow existing contacts")),
    ("expand_companies", _("Expand companies")),
    ("allow_related_companies", _("Allow related companies")),
    ("ignore_exclusion", _("Ignore exclusion")),
]

# Seconds to wait after the last key press before counting.
COUNT_DELAY = 0.3

# Part of the F1 help of Add, Reduce and Refine Contacts.
RUNNING_HELP = _(
    "While Ctrl+S changes the lines, the form says so, and Esc cancels: the "
    "segment stays as it was and the filters stay in the form."
)


class ApplyRun:
    """One apply job, which Esc stops by interrupting its statement.

    The job's transaction then rolls back, so a canceled apply changes nothing. An
    apply that commits before the interrupt reaches it returns its outcome, and the
    form shows that Esc came too late.
    """

    def __init__(self) -> None:
        # Set by Esc, and by quitting, which also interrupts the statement.
        self.cancel = threading.Event()
        self.interrupter = StatementInterrupter("criteria action")

    def wrap(self, job: Callable[[], Outcome]) -> Callable[[], Outcome | None]:
        """Return ``job`` made cancelable, so that it returns None when canceled."""

        def run() -> Outcome | None:
            try:
                with self.interrupter.running():
                    if self.cancel.is_set():
                        return None
                    outcome = job()
            except Exception:
                if not self.cancel.is_set():
                    raise
                # The interrupted statement raised, and its transaction rolled back.
                log.info("criteria action canceled", exc_info=True)
                return None
            if outcome.problem and self.cancel.is_set():
                return None
            return outcome

        return run

    def stop(self) -> None:
        """Cancel the job and interrupt its statements until it ends."""
        if self.cancel.is_set():
            return
        self.cancel.set()
        self.interrupter.stop()


def heading(label: str) -> Label:
    """Return a section heading drawn as a rule, so it reads without colour."""
    # The rule is longer than any terminal line, and the stylesheet crops it.
    return Label(
        Text(f"{RULE * 2} {label} {RULE * 80}"), classes="form-heading", markup=False
    )


class CriteriaBuilderScreen(FieldNavigation, BaseScreen):
    """The filter form that Add, Reduce and Refine Contacts share.

    A subclass names the action and supplies its options, its count and its apply
    step, each of which runs in a worker.
    """

    ACTION_TITLE = ""
    APPLY_LABEL = ""
    # The count line while the apply job runs.
    BUSY_TEXT = ""

    FOOTER_ESSENTIAL = frozenset({"apply", "cancel"})

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            tooltip=_("Close without changing the segment"),
        ),
    ]

    def __init__(self, segment_no: str, description: str = "") -> None:
        super().__init__()
        self.segment_no = segment_no
        self.description = description
        self.sections = form_sections()
        self.count_timer: Timer | None = None
        # A number raised by every count and apply. A count result that carries an
        # older number is stale and dropped.
        self.counting = 0
        self.applying = False
        # The apply job while it runs. Quitting sets cancel_event too.
        self.apply_run: ApplyRun | None = None
        self.cancel_event = threading.Event()

    def title_text(self) -> str:
        return _("{action}: segment {no} {description}").format(
            action=self.ACTION_TITLE, no=self.segment_no, description=self.description
        )

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with VerticalScroll(id="criteria-form", can_focus=False):
            for section in self.sections:
                with Vertical(classes="form-section"):
                    yield from self.compose_section(section)
            with Vertical(classes="form-section", id="options"):
                yield heading(_("Options"))
                yield from self.compose_options()
        yield Static("", id="count", markup=False)
        yield ProgressBar(id="apply-progress", show_eta=False, show_percentage=False)
        with Horizontal(id="criteria-buttons"):
            yield Button(self.APPLY_LABEL, id="apply", variant="primary", compact=True)
            yield Button(_("Cancel (Esc)"), id="cancel", compact=True)
        yield from self.compose_footer()

    def compose_section(self, section: FormSection) -> ComposeResult:
        yield heading(section.label)
        for row in section.rows:
            yield Horizontal(
                Label(Text(row.label), classes="form-label", markup=False),
                TypeAheadInput(id=input_id(row.source, row.field), compact=True),
                Label(
                    Text(_("e.g. {example}").format(example=row.example))
                    if row.example
                    else Text(""),
                    classes="example",
                    markup=False,
                ),
                classes="form-row",
            )
        if section.has_none_tick:
            with Horizontal(classes="options-row"):
                yield Tick(
                    _("None: contacts with no matching {source}").format(
                        source=inside_sentence(section.label)
                    ),
                    False,
                    id=none_tick_id(section.source),
                    compact=True,
                )

    def compose_options(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#apply-progress", ProgressBar).display = False
        self.query(Input).first().focus()
        self.schedule_count()

    def filters(self) -> Filters:
        filters: Filters = {}
        for section in self.sections:
            for row in section.rows:
                field = self.query_one(f"#{input_id(row.source, row.field)}", Input)
                if field.value.strip():
                    filters.setdefault(row.source, {})[row.field] = field.value
            if section.has_none_tick:
                tick = self.query_one(f"#{none_tick_id(section.source)}", Checkbox)
                if tick.value:
                    filters.setdefault(section.source, {})[EXISTS_FIELD] = "no"
        return filters

    def ticked(self, key: str) -> bool:
        return self.query_one(f"#option-{key}", Checkbox).value

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def schedule_count(self) -> None:
        if self.count_timer is not None:
            self.count_timer.stop()
        self.count_timer = self.set_timer(COUNT_DELAY, self.start_count)

    def start_count(self) -> None:
        self.counting += 1
        ticket = self.counting
        count = self.count_job()
        self.show_status(Text(_("Counting ...")))
        self.run(
            count,
            lambda outcome: self.show_count(ticket, outcome),
            group="count",
            exclusive=True,
        )

    def count_job(self) -> Callable[[], Outcome]:
        """Return a function, run in a worker, that counts what the action would do."""
        raise NotImplementedError

    def apply_job(self) -> Callable[[], Outcome]:
        """Return a function, run in a worker, that applies the action.

        Its Outcome's value is the message the worksheet shows.
        """
        raise NotImplementedError

    def count_text(self, count: Any) -> str:
        raise NotImplementedError

    def show_count(self, ticket: int, outcome: Outcome) -> None:
        if ticket != self.counting:
            return
        if self.mark_invalid(outcome):
            return
        self.show_status(Text(self.count_text(outcome.value), style="bold"))

    def mark_invalid(self, outcome: Outcome) -> bool:
        """Show an invalid filter's message and mark its field.

        Returns False, and marks nothing, when the outcome has no problem.
        """
        for widget in self.query(".invalid-filter"):
            widget.remove_class("invalid-filter")
        if not outcome.problem:
            return False
        self.show_status(Text("! " + outcome.problem, style="bold"))
        if outcome.invalid_id:
            field = self.query_one(f"#{outcome.invalid_id}")
            field.add_class("invalid-filter")
            if field.parent is not None:
                field.parent.add_class("invalid-filter")
        return True

    def show_status(self, text: Text) -> None:
        self.query_one("#count", Static).update(text)

    def show_error(self, error: Exception) -> None:
        # A failed count or apply shows in the count line, so the form stays usable.
        self.counting += 1
        self.applying = False
        message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        self.show_status(Text("! " + message, style="bold"))

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        # A second ctrl+s while the first runs would record the action twice.
        if self.applying:
            return
        self.applying = True
        # A count still waiting would overwrite the message of a failed apply.
        if self.count_timer is not None:
            self.count_timer.stop()
        self.counting += 1
        self.confirm_apply(self.start_apply)

    def confirm_apply(self, proceed: Callable[[], None]) -> None:
        """Call ``proceed`` to apply the action; a subclass may ask a question first."""
        proceed()

    def start_apply(self) -> None:
        if not self.applying:
            # Esc closed the form while confirm_apply was counting.
            return
        run = self.apply_run = ApplyRun()
        self.cancel_event = run.cancel
        self.show_busy(True)
        self.show_status(Text(self.BUSY_TEXT, style="bold"))
        run_job(
            self,
            run.wrap(self.apply_job()),
            lambda outcome: self.apply_ended(run, outcome),
            group="apply",
            on_error=lambda error: self.apply_failed(run, error),
        )

    def show_busy(self, busy: bool) -> None:
        """Lock the form and show the bar while the apply job runs."""
        self.query_one("#criteria-form").disabled = busy
        self.query_one("#apply", Button).disabled = busy
        self.query_one("#apply-progress", ProgressBar).display = busy
        if busy:
            self.query_one("#apply-progress", ProgressBar).update(total=None)
            self.set_focus(None)
        else:
            self.query(Input).first().focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Ctrl+S shows dimmed while the apply job runs, because it does nothing then.
        if action == "apply" and self.apply_run is not None:
            return None
        return super().check_action(action, parameters)

    def job_closes_screen(self) -> bool:
        """Return whether the apply job runs, which closes the form if it succeeds."""
        return self.apply_run is not None

    def apply_ended(self, run: ApplyRun, outcome: Outcome | None) -> None:
        self.apply_run = None
        self.show_busy(False)
        if outcome is None:
            self.applying = False
            self.show_status(
                Text(_("Canceled: the segment was not changed."), style="bold")
            )
            return
        if run.cancel.is_set() and not outcome.problem:
            outcome = Outcome(
                _("Esc came too late: the change was saved. {message}").format(
                    message=outcome.value
                )
            )
        self.applied(outcome)

    def apply_failed(self, run: ApplyRun, error: Exception) -> None:
        self.apply_run = None
        self.show_busy(False)
        self.show_error(error)

    def apply_declined(self) -> None:
        """Keep the form as it was after the user declined confirm_apply."""
        self.applying = False
        self.schedule_count()

    def applied(self, outcome: Outcome) -> None:
        self.applying = False
        if not self.mark_invalid(outcome):
            # The help or the question whether to quit may cover the form now.
            dismiss_on_top(self, outcome.value)
            return
        if not outcome.invalid_id:
            return
        field = self.query_one(f"#{outcome.invalid_id}")
        field.focus()
        if isinstance(field, Input) and outcome.position:
            # After the focus, which moves the cursor to the end of the text.
            position = outcome.position - 1
            self.call_after_refresh(setattr, field, "cursor_position", position)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        # Esc while the apply job runs stops it and keeps the form, so the job's
        # end cannot close another screen later.
        if self.apply_run is not None:
            if not self.apply_run.cancel.is_set():
                self.apply_run.stop()
                self.show_status(
                    Text(_("Canceling and rolling back ..."), style="bold")
                )
            return
        self.applying = False
        self.dismiss(None)


class AddContactsScreen(CriteriaBuilderScreen):
    ACTION_TITLE = _("Add Contacts")
    APPLY_LABEL = _("Add contacts (Ctrl+S)")
    BUSY_TEXT = _("Adding contacts ... Esc cancels.")
    HELP = (
        _(
            "Add Contacts: fill in filters, watch the count of contacts they select, "
            "and press Ctrl+S to add them to the segment. Enter moves to the next "
            "field; Esc closes without adding anything.\n\n"
            "Allow existing contacts adds a contact that already has a line. Expand "
            "companies brings each matching contact's company and all its persons. "
            "Allow related companies brings a matching person's company, nobody "
            "else. Ignore exclusion includes contacts marked Exclude from Segment. "
            "Privacy-blocked contacts are never added."
        )
        + " "
        + RUNNING_HELP
        + "\n\n"
        + FILTER_HELP
    )

    BINDINGS = [
        Binding(
            "ctrl+s",
            "apply",
            _("Add contacts"),
            tooltip=_("Add the selected contacts and close"),
        ),
    ]

    def compose_options(self) -> ComposeResult:
        for start in (0, 2):
            with Horizontal(classes="options-row"):
                for key, label in ADD_OPTIONS[start : start + 2]:
                    yield Tick(label, False, id=f"option-{key}", compact=True)

    def options(self) -> AddOptions:
        return AddOptions(**{key: self.ticked(key) for key, _label in ADD_OPTIONS})

    def count_job(self) -> Callable[[], Outcome]:
        filters, options, no = self.filters(), self.options(), self.segment_no

        def count() -> Outcome:
            invalid = find_invalid_filter(filters)
            if invalid is not None:
                return invalid
            return Outcome(segment_actions.count_add_contacts(filters, options, no))

        return count

    def count_text(self, count: Any) -> str:
        return ngettext(
            "{count} contact would be added.", "{count} contacts would be added.", count
        ).format(count=format_count(count))

    def apply_job(self) -> Callable[[], Outcome]:
        filters, options, no = self.filters(), self.options(), self.segment_no
        user = self.app.user  # type: ignore[attr-defined]

        def apply() -> Outcome:
            invalid = find_invalid_filter(filters)
            if invalid is not None:
                return invalid
            result = segment_actions.add_contacts(no, filters, options, user=user)
            return Outcome(segment_actions.added_message(result.inserted))

        return apply


COUNT_REMOVED: dict[str, Callable[[str, Filters, bool], int]] = {
    "reduce": segment_actions.count_reduce,
    "refine": segment_actions.count_refine,
}
REMOVE: dict[str, Callable[..., segment_actions.ActionResult]] = {
    "reduce": segment_actions.reduce_contacts,
    "refine": segment_actions.refine_contacts,
}


class RemovingScreen(CriteriaBuilderScreen):
    """Reduce and Refine: both remove lines, and both have Entire companies."""

    # "reduce" or "refine", the key of COUNT_REMOVED and REMOVE.
    ACTION = ""
    BUSY_TEXT = _("Removing lines ... Esc cancels.")

    def compose_options(self) -> ComposeResult:
        with Horizontal(classes="options-row"):
            yield Tick(
                _("Entire companies"), False, id="option-entire_companies", compact=True
            )

    def count_job(self) -> Callable[[], Outcome]:
        filters, no, action = self.filters(), self.segment_no, self.ACTION
        entire_companies = self.ticked("entire_companies")

        def count() -> Outcome:
            invalid = find_invalid_filter(filters)
            if invalid is not None:
                return invalid
            count_removed = COUNT_REMOVED[action]
            removed = count_removed(no, filters, entire_companies)
            return Outcome((removed, segmentation.count_lines(no)))

        return count

    def count_text(self, count: Any) -> str:
        removed, total = count
        return ngettext(
            "{count} line would be removed, {kept} would stay.",
            "{count} lines would be removed, {kept} would stay.",
            removed,
        ).format(count=format_count(removed), kept=format_count(total - removed))

    def apply_job(self) -> Callable[[], Outcome]:
        filters, no, action = self.filters(), self.segment_no, self.ACTION
        entire_companies = self.ticked("entire_companies")
        user = self.app.user  # type: ignore[attr-defined]

        def apply() -> Outcome:
            invalid = find_invalid_filter(filters)
            if invalid is not None:
                return invalid
            remove = REMOVE[action]
            removed = remove(
                no, filters, entire_companies=entire_companies, user=user
            ).deleted
            return Outcome(
                ngettext(
                    "{count} line removed.", "{count} lines removed.", removed
                ).format(count=format_count(removed))
            )

        return apply


ENTIRE_COMPANIES_HELP = _(
    "Entire companies acts on every contact of a matching contact's company: the "
    "company itself and all its persons."
)


class ReduceContactsScreen(RemovingScreen):
    ACTION = "reduce"
    ACTION_TITLE = _("Reduce Contacts")
    APPLY_LABEL = _("Remove lines (Ctrl+S)")
    HELP = (
        _(
            "Reduce Contacts: remove the lines whose contacts match the filters. "
            "Watch the count of lines it would remove, then press Ctrl+S. With no "
            "filter at all every line matches, and Ctrl+S asks before removing "
            "them all. Enter moves to the next field; "
            "Esc closes without changing the segment. Go Back (b) in the "
            "worksheet brings removed lines back."
        )
        + " "
        + RUNNING_HELP
        + " "
        + ENTIRE_COMPANIES_HELP
        + "\n\n"
        + FILTER_HELP
    )

    BINDINGS = [
        Binding(
            "ctrl+s",
            "apply",
            _("Remove lines"),
            tooltip=_("Remove the lines whose contacts match, and close"),
        ),
    ]

    def confirm_apply(self, proceed: Callable[[], None]) -> None:
        """Ask before removing every line, which is what no filter at all does."""
        if self.filters():
            proceed()
            return
        no = self.segment_no

        def answered(yes: bool | None) -> None:
            if yes:
                proceed()
            else:
                self.apply_declined()

        def ask(total: int) -> None:
            if not self.applying:
                # Esc closed the form while the lines were counted.
                return
            if total == 0:
                proceed()
                return
            question = ngettext(
                "No filter is set, so every line matches. Remove the only line of "
                "segment {no}? Go Back (b) in the worksheet brings it back.",
                "No filter is set, so every line matches. Remove all {count} lines "
                "of segment {no}? Go Back (b) in the worksheet brings them back.",
                total,
            ).format(count=format_count(total), no=no)
            question_help = _(
                "No filter is set, so yes removes every line of the segment, as one "
                "action of its criteria. Go Back (b) in the worksheet brings the "
                "lines back. No and Esc keep the form open, so you can set a filter."
            )
            self.app.push_screen(
                ConfirmDialog(_("Remove all lines"), question, help=question_help),
                answered,
            )

        self.run(lambda: segmentation.count_lines(no), ask)


class RefineContactsScreen(RemovingScreen):
    ACTION = "refine"
    ACTION_TITLE = _("Refine Contacts")
    APPLY_LABEL = _("Keep only these (Ctrl+S)")
    HELP = (
        _(
            "Refine Contacts: keep only the lines whose contacts match the filters "
            "and remove the others. Watch the count of lines it would remove, then "
            "press Ctrl+S. Enter moves to the next field; Esc closes without "
            "changing the segment. Go Back (b) in the worksheet brings removed lines "
            "back."
        )
        + " "
        + RUNNING_HELP
        + " "
        + ENTIRE_COMPANIES_HELP
        + "\n\n"
        + FILTER_HELP
    )

    BINDINGS = [
        Binding(
            "ctrl+s",
            "apply",
            _("Keep only these"),
            tooltip=_("Remove the lines whose contacts do not match, and close"),
        ),
    ]


def builder_for(action: str) -> type[CriteriaBuilderScreen]:
    """Return the builder screen of ``add``, ``reduce`` or ``refine``."""
    screens: dict[str, type[CriteriaBuilderScreen]] = {
        "add": AddContactsScreen,
        "reduce": ReduceContactsScreen,
        "refine": RefineContactsScreen,
    }
    return screens[action]
