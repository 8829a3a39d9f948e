"""The filter expression syntax that Business Central users type, parsed and compiled.

Syntax, loosest binding first:

- ``A|B`` any of A and B; ``A&B`` both A and B; ``(A|B)&C`` groups.
- ``1000..1999`` a range, ``..2026-06-30`` and ``2026-01-01..`` open ranges.
- ``<>X``, ``<X``, ``<=X``, ``>X``, ``>=X``, ``=X`` comparisons.
- ``*GmbH*`` and ``Sch?fer`` wildcards: ``*`` any text, ``?`` one character.
- ``''`` blank; ``'a|b'`` a quoted value with special characters, ``''`` inside
  quotes stands for one quote.
- ``@müller`` compares without regard to case, umlauts included.

Blank and NULL are one value: ``''`` matches both, ``<>X`` matches blank and NULL
values, and a yes/no field treats NULL as no. A blank or NULL date matches only
``''`` and ``<>X``, never a range or an ordering comparison.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from peewee import Expression, Field, Value

from segtui.db import fold, is_sqlite
from segtui.domain.errors import InvalidValueError
from segtui.i18n import _

OPERATORS = ("<>", "<=", ">=", "<", ">", "=")
# Characters that end a bare value.
STOP_CHARACTERS = "|&()"
# Characters a code may contain besides letters and digits.
CODE_EXTRA_CHARACTERS = " -_./+#"


class FieldKind(StrEnum):
    TEXT = "text"
    CODE = "code"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    OPTION = "option"


class FilterSyntaxError(InvalidValueError):
    """Raised for an expression that cannot be parsed or does not fit its field.

    ``position`` counts characters from 1.
    """

    def __init__(self, expression: str, position: int, reason: str, field: str = ""):
        self.expression = expression
        self.position = position
        self.reason = reason
        self.field = field
        where = f"{field}={expression}" if field else expression
        super().__init__(
            _("Invalid filter {where!r} at position {position}: {reason}.").format(
                where=where, position=position, reason=reason
            )
        )


# The parsed form of an expression.


@dataclass(frozen=True)
class Comparison:
    operator: str
    value: str
    quoted: bool
    case_insensitive: bool
    position: int


@dataclass(frozen=True)
class Range:
    low: str | None
    high: str | None
    case_insensitive: bool
    position: int


@dataclass(frozen=True)
class Pattern:
    """A value with wildcards, kept as literal pieces and ``*`` / ``?`` markers."""

    pieces: tuple[str, ...]
    case_insensitive: bool
    position: int


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    items: tuple[Node, ...]


Node = Comparison | Range | Pattern | AnyOf | AllOf

WILDCARDS = ("*", "?")


class _Parser:
    def __init__(self, expression: str, field: str) -> None:
        self.text = expression
        self.field = field
        self.index = 0

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
            self.index += 1
            node = self.parse_any_of()
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
            high, _quoted, high_start = self.parse_value(allow_wildcards=False)
            if high is None:
                raise self.fail(_("expected a value after '..'"))
            return Range(None, high, case_insensitive, start + 1)

        value, quoted, value_start = self.parse_value(allow_wildcards=not operator)
        if value is None:
            if operator:
                raise self.fail(
                    _("expected a value after {operator!r}").format(operator=operator)
                )
            raise self.fail(_("expected a value"))

        if not operator and self.peek(2) == "..":
            if isinstance(value, tuple):
                raise self.fail(_("a range cannot contain wildcards"), value_start)
            self.index += 2
            high, _quoted, _high_start = self.parse_value(allow_wildcards=False)
            return Range(value, high, case_insensitive, start + 1)

        if isinstance(value, tuple):
            return Pattern(value, case_insensitive, start + 1)
        return Comparison(operator or "=", value, quoted, case_insensitive, start + 1)

    def parse_value(self, allow_wildcards: bool) -> tuple[Any, bool, int]:
        """Read a quoted or bare value.

        Returns the text (or a tuple of pattern pieces when it has wildcards), whether
        it was quoted, and where it started; the text is None when no value follows.
        """
        self.skip_spaces()
        start = self.index
        if self.peek() == "'":
            return self.parse_quoted(), True, start

        pieces: list[str] = []
        current = []
        while self.index < len(self.text):
            character = self.text[self.index]
            if character in STOP_CHARACTERS or self.peek(2) == "..":
                break
            if character == "'":
                raise self.fail(_("a quote may only start a value"))
            if character in WILDCARDS:
                if not allow_wildcards:
                    raise self.fail(_("wildcards are not allowed here"))
                if current:
                    pieces.append("".join(current))
                    current = []
                pieces.append(character)
            else:
                current.append(character)
            self.index += 1

        if not pieces:
            text = "".join(current).strip()
            return (text if text else None), False, start
        if current:
            tail = "".join(current).rstrip()
            if tail:
                pieces.append(tail)
        if pieces and pieces[0] not in WILDCARDS:
            pieces[0] = pieces[0].lstrip()
        return tuple(piece for piece in pieces if piece), False, start

    def parse_quoted(self) -> str:
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
                if self.peek(2) == "''" and self.index != start + 1:
                    characters.append("'")
                    self.index += 2
                    continue
                self.index += 1
                break
            characters.append(character)
            self.index += 1
        return "".join(characters)


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


TRUE_WORDS = ("yes", "true", "1", "ja", "y", "j")
FALSE_WORDS = ("no", "false", "0", "nein", "n")


def convert_value(
    spec: FieldSpec, text: str, position: int, expression: str, field: str
) -> Any:
    """Convert one value of an expression to the column's type."""

    def fail(reason: str) -> FilterSyntaxError:
        return FilterSyntaxError(expression, position, reason, field)

    if spec.kind in (FieldKind.TEXT,):
        return text
    if spec.kind == FieldKind.CODE:
        for character in text:
            if not (character.isalnum() or character in CODE_EXTRA_CHARACTERS):
                raise fail(
                    _("{character!r} cannot appear in a code").format(
                        character=character
                    )
                )
        return text.upper()
    if text == "":
        if spec.kind == FieldKind.BOOLEAN:
            return False
        if spec.kind == FieldKind.OPTION:
            return _match_option(spec, text, fail)
        if spec.kind == FieldKind.DATE:
            return None
        raise fail(_("a number cannot be blank; use 0"))
    if spec.kind == FieldKind.INTEGER:
        try:
            return int(text)
        except ValueError:
            raise fail(
                _("{value!r} is not a whole number").format(value=text)
            ) from None
    if spec.kind == FieldKind.DECIMAL:
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise fail(_("{value!r} is not a number").format(value=text)) from None
    if spec.kind == FieldKind.DATE:
        if text.casefold() in ("t", "today", "heute"):
            from segtui.domain.clock import today

            return today()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise fail(
                _("{value!r} is not a date; write it as YYYY-MM-DD").format(value=text)
            ) from None
    if spec.kind == FieldKind.BOOLEAN:
        word = text.casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise fail(_("{value!r} is not yes or no").format(value=text))
    return _match_option(spec, text, fail)


