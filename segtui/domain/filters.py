"""The filter expression syntax that Business Central users type, parsed and compiled.

Syntax, loosest binding first:

- ``A|B`` any of A and B; ``A&B`` both A and B; ``(A|B)&C`` groups.
- ``1000..1999`` a range, ``..2026-06-30`` and ``2026-01-01..`` open ranges.
- ``<>X``, ``<X``, ``<=X``, ``>X``, ``>=X``, ``=X`` comparisons.
- ``*GmbH*`` and ``Sch?fer`` wildcards: ``*`` any text, ``?`` one character.
- ``''`` blank; ``'a|b'`` a quoted value with special characters, ``''`` inside
  quotes stands for one quote.
- ``@müller`` compares without regard to case, umlauts included.
- Dates are ISO (``2026-03-05``); when the interface is German, ``05.03.2026`` too,
  and the day and month of the current year: ``05.03.``, ``05.03`` or ``0503``.
- Three points after a value are the value's own point and then the range, so the
  German ``01.03...31.03.`` reads as ``01.03.`` to ``31.03.``, and ``01.03...`` as
  ``01.03.`` onwards.

Blank and NULL are one value: ``''`` matches both, ``<>X`` matches blank and NULL
values, and a yes/no field treats NULL as no. On text and codes, blank sorts before
every other value, so ``<B`` and ``..B`` match blank values too. A NULL date matches
only ``''`` and ``<>X``, never a range or an ordering comparison, and a date can be
compared with ``''`` only by ``=`` and ``<>``. Numbers are never blank.

``compile_expression`` turns an expression into a peewee condition; ``matches``
evaluates the same semantics in plain Python and is the reference the SQL is tested
against. Both run the same checks, so an expression is valid for one exactly when it
is valid for the other.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from peewee import Expression, Field, NodeList, Value

from segtui.db import IndexHint, fold, is_sqlite
from segtui.domain.dates import date_forms, impossible_date_reason, read_date
from segtui.domain.errors import InvalidValueError
from segtui.domain.text import CONTROL_CHARACTERS
from segtui.i18n import _, inside_sentence
from segtui.models.contacts import fold_for_sorting, indexed_sort_key

OPERATORS = ("<>", "<=", ">=", "<", ">", "=")
# Characters that end a bare value.
STOP_CHARACTERS = "|&()"
# Characters a code may contain besides letters and digits.
CODE_EXTRA_CHARACTERS = " -_./+#"
WILDCARDS = ("*", "?")
# The deepest nesting of parentheses an expression may use.
MAX_DEPTH = 30


class FieldKind(StrEnum):
    TEXT = "text"
    CODE = "code"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    OPTION = "option"


# Kinds whose blank value sorts before every other value.
BLANK_FIRST_KINDS = (FieldKind.TEXT, FieldKind.CODE, FieldKind.OPTION)


class FilterSyntaxError(InvalidValueError):
    """Raised for an expression that cannot be parsed or does not fit its field.

    ``position`` counts characters from 1 and points at the offending character.
    ``field`` is the field's label in the user interface language, as the forms
    and the criteria list name it ("post code"), since users never see the keys.
    """

    def __init__(self, expression: str, position: int, reason: str, field: str = ""):
        self.expression = expression
        self.position = position
        self.reason = reason
        self.field = field
        where = f"{field}={expression}" if field else expression
        super().__init__(
            _("Invalid filter {where} at position {position}: {reason}.").format(
                where=quote_typed(where), position=position, reason=reason
            )
        )


def quote_typed(text: str) -> str:
    """Quote typed text for an error message, cut to 40 characters with its length."""
    # contact_fields imports this module, so its quote_value is imported here.
    from segtui.domain.contact_fields import quote_value

    return quote_value(text)


# The parsed form of an expression.


@dataclass(frozen=True)
class Term:
    """One value as typed, with the position of its first character."""

    text: str
    position: int
    quoted: bool = False


@dataclass(frozen=True)
class Comparison:
    operator: str
    value: Term
    case_insensitive: bool


@dataclass(frozen=True)
class Range:
    low: Term | None
    high: Term | None
    case_insensitive: bool


@dataclass(frozen=True)
class Pattern:
    """A value with wildcards: literal pieces and ``*`` / ``?`` pieces, in order."""

    pieces: tuple[Term, ...]
    case_insensitive: bool


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    items: tuple[Node, ...]


Node = Comparison | Range | Pattern | AnyOf | AllOf


class _Parser:
    def __init__(self, expression: str, field: str) -> None:
        self.text = expression
        self.field = field
        self.index = 0
        self.depth = 0

    def fail(self, reason: str, index: int | None = None) -> FilterSyntaxError:
        position = (self.index if index is None else index) + 1
        return FilterSyntaxError(self.text, position, reason, self.field)

    def peek(self, length: int = 1) -> str:
        return self.text[self.index : self.index + length]

    def skip_spaces(self) -> None:
        while self.index < len(self.text) and self.text[self.index] == " ":
            self.index += 1

    def parse(self) -> Node:
        if not self.text.strip():
            raise self.fail(_("the expression is empty; type a value or ''"), 0)
        control = CONTROL_CHARACTERS.search(self.text)
        if control is not None:
            raise self.fail(
                _("the expression contains a control character"), control.start()
            )
        node = self.parse_any_of()
        self.skip_spaces()
        if self.index < len(self.text):
            if self.peek() == ")":
                raise self.fail(_("')' has no matching '('"))
            raise self.fail(_("expected '|', '&' or the end"))
        return node

    def parse_any_of(self) -> Node:
        items = [self.parse_all_of()]
        while self.peek() == "|":
            self.index += 1
            items.append(self.parse_all_of())
        return items[0] if len(items) == 1 else AnyOf(tuple(items))

    def parse_all_of(self) -> Node:
        items = [self.parse_term()]
        while self.peek() == "&":
            self.index += 1
            items.append(self.parse_term())
        return items[0] if len(items) == 1 else AllOf(tuple(items))

    def parse_term(self) -> Node:
        self.skip_spaces()
        start = self.index
        if self.peek() == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(
                    _("parentheses are nested more than {depth} deep").format(
                        depth=MAX_DEPTH
                    )
                )
            self.index += 1
            node = self.parse_any_of()
            self.depth -= 1
            self.skip_spaces()
            if self.peek() != ")":
                raise self.fail(
                    _("expected ')' to close the '(' at position {position}").format(
                        position=start + 1
                    )
                )
            self.index += 1
            self.skip_spaces()
            return node

        case_insensitive = False
        if self.peek() == "@":
            case_insensitive = True
            self.index += 1

        operator = ""
        for candidate in OPERATORS:
            if self.peek(len(candidate)) == candidate:
                operator = candidate
                self.index += len(candidate)
                break

        if not operator and self.peek(2) == "..":
            self.index += 2
            high = self.parse_value(allow_wildcards=False)
            if high is None:
                raise self.fail(_("expected a value after '..'"))
            return Range(None, self.single(high), case_insensitive)

        value = self.parse_value(allow_wildcards=not operator)
        if value is None:
            if operator:
                raise self.fail(
                    _("expected a value after {operator!r}").format(operator=operator)
                )
            raise self.fail(_("expected a value"))

        if not operator and self.peek(2) == "..":
            if len(value) != 1 or value[0].text in WILDCARDS:
                raise self.fail(
                    _("a range cannot contain wildcards"), value[0].position - 1
                )
            self.index += 2
            high = self.parse_value(allow_wildcards=False)
            return Range(
                value[0], self.single(high) if high else None, case_insensitive
            )

        if value[0].quoted or (len(value) == 1 and value[0].text not in WILDCARDS):
            return Comparison(operator or "=", value[0], case_insensitive)
        return Pattern(tuple(value), case_insensitive)

    @staticmethod
    def single(value: list[Term]) -> Term:
        return value[0]

    def parse_value(self, allow_wildcards: bool) -> list[Term] | None:
        """Read a quoted or bare value as a list of pieces; None when none follows.

        A quoted value is one piece. A bare value is split at its wildcards, so a
        value without wildcards is one piece as well.
        """
        self.skip_spaces()
        if self.peek() == "'":
            return [self.parse_quoted()]

        pieces: list[Term] = []
        current: list[str] = []
        current_start = self.index
        while self.index < len(self.text):
            character = self.text[self.index]
            if self.peek(3) == "..." and current and not current[-1].isspace():
                # The value ends with a point, as German 01.03. does, and the range
                # follows: the first point is the value's, the other two the range's.
                current.append(character)
                self.index += 1
                break
            if character in STOP_CHARACTERS or self.peek(2) == "..":
                break
            if character == "'":
                raise self.fail(_("a quote may only start a value"))
            if character in WILDCARDS:
                if not allow_wildcards:
                    raise self.fail(_("wildcards are not allowed here"))
                if current:
                    pieces.append(Term("".join(current), current_start + 1))
                    current = []
                pieces.append(Term(character, self.index + 1))
                current_start = self.index + 1
            else:
                current.append(character)
            self.index += 1
        text = "".join(current).rstrip()
        if text:
            pieces.append(Term(text, current_start + 1))
        return pieces or None

    def parse_quoted(self) -> Term:
        start = self.index
        self.index += 1
        characters = []
        while True:
            if self.index >= len(self.text):
                raise self.fail(
                    _("the quote at position {position} is not closed").format(
                        position=start + 1
                    ),
                    start,
                )
            character = self.text[self.index]
            if character == "'":
                if self.peek(2) == "''":
                    characters.append("'")
                    self.index += 2
                    continue
                self.index += 1
                break
            characters.append(character)
            self.index += 1
        return Term("".join(characters), start + 2, quoted=True)


def parse(expression: str, field: str = "") -> Node:
    """Parse a filter expression, raising FilterSyntaxError with the position."""
    normalized = unicodedata.normalize("NFC", expression)
    return _Parser(normalized, field).parse()


# Typed values.


@dataclass(frozen=True)
class FieldSpec:
    """How to read and compare the values of one filterable column."""

    kind: FieldKind
    # For OPTION fields: each stored value with the words a user may type for it.
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The English message of each choice, in the order of ``choices``, that an
    # error translates to list the allowed values. Without labels, the error
    # translates the first word of each choice.
    labels: tuple[str, ...] = ()


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


TRUE_WORDS = ("yes", "true", "1", "ja", "y", "j")
FALSE_WORDS = ("no", "false", "0", "nein", "n")


def convert_value(
    spec: FieldSpec, term: Term, fail: Callable[[str, int], Exception]
) -> Any:
    """Convert one value of an expression to the column's type.

    ``fail(reason, position)`` builds the error for a value that does not fit.
    """
    text = term.text
    if spec.kind == FieldKind.TEXT:
        return text
    if spec.kind == FieldKind.CODE:
        for offset, character in enumerate(text):
            if not (character.isalnum() or character in CODE_EXTRA_CHARACTERS):
                raise fail(
                    _("{character!r} cannot appear in a code").format(
                        character=character
                    ),
                    term.position + offset,
                )
        return text.upper()
    if spec.kind == FieldKind.OPTION:
        return _match_option(spec, term, fail)
    if spec.kind == FieldKind.BOOLEAN:
        word = text.casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS or word == "":
            return False
        raise fail(
            _("{value} is not yes or no").format(value=quote_typed(text)), term.position
        )
    if text == "":
        if spec.kind == FieldKind.DATE:
            return None
        raise fail(_("a number cannot be blank; use 0"), term.position)
    if spec.kind == FieldKind.INTEGER:
        try:
            number = int(text)
        except ValueError:
            raise fail(
                _("{value} is not a whole number").format(value=quote_typed(text)),
                term.position,
            ) from None
        # The databases store whole numbers of at most 64 bits.
        if abs(number) >= 2**63:
            raise fail(
                _("{value} is too large; use a number of at most 18 digits").format(
                    value=quote_typed(text)
                ),
                term.position,
            )
        return number
    if spec.kind == FieldKind.DECIMAL:
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise fail(
                _("{value} is not a number").format(value=quote_typed(text)),
                term.position,
            ) from None
    if text.casefold() in ("t", "today", "heute"):
        from segtui.domain.clock import today

        return today()
    day = read_date(text)
    if day is None:
        reason = impossible_date_reason(text)
        message = (
            _("{value} is not a valid date: {reason}").format(
                value=quote_typed(text), reason=reason
            )
            if reason
            else _("{value} is not a date; write it as {forms}").format(
                value=quote_typed(text), forms=date_forms()
            )
        )
        raise fail(message, term.position)
    return day


def _match_option(
    spec: FieldSpec, term: Term, fail: Callable[[str, int], Exception]
) -> str:
    wanted = _option_key(term.text)
    for stored, words in spec.choices:
        if wanted == _option_key(stored) or wanted in (_option_key(w) for w in words):
            return stored
    labels = spec.labels or tuple(
        words[0] if words else repr(stored) for stored, words in spec.choices
    )
    allowed = ", ".join(inside_sentence(_(label)) for label in labels)
    raise fail(
        _("{value} is not one of: {allowed}").format(
            value=quote_typed(term.text), allowed=allowed
        ),
        term.position,
    )


def _option_key(text: str) -> str:
    return text.casefold().replace(" ", "").replace("_", "").replace("-", "")


# Checking, shared by the SQL compiler and the Python reference.


@dataclass(frozen=True)
class _Bound:
    """A comparison with its value converted to the column's type."""

    operator: str
    value: Any
    case_insensitive: bool

    @property
    def blank(self) -> bool:
        return self.value in ("", None) or self.value is False


