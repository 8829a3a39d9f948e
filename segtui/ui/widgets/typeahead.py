"""An input that edits in key order when keys arrive faster than they are handled."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TypeAheadInput(Input):
    """An Input that runs its own bindings (Backspace, ctrl+u, arrows) itself.

    Textual 8.2.8 resolves a key's binding only when the key has bubbled up to the
    app, against whatever has the focus then. When Tab moves the focus before an
    earlier Backspace has bubbled up, that Backspace acts on the new field or is
    lost. Keys queued on this input are handled here, in the order they arrived.
    """

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return
        bindings = self._bindings.key_to_bindings.get(event.key, [])
        if not bindings:
            return

        # An action that skips, such as the scroll binding on Down that an input
        # inherits, leaves the key to the screen: Down in a search field moves to
        # the list. A handled key is stopped here, so that bubbling to the app
        # does not run the binding a second time.
        if await self.app.run_action(bindings[0].action, self):
            event.stop()
            event.prevent_default()
