"""The user's keymap file applied to segtui's bindings, and keys it gives twice.

Textual binds keys per widget, screen and app class, with the bindings of its base
classes merged in; that merged set is a scope here. In one scope one key runs one
action. Textual's ``BindingsMap.apply_keymap`` gives a remapped key to the remapped
binding and takes it from the binding that had it, so a keymap entry wins over a
default key. Between a screen and the app, the screen's key runs first unless the
app's binding has priority.

This module finds where a keymap entry takes a key from another action, or cannot
have it, so that segtui can warn, and F1 help and ``segtui keys`` list only the
keys that run each action.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from segtui.i18n import _, format_count, ngettext
from segtui.ui.keys import (
    KeyConflict,
    Keymap,
    NamedBindings,
    action_name,
    area_label,
    read_keymap,
)

# How many screen names a warning lists before it gives only their number.
MAX_NAMED_SCOPES = 3

# How long the keymap warning notice stays, in seconds. It shows one warning and
# points to `segtui keys` for the rest, so it need not stay until all are read.
WARNING_SECONDS = 10.0

# Textual 8.2.8 draws a toast 60 cells wide, at most half the screen, with a
# border, one cell of padding on each side and a blank line above and below the
# text. The rack of toasts keeps one line free at the bottom of the screen.
TOAST_WIDTH = 60
TOAST_SIDE_CELLS = 3
TOAST_EXTRA_LINES = 4

KeyBindings = dict[str, list[Binding]]


def keymap_scopes() -> list[type[DOMNode]]:
    """Return every segtui screen, dialog, widget and app class that has bindings.

    Only classes without subclasses count, because base classes and mixins such as
    BaseScreen are not shown themselves and their keys are merged into each subclass.
    NOTE: a class that is shown and also subclassed would be missed; none is now.
    """
    from segtui.ui.catalog import import_all_screens

    import_all_screens()
    found: set[type[DOMNode]] = set()
    pending: list[type] = [NamedBindings]
    while pending:
        cls = pending.pop()
        subclasses = cls.__subclasses__()
        pending.extend(subclasses)
        if subclasses or not issubclass(cls, DOMNode):
            continue
        if cls._merged_bindings and cls._merged_bindings.key_to_bindings:
            found.add(cls)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def is_full_screen(scope: type[DOMNode]) -> bool:
    """Return whether the app's bindings apply on top of the scope's: not a dialog."""
    return issubclass(scope, Screen) and not issubclass(scope, ModalScreen)


def merged_bindings(scope: type[DOMNode]) -> BindingsMap:
    bindings = scope._merged_bindings
    assert bindings is not None, scope
    return bindings


def binding_name(binding: Binding) -> str:
    return binding.id or action_name(binding.action)


def applied_bindings(bindings: BindingsMap, keymap: dict[str, str]) -> KeyBindings:
    """Return the bindings of each key once Textual applies ``keymap`` to them."""
    applied = bindings.copy()
    if keymap:
        applied.apply_keymap(keymap)
    return dict(applied.key_to_bindings)


def keys_by_binding(key_bindings: KeyBindings) -> dict[str, list[str]]:
    """Return the keys of each binding id, or action where it has none."""
    keys: dict[str, list[str]] = {}
    for key, bindings in key_bindings.items():
        for binding in bindings:
            names = keys.setdefault(binding_name(binding), [])
            if key not in names:
                names.append(key)
    return keys


def effective_keys(
    bindings: BindingsMap, keymap: dict[str, str]
) -> dict[str, list[str]]:
    """Return the keys each binding of one scope has with ``keymap`` applied."""
    return keys_by_binding(applied_bindings(bindings, keymap))


def screen_and_app_keys(
    screen_bindings: BindingsMap, app_bindings: BindingsMap, keymap: dict[str, str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return the keys that run each screen binding and each app binding on a screen.

    A key both bind runs the screen's action, unless the app's binding has priority.
    """
    screen_keys = applied_bindings(screen_bindings, keymap)
    app_keys = applied_bindings(app_bindings, keymap)
    for key in set(screen_keys) & set(app_keys):
        if any(binding.priority for binding in app_keys[key]):
            del screen_keys[key]
        else:
            del app_keys[key]
    return keys_by_binding(screen_keys), keys_by_binding(app_keys)


