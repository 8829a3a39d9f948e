"""Open the database from a URL and give the rest of segtui one place to reach it.

Nothing connects at import time: the models are bound to ``database_proxy``, and the
entry point calls ``open_database`` once with the URL the user chose.
"""

from __future__ import annotations

import contextvars
import logging
import os
import sqlite3
import threading
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import (
    Database,
    DatabaseProxy,
    Node,
    OperationalError,
    PostgresqlDatabase,
    Psycopg3Adapter,
    SqliteDatabase,
)

from segtui.i18n import _

log = logging.getLogger("segtui.db")

database_proxy = DatabaseProxy()

# Measured with Python 3.11 and SQLite 3.40: a small commit takes 0.04 ms with WAL
# and synchronous=NORMAL against 0.8 ms with SQLite's defaults.
# Seconds a writer waits for another writer's lock before SQLite reports busy.
SQLITE_TIMEOUT = 5

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": SQLITE_TIMEOUT * 1000,
}


class DatabaseUrlError(ValueError):
    """Raised for a database URL that segtui cannot open."""


def casefold(value: str | None) -> str | None:
    """Fold text for case-insensitive comparison, umlauts included.

    SQLite's own ``lower()`` only folds ASCII letters, so SQLite connections get this
    function as ``segtui_fold``.
    """
    if value is None:
        return None
    return unicodedata.normalize("NFC", str(value)).casefold()


def create_database(url: str) -> Database:
    """Build an unconnected peewee database from a SQLite or PostgreSQL URL."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()

    if scheme == "sqlite":
        path = unquote(parsed.path)
        if parsed.netloc:
            path = parsed.netloc + path
        # to_database_url writes an absolute path as sqlite:////tmp/x, which leaves
        # //tmp/x here. Linux reads that as /tmp/x, but messages would show both
        # slashes.
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if not path or path == "/":
            raise DatabaseUrlError(
                _(
                    "Database URL {url!r} names no file; "
                    "use sqlite:///PATH/TO/FILE.sqlite3."
                ).format(url=url)
            )
        if path != ":memory:":
            _create_private_file(Path(path))
        database = _SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=SQLITE_TIMEOUT)
        database.register_function(casefold, "segtui_fold", 1, deterministic=True)
        # Imported here because contact_search imports this module.
        from segtui.models.contact_search import SQLITE_FOLD_FUNCTION, fold_for_search

        database.register_function(
            fold_for_search, SQLITE_FOLD_FUNCTION, 1, deterministic=True
        )
        return database

    if scheme in ("postgresql", "postgres"):
        return _PostgresqlDatabase(
            unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port,
            prefer_psycopg3=True,
        )

    raise DatabaseUrlError(
        _(
            "Database URL {url!r} has an unknown scheme {scheme!r}; "
            "use a file path, sqlite:///PATH or postgresql://USER@HOST/NAME."
        ).format(url=url, scheme=scheme)
    )


class _LazyPsycopgAdapter(Psycopg3Adapter):
    """peewee's psycopg 3 adapter, with the driver imported when first needed.

    segtui's package import keeps peewee from importing psycopg (see
    ``segtui/__init__.py``), so the driver and its types are looked up here.
    """

    def __init__(self) -> None:
        import psycopg
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb

        super().__init__()
        self.driver = psycopg
        self.json_type = Json
        self.jsonb_type = Jsonb
        self.txn_idle = TransactionStatus.IDLE
        self.txn_inerror = TransactionStatus.INERROR
        self.txn_unknown = TransactionStatus.UNKNOWN
        self.txn_intrans = TransactionStatus.INTRANS

    def check_driver(self) -> None:
        return None

    def get_binary_type(self):  # noqa: ANN201
        return self.driver.Binary

    def connect(self, db, **params):  # noqa: ANN001, ANN003, ANN201
        if db._encoding:
            params.setdefault("client_encoding", db._encoding)
        key = "conninfo" if db.database.startswith("postgresql://") else "dbname"
        params.setdefault(key, db.database)
        return self.driver.connect(**params)

    def server_side_cursor(self, conn):  # noqa: ANN001, ANN201
        inside = self.txn_status(conn) == self.txn_intrans
        return conn.cursor(name=str(uuid.uuid1()), withhold=not inside)


# True while a statement is written again without its index hints.
_WITHOUT_HINTS = contextvars.ContextVar("segtui_without_hints", default=False)


class IndexHint(Node):
    """A condition implied by the rest of its query, there only to use an index.

    It may nest deeper than SQLite's parser allows inside a large statement; such a
    statement is written again without it (see ``_SqliteDatabase``).
    """

    def __init__(self, condition: Node) -> None:
        super().__init__()
        self.condition = condition

    def __sql__(self, ctx):  # noqa: ANN001, ANN204
        if _WITHOUT_HINTS.get():
            return ctx.literal("1 = 1")
        return ctx.sql(self.condition)


class _SqliteDatabase(SqliteDatabase):
    """SQLite that runs a statement too deep for its parser again without hints."""

    def execute(self, query, **context_options):  # noqa: ANN001, ANN003, ANN201
        try:
            return super().execute(query, **context_options)
        except OperationalError as error:
            if "parser stack overflow" not in str(error) or _WITHOUT_HINTS.get():
                raise
        token = _WITHOUT_HINTS.set(True)
        try:
            return super().execute(query, **context_options)
        finally:
            _WITHOUT_HINTS.reset(token)


class _PostgresqlDatabase(PostgresqlDatabase):
    """PostgreSQL through psycopg 3, whichever driver peewee found at import."""

    psycopg3_adapter = _LazyPsycopgAdapter
    psycopg2_adapter = _LazyPsycopgAdapter


def _create_private_file(path: Path) -> None:
    """Create a new SQLite file readable and writable by its owner and group only."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, 0o660)
    os.close(descriptor)
    os.chmod(path, 0o660)


