"""`segtui segment ...`: create, fill, show and log segments."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from segtui.commands.common import (
    RECORD_NO,
    Context,
    F,
    LabeledChoice,
    LabeledChoiceOption,
    choice_text,
    correspondence_choices,
    correspondence_code,
    correspondence_text,
    delivery_succeeded,
    echo_fields,
    finish_delivery,
    handle_errors,
    output_path,
    print_json,
    run_segment_action,
    shown,
)
from segtui.domain.text import printable
from segtui.i18n import _, format_count, ngettext


@click.group(help=_("Create, fill, show and log segments."))
def segment() -> None:
    pass


@segment.command("list", help=_("List the unlogged segments."))
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def segment_list(context: Context, as_json: bool) -> None:
    from segtui.domain.segmentation import list_segments

    context.open()
    segments = list_segments()
    if as_json:
        print_json(
            [
                {
                    "no": s.no,
                    "description": s.description,
                    "date": s.date,
                    "salesperson": s.salesperson_code,
                    "template": s.template_code,
                    "lines": s.lines,
                }
                for s in segments
            ]
        )
        return
    if not segments:
        click.echo(_("No unlogged segments."), err=True)
        return
    for s in segments:
        day = shown(s.date)
        lines = format_count(s.lines)
        click.echo(
            printable(
                f"{s.no:<10} {day:<10} {s.salesperson_code:<6} {lines:>7}  {s.description}"
            )
        )


@segment.command(
    "new", help=_("Create a segment and print its number alone on stdout.")
)
@click.option("--description", required=True, help=_("What the segment is for."))
@click.option(
    "--template", "template", metavar="CODE", help=_("Interaction template code.")
)
@click.option("--salesperson", metavar="CODE", help=_("Salesperson code."))
@click.pass_obj
@handle_errors
def segment_new(
    context: Context, description: str, template: str | None, salesperson: str | None
) -> None:
    from segtui.domain.segmentation import create_segment

    context.open()
    created = create_segment(
        description,
        user=context.user,
        template_code=template,
        salesperson_code=salesperson,
    )
    click.echo(created.no)


@segment.command(
    "set",
    help=_("Change a segment's header; its lines follow unless --keep-lines is given."),
)
@click.argument("segment_no", metavar="SEG")
@click.option("--description", help=_("What the segment is for."))
@click.option(
    "--template", "template", metavar="CODE", help=_("Interaction template code.")
)
@click.option("--salesperson", metavar="CODE", help=_("Salesperson code; '' for none."))
@click.option(
    "--date", "segment_date", metavar="YYYY-MM-DD", help=_("The interaction date.")
)
@click.option("--subject", help=_("The subject of the letters."))
@click.option(
    "--correspondence-type",
    cls=LabeledChoiceOption,
    type=LabeledChoice(correspondence_choices),
    help=_("Override the contacts' correspondence type (with --ignore-contact-type)."),
)
@click.option(
    "--ignore-contact-type/--use-contact-type",
    default=None,
    help=_("Whether the header's correspondence type overrides each contact's."),
)
@click.option("--unit-cost", metavar="AMOUNT", help=_("Cost of one interaction."))
@click.option(
    "--unit-duration", metavar="MINUTES", help=_("Duration of one interaction.")
)
@click.option(
    "--email-attachment/--email-body",
    "send_as_attachment",
    default=None,
    help=_("Attach the merged .docx to each email, or send only its text as the body."),
)
@click.option(
    "--keep-lines",
    is_flag=True,
    help=_("Change the header only; by default the lines take the new values too."),
)
@click.pass_obj
@handle_errors
def segment_set(
    context: Context,
    segment_no: str,
    description: str | None,
    template: str | None,
    salesperson: str | None,
    segment_date: str | None,
    subject: str | None,
    correspondence_type: str | None,
    ignore_contact_type: bool | None,
    unit_cost: str | None,
    unit_duration: str | None,
    send_as_attachment: bool | None,
    keep_lines: bool,
) -> None:
    from segtui.domain.dates import parse_date
    from segtui.domain.segmentation import update_header

    changes: dict[str, Any] = {}
    if description is not None:
        changes["description"] = description
    if template is not None:
        changes["interaction_template"] = template or None
    if salesperson is not None:
        changes["salesperson"] = salesperson or None
    if segment_date is not None:
        changes["date"] = parse_date(segment_date, _("Date")) if segment_date else None
    if subject is not None:
        changes["subject"] = subject
    if correspondence_type is not None:
        changes["correspondence_type"] = (
            "" if correspondence_type == "blank" else correspondence_type
        )
    if ignore_contact_type is not None:
        changes["ignore_contact_corresp_type"] = ignore_contact_type
    if unit_cost is not None:
        changes["unit_cost"] = unit_cost
    if unit_duration is not None:
        changes["unit_duration"] = unit_duration
    if send_as_attachment is not None:
        changes["send_word_docs_as_attachment"] = send_as_attachment
    if not changes:
        raise click.UsageError(
            _("Name at least one field to change, such as --template.")
        )

    context.open()
    update_header(segment_no, changes, user=context.user, update_lines=not keep_lines)
    click.echo(_("Segment {no} changed.").format(no=segment_no), err=True)


def add_option_flags(function: F) -> F:
    for flag, text in reversed(
        [
            ("--allow-existing", _("Add contacts that already have a line.")),
            (
                "--expand-companies",
                _("A matching contact brings its company and all its persons."),
            ),
            ("--allow-related-companies", _("A matching person brings its company.")),
            (
                "--ignore-exclusion",
                _("Include contacts whose Exclude from Segment is set."),
            ),
        ]
    ):
        function = click.option(flag, is_flag=True, help=text)(function)
    return function


@segment.command(
    "add", help=_("Add Contacts: insert a line for every contact the filters select.")
)
@click.argument("segment_no", metavar="SEG")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=EXPR",
    help=_("A filter such as country=DE|AT or mailing-group=NEWS; repeat for more."),
)
@add_option_flags
@click.pass_obj
@handle_errors
def segment_add(
    context: Context,
    segment_no: str,
    filters: tuple[str, ...],
    allow_existing: bool,
    expand_companies: bool,
    allow_related_companies: bool,
    ignore_exclusion: bool,
) -> None:
    from segtui.domain.criteria import AddOptions, filters_from_pairs
    from segtui.domain.segment_actions import add_contacts, added_message

    context.open()
    options = AddOptions(
        allow_existing, expand_companies, allow_related_companies, ignore_exclusion
    )
    parsed = filters_from_pairs(filters)
    result = run_segment_action(
        segment_no,
        _("Add Contacts"),
        lambda: add_contacts(segment_no, parsed, options, user=context.user),
    )
    click.echo(added_message(result.inserted), err=True)
    if result.inserted == 0:
        click.echo(
            _(
                "No contact was added: none matched, or those that matched are already "
                "on the segment, excluded from segments or privacy blocked."
            ),
            err=True,
        )


FILTER_OPTION = click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=EXPR",
    help=_(
        "A filter such as country=DE|AT, mailing-group=NEWS, has-industry-group=no "
        "or interaction.date=2026-01-01..; repeat for more."
    ),
)
ENTIRE_COMPANIES_OPTION = click.option(
    "--entire-companies",
    is_flag=True,
    help=_("Act on every contact of a matching contact's company."),
)


def print_change(result: Any) -> None:
    if result.inserted:
        click.echo(
            ngettext(
                "{count} line added.", "{count} lines added.", result.inserted
            ).format(count=format_count(result.inserted)),
            err=True,
        )
    if result.deleted:
        click.echo(
            ngettext(
                "{count} line removed.", "{count} lines removed.", result.deleted
            ).format(count=format_count(result.deleted)),
            err=True,
        )
    if not result.inserted and not result.deleted:
        click.echo(_("No line changed."), err=True)


@segment.command(
    "reduce",
    help=_(
        "Reduce Contacts: remove the lines whose contacts match the filters.\n"
        "\n"
        "Without a filter every line matches, so that needs --all."
    ),
)
@click.argument("segment_no", metavar="SEG")
@FILTER_OPTION
@ENTIRE_COMPANIES_OPTION
@click.option(
    "--all",
    "remove_all",
    is_flag=True,
    help=_("Remove every line of the segment. It takes no --filter."),
)
@click.pass_obj
@handle_errors
def segment_reduce(
    context: Context,
    segment_no: str,
    filters: tuple[str, ...],
    entire_companies: bool,
    remove_all: bool,
) -> None:
    from segtui.domain.criteria import clean_filters, filters_from_pairs
    from segtui.domain.segment_actions import reduce_contacts
    from segtui.domain.segmentation import count_lines, get_segment

    context.open()
    parsed = filters_from_pairs(filters)
    has_filter = bool(clean_filters(parsed))
    if remove_all and has_filter:
        raise click.UsageError(
            _("--all removes every line and takes no --filter; give one or the other.")
        )
    if not remove_all and not has_filter:
        segment = get_segment(segment_no)
        line_count = count_lines(segment.no)
        raise click.UsageError(
            ngettext(
                "No filter is given, so Reduce Contacts would remove the {count} line "
                "of segment {no}. Give --filter KEY=EXPR to choose lines, or --all to "
                "remove every line.",
                "No filter is given, so Reduce Contacts would remove all {count} lines "
                "of segment {no}. Give --filter KEY=EXPR to choose lines, or --all to "
                "remove every line.",
                line_count,
            ).format(count=format_count(line_count), no=segment.no)
        )
    print_change(
        run_segment_action(
            segment_no,
            _("Reduce Contacts"),
            lambda: reduce_contacts(
                segment_no,
                parsed,
                entire_companies=entire_companies,
                user=context.user,
            ),
        )
    )


@segment.command(
    "refine",
    help=_("Refine Contacts: keep only the lines whose contacts match the filters."),
)
@click.argument("segment_no", metavar="SEG")
@FILTER_OPTION
@ENTIRE_COMPANIES_OPTION
@click.pass_obj
@handle_errors
def segment_refine(
    context: Context, segment_no: str, filters: tuple[str, ...], entire_companies: bool
) -> None:
    from segtui.domain.criteria import filters_from_pairs
    from segtui.domain.segment_actions import refine_contacts

    context.open()
    parsed = filters_from_pairs(filters)
    print_change(
        run_segment_action(
            segment_no,
            _("Refine Contacts"),
            lambda: refine_contacts(
                segment_no,
                parsed,
                entire_companies=entire_companies,
                user=context.user,
            ),
        )
    )


@segment.command(
    "count",
    help=_("Print how many contacts Add Contacts would put on an empty segment."),
)
@FILTER_OPTION
@add_option_flags
@click.pass_obj
@handle_errors
def segment_count(
    context: Context,
    filters: tuple[str, ...],
    allow_existing: bool,
    expand_companies: bool,
    allow_related_companies: bool,
    ignore_exclusion: bool,
) -> None:
    from segtui.domain.criteria import AddOptions, filters_from_pairs
    from segtui.domain.segment_actions import count_add_contacts

    context.open()
    options = AddOptions(
        allow_existing, expand_companies, allow_related_companies, ignore_exclusion
    )
    click.echo(str(count_add_contacts(filters_from_pairs(filters), options)))


@segment.command(
    "criteria",
    help=_("List a segment's criteria actions in order; undone ones are marked."),
)
@click.argument("segment_no", metavar="SEG")
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@click.pass_obj
@handle_errors
def segment_criteria(context: Context, segment_no: str, as_json: bool) -> None:
    from segtui.domain.criteria import describe_action
    from segtui.domain.segmentation import criteria_actions, get_segment

    context.open()
    get_segment(segment_no)
    actions = criteria_actions(segment_no)
    if as_json:
        print_json(
            [
                {
                    "sequence": action.sequence,
                    "action": action.action,
                    "filters": action.filters or {},
                    "options": action.options or {},
                    "active": bool(action.active),
                    "lines_inserted": action.lines_inserted,
                    "lines_deleted": action.lines_deleted,
                    "description": describe_action(
                        action.action, action.filters or {}, action.options or {}
                    ),
                    "created_by": action.created_by,
                    "created_at": action.created_at,
                }
                for action in actions
            ]
        )
        return
    if not actions:
        click.echo(
            _("Segment {no} has no criteria yet.").format(no=segment_no), err=True
        )
    for action in actions:
        state = "" if action.active else "  " + _("(undone)")
        text = describe_action(
            action.action, action.filters or {}, action.options or {}
        )
        click.echo(printable(f"{action.sequence:>3}  {text}{state}"))


@segment.command(
    "go-back", help=_("Undo the last criteria action, restoring the lines exactly.")
)
@click.argument("segment_no", metavar="SEG")
@click.pass_obj
@handle_errors
def segment_go_back(context: Context, segment_no: str) -> None:
    from segtui.domain.segment_actions import go_back

    context.open()
    print_change(
        run_segment_action(
            segment_no, _("Go Back"), lambda: go_back(segment_no, user=context.user)
        )
    )


@segment.command(
    "go-forward", help=_("Redo the criteria action that Go Back undid last.")
)
@click.argument("segment_no", metavar="SEG")
@click.pass_obj
@handle_errors
def segment_go_forward(context: Context, segment_no: str) -> None:
    from segtui.domain.segment_actions import go_forward

    context.open()
    print_change(
        run_segment_action(
            segment_no,
            _("Go Forward"),
            lambda: go_forward(segment_no, user=context.user),
        )
    )


@segment.command(
    "reuse-logged",
    help=_("Add the contacts of a logged segment's entries to a segment."),
)
@click.argument("entry_no", type=RECORD_NO, metavar="ENTRY_NO")
@click.argument("segment_no", metavar="SEG")
@click.option(
    "--allow-existing", is_flag=True, help=_("Add contacts that already have a line.")
)
@click.pass_obj
@handle_errors
def segment_reuse_logged(
    context: Context, entry_no: int, segment_no: str, allow_existing: bool
) -> None:
    from segtui.domain.segment_actions import reuse_logged_segment

    context.open()
    result = run_segment_action(
        segment_no,
        _("Reuse Logged Segment"),
        lambda: reuse_logged_segment(
            segment_no, entry_no, allow_existing=allow_existing, user=context.user
        ),
    )
    click.echo(printable(result.message()), err=True)


@segment.command("show", help=_("Show a segment's header and lines."))
@click.argument("segment_no", metavar="SEG")
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@click.pass_obj
@handle_errors
def segment_show(context: Context, segment_no: str, as_json: bool) -> None:
    from segtui.domain.segmentation import get_segment, segment_lines

    context.open()
    header = get_segment(segment_no)
    lines = segment_lines(segment_no)
    header_data = {
        "no": header.no,
        "description": header.description,
        "date": header.date,
        "salesperson": header.salesperson_code or "",
        "template": header.interaction_template_code or "",
        "language": header.language_code or "",
        "subject": header.subject,
        "correspondence_type": header.correspondence_type,
        "unit_cost": header.unit_cost,
        "unit_duration": header.unit_duration,
        "information_flow": header.information_flow,
        "initiated_by": header.initiated_by,
        "lines": len(lines),
    }
    line_data = [
        {
            "line_no": line.line_no,
            "contact_no": line.contact_no,
            "contact_name": line.contact_name,
            "company_name": line.company_name,
            "correspondence_type": line.correspondence_type,
            "language": line.language_code,
            "salesperson": line.salesperson_code,
            "template": line.template_code,
            "description": line.description,
        }
        for line in lines
    ]
    if as_json:
        print_json({"header": header_data, "lines": line_data})
        return
    echo_fields(header_fields(header, len(lines)))
    click.echo("")
    for line in lines:
        click.echo(
            printable(
                f"{line.line_no:>8}  {line.contact_no:<10} {line.contact_name:<30} "
                f"{correspondence_text(line.correspondence_type):<10} "
                f"{line.language_code}"
            ).rstrip()
        )


def header_fields(header: Any, line_count: int) -> list[tuple[str, Any]]:
    """Return a segment header's fields with their labels, for text output."""
    from segtui.domain.templates import FLOW_CHOICES, INITIATED_CHOICES

    return [
        (_("No."), header.no),
        (_("Description"), header.description),
        (_("Date"), header.date),
        (_("Salesperson"), header.salesperson_code or ""),
        (_("Interaction template"), header.interaction_template_code or ""),
        (_("Language"), header.language_code or ""),
        (_("Subject"), header.subject),
        (_("Correspondence type"), correspondence_text(header.correspondence_type)),
        (_("Unit cost"), header.unit_cost),
        (_("Duration (min)"), header.unit_duration),
        (_("Information flow"), choice_text(FLOW_CHOICES, header.information_flow)),
        (_("Initiated by"), choice_text(INITIATED_CHOICES, header.initiated_by)),
        (_("Lines"), format_count(line_count)),
    ]


