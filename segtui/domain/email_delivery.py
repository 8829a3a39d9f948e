"""Sending letters by email over SMTP.

The settings come from ``SEGTUI_SMTP_*`` environment variables, so a password is
never stored in the database.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

DOCX_TYPE = (
    "application",
    "vnd.openxmlformats-officedocument.wordprocessingml.document",
)
SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class SmtpSettings:
    """The SMTP server for email. The password comes from the environment or a file."""

    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str


def smtp_settings() -> SmtpSettings | None:
    """Read the SMTP settings from ``SEGTUI_SMTP_*`` environment variables.

    Returns None when ``SEGTUI_SMTP_HOST`` is not set. ``SEGTUI_SMTP_SECURITY`` is
    ``none``, ``starttls`` or ``tls``; the password is ``SEGTUI_SMTP_PASSWORD`` or the
    first line of the file named by ``SEGTUI_SMTP_PASSWORD_FILE``.
    """
    host = os.environ.get("SEGTUI_SMTP_HOST", "").strip()
    if not host:
        return None
    security = os.environ.get("SEGTUI_SMTP_SECURITY", "none").strip().lower() or "none"
    default_port = {"tls": 465, "starttls": 587}.get(security, 25)
    password = os.environ.get("SEGTUI_SMTP_PASSWORD", "")
    password_file = os.environ.get("SEGTUI_SMTP_PASSWORD_FILE", "")
    if password_file:
        password = Path(password_file).read_text(encoding="utf-8").splitlines()[0]
    return SmtpSettings(
        host=host,
        port=int(os.environ.get("SEGTUI_SMTP_PORT") or default_port),
        security=security,
        user=os.environ.get("SEGTUI_SMTP_USER", ""),
        password=password,
        sender=os.environ.get("SEGTUI_SMTP_FROM", ""),
    )


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """Open an SMTP connection, with TLS and login as the settings ask."""
    if settings.security == "tls":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            context=ssl.create_default_context(),
            timeout=SMTP_TIMEOUT_SECONDS,
        )
    else:
        connection = smtplib.SMTP(
            settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS
        )
        if settings.security == "starttls":
            connection.starttls(context=ssl.create_default_context())
    if settings.user:
        connection.login(settings.user, settings.password)
    return connection


def letter_message(
    settings: SmtpSettings, sender: str, recipient: str, subject: str, letter: Path
) -> EmailMessage:
    """Build an email with the letter's text as the body and the .docx attached."""
    from segtui.domain.documents import document_text

    content = letter.read_bytes()
    message = EmailMessage()
    message["From"] = settings.sender or sender or settings.user
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(document_text(content))
    message.add_attachment(
        content, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=letter.name
    )
    return message
