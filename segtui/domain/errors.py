"""Errors that domain functions raise for the user to read."""

from __future__ import annotations

from dataclasses import dataclass

from segtui.i18n import _


class SegtuiError(Exception):
    """An error with a message meant for the user, shown as it is."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class NotFoundError(SegtuiError):
    """Raised when a record named by the user does not exist."""


class InvalidValueError(SegtuiError):
    """Raised for a value the user entered that cannot be used."""


@dataclass(frozen=True)
class Problem:
    """One problem found by validation, with the line and contact it concerns."""

    text: str
    line_no: int | None = None
    contact_no: str | None = None
    contact_name: str | None = None

    def __str__(self) -> str:
        if self.line_no is None:
            return self.text
        who = self.contact_no or ""
        if self.contact_name:
            who = f"{who} {self.contact_name}".strip()
        return _("line {line_no}, contact {contact}: {problem}").format(
            line_no=self.line_no, contact=who, problem=self.text
        )


class ValidationError(SegtuiError):
    """Raised when validation found problems; nothing was written."""

    def __init__(self, summary: str, problems: list[Problem]) -> None:
        super().__init__(summary)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  {problem}" for problem in self.problems)])


class ConflictError(SegtuiError):
    """Raised when a record changed since the user read it; nothing was saved."""

    def __init__(self, message: str, modified_by: str, modified_at: object) -> None:
        super().__init__(message)
        self.modified_by = modified_by
        self.modified_at = modified_at


class DatabaseBusyError(SegtuiError):
    """Raised when another user's write held the database for too long."""
