"""Setup of contact codes: classification tables, territories, profile questionnaires."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, DataTable, Input, Static

from segtui.domain import classifications, profiles
from segtui.i18n import _
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.listing import ListScreen, new_table, refill, selected_key
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row
from segtui.ui.text import format_count, plain
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job

SETUP_ACTIONS = frozenset({"new", "edit", "delete"})


class CodeDialog(FormDialog, FieldNavigation):
    """Create a code or change its description; ``save`` runs in a worker."""

    HELP = _(
        "A code and what it means: a mailing group, an industry group, a business "
        "relation, a job responsibility, a territory, a profile questionnaire, a "
        "question or an answer. Code is typed once, when the code is created: up "
        "to 20 letters, digits or - _ . / + #, saved in capitals. Description, "
        "or Name in some tables, says what the code stands for in lists and pick "
        "lists. Enter in that field or Ctrl+S saves, and a problem keeps the "
        "dialog open. Esc closes without saving."
    )

    SUBMIT_INPUTS = frozenset({"text"})

    def __init__(
        self,
        title: str,
        save: Callable[[str, str], Any],
        code: str = "",
        text: str = "",
        text_label: str = "",
    ) -> None:
        super().__init__(title)
        self.save_function = save
        self.code = code
        self.text = text
        self.text_label = text_label or _("Description")

    def compose_body(self) -> ComposeResult:
        code = TypeAheadInput(
            self.code,
            id="code",
            compact=True,
            max_length=classifications.MAX_CODE_LENGTH,
        )
        code.disabled = bool(self.code)
        yield form_row(_("Code"), code)
        yield form_row(
            self.text_label, TypeAheadInput(self.text, id="text", compact=True)
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#text" if self.code else "#code", Input).focus()

    @on(Input.Submitted, "#text")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        code = self.query_one("#code", Input).value
        text = self.query_one("#text", Input).value
        run_job(
            self,
            lambda: self.save_function(code, text),
            self.dismiss,
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


# F1 help of every code table, after what the table is for.
CODE_TABLE_KEYS_HELP = _(
    "The Contacts column counts the contacts that have each code. n creates a "
    "code, e or Enter changes its description, d deletes a code that no contact "
    "has. Changing setup needs the admin role."
)


class CodeTableScreen(ListScreen):
    """One code table: its codes, their descriptions and how many contacts have each.

    Each table's subclass sets SCREEN_TITLE to the table's name in the plural, as
    Go to lists it, and HELP to what its codes are for, then CODE_TABLE_KEYS_HELP.
    The table's label, in the singular, names one code in dialogs and messages.
    """

    HELP = _("A table of codes that contacts are classified by.")

    ADMIN_ACTIONS = SETUP_ACTIONS

    FOOTER_ESSENTIAL = frozenset({"new", "edit", "delete"})

    BINDINGS = [
        Binding("n", "new", _("New"), tooltip=_("Create a code")),
        Binding("e,enter", "edit", _("Edit"), tooltip=_("Change the description")),
        Binding("d,delete", "delete", _("Delete"), tooltip=_("Delete the code")),
        Binding(
            "f5", "refresh", _("Refresh"), show=False, tooltip=_("Read the table again")
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    TABLE = ""

    def __init__(self, table: str = "") -> None:
        super().__init__()
        self.table = classifications.find_code_table(table or self.TABLE)

    def title_text(self) -> str:
        return self.SCREEN_TITLE or self.table.label

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = new_table("codes", [])
        columns = [
            (_("Code"), "code", 20),
            (_("Description"), "text", 40),
            (_("Contacts"), "uses", 9),
        ]
        self.add_columns(table, columns, ("text",))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self, select: str | None = None) -> None:
        """Read the codes again; the cursor goes to code ``select`` if given."""
        key = self.table.key
        self.run(
            lambda: classifications.list_codes(key),
            lambda rows: self.show(rows, select),
            group="load",
            exclusive=True,
        )

    def show(
        self, rows: list[classifications.CodeRow], select: str | None = None
    ) -> None:
        table = self.query_one("#codes", DataTable)
        with refill(table, select):
            for row in rows:
                table.add_row(
                    plain(row.code),
                    plain(row.text),
                    plain(format_count(row.contacts).rjust(7)),
                    key=row.code,
                )
        self.set_title(f"{self.title_text()} ({len(rows)})")
        table.focus()

    def saved(self, code: str | None) -> None:
        if code:
            self.notify(_("{code} saved.").format(code=code), markup=False)
            self.action_refresh(code)

    def action_new(self) -> None:
        key, user = self.table.key, self.app.user  # type: ignore[attr-defined]
        self.app.push_screen(
            CodeDialog(
                _("New: {table}").format(table=self.table.label),
                lambda code, text: classifications.save_code(
                    key, code, text, user=user, new=True
                ),
                text_label=_("Name") if self.table.text_field == "name" else "",
            ),
            self.saved,
        )

    def action_edit(self) -> None:
        table = self.query_one("#codes", DataTable)
        code = selected_key(table)
        if code is None:
            return
        text = table.get_row(code)[1].plain
        key, user = self.table.key, self.app.user  # type: ignore[attr-defined]
        self.app.push_screen(
            CodeDialog(
                _("{table} {code}").format(table=self.table.label, code=code),
                lambda _code, new_text: classifications.save_code(
                    key, code, new_text, user=user, new=False
                ),
                code=code,
                text=text,
            ),
            self.saved,
        )

    def action_delete(self) -> None:
        code = selected_key(self.query_one("#codes", DataTable))
        if code is None:
            return
        key, user = self.table.key, self.app.user  # type: ignore[attr-defined]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: classifications.delete_code(key, code, user=user),
                    lambda _result: self.action_refresh(),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Delete code"),
                _("Delete {table} {code}?").format(table=self.table.label, code=code),
                help=_(
                    "Yes deletes the code from this table for good; there is no "
                    "undo, but you can create it again. A code that contacts still "
                    "have is not deleted: remove it from them first. No and Esc keep "
                    "the code."
                ),
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)


class MailingGroupScreen(CodeTableScreen):
    TABLE = "mailing_group"
    SCREEN_TITLE = _("Mailing groups")
    HELP = (
        _(
            "Mailing groups are lists that any contact, person or company, can be "
            "on, such as NEWS for the newsletter. A contact joins a group on its "
            "card (a) or by contact import. The Mailing Group filter of Add "
            "Contacts selects the members of a group, as --filter "
            "mailing_group=NEWS does on the command line."
        )
        + "\n\n"
        + CODE_TABLE_KEYS_HELP
    )


class IndustryGroupScreen(CodeTableScreen):
    TABLE = "industry_group"
    SCREEN_TITLE = _("Industry groups")
    HELP = (
        _(
            "Industry groups are the trades a company works in, such as RETAIL. "
            "Only companies get them, on their card (a) or by contact import, and "
            "in criteria a person counts as having its company's. The Industry "
            "Group filter of Add Contacts selects by them, as --filter "
            "industry_group=RETAIL does on the command line."
        )
        + "\n\n"
        + CODE_TABLE_KEYS_HELP
    )


class BusinessRelationScreen(CodeTableScreen):
    TABLE = "business_relation"
    SCREEN_TITLE = _("Business relations")
    HELP = (
        _(
            "Business relations say what a company is to you, such as CUST for a "
            "customer or VEND for a vendor. Only companies get them, on their card "
            "(a) or by contact import, and in criteria a person counts as having "
            "its company's. The Business Relation filter of Add Contacts selects "
            "by them, as --filter business_relation=CUST does on the command line."
        )
        + "\n\n"
        + CODE_TABLE_KEYS_HELP
    )


class JobResponsibilityScreen(CodeTableScreen):
    TABLE = "job_responsibility"
    SCREEN_TITLE = _("Job responsibilities")
    HELP = (
        _(
            "Job responsibilities say what a person does at its company, such as "
            "PURCH for purchasing. Only persons get them, on their card (a) or by "
            "contact import. The Job Responsibility filter of Add Contacts selects "
            "by them, as --filter job_responsibility=PURCH does on the command "
            "line."
        )
        + "\n\n"
        + CODE_TABLE_KEYS_HELP
    )


class TerritoryScreen(CodeTableScreen):
    TABLE = "territory"
    SCREEN_TITLE = _("Territories")
    HELP = (
        _(
            "Territories are the sales regions contacts belong to, such as NORTH. "
            "Unlike a classification, a contact has at most one, in the Territory "
            "field of its card, and a new person with a blank territory takes "
            "its company's. The Territory filter in the contact part of Add "
            "Contacts selects by it, as --filter territory=NORTH does on the "
            "command line."
        )
        + "\n\n"
        + CODE_TABLE_KEYS_HELP
    )


class QuestionnaireScreen(ListScreen):
    SCREEN_TITLE = _("Profile questionnaires")
    HELP = _(
        "Profile questionnaires: questions with fixed answers that contacts are "
        "classified by, such as company size. Enter shows a questionnaire's "
        "questions and answers; n creates a questionnaire, e changes its "
        "description, d deletes one that no contact has answered."
    )

    ADMIN_ACTIONS = frozenset({"new", "edit", "delete"})

    FOOTER_ESSENTIAL = frozenset({"new", "edit", "delete"})

    BINDINGS = [
        Binding(
            "enter", "open", _("Open"), tooltip=_("Show the questions and answers")
        ),
        Binding("n", "new", _("New"), tooltip=_("Create a questionnaire")),
        Binding("e", "edit", _("Edit"), tooltip=_("Change the description")),
        Binding(
            "d,delete", "delete", _("Delete"), tooltip=_("Delete the questionnaire")
        ),
        Binding(
            "f5", "refresh", _("Refresh"), show=False, tooltip=_("Read the list again")
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = new_table("questionnaires", [])
        columns = [
            (_("Code"), "code", 20),
            (_("Description"), "text", 40),
            (_("Questions"), "n", 9),
        ]
        self.add_columns(table, columns, ("text",))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    # BaseScreen reads the list again when the questions screen closes, so the
    # question counts follow. After a dialog only the dialog's callback reads it
    # again, because a refresh on every resume would put the cursor back on its
    # old row after a create.

    def action_refresh(self, select: str | None = None) -> None:
        """Read the list again; the cursor goes to questionnaire ``select`` if given."""
        self.run(
            profiles.list_questionnaires,
            lambda rows: self.show(rows, select),
            group="load",
            exclusive=True,
        )

    def show(
        self, rows: list[profiles.QuestionnaireRow], select: str | None = None
    ) -> None:
        table = self.query_one("#questionnaires", DataTable)
        with refill(table, select):
            for row in rows:
                table.add_row(
                    plain(row.code),
                    plain(row.description),
                    plain(format_count(row.questions).rjust(7)),
                    key=row.code,
                )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        code = selected_key(self.query_one("#questionnaires", DataTable))
        if code is not None:
            self.app.push_screen(QuestionnaireLinesScreen(code))

    def action_new(self) -> None:
        user = self.app.user  # type: ignore[attr-defined]
        self.app.push_screen(
            CodeDialog(
                _("New questionnaire"),
                lambda code, text: profiles.save_questionnaire(
                    code, text, user=user, new=True
                ),
            ),
            lambda code: self.action_refresh(code) if code else None,
        )

    def action_edit(self) -> None:
        table = self.query_one("#questionnaires", DataTable)
        code = selected_key(table)
        if code is None:
            return
        user = self.app.user  # type: ignore[attr-defined]
        self.app.push_screen(
            CodeDialog(
                _("Questionnaire {code}").format(code=code),
                lambda _code, text: profiles.save_questionnaire(
                    code, text, user=user, new=False
                ),
                code=code,
                text=table.get_row(code)[1].plain,
            ),
            lambda saved: self.action_refresh() if saved else None,
        )

    def action_delete(self) -> None:
        code = selected_key(self.query_one("#questionnaires", DataTable))
        if code is None:
            return
        user = self.app.user  # type: ignore[attr-defined]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: profiles.delete_questionnaire(code, user=user),
                    lambda _result: self.action_refresh(),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Delete questionnaire"),
                _("Delete questionnaire {code} with its questions and answers?").format(
                    code=code
                ),
                help=_(
                    "Yes deletes the questionnaire with all its questions and "
                    "answers for good; there is no undo. If any contact has one of "
                    "its answers, nothing is deleted: remove those answers from the "
                    "contacts first. No and Esc keep the questionnaire."
                ),
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)


def row_key(row: profiles.AnswerRow) -> str:
    """Return a line's table key, made of its question's id and its answer's id."""
    return f"{row.question_id}:{row.id}"


