"""`segtui serve`: the main job done in headless Chromium, and the server's checks.

The browser test drives a real `segtui serve` process on 127.0.0.1 through Playwright
and Debian's Chromium. It then reads the rows in the demo database of that browser
session. Every request the page makes to any other address is aborted.
"""

from __future__ import annotations

import http.client
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from segtui.commands.serve import create_visitor_database, visitor_command
from segtui.db import current_database, open_database
from segtui.domain.criteria import AddOptions, filters_from_pairs
from segtui.domain.segment_actions import count_add_contacts
from segtui.domain.users import Permission, current_user, may
from segtui.models import (
    InteractionLogEntry,
    LoggedSegment,
    Role,
    SegmentHeader,
    SegmentLine,
    UserSetup,
)
from tests.backends import sqlite_url

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = "127.0.0.1"
FONT_URL = "https://fonts.googleapis.com/css?family=Roboto%20Mono"
STARTUP_SECONDS = 20.0
STEP_SECONDS = 20.0
# How long the terminal output must pause before the next key is sent.
QUIET_SECONDS = 0.3
# Logging the roughly 90 letters of this test took 6 s on a 2-core machine with
# nothing else running. The limit leaves room for a CI machine that runs other tests.
LOGGING_SECONDS = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL, 0))
        return int(probe.getsockname()[1])


def serve_environment(tmp_path: Path) -> dict[str, str]:
    """Return the environment for a server whose visitors' folders land in tmp_path.

    The XDG folders come from the autouse fixture in conftest.py. LC_ALL=C names an
    ASCII locale, under which segtui rejects a terminal but must still serve
    browsers, whose terminal decodes UTF-8.
    """
    environment = dict(os.environ)
    environment["HOME"] = str(tmp_path / "home")
    environment["TMPDIR"] = str(tmp_path / "visitors")
    environment["LC_ALL"] = "C"
    (tmp_path / "home").mkdir()
    (tmp_path / "visitors").mkdir()
    return environment


class ServeProcess:
    """A `segtui serve` subprocess on a port of 127.0.0.1."""

    def __init__(self, arguments: list[str], environment: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "segtui", *arguments],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stderr: str | None = None

    def wait_until_listening(self, port: int) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                returncode, stderr = self.stop()
                raise AssertionError(
                    f"segtui serve exited with {returncode}:\n{stderr}"
                )
            try:
                socket.create_connection((LOCAL, port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"segtui serve did not listen on port {port}")

    def stop(self) -> tuple[int, str]:
        """Stop the server as Ctrl+C does, and return its exit code and stderr."""
        if self.stderr is None:
            self.process.send_signal(signal.SIGINT)
            try:
                _stdout, self.stderr = self.process.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                _stdout, self.stderr = self.process.communicate()
        return self.process.returncode, self.stderr


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ServeProcess, int]]:
    """A `segtui serve` on a free port, giving each visitor a new demo database."""
    port = free_port()
    serve = ServeProcess(["serve", "--port", str(port)], serve_environment(tmp_path))
    try:
        serve.wait_until_listening(port)
        yield serve, port
    finally:
        serve.stop()


class TerminalOutput:
    """What the server sent to the page's terminal, to wait for text on the screen.

    Textual writes each run of equally styled text in one piece, so such text that
    just appeared on the screen is found in the output.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.data = bytearray()
        page.on("websocket", self.watch)

    def watch(self, websocket: Any) -> None:
        websocket.on("framereceived", self.receive)

    def receive(self, payload: bytes | str) -> None:
        self.data += payload if isinstance(payload, bytes) else payload.encode()

    def mark(self) -> int:
        return len(self.data)

    def wait_for(self, text: str, since: int = 0, timeout: float = STEP_SECONDS) -> str:
        """Wait until ``text`` appears after position ``since``, and return the output."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            output = self.data[since:].decode("utf-8", "replace")
            if text in output:
                return output
            # Playwright's sync API delivers events only while it waits itself.
            self.page.wait_for_timeout(50)
        tail = self.data[-2000:].decode("utf-8", "replace")
        raise AssertionError(f"{text!r} did not appear; the last output:\n{tail}")

    def settle(self) -> None:
        """Wait until no output has come for QUIET_SECONDS.

        Textual's focus() moves the focus in a later callback, so a key sent right
        after a screen or list appears can reach the widget that had the focus. Moving
        the focus redraws the widgets involved, so a pause in the output after that
        is taken as the sign that the focus has moved.
        """
        deadline = time.monotonic() + STEP_SECONDS
        quiet_since = time.monotonic()
        length = len(self.data)
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(50)
            if len(self.data) != length:
                length = len(self.data)
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_SECONDS:
                return
        raise AssertionError(f"the output did not pause for {QUIET_SECONDS} s")

    def press(self, key: str, text: str, timeout: float = STEP_SECONDS) -> None:
        """Press ``key``, wait until ``text`` appears, then until the output pauses."""
        since = self.mark()
        self.page.keyboard.press(key)
        self.wait_for(text, since, timeout)
        self.settle()


