"""Actions on logged segments: cancel, un-cancel, delete canceled, follow up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from segtui.domain import cancellation, logged_segments
from segtui.domain.dates import date_forms, invalid_date_message, read_date
from segtui.i18n import _, format_count, ngettext
from segtui.ui.screens.dialogs import ConfirmDialog, InputDialog
from segtui.ui.text import format_date


def entries_changed_message(changed: int, cancel: bool) -> str:
    """Return the notice for ``changed`` interaction log entries canceled, or
    un-canceled when ``cancel`` is false."""
    if cancel:
        message = ngettext(
            "{count} entry canceled.", "{count} entries canceled.", changed
        )
    else:
        message = ngettext(
            "{count} entry restored.", "{count} entries restored.", changed
        )
    return message.format(count=format_count(changed))


def numbers_text(numbers: list[int]) -> str:
    return ", ".join(str(number) for number in numbers)


def offer_cancel(
    screen: Any, numbers: list[int], cancel: bool, done: Callable[[], None]
) -> None:
    """Ask once, then cancel or un-cancel logged segments with all their entries."""
    if not numbers:
        return
    if cancel:
        screen.run(
            lambda: count_to_cancel(numbers),
            lambda counts: ask_cancel(screen, numbers, cancel, done, *counts),
        )
    else:
        ask_cancel(screen, numbers, cancel, done, 0, 0)


def count_to_cancel(numbers: list[int]) -> tuple[int, int]:
    """Count the entries that canceling the logged segments cancels, and those of
    them canceled on their own already."""
    active = sum(
        logged_segments.get_logged_segment(number).interactions for number in numbers
    )
    return active, cancellation.count_canceled_alone(numbers)


def ask_cancel(
    screen: Any,
    numbers: list[int],
    cancel: bool,
    done: Callable[[], None],
    active: int,
    canceled_alone: int,
) -> None:
    """Ask the question of offer_cancel, then cancel or un-cancel.

    ``active`` is the number of entries not canceled yet, which canceling cancels.
    """
    if cancel:
        title = _("Cancel logged segments")
        question = ngettext(
            "Cancel logged segment {numbers} with its {entries}? They stay listed "
            "as canceled and are no longer counted.",
            "Cancel the {count} logged segments {numbers} with their {entries}? "
            "They stay listed as canceled and are no longer counted.",
            len(numbers),
        )
        if canceled_alone:
            question += " " + ngettext(
                "{alone} entry is canceled on its own already. Un-canceling the "
                "logged segment later un-cancels that entry too.",
                "{alone} entries are canceled on their own already. Un-canceling "
                "the logged segment later un-cancels those entries too.",
                canceled_alone,
            )
    else:
        title = _("Un-cancel logged segments")
        # NOTE: segtui does not record which entries were canceled on their own
        # before their logged segment, so this question cannot count them.
        question = ngettext(
            "Un-cancel logged segment {numbers} and all its entries? Entries that "
            "were canceled on their own before are un-canceled too.",
            "Un-cancel the {count} logged segments {numbers} and all their entries? "
            "Entries that were canceled on their own before are un-canceled too.",
            len(numbers),
        )
    question = question.format(
        count=format_count(len(numbers)),
        numbers=numbers_text(numbers),
        alone=format_count(canceled_alone),
        entries=ngettext("{count} entry", "{count} entries", active).format(
            count=format_count(active)
        ),
    )

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        user = screen.app.user

        def finished(changed: int) -> None:
            screen.notify(entries_changed_message(changed, cancel), markup=False)
            done()

        screen.run(
            lambda: cancellation.set_logged_canceled(numbers, cancel, user=user),
            finished,
        )

    if cancel:
        question_help = _(
            "Yes cancels the logged segments with all their entries. They stay "
            "listed, marked canceled, but no longer count in totals, charts and "
            "campaign counts, and are never sent again. Letters and emails already "
            "sent are not recalled. Un-cancel restores them: u on the list of "
            "logged segments, U on one logged segment. No and Esc change nothing."
        )
    else:
        question_help = _(
            "Yes un-cancels the logged segments and all their entries, including "
            "entries canceled on their own before, so they count again in totals, "
            "charts and campaign counts. Nothing is sent. No and Esc leave them "
            "canceled."
        )
    screen.app.push_screen(ConfirmDialog(title, question, help=question_help), answered)


def offer_delete_canceled(screen: Any, done: Callable[[], None]) -> None:
    """Count, ask, then delete every canceled logged segment and entry."""

    def asked(counts: cancellation.DeletedCounts) -> None:
        if not counts.logged_segments and not counts.entries:
            screen.notify(
                _("Nothing is canceled, so nothing was deleted."), markup=False
            )
            return
        question = _(
            "Delete {logged} and {entries} for good? Entries that are not canceled "
            "are kept."
        ).format(**counts.phrases())

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            user = screen.app.user

            def deleted(result: cancellation.DeletedCounts) -> None:
                screen.notify(
                    _("Deleted {logged} and {entries}.").format(**result.phrases()),
                    markup=False,
                )
                done()

            screen.run(lambda: cancellation.delete_canceled(user=user), deleted)

        question_help = _(
            "Yes deletes every canceled interaction log entry and every canceled "
            "logged segment in segtui for good; there is no undo. Entries that are "
            "not canceled are kept. No and Esc delete nothing."
        )
        screen.app.push_screen(
            ConfirmDialog(_("Delete canceled"), question, help=question_help),
            answered,
        )

    screen.run(cancellation.count_canceled, asked)


def offer_follow_up(screen: Any, entry_no: int) -> None:
    """Ask, then create a follow-up segment from a logged segment and open it.

    When the logged segment has a follow-up segment already, the question names it
    and its default answer is No, so a second one is made only on purpose.
    """

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        user = screen.app.user
        screen.run(
            lambda: logged_segments.create_follow_up_segment(entry_no, user=user).no,
            lambda no: screen.app.open_worksheet(no),
        )

    def ask(existing: list[str]) -> None:
        if existing:
            question = (
                logged_segments.follow_up_notice(entry_no, existing)
                + " "
                + _("Create another segment with its contacts?")
            )
        else:
            question = _(
                "Create a new segment with the contacts of logged segment {no}?"
            ).format(no=entry_no)
        screen.app.push_screen(
            ConfirmDialog(
                _("Follow-up segment"),
                question,
                default=not existing,
                help=_(
                    "Yes creates a new segment with the contacts of this logged "
                    "segment's entries and opens its worksheet. Contacts deleted "
                    "since are skipped, and privacy-blocked ones are left out. The "
                    "logged segment is not changed, and the new segment can be "
                    "deleted from the segment list. No and Esc create nothing."
                ),
            ),
            answered,
        )

    screen.run(lambda: logged_segments.follow_up_segments(entry_no), ask)


def offer_non_responders(screen: Any, entry_no: int, since: date) -> None:
    """Ask for a date, then create a segment of the contacts that did not respond."""

    def chosen(text: str | None) -> None:
        if not text:
            return
        day = read_date(text)
        if day is None:
            screen.notify(invalid_date_message(text), severity="error", markup=False)
            return
        user = screen.app.user
        screen.run(
            lambda: (
                logged_segments.create_follow_up_segment(
                    entry_no, user=user, non_responders_since=day
                ).no
            ),
            lambda no: screen.app.open_worksheet(no),
        )

    screen.app.push_screen(
        InputDialog(
            _("Follow-up of non-responders"),
            _(
                "Create a segment of the contacts of logged segment {no} without a "
                "campaign response dated on or after ({forms}):"
            ).format(no=entry_no, forms=date_forms()),
            format_date(since),
            help=_(
                "The date from which campaign responses count. The new segment gets "
                "every contact of this logged segment except those with a campaign "
                "response dated on or after that date and not canceled. When the "
                "logged segment's entries belong to campaigns, only responses to "
                "those campaigns count. The date proposed is the day the segment "
                "was logged. Write the date as {forms}.\n\n"
                "Enter creates the segment and opens its worksheet. Contacts "
                "deleted since logging are skipped, and the logged segment is not "
                "changed. Esc closes the dialog and creates nothing."
            ).format(forms=date_forms()),
        ),
        chosen,
    )
