"""Click's own help and error texts, translated through segtui's catalog.

Click marks these texts for gettext but looks them up in the process-wide default
domain, where segtui has no catalog. ``translate_click`` points click's modules at
segtui's translation functions; the list below lets the extractor find the texts.

Click does not mark its metavars, the placeholders such as ``[OPTIONS]``, ``TEXT``
or ``FILE`` in usage lines, help and errors, nor the metavars segtui's commands
give. ``translate_click`` also wraps the click methods that build them, so every
upper case word of a metavar is looked up under the context "metavar".
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from typing import Any

from segtui import i18n
from segtui.domain.dates import date_hint
from segtui.i18n import ngettext, pgettext


def N_(message: str) -> str:
    """Mark a text for the extractor; it is translated where click shows it."""
    return message


CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("Option {name!r} does not take a value."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("Do you want to continue?"),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
)


def _click_plurals() -> None:
    """List click's plural texts for the extractor; never called."""
    ngettext(
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
        1,
    )
    ngettext(
        "Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1
    )
    ngettext(
        "Option {name!r} requires an argument.",
        "Option {name!r} requires {nargs} arguments.",
        1,
    )
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext(
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
        1,
    )


# A placeholder word of a metavar: FILE, ENTRY_NO, and the two words of click's type
# name "INTEGER RANGE". Lower case parts, such as the values of a choice, the
# ".docx" of FILE.docx and the format of click.DateTime, are values to type as
# shown and stay as they are.
METAVAR_WORD = re.compile(r"\b[A-Z][A-Z0-9_]*(?: RANGE)?\b")


def _metavar_words() -> None:
    """List the metavar words for the extractor; never called.

    The first group comes from click: its usage line and the names of its
    parameter types. The rest are the metavars of segtui's own commands.
    """
    pgettext("metavar", "OPTIONS")
    pgettext("metavar", "COMMAND")
    pgettext("metavar", "ARGS")
    pgettext("metavar", "TEXT")
    pgettext("metavar", "INTEGER")
    pgettext("metavar", "INTEGER RANGE")
    pgettext("metavar", "FLOAT")
    pgettext("metavar", "FLOAT RANGE")
    pgettext("metavar", "BOOLEAN")
    pgettext("metavar", "FILENAME")
    pgettext("metavar", "FILE")
    pgettext("metavar", "DIRECTORY")
    pgettext("metavar", "PATH")
    pgettext("metavar", "ADDRESS")
    pgettext("metavar", "AMOUNT")
    pgettext("metavar", "CODE")
    pgettext("metavar", "CONTACT_NO")
    pgettext("metavar", "DATE")
    pgettext("metavar", "DESCRIPTION")
    pgettext("metavar", "ENTRY_NO")
    pgettext("metavar", "EXPR")
    pgettext("metavar", "FIELD")
    pgettext("metavar", "FLOW")
    pgettext("metavar", "FOLDER")
    pgettext("metavar", "KEY")
    pgettext("metavar", "KIND")
    pgettext("metavar", "LANGUAGE")
    pgettext("metavar", "LINE_NO")
    pgettext("metavar", "LOGIN")
    pgettext("metavar", "MERGE_FIELD")
    pgettext("metavar", "MINUTES")
    pgettext("metavar", "NO")
    pgettext("metavar", "SALUTATION")
    pgettext("metavar", "SEG")
    pgettext("metavar", "SOURCE_URL")
    pgettext("metavar", "TABLE")
    pgettext("metavar", "TARGET_URL")
    pgettext("metavar", "TYPE")
    pgettext("metavar", "VALUE")
    pgettext("metavar", "WHO")
    pgettext("metavar", "YES|NO")


def translate_metavar(metavar: str) -> str:
    """Return a metavar in the user interface language: [OPTIONS] as [OPTIONEN].

    The ISO date form YYYY-MM-DD becomes the form dates are typed in, which is
    DD.MM.YYYY in German.
    """
    metavar = metavar.replace("YYYY-MM-DD", date_hint())
    # The metavar NO is a number (contacts show NO), but in YES|NO it is the word
    # no, so YES|NO is translated as a whole first.
    metavar = metavar.replace("YES|NO", pgettext("metavar", "YES|NO"))
    return METAVAR_WORD.sub(lambda word: pgettext("metavar", word.group()), metavar)


def _translated_metavar(
    make_metavar: Callable[..., str],
) -> Callable[..., str]:
    @functools.wraps(make_metavar)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        return translate_metavar(make_metavar(*args, **kwargs))

    wrapper.segtui_translated = True  # type: ignore[attr-defined]
    return wrapper