def _match_option(spec: FieldSpec, text: str, fail: Any) -> str:
    wanted = _option_key(text)
    for stored, words in spec.choices:
        if wanted == _option_key(stored) or wanted in (
            _option_key(word) for word in words
        ):
            return stored
    allowed = ", ".join(
        words[0] if words else repr(stored) for stored, words in spec.choices
    )
    raise fail(
        _("{value!r} is not one of: {allowed}").format(value=text, allowed=allowed)
    )


def _option_key(text: str) -> str:
    return text.casefold().replace(" ", "").replace("_", "").replace("-", "")


# Compiling to SQL.


def compile_expression(
    column: Field | Any, spec: FieldSpec, expression: str, field: str = ""
) -> Expression:
    """Compile an expression to a peewee condition on ``column``."""
    node = parse(expression, field)
    return _Compiler(column, spec, expression, field).compile(node)


def validate_expression(spec: FieldSpec, expression: str, field: str = "") -> Node:
    """Parse and type-check an expression without touching the database."""
    node = parse(expression, field)
    _Compiler(None, spec, expression, field).check(node)
    return node


class _Compiler:
    def __init__(
        self, column: Any, spec: FieldSpec, expression: str, field: str
    ) -> None:
        self.column = column
        self.spec = spec
        self.expression = expression
        self.field = field

    def convert(self, text: str, position: int) -> Any:
        return convert_value(self.spec, text, position, self.expression, self.field)

    def check(self, node: Node) -> None:
        if isinstance(node, (AnyOf, AllOf)):
            for item in node.items:
                self.check(item)
        elif isinstance(node, Comparison):
            self.convert(node.value, node.position)
        elif isinstance(node, Range):
            if node.low is not None:
                self.convert(node.low, node.position)
            if node.high is not None:
                self.convert(node.high, node.position)
        elif isinstance(node, Pattern) and self.spec.kind not in (
            FieldKind.TEXT,
            FieldKind.CODE,
            FieldKind.OPTION,
        ):
            raise FilterSyntaxError(
                self.expression,
                node.position,
                _("wildcards only work on text and code fields"),
                self.field,
            )

    def compile(self, node: Node) -> Expression:
        self.check(node)
        return self._compile(node)

    def _compile(self, node: Node) -> Expression:
        if isinstance(node, AnyOf):
            result = self._compile(node.items[0])
            for item in node.items[1:]:
                result = result | self._compile(item)
            return result
        if isinstance(node, AllOf):
            result = self._compile(node.items[0])
            for item in node.items[1:]:
                result = result & self._compile(item)
            return result
        if isinstance(node, Comparison):
            return self._comparison(node)
        if isinstance(node, Range):
            return self._range(node)
        return self._pattern(node)

    def _operand(self, case_insensitive: bool) -> Any:
        if case_insensitive and self.spec.kind in (FieldKind.TEXT, FieldKind.CODE):
            return fold(self.column)
        return self.column

    def _literal(self, value: Any, case_insensitive: bool) -> Any:
        if case_insensitive and isinstance(value, str):
            return fold(Value(value))
        return value

    def _blank_condition(self) -> Expression:
        column = self.column
        if self.spec.kind == FieldKind.BOOLEAN:
            return column.is_null() | (column == False)  # noqa: E712
        if self.spec.kind in (FieldKind.DATE, FieldKind.INTEGER, FieldKind.DECIMAL):
            return column.is_null()
        return column.is_null() | (column == "")

    def _comparison(self, node: Comparison) -> Expression:
        value = self.convert(node.value, node.position)
        blank = value in ("", None) or (
            self.spec.kind == FieldKind.BOOLEAN and value is False
        )
        operand = self._operand(node.case_insensitive)
        literal = self._literal(value, node.case_insensitive)
        operator = node.operator
        always = Value(1) == Value(1)
        never = Value(1) == Value(0)

        if self.spec.kind == FieldKind.BOOLEAN:
            is_true = self.column == True  # noqa: E712
            if operator == "=":
                return is_true if value else ~is_true | self.column.is_null()
            if operator == "<>":
                return ~is_true | self.column.is_null() if value else is_true
            raise FilterSyntaxError(
                self.expression,
                node.position,
                _("a yes/no field only takes = and <>"),
                self.field,
            )

        if operator == "=":
            return self._blank_condition() if blank else operand == literal
        if operator == "<>":
            if blank:
                return ~self._blank_condition()
            return self.column.is_null() | (operand != literal)
        if blank:
            # Blank sorts before every other value.
            if operator == "<":
                return never
            if operator == ">=":
                return always
            if operator == "<=":
                return self._blank_condition()
            return ~self._blank_condition()
        orders_blank_first = self.spec.kind in (
            FieldKind.TEXT,
            FieldKind.CODE,
            FieldKind.OPTION,
        )
        if operator in ("<", "<="):
            condition = operand < literal if operator == "<" else operand <= literal
            return (
                (self._blank_condition() | condition)
                if orders_blank_first
                else condition
            )
        return operand > literal if operator == ">" else operand >= literal

    def _range(self, node: Range) -> Expression:
        parts = []
        if node.low is not None:
            parts.append(
                Comparison(">=", node.low, False, node.case_insensitive, node.position)
            )
        if node.high is not None:
            parts.append(
                Comparison("<=", node.high, False, node.case_insensitive, node.position)
            )
        result = self._comparison(parts[0])
        for part in parts[1:]:
            result = result & self._comparison(part)
        return result

    def _pattern(self, node: Pattern) -> Expression:
        pieces = [
            piece if piece in WILDCARDS else str(self.convert(piece, node.position))
            for piece in node.pieces
        ]
        if all(piece == "*" for piece in pieces):
            return Value(1) == Value(1)
        if self.spec.kind == FieldKind.CODE and not node.case_insensitive:
            # Codes are stored in upper case, so a lower-case pattern still matches.
            pieces = [piece.upper() for piece in pieces]
        operand = self._operand(node.case_insensitive)
        if is_sqlite():
            pattern = "".join(_glob_piece(piece) for piece in pieces)
            literal = self._literal(pattern, node.case_insensitive)
            return Expression(operand, "GLOB", literal)
        pattern = "".join(_like_piece(piece) for piece in pieces)
        literal = self._literal(pattern, node.case_insensitive)
        return Expression(operand, "LIKE", literal)


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
    node = parse(expression)
    _Compiler(None, spec, expression, "").check(node)
    return _matches(node, value, spec, expression)


