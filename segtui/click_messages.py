"""Click's own help and error texts, translated through segtui's catalog.

Click marks these texts for gettext but looks them up in the process-wide default
domain, where segtui has no catalog. ``translate_click`` points click's modules at
segtui's translation functions; the list below lets the extractor find the texts.
"""

from __future__ import annotations

from segtui import i18n
from segtui.i18n import ngettext


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


def translate_click() -> None:
    """Make click's help and error texts follow segtui's language."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.termui
    import click.types

    modules = (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.termui,
        click.types,
    )
    for module in modules:
        if hasattr(module, "_"):
            module._ = i18n._
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext


# click.version_option translates its help text while cli.py is imported, as the
# decorator runs. cli.py imports this module before it declares its commands, so
# patching here gives that help segtui's language, which entry.main sets first.
translate_click()
