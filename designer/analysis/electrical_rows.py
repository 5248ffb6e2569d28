"""A read-only sequence whose row objects are made only when a row is read.

The electrical figures of a 50,000-rack campus have 145,000 feeds; making a frozen dataclass of each
costs more than working their figures out in columns. ``FigureRows`` keeps the columns (plain Python
lists, so a row holds Python floats, ints and strings as before) and builds a row on first read. To its
readers it is the tuple it replaces: same length, items, iteration, equality and repr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

import numpy as np

T = TypeVar("T")


class FigureRows(Sequence[T], Generic[T]):
    """``make(*row)`` for each row of ``columns`` (of one length), made on first read and kept. A column may be
    a numpy array: its values are handed over as Python numbers (``.item()``), as ``tolist`` would give them."""

    __slots__ = ("_arrays", "_columns", "_length", "_made", "_make")

    def __init__(self, make: Callable[..., T], columns: Sequence[Sequence[Any] | np.ndarray[Any, Any]]) -> None:
        lengths = {len(column) for column in columns}
        if len(lengths) > 1:
            raise ValueError(f"figure rows: columns of different lengths {sorted(lengths)}")
        self._make = make
        self._columns = tuple(columns)
        self._arrays = tuple(isinstance(column, np.ndarray) for column in self._columns)
        self._length = lengths.pop() if lengths else 0
        self._made: list[T | None] = [None] * self._length

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
        row = self._made[index]
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


__all__ = ["FigureRows"]
