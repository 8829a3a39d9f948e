"""Handing a generated file, such as a merged letter, to the user where they sit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from segtui.i18n import _
from segtui.ui.text import display


def hand_over_file(app: App[Any], path: Path) -> str | None:
    """Send ``path`` to the browser as a download, or name its folder in a terminal.

    Under `segtui serve` the file lies on the server, so a browser user can only get
    it as a download. A terminal user works on the machine where the file is, so a
    notification names its folder instead of copying it elsewhere. Returns the
    delivery key of a download, which Textual's DeliveryComplete and DeliveryFailed
    events carry; returns None when nothing was sent.
    """
    if not app.is_web:
        app.notify(
            _("{file} is in the folder {folder}").format(
                file=display(path.name), folder=display(str(path.parent))
            ),
            markup=False,
        )
        return None
    try:
        # Textual 8.2.8 opens the file here and sends it from a thread.
        return app.deliver_binary(path, open_method="download")
    except OSError as error:
        app.notify(
            _("Failed to send {file} to the browser: {error}").format(
                file=display(path.name), error=display(error.strerror or str(error))
            ),
            severity="error",
            markup=False,
        )
        return None
