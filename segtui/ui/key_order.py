"""Keys typed ahead wait until the key before them has had its effect.

Over SSH the keys a user types quickly arrive in one burst. Textual hands each key
to the focused widget's queue as soon as the app reads it. So the keys after one
that opens a screen or a dialog went to the old screen before the new one was up.
For example, Enter then l on the segment list pressed l on the list.

``KeysInOrder`` hands out one key at a time. After each key it waits until the
screen's widgets have handled every message the key caused, including a screen or
dialog it opened and that screen's first focus, and only then hands out the next
key. Keys that arrive meanwhile are kept in order.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

from textual import events
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.worker import Worker

# A key whose effect takes longer than this (a handler waiting on a slow query)
# lets the keys after it go on as if they had not been held.
MAX_HOLD_SECONDS = 1.0
# Keys that cancel a running job, such as an import or a log with its progress
# bar. They are handed out without waiting for a job the key before them started.
CANCEL_KEYS = frozenset({"escape", "ctrl+c", "ctrl+q"})
# Rounds of waiting for the widgets' queues to empty after one key. Each round lets
# a message posted in the round before be handled, such as a row selection that
# bubbles from a table to its screen and opens another screen.
MAX_SETTLE_ROUNDS = 12


class KeysInOrder:
    """An App mixin that hands out each key after the one before it has settled."""

    # Keys read while an earlier key is still settling, oldest first. None while
    # no key is settling.
    _held_keys: deque[events.Key] | None = None
    # The held key just posted again to the app, which handles it next.
    _released_key: events.Key | None = None
    _settling: asyncio.Task[None] | None = None

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)  # type: ignore[misc]
            return
        if top_screen(self) is None:
            # The app is exiting; a key held until now has nowhere to go.
            return
        keys = escape_then_key(event)
        if event is self._released_key:
            self._released_key = None
        elif self._held_keys is not None:
            self._held_keys.extend(keys)
            return
        else:
            self._held_keys = deque()
        first, *rest = keys
        self._held_keys.extendleft(reversed(rest))
        workers = set(self.workers)  # type: ignore[attr-defined]
        await super().on_event(first)  # type: ignore[misc]
        self._settling = asyncio.create_task(self._release_after_settling(workers))

    async def _release_after_settling(self, workers: set[Worker[Any]]) -> None:
        try:
            await self._settle(workers)
        finally:
            waiting = self._held_keys
            if waiting:
                self._released_key = waiting.popleft()
                self.post_message(self._released_key)  # type: ignore[attr-defined]
            else:
                self._held_keys = None

    def _cancel_key_held(self) -> bool:
        """Tell whether a held key may cancel the job the key before it started."""
        return any(key.key in CANCEL_KEYS for key in self._held_keys or ())

    async def _settle(self, workers: set[Worker[Any]]) -> None:
        """Wait until the current screen has no messages left, up to a limit.

        Each round queues a callback behind the messages of the nodes that
        nodes_to_wait_for names, and waits for all of them. A job that the key
        started (one not in ``workers``, such as saving a dialog) is waited for
        too, because its result may open the next screen.
        """
        app: Any = self
        deadline = time.monotonic() + MAX_HOLD_SECONDS
        for _round in range(MAX_SETTLE_ROUNDS):
            screen = top_screen(app)
            if screen is None or not app.is_running:
                return
            nodes = nodes_to_wait_for(app, screen)
            handled = []
            for node in nodes:
                event = asyncio.Event()
                if node.call_later(event.set):
                    handled.append(event.wait())
            try:
                await asyncio.wait_for(
                    asyncio.gather(*handled), deadline - time.monotonic()
                )
            except TimeoutError:
                return
            started = [
                worker
                for worker in app.workers
                if worker not in workers and not worker.is_finished
            ]
            if started:
                while any(not worker.is_finished for worker in started):
                    if time.monotonic() > deadline or self._cancel_key_held():
                        return
                    await asyncio.sleep(0.005)
                continue
            if top_screen(app) is screen and all(
                node._message_queue.empty()
                for node in screen.walk_children(with_self=True)
            ):
                return


def top_screen(app: Any) -> Screen[Any] | None:
    """Return the screen on top, or None while the app starts or exits."""
    stack = app.screen_stack
    return stack[-1] if stack else None


def nodes_to_wait_for(app: Any, screen: Screen[Any]) -> list[MessagePump]:
    """Return the app, the screen, the focused widget with its ancestors, and every
    widget with messages queued.

    A key travels up from the focused widget, and what it causes elsewhere is
    queued there, so the other widgets need no wait. On a screen with a hundred
    fields, waiting for every widget made typing several times slower.
    """
    nodes: list[MessagePump] = [app, screen]
    focused = screen.focused
    while focused is not None and focused is not screen:
        nodes.append(focused)
        focused = focused.parent
    nodes.extend(
        widget
        for widget in screen.walk_children()
        if not widget._message_queue.empty() and widget not in nodes
    )
    return nodes


def escape_then_key(event: events.Key) -> list[events.Key]:
    """Return the keys ``event`` stands for: Esc and a letter for alt+letter.

    A terminal sends alt+a as Esc followed by a, so Esc and a typed quickly, or
    arriving together over SSH, are read as alt+a. segtui binds no alt keys, so
    they are taken as the two keys.
    """
    character = event.character
    if not event.key.startswith("alt+") or not character or len(character) != 1:
        return [event]
    key = character if character.isalnum() else event.key.removeprefix("alt+")
    return [events.Key("escape", "\x1b"), events.Key(key, character)]
