"""Keys of the user's keymap file that a focused widget takes before the screen.

Textual looks up the focused widget's keys, then those of its containers, before
the screen's and the app's, unless the app's have priority. A text field also
takes the printable keys it types. So a key that a keymap entry gives a screen's
action may never run it while a table or a text field has focus.

The widgets that take focus on each screen are listed in ``FOCUS_TARGETS``, so that
``segtui keys`` finds these clashes without opening a screen. The TUI reads the
widgets of the screen it shows instead, and both run ``focus_clashes``, so a clash
reads the same in both. A test opens the screens and checks the table against them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass

from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widget import Widget

from segtui.i18n import _
from segtui.ui.keymap import (
    app_scope,
    binding_name,
    effective_keys,
    entry_has,
    is_full_screen,
    keymap_scopes,
    merged_bindings,
    screen_and_app_keys,
)
from segtui.ui.keys import KeyConflict, area_label


@dataclass(frozen=True)
class FocusTarget:
    """A widget that can take focus on a screen, as the classes whose keys run first.

    ``widgets`` names classes as "module.QualifiedName": the focused widget, then
    each container between it and the screen that has bindings. ``typing`` is
    whether one of them takes printable keys as text, as an editable text field does.
    """

    widgets: tuple[str, ...]
    typing: bool = False


def class_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def class_by_name(name: str) -> type:
    module, _dot, qualname = name.rpartition(".")
    return getattr(importlib.import_module(module), qualname)


def has_bindings(node: DOMNode) -> bool:
    return bool(node._bindings.key_to_bindings)


def focus_target(widget: Widget, screen: Screen[object]) -> FocusTarget:
    """Return the target of ``widget``: it and its containers below ``screen``."""
    chain: list[DOMNode] = []
    node: DOMNode | None = widget
    while node is not None and node is not screen:
        chain.append(node)
        node = node.parent
    classes = [type(widget)]
    classes += [type(node) for node in chain[1:] if has_bindings(node)]
    # Input, an editable TextArea and a Select's list take every printable key,
    # and a read-only TextArea none, so testing one letter is enough.
    typing = any(node.check_consume_key("a", "a") for node in chain)
    return FocusTarget(tuple(map(class_name, classes)), typing)


def focus_targets(screen: Screen[object]) -> set[FocusTarget]:
    """Return the targets of the widgets that can take focus on ``screen`` now."""
    return {
        focus_target(widget, screen)
        for widget in screen.query(Widget)
        if widget.can_focus
    }


def widget_label(widget: type) -> str:
    """Return a name for a kind of widget that a warning can use."""
    from textual.widgets import (
        Button,
        Checkbox,
        DataTable,
        Input,
        OptionList,
        RadioSet,
        Select,
        Switch,
        TextArea,
    )

    labels: list[tuple[tuple[type, ...], str]] = [
        ((DataTable,), _("a table")),
        ((Input, TextArea), _("a text field")),
        ((Select,), _("a drop-down list")),
        ((OptionList, RadioSet), _("a list")),
        ((Button,), _("a button")),
        ((Checkbox, Switch), _("a check box")),
    ]
    for types, label in labels:
        if issubclass(widget, types):
            return label
    return widget.__name__


def priority_keys(app: type[DOMNode]) -> set[str]:
    """Return the keys the app looks up before any screen or widget does."""
    keys = {
        key
        for key, bindings in merged_bindings(app).key_to_bindings.items()
        if any(binding.priority for binding in bindings)
    }
    if getattr(app, "ENABLE_COMMAND_PALETTE", False):
        # Textual adds this binding to each app object, not to the class.
        keys.add(app.COMMAND_PALETTE_BINDING)
    return keys


def requested_keys(
    screen: type[DOMNode], app: type[DOMNode], keymap: dict[str, str]
) -> dict[str, tuple[str, bool]]:
    """Return the keys keymap entries give to actions of ``screen`` and the app.

    Each key maps to the binding that runs it when no widget takes it first, and
    whether a keymap entry requested it for that binding.
    """
    screen_keys: dict[str, list[str]]
    app_keys: dict[str, list[str]]
    if is_full_screen(screen):
        screen_keys, app_keys = screen_and_app_keys(
            merged_bindings(screen), merged_bindings(app), keymap
        )
    else:
        screen_keys = effective_keys(merged_bindings(screen), keymap)
        app_keys = {}
    priority = priority_keys(app)
    found: dict[str, tuple[str, bool]] = {}
    for key_list in (screen_keys, app_keys):
        for name, keys in key_list.items():
            for key in keys:
                if key not in priority:
                    found.setdefault(key, (name, entry_has(keymap, name, key)))
    return found


def typed_key(key: str) -> bool:
    character = key_to_character(key)
    return character is not None and character.isprintable()


def focus_clashes(
    screen: type[DOMNode],
    app: type[DOMNode],
    targets: Iterable[FocusTarget],
    keymap: dict[str, str],
) -> list[KeyConflict]:
    """Return keys that a focused widget takes from a screen's remapped actions.

    Each target is checked against the keys of keymap entries: "focus" when a
    widget's binding runs instead, "typed" when a text field types the key, and
    "focus_taken" when an entry for the widget's binding takes the screen's key.
    """
    if not keymap:
        return []
    requested = requested_keys(screen, app, keymap)
    found: dict[tuple[str, str, str, str], KeyConflict] = {}
    where = (area_label(screen),)
    for target in sorted(targets, key=lambda target: target.widgets):
        classes = [class_by_name(name) for name in target.widgets]
        label = widget_label(classes[0])
        for key, (name, from_entry) in requested.items():
            for cls in classes:
                node_bindings = merged_bindings(cls).key_to_bindings.get(key, [])
                if node_bindings:
                    winner = binding_name(node_bindings[0])
                    if winner == name:
                        break
                    if entry_has(keymap, winner, key):
                        kind, won, lost = "focus_taken", winner, name
                    elif from_entry:
                        kind, won, lost = "focus", winner, name
                    else:
                        break
                elif from_entry and target.typing and typed_key(key):
                    kind, won, lost = "typed", "", name
                else:
                    continue
                found.setdefault(
                    (kind, key, lost, label),
                    KeyConflict(key, won, lost, where, (), kind, label),
                )
                break
    return list(found.values())


def find_focus_clashes(
    screen: Screen[object], keymap: dict[str, str]
) -> list[KeyConflict]:
    """Return the focus clashes of ``screen`` with the widgets it shows now."""
    if not keymap:
        return []
    return focus_clashes(type(screen), type(screen.app), focus_targets(screen), keymap)


def find_listed_focus_clashes(keymap: dict[str, str]) -> list[KeyConflict]:
    """Return the focus clashes of every screen in ``FOCUS_TARGETS``.

    A clash found on several screens is returned once, naming all of them.
    """
    app = app_scope(keymap_scopes())
    if not keymap or app is None:
        return []
    scopes: dict[KeyConflict, set[str]] = {}
    for screen_name, targets in FOCUS_TARGETS.items():
        screen = class_by_name(screen_name)
        for conflict in focus_clashes(screen, app, targets, keymap):
            plain = KeyConflict(
                conflict.key,
                conflict.winner,
                conflict.loser,
                (),
                (),
                conflict.kind,
                conflict.widget,
            )
            scopes.setdefault(plain, set()).update(conflict.scopes)
    return [
        KeyConflict(
            conflict.key,
            conflict.winner,
            conflict.loser,
            tuple(sorted(labels)),
            (),
            conflict.kind,
            conflict.widget,
        )
        for conflict, labels in scopes.items()
    ]


# The widgets that can take focus on each screen and dialog, by the screen's class
# name. tests/test_focus_targets.py opens each screen and fails, showing the entry
# to write here, when a screen's widgets change.
# NOTE: a screen that test does not open, such as the contact card or the import
# dialogs, is missing here. `segtui keys` does not list its clashes, but the TUI
# still warns about them when the screen opens.
SCROLL = "textual.containers.VerticalScroll"
ROW_TABLE = "segtui.ui.widgets.virtual_table.RowTable"
WINDOW_TABLE = "segtui.ui.widgets.virtual_table.WindowTable"
BUTTON = "textual.widgets._button.Button"
SELECT = "textual.widgets._select.Select"
SELECT_OVERLAY = "textual.widgets._select.SelectOverlay"
TYPEAHEAD_INPUT = "segtui.ui.widgets.typeahead.TypeAheadInput"
TICK = "segtui.ui.widgets.tick.Tick"
INPUT = "textual.widgets._input.Input"
TEXT_AREA = "textual.widgets._text_area.TextArea"
OPTION_LIST = "textual.widgets._option_list.OptionList"
MATCH_LIST = "segtui.ui.widgets.contact_lookup.MatchList"
LOOKUP_INPUT = "segtui.ui.widgets.contact_lookup.LookupInput"
SCREENS = "segtui.ui.screens."

FOCUS_TARGETS: dict[str, tuple[FocusTarget, ...]] = {
    SCREENS + "campaigns.CampaignListScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "code_tables.BusinessRelationScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "code_tables.IndustryGroupScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "code_tables.JobResponsibilityScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "code_tables.MailingGroupScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "code_tables.QuestionnaireScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "code_tables.TerritoryScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "contacts.ContactListScreen": (
        FocusTarget((TYPEAHEAD_INPUT,), typing=True),
        FocusTarget((WINDOW_TABLE,)),
    ),
    SCREENS + "criteria.AddContactsScreen": (
        FocusTarget((TICK, SCROLL)),
        FocusTarget((TYPEAHEAD_INPUT, SCROLL), typing=True),
        FocusTarget((BUTTON,)),
    ),
    SCREENS + "criteria.ReduceContactsScreen": (
        FocusTarget((TICK, SCROLL)),
        FocusTarget((TYPEAHEAD_INPUT, SCROLL), typing=True),
        FocusTarget((BUTTON,)),
    ),
    SCREENS + "criteria.RefineContactsScreen": (
        FocusTarget((TICK, SCROLL)),
        FocusTarget((TYPEAHEAD_INPUT, SCROLL), typing=True),
        FocusTarget((BUTTON,)),
    ),
    SCREENS + "criteria_list.CriteriaListScreen": (FocusTarget((OPTION_LIST,)),),
    SCREENS + "dialogs.ConfirmDialog": (
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
    ),
    SCREENS + "dialogs.MessageDialog": (
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
    ),
    SCREENS + "help.HelpScreen": (FocusTarget((SCROLL,)),),
    SCREENS + "history.InteractionHistoryScreen": (FocusTarget((WINDOW_TABLE,)),),
    SCREENS + "letter_dialogs.LetterPreviewDialog": (
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
        FocusTarget((SCREENS + "letter_dialogs.LetterText", SCROLL)),
    ),
    SCREENS + "line_dialog.LineDialog": (
        FocusTarget((TYPEAHEAD_INPUT, SCROLL), typing=True),
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
        FocusTarget((SELECT, SCROLL)),
        FocusTarget((SELECT_OVERLAY, SELECT, SCROLL), typing=True),
        FocusTarget((TEXT_AREA, SCROLL), typing=True),
    ),
    SCREENS + "logged.LoggedSegmentListScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "logged.LoggedSegmentScreen": (FocusTarget((WINDOW_TABLE,)),),
    SCREENS + "menu.GoToDialog": (
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
        FocusTarget((OPTION_LIST, SCROLL)),
    ),
    SCREENS + "saved_criteria.SavedCriteriaScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "segment_dialogs.HeaderDialog": (
        FocusTarget((TICK, SCROLL)),
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
        FocusTarget((INPUT, SCROLL), typing=True),
        FocusTarget((SELECT, SCROLL)),
        FocusTarget((SELECT_OVERLAY, SELECT, SCROLL), typing=True),
    ),
    SCREENS + "segment_dialogs.InsertLineDialog": (
        FocusTarget((LOOKUP_INPUT, SCROLL), typing=True),
        FocusTarget((MATCH_LIST, SCROLL)),
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
    ),
    SCREENS + "segment_dialogs.LogDialog": (
        FocusTarget((TICK, SCROLL)),
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
        FocusTarget((INPUT, SCROLL), typing=True),
    ),
    SCREENS + "segment_dialogs.NewSegmentDialog": (
        FocusTarget((SCROLL,)),
        FocusTarget((BUTTON,)),
        FocusTarget((INPUT, SCROLL), typing=True),
        FocusTarget((SELECT, SCROLL)),
        FocusTarget((SELECT_OVERLAY, SELECT, SCROLL), typing=True),
    ),
    SCREENS + "segments.SegmentListScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "setup_screens.InteractionGroupListScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "setup_screens.LanguageListScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "setup_screens.SalespersonListScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "setup_screens.SalutationListScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "setup_screens.SmtpSettingsScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "templates.TemplateListScreen": (FocusTarget((ROW_TABLE,)),),
    SCREENS + "worksheet.WorksheetScreen": (FocusTarget((WINDOW_TABLE,)),),
}