def _translated_usage_pieces(
    collect_usage_pieces: Callable[..., list[str]],
) -> Callable[..., list[str]]:
    """Translate the pieces a command adds to its usage line itself.

    Those are ``options_metavar`` and a group's ``subcommand_metavar``. The
    parameters' pieces come from make_metavar, translated already.
    """

    @functools.wraps(collect_usage_pieces)
    def wrapper(command: Any, ctx: Any) -> list[str]:
        own_pieces = {
            command.options_metavar,
            getattr(command, "subcommand_metavar", None),
        }
        return [
            translate_metavar(piece) if piece in own_pieces else piece
            for piece in collect_usage_pieces(command, ctx)
        ]

    wrapper.segtui_translated = True  # type: ignore[attr-defined]
    return wrapper


def translate_metavars() -> None:
    """Wrap click's metavar methods once, so they return translated metavars."""
    import click.core

    methods = (
        (click.core.Parameter, "make_metavar", _translated_metavar),
        (click.core.Argument, "make_metavar", _translated_metavar),
        (click.core.Command, "collect_usage_pieces", _translated_usage_pieces),
        (click.core.Group, "collect_usage_pieces", _translated_usage_pieces),
    )
    for owner, name, wrap in methods:
        method = owner.__dict__.get(name)
        if method is None or getattr(method, "segtui_translated", False):
            continue
        setattr(owner, name, wrap(method))


def describe_range(number_range: Any) -> str:
    """Return the range of a click IntRange or FloatRange in the interface language.

    Click 8.5 writes it as a formula in the option's help, such as ``[x>=1]``, and
    in the error for a value outside it. English keeps that formula, and the German
    catalog gives words. The bounds stay as click prints them, without thousands
    separators, because they are values to type.
    """
    low, high = number_range.min, number_range.max
    if low is None and high is None:
        return ""
    if high is None:
        if number_range.min_open:
            text = pgettext("range", "x>{low}")
        else:
            text = pgettext("range", "x>={low}")
    elif low is None:
        if number_range.max_open:
            text = pgettext("range", "x<{high}")
        else:
            text = pgettext("range", "x<={high}")
    elif number_range.min_open and number_range.max_open:
        text = pgettext("range", "{low}<x<{high}")
    elif number_range.min_open:
        text = pgettext("range", "{low}<x<={high}")
    elif number_range.max_open:
        text = pgettext("range", "{low}<=x<{high}")
    else:
        text = pgettext("range", "{low}<=x<={high}")
    return text.format(low=low, high=high)


def translate_range_hints() -> None:
    """Make click describe number ranges with ``describe_range``, once."""
    import click.types

    # NOTE: a private base class and method of click 8.5, used by both the help
    # and the error message for a value outside the range.
    owner = click.types._NumberRangeBase
    if getattr(owner._describe_range, "segtui_translated", False):
        return

    def translated(number_range: Any) -> str:
        return describe_range(number_range)

    translated.segtui_translated = True  # type: ignore[attr-defined]
    owner._describe_range = translated  # type: ignore[method-assign]


# Every click 8.5 module that imports gettext's functions for its messages. The
# parser is among them: "Option '--filter' requires an argument." comes from there.
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
)


def keep_hyphenated_words() -> None:
    """Make click wrap help text only at spaces, never after a hyphen, once.

    Filter keys and options have hyphens, and a help line that ends in
    "mailing-" would make the example ``mailing-group=NEWS`` unusable as shown.
    """
    import click._textwrap

    # NOTE: click 8.5's wrap_text imports this private class when it runs, so
    # replacing it here reaches every help page.
    wrapper = click._textwrap.TextWrapper
    if getattr(wrapper, "segtui_translated", False):
        return

    class WholeWordWrapper(wrapper):  # type: ignore[misc, valid-type]
        segtui_translated = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("break_on_hyphens", False)
            super().__init__(*args, **kwargs)

    click._textwrap.TextWrapper = WholeWordWrapper  # type: ignore[misc]


def translate_click() -> None:
    """Make click's help and error texts follow segtui's language."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = i18n._
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext
    translate_metavars()
    translate_range_hints()
    keep_hyphenated_words()


# click.version_option translates its help text while cli.py is imported, as the
# decorator runs. cli.py imports this module before it declares its commands, so
# patching here gives that help segtui's language, which entry.main sets first.
translate_click()
