"""`segtui user ...` and `segtui db ...`: users and roles, schema upgrades, copies."""

from __future__ import annotations

import click

from segtui import paths
from segtui.commands.common import Context, handle_errors, print_json
from segtui.domain.text import printable
from segtui.i18n import _, format_count, ngettext


@click.group(help=_("Users of the database and their roles: viewer, marketer, admin."))
def user() -> None:
    pass


@user.command("list", help=_("List the users with their role and salesperson."))
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON instead of a table.")
)
@click.pass_obj
@handle_errors
def user_list(context: Context, as_json: bool) -> None:
    from segtui.domain.users import list_users

    context.open()
    users = list_users()
    if as_json:
        print_json(
            [
                {
                    "user": u.user_id,
                    "role": u.role,
                    "salesperson": u.salesperson_code or "",
                }
                for u in users
            ]
        )
        return
    if not users:
        click.echo(_("No users are set up."), err=True)
        return
    for u in users:
        click.echo(printable(f"{u.user_id:<20} {u.role:<9} {u.salesperson_code or ''}"))


@user.command("set", help=_("Give a user a role or a salesperson; only an admin may."))
@click.argument("login")
@click.option(
    "--role",
    type=click.Choice(["viewer", "marketer", "admin"]),
    help=_("The user's role."),
)
@click.option(
    "--salesperson", metavar="CODE", help=_("The user's salesperson; '' for none.")
)
@click.pass_obj
@handle_errors
def user_set(
    context: Context, login: str, role: str | None, salesperson: str | None
) -> None:
    from segtui.domain.users import set_user

    context.open()
    setup = set_user(login, role=role, salesperson_code=salesperson, user=context.user)
    click.echo(
        _("User {login} has the role {role}.").format(
            login=setup.user_id, role=setup.role
        ),
        err=True,
    )


@click.group(
    help=_("The database itself: upgrade its schema, copy it to another database.")
)
def db() -> None:
    pass


@db.command(
    "migrate",
    help=_("Upgrade a database made by an earlier segtui to this version's schema."),
)
@click.pass_obj
@handle_errors
def db_migrate(context: Context) -> None:
    from segtui.db import create_database
    from segtui.models.migrations import LATEST_VERSION, current_version, migrate

    database = create_database(context.url)
    database.connect()
    before = current_version(database)
    applied = migrate(database)
    database.close()
    if applied:
        click.echo(
            _("Database upgraded from schema version {old} to {new}.").format(
                old=before, new=LATEST_VERSION
            ),
            err=True,
        )
    else:
        click.echo(
            _("Database is at schema version {version} already.").format(
                version=before
            ),
            err=True,
        )


@db.command(
    "reindex",
    help=_(
        "Build the contact search index again: after VACUUM on SQLite, or once the "
        "PostgreSQL server has the pg_trgm extension."
    ),
)
@click.pass_obj
@handle_errors
def db_reindex(context: Context) -> None:
    from segtui.db import current_database
    from segtui.i18n import format_count
    from segtui.models import Contact
    from segtui.models.contact_search import reindex

    context.open()
    database = current_database()
    with database.atomic():
        indexed = reindex(database)
    total = Contact.select().count()
    if indexed:
        click.echo(
            ngettext(
                "Search index built for {count} contact.",
                "Search index built for {count} contacts.",
                total,
            ).format(count=format_count(total)),
            err=True,
        )
    else:
        click.echo(
            ngettext(
                "No search index: this database cannot build one, so the contact "
                "search reads the {count} contact. On PostgreSQL, install the "
                "pg_trgm extension and run `segtui db reindex` again.",
                "No search index: this database cannot build one, so the contact "
                "search reads all {count} contacts. On PostgreSQL, install the "
                "pg_trgm extension and run `segtui db reindex` again.",
                total,
            ).format(count=format_count(total)),
            err=True,
        )


@db.command(
    "copy",
    help=_(
        "Copy a whole database into a new, empty one, for example SQLite to PostgreSQL."
    ),
)
@click.argument("source", metavar="SOURCE_URL")
@click.argument("target", metavar="TARGET_URL")
@click.pass_obj
@handle_errors
def db_copy(context: Context, source: str, target: str) -> None:
    from segtui.domain.transfer import copy_database

    counts = copy_database(paths.to_database_url(source), paths.to_database_url(target))
    for table, rows in counts.items():
        click.echo(f"{table:<32} {format_count(rows):>9}")
    click.echo(
        _("Copied {tables} tables; every row count matches.").format(
            tables=len(counts)
        ),
        err=True,
    )