def app_scope(scopes: Iterable[type[DOMNode]]) -> type[DOMNode] | None:
    return next((scope for scope in scopes if issubclass(scope, App)), None)


def scope_ids(scope: type[DOMNode]) -> set[str]:
    return {
        binding.id
        for bindings in merged_bindings(scope).key_to_bindings.values()
        for binding in bindings
        if binding.id
    }


def entry_has(keys: dict[str, str], name: str, key: str) -> bool:
    """Return whether the keymap entry for ``name`` gives it ``key``."""
    return key in keys.get(name, "").split(",")


class ConflictList:
    """Conflicts collected over many scopes, one per key, winner, loser and kind."""

    def __init__(self) -> None:
        self.scopes: dict[tuple[str, str, str, str], list[str]] = {}
        self.keys_left: dict[tuple[str, str, str, str], set[str]] = {}

    def add(
        self,
        kind: str,
        key: str,
        winner: str,
        loser: str,
        scope: type[DOMNode],
        keys_left: Iterable[str],
    ) -> None:
        found = (kind, key, winner, loser)
        self.scopes.setdefault(found, []).append(area_label(scope))
        self.keys_left.setdefault(found, set()).update(keys_left)

    def conflicts(self) -> list[KeyConflict]:
        return [
            KeyConflict(
                key=key,
                winner=winner,
                loser=loser,
                scopes=tuple(sorted(set(labels))),
                keys_left=tuple(sorted(self.keys_left[kind, key, winner, loser])),
                kind=kind,
            )
            for (kind, key, winner, loser), labels in self.scopes.items()
        ]


def remove_shared_keys(
    keys: dict[str, str], scopes: list[type[DOMNode]]
) -> list[KeyConflict]:
    """Take a key from a keymap entry when an earlier entry in the file has it.

    Two entries share a key when a scope binds both, or one of them in a full
    screen and the other in the app. ``keys`` is in file order and changes in
    place. An entry left without keys is dropped, so its action keeps its own keys.
    """
    app = app_scope(scopes)
    app_ids = scope_ids(app) if app else set()
    shared: dict[tuple[str, str, str], list[type[DOMNode]]] = {}
    for scope in scopes:
        ids = scope_ids(scope)
        if is_full_screen(scope):
            ids |= app_ids
        claimed: dict[str, str] = {}
        for name in [name for name in keys if name in ids]:
            for key in keys[name].split(","):
                owner = claimed.setdefault(key, name)
                if owner != name:
                    shared.setdefault((key, owner, name), []).append(scope)
    found = ConflictList()
    for (key, winner, loser), in_scopes in shared.items():
        left = [name for name in keys.get(loser, "").split(",") if name != key]
        if left:
            keys[loser] = ",".join(left)
        else:
            keys.pop(loser, None)
        for scope in in_scopes:
            found.add("shared", key, winner, loser, scope, left)
    return found.conflicts()


def lowercase_key_names(keys: dict[str, str]) -> None:
    """Write the key names of keymap entries as Textual does, in place.

    Textual matches key names as written, and a pressed F1 is "f1", so an entry
    "F1" or "Ctrl+N" would never run. A single character keeps its case, because
    "N" is shift+n.
    """
    for name, key_list in keys.items():
        written = []
        for key in key_list.split(","):
            *modifiers, last = key.split("+")
            parts = [modifier.lower() for modifier in modifiers]
            parts.append(last if len(last) == 1 else last.lower())
            if "+".join(parts) not in written:
                written.append("+".join(parts))
        keys[name] = ",".join(written)


def screen_wide_app_keys(
    keys: dict[str, str], scopes: list[type[DOMNode]]
) -> dict[str, tuple[str, set[str]]]:
    """Return the keys that every full screen binds, most of them to an app action.

    Each key maps to the app action's binding id and the ids of all default
    bindings of the key, which keep it. F1 is such a key: it runs app.help, and closes the help
    screen itself, so no other keymap entry of a screen or of the app can have it.
    """
    screens = list(filter(is_full_screen, scopes))
    bound: dict[str, list[Binding]] = {}
    for scope in screens:
        for key, bindings in merged_bindings(scope).key_to_bindings.items():
            bound.setdefault(key, []).append(bindings[0])
    found = {}
    for key, bindings in bound.items():
        app_names = [
            binding_name(binding)
            for binding in bindings
            if binding.action.startswith("app.")
        ]
        if len(bindings) == len(screens) and len(app_names) > len(bindings) / 2:
            winner = max(set(app_names), key=app_names.count)
            if winner in keys and not entry_has(keys, winner, key):
                # The keymap gives the app action other keys, so this one is free.
                # NOTE: the screens where another binding has the key keep it.
                continue
            found[key] = (winner, {binding_name(binding) for binding in bindings})
    return found


