"""A read-only sequence whose row objects are made only when a row is read.

The electrical figures of a 50,000-rack campus have 145,000 feeds; making a frozen dataclass of each
costs more than working their figures out in columns. ``FigureRows`` keeps the columns (numpy arrays, or
plain lists where a field is a string) and builds a row on first read, with the Python floats, ints,
strings and Nones the row held before. To its readers it is the tuple it replaces: same length, items,
iteration, equality and repr.

A field that may be None is an ``OptionalColumn`` (values with a mask of which are there); a field that
takes a few distinct values (a feed's cable label, sets, area, ampacity: all from its cable choice) is a
``CodedColumn`` (one small integer per row into a table of values).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

import numpy as np

T = TypeVar("T")


class OptionalColumn(Sequence[Any]):
    """``values[i]`` as a Python number where ``present[i]``, else None (a column of ``float | None`` as two
    arrays: 9 bytes a row where a list held a pointer and a float object, 32). ``length``: the column is longer
    than ``values``, its rows past them None (the racks after the power parts of the node figures: no rating)."""

    __slots__ = ("_length", "present", "values")

    def __init__(self, values: np.ndarray[Any, Any], present: np.ndarray[Any, Any], length: int | None = None) -> None:
        if len(values) != len(present):
            raise ValueError(f"optional column: {len(values)} values for {len(present)} flags")
        if length is not None and length < len(values):
            raise ValueError(f"optional column: {len(values)} values for {length} rows")
        self.values = values
        self.present = present
        self._length = len(values) if length is None else length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self.tolist(index.start, index.stop) if index.step in (None, 1) else self.tolist()[index]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("optional column index out of range")
        if index >= len(self.values) or not self.present[index]:
            return None
        return self.values[index].item()

    def tolist(self, start: int | None = None, stop: int | None = None) -> list[Any]:
        """The column (or ``[start:stop]``) as Python values and Nones, as a list of them held it."""
        low, high, _step = slice(start, stop).indices(self._length)
        held = len(self.values)
        values, present = self.values[low:min(high, held)].tolist(), self.present[low:min(high, held)].tolist()
        out = [v if p else None for v, p in zip(values, present, strict=True)]
        return out + [None] * max(0, high - max(low, held))

    def with_nan(self) -> np.ndarray[Any, Any]:
        """The values as float64 with NaN where absent (for screening in bulk)."""
        return np.concatenate([np.where(self.present, self.values, np.nan),
                               np.full(self._length - len(self.values), np.nan)])


class CodedColumn(Sequence[Any]):
    """``table[codes[i]]``: a column of few distinct values as one small integer per row."""

    __slots__ = ("codes", "table")

    def __init__(self, codes: np.ndarray[Any, Any], table: Sequence[Any]) -> None:
        self.codes = codes
        self.table = table
        """Only ever appended to while columns read it (a code, once handed out, keeps its value)."""

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            table = self.table
            return [table[c] for c in self.codes[index].tolist()]
        return self.table[int(self.codes[index])]

    def tolist(self) -> list[Any]:
        """The column as a list of its values."""
        table = self.table
        return [table[c] for c in self.codes.tolist()]

    def rows_of(self, value: Any) -> np.ndarray[Any, Any]:
        """The rows whose value equals ``value``, in order."""
        codes = [code for code, known in enumerate(self.table) if known == value]
        return np.flatnonzero(np.isin(self.codes, codes)) if codes else np.zeros(0, dtype=np.int64)


class FigureRows(Sequence[T], Generic[T]):
    """``make(*row)`` for each row of ``columns`` (of one length), made on first read and kept. A column may be
    a numpy array: its values are handed over as Python numbers (``.item()``), as ``tolist`` would give them;
    or an ``OptionalColumn``/``CodedColumn``, or any sequence (its items handed over as they are)."""

    __slots__ = ("_arrays", "_columns", "_length", "_made", "_make")

    def __init__(self, make: Callable[..., T], columns: Sequence[Sequence[Any] | np.ndarray[Any, Any]]) -> None:
        lengths = {len(column) for column in columns}
        if len(lengths) > 1:
            raise ValueError(f"figure rows: columns of different lengths {sorted(lengths)}")
        self._make = make
        self._columns = tuple(columns)
        self._arrays = tuple(isinstance(column, np.ndarray) for column in self._columns)
        self._length = lengths.pop() if lengths else 0
        self._made: dict[int, T] = {}
        """The rows read so far (a dict: most readers read a few rows of 145,000)."""

    def column(self, index: int) -> Any:
        """The values of one field of every row, without making the rows."""
        return self._columns[index]

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._length)))
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("figure row index out of range")
        row = self._made.get(index)
        if row is None:
            row = self._made[index] = self._make(*[column[index].item() if array else column[index]
                                                   for column, array in zip(self._columns, self._arrays, strict=True)])
        return row

    def __iter__(self) -> Iterator[T]:
        for index in range(self._length):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (FigureRows, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


def column_list(column: Any) -> list[Any]:
    """A column of ``FigureRows`` as a list of the Python values its rows hold."""
    if isinstance(column, (np.ndarray, OptionalColumn, CodedColumn)):
        values: list[Any] = column.tolist()
        return values
    return list(column)


__all__ = ["CodedColumn", "FigureRows", "OptionalColumn", "column_list"]
