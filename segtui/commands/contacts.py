"""`segtui contacts ...`: contacts."""

from __future__ import annotations

import click

from segtui.commands.common import Context, handle_errors
from segtui.i18n import _


@click.group()
def contacts() -> None:
    """Contacts: companies and persons."""


@contacts.command("delete")
@click.argument("contact_no", metavar="NO")
@click.pass_obj
@handle_errors
def contacts_delete(context: Context, contact_no: str) -> None:
    """Delete a contact that is on no unlogged segment."""
    from segtui.domain.contacts import delete_contact

    context.open()
    delete_contact(contact_no, user=context.user)
    click.echo(_("Contact {no} deleted.").format(no=contact_no.upper()), err=True)
