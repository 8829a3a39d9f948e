"""Where segtui keeps its database, letters and log, and how the user overrides it.

The database location is chosen in this order: the ``--db`` option, the
``SEGTUI_DATABASE`` environment variable, then ``segtui.sqlite3`` in the user data
folder that platformdirs reports for this operating system.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "segtui"
DATABASE_ENV = "SEGTUI_DATABASE"


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def keymap_path() -> Path:
    """Return the TOML file where the user gives actions other keys."""
    return config_dir() / "keys.toml"


def default_database_path() -> Path:
    return data_dir() / "segtui.sqlite3"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite3"


def default_letters_dir() -> Path:
    """Return the folder under which each logging run writes its letters."""
    return data_dir() / "letters"


def segment_letters_dir(segment_no: str, number: int = 1) -> Path:
    """Return the ``number``-th folder offered for the letters of a segment.

    The first is ``letters/SEGMENT_NO``, the next ones ``letters/SEGMENT_NO-2``,
    ``letters/SEGMENT_NO-3`` and so on. Later ones are needed when a segment with the
    same number was logged before, such as after a second ``segtui demo``.
    """
    name = segment_no if number == 1 else f"{segment_no}-{number}"
    return default_letters_dir() / name


def resolve_database_url(option: str | None) -> str:
    """Return the database URL from the option, the environment or the default.

    A plain file path is taken as a SQLite database.
    """
    value = option or os.environ.get(DATABASE_ENV) or str(default_database_path())
    return to_database_url(value)


def to_database_url(value: str) -> str:
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())
