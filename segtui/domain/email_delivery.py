"""Sending letters by email over SMTP, and the SMTP settings.

The server, port, security, login name and sender are database settings that
``SEGTUI_SMTP_*`` environment variables override. The password is never stored in
the database: it comes from ``SEGTUI_SMTP_PASSWORD`` or from the first line of a
file named by ``SEGTUI_SMTP_PASSWORD_FILE`` or by the password file setting.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from segtui.domain.errors import InvalidValueError
from segtui.i18n import _

DOCX_TYPE = (
    "application",
    "vnd.openxmlformats-officedocument.wordprocessingml.document",
)
SMTP_TIMEOUT_SECONDS = 30
SECURITY_MODES = ("none", "starttls", "tls")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}

# Setting name → (database setting key, environment variable).
SMTP_SETTINGS = {
    "host": ("smtp_host", "SEGTUI_SMTP_HOST"),
    "port": ("smtp_port", "SEGTUI_SMTP_PORT"),
    "security": ("smtp_security", "SEGTUI_SMTP_SECURITY"),
    "user": ("smtp_user", "SEGTUI_SMTP_USER"),
    "sender": ("smtp_from", "SEGTUI_SMTP_FROM"),
    "password_file": ("smtp_password_file", "SEGTUI_SMTP_PASSWORD_FILE"),
    "ca_file": ("smtp_ca_file", "SEGTUI_SMTP_CA_FILE"),
}
PASSWORD_ENV = "SEGTUI_SMTP_PASSWORD"

# A host name, an IPv4 address or an IPv6 address: letters, digits, dots, hyphens
# and colons. Whether the server exists shows only when mail is sent.
HOST_PATTERN = re.compile(r"^[A-Za-z0-9._:-]+$")


@dataclass(frozen=True)
class SmtpSettings:
    """The SMTP server for email. The password comes from the environment or a file."""

    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    # A PEM file of certificate authorities to trust besides the system's, for a
    # server whose certificate a private authority signed.
    ca_file: str = ""


def stored_smtp_values() -> dict[str, str]:
    """Return the SMTP settings stored in the database, by setting name."""
    from segtui.domain.settings import get_setting

    return {name: get_setting(key) for name, (key, _env) in SMTP_SETTINGS.items()}


def effective_smtp_values() -> dict[str, tuple[str, str]]:
    """Return name → (value, where it comes from: ``environment``, ``database``)."""
    stored = stored_smtp_values()
    values = {}
    for name, (_key, env) in SMTP_SETTINGS.items():
        from_env = os.environ.get(env, "").strip()
        if from_env:
            values[name] = (from_env, "environment")
        elif stored.get(name):
            values[name] = (stored[name], "database")
        else:
            values[name] = ("", "")
    return values


def smtp_settings() -> SmtpSettings | None:
    """Return the SMTP settings in force, or None when no server is set.

    Raises InvalidValueError for a server, security mode, port, sender or password
    file that cannot be used, naming the value and where to change it.
    """
    values = {name: value for name, (value, _source) in effective_smtp_values().items()}
    host = values["host"]
    if not host:
        return None
    host = check_host(host)
    security = check_security(values["security"] or "none")
    port = check_port(values["port"]) if values["port"] else DEFAULT_PORTS[security]
    password = os.environ.get(PASSWORD_ENV, "")
    if values["password_file"]:
        password = read_password_file(values["password_file"])
    return SmtpSettings(
        host=host,
        port=port,
        security=security,
        user=values["user"],
        password=password,
        sender=check_sender(values["sender"]) if values["sender"] else "",
        ca_file=values["ca_file"],
    )


def check_host(value: str) -> str:
    host = value.strip()
    if not HOST_PATTERN.match(host) or host.startswith(("-", ".")):
        raise InvalidValueError(
            _(
                "SMTP server {value!r} is not a host name or IP address; write it as "
                "smtp.example.com or 192.0.2.25 in the email settings or "
                "SEGTUI_SMTP_HOST."
            ).format(value=value)
        )
    return host


def check_sender(value: str) -> str:
    """Return the sender address, plain or as ``Name <address>``, stripped."""
    from segtui.domain.contact_fields import EMAIL_PATTERN

    sender = value.strip()
    _name, address = parseaddr(sender)
    if not EMAIL_PATTERN.match(address):
        raise InvalidValueError(
            _(
                "Sender address {value!r} is not a valid email address; write it as "
                "name@example.com or Name <name@example.com> in the email settings "
                "or SEGTUI_SMTP_FROM."
            ).format(value=value)
        )
    return sender


def check_security(value: str) -> str:
    security = value.strip().lower() or "none"
    if security not in SECURITY_MODES:
        raise InvalidValueError(
            _(
                "SMTP security {value!r} is not one of: none, starttls, tls; set it in "
                "the email settings or SEGTUI_SMTP_SECURITY."
            ).format(value=value)
        )
    return security


def check_port(value: str) -> int:
    try:
        port = int(str(value).strip())
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise InvalidValueError(
            _(
                "SMTP port {value!r} is not a port number from 1 to 65535; set it in "
                "the email settings or SEGTUI_SMTP_PORT."
            ).format(value=value)
        )
    return port


def read_password_file(path: str) -> str:
    try:
        lines = Path(path).expanduser().read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InvalidValueError(
            _(
                "The SMTP password file {path} cannot be read ({error}); fix the path "
                "in the email settings or SEGTUI_SMTP_PASSWORD_FILE."
            ).format(path=path, error=error.strerror or error)
        ) from None
    return lines[0] if lines else ""


def save_smtp_settings(values: Mapping[str, str], *, user: str) -> None:
    """Store SMTP settings in the database; an empty value removes one.

    A password is rejected: it belongs in SEGTUI_SMTP_PASSWORD or a password file.
    """
    from segtui.db import write_transaction
    from segtui.domain.settings import set_setting
    from segtui.domain.text import clean_line
    from segtui.domain.users import Permission, require

    if "password" in values:
        raise InvalidValueError(
            _(
                "segtui never stores the SMTP password in the database; set "
                "SEGTUI_SMTP_PASSWORD or name a password file instead."
            )
        )
    unknown = [name for name in values if name not in SMTP_SETTINGS]
    if unknown:
        raise InvalidValueError(
            _("{name!r} is not an SMTP setting; the settings are: {known}.").format(
                name=unknown[0], known=", ".join(SMTP_SETTINGS)
            )
        )
    cleaned = {name: clean_line(value) for name, value in values.items()}
    if cleaned.get("security"):
        cleaned["security"] = check_security(cleaned["security"])
    if cleaned.get("port"):
        cleaned["port"] = str(check_port(cleaned["port"]))
    if cleaned.get("host"):
        cleaned["host"] = check_host(cleaned["host"])
    if cleaned.get("sender"):
        cleaned["sender"] = check_sender(cleaned["sender"])
    require(user, Permission.ADMINISTRATION, _("change setup"))
    with write_transaction():
        for name, value in cleaned.items():
            set_setting(SMTP_SETTINGS[name][0], value)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """Open an SMTP connection, with TLS and login as the settings ask."""
    context = ssl.create_default_context()
    if settings.ca_file:
        context.load_verify_locations(cafile=settings.ca_file)
    if settings.security == "tls":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            context=context,
            timeout=SMTP_TIMEOUT_SECONDS,
        )
    else:
        connection = smtplib.SMTP(
            settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS
        )
        if settings.security == "starttls":
            connection.starttls(context=context)
    if settings.user:
        connection.login(settings.user, settings.password)
    return connection


def smtp_error_text(error: smtplib.SMTPException) -> str:
    """Return an SMTP error as the server's reply: "550 rejected for test".

    smtplib keeps a reply as (code, bytes), so ``str(error)`` would show Python's
    notation, "(550, b'rejected for test')". A refused recipient gives the reply to
    its RCPT command, and an error without a reply, such as a closed connection,
    its own text.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return "; ".join(
            reply_text(code, message) for code, message in error.recipients.values()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return reply_text(error.smtp_code, error.smtp_error)
    return str(error)


def reply_text(code: int, message: bytes | str) -> str:
    """Return an SMTP reply as one line of text, its code first."""
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    return " ".join(f"{code} {message}".split())


def letter_message(
    settings: SmtpSettings,
    sender: str,
    recipient: str,
    subject: str,
    letter: Path,
    *,
    as_attachment: bool = True,
) -> EmailMessage:
    """Build an email with the letter's text as the body.

    With ``as_attachment`` the merged .docx is attached as well.
    """
    from segtui.domain.documents import document_text

    content = letter.read_bytes()
    message = EmailMessage()
    from_address = settings.sender or sender or settings.user
    message["From"] = from_address
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=message_id_domain(from_address))
    message.set_content(document_text(content))
    if as_attachment:
        message.add_attachment(
            content, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=letter.name
        )
    return message


def message_id_domain(from_address: str) -> str:
    """Return the domain of the sender's address for Message-ID, or ``segtui``.

    Passing a domain keeps make_msgid from looking up this machine's host name,
    which can take seconds on a host without DNS.
    """
    _name, address = parseaddr(from_address)
    domain = address.rpartition("@")[2]
    return domain if address and domain else "segtui"