@segment.command(
    "log",
    help=_(
        "Log a segment: entries, a logged segment, letters, and optionally a follow-up."
    ),
)
@click.argument("segment_no", metavar="SEG")
@click.option(
    "--deliver",
    is_flag=True,
    help=_("Send email lines and mark hard copies as delivered."),
)
@click.option(
    "--follow-up",
    is_flag=True,
    help=_("Create a follow-up segment with the same contacts."),
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    metavar="DIRECTORY",
    help=_(
        "Folder for the letters (default: the letters folder of the data directory)."
    ),
)
@click.option(
    "--pdf",
    is_flag=True,
    help=_("Convert the print files to PDF as well (needs LibreOffice)."),
)
@click.pass_obj
@handle_errors
def segment_log(
    context: Context,
    segment_no: str,
    deliver: bool,
    follow_up: bool,
    output: Path | None,
    pdf: bool,
) -> None:
    from segtui.domain.segment_logging import LogOptions, log_segment

    context.open()
    with contextlib.ExitStack() as stack:
        if output is not None:
            output = stack.enter_context(output_path(output, folder=True))
        result = log_segment(
            segment_no,
            LogOptions(
                deliver=deliver, follow_up=follow_up, output_folder=output, pdf=pdf
            ),
            user=context.user,
        )
    click.echo(
        ngettext(
            "Logged segment {entry}: {count} interaction.",
            "Logged segment {entry}: {count} interactions.",
            result.entries,
        ).format(entry=result.logged_segment_no, count=format_count(result.entries)),
        err=True,
    )
    if result.follow_up_segment_no:
        click.echo(
            _("Follow-up segment {no}.").format(no=result.follow_up_segment_no),
            err=True,
        )
    finish_delivery(result.delivery, result.output_folder, result.logged_segment_no)
    click.echo(str(result.logged_segment_no))
    if not delivery_succeeded(result.delivery):
        sys.exit(1)


