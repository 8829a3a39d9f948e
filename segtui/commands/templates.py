"""`segtui template ...`: interaction templates, their languages and Word files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from segtui.commands.common import (
    Context,
    LabeledChoice,
    LabeledChoiceOption,
    code_choices,
    correspondence_choices,
    correspondence_text,
    handle_errors,
    output_path,
    print_json,
    setup_value_text,
)
from segtui.domain.text import printable
from segtui.i18n import _


@click.group(
    help=_("Interaction templates, their languages and their Word attachments.")
)
def template() -> None:
    pass


def template_field_options(function: Any) -> Any:
    """Add an option for every template field a user may set."""
    options = [
        ("--group", "CODE", _("Interaction group code.")),
        ("--description", "TEXT", _("What the interaction is.")),
        (
            "--correspondence-type",
            LabeledChoice(correspondence_choices),
            _("How the document reaches the contact."),
        ),
        (
            "--ignore-contact-type",
            "YES|NO",
            _("Whether the template's correspondence type overrides the contact's."),
        ),
        ("--unit-cost", "AMOUNT", _("Cost of one interaction.")),
        ("--unit-duration", "MINUTES", _("Duration of one interaction in minutes.")),
        (
            "--information-flow",
            LabeledChoice(flow_choices),
            _("Whether the information goes out or comes in."),
        ),
        (
            "--initiated-by",
            LabeledChoice(initiated_choices),
            _("Who starts the interaction."),
        ),
        ("--language", "CODE", _("Default language; '' for none.")),
        ("--campaign", "NO", _("Campaign number; '' for none.")),
        (
            "--campaign-target",
            "YES|NO",
            _("Count the interactions as campaign target."),
        ),
        (
            "--campaign-response",
            "YES|NO",
            _("Count the interactions as campaign response."),
        ),
    ]
    for flag, kind, text in reversed(options):
        if isinstance(kind, LabeledChoice):
            option = click.option(flag, cls=LabeledChoiceOption, type=kind, help=text)
        else:
            option = click.option(flag, metavar=kind, help=text)
        function = option(function)
    return function


def flow_choices() -> list[tuple[str, str]]:
    from segtui.domain.templates import FLOW_CHOICES

    return code_choices(FLOW_CHOICES)


def initiated_choices() -> list[tuple[str, str]]:
    from segtui.domain.templates import INITIATED_CHOICES

    return code_choices(INITIATED_CHOICES)


OPTION_FIELDS = {
    "group": "group",
    "description": "description",
    "correspondence_type": "correspondence_type",
    "ignore_contact_type": "ignore_contact_correspondence",
    "unit_cost": "unit_cost",
    "unit_duration": "unit_duration",
    "information_flow": "information_flow",
    "initiated_by": "initiated_by",
    "language": "language",
    "campaign": "campaign",
    "campaign_target": "campaign_target",
    "campaign_response": "campaign_response",
}


def _changes(options: dict[str, Any]) -> dict[str, Any]:
    return {
        OPTION_FIELDS[name]: value
        for name, value in options.items()
        if name in OPTION_FIELDS and value is not None
    }


@template.command(
    "list", help=_("List the interaction templates with their languages.")
)
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def template_list(context: Context, as_json: bool) -> None:
    from segtui.domain.templates import list_templates

    context.open()
    rows = list_templates()
    if as_json:
        print_json(
            [
                {
                    "code": row.code,
                    "description": row.description,
                    "group": row.group_code,
                    "correspondence_type": row.correspondence_type,
                    "unit_cost": row.unit_cost,
                    "languages": row.languages,
                    "languages_without_attachment": row.languages_without_attachment,
                }
                for row in rows
            ]
        )
        return
    if not rows:
        click.echo(_("No interaction templates."), err=True)
        return
    # A language code ending in "-" has no Word attachment yet.
    headings = [_("Code"), _("Group"), _("Corr. type"), _("Languages")]
    widths = [10, 10, 10, 12]
    cells = [
        heading.ljust(width) for heading, width in zip(headings, widths, strict=True)
    ]
    click.echo(" ".join([*cells, _("Description")]))
    for row in rows:
        languages = " ".join(
            [*row.languages, *(f"{code}-" for code in row.languages_without_attachment)]
        )
        correspondence = correspondence_text(row.correspondence_type)
        click.echo(
            printable(
                f"{row.code:<10} {row.group_code:<10} {correspondence:<10} "
                f"{languages:<12} {row.description}"
            ).rstrip()
        )


@template.command(
    "show",
    help=_("Show a template's fields and its languages with their merge fields."),
)
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@click.pass_obj
@handle_errors
def template_show(context: Context, code: str, as_json: bool) -> None:
    from segtui.domain.templates import TEMPLATES, get_template, template_languages

    context.open()
    values = get_template(code)
    languages = [
        {
            "language": info.language_code,
            "subject": info.subject,
            "file_name": info.file_name,
            "read_only": info.read_only,
            "fields": [
                {"name": field.name, "matched": field.matched} for field in info.fields
            ],
            "unmatched": info.unmatched,
            "error": info.error,
        }
        for info in template_languages(code)
    ]
    if as_json:
        print_json({**values, "languages": languages})
        return
    # The fields keep their names, which the options of `segtui template set` follow.
    for key, value in values.items():
        text = setup_value_text(TEMPLATES, key, value)
        click.echo(printable(f"{key:<28} {text}").rstrip())
    for language in languages:
        click.echo("")
        file_name = language["file_name"] or _("(no file)")
        click.echo(
            printable(f"{language['language']}  {file_name}  {language['subject']}")
        )
        for field in language["fields"]:
            matched = field["matched"] or _("MATCHES NOTHING")
            click.echo(printable(f"    {field['name']:<30} {matched}"))
        if language["error"]:
            click.echo(printable(f"    {language['error']}"))


@template.command("new", help=_("Create an interaction template; --group is required."))
@click.argument("code")
@template_field_options
@click.pass_obj
@handle_errors
def template_new(context: Context, code: str, **options: Any) -> None:
    from segtui.domain.templates import save_template

    context.open()
    saved = save_template(code, _changes(options), user=context.user, create=True)
    click.echo(saved["code"])


@template.command("set", help=_("Change fields of an interaction template."))
@click.argument("code")
@template_field_options
@click.pass_obj
@handle_errors
def template_set(context: Context, code: str, **options: Any) -> None:
    from segtui.domain.templates import save_template

    changes = _changes(options)
    if not changes:
        raise click.UsageError(
            _("Name at least one field to change, such as --description.")
        )
    context.open()
    save_template(code, changes, user=context.user, create=False)
    click.echo(_("Template {code} changed.").format(code=code.upper()), err=True)


@template.command(
    "delete", help=_("Delete a template and its languages, unless a segment uses it.")
)
@click.argument("code")
@click.pass_obj
@handle_errors
def template_delete(context: Context, code: str) -> None:
    from segtui.domain.templates import delete_template

    context.open()
    delete_template(code, user=context.user)
    click.echo(_("Template {code} deleted.").format(code=code.upper()), err=True)


def print_fields(fields: list[Any], as_json: bool) -> None:
    if as_json:
        print_json([{"name": field.name, "matched": field.matched} for field in fields])
        return
    if not fields:
        click.echo(_("The file has no merge fields."), err=True)
    for field in fields:
        matched = field.matched or _("MATCHES NOTHING")
        click.echo(printable(f"{field.name:<30} {matched}"))


def warn_unmatched(code: str, language: str, unmatched: list[str]) -> None:
    if not unmatched:
        return
    click.echo(
        printable(
            _(
                "These merge fields match nothing: {fields}. Map each with `segtui "
                "template map {code} {language} FIELD=MERGE_FIELD`; logging rejects the "
                "template until then."
            ).format(fields=", ".join(unmatched), code=code, language=language)
        ),
        err=True,
    )


@template.command(
    "import",
    help=_(
        "Store a Word file as the template's attachment in LANGUAGE.\n"
        "\n"
        "Prints the file's merge fields and the merge field each matches."
    ),
)
@click.argument("code")
@click.argument("language")
@click.argument(
    "file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.docx"
)
@click.option("--subject", help=_("The subject of the template in this language."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the fields as JSON."))
@click.pass_obj
@handle_errors
def template_import(
    context: Context,
    code: str,
    language: str,
    file: Path,
    subject: str | None,
    as_json: bool,
) -> None:
    from segtui.domain.templates import import_template_attachment
    from segtui.domain.user_files import read_user_file

    content = read_user_file(file)
    context.open()
    result = import_template_attachment(
        code, language, content, file.name, user=context.user, subject=subject
    )
    print_fields(result.fields, as_json)
    click.echo(
        _("Imported {file} into template {code}, language {language}.").format(
            file=result.file_name,
            code=result.template_code,
            language=result.language_code,
        ),
        err=True,
    )
    warn_unmatched(result.template_code, result.language_code, result.unmatched)


@template.command(
    "export",
    help=_(
        "Write the template's Word attachment in LANGUAGE to FILE (or into a folder)."
    ),
)
@click.argument("code")
@click.argument("language")
@click.argument("file", type=click.Path(path_type=Path), metavar="FILE.docx")
@click.option("--force", is_flag=True, help=_("Replace FILE if it exists."))
@click.pass_obj
@handle_errors
def template_export(
    context: Context, code: str, language: str, file: Path, force: bool
) -> None:
    from segtui.domain.errors import InvalidValueError
    from segtui.domain.letter_jobs import write_file
    from segtui.domain.templates import export_template_attachment

    context.open()
    name, content = export_template_attachment(code, language)
    target = file / name if file.expanduser().is_dir() else file
    with output_path(target) as path:
        if path.exists() and not force:
            raise InvalidValueError(
                _("{path} exists already; add --force to replace it.").format(path=path)
            )
        write_file(path, content)
    click.echo(str(path))


@template.command(
    "fields",
    help=_("List the merge fields of a Word file and the merge field each matches."),
)
@click.argument(
    "file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.docx"
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@handle_errors
def template_fields(file: Path, as_json: bool) -> None:
    from segtui.domain.templates import file_fields
    from segtui.domain.user_files import read_user_file

    print_fields(file_fields(read_user_file(file), file.name), as_json)


@template.command(
    "map",
    help=_(
        "Map merge fields of the template's Word file to segtui merge fields.\n"
        "\n"
        "FIELD is a field as the file writes it; MERGE_FIELD is a segtui merge field by\n"
        "its key or any of its names (see `segtui template merge-fields`). FIELD= with\n"
        "nothing after it removes the mapping."
    ),
)
@click.argument("code")
@click.argument("language")
@click.argument("pairs", nargs=-1, required=True, metavar="FIELD=MERGE_FIELD ...")
@click.pass_obj
@handle_errors
def template_map(
    context: Context, code: str, language: str, pairs: tuple[str, ...]
) -> None:
    from segtui.domain.templates import map_template_fields

    mapping: dict[str, str | None] = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.UsageError(
                _(
                    "{pair!r} is not FIELD=MERGE_FIELD, such as Achternaam=surname."
                ).format(pair=pair)
            )
        field, merge_field = pair.split("=", 1)
        mapping[field.strip()] = merge_field.strip() or None
    context.open()
    fields = map_template_fields(code, language, mapping, user=context.user)
    print_fields(fields, False)
    warn_unmatched(
        code.upper(),
        language.upper(),
        [field.name for field in fields if field.matched is None],
    )


@template.command(
    "merge-fields",
    help=_("List segtui's merge fields with the names a Word file may use for each."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@handle_errors
def template_merge_fields(as_json: bool) -> None:
    from segtui.domain.documents import MERGE_FIELDS

    if as_json:
        print_json(
            [{"key": key, "names": list(names)} for key, names in MERGE_FIELDS.items()]
        )
        return
    for key, names in MERGE_FIELDS.items():
        click.echo(printable(f"{key:<24} {', '.join(names)}"))


@template.command(
    "language",
    help=_("Add a language to a template, change its subject, or remove it."),
)
@click.argument("code")
@click.argument("language")
@click.option(
    "--subject", help=_("The subject of letters and emails in this language.")
)
@click.option(
    "--remove", is_flag=True, help=_("Remove the language from the template.")
)
@click.pass_obj
@handle_errors
def template_language(
    context: Context, code: str, language: str, subject: str | None, remove: bool
) -> None:
    from segtui.domain.templates import (
        remove_template_language,
        set_template_language,
    )

    context.open()
    if remove:
        remove_template_language(code, language, user=context.user)
        click.echo(
            _("Language {language} removed from template {code}.").format(
                language=language.upper(), code=code.upper()
            ),
            err=True,
        )
        return
    if subject is None:
        raise click.UsageError(_("Give --subject TEXT, or --remove."))
    set_template_language(code, language, subject=subject, user=context.user)
    click.echo(
        _("Template {code}, language {language} saved.").format(
            code=code.upper(), language=language.upper()
        ),
        err=True,
    )
