"""Users and roles: who acts, and what each role may do.

The acting user is the operating system login. Each user has a role: ``viewer``
reads only, ``marketer`` works with segments, logging and contacts, and ``admin``
also changes setup and users and deletes canceled entries. A user without a role is
a viewer, except that the first user of a new database becomes its admin. Domain
functions check the role themselves, so the TUI and the CLI are held to the same
rules.
"""

from __future__ import annotations

import getpass
import os
from enum import StrEnum

from segtui.db import current_database, is_sqlite, write_transaction
from segtui.domain.errors import InvalidValueError, NotFoundError, SegtuiError
from segtui.domain.text import clean_line
from segtui.i18n import _
from segtui.models import Role, Salesperson, UserSetup


class Permission(StrEnum):
    """What an operation needs; each role has a set of these."""

    MARKETING = "marketing"
    ADMINISTRATION = "administration"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(),
    Role.MARKETER: frozenset({Permission.MARKETING}),
    Role.ADMIN: frozenset({Permission.MARKETING, Permission.ADMINISTRATION}),
}


class PermissionDeniedError(SegtuiError):
    """Raised when the acting user's role does not allow an operation."""


def current_user() -> str:
    """Return the operating system login, or ``unknown`` where none can be found."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


def role_of(user: str) -> Role:
    """Return a user's role; the first user of a database without users becomes admin."""
    setup = UserSetup.get_or_none(UserSetup.user_id == user)
    if setup is not None:
        return Role(setup.role)
    if not UserSetup.select().exists():
        with write_transaction():
            _lock_users()
            if not UserSetup.select().exists():
                UserSetup.create(user_id=user, role=Role.ADMIN)
                return Role.ADMIN
        return role_of(user)
    return Role.VIEWER


def may(user: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role_of(user)]


def require(user: str, permission: Permission, action: str) -> None:
    """Raise PermissionDeniedError unless the user's role allows ``action``."""
    role = role_of(user)
    if permission in ROLE_PERMISSIONS[role]:
        return
    needed = Role.MARKETER if permission == Permission.MARKETING else Role.ADMIN
    raise PermissionDeniedError(
        _(
            "User {user} has the role {role}, which may not {action}; an admin can "
            "give the role {needed} with `segtui user set {user} --role {needed}`."
        ).format(user=user, role=role, action=action, needed=needed)
    )


def list_users() -> list[UserSetup]:
    return list(UserSetup.select().order_by(UserSetup.user_id))


def set_user(
    login: str,
    *,
    role: str | None = None,
    salesperson_code: str | None = None,
    user: str,
) -> UserSetup:
    """Create or change a user's role and salesperson; only an admin may."""
    require(user, Permission.ADMINISTRATION, _("change users"))
    login = clean_line(login)
    if not login:
        raise InvalidValueError(_("A user needs a login name."))
    if role is not None and role not in tuple(Role):
        raise InvalidValueError(
            _("Role {role!r} is not one of: viewer, marketer, admin.").format(role=role)
        )
    if (
        salesperson_code
        and Salesperson.get_or_none(Salesperson.code == salesperson_code) is None
    ):
        raise NotFoundError(
            _("Salesperson {code!r} does not exist.").format(code=salesperson_code)
        )
    with write_transaction():
        _lock_users()
        setup = UserSetup.get_or_none(UserSetup.user_id == login)
        if setup is None:
            setup = UserSetup(user_id=login, role=Role.VIEWER)
            created = True
        else:
            created = False
        if role is not None:
            if setup.role == Role.ADMIN and role != Role.ADMIN and _admin_count() == 1:
                raise InvalidValueError(
                    _(
                        "{login} is the only admin; make another user admin first."
                    ).format(login=login)
                )
            setup.role = role
        if salesperson_code is not None:
            setup.salesperson = salesperson_code or None
        setup.save(force_insert=created)
        return setup


def _admin_count() -> int:
    return UserSetup.select().where(UserSetup.role == Role.ADMIN).count()


def _lock_users() -> None:
    """Hold other writers of users off until this transaction ends.

    SQLite's write transaction already locks the whole file. PostgreSQL locks rows
    only, so two sessions could each see no users, or each count two admins, and
    both go ahead; a table lock makes the second wait and then see the first's work.
    """
    if not is_sqlite():
        current_database().execute_sql(
            f"LOCK TABLE {UserSetup._meta.table_name} IN SHARE ROW EXCLUSIVE MODE"
        )