def remove_reserved_keys(
    keys: dict[str, str], scopes: list[type[DOMNode]]
) -> list[KeyConflict]:
    """Take the keys that run an app action on every screen from keymap entries.

    Textual looks up the app's priority bindings, the command palette key among
    them, before any other binding on every screen and dialog, so such a key can
    never run another action ("reserved"). Every full screen binds F1 to help, so
    an entry with F1 would be shown next to Help and never run ("everywhere").
    ``keys`` changes in place, and an entry left without keys is dropped.
    """
    app = app_scope(scopes)
    if app is None:
        return []
    everywhere = screen_wide_app_keys(keys, scopes)
    conflicts = []
    for name in list(keys):
        kept_by = {
            key: winner
            for key, (winner, names) in everywhere.items()
            if name not in names
        }
        conflicts += drop_keys(keys, name, kept_by, "everywhere")
    # Read the priority keys once the entries above are left out, so that an app
    # entry that asked for F1 does not count as having it.
    app_ids = scope_ids(app)
    reserved = {
        key: binding_name(bindings[0])
        for key, bindings in applied_bindings(merged_bindings(app), keys).items()
        if any(binding.priority for binding in bindings)
    }
    if getattr(app, "ENABLE_COMMAND_PALETTE", False):
        # Textual adds this binding to each app object, not to the class.
        reserved.setdefault(app.COMMAND_PALETTE_BINDING, "command_palette")
    for name in [name for name in keys if name not in app_ids]:
        conflicts += drop_keys(keys, name, reserved, "reserved")
    return conflicts


def drop_keys(
    keys: dict[str, str], name: str, kept_by: dict[str, str], kind: str
) -> list[KeyConflict]:
    """Take the keys of ``kept_by`` from the entry ``name`` and return a conflict for
    each. ``kept_by`` maps a key to the binding that keeps it."""
    requested = keys[name].split(",")
    left = [key for key in requested if key not in kept_by]
    if len(left) == len(requested):
        return []
    if left:
        keys[name] = ",".join(left)
    else:
        del keys[name]
    return [
        KeyConflict(key, kept_by[key], name, (), tuple(left), kind)
        for key in requested
        if key in kept_by
    ]


def find_taken_keys(
    keys: dict[str, str], scopes: list[type[DOMNode]]
) -> list[KeyConflict]:
    """Return the default keys that keymap entries take from other actions."""
    found = ConflictList()
    for scope in scopes:
        bindings = merged_bindings(scope)
        ids = scope_ids(scope)
        after = effective_keys(bindings, keys)
        for name in [name for name in keys if name in ids]:
            for key in keys[name].split(","):
                for other in bindings.key_to_bindings.get(key, []):
                    loser = binding_name(other)
                    if loser != name and loser not in keys:
                        found.add(
                            "taken", key, name, loser, scope, after.get(loser, [])
                        )
    return found.conflicts()


def find_screen_app_clashes(
    keys: dict[str, str], scopes: list[type[DOMNode]]
) -> list[KeyConflict]:
    """Return the keys a keymap entry makes a full screen and the app both bind.

    The screen's binding runs unless the app's has priority. A winner that got the
    key from the keymap took it ("taken"). Otherwise the entry that requests the
    key does not get it on that screen ("blocked").

    The keys of a focused widget, such as a table, run before the screen's too.
    ``segtui.ui.focus_clashes`` looks for those clashes.
    """
    app = app_scope(scopes)
    if app is None:
        return []
    found = ConflictList()
    app_keys = applied_bindings(merged_bindings(app), keys)
    for scope in filter(is_full_screen, scopes):
        screen_keys = applied_bindings(merged_bindings(scope), keys)
        left_on_screen, left_in_app = screen_and_app_keys(
            merged_bindings(scope), merged_bindings(app), keys
        )
        for key in set(screen_keys) & set(app_keys):
            screen_name = binding_name(screen_keys[key][0])
            app_name = binding_name(app_keys[key][0])
            screen_entry = entry_has(keys, screen_name, key)
            app_entry = entry_has(keys, app_name, key)
            if not (screen_entry or app_entry):
                continue
            if any(binding.priority for binding in app_keys[key]):
                winner, loser, winner_entry = app_name, screen_name, app_entry
                left = left_on_screen.get(loser, [])
            else:
                winner, loser, winner_entry = screen_name, app_name, screen_entry
                left = left_in_app.get(loser, [])
            kind = "taken" if winner_entry else "blocked"
            found.add(kind, key, winner, loser, scope, left)
    return found.conflicts()


