"""The ``segtui`` program: choose the language, then run the command line.

Command help texts are translated when their modules are imported, so ``--lang``
has to take effect before segtui.cli is imported.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from segtui.i18n import set_language


def language_option(arguments: Sequence[str]) -> str | None:
    """Return the value of ``--lang`` among the arguments, or None."""
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument.startswith("--lang="):
            return argument.split("=", 1)[1]
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
    return None


def main() -> None:
    language = language_option(sys.argv[1:])
    if language:
        set_language(language.lower())
    from segtui.cli import main as run_cli

    run_cli()
