"""`segtui serve`: the TUI in a web browser, served by textual-serve.

textual-serve starts one process per browser connection from a shell command, which
runs this module with ``python -m``. Without ``--db`` that process creates a new demo
database in a temporary folder, opens the TUI on it and removes the folder when the
visitor leaves. With ``--db`` every visitor's process opens that one database.
"""

from __future__ import annotations

import contextlib
import errno
import io
import ipaddress
import os
import shlex
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from segtui.commands.common import Context, handle_errors
from segtui.domain.errors import SegtuiError
from segtui.i18n import _

if TYPE_CHECKING:
    from aiohttp import web
    from textual_serve.server import Server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
VISITOR_MODULE = "segtui.commands.serve"
# Addresses that mean "every interface of this machine".
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


class ServeError(SegtuiError):
    """Raised when the web server cannot listen on the requested address and port."""


def is_loopback(host: str) -> bool:
    """Return True for ``localhost`` and loopback IP addresses such as 127.0.0.1.

    Other host names count as not loopback, so no name is looked up in DNS here.
    """
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """Return ``host`` as it is written in a URL, with brackets around IPv6."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def visitor_command(
    database_url: str | None, user: str | None, language: str | None
) -> str:
    """Build the shell command that textual-serve runs for each browser connection."""
    arguments = [sys.executable, "-m", VISITOR_MODULE]
    if database_url is not None:
        arguments += ["--db", database_url]
    if user:
        arguments += ["--user", user]
    if language:
        arguments += ["--lang", language]
    return shlex.join(arguments)


def check_port_free(host: str, port: int) -> None:
    """Bind and release ``host:port`` once, to report a busy port before serving.

    Raises ServeError naming the host and port. aiohttp binds again afterwards with
    SO_REUSEADDR as well, so a port that only has connections in TIME_WAIT passes.
    """
    try:
        addresses = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as error:
        raise ServeError(
            _("Failed to resolve the host {host}: {error}").format(
                host=host, error=error.strerror
            )
        ) from error
    for family, kind, protocol, _name, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                raise listen_error(host, port, error) from error


def listen_error(host: str, port: int, error: OSError) -> ServeError:
    """Return the ServeError for a failed bind of ``host:port``."""
    if error.errno == errno.EADDRINUSE:
        return ServeError(
            _(
                "Port {port} is already in use on {host}. Stop the program that "
                "uses it, or choose another port with --port."
            ).format(port=port, host=host)
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return ServeError(
            _(
                "{host} is not an address of this machine, so segtui serve cannot "
                "listen on it. Give --host an address of this machine."
            ).format(host=host)
        )
    return ServeError(
        _("Failed to listen on {host} port {port}: {error}").format(
            host=host, port=port, error=error.strerror or error
        )
    )


def rejection_reason(request: web.Request, public: bool) -> str | None:
    """Return why a request must be rejected, or None to serve it.

    Without --public only loopback host names are served, so a web page whose name
    was rebound to 127.0.0.1 cannot reach the server (DNS rebinding). A WebSocket
    whose Origin differs from the address of the page is rejected in every case,
    because browsers let any page open a WebSocket to any address.
    """
    from yarl import URL

    try:
        requested = URL(f"http://{request.host}")
    except ValueError:
        return _("The Host header is invalid.")
    if not public and not is_loopback(requested.host or ""):
        return _("This server answers requests for loopback addresses only.")
    origin = request.headers.get("Origin")
    if request.path == "/ws" and origin is not None:
        try:
            origin_url = URL(origin)
        except ValueError:
            return _("The Origin header is invalid.")
        same_origin = (origin_url.host, origin_url.explicit_port) == (
            requested.host,
            requested.explicit_port,
        )
        if not same_origin:
            return _("A page from another origin may not open the terminal.")
    return None


def make_server(command: str, host: str, port: int, public: bool) -> Server:
    """Create the textual-serve Server that runs ``command`` for each visitor."""
    from aiohttp import web
    from rich.console import Console
    from textual_serve.server import Server

    class VisitorServer(Server):
        """textual-serve's Server with messages on stderr and checked requests."""

        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title="segtui")
            # textual-serve 1.1.3 logs to a Console on stdout, but segtui keeps
            # stdout for data.
            self.console = Console(stderr=True)

        async def on_startup(self, app: web.Application) -> None:
            """Print nothing, because the serve command printed the URL to open."""

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            """Serve the page, pointing its WebSocket at the address in the request.

            textual-serve writes ``public_url`` into the page. Set from the request,
            it is an address this browser reached, even when the server listens on
            0.0.0.0. The parent method in textual-serve 1.1.3 reads it before it
            awaits anything, so no other request can change it in between.
            """
            reason = rejection_reason(request, public)
            if reason is not None:
                raise web.HTTPForbidden(text=reason)
            self.public_url = f"{request.scheme}://{request.host}"
            response: web.StreamResponse = await super().handle_index(request)
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            reason = rejection_reason(request, public)
            if reason is not None:
                raise web.HTTPForbidden(text=reason)
            return await super().handle_websocket(request)

    return VisitorServer()


