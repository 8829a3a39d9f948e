"""The segtui application: screens, navigation and help."""

from __future__ import annotations

import asyncio
import codecs
import gc
import logging
import os
import sys
import time
from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.constants import AnimationLevel
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import Screen

from segtui import paths
from segtui.db import interrupt_all
from segtui.domain.errors import SegtuiError
from segtui.domain.users import ROLE_PERMISSIONS, Permission, role_of
from segtui.i18n import _, format_count, ngettext
from segtui.ui.areas import Area
from segtui.ui.exit_signals import SignalExit
from segtui.ui.focus_clashes import find_focus_clashes
from segtui.ui.footer import COMPACT_BELOW
from segtui.ui.key_names import footer_key_name
from segtui.ui.key_order import KeysInOrder
from segtui.ui.keymap import (
    applied_bindings,
    describe_conflict,
    load_keymap,
    warning_notice,
    warning_title,
)
from segtui.ui.keys import N_, KeyConflict, NamedBindings
from segtui.ui.notices import NoticePolicy
from segtui.ui.palette import TranslatedPalette, command_area
from segtui.ui.screens.menu import GoToDialog
from segtui.ui.screens.quit_question import QuitQuestion
from segtui.ui.screens.segments import SegmentListScreen
from segtui.ui.worker import (
    WAITING_TO_CLOSE,
    job_closes_screen,
    newest_job_start,
    running_jobs,
)

if TYPE_CHECKING:
    from segtui.domain.segment_logging import LogResult

# The screens that are not the first one are imported when first opened, so that
# segtui shows its segment list sooner.

log = logging.getLogger("segtui.ui")

# Seconds from its start that quitting lets a job run before it offers to cancel it.
QUIT_GRACE_SECONDS = 0.3
# How long a thread runs before Python lets another take over (the default is 5 ms).
THREAD_SWITCH_SECONDS = 0.0005
# How long a notice that a key does nothing now stays, in seconds.
KEY_NOTICE_SECONDS = 8
# App actions whose keys (F2, F3 and F4 by default) open an area from any full
# screen. Their bindings have no priority, so they do nothing over a dialog.
AREA_ACTIONS = frozenset({"segments", "logged_segments", "saved_criteria"})


def animation_level(environment: Mapping[str, str]) -> AnimationLevel:
    """Return how much to animate: nothing over SSH unless TEXTUAL_ANIMATIONS says so.

    Every animation frame is redrawn and sent down the connection, which a slow link
    shows as lag, so an SSH session gets none by default.
    """
    chosen = environment.get("TEXTUAL_ANIMATIONS", "").strip().lower()
    if chosen in ("none", "basic", "full"):
        return chosen  # type: ignore[return-value]
    if environment.get("SSH_CONNECTION") or environment.get("SSH_TTY"):
        return "none"
    return "full"


def require_utf8_output() -> None:
    """Raise SegtuiError unless the stream Textual draws on encodes UTF-8.

    PYTHONIOENCODING can set another encoding for that stream even under a UTF-8
    locale, and Textual would then fail on the first box-drawing character.
    """
    stream = sys.__stderr__
    encoding = getattr(stream, "encoding", None) or "UTF-8"
    if codecs.lookup(encoding).name != "utf-8":
        raise SegtuiError(
            _(
                "The terminal encoding is {encoding}, not UTF-8, so segtui cannot draw "
                "its screens; set LANG to a UTF-8 locale such as en_US.UTF-8 or "
                "de_DE.UTF-8 and start it again."
            ).format(encoding=encoding)
        )