def wait_until(condition: Any, description: str) -> None:
    deadline = time.monotonic() + STEP_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting until {description}")


def only_visitor_folder(tmp_path: Path) -> Path:
    [folder] = list((tmp_path / "visitors").glob("segtui-visitor-*"))
    return folder


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed; .ci/run installs it",
)
def test_main_job_in_browser(server: tuple[ServeProcess, int], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    serve, port = server
    url = f"http://{LOCAL}:{port}/"
    aborted: list[str] = []

    def local_only(route: Any) -> None:
        if route.request.url.startswith(url):
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 640})
            page.route("**/*", local_only)
            screen = TerminalOutput(page)
            page.goto(url)
            screen.wait_for("Segments (0)")
            page.focus(".xterm-helper-textarea")
            keys = page.keyboard
            visitor = only_visitor_folder(tmp_path)
            database = open_database(sqlite_url(visitor / "demo.sqlite3"))

            # A new segment with the LETTER template and salesperson JO. The lists
            # of a Select jump to the option that contains the typed text.
            screen.press("n", "New segment")
            keys.type("Frühjahrsaktion 2027")
            for code in ("LETTER", "JO"):
                keys.press("Tab")
                screen.press("Enter", code)
                keys.type(code)
                keys.press("Enter")
                screen.settle()
            screen.press("Control+s", "Segment SEG")
            segment = SegmentHeader.get(
                SegmentHeader.description == "Frühjahrsaktion 2027"
            )
            assert segment.interaction_template_code == "LETTER"
            assert segment.salesperson_code == "JO"

            # Add Contacts: country AT, mailing group NEWS, which selects fewer
            # contacts than the README's DE|AT, so logging takes a few seconds. The
            # count shown as the user types matches the headless count.
            expected = count_add_contacts(
                filters_from_pairs(["country=AT", "mailing-group=NEWS"]),
                AddOptions(),
            )
            assert expected > 10
            screen.press("a", "Add Contacts")
            for _ in range(5):
                keys.press("Tab")
            keys.type("AT")
            for _ in range(10):
                keys.press("Tab")
            since = screen.mark()
            keys.type("NEWS")
            screen.wait_for(f"{expected:,} contacts would be added", since)
            screen.press("Control+s", f"Segment {segment.no}")
            lines = (
                SegmentLine.select().where(SegmentLine.segment == segment.no).count()
            )
            assert lines == expected

            # Log it with the default output folder, in the visitor's folder.
            screen.press("l", "Output folder")
            screen.press("Control+s", "Logged segment", timeout=LOGGING_SECONDS)
            logged = LoggedSegment.get(LoggedSegment.segment_no == segment.no)
            entries = (
                InteractionLogEntry.select()
                .where(InteractionLogEntry.logged_segment == logged.entry_no)
                .count()
            )
            assert entries == expected
            assert SegmentHeader.get_or_none(SegmentHeader.no == segment.no) is None
            letters = list(visitor.glob(f"data/segtui/letters/{segment.no}/CT*.docx"))
            assert len(letters) == expected
            database.close()

            page.close()
            wait_until(lambda: not visitor.exists(), f"{visitor} is removed")
        finally:
            browser.close()

    # The page of textual-serve 1.1.3 loads its font from Google Fonts.
    assert set(aborted) == {FONT_URL}
    returncode, stderr = serve.stop()
    assert returncode == 0
    assert f"Open http://{LOCAL}:{port} in a web browser." in stderr
    assert "Server stopped." in stderr


