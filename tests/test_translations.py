"""German: every message has a translation that keeps its placeholders, and the
language is chosen by LANG or --lang, on screen and in the command line help."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import segtui
from segtui import i18n
from segtui.entry import language_option

PACKAGE = Path(segtui.__file__).parent
CATALOG = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "segtui.po"
COMPILED = CATALOG.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def source_messages() -> set[tuple[str, str | None]]:
    """Return every message the source marks for translation, with its context.

    A plural message is named by its singular.
    """
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add((message if isinstance(message, str) else message[0], context))
    return found


def read_catalog():
    with CATALOG.open("rb") as file:
        return read_po(file, locale="de")


def test_every_message_translated() -> None:
    catalog = read_catalog()
    missing = []
    for message, context in sorted(source_messages(), key=str):
        entry = catalog.get(message, context=context)
        strings = [] if entry is None else entry.string
        if isinstance(strings, str):
            strings = [strings]
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(message)
    assert missing == [], (
        f"{len(missing)} messages lack a German translation; run "
        f"scripts/update-translations and translate them in {CATALOG}: {missing[:10]}"
    )


def test_no_obsolete_messages() -> None:
    """The catalog keeps no messages the source dropped.

    An obsolete entry with the msgid of a current one makes GNU msgfmt reject the
    catalog as a duplicate definition.
    """
    obsolete = list(read_catalog().obsolete)
    assert obsolete == [], (
        f"{len(obsolete)} obsolete messages in {CATALOG}; run "
        f"scripts/update-translations, which drops them: {obsolete[:10]}"
    )


def test_translations_keep_placeholders() -> None:
    for entry in read_catalog():
        if not entry.id or not entry.string:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else entry.string
        if not any(strings):
            continue
        # German has two plural forms: the first matches the singular, the second
        # the plural.
        for index, string in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            expected = set(PLACEHOLDER.findall(source))
            assert set(PLACEHOLDER.findall(string)) == expected, (entry.id, string)


def test_compiled_catalog_current() -> None:
    """The .mo file shipped in the package matches the .po file it is built from."""

    def translated(catalog) -> dict[object, object]:
        # Plural ids and strings come as lists from one reader and tuples from the
        # other, so both are compared as tuples.
        def frozen(value: object) -> object:
            return value if isinstance(value, str) else tuple(value)

        return {
            (frozen(entry.id), entry.context): frozen(entry.string)
            for entry in catalog
            if entry.id and entry.string and not entry.fuzzy
        }

    with COMPILED.open("rb") as file:
        compiled = read_mo(file)
    assert translated(compiled) == translated(read_catalog())


@pytest.mark.parametrize(
    ("arguments", "language"),
    [
        (["--lang", "de", "segment", "list"], "de"),
        (["--lang=DE"], "DE"),
        (["segment", "list"], None),
        (["segment", "--", "--lang", "de"], None),
    ],
)
def test_language_option_cases(arguments: list[str], language: str | None) -> None:
    assert language_option(arguments) == language


def run_segtui(*arguments: str, **environment: str) -> str:
    env = {key: value for key, value in os.environ.items() if key != "LANGUAGE"}
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-m", "segtui", *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout


def test_cli_help_german_by_option() -> None:
    english = run_segtui("segment", "--help", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    german = run_segtui(
        "--lang", "de", "segment", "--help", LANG="C.UTF-8", LC_ALL="C.UTF-8"
    )
    assert "Create a segment" in english
    assert german != english
    assert "Create a segment" not in german


def test_cli_help_german_by_lang() -> None:
    english = run_segtui("--help", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    german = run_segtui("--help", LANG="de_DE.UTF-8", LC_ALL="")
    assert german != english


def test_messages_follow_language() -> None:
    try:
        i18n.set_language("de")
        german = i18n._("A segment needs a description; type one and try again.")
        i18n.set_language("en")
        english = i18n._("A segment needs a description; type one and try again.")
    finally:
        i18n.set_language("en")
    assert english == "A segment needs a description; type one and try again."
    assert german != english


def test_labels_inside_sentences() -> None:
    """English lowercases a label inside a sentence; German keeps noun capitals."""
    try:
        i18n.set_language("de")
        german = i18n.inside_sentence("Mailing group")
    finally:
        i18n.set_language("en")
    assert german == "Mailing group"
    assert i18n.inside_sentence("Mailing group") == "mailing group"


def test_click_texts_in_german() -> None:
    """Click's own headings and errors follow the chosen language too."""
    german = run_segtui("--lang", "de", "segment", "--help")
    assert "Aufruf:" in german
    assert "Optionen" in german
    assert "Usage:" not in german


def test_no_translation_inside_fstrings() -> None:
    """The extractor cannot see a message inside an f-string, so it goes untranslated."""
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in KEYWORDS
                ):
                    hidden.append(f"{path.relative_to(PACKAGE)}:{inner.lineno}")
    assert hidden == []


def test_english_texts_name_keys_as_printed() -> None:
    """English texts write Ctrl+S, Shift+Tab and Esc, as the key caps, F1 help and
    the footer do.

    Texts that show how to write a key in keys.toml keep its syntax (ctrl+n).
    """
    wrong = []
    for message, _context in source_messages():
        if '"ctrl+n' in message or "{key}" in message:
            continue
        if re.search(r"\b(ctrl|shift)\+\w|\bEscape\b", message):
            wrong.append(message)
    assert sorted(wrong) == []