def lost_keys(conflicts: Iterable[KeyConflict]) -> dict[str, list[str]]:
    """Return the keys that each action had and lost to another action's keymap entry.

    An entry that is left out, or that does not get a key it requests, takes no
    key from its action. That action keeps its own keys, so it is not listed.
    """
    lost: dict[str, list[str]] = {}
    for conflict in conflicts:
        if conflict.kind != "taken":
            continue
        keys = lost.setdefault(conflict.loser, [])
        if conflict.key not in keys:
            keys.append(conflict.key)
    return lost


def keys_in_effect(keymap: dict[str, str]) -> dict[str, list[str]]:
    """Return the keys that run each binding id on at least one screen or widget."""
    scopes = keymap_scopes()
    app = app_scope(scopes)
    found: dict[str, list[str]] = {}
    for scope in scopes:
        if scope is app:
            # The app's keys count where a screen shows them, below.
            continue
        if app is not None and is_full_screen(scope):
            on_screen, in_app = screen_and_app_keys(
                merged_bindings(scope), merged_bindings(app), keymap
            )
            key_lists = [on_screen, in_app]
        else:
            key_lists = [effective_keys(merged_bindings(scope), keymap)]
        for key_list in key_lists:
            for name, keys in key_list.items():
                known = found.setdefault(name, [])
                known.extend(key for key in keys if key not in known)
    return found


def describe_scopes(labels: tuple[str, ...]) -> str:
    if len(labels) <= MAX_NAMED_SCOPES:
        return ", ".join(labels)
    return _("{names} and {count} more").format(
        names=", ".join(labels[:MAX_NAMED_SCOPES]),
        count=format_count(len(labels) - MAX_NAMED_SCOPES),
    )


def describe_conflict(path: Path, conflict: KeyConflict) -> str:
    """Return the warning for a key two actions share: who gets it and what to do."""
    if conflict.kind == "shared" and conflict.keys_left:
        message = _(
            "{path}: {winner} and {loser} both get {key} ({where}). The first "
            "entry, {winner}, keeps it and {loser} keeps {keys}. Give {loser} "
            "another key in {path}."
        )
    elif conflict.kind == "shared":
        message = _(
            "{path}: {winner} and {loser} both get {key} ({where}). The first "
            "entry, {winner}, keeps it, so the entry for {loser} is left out and "
            "{loser} keeps its own keys. Give {loser} another key in {path}."
        )
    elif conflict.kind == "reserved" and conflict.keys_left:
        message = _(
            "{path}: {loser} gets {key}, but {key} runs {winner} on every screen, "
            "before any other key. {loser} keeps {keys}. Give {loser} another key "
            "in {path}."
        )
    elif conflict.kind == "reserved":
        message = _(
            "{path}: {loser} gets {key}, but {key} runs {winner} on every screen, "
            "before any other key, so the entry for {loser} is left out and "
            "{loser} keeps its own keys. Give {loser} another key in {path}."
        )
    elif conflict.kind == "everywhere" and conflict.keys_left:
        message = _(
            "{path}: {loser} gets {key}, but {key} runs {winner} on every screen. "
            "{loser} keeps {keys}. Give {loser} another key in {path}."
        )
    elif conflict.kind == "everywhere":
        message = _(
            "{path}: {loser} gets {key}, but {key} runs {winner} on every screen, "
            "so the entry for {loser} is left out and {loser} keeps its own keys. "
            "Give {loser} another key in {path}."
        )
    elif conflict.kind == "focus":
        message = _(
            "{path}: {loser} gets {key}, but while {widget} has focus ({where}), "
            "{key} runs {winner} of {widget} instead. Give {loser} another key in "
            "{path}."
        )
    elif conflict.kind == "typed":
        message = _(
            "{path}: {loser} gets {key}, but while {widget} has focus ({where}), "
            "{key} is typed into it instead. Give {loser} another key in {path}."
        )
    elif conflict.kind == "focus_taken":
        message = _(
            "{path}: {winner} takes {key} in {widget}, so while {widget} has focus "
            "({where}), {key} does not run {loser}. To keep both, give one of them "
            "another key in {path}."
        )
    elif conflict.kind == "blocked":
        message = _(
            "{path}: {loser} gets {key}, but {key} runs {winner} there ({where}), "
            "because segtui looks up {winner} first there. Give {loser} another "
            "key in {path}."
        )
    elif conflict.keys_left:
        message = _(
            "{path}: {winner} takes {key}, which {loser} also has ({where}). {key} "
            "now runs {winner} there and {loser} keeps {keys}. To keep both, give "
            "one of them another key in {path}."
        )
    else:
        message = _(
            "{path}: {winner} takes {key}, which {loser} also has ({where}). {key} "
            "now runs {winner} there and {loser} has no key left there; the command "
            "palette (ctrl+p) still runs it. To keep both, give one of them another "
            "key in {path}."
        )
    return message.format(
        path=path,
        key=conflict.key,
        winner=conflict.winner,
        loser=conflict.loser,
        where=describe_scopes(conflict.scopes),
        keys=", ".join(conflict.keys_left),
        widget=conflict.widget,
    )


