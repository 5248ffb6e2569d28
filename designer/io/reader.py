"""A strict reader over parsed JSON that tracks the JSON path, so every error says where it is."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import TypeVar

from designer.io.errors import FileFormatError
from designer.io.safe_read import cut, is_plain_id, quoted

E = TypeVar("E", bound=StrEnum)

MAX_STRING_CHARS = 10_000
MAX_ABS_NUMBER = 1e12
"""No quantity in a design (mm, kW, kg) is anywhere near this; larger values are treated as hostile."""


class Node:
    """A value in a parsed JSON document together with its path.

    The path is kept as (parent, step) and spelled out only when asked for (an error): a 10k-rack
    design has a million values, and formatting a path for each was a third of the load time.
    """

    __slots__ = ("_error", "_parent", "_root_path", "_step", "value")

    def __init__(self, value: object, path: str = "$", error: type[FileFormatError] = FileFormatError) -> None:
        self.value = value
        self._root_path = path
        self._parent: Node | None = None
        self._step = ""
        self._error = error

    def _at(self, value: object, step: str) -> Node:
        """The child ``value`` reached by ``step`` (".key" or "[index]")."""
        node = Node.__new__(Node)
        node.value = value
        node._root_path = ""
        node._parent = self
        node._step = step
        node._error = self._error
        return node

    @property
    def path(self) -> str:
        steps: list[str] = []
        node: Node | None = self
        while node is not None and node._parent is not None:
            steps.append(node._step)
            node = node._parent
        return (node._root_path if node is not None else "$") + "".join(reversed(steps))

    def fail(self, problem: str) -> FileFormatError:
        return self._error(problem, json_path=self.path)

    # ---------------------------------------------------------------- containers
    def as_object(self) -> Mapping[str, object]:
        if not isinstance(self.value, dict):
            raise self.fail(f"expected an object, found {type_name(self.value)}")
        return self.value

    def child(self, key: str) -> Node:
        mapping = self.as_object()
        if key not in mapping:
            raise self._error(f"required field {quoted(key)} is missing", json_path=self.path)
        return self._at(mapping[key], "." + cut(key, 80))

    def optional(self, key: str) -> Node | None:
        mapping = self.as_object()
        if key not in mapping or mapping[key] is None:
            return None
        return self._at(mapping[key], "." + cut(key, 80))

    def elements(self, max_count: int = 1_000_000) -> Iterator[Node]:
        if not isinstance(self.value, list):
            raise self.fail(f"expected a list, found {type_name(self.value)}")
        if len(self.value) > max_count:
            raise self.fail(f"has {len(self.value)} entries, more than the limit of {max_count}")
        for index, value in enumerate(self.value):
            yield self._at(value, f"[{index}]")

    def reject_unknown(self, allowed: frozenset[str]) -> None:
        unknown = sorted(set(self.as_object()) - allowed)
        if unknown:
            raise self._error(f"unknown field {quoted(unknown[0])}", json_path=self.path)

    # ---------------------------------------------------------------- scalars
    def string(self, *, allow_empty: bool = True, max_chars: int = MAX_STRING_CHARS) -> str:
        if not isinstance(self.value, str):
            raise self.fail(f"expected a string, found {type_name(self.value)}")
        if not allow_empty and not self.value.strip():
            raise self.fail("must not be empty")
        if len(self.value) > max_chars:
            raise self.fail(f"is {len(self.value)} characters long, more than the limit of {max_chars}")
        return self.value

    def identifier(self, *, max_chars: int = 200) -> str:
        """A non-empty id without control, format or separator characters (see ``is_plain_id``)."""
        text = self.string(allow_empty=False, max_chars=max_chars)
        if not is_plain_id(text):
            bad = next(ch for ch in text if not ch.isprintable())
            raise self.fail(
                f"an id must not contain control or invisible characters (U+{ord(bad):04X} at {text.index(bad)})"
            )
        return text

    def number(
        self, *, minimum: float | None = None, maximum: float | None = None, above: float | None = None
    ) -> float:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"expected a number, found {type_name(value)}")
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            raise self.fail("the number is absurdly large") from None
        if not math.isfinite(number):
            raise self.fail("must be a finite number")
        if abs(number) > MAX_ABS_NUMBER:
            raise self.fail(f"{number:g} is absurdly large")
        if minimum is not None and number < minimum:
            raise self.fail(f"{number:g} is below the minimum of {minimum:g}")
        if above is not None and number <= above:
            raise self.fail(f"{number:g} must be greater than {above:g}")
        if maximum is not None and number > maximum:
            raise self.fail(f"{number:g} is above the maximum of {maximum:g}")
        return number

    def integer(self, *, minimum: int | None = None, maximum: int | None = None) -> int:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"expected an integer, found {type_name(value)}")
        if minimum is not None and value < minimum:
            raise self.fail(f"{value} is below the minimum of {minimum}")
        if maximum is not None and value > maximum:
            raise self.fail(f"{value} is above the maximum of {maximum}")
        return value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail(f"expected true or false, found {type_name(self.value)}")
        return self.value

    def choice(self, enum: type[E]) -> E:
        text = self.string()
        try:
            return enum(text)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise self.fail(f"{quoted(text)} is not one of: {allowed}") from None

    def point(self) -> tuple[float, float]:
        coordinates = list(self.elements(max_count=2))
        if len(coordinates) != 2:
            raise self.fail("expected a point [x, y]")
        return coordinates[0].number(), coordinates[1].number()

    def pair(self) -> tuple[float, float]:
        low, high = self.point()
        if low > high:
            raise self.fail(f"range [{low:g}, {high:g}] is reversed")
        return low, high


def type_name(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)