# One line: its values and its letter.


@segment.command(
    "line",
    help=_(
        "Change one line: contact, template, language, subject, personal_note, ...\n"
        "\n"
        'For example: segment line SEG00001 10000 language=DE personal_note="Thank you!"'
    ),
)
@click.argument("segment_no", metavar="SEG")
@click.argument("line_no", type=RECORD_NO, metavar="LINE_NO")
@click.argument("pairs", nargs=-1, required=True, metavar="FIELD=VALUE ...")
@click.pass_obj
@handle_errors
def segment_line(
    context: Context, segment_no: str, line_no: int, pairs: tuple[str, ...]
) -> None:
    from segtui.domain.line_editing import LINE_FIELDS, update_line
    from segtui.domain.line_letters import NOTE_FIELDS

    changes: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.UsageError(
                _("{pair!r} is not FIELD=VALUE; the fields are: {known}.").format(
                    pair=pair, known=", ".join(LINE_FIELDS)
                )
            )
        name, value = pair.split("=", 1)
        name = name.strip().replace("-", "_")
        if name == "template":
            name = "interaction_template"
        if name == "correspondence_type":
            value = correspondence_code(value)
        changes[name] = value if value != "" or name != "salesperson" else None
    context.open()
    update_line(segment_no, line_no, changes, user=context.user)
    click.echo(
        _("Line {line} of segment {no} changed.").format(line=line_no, no=segment_no),
        err=True,
    )
    if NOTE_FIELDS & set(changes):
        warn_note_without_field(segment_no, line_no)


