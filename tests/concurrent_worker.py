"""A second segtui process for the concurrency tests, driven over its stdin and stdout.

``python -m tests.concurrent_worker URL USER [--hold-after-entries MARKER]`` opens
the database at URL, prints ``{"ready": true}`` and then runs one JSON request per
stdin line as USER, printing one JSON reply per request:

- ``{"action": "log", "segment": NO, "output_folder": PATH}`` calls log_segment.
- ``{"action": "add", "segment": NO, "filters": ["country=DE", ...]}`` calls
  add_contacts with default options.

A reply is ``{"ok": true, ...}`` with the result, or ``{"ok": false, "error":
CLASS, "message": TEXT}`` for a segtui error. With ``--hold-after-entries``, logging
stops right after its INSERT of the log entries, inside the open transaction, and
the worker creates MARKER and waits there until it is killed.

The tests start and drive these processes with the ``Worker`` class below. The
module also has helpers that the concurrency and role tests share.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlparse, urlunparse

REPOSITORY = Path(__file__).resolve().parent.parent

# Seconds to wait for a worker to start and open the database.
STARTUP_TIMEOUT = 60
# Seconds to wait for the reply to one request.
REPLY_TIMEOUT = 120
# Exit status of a held worker whose stdin closed before it was killed.
EXIT_ABANDONED = 3
# Seconds wait_until waits for its condition by default.
CONDITION_TIMEOUT = 60
# Seconds between two checks of a condition.
POLL_INTERVAL = 0.01


# The worker process.


def hold_after_entries(marker: Path) -> None:
    """Make logging stop inside its transaction, after the entries are inserted."""
    from segtui.domain import segment_logging

    insert_entries = segment_logging._insert_entries

    def insert_then_hold(*args: Any, **kwargs: Any) -> int:
        entries = insert_entries(*args, **kwargs)
        partial = marker.with_name(marker.name + ".partial")
        partial.write_text(str(entries), encoding="utf-8")
        os.replace(partial, marker)
        # The test kills this process now. Should the test end first, stdin closes,
        # and the worker exits without committing.
        sys.stdin.readline()
        os._exit(EXIT_ABANDONED)

    segment_logging._insert_entries = insert_then_hold


def run_request(request: dict[str, Any], user: str) -> dict[str, Any]:
    from segtui.domain.criteria import AddOptions, filters_from_pairs
    from segtui.domain.errors import SegtuiError
    from segtui.domain.segment_actions import add_contacts
    from segtui.domain.segment_logging import LogOptions, log_segment

    try:
        if request["action"] == "log":
            result = log_segment(
                request["segment"],
                LogOptions(output_folder=Path(request["output_folder"])),
                user=user,
            )
            return {
                "ok": True,
                "logged_segment_no": result.logged_segment_no,
                "entries": result.entries,
            }
        if request["action"] == "add":
            added = add_contacts(
                request["segment"],
                filters_from_pairs(request["filters"]),
                AddOptions(),
                user=user,
            )
            return {"ok": True, "inserted": added.inserted}
    except SegtuiError as error:
        return {"ok": False, "error": type(error).__name__, "message": str(error)}
    raise ValueError(f"Unknown action in request {request!r}. Use log or add.")


def serve(url: str, user: str, replies: TextIO) -> None:
    from segtui.db import open_database

    open_database(url, create=False)
    print(json.dumps({"ready": True}), file=replies, flush=True)
    for line in sys.stdin:
        reply = run_request(json.loads(line), user)
        print(json.dumps(reply), file=replies, flush=True)


def main(arguments: list[str]) -> None:
    url, user, *options = arguments
    if options[:1] == ["--hold-after-entries"]:
        hold_after_entries(Path(options[1]))
    # Anything segtui prints goes to stderr, so stdout carries only the replies.
    replies = sys.stdout
    sys.stdout = sys.stderr
    serve(url, user, replies)


# The test side.


class Worker:
    """A running worker process, whose replies a thread collects into a queue."""

    def __init__(self, url: str, user: str, folder: Path, *options: str) -> None:
        self.user = user
        self.stderr_path = folder / f"worker-{user}-{uuid.uuid4().hex[:8]}.log"
        with open(self.stderr_path, "w", encoding="utf-8") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.concurrent_worker", url, user, *options],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                encoding="utf-8",
                cwd=REPOSITORY,
                env=dict(os.environ, PYTHONIOENCODING="utf-8"),
            )
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read_replies, daemon=True).start()
        self.receive(STARTUP_TIMEOUT)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _read_replies(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.replies.put(json.loads(line))
        self.replies.put(None)

    def send(self, request: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def receive(self, timeout: float = REPLY_TIMEOUT) -> dict[str, Any]:
        """Return the next reply; raise AssertionError with the worker's stderr if none comes."""
        try:
            reply = self.replies.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"Worker {self.user} sent no reply within {timeout} s; "
                f"its stderr:\n{self.stderr()}"
            ) from None
        if reply is None:
            raise AssertionError(
                f"Worker {self.user} exited with {self.process.wait()}; "
                f"its stderr:\n{self.stderr()}"
            )
        return reply

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> int:
        """Send SIGKILL and return the exit status."""
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait(timeout=STARTUP_TIMEOUT)

    def stop(self) -> None:
        """End the worker: close its stdin, and kill it if it does not exit."""
        if self.process.poll() is not None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()


# Helpers the tests share.


def wait_until(
    condition: Callable[[], object],
    description: str,
    timeout: float = CONDITION_TIMEOUT,
) -> None:
    """Check ``condition`` until it is true; raise AssertionError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"Timed out after {timeout} s waiting for {description}."
            )
        time.sleep(POLL_INTERVAL)


@contextmanager
def separate_database_url(folder: Path) -> Iterator[str]:
    """Yield the URL of a new database without tables, apart from the worker's one.

    On SQLite it names a file in ``folder`` that does not exist yet. On PostgreSQL
    it is a new database on the test server, dropped when the block ends.
    """
    from tests.backends import POSTGRES, SERVER_URL, sqlite_url

    if not POSTGRES:
        yield sqlite_url(folder / f"separate-{uuid.uuid4().hex[:8]}.sqlite3")
        return

    import psycopg

    name = f"segtui_test_separate_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(SERVER_URL)._replace(path="/" + name))
    finally:
        with psycopg.connect(SERVER_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url_of(database: Any) -> str:
    """Return the URL of a database opened by the ``database`` or ``sample_database``
    fixture."""
    from tests.backends import POSTGRES, sqlite_url, worker_database_url

    if POSTGRES:
        return worker_database_url()
    return sqlite_url(Path(database.database))


def table_rows(database: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Return every table's rows in ``database`` as Python values, by primary key."""
    from segtui.models import ALL_MODELS

    rows = {}
    with database.bind_ctx(ALL_MODELS):
        for model in ALL_MODELS:
            query = model.select(*model._meta.sorted_fields).order_by(
                *model._meta.get_primary_keys()
            )
            rows[model._meta.table_name] = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in query.tuples()
            ]
    return rows


class BusyWarnings(logging.Handler):
    """Collects segtui.db's "database busy" warnings with the thread that logged each."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, str]] = []
        self.first = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.threadName or "", record.getMessage()))
        self.first.set()

    def logged_by(self, thread_name: str) -> bool:
        return any(name == thread_name for name, _message in self.records)


@contextmanager
def busy_warnings() -> Iterator[BusyWarnings]:
    """Collect the busy warnings that segtui.db logs inside the block."""
    handler = BusyWarnings()
    logger = logging.getLogger("segtui.db")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


if __name__ == "__main__":
    main(sys.argv[1:])
