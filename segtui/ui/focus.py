"""Focus changes made by a key, in effect for the very next key.

Textual hands each key to the focused widget's queue, and a screen's ordinary
binding runs only when the key has bubbled back up to the app. By then the app has
already handed the keys typed after it to the old widget, so over SSH, where typed
text arrives in one burst, "s" followed by a word ran the list's bindings for the
word's letters. A key that moves the focus is therefore a priority binding, which
the app runs before it hands out the next key, and its action moves the focus with
``focus_now``.

Keys that open a screen or a dialog need nothing of the kind: ``KeysInOrder`` in
segtui/ui/key_order.py keeps the keys after them waiting until the new screen is up.
"""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus at once.

    ``Widget.focus`` moves the focus on a later turn of the event loop, after keys
    already queued.
    """
    widget.screen.set_focus(widget)
