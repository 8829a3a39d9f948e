"""The acting user: the operating system login of whoever runs segtui."""

from __future__ import annotations

import getpass
import os


def current_user() -> str:
    """Return the operating system login, or ``unknown`` where none can be found."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"