# Textual's own palette commands that segtui keeps, by title. N_ marks their titles
# and help texts (as Textual 8 writes them) for translation.
TEXTUAL_COMMANDS = (N_("Theme"), N_("Keys"), N_("Screenshot"))
TEXTUAL_COMMAND_HELP = (
    N_("Change the current theme"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def screen_title(screen: Screen[Any]) -> str:
    """Return the title a screen or dialog shows, or "" if it has none."""
    title_text = getattr(screen, "title_text", None)
    if title_text is not None:
        return str(title_text())
    return str(getattr(screen, "help_title", ""))


class SegtuiApp(NoticePolicy, KeysInOrder, NamedBindings, TranslatedPalette, App[None]):
    AREA = "app"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "segtui"
    ENABLE_COMMAND_PALETTE = True
    # Screens narrower than 100 columns get the -compact class and a compact footer.
    HORIZONTAL_BREAKPOINTS = [(0, "-compact"), (COMPACT_BELOW, "-wide")]

    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            _("Quit"),
            show=False,
            priority=True,
            tooltip=_("Quit segtui"),
        ),
        Binding(
            "f2", "segments", _("Segments"), show=False, tooltip=_("Show the segments")
        ),
        Binding(
            "f3",
            "logged_segments",
            _("Logged"),
            show=False,
            tooltip=_("Show the logged segments"),
        ),
        Binding(
            "ctrl+g,f6",
            "go_to",
            _("Go to"),
            priority=True,
            tooltip=_("Open another area, such as the contacts, templates or setup"),
        ),
        Binding(
            "f4",
            "saved_criteria",
            _("Saved criteria"),
            show=False,
            tooltip=_("Show the saved criteria"),
        ),
    ]

    def __init__(
        self,
        user: str,
        database_url: str = "",
        log_path: Path | None = None,
        keymap_path: Path | None = None,
    ):
        # The objects alive now, mostly imported modules, live until segtui ends.
        # Freezing them keeps the garbage collector from scanning them again, so no
        # full collection falls between start and the first screen. Only the first
        # app in a process freezes, so a test session does not keep its garbage.
        if gc.get_freeze_count() == 0:
            gc.freeze()
        super().__init__()
        # Screens read the database in worker threads while the main thread lays
        # out and draws. With Python's default of 5 ms a worker waited for the main
        # thread at every step: counting 100,000 lines took 55 ms instead of 5.
        sys.setswitchinterval(THREAD_SWITCH_SECONDS)
        self.keymap_path = keymap_path or paths.keymap_path()
        # Binding ids the user's keymap file gives other keys, after entries that
        # ask for the same key were settled. F1 help shows the keys that result.
        self.user_keys: dict[str, str] = {}
        # Keymap keys that a focused widget takes, named in a warning already.
        self.focus_clashes_shown: set[KeyConflict] = set()
        self.user = user
        self.database_url = database_url
        self.log_path = log_path
        # One small query when the app starts; the role decides which keys show.
        self.role = role_of(user)
        self.may_change = Permission.MARKETING in ROLE_PERMISSIONS[self.role]
        # Set when a signal ends segtui; background jobs then stop reporting back.
        self.stopping = False
        # True while ctrl+q waits QUIT_GRACE_SECONDS for the running jobs to end.
        self.quit_waiting = False
        # The "cancel the running job and quit?" question last shown. It counts as
        # open while it is in the screen stack, so a question closed without an
        # answer does not keep ctrl+q from asking again.
        self.quit_question: QuitQuestion | None = None
        self.animation_level = animation_level(os.environ)
        self.signal_exit = SignalExit(self.exit_on_signal)

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Run the app in the terminal; raise SegtuiError if its output is not UTF-8."""
        require_utf8_output()
        try:
            return super().run(*args, **kwargs)
        finally:
            # The process ends next. Freezing the objects left spares the interpreter
            # its garbage collection at exit, a few tenths of a second with segtui's
            # modules loaded, so a quit that cancels a job ends within a second.
            gc.freeze()

    def on_mount(self) -> None:
        # Textual 8.2.8 restores the terminal only on its own exit path, so hangup and
        # terminate signals (a dropped SSH connection, kill) are turned into that exit.
        self.signal_exit.install()
        self.apply_user_keymap()
        self.push_screen(SegmentListScreen())

    def on_unmount(self) -> None:
        self.signal_exit.uninstall()

    def apply_user_keymap(self) -> None:
        """Give actions the keys of the user's keymap file and show its warnings.

        A warning names an entry left out, or a key an entry takes from another
        action.
        """
        path = self.keymap_path
        if not path.exists():
            return
        keymap = load_keymap(path)
        self.user_keys = keymap.keys
        self.set_keymap(keymap.keys)
        for problem in keymap.problems:
            log.warning("keymap: %s", problem)
        if keymap.problems:
            # One short notification, because stacked ones push the first off an
            # 80x24 screen and long ones cover the footer. segtui keys lists all.
            notice = warning_notice(
                keymap.problems, self.size.width, self.size.height, path
            )
            self.notify_keymap(notice.message, notice.title)
        if keymap.keys:
            self.screen_change_signal.subscribe(self, self.check_focus_keys)

    def show_keymap_warnings(self, problems: list[str]) -> None:
        """Show the keymap warnings found when a screen opens, in full.

        These depend on the widgets a screen has. segtui keys lists them only for
        the screens in FOCUS_TARGETS, so the notification names each one.
        """
        for problem in problems:
            log.warning("keymap: %s", problem)
        if problems:
            self.notify_keymap("\n".join(problems), warning_title(len(problems)))

    def check_focus_keys(self, screen: Screen[Any]) -> None:
        """Warn about keymap keys that a widget of ``screen`` takes while focused.

        The screen is checked once its widgets are there, and each clash is named
        once a session.
        """

        def check() -> None:
            problems = []
            for conflict in find_focus_clashes(screen, self.user_keys):
                if conflict not in self.focus_clashes_shown:
                    self.focus_clashes_shown.add(conflict)
                    problems.append(describe_conflict(self.keymap_path, conflict))
            self.show_keymap_warnings(problems)

        screen.call_later(check)

    def get_key_display(self, binding: Binding) -> str:
        """Name a key in the footer, the palette and the keys panel: Entf in German."""
        if binding.key_display:
            return binding.key_display
        modifiers, key = binding.parse_key()
        return footer_key_name(modifiers, format_key(key))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """List the actions of the screen the palette was opened on, as "area: verb".

        Only actions that apply there are listed: the screen's own, those of its
        focused widgets and segtui's global ones, without those the role may not do.
        """
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or not binding.id or not binding.description:
                continue
            if binding.id in seen:
                continue
            seen.add(binding.id)
            title = f"{command_area(active.node, screen)}: {binding.description}"
            help_text = f"{binding.tooltip} ({self.get_key_display(binding)})".strip()
            yield SystemCommand(
                title, help_text, partial(self.run_from_palette, binding, active.node)
            )
        for command in super().get_system_commands(screen):
            if command.title in TEXTUAL_COMMANDS:
                yield command._replace(title=_(command.title), help=_(command.help))

    def run_from_palette(self, binding: Binding, node: DOMNode) -> None:
        self.call_later(self.run_action, binding.action, node)

    def exit_on_signal(self, signal_number: int) -> None:
        """Stop background work, roll back what is in flight, and exit.

        Letter runs stop at once and keep the letters written. A statement running
        in a job is interrupted, so its transaction rolls back and the process does
        not wait for it to finish.
        """
        log.info("exiting on signal %s", signal_number)
        self.stop_jobs_and_exit(return_code=128 + signal_number)

    def stop_jobs_and_exit(self, return_code: int = 0) -> None:
        """Cancel the running jobs, roll back their statements, and exit."""
        self.stopping = True
        # A closed screen's job may still run, such as letters written again.
        for screen in [*self.screen_stack, *running_jobs(self)]:
            cancel = getattr(screen, "cancel_event", None)
            if cancel is not None:
                cancel.set()
        stopped = interrupt_all()
        log.info("interrupted %s database job(s)", stopped)
        # Letter worker processes are then killed rather than left to finish their
        # chunks, and the job's thread records the letters they wrote.
        from segtui.domain.letter_jobs import stop_all

        log.info("stopped %s letter run(s)", stop_all())
        self.exit(return_code=return_code)

    def copy_value(self, label: str, value: str) -> None:
        """Copy ``value`` to the clipboard of the user's terminal and show it.

        Textual sends the text as an OSC 52 escape sequence, so copying works over
        SSH without a clipboard program on the server. tmux passes the sequence on
        only with ``set -g set-clipboard on``, so the notification shows the value
        for selecting it by hand.
        """
        self.copy_to_clipboard(value)
        self.notify(
            _("Copied {what}: {value}").format(what=label, value=value),
            markup=False,
            timeout=10,
        )

    def call_from_thread(self, callback: Any, *args: Any, **kwargs: Any) -> Any:
        """Run ``callback`` on the UI thread, unless segtui is ending on a signal.

        A job that finishes after the signal would otherwise wait for an event loop
        that no longer runs its callbacks, and keep the process alive.
        """
        if self.stopping:
            return None
        return super().call_from_thread(callback, *args, **kwargs)

    async def action_quit(self) -> None:
        """Quit; while a job runs, first ask whether to cancel it.

        A job that ends within QUIT_GRACE_SECONDS of its start, such as a lookup
        for a form, ends without the question. A job that has run that long
        already, such as a log writing letters, gets the question at once.
        """
        if self.quit_waiting or self.quit_question in self.screen_stack:
            return
        newest_start = newest_job_start(self)
        if newest_start is not None:
            # Set before waiting, so a second ctrl+q meanwhile opens no second
            # question.
            self.quit_waiting = True
            try:
                deadline = newest_start + QUIT_GRACE_SECONDS
                while running_jobs(self) and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
            finally:
                self.quit_waiting = False
        if not running_jobs(self):
            self.exit()
            return

        # A job that ends while the question is shown leaves it open, because the
        # job's dialog closes only after the question is answered. The question
        # then asks only whether to quit: yes quits, and no shows what the dialog
        # would have shown next.
        def answered(cancel_and_quit: bool | None) -> None:
            self.quit_question = None
            if cancel_and_quit and running_jobs(self):
                log.info("quitting: canceling %s job(s)", len(running_jobs(self)))
                self.stop_jobs_and_exit()
            elif cancel_and_quit:
                self.exit()

        self.quit_question = QuitQuestion()
        self.push_screen(self.quit_question, answered)

    def action_go_to(self) -> None:
        """Open an area from the Go to menu, on top of the segment list."""
        if isinstance(self.screen, GoToDialog) or self.must_keep_job_screen():
            return

        def chosen(area: Area | None) -> None:
            if area is None:
                return
            while len(self.screen_stack) > 2:
                self.pop_screen()
            if area.key != "segments":
                self.push_screen(area.load()())

        self.push_screen(GoToDialog(), chosen)

    def must_keep_job_screen(self) -> bool:
        """Return whether a screen over the segment list must stay for a job's result.

        Go to and F2 close those screens. A screen whose job closes it with its
        result, such as the log dialog opening the logged segment, must stay
        until then, and a notification names it and what to do.
        """
        for screen in reversed(self.screen_stack[2:]):
            title = screen_title(screen) or type(screen).__name__
            if screen in WAITING_TO_CLOSE:
                message = _(
                    '"{screen}" has ended its job and shows the result once the '
                    "screens over it close. Close them first, then try again."
                )
            elif job_closes_screen(screen):
                message = _(
                    '"{screen}" is still running, and leaving it now would lose '
                    "its result. Wait until it ends, or press Esc there to stop "
                    "it, then try again."
                )
            else:
                continue
            self.notify(
                message.format(screen=title),
                severity="warning",
                timeout=KEY_NOTICE_SECONDS,
                markup=False,
            )
            return True
        return False

    def on_key(self, event: events.Key) -> None:
        """Notify why a key of AREA_ACTIONS, such as F2, does nothing over a dialog.

        Textual runs an app binding under a modal screen only if it has priority,
        so the key reaches no action there. A dialog that binds the key itself
        keeps it. Ctrl+G has priority, and action_go_to shows its own notice
        when it cannot close a screen.
        """
        screen = self.screen
        if not screen.is_modal or event.key in screen.active_bindings:
            return
        bindings = applied_bindings(self._bindings, self.user_keys).get(event.key, [])
        area_bindings = [
            binding for binding in bindings if binding.action in AREA_ACTIONS
        ]
        if not area_bindings or self.must_keep_job_screen():
            return
        binding = area_bindings[0]
        title = screen_title(screen)
        if title:
            message = _(
                '"{screen}" is open, so {key} ({action}) does nothing. Close it '
                "with Esc first, then press {key} again."
            )
        else:
            message = _(
                "A dialog is open, so {key} ({action}) does nothing. Close it with "
                "Esc first, then press {key} again."
            )
        self.notify(
            message.format(
                screen=title,
                key=self.get_key_display(binding),
                action=binding.description,
            ),
            severity="warning",
            timeout=KEY_NOTICE_SECONDS,
            markup=False,
        )

    def action_help(self) -> None:
        from segtui.ui.screens.help import HelpScreen, help_text

        screen = self.screen
        title = getattr(screen, "title_text", lambda: "")() or _("Help")
        self.push_screen(
            HelpScreen(_("Help: {title}").format(title=title), help_text(screen))
        )

    def action_segments(self) -> None:
        if self.must_keep_job_screen():
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_logged_segments(self) -> None:
        from segtui.ui.screens.logged import LoggedSegmentListScreen

        if isinstance(self.screen, LoggedSegmentListScreen):
            return
        self.push_screen(LoggedSegmentListScreen())

    def action_saved_criteria(self) -> None:
        from segtui.ui.screens.saved_criteria import SavedCriteriaScreen

        if isinstance(self.screen, SavedCriteriaScreen):
            return
        self.push_screen(SavedCriteriaScreen())

    def open_worksheet(self, no: str) -> None:
        from segtui.ui.screens.worksheet import WorksheetScreen

        self.push_screen(WorksheetScreen(no), self.worksheet_closed)

    def worksheet_closed(self, result: LogResult | None) -> None:
        from segtui.domain.delivery import describe_report
        from segtui.ui.screens.logged import LoggedSegmentScreen
        from segtui.ui.toast_text import report_toast_lines, toast_text_width

        if result is None:
            return
        lines = [
            ngettext(
                "Logged segment {entry}: {count} interaction.",
                "Logged segment {entry}: {count} interactions.",
                result.entries,
            ).format(entry=result.logged_segment_no, count=format_count(result.entries))
        ]
        if result.follow_up_segment_no:
            lines.append(
                _("Follow-up segment {no} created.").format(
                    no=result.follow_up_segment_no
                )
            )
        report, folder = result.delivery, result.output_folder
        message = "\n".join([*lines, *describe_report(report, folder)])
        toast = [*lines, *report_toast_lines(report, folder, toast_text_width(self))]
        self.notify("\n".join(toast), markup=False, timeout=8)
        self.push_screen(LoggedSegmentScreen(result.logged_segment_no, message=message))
