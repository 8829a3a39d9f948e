"""Interaction templates: the list, a template's card, its languages and fields.

A template's languages each have a Word attachment and a subject. Importing a Word
file lists its merge fields. The fields screen marks one that matches no segtui
merge field "MATCHES NOTHING", and maps it to one per language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, DataTable, Input, Select, Static

from segtui.domain import lookups, templates
from segtui.domain.text import no_value
from segtui.domain.user_files import read_user_file
from segtui.i18n import _, format_count, ngettext
from segtui.models import InteractionTemplate, InteractionTemplateLanguage
from segtui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from segtui.ui.screens.listing import TableScreen, new_table, refill, selected_key
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row, select_options
from segtui.ui.screens.setup_forms import (
    SetupCardDialog,
    SetupScreen,
    is_admin,
    load_choices,
)
from segtui.ui.text import correspondence_label, plain
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job


class TemplateListScreen(SetupScreen, TableScreen):
    SCREEN_TITLE = _("Interaction templates")
    HELP = _(
        "The interaction templates: what a segment's lines are (a letter, an email, "
        "a call), with cost, duration and correspondence type. Enter opens a "
        "template's card, l its languages: a Word attachment and a subject per "
        "language, imported and exported there, with the merge fields each file has."
    )
    ADMIN_ACTIONS = frozenset({"new", "delete"})
    # Left out of the footer below 100 columns, but F1 help and the palette list them.
    FOOTER_WIDE_ONLY = frozenset({"refresh", "delete"})
    FOOTER_ESSENTIAL = frozenset({"languages", "new"})

    BINDINGS = [
        Binding("enter", "open", _("Open"), tooltip=_("Open the template's card")),
        Binding(
            "l",
            "languages",
            _("Languages"),
            tooltip=_("The template's languages: Word files, subjects, merge fields"),
        ),
        Binding("n", "new", _("New"), tooltip=_("Create a template")),
        Binding("d", "delete", _("Delete"), tooltip=_("Delete the template")),
        Binding("f5", "refresh", _("Refresh"), tooltip=_("Read the templates again")),
        Binding("escape", "back", _("Back"), tooltip=_("Back to the previous screen")),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = new_table("templates", [])
        columns = [
            (_("Code"), "code", 10),
            (_("Description"), "description", 26),
            (_("Group"), "group", 8),
            (_("Corresp."), "corr", 9),
            (_("Languages"), "languages", 13),
        ]
        self.add_columns(table, columns, ("description",))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self, select: str | None = None) -> None:
        self.run(
            templates.list_templates,
            lambda rows: self.show(rows, select),
            group="load",
            exclusive=True,
        )

    def show(
        self, rows: list[templates.TemplateSummary], select: str | None = None
    ) -> None:
        table = self.query_one("#templates", DataTable)
        with refill(table, select):
            for row in rows:
                # A language without a Word file is marked with a minus sign.
                languages = " ".join(
                    [
                        *row.languages,
                        *(f"{c}-" for c in row.languages_without_attachment),
                    ]
                )
                table.add_row(
                    plain(row.code),
                    plain(row.description),
                    plain(row.group_code),
                    plain(correspondence_label(row.correspondence_type)),
                    plain(languages or no_value()),
                    key=row.code,
                )
        self.fit_column(table, "code", (row.code for row in rows))
        self.set_title(
            _("Interaction templates ({count})").format(count=format_count(len(rows)))
        )
        table.focus()

    def selected_code(self) -> str | None:
        return selected_key(self.query_one("#templates", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def card(self, values: dict[str, Any] | None, choices: dict[str, Any]) -> Any:
        return SetupCardDialog(
            templates.TEMPLATES,
            values,
            choices,
            templates.save_template,
            read_only=not is_admin(self.app),
        )

    def action_open(self) -> None:
        code = self.selected_code()
        if code is None:
            self.notify(
                _("There is no template yet; press n to create one."), markup=False
            )
            return
        self.run(
            lambda: (templates.get_template(code), load_choices(templates.TEMPLATES)),
            lambda loaded: self.app.push_screen(self.card(*loaded), self.saved),
        )

    def action_new(self) -> None:
        self.run(
            lambda: load_choices(templates.TEMPLATES),
            lambda choices: self.app.push_screen(self.card(None, choices), self.saved),
        )

    def saved(self, values: dict[str, Any] | None) -> None:
        if values:
            self.notify(
                _("Template {code} saved.").format(code=values["code"]), markup=False
            )
            self.action_refresh(values["code"])

    def action_languages(self) -> None:
        code = self.selected_code()
        if code is not None:
            self.app.push_screen(TemplateLanguagesScreen(code))

    def action_delete(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        user = self.app.user  # type: ignore[attr-defined]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: templates.delete_template(code, user=user),
                    lambda _result: self.deleted(code),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Delete template"),
                _(
                    "Delete template {code} with its languages and Word files? Files "
                    "that logged interactions use are kept."
                ).format(code=code),
                help=_(
                    "Yes deletes the interaction template with its languages and Word "
                    "files for good; there is no undo. Files that logged entries use "
                    "are kept, so their letters can still be written. A template that "
                    "segments or other records use is not deleted, and segtui names "
                    "them. No and Esc keep it."
                ),
            ),
            answered,
        )

    def deleted(self, code: str) -> None:
        self.notify(_("Template {code} deleted.").format(code=code), markup=False)
        self.action_refresh()

    def action_back(self) -> None:
        self.dismiss(None)


# A template's languages.


class TemplateLanguagesScreen(SetupScreen, TableScreen):
    HELP = _(
        "The languages of one template. Each has a subject and a Word attachment, "
        "the letter template that segtui merges for every contact. i imports a "
        "Word file (.docx) by its path, x exports it to edit it in Word, Enter shows "
        "its merge fields, where m maps a field that matches nothing. A file that "
        "logged interactions use is read-only: importing another keeps it for them."
    )
    ADMIN_ACTIONS = frozenset({"add", "subject", "import_file", "delete"})
    # Left out of the footer below 100 columns, but F1 help and the palette list them.
    FOOTER_WIDE_ONLY = frozenset({"refresh"})
    FOOTER_ESSENTIAL = frozenset(
        {"import_file", "export_file", "subject", "add", "delete"}
    )

    BINDINGS = [
        Binding("enter", "fields", _("Fields"), tooltip=_("Show the merge fields")),
        Binding("i", "import_file", _("Import"), tooltip=_("Import a Word file")),
        Binding("x", "export_file", _("Export"), tooltip=_("Export the Word file")),
        Binding("s", "subject", _("Subject"), tooltip=_("Change the subject")),
        Binding("n", "add", _("Add"), tooltip=_("Add a language to the template")),
        Binding("d", "delete", _("Remove"), tooltip=_("Remove the language")),
        Binding("f5", "refresh", _("Refresh"), tooltip=_("Read the languages again")),
        Binding("escape", "back", _("Back"), tooltip=_("Back to the templates")),
    ]

    def __init__(self, template_code: str) -> None:
        super().__init__()
        self.template_code = template_code
        self.rows: dict[str, templates.TemplateLanguageInfo] = {}

    def title_text(self) -> str:
        return _("Languages of template {code}").format(code=self.template_code)

    def record_exists(self) -> bool:
        return (
            InteractionTemplate.select()
            .where(InteractionTemplate.code == self.template_code)
            .exists()
        )

    def deleted_message(self) -> str:
        return _("Template {code} was deleted.").format(code=self.template_code)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = new_table("languages", [])
        columns = [
            (_("Lang"), "language", 5),
            (_("Word file"), "file", 24),
            (_("Fields"), "fields", 13),
            (_("Subject"), "subject", 28),
        ]
        self.add_columns(table, columns, ("file", "subject"))
        yield table
        yield Static("", id="language-detail", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self, select: str | None = None) -> None:
        code = self.template_code
        self.run(
            lambda: templates.template_languages(code),
            lambda rows: self.show(rows, select),
            group="load",
            exclusive=True,
        )

    def show(
        self, rows: list[templates.TemplateLanguageInfo], select: str | None = None
    ) -> None:
        self.rows = {row.language_code: row for row in rows}
        table = self.query_one("#languages", DataTable)
        with refill(table, select):
            for row in rows:
                table.add_row(
                    plain(row.language_code),
                    plain(self.file_label(row)),
                    plain(self.fields_label(row)),
                    plain(row.subject),
                    key=row.language_code,
                )
        if not rows:
            self.query_one("#language-detail", Static).update(
                Text(_("No languages yet: press n to add one, or i to import a file."))
            )
        table.focus()

    @staticmethod
    def file_label(row: templates.TemplateLanguageInfo) -> str:
        if not row.file_name:
            return _("(no file)")
        if row.read_only:
            return _("{file} (read-only)").format(file=row.file_name)
        return row.file_name

    @staticmethod
    def fields_label(row: templates.TemplateLanguageInfo) -> str:
        if row.error:
            return _("unreadable")
        if not row.file_name:
            return ""
        if row.unmatched:
            return _("{count} unmatched").format(count=format_count(len(row.unmatched)))
        return _("{count} all OK").format(count=format_count(len(row.fields)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key else None
        row = self.rows.get(str(key)) if key is not None else None
        detail = self.query_one("#language-detail", Static)
        if row is None:
            detail.update("")
        elif row.error:
            detail.update(Text(row.error))
        elif row.unmatched:
            detail.update(
                Text(
                    _("Match nothing: {fields}. Enter, then m, maps them.").format(
                        fields=", ".join(row.unmatched)
                    )
                )
            )
        else:
            detail.update("")

    def selected_language(self) -> str | None:
        return selected_key(self.query_one("#languages", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_fields()

    def action_fields(self) -> None:
        language = self.selected_language()
        if language is None:
            return
        self.app.push_screen(
            TemplateFieldsScreen(self.template_code, language),
            lambda _result: self.action_refresh(language),
        )

    def action_add(self) -> None:
        self.run(lookups.languages, self.pick_language)

    def pick_language(self, choices: list[tuple[str, str]]) -> None:
        free = [
            (code, f"{code}  {name}") for code, name in choices if code not in self.rows
        ]
        if not free:
            self.notify(_("The template has every language already."), markup=False)
            return

        def picked(language: str | None) -> None:
            if language:
                self.edit_subject(language, "")

        self.app.push_screen(ChoiceDialog(_("Add language"), free), picked)

    def action_subject(self) -> None:
        language = self.selected_language()
        if language is not None:
            self.edit_subject(language, self.rows[language].subject)

    def edit_subject(self, language: str, subject: str) -> None:
        self.app.push_screen(
            SubjectDialog(self.template_code, language, subject),
            lambda saved: self.action_refresh(language) if saved else None,
        )

    def action_import_file(self) -> None:
        language = self.selected_language()
        self.app.push_screen(
            ImportTemplateDialog(self.template_code, language), self.imported
        )

    def imported(self, result: templates.ImportResult | None) -> None:
        if result is None:
            return
        self.action_refresh(result.language_code)
        lines = [
            field.name + ": " + (field.matched or _("MATCHES NOTHING"))
            for field in result.fields
        ]
        message = ngettext(
            "{file} imported into {code} {language}: {count} merge field.",
            "{file} imported into {code} {language}: {count} merge fields.",
            len(result.fields),
        ).format(
            file=result.file_name,
            code=result.template_code,
            language=result.language_code,
            count=format_count(len(result.fields)),
        )
        if result.unmatched:
            message += " " + _(
                "Fields that match nothing stop logging until they are mapped: "
                "Enter on the language, then m."
            )
        self.app.push_screen(MessageDialog(_("Imported"), message, lines))

    def action_export_file(self) -> None:
        language = self.selected_language()
        if language is None or not self.rows[language].file_name:
            self.notify(_("This language has no Word file to export."), markup=False)
            return
        self.app.push_screen(
            ExportTemplateDialog(
                self.template_code, language, self.rows[language].file_name
            )
        )

    def action_delete(self) -> None:
        language = self.selected_language()
        if language is None:
            return
        code, user = self.template_code, self.app.user  # type: ignore[attr-defined]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: templates.remove_template_language(
                        code, language, user=user
                    ),
                    lambda _result: self.action_refresh(),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Remove language"),
                _("Remove language {language} with its Word file from {code}?").format(
                    language=language, code=code
                ),
                help=_(
                    "Yes removes this language and its Word file from the template; "
                    "there is no undo, but you can add the language and import the "
                    "file again. A file that logged entries use is kept for them. "
                    "Lines of unlogged segments in this language block the removal. "
                    "No and Esc keep it."
                ),
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)


class SubjectDialog(FormDialog, FieldNavigation):
    """Set the subject of a template language; a new language is added by saving."""

    HELP = _(
        "The subject of the template in this language, up to 250 characters. "
        "Lines that use the template in this language take it as their subject "
        "when the segment header has none: the email subject and the letter's "
        "Subject merge field. Enter or Ctrl+S saves, and adds the language to the "
        "template if it is new. Esc closes without saving, and a new language is "
        "then not added."
    )

    SUBMIT_INPUTS = frozenset({"subject"})

    def __init__(self, template_code: str, language: str, subject: str) -> None:
        super().__init__(
            _("Template {code}, language {language}").format(
                code=template_code, language=language
            )
        )
        self.template_code = template_code
        self.language = language
        self.subject = subject

    def compose_body(self) -> ComposeResult:
        yield form_row(
            _("Subject"),
            TypeAheadInput(self.subject, id="subject", compact=True, max_length=250),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#subject", Input).focus()

    @on(Input.Submitted, "#subject")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        subject = self.query_one("#subject", Input).value
        code, language = self.template_code, self.language
        user = self.app.user  # type: ignore[attr-defined]
        run_job(
            self,
            lambda: templates.set_template_language(
                code, language, subject=subject, user=user
            ),
            lambda _info: self.dismiss(True),
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class ImportTemplateDialog(FormDialog, FieldNavigation):
    """Import a Word file by its path as a template's attachment in one language."""

    HELP = _(
        "Import a Word file (.docx) as the template's letter in one language. "
        "Language is the language the file is for, and the template gets that "
        "language if it lacks it. File (.docx) is the path of the file: ~ is your "
        "home folder, and a relative path starts in the working folder. A file "
        "that does not open as a Word document is rejected.\n\n"
        "Enter or Ctrl+S imports. The file replaces the language's previous one, "
        "which stays only for the interactions logged with it. Merge field "
        "mappings of fields the new file still has are kept. A list of the file's "
        "merge fields follows, and a field that matches nothing stops logging "
        "until it is mapped. Esc closes without importing."
    )

    SUBMIT_INPUTS = frozenset({"path"})

    def __init__(self, template_code: str, language: str | None) -> None:
        super().__init__(_("Import a Word file into {code}").format(code=template_code))
        self.template_code = template_code
        self.language = language

    def compose_body(self) -> ComposeResult:
        yield form_row(
            _("Language"), Select([], id="language", compact=True, prompt=_("(choose)"))
        )
        yield form_row(
            _("File (.docx)"),
            TypeAheadInput(
                id="path", compact=True, placeholder="~/letters/letter.docx"
            ),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Import (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#path", Input).focus()
        run_job(self, lookups.languages, self.fill, on_error=self.report)

    def fill(self, choices: list[tuple[str, str]]) -> None:
        select = self.query_one("#language", Select)
        select.set_options(select_options(choices))
        if self.language and any(code == self.language for code, _n in choices):
            select.value = self.language

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        language = self.query_one("#language", Select).selection
        text = self.query_one("#path", Input).value.strip()
        if not language:
            self.show_problem(_("Choose the language of the file."))
            return
        if not text:
            self.show_problem(_("Type the path of a Word file (.docx), or press Esc."))
            return
        path = Path(text).expanduser()
        code, user = self.template_code, self.app.user  # type: ignore[attr-defined]
        run_job(
            self,
            lambda: templates.import_template_attachment(
                code, language, read_user_file(path), path.name, user=user
            ),
            self.dismiss,
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class ExportTemplateDialog(FormDialog, FieldNavigation):
    """Write a template language's Word file to a path, to edit it in Word."""

    HELP = _(
        "Write the template's Word file in this language to a file, to edit it in "
        "Word and import it again with i. Save as is the path of the new file, at "
        "first the file's name in the working folder. A folder gets the file "
        "under its own name, and ~ is your home folder. An existing file is not "
        "replaced. Enter or Ctrl+S writes the file. Esc closes without writing."
    )

    SUBMIT_INPUTS = frozenset({"path"})

    def __init__(self, template_code: str, language: str, file_name: str) -> None:
        super().__init__(
            _("Export the Word file of {code} {language}").format(
                code=template_code, language=language
            )
        )
        self.template_code = template_code
        self.language = language
        self.file_name = file_name

    def compose_body(self) -> ComposeResult:
        yield form_row(
            _("Save as"),
            TypeAheadInput(str(Path.cwd() / self.file_name), id="path", compact=True),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Export (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        target = Path(self.query_one("#path", Input).value.strip()).expanduser()
        code, language = self.template_code, self.language
        run_job(
            self,
            lambda: export_template_file(code, language, target),
            self.exported,
            on_error=self.report,
        )

    def exported(self, path: Path) -> None:
        self.notify(_("Written to {path}.").format(path=path), markup=False)
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


def export_template_file(code: str, language: str, target: Path) -> Path:
    """Write a template language's attachment; an existing file is not replaced."""
    from segtui.domain.errors import InvalidValueError
    from segtui.domain.letter_jobs import write_file

    name, content = templates.export_template_attachment(code, language)
    if target.is_dir():
        target = target / name
    if target.exists():
        raise InvalidValueError(
            _("{path} exists already; choose another name.").format(path=target)
        )
    try:
        write_file(target, content)
    except OSError as error:
        raise InvalidValueError(
            _("Writing {path} failed: {error}.").format(
                path=target, error=error.strerror or error
            )
        ) from None
    return target


# The merge fields of one template language.


class TemplateFieldsScreen(SetupScreen, TableScreen):
    HELP = _(
        "The merge fields of a template's Word file and the segtui merge field each "
        "stands for. A field that matches nothing stops logging; m maps it to a "
        "merge field, and mapping it to (none) removes the mapping."
    )
    ADMIN_ACTIONS = frozenset({"map"})

    FOOTER_ESSENTIAL = frozenset({"map"})

    BINDINGS = [
        Binding(
            "m,enter", "map", _("Map"), tooltip=_("Map the field to a merge field")
        ),
        Binding(
            "f5", "refresh", _("Refresh"), show=False, tooltip=_("Read the list again")
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back to the languages")),
    ]

    def __init__(self, template_code: str, language: str) -> None:
        super().__init__()
        self.template_code = template_code
        self.language = language

    def title_text(self) -> str:
        return _("Merge fields of {code} {language}").format(
            code=self.template_code, language=self.language
        )

    def record_exists(self) -> bool:
        return (
            InteractionTemplateLanguage.select()
            .where(
                (InteractionTemplateLanguage.template == self.template_code)
                & (InteractionTemplateLanguage.language == self.language)
            )
            .exists()
        )

    def deleted_message(self) -> str:
        return _("Template {code} has no language {language} any more.").format(
            code=self.template_code, language=self.language
        )

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = new_table("fields", [])
        columns = [
            (_("Field in the file"), "name", 30),
            (_("Merge field"), "matched", 26),
            (_("How"), "how", 10),
        ]
        self.add_columns(table, columns, ("name", "matched"))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        code, language = self.template_code, self.language
        self.run(
            lambda: templates.template_language(code, language),
            self.show,
            group="load",
            exclusive=True,
        )

    def show(self, info: templates.TemplateLanguageInfo) -> None:
        self.info = info
        table = self.query_one("#fields", DataTable)
        with refill(table):
            for field in info.fields:
                if field.matched is None:
                    match_kind = _("not mapped")
                elif field.name in info.field_map:
                    match_kind = _("mapped")
                else:
                    match_kind = _("by name")
                table.add_row(
                    plain(field.name),
                    plain(field.matched or _("MATCHES NOTHING")),
                    plain(match_kind),
                    key=field.name,
                )
        title = self.title_text()
        if info.error:
            title += " - " + info.error
        elif not info.file_name:
            title += " - " + _("no Word file")
        self.set_title(title)
        table.focus()

    def selected_field(self) -> str | None:
        return selected_key(self.query_one("#fields", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if is_admin(self.app):
            self.action_map()

    def action_map(self) -> None:
        field = self.selected_field()
        if field is None:
            return
        current = next((f.matched for f in self.info.fields if f.name == field), None)
        choices = [("", no_value())] + [
            (key, f"{key}  {names}") for key, names in templates.merge_field_choices()
        ]
        code, language = self.template_code, self.language
        user = self.app.user  # type: ignore[attr-defined]

        def picked(merge_field: str | None) -> None:
            if merge_field is None:
                return
            self.run(
                lambda: templates.map_template_fields(
                    code, language, {field: merge_field or None}, user=user
                ),
                lambda _fields: self.action_refresh(),
            )

        self.app.push_screen(
            ChoiceDialog(_("Map {field} to").format(field=field), choices, current),
            picked,
        )

    def action_back(self) -> None:
        self.dismiss(None)