@click.command(
    help=_("Serve the TUI in a web browser, on a new demo database for each visitor.")
)
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    metavar="ADDRESS",
    help=_("Address to listen on. An address other than loopback needs --public."),
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help=_("TCP port to listen on."),
)
@click.option(
    "--public",
    is_flag=True,
    help=_(
        "Allow a --host other than loopback, and requests for any host name, as "
        "through a reverse proxy. There is no login, so anyone who reaches the server "
        "can use segtui."
    ),
)
@click.option(
    "--db",
    "database",
    metavar="PATH|URL",
    help=_(
        "Let every visitor work on this database instead of on a new demo "
        "database each."
    ),
)
@click.pass_context
@handle_errors
def serve(
    click_context: click.Context,
    host: str,
    port: int,
    public: bool,
    database: str | None,
) -> None:
    context: Context = click_context.obj
    language: str | None = click_context.find_root().params.get("language")
    if not public and not is_loopback(host):
        raise click.UsageError(
            _(
                "--host {host} is not a loopback address, and segtui serve has no "
                "login. Add --public to let anyone who reaches {host} use segtui."
            ).format(host=host)
        )

    database = database or context.database_option
    if database is not None:
        context.database_option = database
        context.open()
        command = visitor_command(context.url, context.user_option, language)
        warn_if_read_only(context.user)
        database_note = _("Every visitor works on {url}.").format(url=context.url)
    else:
        command = visitor_command(None, context.user_option, language)
        database_note = _("Each visitor gets a new demo database.")

    if public:
        click.echo(
            _(
                "Warning: segtui serve has no login. Anyone who reaches port {port} "
                "uses segtui as {user}, and can write letters into any folder that "
                "this process may write to."
            ).format(port=port, user=context.user),
            err=True,
        )
    check_port_free(host, port)
    shown_host = socket.gethostname() if host in WILDCARD_HOSTS else host
    click.echo(
        _("Open http://{host}:{port} in a web browser. {note}").format(
            host=url_host(shown_host), port=port, note=database_note
        ),
        err=True,
    )
    if is_loopback(host):
        click.echo(
            _(
                "The server listens on loopback only, so only this machine can "
                "connect. From another machine, forward the port with "
                "ssh -L {port}:{host}:{port} and open the same address there."
            ).format(host=url_host(host), port=port),
            err=True,
        )
    click.echo(_("Press Ctrl+C to stop the server."), err=True)

    server = make_server(command, host, port, public)
    try:
        server.serve()
    except OSError as error:
        # Another program took the port after check_port_free released it.
        raise listen_error(host, port, error) from error
    click.echo(_("Server stopped."), err=True)


def warn_if_read_only(user: str) -> None:
    """Warn on stderr when ``user`` may only read the shared database."""
    from segtui.domain.users import Permission, may

    if not may(user, Permission.MARKETING):
        click.echo(
            _(
                "Warning: user {user} may only read this database, so visitors "
                "cannot log segments. An admin can give the role marketer with "
                "`segtui user set {user} --role marketer`."
            ).format(user=user),
            err=True,
        )