class _Checker:
    def __init__(self, spec: FieldSpec, expression: str, field: str) -> None:
        self.spec = spec
        self.expression = expression
        self.field = field

    def fail(self, reason: str, position: int) -> FilterSyntaxError:
        return FilterSyntaxError(self.expression, position, reason, self.field)

    def bound(self, operator: str, term: Term, case_insensitive: bool) -> _Bound:
        value = convert_value(self.spec, term, self.fail)
        if self.spec.kind == FieldKind.BOOLEAN and operator not in ("=", "<>"):
            raise self.fail(_("a yes/no field only takes = and <>"), term.position)
        if (
            self.spec.kind == FieldKind.DATE
            and value is None
            and operator not in ("=", "<>")
        ):
            raise self.fail(
                _("a date is compared with '' only by = and <>"), term.position
            )
        return _Bound(operator, value, case_insensitive)

    def comparisons(self, node: Comparison | Range) -> list[_Bound]:
        if isinstance(node, Comparison):
            return [self.bound(node.operator, node.value, node.case_insensitive)]
        bounds = []
        if node.low is not None:
            bounds.append(self.bound(">=", node.low, node.case_insensitive))
        if node.high is not None:
            bounds.append(self.bound("<=", node.high, node.case_insensitive))
        return bounds

    def pattern(self, node: Pattern) -> list[str]:
        """Return the pattern's pieces, literal ones converted for the column."""
        if self.spec.kind not in BLANK_FIRST_KINDS:
            raise self.fail(
                _("wildcards only work on text and code fields"),
                node.pieces[0].position,
            )
        pieces = []
        for piece in node.pieces:
            if piece.text in WILDCARDS:
                pieces.append(piece.text)
            elif self.spec.kind == FieldKind.CODE:
                converted = convert_value(self.spec, piece, self.fail)
                pieces.append(
                    converted.casefold() if node.case_insensitive else converted
                )
            elif node.case_insensitive:
                pieces.append(piece.text.casefold())
            else:
                pieces.append(piece.text)
        return pieces

    def check(self, node: Node) -> None:
        if isinstance(node, (AnyOf, AllOf)):
            for item in node.items:
                self.check(item)
        elif isinstance(node, Pattern):
            self.pattern(node)
        else:
            self.comparisons(node)


