"""The progress of writing and delivering a logged segment's letters again."""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, ProgressBar, Static

from segtui.domain import delivery
from segtui.i18n import _, format_count, ngettext
from segtui.ui.screens.dialogs import Dialog
from segtui.ui.worker import run_job


class SendAgainDialog(Dialog):
    """Write and deliver letters again, with a progress bar and Esc to stop.

    ``send`` is called in a job with a progress function and the stop event. The
    dialog closes with its report, or with None when the run failed.
    """

    HELP = _(
        "The letters of the logged segment are being written and delivered again. "
        "The bar counts the letters. Esc stops the letters not started yet; those "
        "written are kept, and s on the logged segment sends the rest later."
    )

    def __init__(
        self,
        title: str,
        send: Callable[
            [Callable[[int, int], None], threading.Event], delivery.DeliveryReport
        ],
    ) -> None:
        super().__init__(title)
        self.send = send
        self.cancel_event = threading.Event()

    def compose_body(self) -> ComposeResult:
        yield Static(_("Writing the letters ..."), id="state", markup=False)
        yield ProgressBar(id="progress", show_eta=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Stop letters (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self.show_progress, done, total)

        cancel = self.cancel_event
        run_job(
            self,
            lambda: self.send(progress, cancel),
            self.finished,
            on_error=self.failed,
        )

    def show_progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#state", Static).update(
            ngettext(
                "{done} of {total} letter", "{done} of {total} letters", total
            ).format(done=format_count(done), total=format_count(total))
        )

    def finished(self, report: delivery.DeliveryReport) -> None:
        self.dismiss(report)

    def failed(self, error: Exception) -> None:
        self.app.notify(str(error), severity="error", markup=False)
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self.cancel_event.is_set():
            return
        self.cancel_event.set()
        self.query_one("#state", Static).update(
            _("Stopping after the letters in progress ...")
        )
