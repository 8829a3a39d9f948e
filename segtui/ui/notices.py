"""How long segtui's notifications (Textual toasts) stay, and which of them give
way when a screen or dialog opens.

Toasts sit in the bottom right corner, over whatever the screen draws there. At
80x24 that is half of a dialog's lower rows, such as the live count of the Reduce
dialog, so toasts that only confirm a step stay briefly and leave when the next
screen opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.notifications import SeverityLevel
from textual.screen import Screen

if TYPE_CHECKING:
    from textual.app import App

    # Type checkers see the App that the mixin is combined with.
    AppBase = App[Any]
else:
    AppBase = object

# Seconds a notification stays when its caller sets no timeout. A confirmation
# such as "647 contacts added." is read at a glance, while a warning or an error
# names something the user has to act on, often in a few sentences.
NOTICE_SECONDS: dict[SeverityLevel, float] = {
    "information": 4.0,
    "warning": 8.0,
    "error": 12.0,
}


class NoticePolicy(AppBase):
    """An App mixin that sets notification timeouts by severity and removes the
    information toasts and keymap warnings shown when a screen opens.

    Warnings and errors other than keymap warnings stay over the new screen until
    they time out, because they name a problem the user has not solved yet. The
    keymap warnings are in segtui's log file, and ``segtui keys`` lists those of
    the keymap file.
    """

    # Titles of the keymap warnings shown, which give way to the next screen.
    keymap_notice_titles: frozenset[str] = frozenset()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification for ``timeout`` seconds, by default for the
        NOTICE_SECONDS of its severity."""
        if timeout is None:
            timeout = NOTICE_SECONDS[severity]
        super().notify(
            message, title=title, severity=severity, timeout=timeout, markup=markup
        )

    def notify_keymap(self, message: str, title: str) -> None:
        """Show a keymap warning that gives way to the next screen."""
        self.keymap_notice_titles = self.keymap_notice_titles | {title}
        self.notify(message, title=title, severity="warning", markup=False)

    def push_screen(self, screen: Screen[Any] | str, *args: Any, **kwargs: Any) -> Any:
        """Push ``screen``, first removing the toasts that give way to it.

        Every screen counts, because the Add, Reduce and Refine dialogs are full
        screens, not modal ones.
        """
        self.remove_passing_notices()
        return super().push_screen(screen, *args, **kwargs)

    def remove_passing_notices(self) -> None:
        """Remove the information toasts and keymap warnings shown now.

        A notification is posted as a message, so one sent just before this runs
        is shown after it and stays.
        """
        keymap_titles = self.keymap_notice_titles
        passing = [
            notification
            for notification in self._notifications
            if notification.severity == "information"
            or notification.title in keymap_titles
        ]
        for notification in passing:
            self._unnotify(notification, refresh=False)
        if passing:
            self._refresh_notifications()
