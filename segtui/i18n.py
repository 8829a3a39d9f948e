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


def _catalog_language(languages: list[str] | None) -> str:
    """Return the language of the catalog gettext picks, or ``en`` when it has none.

    With ``languages`` None, gettext reads LANGUAGE, LC_ALL, LC_MESSAGES and LANG.
    """
    found = gettext.find("segtui", localedir=LOCALE_DIR, languages=languages)
    return Path(found).parent.parent.name if found else "en"


_language = _catalog_language(None)


def set_language(language: str | None) -> None:
    """Switch the user interface language, for example to ``de``; None uses LANG."""
    global _translation, _language
    languages = [language] if language else None
    _translation = gettext.translation(
        "segtui", localedir=LOCALE_DIR, languages=languages, fallback=True
    )
    _language = _catalog_language(languages)


def language() -> str:
    """Return the language of the user interface text, such as ``de`` or ``en``."""
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    """Translate a counted message that needs another wording in ``context``.

    German "used by 2 segments" needs the dative "von 2 Segmenten", while a count
    on its own reads "2 Segmente".
    """
    return _translation.npgettext(context, singular, plural, count)


def inside_sentence(label: str) -> str:
    """Return a label as it reads inside a sentence of the user interface language.

    English lowercases a label such as "Mailing group" there; German keeps the
    capital, since its nouns are always capitalised.
    """
    return label if _language == "de" else label.lower()


def pgettext(context: str, message: str) -> str:
    """Translate a message that needs another word in another ``context``.

    "Cancel" is "Abbrechen" on a dialog button but "Stornieren" for a logged segment.
    """
    return _translation.pgettext(context, message)


def format_count(value: int) -> str:
    """Return a count with the language's thousands separators: 12.345 or 12,345.

    A fraction is rounded half to even, which gives the same text as Babel's "#,##0"
    for the locales de and en. Babel is not used because its first call loads the
    locale data, which took about 25 ms with Babel 2.19 and Python 3.11 and delayed
    the count on the first screen.
    """
    text = f"{round(value):,}"
    return text.replace(",", ".") if _language == "de" else text