def validate_expression(spec: FieldSpec, expression: str, field: str = "") -> Node:
    """Parse and check an expression against its field, without the database."""
    node = parse(expression, field)
    _Checker(spec, expression, field).check(node)
    return node


# Compiling to SQL.


def compile_expression(
    column: Field | Any, spec: FieldSpec, expression: str, field: str = ""
) -> Expression:
    """Compile an expression to a peewee condition on ``column``."""
    node = validate_expression(spec, expression, field)
    return _Compiler(column, _Checker(spec, expression, field)).compile(node)


class _Compiler:
    def __init__(self, column: Any, checker: _Checker) -> None:
        self.column = column
        self.checker = checker
        self.kind = checker.spec.kind
        self.sort_key = indexed_sort_key(column)

    def compile(self, node: Node) -> Any:
        if isinstance(node, AnyOf):
            return any_of(self.any_of_parts(node))
        if isinstance(node, AllOf):
            return all_of([self.compile(item) for item in node.items])
        if isinstance(node, Pattern):
            return self.pattern(node)
        return all_of(
            [self.comparison(bound) for bound in self.checker.comparisons(node)]
        )

    def any_of_parts(self, node: AnyOf) -> list[Any]:
        """Compile alternatives, plain equal values together as one ``IN`` list.

        ``DE|AT|CH`` becomes ``country_code IN (...)``, which uses the column's index
        and stays one node however many values the user lists.
        """
        values = []
        parts = []
        for item in node.items:
            if (
                isinstance(item, Comparison)
                and item.operator == "="
                and not item.case_insensitive
            ):
                bound = self.checker.comparisons(item)[0]
                if not bound.blank and self.kind != FieldKind.BOOLEAN:
                    values.append(bound.value)
                    continue
            parts.append(self.compile(item))
        if values:
            parts.insert(0, self.equal_to(values))
        return parts

    def equal_to(self, values: list[Any]) -> Any:
        """Return the condition that the column equals one of ``values``.

        Name and city have no plain index, only one on their sort key, and equal
        texts have equal keys. So ``key IN (keys of values)`` finds the rows by that
        index, and the exact comparison keeps only the equal ones.
        NOTE: Reduce and Refine statements nest the key deeper than SQLite's parser
        allows, so on SQLite they run again without it and scan (see IndexHint).
        """
        column = self.column
        if self.sort_key is not None and is_sqlite():
            # Without the collation SQLite puts the constant of column = constant
            # into the key expression, which then no longer matches the index.
            column = column.collate("BINARY")
        condition = column == values[0] if len(values) == 1 else column.in_(values)
        if self.sort_key is None:
            return condition
        keys = sorted({fold_for_sorting(value) for value in values})
        narrowed = (
            self.sort_key == keys[0] if len(keys) == 1 else self.sort_key.in_(keys)
        )
        return all_of([IndexHint(narrowed), condition])

    def by_key_prefix(self, prefix: str, condition: Any) -> Any:
        """Narrow a pattern that starts with ``prefix`` by the column's sort key.

        The key folds letter by letter, so a text that starts with ``prefix`` has a
        key that starts with the prefix's key: a range of the sort key index.
        """
        if self.sort_key is None or not prefix:
            return condition
        low = fold_for_sorting(prefix)
        following = ord(low[-1]) + 1
        if 0xD800 <= following <= 0xDFFF or following > sys.maxunicode:
            # No text can hold the letter after this one: a surrogate or beyond.
            return condition
        high = low[:-1] + chr(following)
        narrowed = all_of([self.sort_key >= low, self.sort_key < high])
        return all_of([IndexHint(narrowed), condition])

    def blank_condition(self) -> Expression:
        if self.kind == FieldKind.BOOLEAN:
            return self.column.is_null() | (self.column == False)  # noqa: E712
        if self.kind in BLANK_FIRST_KINDS:
            return self.column.is_null() | (self.column == "")
        return self.column.is_null()

    def comparison(self, bound: _Bound) -> Expression:
        if self.kind == FieldKind.BOOLEAN:
            is_true = self.column == True  # noqa: E712
            wants_true = (bound.operator == "=") == bool(bound.value)
            return is_true if wants_true else (~is_true | self.column.is_null())

        textual = self.kind in (FieldKind.TEXT, FieldKind.CODE)
        if bound.case_insensitive and textual:
            operand, literal = fold(self.column), fold(Value(bound.value))
        else:
            operand, literal = self.column, bound.value
        operator = bound.operator

        if operator == "=":
            if bound.blank:
                return self.blank_condition()
            if bound.case_insensitive:
                return operand == literal
            return self.equal_to([literal])
        if operator == "<>":
            if bound.blank:
                return ~self.blank_condition()
            return self.column.is_null() | (operand != literal)
        if bound.blank:
            # Blank sorts before every other value, so only text and codes get here.
            return {
                "<": Value(1) == Value(0),
                "<=": self.blank_condition(),
                ">": ~self.blank_condition(),
                ">=": Value(1) == Value(1),
            }[operator]
        condition = {
            "<": operand < literal,
            "<=": operand <= literal,
            ">": operand > literal,
            ">=": operand >= literal,
        }[operator]
        if operator in ("<", "<=") and self.kind in BLANK_FIRST_KINDS:
            return self.blank_condition() | condition
        return condition

    def pattern(self, node: Pattern) -> Expression:
        pieces = self.checker.pattern(node)
        if all(piece == "*" for piece in pieces):
            return Value(1) == Value(1)
        if node.case_insensitive:
            operand, prefix = fold(self.column), ""
        else:
            operand, prefix = self.column, literal_prefix(pieces)
        if is_sqlite():
            condition = Expression(
                operand, "GLOB", "".join(_glob_piece(p) for p in pieces)
            )
        else:
            condition = Expression(
                operand, "LIKE", "".join(_like_piece(p) for p in pieces)
            )
        return self.by_key_prefix(prefix, condition)


