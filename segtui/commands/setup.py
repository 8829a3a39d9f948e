"""`segtui setup ...`: salespeople, languages, salutations, groups and email.

TABLE is one of salesperson, language, salutation and interaction-group. Changing
setup needs the admin role.
"""

from __future__ import annotations

from typing import Any

import click

from segtui.commands.common import (
    Context,
    LabeledChoice,
    LabeledChoiceOption,
    handle_errors,
    print_json,
    setup_value_text,
)
from segtui.domain.text import printable
from segtui.i18n import _

TABLE_NAMES = ["salesperson", "language", "salutation", "interaction-group"]


@click.group(
    help=_(
        "Salespeople, languages, salutations, interaction groups and email settings."
    )
)
def setup() -> None:
    pass


def salutation_kinds() -> list[tuple[str, str]]:
    """Return the kinds of greeting with the labels of the salutation form."""
    return [("formal", _("formal")), ("informal", _("informal"))]


def security_modes() -> list[tuple[str, str]]:
    """Return the SMTP security modes with the labels of the SMTP form."""
    return [("none", _("None")), ("starttls", "STARTTLS"), ("tls", "TLS")]


def _pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.UsageError(
                _("{pair!r} is not FIELD=VALUE, such as name=Jo Doe.").format(pair=pair)
            )
        name, value = pair.split("=", 1)
        values[name.strip().replace("-", "_")] = value
    return values


@setup.command("list", help=_("List the records of a setup TABLE."))
@click.argument("table", type=click.Choice(TABLE_NAMES), metavar="TABLE")
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def setup_list(context: Context, table: str, as_json: bool) -> None:
    from segtui.domain.setup_tables import (
        list_records,
        salutation_formulas,
        setup_table,
    )

    context.open()
    rows = list_records(table)
    if table == "salutation":
        for row in rows:
            row["formulas"] = {
                f"{language} {kind}": text
                for (language, kind), text in sorted(
                    salutation_formulas(row["code"]).items()
                )
            }
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo(_("The table {table} has no records.").format(table=table), err=True)
        return
    for row in rows:
        formulas = row.pop("formulas", {})
        texts = [
            setup_value_text(setup_table(table), name, value)
            for name, value in row.items()
        ]
        click.echo(printable("  ".join(texts)))
        for key, text in formulas.items():
            click.echo(printable(f"    {key:<12} {text}"))


@setup.command(
    "set",
    help=_(
        "Create a record of TABLE, or change its fields.\n"
        "\n"
        'For example: setup set salesperson JD name="Jo Doe" email=jo@example.com'
    ),
)
@click.argument("table", type=click.Choice(TABLE_NAMES), metavar="TABLE")
@click.argument("code")
@click.argument("pairs", nargs=-1, metavar="FIELD=VALUE ...")
@click.pass_obj
@handle_errors
def setup_set(context: Context, table: str, code: str, pairs: tuple[str, ...]) -> None:
    from segtui.domain.setup_tables import save_record

    context.open()
    saved = save_record(table, code, _pairs(pairs), user=context.user)
    click.echo(saved["code"])


@setup.command("delete", help=_("Delete a record of TABLE that nothing uses."))
@click.argument("table", type=click.Choice(TABLE_NAMES), metavar="TABLE")
@click.argument("code")
@click.pass_obj
@handle_errors
def setup_delete(context: Context, table: str, code: str) -> None:
    from segtui.domain.setup_tables import delete_record

    context.open()
    delete_record(table, code, user=context.user)
    click.echo(_("{code} deleted.").format(code=code.upper()), err=True)


@setup.command(
    "formula",
    help=_(
        "Set a salutation's greeting in LANGUAGE; '' removes it.\n"
        "\n"
        "TEXT may use {first_name}, {middle_name}, {surname}, {name}, {job_title} and\n"
        '{company_name}, such as "Sehr geehrter Herr {surname},".'
    ),
)
@click.argument("salutation")
@click.argument("language")
@click.argument("kind", type=LabeledChoice(salutation_kinds))
@click.argument("text")
@click.pass_obj
@handle_errors
def setup_formula(
    context: Context, salutation: str, language: str, kind: str, text: str
) -> None:
    from segtui.domain.setup_tables import set_salutation_formula

    context.open()
    set_salutation_formula(salutation, language, kind, text, user=context.user)
    click.echo(_("Salutation {code} saved.").format(code=salutation.upper()), err=True)


@setup.command(
    "smtp",
    help=_(
        "Show the SMTP settings, or store those given as options.\n"
        "\n"
        "SEGTUI_SMTP_* environment variables override the stored settings; the password\n"
        "comes from SEGTUI_SMTP_PASSWORD or the password file."
    ),
)
@click.option("--host", help=_("SMTP server name or address; '' removes it."))
@click.option("--port", help=_("SMTP port, such as 587."))
@click.option(
    "--security",
    cls=LabeledChoiceOption,
    type=LabeledChoice(security_modes),
    help=_("STARTTLS on a plain connection, TLS from the start, or none."),
)
@click.option("--user", "smtp_user", help=_("SMTP login name."))
@click.option("--from", "sender", help=_("Sender address; default the salesperson's."))
@click.option(
    "--password-file",
    help=_(
        "File whose first line is the SMTP password; the password itself is "
        "never stored."
    ),
)
@click.option(
    "--ca-file", help=_("PEM file of extra certificate authorities to trust.")
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the settings as JSON."))
@click.pass_obj
@handle_errors
def setup_smtp(context: Context, as_json: bool, **options: Any) -> None:
    from segtui.domain.email_delivery import effective_smtp_values, save_smtp_settings

    names = {"smtp_user": "user"}
    changes = {
        names.get(name, name): value
        for name, value in options.items()
        if value is not None
    }
    context.open()
    if changes:
        save_smtp_settings(changes, user=context.user)
    values = effective_smtp_values()
    if as_json:
        print_json(
            {
                name: {"value": value, "source": source}
                for name, (value, source) in values.items()
            }
        )
        return
    for name, (value, source) in values.items():
        origin = f"({source})" if source else ""
        click.echo(printable(f"{name:<14} {value} {origin}".rstrip()))