def warn_note_without_field(segment_no: str, line_no: int) -> None:
    """Print on stderr when the line's personal note has no place in its letter.

    The change is saved by then, so a Word file that cannot be read is reported as
    a warning too, and the exit status stays 0.
    """
    from segtui.domain.documents import DocumentError
    from segtui.domain.line_letters import personal_note_warning

    try:
        warning = personal_note_warning(segment_no, line_no)
    except DocumentError as error:
        warning = error.message
    if warning:
        click.echo(_("Warning: {warning}").format(warning=warning), err=True)


@segment.command(
    "preview",
    help=_("Print the line's merged letter as text, as logging would merge it."),
)
@click.argument("segment_no", metavar="SEG")
@click.argument("line_no", type=RECORD_NO, metavar="LINE_NO")
@click.pass_obj
@handle_errors
def segment_preview(context: Context, segment_no: str, line_no: int) -> None:
    from segtui.domain.line_letters import line_letter_text

    context.open()
    click.echo(printable_text(line_letter_text(segment_no, line_no)))


def printable_text(text: str) -> str:
    """Keep line breaks and tabs, show other control characters as ``?``."""
    return "\n".join(printable(line.replace("\t", "    ")) for line in text.split("\n"))


@segment.command(
    "export-letter",
    help=_("Write the line's merged letter as a .docx to edit elsewhere."),
)
@click.argument("segment_no", metavar="SEG")
@click.argument("line_no", type=RECORD_NO, metavar="LINE_NO")
@click.argument("target", type=click.Path(path_type=Path), metavar="FILE.docx|FOLDER")
@click.option("--force", is_flag=True, help=_("Replace the file if it exists."))
@click.pass_obj
@handle_errors
def segment_export_letter(
    context: Context, segment_no: str, line_no: int, target: Path, force: bool
) -> None:
    from segtui.domain.line_letters import export_line_letter

    context.open()
    target = target.expanduser()
    # As export_line_letter reads it: a folder, or a path without a suffix, is a
    # folder to write the letter into.
    is_folder = target.is_dir() or (not target.exists() and not target.suffix)
    with output_path(target, folder=is_folder) as checked:
        written = export_line_letter(segment_no, line_no, checked, overwrite=force)
    click.echo(str(written))