def literal_prefix(pieces: list[str]) -> str:
    """Return the text a pattern's matches start with: its pieces before a wildcard."""
    prefix = []
    for piece in pieces:
        if piece in WILDCARDS:
            break
        prefix.append(piece)
    return "".join(prefix)


def any_of(parts: list[Any]) -> Any:
    """Join conditions with OR in one flat list.

    Chaining ``|`` nests one pair of parentheses per condition, and SQLite's parser
    fails with "parser stack overflow" at about 80 levels.
    """
    return parts[0] if len(parts) == 1 else NodeList(parts, glue=" OR ", parens=True)


def all_of(parts: list[Any]) -> Any:
    """Join conditions with AND in one flat list."""
    return parts[0] if len(parts) == 1 else NodeList(parts, glue=" AND ", parens=True)


def _glob_piece(piece: str) -> str:
    if piece in WILDCARDS:
        return piece
    return "".join(f"[{c}]" if c in "*?[" else c for c in piece)


def _like_piece(piece: str) -> str:
    if piece == "*":
        return "%"
    if piece == "?":
        return "_"
    return piece.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Evaluating in Python, the reference the SQL compiler is tested against.


def matches(value: Any, spec: FieldSpec, expression: str) -> bool:
    """Evaluate an expression against one value in plain Python."""
    checker = _Checker(spec, expression, "")
    node = parse(expression)
    checker.check(node)
    return _matches(node, value, checker)


