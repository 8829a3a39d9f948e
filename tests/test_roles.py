"""Roles: what viewers, marketers and admins may do, from the CLI and in the domain.

The CLI tests run real segtui processes as the operating system login running the
tests, whose role an admin changes first with `segtui --user ADMIN user set`.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from peewee import Database

import segtui.db
from segtui.db import current_database, open_database
from segtui.domain import users
from segtui.domain.contacts import delete_contact
from segtui.domain.criteria import AddOptions, filters_from_pairs
from segtui.domain.delivery import resend_logged_segment
from segtui.domain.errors import InvalidValueError
from segtui.domain.line_editing import update_line
from segtui.domain.logged_segments import create_follow_up_segment
from segtui.domain.sample_data import load_sample_data
from segtui.domain.saved_criteria import (
    delete_saved_criteria,
    reuse_criteria,
    save_criteria,
)
from segtui.domain.segment_actions import (
    add_contacts,
    delete_lines,
    go_back,
    go_forward,
    insert_line,
    reduce_contacts,
    refine_contacts,
    reuse_logged_segment,
)
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import (
    create_segment,
    delete_segment,
    update_header,
)
from segtui.domain.users import (
    PermissionDeniedError,
    current_user,
    role_of,
    set_user,
)
from segtui.models import (
    Contact,
    DeliveryStatus,
    InteractionLogEntry,
    Role,
    SegmentHeader,
    SegmentLine,
    UserSetup,
)
from tests.backends import POSTGRES, fresh_database_url
from tests.builders import build_world
from tests.concurrent_worker import (
    REPOSITORY,
    BusyWarnings,
    busy_warnings,
    table_rows,
    url_of,
    wait_until,
)
from tests.conftest import TEST_USER
from tests.test_cli import run_segtui

VIEWER = "vera"
MARKETER = "mark"


def rejection(user: str, role: str, action: str) -> str:
    """Return the start of the PermissionDeniedError message for ``user``."""
    return f"User {user} has the role {role}, which may not {action};"


# A state in which every kind of change has something to act on.


@dataclass(frozen=True)
class Scene:
    """Keys of the records build_scene creates, for the changes to act on."""

    segment_no: str
    line_no: int
    criteria_code: str
    logged_no: int
    free_contact: str
    letters_folder: Path


def build_scene(
    folder: Path, segment_filter: str, logged_filter: str, salesperson: str
) -> Scene:
    """Create, as TEST_USER, a segment with lines and saved criteria, and a logged
    segment whose first entry failed delivery, so it can be sent again."""
    segment = create_segment(
        "Work in progress",
        user=TEST_USER,
        template_code="LETTER",
        salesperson_code=salesperson,
    )
    add_contacts(
        segment.no, filters_from_pairs([segment_filter]), AddOptions(), user=TEST_USER
    )
    save_criteria(segment.no, "KEEP", "Kept criteria", user=TEST_USER)
    line_no = (
        SegmentLine.select(SegmentLine.line_no)
        .where(SegmentLine.segment == segment.no)
        .order_by(SegmentLine.line_no)
        .scalar()
    )

    done = create_segment(
        "Sent last week",
        user=TEST_USER,
        template_code="LETTER",
        salesperson_code=salesperson,
    )
    add_contacts(
        done.no, filters_from_pairs([logged_filter]), AddOptions(), user=TEST_USER
    )
    logged = log_segment(
        done.no, LogOptions(output_folder=folder / "sent"), user=TEST_USER
    )
    first_entry = (
        InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment == logged.logged_segment_no)
        .order_by(InteractionLogEntry.entry_no)
        .first()
    )
    first_entry.delivery_status = DeliveryStatus.FAILED
    first_entry.save()

    on_segments = SegmentLine.select(SegmentLine.contact)
    free_contact = (
        Contact.select(Contact.no)
        .where((Contact.type == "person") & Contact.no.not_in(on_segments))
        .order_by(Contact.no)
        .scalar()
    )
    return Scene(
        segment.no, line_no, "KEEP", logged.logged_segment_no, free_contact, folder
    )


# Viewers, from the CLI.


def viewer_commands(scene: Scene) -> list[tuple[list[str], str]]:
    """Return each command that changes data, with the action its rejection names."""
    segment = scene.segment_no
    logged = str(scene.logged_no)
    return [
        (["segment", "new", "--description", "Mine"], "create segments"),
        (["segment", "set", segment, "--description", "Mine"], "change segments"),
        (["segment", "add", segment, "--filter", "country=CH"], "change segment lines"),
        (
            ["segment", "reduce", segment, "--filter", "country=DE"],
            "change segment lines",
        ),
        (
            ["segment", "refine", segment, "--filter", "country=DE"],
            "change segment lines",
        ),
        (["segment", "go-back", segment], "change segment lines"),
        (["segment", "go-forward", segment], "change segment lines"),
        (["segment", "reuse-logged", logged, segment], "change segment lines"),
        (
            [
                "segment",
                "log",
                segment,
                "--output",
                str(scene.letters_folder / "viewer"),
            ],
            "log segments",
        ),
        (
            ["criteria", "save", segment, "MINE", "--description", "Mine"],
            "save criteria",
        ),
        (["criteria", "delete", scene.criteria_code], "delete saved criteria"),
        (["criteria", "reuse", scene.criteria_code, segment], "change segment lines"),
        (["contacts", "delete", scene.free_contact], "delete contacts"),
        (["logged", "resend", logged], "send letters"),
        (["logged", "follow-up", logged], "create segments"),
        (["user", "set", "someone", "--role", "marketer"], "change users"),
        (["user", "set", current_user(), "--role", "admin"], "change users"),
    ]


def test_viewer_rejected_by_commands(
    sample_database: Database, sample_database_path: Path | str, tmp_path: Path
) -> None:
    login = current_user()
    scene = build_scene(tmp_path, "country=AT", "no=CT000002|CT000003", "JO")
    run_segtui(
        sample_database_path,
        "--user",
        TEST_USER,
        "user",
        "set",
        login,
        "--role",
        "viewer",
    )
    assert role_of(login) == Role.VIEWER
    before = table_rows(sample_database)

    for arguments, action in viewer_commands(scene):
        result = run_segtui(sample_database_path, *arguments, check=False)
        command = " ".join(arguments)
        assert result.returncode == 1, command
        assert rejection(login, "viewer", action) in result.stderr, command
        assert table_rows(sample_database) == before, command

    other_user = run_segtui(
        sample_database_path, "--user", TEST_USER, "segment", "list", check=False
    )
    assert other_user.returncode == 1
    assert rejection(login, "viewer", "act as another user with --user") in (
        other_user.stderr
    )

    # Reading stays allowed.
    for arguments in (
        ["segment", "list", "--json"],
        ["segment", "show", scene.segment_no, "--json"],
        ["logged", "show", str(scene.logged_no), "--json"],
        ["criteria", "list", "--json"],
        ["user", "list", "--json"],
    ):
        json.loads(run_segtui(sample_database_path, *arguments).stdout)
    assert table_rows(sample_database) == before
    assert not (tmp_path / "viewer").exists()


def test_viewer_cannot_load_sample_data(database: Database) -> None:
    url = url_of(database)
    UserSetup.create(user_id=TEST_USER, role=Role.ADMIN)

    # The login has no row, so it is a viewer.
    result = run_segtui(url, "init", "--sample", check=False)

    assert result.returncode == 1
    assert rejection(current_user(), "viewer", "load the sample data") in result.stderr
    assert Contact.select().count() == 0
    assert UserSetup.get_or_none(UserSetup.user_id == current_user()) is None


# Viewers, in the domain.


def domain_changes(scene: Scene, user: str) -> list[tuple[str, Callable[[], Any]]]:
    """Return each domain change by ``user``, with the action its rejection names."""
    segment = scene.segment_no
    country_de = filters_from_pairs(["country=DE"])
    return [
        ("create segments", lambda: create_segment("Mine", user=user)),
        (
            "change segments",
            lambda: update_header(segment, {"description": "Mine"}, user=user),
        ),
        ("delete segments", lambda: delete_segment(segment, user=user)),
        (
            "change segment lines",
            lambda: update_line(
                segment, scene.line_no, {"description": "Mine"}, user=user
            ),
        ),
        (
            "change segment lines",
            lambda: add_contacts(
                segment, filters_from_pairs(["country=CH"]), AddOptions(), user=user
            ),
        ),
        ("change segment lines", lambda: insert_line(segment, "IND1", user=user)),
        (
            "change segment lines",
            lambda: reduce_contacts(segment, country_de, user=user),
        ),
        (
            "change segment lines",
            lambda: refine_contacts(segment, country_de, user=user),
        ),
        (
            "change segment lines",
            lambda: delete_lines(segment, [scene.line_no], user=user),
        ),
        ("change segment lines", lambda: go_back(segment, user=user)),
        ("change segment lines", lambda: go_forward(segment, user=user)),
        (
            "change segment lines",
            lambda: reuse_logged_segment(segment, scene.logged_no, user=user),
        ),
        (
            "log segments",
            lambda: log_segment(
                segment,
                LogOptions(output_folder=scene.letters_folder / "mine"),
                user=user,
            ),
        ),
        ("save criteria", lambda: save_criteria(segment, "MINE", "Mine", user=user)),
        (
            "delete saved criteria",
            lambda: delete_saved_criteria(scene.criteria_code, user=user),
        ),
        (
            "change segment lines",
            lambda: reuse_criteria(scene.criteria_code, segment, user=user),
        ),
        ("delete contacts", lambda: delete_contact(scene.free_contact, user=user)),
        (
            "send letters",
            lambda: resend_logged_segment(
                scene.logged_no, user=user, folder=scene.letters_folder / "again"
            ),
        ),
        (
            "create segments",
            lambda: create_follow_up_segment(scene.logged_no, user=user),
        ),
        ("load the sample data", lambda: load_sample_data(user)),
        ("change users", lambda: set_user(user, role="admin", user=user)),
        ("change users", lambda: set_user("someone", role="viewer", user=user)),
    ]


@pytest.mark.parametrize("with_row", [True, False], ids=["viewer row", "no row"])
def test_viewer_rejected_by_domain(
    database: Database, tmp_path: Path, with_row: bool
) -> None:
    build_world()
    UserSetup.create(user_id=TEST_USER, role=Role.ADMIN)
    if with_row:
        UserSetup.create(user_id=VIEWER, role=Role.VIEWER)
    scene = build_scene(tmp_path, "country=DE|AT", "no=IND2", "AH")
    before = table_rows(database)

    for action, change in domain_changes(scene, VIEWER):
        with pytest.raises(PermissionDeniedError) as caught:
            change()
        assert caught.value.message.startswith(rejection(VIEWER, "viewer", action)), (
            action
        )
        assert table_rows(database) == before, action
    assert not (tmp_path / "mine").exists()
    assert not (tmp_path / "again").exists()


# Marketers and admins.


def test_marketer_works_but_not_on_users(
    sample_database: Database, sample_database_path: Path | str, tmp_path: Path
) -> None:
    login = current_user()
    run_segtui(
        sample_database_path,
        "--user",
        TEST_USER,
        "user",
        "set",
        login,
        "--role",
        "marketer",
    )

    number = run_segtui(
        sample_database_path,
        "segment",
        "new",
        "--description",
        "Marketer's segment",
        "--template",
        "LETTER",
        "--salesperson",
        "JO",
    ).stdout.strip()
    run_segtui(
        sample_database_path, "segment", "add", number, "--filter", "no=CT000002"
    )
    run_segtui(
        sample_database_path, "segment", "set", number, "--subject", "Ein Katalog"
    )
    logged_no = run_segtui(
        sample_database_path,
        "segment",
        "log",
        number,
        "--output",
        str(tmp_path / "letters"),
    ).stdout.strip()
    logged = json.loads(
        run_segtui(sample_database_path, "logged", "show", logged_no, "--json").stdout
    )
    assert logged["user"] == login
    assert [entry["contact_no"] for entry in logged["entries"]] == ["CT000002"]

    before = table_rows(sample_database)
    change_users = run_segtui(
        sample_database_path, "user", "set", "someone", "--role", "viewer", check=False
    )
    assert change_users.returncode == 1
    assert rejection(login, "marketer", "change users") in change_users.stderr
    promote_self = run_segtui(
        sample_database_path, "user", "set", login, "--role", "admin", check=False
    )
    assert promote_self.returncode == 1
    assert rejection(login, "marketer", "change users") in promote_self.stderr
    other_user = run_segtui(
        sample_database_path, "--user", TEST_USER, "segment", "list", check=False
    )
    assert other_user.returncode == 1
    assert rejection(login, "marketer", "act as another user with --user") in (
        other_user.stderr
    )
    # --user with one's own login needs no admin role.
    run_segtui(sample_database_path, "--user", login, "segment", "list")
    assert table_rows(sample_database) == before

    with pytest.raises(PermissionDeniedError) as caught:
        set_user("someone", role="viewer", user=login)
    assert caught.value.message.startswith(rejection(login, "marketer", "change users"))


def test_admin_acts_as_other_user(
    sample_database: Database, sample_database_path: Path | str
) -> None:
    UserSetup.create(user_id=MARKETER, role=Role.MARKETER)
    UserSetup.create(user_id=VIEWER, role=Role.VIEWER)

    number = run_segtui(
        sample_database_path,
        "--user",
        MARKETER,
        "segment",
        "new",
        "--description",
        "On behalf of Mark",
    ).stdout.strip()
    segment = SegmentHeader.get(SegmentHeader.no == number)
    assert segment.created_by == MARKETER
    assert segment.modified_by == MARKETER

    # With --user, the command runs with that user's role.
    as_viewer = run_segtui(
        sample_database_path,
        "--user",
        VIEWER,
        "segment",
        "new",
        "--description",
        "On behalf of Vera",
        check=False,
    )
    assert as_viewer.returncode == 1
    assert rejection(VIEWER, "viewer", "create segments") in as_viewer.stderr
    assert SegmentHeader.get_or_none(SegmentHeader.created_by == VIEWER) is None


# The first user and the last admin.


def test_first_user_becomes_admin(database: Database) -> None:
    assert role_of("boss") == Role.ADMIN
    assert role_of("clerk") == Role.VIEWER
    assert role_of("boss") == Role.ADMIN
    assert [(u.user_id, u.role) for u in UserSetup.select()] == [("boss", Role.ADMIN)]


def test_last_admin_cannot_be_demoted(database: Database) -> None:
    assert role_of("boss") == Role.ADMIN

    for role in ("marketer", "viewer"):
        with pytest.raises(InvalidValueError) as caught:
            set_user("boss", role=role, user="boss")
        assert caught.value.message == (
            "boss is the only admin; make another user admin first."
        )
        assert role_of("boss") == Role.ADMIN

    set_user("clerk", role="admin", user="boss")
    set_user("boss", role="marketer", user="clerk")
    assert role_of("boss") == Role.MARKETER
    with pytest.raises(InvalidValueError) as caught:
        set_user("clerk", role="viewer", user="clerk")
    assert caught.value.message == (
        "clerk is the only admin; make another user admin first."
    )
    assert role_of("clerk") == Role.ADMIN


def test_first_login_admin_from_cli(database: Database) -> None:
    url = url_of(database)
    login = current_user()

    # The first user to need a role becomes admin, and is then the only one.
    demote = run_segtui(url, "user", "set", login, "--role", "viewer", check=False)

    assert demote.returncode == 1
    assert f"{login} is the only admin; make another user admin first." in (
        demote.stderr
    )
    listed = json.loads(run_segtui(url, "user", "list", "--json").stdout)
    assert listed == [{"user": login, "role": "admin", "salesperson": ""}]

    run_segtui(url, "user", "set", "clerk", "--role", "marketer")
    listed = json.loads(run_segtui(url, "user", "list", "--json").stdout)
    assert {u["user"]: u["role"] for u in listed} == {
        login: "admin",
        "clerk": "marketer",
    }


# Two users at the same moment, on threads with connections of their own.

# Milliseconds SQLite waits for the write lock in the race tests, so that a thread
# blocked by another reports it soon.
RACE_BUSY_TIMEOUT = 500
# Seconds a held thread waits to be released before it gives up.
HOLD_TIMEOUT = 60


class Hold:
    """Stops each named thread after a call of the wrapped function until released."""

    def __init__(self, *names: str) -> None:
        self.arrived = {name: threading.Event() for name in names}
        self.released = {name: threading.Event() for name in names}

    def after(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            name = threading.current_thread().name
            if name in self.arrived:
                self.arrived[name].set()
                if not self.released[name].wait(HOLD_TIMEOUT):
                    raise TimeoutError(f"Thread {name} was not released.")
            return result

        return held

    def release_all(self) -> None:
        for event in self.released.values():
            event.set()


class Call(threading.Thread):
    """Runs a function on a thread of its own, keeping its result or error."""

    def __init__(self, name: str, function: Callable[[], Any]) -> None:
        super().__init__(name=name, daemon=True)
        self.function = function
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.function()
        except Exception as error:
            self.error = error
        finally:
            current_database().close()


def waits_for_lock(database: Database, warnings: BusyWarnings, name: str) -> bool:
    """Return whether thread ``name`` is waiting for another transaction's lock."""
    if POSTGRES:
        waiting = database.execute_sql(
            "SELECT COUNT(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0]
        return waiting > 0
    return warnings.logged_by(name)


def race(
    database: Database, hold: Hold, first: Call, second: Call
) -> tuple[Call, Call]:
    """Run ``first`` until it is held, then ``second`` until it is held, blocked by
    ``first`` or done, then release both and wait for them to end."""
    with busy_warnings() as warnings:
        try:
            first.start()
            wait_until(hold.arrived[first.name].is_set, f"thread {first.name}")
            second.start()
            wait_until(
                lambda: (
                    hold.arrived[second.name].is_set()
                    or waits_for_lock(database, warnings, second.name)
                    or not second.is_alive()
                ),
                f"thread {second.name} to be held, to wait for a lock or to end",
            )
        finally:
            hold.release_all()
        first.join(HOLD_TIMEOUT)
        second.join(HOLD_TIMEOUT)
    assert not first.is_alive()
    assert not second.is_alive()
    return first, second


@pytest.fixture
def race_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    monkeypatch.setitem(segtui.db.SQLITE_PRAGMAS, "busy_timeout", RACE_BUSY_TIMEOUT)
    database = open_database(fresh_database_url(tmp_path))
    yield database
    database.close()


def test_first_users_at_once_one_admin(
    race_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = Hold("first", "second")
    monkeypatch.setattr(UserSetup, "create", hold.after(UserSetup.create))

    first, second = race(
        race_database,
        hold,
        Call("first", lambda: role_of("boss")),
        Call("second", lambda: role_of("clerk")),
    )

    assert first.error is None
    assert second.error is None
    assert first.result == Role.ADMIN
    assert second.result == Role.VIEWER
    assert [(u.user_id, u.role) for u in UserSetup.select()] == [("boss", Role.ADMIN)]


def test_admins_demoting_each_other_keep_one(
    race_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    UserSetup.create(user_id="ann", role=Role.ADMIN)
    UserSetup.create(user_id="bob", role=Role.ADMIN)
    hold = Hold("first", "second")
    monkeypatch.setattr(users, "_admin_count", hold.after(users._admin_count))

    first, second = race(
        race_database,
        hold,
        Call("first", lambda: set_user("bob", role="marketer", user="ann")),
        Call("second", lambda: set_user("ann", role="marketer", user="bob")),
    )

    admins = [u.user_id for u in UserSetup.select().where(UserSetup.role == Role.ADMIN)]
    assert len(admins) == 1
    assert first.error is None
    assert isinstance(second.error, InvalidValueError)
    assert "is the only admin" in str(second.error)


# The database file itself.


@pytest.mark.sqlite_only
def test_database_files_group_private(tmp_path: Path) -> None:
    """Even under umask 000, the database, its WAL and its shared memory file are
    readable and writable by the owner and the group only."""
    path = tmp_path / "shared.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "segtui", "--db", str(path), "init"],
        capture_output=True,
        cwd=REPOSITORY,
        umask=0,
        timeout=120,
        check=True,
    )
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o660

    # SQLite creates the other two files while a connection is open.
    report_modes = (
        "import os, sys\n"
        "from segtui.db import open_database\n"
        "database = open_database('sqlite:///' + sys.argv[1])\n"
        "for suffix in ('-wal', '-shm'):\n"
        "    print(suffix, oct(os.stat(sys.argv[1] + suffix).st_mode & 0o777))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", report_modes, str(path)],
        capture_output=True,
        text=True,
        cwd=REPOSITORY,
        umask=0,
        timeout=120,
        check=True,
    )
    modes = dict(line.split() for line in result.stdout.splitlines())
    assert modes == {"-wal": "0o660", "-shm": "0o660"}
