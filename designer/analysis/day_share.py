"""The kept day lent read-only to a twin analyzer on another thread, and copied before a write while lent.

The idle pass (single failures, headroom, maintenance pairs) runs on a worker from a twin analyzer
(``Analyzer.detached``) at the point the window last analysed: the same day arrays the window keeps
(``day_state.DayState``, ~75 MB at 50,000 racks). Instead of the twin working them out again into its
own arrays, the window lends them: the twin gets a copy of the day's small bookkeeping whose arrays are
read-only views of the window's (``lend``), but for the scope sums it writes (2.3 MB at 50k racks; the
nameplate sums too when it has racks to redo in them, else it reads them), and the window's ``Loads`` of
that day likewise. The window writes its day in place (a
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
sums): a twin gets copies of the arrays of those it writes in place (``_written_parts``); every other
array of the day is a read-only view."""

UNWRITTEN = ("by_target", "by_source")
"""Fields of ``fed_day`` never written in place (edge indices, made anew when the networks change): a twin
reads them as views and the window's copy (``private``) shares them (2.2 MB at 50k racks)."""

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


def _unwritten(state: DayState) -> tuple[object, ...]:
    """The containers of ``state``'s arrays that no analysis writes in place (``UNWRITTEN``)."""
    fed = state.fed_day
    return () if fed is None else tuple(getattr(fed, name) for name in UNWRITTEN)


def _written_parts(state: DayState) -> tuple[object, ...]:
    """The parts of ``OWN_PARTS`` a twin's analysis at the lent point writes in place: ``scope_day`` always
    (``day_state.scope_day`` writes its sums on every call, if only at no row), ``fed_day`` only when racks
    are noted for it to redo (``day_state.fed_day`` otherwise reads it, or makes a new one)."""
    fed_racks = state.fed_racks
    written: list[object | None] = [state.scope_day]
    if fed_racks is not None and fed_racks.size:
        written.append(state.fed_day)
    return tuple(part for part in written if part is not None)


def lend(state: DayState, loads: T, keep: tuple[object, ...] = ()) -> tuple[DayState, T]:
    """(state, loads) for a twin: copies whose arrays are read-only views of ``state``'s and ``loads``'
    (the same view wherever the originals are one array), but those of the parts of ``OWN_PARTS`` the twin
    writes (``_written_parts``), copied, and ``keep``, shared as it is."""
    found: dict[int, np.ndarray[Any, Any]] = {}
    kept: dict[int, object] = {}
    _arrays((state, loads), found, kept, keep)
    own: dict[int, np.ndarray[Any, Any]] = {}
    _arrays(_written_parts(state), own, {}, (*keep, *_unwritten(state)))
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
    ``lend`` may share are copied (``fed_day``'s too: a twin reads them as views unless it had racks to
    redo); ``scope_day`` (a twin has a copy of its own), ``UNWRITTEN`` and ``keep`` stay as they are.
    None when two of its arrays share memory (a copy would not keep that: the caller works the day out
    anew instead)."""
    found: dict[int, np.ndarray[Any, Any]] = {}
    kept: dict[int, object] = {}
    own = (state.scope_day, *_unwritten(state))
    _arrays(state, found, kept, (*keep, *(part for part in own if part is not None)))
    if _shared_memory(found):
        return None
    copied: DayState = copy.deepcopy(state, _memo((state,), kept))
    return copied
