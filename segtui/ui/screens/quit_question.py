"""The question whether to quit segtui while jobs run."""

from __future__ import annotations

from typing import Any

from textual.app import App

from segtui.i18n import _
from segtui.ui.screens.dialogs import ConfirmDialog, Dialog
from segtui.ui.worker import running_jobs

# Seconds between two checks of the open quit question whether jobs still run.
QUIT_QUESTION_CHECK_SECONDS = 0.1


class QuitQuestion(ConfirmDialog):
    """Ask whether to cancel the running jobs and quit, or just whether to quit.

    The question follows the jobs while it is open: it asks only whether to quit
    once they have ended, and about canceling again if a job starts. A dialog
    whose job runs alone is named by its title. Such a dialog may also ask its own
    question, by a ``quit_question_texts`` method that returns (question, help),
    or None for the plain one.
    """

    # F1 shows this above the keys while a job runs.
    HELP = _(
        "Yes stops the running job, such as letters being written or "
        "sent, and quits segtui. What the job has not saved yet is "
        "rolled back; letters already written or sent stay as they "
        "are. No and Esc keep the job running and segtui open."
    )

    def __init__(self) -> None:
        question, help = self.running_texts(self.app)
        super().__init__(_("Quit segtui"), question, help=help)
        self.shown_texts = (question, help)

    @staticmethod
    def running_texts(app: App[Any]) -> tuple[str, str]:
        """Return the question and its help while a job runs."""
        jobs = running_jobs(app)
        if len(jobs) == 1 and isinstance(jobs[0], Dialog):
            job = jobs[0]
            own_texts = getattr(job, "quit_question_texts", None)
            texts = own_texts() if own_texts is not None else None
            if texts is not None:
                return texts
            question = _(
                '"{job}" is still running. Cancel it and quit? Its changes not '
                "yet saved are rolled back. Press n or Esc to keep it running."
            ).format(job=job.title_text())
            return question, QuitQuestion.HELP
        question = _(
            "A job is still running. Cancel it and quit? Its changes not yet "
            "saved are rolled back. Press n or Esc to keep it running."
        )
        return question, QuitQuestion.HELP

    @staticmethod
    def ended_texts() -> tuple[str, str]:
        """Return the question and its help once no job runs."""
        question = _("The job has ended. Quit segtui? Press n or Esc to stay.")
        help = _(
            "The job that was running has ended, so quitting cancels nothing. "
            "Yes quits segtui. No and Esc keep segtui open, and a screen that "
            "waited for the job shows its result."
        )
        return question, help

    def on_mount(self) -> None:
        # Textual also runs ConfirmDialog.on_mount, which focuses the No button.
        self.set_interval(QUIT_QUESTION_CHECK_SECONDS, self.check_jobs)

    def check_jobs(self) -> None:
        """Ask the question that fits the jobs running now, such as a log's phase."""
        running = bool(running_jobs(self.app))
        texts = self.running_texts(self.app) if running else self.ended_texts()
        if texts == self.shown_texts:
            return
        self.shown_texts = texts
        self.set_question(*texts)