def _matches(node: Node, value: Any, checker: _Checker) -> bool:
    if isinstance(node, AnyOf):
        return any(_matches(item, value, checker) for item in node.items)
    if isinstance(node, AllOf):
        return all(_matches(item, value, checker) for item in node.items)

    kind = checker.spec.kind
    if kind == FieldKind.BOOLEAN:
        actual: Any = bool(value)
    elif kind in BLANK_FIRST_KINDS:
        actual = value or ""
    else:
        actual = value

    if isinstance(node, Pattern):
        pieces = checker.pattern(node)
        if all(piece == "*" for piece in pieces):
            return True
        text = actual.casefold() if node.case_insensitive else actual
        regex = "".join(_regex_piece(piece) for piece in pieces)
        return re.fullmatch(regex, text, re.DOTALL) is not None

    return all(_compare(actual, bound, kind) for bound in checker.comparisons(node))


def _regex_piece(piece: str) -> str:
    if piece == "*":
        return ".*"
    if piece == "?":
        return "."
    return re.escape(piece)


def _compare(actual: Any, bound: _Bound, kind: FieldKind) -> bool:
    target = bound.value
    if bound.case_insensitive and isinstance(actual, str):
        actual, target = actual.casefold(), target.casefold()
    operator = bound.operator
    if kind == FieldKind.BOOLEAN:
        return (actual == target) if operator == "=" else (actual != target)
    if actual is None:
        # Only a NULL date or number gets here: it is blank, and never ordered.
        if operator == "=":
            return bound.blank
        if operator == "<>":
            return not bound.blank
        return False
    if target is None:
        return {"=": False, "<>": True}[operator]
    return {
        "=": actual == target,
        "<>": actual != target,
        "<": actual < target,
        "<=": actual <= target,
        ">": actual > target,
        ">=": actual >= target,
    }[operator]
