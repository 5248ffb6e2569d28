"""Each hall's state for the site plan: IT load, racks, and the worst of its findings, from one analysis.

The worst of: racks unserved now (error), racks a single failure drops or parts over their rating
(warning), else ok. A hall is only called ok when the single failures were analysed: before that
it is "unchecked", never healthy by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from designer.analysis.results import Results
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.types import ItemKind

EntryOf = Callable[[str], CatalogEntry]
OVER_CODE = 3
WARN_CODE = 2
"""Indices into ``capacity.STATES`` (none / ok / warn / over)."""


class HallCondition(StrEnum):
    UNKNOWN = "unknown"
    """No analysis yet."""
    NOT_IN_SERVICE = "not in service"
    """Its racks are all planned for later years (or retired) in the analysed year: no state to give."""
    UNCHECKED = "unchecked"
    """Served and within ratings now, single failures not analysed yet."""
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class HallState:
    """What the site plan says of one hall."""

    hall_id: str
    racks: int
    it_kw: float
    """IT load of its racks at the analysis hour (0 without an analysis)."""
    unserved: int
    at_risk: int | None
    """Served racks some single failure drops (None: failures not analysed)."""
    over: int
    """Its power and cooling parts over their rating now, or after some single failure."""
    condition: HallCondition
    in_service: int | None = None
    """Its racks in the analysed design (a phased build-out's year); None without an analysis."""

    def words(self) -> str:
        """Why it has its colour, in a few words (the site plan's tooltip and label)."""
        if self.condition is HallCondition.UNKNOWN:
            return "not analysed yet"
        if self.condition is HallCondition.NOT_IN_SERVICE:
            return "not in service in the analysed year"
        parts = []
        if self.unserved:
            parts.append(f"{self.unserved} racks unserved")
        if self.at_risk:
            parts.append(f"{self.at_risk} racks at risk")
        if self.over:
            parts.append(f"{self.over} parts over rating")
        if parts:
            return ", ".join(parts)
        if self.condition is HallCondition.UNCHECKED:
            return "single failures not checked yet"
        return "ok"


def hall_states(project: Project, entry_of: EntryOf, results: Results | None) -> dict[str, HallState]:
    """The state of every hall of ``project`` from ``results`` (None: rack counts only, state unknown)."""
    items = project.items
    hall_ids = list(project.halls)
    index = {hall_id: i for i, hall_id in enumerate(hall_ids)}
    n = len(hall_ids)
    racks = np.zeros(n, dtype=np.int64)
    for item in items.values():
        if entry_of(item.catalog_id).kind is ItemKind.RACK and item.hall_id in index:
            racks[index[item.hall_id]] += 1
    if results is None:
        return {h: HallState(h, int(racks[i]), 0.0, 0, None, 0, HallCondition.UNKNOWN) for i, h in enumerate(hall_ids)}

    def hall_of(ids: np.ndarray) -> np.ndarray:
        return np.fromiter((index.get(items[i].hall_id, -1) if i in items else -1 for i in ids.tolist()),
                           dtype=np.int64, count=ids.size)

    rack_hall = hall_of(results.rack_ids)
    known = rack_hall >= 0
    it_kw = np.bincount(rack_hall[known], weights=results.rack_it_kw[known], minlength=n)
    unserved = np.bincount(rack_hall[known & ~results.rack_served], minlength=n)
    in_service = np.bincount(rack_hall[known], minlength=n)
    at_risk = None
    if results.failures_analysed:
        risky = known & results.rack_served & ~results.rack_survives_single_failures
        at_risk = np.bincount(rack_hall[risky], minlength=n)
    part_hall = hall_of(results.component_ids)
    worst = np.maximum(results.component_state, results.component_worst_failure_state)
    over_mask = (part_hall >= 0) & (worst >= OVER_CODE)
    over = np.bincount(part_hall[over_mask], minlength=n)
    out: dict[str, HallState] = {}
    for i, hall_id in enumerate(hall_ids):
        risk = None if at_risk is None else int(at_risk[i])
        if racks[i] and not in_service[i]:
            condition = HallCondition.NOT_IN_SERVICE
        elif unserved[i]:
            condition = HallCondition.ERROR
        elif risk or over[i]:
            condition = HallCondition.WARNING
        elif risk is None:
            condition = HallCondition.UNCHECKED
        else:
            condition = HallCondition.OK
        out[hall_id] = HallState(hall_id, int(racks[i]), float(it_kw[i]), int(unserved[i]), risk, int(over[i]),
                                 condition, int(in_service[i]))
    return out