@click.command()
@click.option("--db", "database", metavar="URL", help=_("Open this shared database."))
@click.option("--user", "user", metavar="LOGIN", help=_("Act as this user."))
@click.option("--lang", "language", type=click.Choice(["en", "de"]))
@handle_errors
def visitor_session(
    database: str | None, user: str | None, language: str | None
) -> None:
    """Run the TUI for one browser visitor, on a new demo database without --db."""
    from segtui.cli import run_tui, terminal_encoding

    if language:
        from segtui.i18n import set_language

        set_language(language)
    # The browser's terminal, xterm.js, decodes UTF-8 whatever the server's locale
    # is, but run_tui rejects a locale of another encoding. segtui.i18n chose the
    # language at import, so setting LC_ALL now changes only that check.
    if terminal_encoding().lower().replace("-", "") != "utf8":
        os.environ["LC_ALL"] = "C.UTF-8"
    if database is not None:
        problem = startup_problem(Context(database, user).open)
        if problem is not None:
            show_startup_problem(problem)
            sys.exit(1)
        run_tui(Context(database, user))
        return

    folder = Path(tempfile.mkdtemp(prefix="segtui-visitor-"))
    try:
        # Letters go under the data folder. NOTE: platformdirs reads XDG_DATA_HOME
        # on Linux and BSD only, so on macOS and Windows the letters of every
        # visitor go to the data folder of the server's user and stay there.
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        database_path = folder / "demo.sqlite3"
        problem = startup_problem(lambda: create_visitor_database(database_path, user))
        if problem is not None:
            show_startup_problem(problem)
            sys.exit(1)
        run_tui(Context(str(database_path), user))
    finally:
        # textual-serve passes this process's stderr on to the server's output.
        try:
            shutil.rmtree(folder)
        except OSError as error:
            click.echo(
                _("Failed to remove the visitor folder {folder}: {error}").format(
                    folder=folder, error=error
                ),
                err=True,
            )


def startup_problem(step: Callable[[], object]) -> str | None:
    """Run a step that prepares the visitor's TUI; return its error message or None.

    The message is what segtui prints on stderr for the error. A visitor process
    that exits before its TUI starts leaves textual-serve's page on its splash
    screen, so the caller shows the message in the browser instead.
    """
    output = io.StringIO()
    try:
        with contextlib.redirect_stderr(output):
            handle_errors(step)()
    except SystemExit:
        return output.getvalue().strip() or _("segtui failed to start.")
    finally:
        # The server's log keeps the message as well.
        sys.stderr.write(output.getvalue())
    return None


def show_startup_problem(message: str) -> None:
    """Show ``message`` in the visitor's browser until the visitor closes it."""
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Footer, Static

    class StartupProblemApp(App[None]):
        """A screen with the error that kept segtui from starting."""

        TITLE = "segtui"
        BINDINGS = [
            Binding("escape,q,enter", "quit", _("Close"), tooltip=_("End the session"))
        ]

        def compose(self) -> ComposeResult:
            yield Static(Text(_("segtui could not start:"), style="bold"), markup=False)
            yield Static(Text(message), markup=False, id="startup-problem")
            yield Footer()

    StartupProblemApp().run()


def create_visitor_database(path: Path, user: str | None) -> None:
    """Create a demo database at ``path`` in which ``user`` may log segments.

    The login running the server loads the sample data and so becomes admin. A
    different ``user`` is made admin as well, because only an admin login may act
    as another user.
    """
    from segtui.cli import create_demo_database
    from segtui.domain.users import current_user, set_user
    from segtui.models import Role

    login = current_user()
    create_demo_database(path, login)
    if user and user != login:
        set_user(user, role=Role.ADMIN, user=login)


if __name__ == "__main__":
    visitor_session(prog_name=f"python -m {VISITOR_MODULE}")
