"""Every key binding segtui defines, found by importing all of its screens."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode

import segtui.ui
from segtui.ui.keys import NamedBindings


@dataclass(frozen=True)
class BindingEntry:
    """One binding id with its keys, description and tooltip."""

    id: str
    keys: str
    description: str
    tooltip: str
    owner: str


def import_all_screens() -> None:
    """Import every module of the TUI, so that every class with bindings exists."""
    for module in pkgutil.walk_packages(segtui.ui.__path__, "segtui.ui."):
        importlib.import_module(module.name)


def binding_classes() -> list[type[DOMNode]]:
    """Return the segtui classes that define bindings, after importing them all."""
    import_all_screens()
    found: list[type[DOMNode]] = []
    pending: list[type] = [NamedBindings]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if issubclass(cls, DOMNode) and cls.__dict__.get("BINDINGS"):
            found.append(cls)
    return sorted(set(found), key=lambda cls: (cls.__module__, cls.__qualname__))


def binding_catalog() -> list[BindingEntry]:
    """Return one entry per binding id; bindings sharing an id list all their keys."""
    entries: dict[str, BindingEntry] = {}
    for cls in binding_classes():
        for binding in cls.__dict__["BINDINGS"]:
            if not isinstance(binding, Binding) or binding.id is None:
                continue
            known = entries.get(binding.id)
            keys = binding.key if known is None else f"{known.keys},{binding.key}"
            entries[binding.id] = BindingEntry(
                id=binding.id,
                keys=keys,
                description=binding.description,
                tooltip=binding.tooltip,
                owner=f"{cls.__module__}.{cls.__qualname__}",
            )
    return sorted(entries.values(), key=lambda entry: entry.id)