@dataclass(frozen=True)
class WarningNotice:
    """The one notification that shows the keymap file's warnings when segtui starts."""

    title: str
    message: str
    timeout: float


def wrapped_lines(text: str, width: int) -> int:
    return sum(
        max(1, len(textwrap.wrap(paragraph, width))) for paragraph in text.split("\n")
    )


def warning_title(count: int) -> str:
    return ngettext(
        "{count} warning about the keymap file",
        "{count} warnings about the keymap file",
        count,
    ).format(count=format_count(count))


def warning_notice(
    problems: list[str], width: int, height: int, path: Path | None = None
) -> WarningNotice:
    """Return one short notification for the keymap warnings found at start.

    The title gives the number of warnings. The body is the first warning, cut to
    an eighth of the screen's height in lines, and a line that names ``path`` and
    points to ``segtui keys`` for all warnings. The notice so leaves most of an
    80x24 screen and the F1 key visible. The first warning drops its leading
    "``path``: ", because the last line names the file.
    """
    text_width = max(10, min(TOAST_WIDTH, width // 2) - TOAST_SIDE_CELLS)
    max_lines = max(2, height // 8)
    first = problems[0] if problems else ""
    if path is not None:
        first = first.removeprefix(f"{path}: ")
    lines = textwrap.wrap(first, text_width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = textwrap.shorten(lines[-1] + " ~", text_width, placeholder=" ~")
    if path is None:
        pointer = _("Run segtui keys to list all warnings and the keys in effect.")
    else:
        pointer = _(
            "{path}: run segtui keys to list all warnings and the keys in effect."
        ).format(path=path)
    message = " ".join(lines) + "\n" + pointer
    return WarningNotice(warning_title(len(problems)), message, WARNING_SECONDS)


def load_keymap(path: Path) -> Keymap:
    """Read the user's keymap file and settle the keys it gives more than one action.

    A keymap entry wins a key over an action that has it by default, which then
    loses that key where both are bound. Of two entries with the same key, the
    first in the file wins. Between a screen and the app Textual's order decides.
    Each case is named in ``problems``.
    """
    from segtui.ui.catalog import binding_catalog

    keymap = read_keymap(path, (entry.id for entry in binding_catalog()))
    if not keymap.keys:
        return keymap
    lowercase_key_names(keymap.keys)
    scopes = keymap_scopes()
    keymap.conflicts = remove_reserved_keys(keymap.keys, scopes)
    keymap.conflicts += remove_shared_keys(keymap.keys, scopes)
    keymap.conflicts += find_taken_keys(keymap.keys, scopes)
    keymap.conflicts += find_screen_app_clashes(keymap.keys, scopes)
    keymap.problems += [
        describe_conflict(path, conflict) for conflict in keymap.conflicts
    ]
    return keymap
