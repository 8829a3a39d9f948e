"""Translation of user-facing text through gettext.

Catalogs live in ``segtui/locale``; without a catalog for the chosen language the
English text is used as written.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.translation(
    "segtui", localedir=LOCALE_DIR, fallback=True
)


def set_language(language: str | None) -> None:
    """Switch the user interface language, for example to ``de``; None uses LANG."""
    global _translation
    languages = [language] if language else None
    _translation = gettext.translation(
        "segtui", localedir=LOCALE_DIR, languages=languages, fallback=True
    )


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)
