"""Every F1 help text of a screen or dialog, and of each yes/no question, reads in
German when the interface is German, and the German names keys as the glossary does.

The help texts are found in the source: class attributes named HELP or ending in
_HELP, ``help=`` arguments, and variables named ``*_help`` that those use.
"""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

import segtui
from segtui import i18n

UI_PACKAGE = Path(segtui.__file__).parent / "ui"
CATALOG = i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "segtui.po"
# N_ marks a message that is translated where it is shown.
TRANSLATING = {"_", "N_", "pgettext", "ngettext"}


@dataclass(frozen=True)
class HelpMessage:
    where: str
    message: str
    context: str | None = None


def is_help_name(name: str) -> bool:
    return name == "HELP" or name.endswith("_HELP") or name.endswith("_help")


def assigned_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Assign):
        return [target.id for target in node.targets if isinstance(target, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


class HelpFinder:
    """Collect the messages of the help texts of one module, and the help texts that
    are not built from translated messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.messages: list[HelpMessage] = []
        self.untranslated: list[str] = []
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(UI_PACKAGE.parent)}:{node.lineno}"

    def scope(self, node: ast.AST) -> ast.AST:
        """Return the function, class or module whose variables ``node`` reads."""
        current = self.parents.get(node)
        while current is not None and not isinstance(
            current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)
        ):
            current = self.parents.get(current)
        return current or self.tree

    def values_of(self, name: ast.Name) -> list[ast.expr]:
        """Return what the name is assigned in its scope, or in the module."""
        for scope in (self.scope(name), self.tree):
            values = [
                node.value
                for node in ast.walk(scope)
                if name.id in assigned_names(node) and node.value is not None
            ]
            if values:
                return values
        return []

    def imported(self, name: str) -> bool:
        """Return whether the module imports ``name`` from segtui, where a help
        constant such as FILTER_HELP is checked as it is assigned."""
        return any(
            isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("segtui.")
            and any(alias.name == name for alias in node.names)
            for node in ast.walk(self.tree)
        )

    def add(self, node: ast.expr, seen: frozenset[int] = frozenset()) -> None:
        if id(node) in seen:
            return
        seen = seen | {id(node)}
        if isinstance(node, ast.Call):
            self.add_call(node, seen)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            self.add(node.left, seen)
            self.add(node.right, seen)
        elif isinstance(node, ast.Tuple):
            for element in node.elts:
                self.add(element, seen)
        elif isinstance(node, ast.IfExp):
            self.add(node.body, seen)
            self.add(node.orelse, seen)
        elif isinstance(node, ast.Name):
            values = self.values_of(node)
            if not values and not self.imported(node.id):
                self.untranslated.append(f"{self.where(node)} {node.id}")
            for value in values:
                self.add(value, seen)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # Separators such as "\n\n" join translated parts; words must be
            # translated.
            if any(character.isalpha() for character in node.value):
                self.untranslated.append(f"{self.where(node)} {node.value[:50]!r}")
        elif isinstance(node, ast.Attribute):
            # Another class's HELP, such as FormDialog.HELP, is checked where it is
            # assigned.
            if not is_help_name(node.attr):
                self.untranslated.append(f"{self.where(node)} {ast.unparse(node)}")
        else:
            self.untranslated.append(f"{self.where(node)} {ast.unparse(node)[:60]}")

    def add_call(self, node: ast.Call, seen: frozenset[int]) -> None:
        function = node.func
        if isinstance(function, ast.Name) and function.id in TRANSLATING:
            arguments = [
                argument.value
                for argument in node.args
                if isinstance(argument, ast.Constant)
            ]
            if function.id == "pgettext" and len(arguments) == 2:
                self.messages.append(
                    HelpMessage(self.where(node), arguments[1], arguments[0])
                )
            elif arguments:
                self.messages.append(HelpMessage(self.where(node), arguments[0]))
            # Otherwise a message marked elsewhere, such as _(command.help) for the
            # N_-marked help of Textual's commands, is translated as it is shown.
        elif isinstance(function, ast.Attribute) and function.attr in (
            "format",
            "strip",
        ):
            # _("... {key} ...").format(key=...) translates before it fills in.
            self.add(function.value, seen)
        elif isinstance(function, ast.Attribute) and function.attr == "join":
            for argument in node.args:
                self.add(argument, seen)
        else:
            # A function that builds a help text: its returns are checked instead.
            self.add_function_returns(node)

    def add_function_returns(self, node: ast.Call) -> None:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        functions = [
            definition
            for definition in ast.walk(self.tree)
            if isinstance(definition, ast.FunctionDef) and definition.name == name
        ]
        if not functions:
            self.untranslated.append(f"{self.where(node)} {ast.unparse(node)[:60]}")
        for function in functions:
            for statement in ast.walk(function):
                if isinstance(statement, ast.Return) and statement.value is not None:
                    self.add(statement.value)

    def find(self) -> None:
        for node in ast.walk(self.tree):
            is_assignment = isinstance(node, (ast.Assign, ast.AnnAssign))
            if is_assignment and node.value is not None:
                names = assigned_names(node)
                if any(is_help_name(name) for name in names):
                    self.add(node.value)
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "help":
                        self.add(keyword.value)


def help_texts() -> tuple[list[HelpMessage], list[str]]:
    messages: list[HelpMessage] = []
    untranslated: list[str] = []
    for path in sorted(UI_PACKAGE.rglob("*.py")):
        finder = HelpFinder(path)
        finder.find()
        messages.extend(finder.messages)
        untranslated.extend(finder.untranslated)
    return messages, untranslated


def german() -> gettext.NullTranslations:
    return gettext.translation("segtui", localedir=i18n.LOCALE_DIR, languages=["de"])


def test_help_texts_found() -> None:
    """The scan finds the help of the screens and of the questions it must cover."""
    messages, _untranslated = help_texts()
    found = {help_message.message[:40] for help_message in messages}
    assert "No filter is set, so yes removes every l" in found
    assert "Yes saves the header and gives every lin" in found
    assert "Yes creates a new segment with the conta" in found
    assert "Show only the interaction log entries th" in found
    assert len(messages) > 100


def test_help_texts_built_from_messages() -> None:
    """A help text made of words outside _() can never be translated."""
    _messages, untranslated = help_texts()
    assert untranslated == []


def test_help_texts_german() -> None:
    catalog = german()
    english = []
    for help_message in help_texts()[0]:
        if help_message.context is None:
            translated = catalog.gettext(help_message.message)
        else:
            translated = catalog.pgettext(help_message.context, help_message.message)
        if translated == help_message.message:
            english.append(f"{help_message.where} {help_message.message[:60]!r}")
    assert english == []


def test_german_names_go_back_as_its_key() -> None:
    """Go Back is "Rückgängig" in German, as its key; "Zurück" is Esc's label."""
    with CATALOG.open("rb") as file:
        catalog = read_po(file, locale="de")
    wrong = []
    for entry in catalog:
        source = entry.id if isinstance(entry.id, str) else " ".join(entry.id)
        if "Go Back" not in source:
            continue
        strings = [entry.string] if isinstance(entry.string, str) else entry.string
        for string in strings:
            if "Zurück" in string or "Rückgängig" not in string:
                wrong.append(string)
    assert wrong == []
