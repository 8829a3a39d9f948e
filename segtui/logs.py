"""Logging to a file in the user log folder, never to the terminal the TUI draws on."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from segtui import paths

LOG_FILE_BYTES = 1_000_000
LOG_FILE_BACKUPS = 3


def configure_logging(level: int = logging.INFO) -> Path:
    """Send the ``segtui`` loggers to ``segtui.log`` in the user log folder."""
    folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "segtui.log"
    handler = RotatingFileHandler(
        path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s")
    )
    logger = logging.getLogger("segtui")
    logger.setLevel(level)
    logger.addHandler(handler)
    logger.propagate = False
    return path