@segment.command(
    "import-letter",
    help=_("Make an edited .docx the line's own letter; logging sends it as it is."),
)
@click.argument("segment_no", metavar="SEG")
@click.argument("line_no", type=RECORD_NO, metavar="LINE_NO")
@click.argument(
    "file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.docx"
)
@click.pass_obj
@handle_errors
def segment_import_letter(
    context: Context, segment_no: str, line_no: int, file: Path
) -> None:
    from segtui.domain.line_letters import import_line_letter
    from segtui.domain.user_files import read_user_file

    content = read_user_file(file)
    context.open()
    import_line_letter(segment_no, line_no, content, file.name, user=context.user)
    click.echo(
        _("Line {line} now has its own letter {file}.").format(
            line=line_no, file=file.name
        ),
        err=True,
    )


@segment.command(
    "remove-letter",
    help=_("Drop the line's own letter; the line uses its template's again."),
)
@click.argument("segment_no", metavar="SEG")
@click.argument("line_no", type=RECORD_NO, metavar="LINE_NO")
@click.pass_obj
@handle_errors
def segment_remove_letter(context: Context, segment_no: str, line_no: int) -> None:
    from segtui.domain.line_letters import remove_line_letter

    context.open()
    remove_line_letter(segment_no, line_no, user=context.user)
    click.echo(
        _("Line {line} uses its template's letter again.").format(line=line_no),
        err=True,
    )