def run_segtui(
    arguments: list[str], environment: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "segtui", *arguments],
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection(LOCAL, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_public_host_needs_flag(tmp_path: Path) -> None:
    result = run_segtui(
        ["serve", "--host", "0.0.0.0", "--port", str(free_port())],
        serve_environment(tmp_path),
    )

    assert result.returncode == 2
    assert "--host 0.0.0.0 is not a loopback address" in result.stderr
    assert "Add --public" in result.stderr


def test_public_flag_warns(tmp_path: Path) -> None:
    # The port is taken on 127.0.0.1, so the server stops after the warning and
    # never listens on every address of this machine.
    with socket.socket() as taken:
        taken.bind((LOCAL, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_segtui(
            ["serve", "--host", "0.0.0.0", "--public", "--port", str(port)],
            serve_environment(tmp_path),
        )

    assert result.returncode == 1
    assert "Warning: segtui serve has no login." in result.stderr
    assert f"Port {port} is already in use on 0.0.0.0." in result.stderr


def test_port_in_use_named(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind((LOCAL, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_segtui(["serve", "--port", str(port)], serve_environment(tmp_path))

    assert result.returncode == 1
    assert f"Port {port} is already in use on 127.0.0.1." in result.stderr
    assert "--port" in result.stderr
    assert "no login" not in result.stderr


def test_missing_shared_database_rejected(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    result = run_segtui(
        ["--db", str(missing), "serve", "--port", str(free_port())],
        serve_environment(tmp_path),
    )

    assert result.returncode == 1
    assert f"Database {missing} does not exist" in result.stderr
    assert not missing.exists()


def test_default_serves_loopback_only(server: tuple[ServeProcess, int]) -> None:
    serve, port = server
    websocket_headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }

    status, page = get(port, "/", {"Host": f"{LOCAL}:{port}"})
    assert status == 200
    assert f'data-session-websocket-url="ws://{LOCAL}:{port}/ws"' in page

    status, page = get(port, "/", {"Host": f"localhost:{port}"})
    assert status == 200
    assert f'data-session-websocket-url="ws://localhost:{port}/ws"' in page

    # A name rebound to 127.0.0.1 by a hostile page's DNS is not served.
    status, body = get(port, "/", {"Host": f"rebound.example:{port}"})
    assert status == 403
    assert "loopback addresses only" in body

    # Browsers let any page open a WebSocket, so one from another origin is rejected.
    status, body = get(
        port,
        "/ws",
        {
            **websocket_headers,
            "Host": f"{LOCAL}:{port}",
            "Origin": "http://hostile.example",
        },
    )
    assert status == 403
    assert "another origin" in body
    status, body = get(
        port,
        "/ws",
        {
            **websocket_headers,
            "Host": f"{LOCAL}:{port}",
            "Origin": f"http://{LOCAL}:{port + 1}",
        },
    )
    assert status == 403

    returncode, stderr = serve.stop()
    assert returncode == 0
    assert f"Open http://{LOCAL}:{port} in a web browser." in stderr
    assert "Each visitor gets a new demo database." in stderr
    assert "no login" not in stderr


def test_visitor_command_shares_database() -> None:
    command = shlex.split(
        visitor_command("sqlite:////data/shared.sqlite3", "ann", "de")
    )

    assert command[:3] == [sys.executable, "-m", "segtui.commands.serve"]
    assert command[3:] == [
        "--db",
        "sqlite:////data/shared.sqlite3",
        "--user",
        "ann",
        "--lang",
        "de",
    ]


def test_visitor_command_fresh_database() -> None:
    command = shlex.split(visitor_command(None, None, None))

    assert command == [sys.executable, "-m", "segtui.commands.serve"]


def test_visitor_database_admits_user(tmp_path: Path) -> None:
    create_visitor_database(tmp_path / "visitor.sqlite3", "visitor")
    try:
        roles = {row.user_id: row.role for row in UserSetup.select()}
        assert may("visitor", Permission.MARKETING)
        assert roles[current_user()] == Role.ADMIN
        assert roles["visitor"] == Role.ADMIN
    finally:
        current_database().close()
