"""`segtui serve` reached through a port forwarder, as with ``ssh -L Q:127.0.0.1:P``.

A forwarder written here listens on 127.0.0.1:Q and copies bytes to and from the
server on 127.0.0.1:P. Both ports answer on this machine, so the tests read the page
for addresses: every script, stylesheet and WebSocket address must be relative or
name 127.0.0.1:Q, the address the browser used.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from segtui.db import open_database
from tests.backends import sqlite_url
from tests.builders import build_world
from tests.test_serve_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FONT_URL,
    LOCAL,
    ServeProcess,
    TerminalOutput,
    free_port,
    get,
    serve_environment,
)

# Seconds within which the page must show why a visitor's segtui did not start.
ERROR_SECONDS = 10.0
# src, href and data-*-url attributes, and url(...) in the page's stylesheet.
ADDRESS = re.compile(r"""(?:src|href|data-[a-z-]*url)="([^"]*)"|url\("([^"]*)"\)""")


class Forwarder:
    """A TCP forwarder from 127.0.0.1 on a free port to 127.0.0.1:target."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.listener = socket.socket()
        self.listener.bind((LOCAL, 0))
        self.listener.listen()
        self.port = int(self.listener.getsockname()[1])
        self.connections = 0
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection((LOCAL, self.target))
            self.connections += 1
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(
                    target=self.copy, args=(source, sink), daemon=True
                ).start()

    @staticmethod
    def copy(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()
        for connection in self.sockets:
            connection.close()


@pytest.fixture
def forwarded(tmp_path: Path) -> Iterator[tuple[ServeProcess, int, Forwarder]]:
    """A `segtui serve` on 127.0.0.1:P and a forwarder to it on 127.0.0.1:Q."""
    port = free_port()
    serve = ServeProcess(
        ["serve", "--host", LOCAL, "--port", str(port)], serve_environment(tmp_path)
    )
    forwarder: Forwarder | None = None
    try:
        serve.wait_until_listening(port)
        forwarder = Forwarder(port)
        yield serve, port, forwarder
    finally:
        if forwarder is not None:
            forwarder.close()
        serve.stop()


def page_addresses(page: str) -> list[str]:
    return [first or second for first, second in ADDRESS.findall(page)]


def test_page_addresses_follow_forwarder(
    forwarded: tuple[ServeProcess, int, Forwarder],
) -> None:
    serve, port, forwarder = forwarded

    status, page = get(forwarder.port, "/", {"Host": f"{LOCAL}:{forwarder.port}"})

    assert status == 200
    assert forwarder.connections == 1
    addresses = page_addresses(page)
    assert f"ws://{LOCAL}:{forwarder.port}/ws" in addresses
    assert any(address.endswith("js/textual.js") for address in addresses)
    assert any(address.endswith("css/xterm.css") for address in addresses)
    for address in addresses:
        # An empty data-pingurl means the page pings nothing.
        if address in (FONT_URL, ""):
            continue
        local = address.startswith("/") and not address.startswith("//")
        forwarded_address = re.match(
            rf"(https?|wss?)://{re.escape(LOCAL)}:{forwarder.port}/", address
        )
        assert local or forwarded_address, address
    assert f":{port}/" not in page
    assert "0.0.0.0" not in page


def test_serve_names_url_and_loopback(
    forwarded: tuple[ServeProcess, int, Forwarder],
) -> None:
    serve, port, _forwarder = forwarded

    returncode, stderr = serve.stop()

    assert returncode == 0
    assert f"Open http://{LOCAL}:{port} in a web browser." in stderr
    assert "listens on loopback only" in stderr
    assert f"ssh -L {port}:{LOCAL}:{port}" in stderr


def test_bad_database_rejected_at_start(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("these are notes, not a database\n")
    serve = ServeProcess(
        ["--db", str(bad), "serve", "--port", str(free_port())],
        serve_environment(tmp_path),
    )
    started = time.monotonic()
    serve.process.wait(timeout=30)
    returncode, stderr = serve.stop()

    assert time.monotonic() - started < ERROR_SECONDS
    assert returncode == 1
    assert "file is not a database" in stderr
    assert "Traceback" not in stderr


def open_in_browser(port: int, run: Any) -> list[str]:
    """Open http://127.0.0.1:port/ in Chromium, call run(page, screen), return the
    addresses of requests that left that origin and were aborted.
    """
    from playwright.sync_api import sync_playwright

    url = f"http://{LOCAL}:{port}/"
    aborted: list[str] = []

    def same_origin_only(route: Any) -> None:
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
            page.route("**/*", same_origin_only)
            screen = TerminalOutput(page)
            page.goto(url)
            run(page, screen)
            page.close()
        finally:
            browser.close()
    return aborted


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed; .ci/run installs it",
)
def test_browser_through_forwarder(
    forwarded: tuple[ServeProcess, int, Forwarder],
) -> None:
    serve, port, forwarder = forwarded

    def run(page: Any, screen: TerminalOutput) -> None:
        screen.wait_for("Segments (0)")
        page.focus(".xterm-helper-textarea")
        screen.settle()
        screen.press("n", "New segment")
        page.keyboard.type("Über den Tunnel")
        screen.wait_for("Tunnel")

    aborted = open_in_browser(forwarder.port, run)

    # Only the font from Google Fonts left the forwarder's origin.
    assert set(aborted) == {FONT_URL}
    assert forwarder.connections >= 2
    returncode, _stderr = serve.stop()
    assert returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed; .ci/run installs it",
)
def test_broken_database_shown_in_page(tmp_path: Path) -> None:
    """A database that turns bad after serve started is named on the page."""
    path = tmp_path / "shared.sqlite3"
    database = open_database(sqlite_url(path))
    build_world()
    database.close()
    port = free_port()
    serve = ServeProcess(
        ["--db", str(path), "serve", "--port", str(port)],
        serve_environment(tmp_path),
    )
    try:
        serve.wait_until_listening(port)
        path.write_bytes(b"these are notes, not a database\n" * 200)
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        shown: list[float] = []

        def run(page: Any, screen: TerminalOutput) -> None:
            started = time.monotonic()
            screen.wait_for("not a database", timeout=ERROR_SECONDS)
            shown.append(time.monotonic() - started)
            screen.wait_for("segtui could not start")

        open_in_browser(port, run)
        assert shown[0] < ERROR_SECONDS
    finally:
        returncode, _stderr = serve.stop()
    assert returncode == 0