def _matches(node: Node, value: Any, spec: FieldSpec, expression: str) -> bool:
    if isinstance(node, AnyOf):
        return any(_matches(item, value, spec, expression) for item in node.items)
    if isinstance(node, AllOf):
        return all(_matches(item, value, spec, expression) for item in node.items)

    if spec.kind == FieldKind.BOOLEAN:
        actual: Any = bool(value)
    elif spec.kind in (FieldKind.TEXT, FieldKind.CODE, FieldKind.OPTION):
        actual = value or ""
    else:
        actual = value

    if isinstance(node, Pattern):
        if all(piece == "*" for piece in node.pieces):
            return True
        pieces = list(node.pieces)
        text = actual
        if spec.kind == FieldKind.CODE and not node.case_insensitive:
            pieces = [p if p in WILDCARDS else p.upper() for p in pieces]
        if node.case_insensitive:
            pieces = [p if p in WILDCARDS else p.casefold() for p in pieces]
            text = text.casefold()
        regex = "".join(
            ".*" if p == "*" else "." if p == "?" else re.escape(p) for p in pieces
        )
        return re.fullmatch(regex, text, re.DOTALL) is not None

    def compare(operator: str, raw: str) -> bool:
        target = convert_value(spec, raw, 1, expression, "")
        left = actual
        if getattr(node, "case_insensitive", False) and isinstance(left, str):
            left = left.casefold()
            target = target.casefold()
        if spec.kind == FieldKind.BOOLEAN:
            return (left == target) if operator == "=" else (left != target)
        blank_target = target in ("", None)
        if (
            spec.kind in (FieldKind.DATE, FieldKind.INTEGER, FieldKind.DECIMAL)
            and left is None
        ):
            if operator == "=":
                return blank_target
            if operator == "<>":
                return not blank_target
            return False
        if blank_target and spec.kind == FieldKind.DATE:
            return {"=": left is None, "<>": left is not None}.get(operator, False)
        return {
            "=": left == target,
            "<>": left != target,
            "<": left < target,
            "<=": left <= target,
            ">": left > target,
            ">=": left >= target,
        }[operator]

    if isinstance(node, Comparison):
        return compare(node.operator, node.value)
    low_ok = node.low is None or compare(">=", node.low)
    high_ok = node.high is None or compare("<=", node.high)
    return low_ok and high_ok