def bind(database: Database) -> Database:
    database_proxy.initialize(database)
    return database


def current_database() -> Database:
    database = database_proxy.obj
    if database is None:
        raise RuntimeError("No database is open; call segtui.db.open_database first.")
    return database


def is_sqlite(database: Database | None = None) -> bool:
    return isinstance(database or current_database(), SqliteDatabase)


# Times a writer asks for SQLite's write lock, each waiting up to SQLITE_TIMEOUT
# seconds, before it reports that the database is busy.
BUSY_ATTEMPTS = 3


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run a write transaction that holds the write lock from its first statement.

    On SQLite a plain ``BEGIN`` that reads and then writes fails at once with
    "database is locked" when another writer committed in between, whatever the busy
    timeout; ``BEGIN IMMEDIATE`` waits for the lock instead. When another writer
    holds the lock through every attempt, DatabaseBusyError says so instead of the
    program hanging. Inside a transaction this is a savepoint.
    """
    database = current_database()
    if not isinstance(database, SqliteDatabase) or database.in_transaction():
        with database.atomic():
            yield
        return

    transaction = database.atomic("IMMEDIATE")
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            transaction.__enter__()
            break
        except OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            log.warning(
                "database busy, attempt %s of %s: %s", attempt, BUSY_ATTEMPTS, error
            )
            if attempt == BUSY_ATTEMPTS:
                from segtui.domain.errors import DatabaseBusyError

                raise DatabaseBusyError(
                    _(
                        "The database is busy: another user has been writing for over "
                        "{seconds} seconds. Try again in a moment."
                    ).format(seconds=SQLITE_TIMEOUT * BUSY_ATTEMPTS)
                ) from error
            transaction = database.atomic("IMMEDIATE")
    try:
        yield
    except BaseException as error:
        if not transaction.__exit__(type(error), error, error.__traceback__):
            raise
    else:
        transaction.__exit__(None, None, None)


# Connections of threads doing interruptible work, so that quitting on a signal can
# stop their statements (see interruptible() and interrupt_all()).
_interruptible: set[object] = set()
_interruptible_lock = threading.Lock()


@contextmanager
def interruptible() -> Iterator[None]:
    """Let interrupt_all(), called from another thread, stop this thread's statements.

    A stopped statement raises in this thread, and the transaction around it rolls
    back as for any other error.
    """
    connection = current_database().connection()
    with _interruptible_lock:
        _interruptible.add(connection)
    try:
        yield
    finally:
        with _interruptible_lock:
            _interruptible.discard(connection)


def interrupt_all() -> int:
    """Stop the statement running on every interruptible connection; return how many.

    SQLite's interrupt and PostgreSQL's cancel request are both meant to be sent from
    another thread, and a connection that is idle at that moment is not harmed.
    """
    with _interruptible_lock:
        connections = list(_interruptible)
    for connection in connections:
        try:
            interrupt(connection)
        except Exception:  # noqa: BLE001 - quitting goes on whatever the driver says
            log.exception("could not interrupt a database connection")
    return len(connections)


def interrupt(connection: object) -> None:
    """Stop the statement running on a SQLite or psycopg ``connection``.

    Meant to be called from another thread than the one running the statement.
    Raises what the driver raises, such as a failed cancel request.
    """
    if isinstance(connection, sqlite3.Connection):
        connection.interrupt()
    else:
        connection.cancel_safe(timeout=1.0)  # type: ignore[attr-defined]


def fold(expression: object) -> object:
    """Wrap a SQL expression so it compares case-insensitively, umlauts included."""
    from peewee import fn

    if is_sqlite():
        return fn.segtui_fold(expression)
    return fn.lower(expression)


def open_database(url: str, *, create: bool = True) -> Database:
    """Open the database at ``url``, bind the models to it and check its schema.

    A database without tables gets the current schema when ``create`` is true. A
    database at an older schema version raises SchemaError that says to run
    ``segtui db migrate``.
    """
    from segtui.models.migrations import check_version, current_version, migrate

    database = bind(create_database(url))
    database.connect(reuse_if_open=True)
    if create and current_version(database) == 0:
        migrate(database)
    check_version(database)
    return database
