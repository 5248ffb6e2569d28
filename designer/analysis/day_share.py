"""The kept day lent read-only to a twin analyzer on another thread, and copied before a write while lent.

The idle pass (single failures, headroom, maintenance pairs) runs on a worker from a twin analyzer
(``Analyzer.detached``) at the point the window last analysed: the same day arrays the window keeps
(``day_state.DayState``, ~75 MB at 50,000 racks). Instead of the twin working them out again into its
own arrays, the window lends them: the twin gets a copy of the day's small bookkeeping (the scope and
nameplate sums it brings up to date, a few MB) whose large arrays are read-only views of the window's
(``lend``), and the window's ``Loads`` of that day likewise. The window writes its day in place (a
share move); while a loan is out (``DayLoan``, released when the twin closes) it first copies its day
(``private``) and writes the copy, so the twin's views keep the figures of the day they were lent.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp

from designer.analysis.day_state import DayState

OWN_PARTS = ("scope_day", "fed_day")
"""The parts of a day an analysis brings up to date outside ``Analyzer.loads`` (the scope and nameplate
sums): a twin gets copies of their arrays; every other array of the day is a read-only view."""

T = TypeVar("T")


@dataclasses.dataclass(slots=True)
class DayLoan:
    """One lending of ``state``'s arrays to a twin: out until ``release`` (the twin closed)."""

    state: DayState
    released: bool = False

    def release(self) -> None:
        """The twin is done with the arrays (set from the worker's thread: one attribute store)."""
        self.released = True


def _arrays(root: object, found: dict[int, np.ndarray[Any, Any]], kept: dict[int, object],
            keep: tuple[object, ...]) -> None:
    """Every numpy array reachable from ``root`` through our dataclasses, tuples and lists into ``found``;
    what is never written in place (sparse matrices, the compiled networks, halls, service and the
    scopes, read by identity) and ``keep`` (the compiled networks' arrays a day reads by identity) into
    ``kept``."""
    stack = [root]
    seen: set[int] = {id(k) for k in keep}
    kept.update((id(k), k) for k in keep)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, (bool, int, float, str, bytes)):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            found[id(obj)] = obj
        elif sp.issparse(obj) or not (isinstance(obj, (tuple, list)) or dataclasses.is_dataclass(obj)):
            kept[id(obj)] = obj
        elif isinstance(obj, (tuple, list)):
            stack.extend(obj)
        elif type(obj).__name__ in _KEPT:
            kept[id(obj)] = obj
        else:
            stack.extend(getattr(obj, f.name) for f in dataclasses.fields(obj))


_KEPT = frozenset({"Compiled", "HallIndex", "RackService", "Scopes", "FlowNetwork", "DeltaPlan", "LevelWeights"})
"""Dataclasses a day refers to but never writes: shared as they are (``same_inputs`` reads them by identity)."""


def _memo(roots: tuple[object, ...], kept: dict[int, object]) -> dict[int, Any]:
    memo: dict[int, Any] = dict(kept)
    memo[id(memo)] = [roots, list(kept.values())]  # ``copy``'s keep-alive list: the ids stay theirs
    return memo


def _shared_memory(arrays: dict[int, np.ndarray[Any, Any]]) -> bool:
    """Whether two of ``arrays`` (distinct objects) share memory: a copy would cut them apart."""
    roots: set[int] = set()
    for array in arrays.values():
        base = array
        while isinstance(base.base, np.ndarray):
            base = base.base
        if id(base) in roots:
            return True
        roots.add(id(base))
    return False


def lend(state: DayState, loads: T, keep: tuple[object, ...] = ()) -> tuple[DayState, T]:
    """(state, loads) for a twin: copies whose arrays are read-only views of ``state``'s and ``loads``'
    (the same view wherever the originals are one array), but those of ``OWN_PARTS``, copied, and
    ``keep``, shared as it is."""
    found: dict[int, np.ndarray[Any, Any]] = {}
    kept: dict[int, object] = {}
    _arrays((state, loads), found, kept, keep)
    own: dict[int, np.ndarray[Any, Any]] = {}
    _arrays(tuple(getattr(state, name) for name in OWN_PARTS), own, {}, keep)
    memo = _memo((state, loads), kept)
    for key, array in found.items():
        if key not in own:
            view = array.view()
            view.flags.writeable = False
            memo[key] = view
    lent: tuple[DayState, T] = copy.deepcopy((state, loads), memo)
    return lent


def private(state: DayState, keep: tuple[object, ...] = ()) -> DayState | None:
    """A copy of ``state`` with arrays of its own, for the window to write while its arrays are lent: those
    ``lend`` shares are copied; ``OWN_PARTS`` (a twin has copies of its own) and ``keep`` stay as they are.
    None when two of its arrays share memory (a copy would not keep that: the caller works the day out
    anew instead)."""
    found: dict[int, np.ndarray[Any, Any]] = {}
    kept: dict[int, object] = {}
    own = tuple(getattr(state, name) for name in OWN_PARTS)
    _arrays(state, found, kept, (*keep, *(part for part in own if part is not None)))
    if _shared_memory(found):
        return None
    copied: DayState = copy.deepcopy(state, _memo((state,), kept))
    return copied