def line_key(
    rows: list[profiles.AnswerRow], question_id: int | None, answer_id: int | None
) -> str | None:
    """Return the key of answer ``answer_id``'s line, else of the first line of
    question ``question_id``, or None when neither is given or found."""
    for row in rows:
        if answer_id is not None and row.id == answer_id:
            return row_key(row)
    for row in rows:
        if question_id is not None and row.question_id == question_id:
            return row_key(row)
    return None


class QuestionnaireLinesScreen(ListScreen):
    HELP = _(
        "A questionnaire's questions and their answers. q adds a question (or "
        "changes the description of one with the same code), a adds an answer to "
        "the selected question, d deletes the selected answer, or the question when "
        "it has no answers."
    )

    ADMIN_ACTIONS = frozenset({"question", "answer", "delete"})

    FOOTER_ESSENTIAL = frozenset({"question", "answer", "delete"})

    BINDINGS = [
        Binding("q", "question", _("Question"), tooltip=_("Add or change a question")),
        Binding(
            "a",
            "answer",
            _("Answer"),
            tooltip=_("Add an answer to the selected question"),
        ),
        Binding(
            "d,delete",
            "delete",
            _("Delete"),
            tooltip=_("Delete the answer or question"),
        ),
        Binding(
            "f5", "refresh", _("Refresh"), show=False, tooltip=_("Read the list again")
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def __init__(self, questionnaire: str) -> None:
        super().__init__()
        self.questionnaire = questionnaire
        self.rows: dict[str, profiles.AnswerRow] = {}

    def title_text(self) -> str:
        return _("Questionnaire {code}").format(code=self.questionnaire)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = new_table("lines", [])
        columns = [
            (_("Question"), "question", 12),
            (_("Question text"), "question_text", 24),
            (_("Answer"), "answer", 12),
            (_("Answer text"), "answer_text", 24),
        ]
        self.add_columns(table, columns, ("question_text", "answer_text"))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(
        self, question_id: int | None = None, answer_id: int | None = None
    ) -> None:
        """Read the lines again. The cursor goes to answer ``answer_id`` if given,
        else to the first row of question ``question_id`` if given."""
        code = self.questionnaire
        self.run(
            lambda: profiles.questionnaire_lines(code),
            lambda rows: self.show(rows, line_key(rows, question_id, answer_id)),
            group="load",
            exclusive=True,
        )

    def show(self, rows: list[profiles.AnswerRow], select: str | None = None) -> None:
        table = self.query_one("#lines", DataTable)
        self.rows = {}
        with refill(table, select):
            for row in rows:
                key = row_key(row)
                self.rows[key] = row
                table.add_row(
                    plain(row.question_code),
                    plain(row.question),
                    plain(row.code),
                    plain(row.description),
                    key=key,
                )
        if not rows:
            self.notify(_("No questions yet; press q to add one."), markup=False)
        table.focus()

    def selected(self) -> profiles.AnswerRow | None:
        key = selected_key(self.query_one("#lines", DataTable))
        return self.rows.get(key) if key else None

    def action_question(self) -> None:
        code, user = self.questionnaire, self.app.user  # type: ignore[attr-defined]
        self.app.push_screen(
            CodeDialog(
                _("Question of {code}").format(code=code),
                lambda question, text: profiles.save_question(
                    code, question, text, user=user
                ),
            ),
            lambda saved: self.action_refresh(question_id=saved) if saved else None,
        )

    def action_answer(self) -> None:
        row = self.selected()
        if row is None:
            self.notify(_("Add a question first with q."), markup=False)
            return
        user = self.app.user  # type: ignore[attr-defined]
        self.app.push_screen(
            CodeDialog(
                _("Answer to {question}").format(question=row.question_code),
                lambda answer, text: profiles.save_answer(
                    row.question_id, answer, text, user=user
                ),
            ),
            lambda saved: self.action_refresh(answer_id=saved) if saved else None,
        )

    def action_delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        user = self.app.user  # type: ignore[attr-defined]
        if row.id:
            what = _("answer {code}").format(code=row.code)
            job: Callable[[], Any] = lambda: profiles.delete_answer(row.id, user=user)  # noqa: E731
            question_help = _(
                "Yes deletes this answer from its question for good; there is no "
                "undo, but you can add it again with a. An answer that contacts "
                "gave is not deleted: remove it from them first. No and Esc keep it."
            )
        else:
            what = _("question {code}").format(code=row.question_code)
            job = lambda: profiles.delete_question(row.question_id, user=user)  # noqa: E731
            question_help = _(
                "Yes deletes this question, which has no answers, from the "
                "questionnaire for good; there is no undo, but you can add it again "
                "with q. No and Esc keep it."
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(job, lambda _result: self.action_refresh())

        self.app.push_screen(
            ConfirmDialog(
                _("Delete"),
                _("Delete {what}?").format(what=what),
                help=question_help,
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)
