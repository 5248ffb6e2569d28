"""Colour modes of the floor plan: what each item's fill says, worked out from one analysis.

Each mode turns a ``Results`` into a colour code per item id (an index into the mode's palette; -1
keeps the item's own catalog look) and a legend. Colours are absolute (kW bins, fractions of a
rating, the share itself), never relative to the busiest rack, so they follow the inference share,
the year and the hour. Pure numpy over the result arrays: no Qt, so 10,000 racks cost little.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from designer.analysis import Results
from designer.analysis.capacity import state_codes
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.types import WorkloadClass
from designer.ui.canvas.style import RACK_COLOURS

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class ColourMode(StrEnum):
    UTILISATION = "utilisation"
    IT_KW = "it_kw"
    HEAT = "heat"
    WORKLOAD = "workload"
    RISK = "risk"


MODE_NAMES: dict[ColourMode, str] = {
    ColourMode.UTILISATION: "Utilisation of rating",
    ColourMode.IT_KW: "IT load (kW)",
    ColourMode.HEAT: "Heat: air / liquid",
    ColourMode.WORKLOAD: "Workload class",
    ColourMode.RISK: "At risk / unserved",
}
"""What the user picks from, in menu order."""

NEUTRAL = "#d3d6db"
"""Items a mode says nothing about: light grey, so the ones it colours stand out."""
OK, WARN, OVER, UNKNOWN = "#009E73", "#E69F00", "#D55E00", "#9a9ea6"
"""Okabe-Ito green, orange and vermilion (as the utilisation chart), grey for not known."""

UTILISATION_STEP = 0.05
"""Below the continuous rating the fill darkens in steps of 5 % of rating, so a few per cent of load
moved by the share shows."""
UTILISATION_ANCHORS = ("#e3f0f7", "#9ccbe6", "#2a6aa8")
"""Light (idle) to dark blue (at the continuous rating)."""
KW_STEP, KW_TOP = 5.0, 150.0
"""IT kW per rack in 5 kW steps up to 150 kW (and more)."""
KW_ANCHORS = ("#f1f4fb", "#aec0e4", "#5e7ec0", "#1d2766")
"""One hue, light to dark, so a busy rack never looks like a warning."""
HEAT_STEP_KW, HEAT_TOP_KW = 10.0, 150.0
"""Heat per rack in 10 kW steps up to 150 kW, in cyan where most of it goes to air, violet to liquid."""
AIR_ANCHORS = ("#e0f5f7", "#42b5cb", "#065a6e")
LIQUID_ANCHORS = ("#ece6f6", "#8265bf", "#35176e")
AI_STEPS = 11
"""Racks of class "ai" in workload mode: the training colour blended to the inference colour in 10 % steps."""
UNSERVED_CODES = frozenset({"no_power_path", "no_cooling_path", "no_liquid_cooling"})
"""Findings whose racks get no supply at all (the analysis names them; see ``unserved_rack_ids``)."""

EntryOf = Callable[[str], CatalogEntry]


@dataclass(frozen=True, slots=True)
class Colouring:
    """Colour codes of one mode for ``rack_ids`` then ``component_ids`` (-1: the item's own look).

    The codes are worked out when asked for, and only for the items asked for (``codes_at``): a share
    move over a 50,000-rack campus recolours the few hundred items of the hall on the canvas, not the
    83,000 racks and components of every hall. ``codes`` are every item's."""

    mode: ColourMode
    rack_ids: npt.NDArray[np.str_]
    component_ids: npt.NDArray[np.str_]
    code_of: Callable[[IntArray], IntArray]
    """The codes of the items at these indices (into ``rack_ids`` then ``component_ids``), elementwise."""
    palette: tuple[str, ...]
    legend: tuple[tuple[str, str], ...]
    """(colour, words) rows, in reading order."""
    _asked: dict[str, tuple[IntArray, IntArray]] = field(default_factory=dict, compare=False, repr=False)
    """The last indices asked for and their codes ("at"), and every item's ("all")."""

    @property
    def codes(self) -> IntArray:
        """Every item's code."""
        kept = self._asked.get("all")
        if kept is None:
            indices = np.arange(self.rack_ids.size + self.component_ids.size)
            kept = self._asked["all"] = (indices, self.code_of(indices))
        return kept[1]

    def codes_at(self, indices: IntArray) -> IntArray:
        """The codes of the items at ``indices`` (the last indices' are kept: the same array asked
        again, as the canvas' items are at every move, is not worked out again)."""
        every = self._asked.get("all")
        if every is not None:
            return every[1][indices]
        kept = self._asked.get("at")
        if kept is None or kept[0] is not indices:
            kept = self._asked["at"] = (indices, self.code_of(np.asarray(indices, dtype=np.int64)))
        return kept[1]

    def colour_of(self, code: int) -> str | None:
        return None if code < 0 else self.palette[code]

    def values(self, indices: Sequence[int] | IntArray | None = None) -> dict[str, str | None]:
        """Colour names by item id (all, or only ``indices`` into the codes)."""
        racks = self.rack_ids.size
        picked = np.arange(self.rack_ids.size + self.component_ids.size) if indices is None \
            else np.asarray(indices, dtype=np.int64)
        rack_part, component_part = picked[picked < racks], picked[picked >= racks]
        picked = np.concatenate([rack_part, component_part])  # no copy of every id to pick a few
        ids = self.rack_ids[rack_part].tolist() + self.component_ids[component_part - racks].tolist()
        codes = self.codes if indices is None else self.code_of(picked)
        names = np.array([None, *self.palette], dtype=object)[codes + 1]
        return dict(zip(ids, names.tolist(), strict=True))

    def same_items(self, other: Colouring) -> bool:
        """Whether ``other`` codes the same ids in the same order with the same palette."""
        return (self.palette == other.palette
                and (other.rack_ids is self.rack_ids or np.array_equal(other.rack_ids, self.rack_ids))
                and (other.component_ids is self.component_ids
                     or np.array_equal(other.component_ids, self.component_ids)))


def _coded(codes: IntArray) -> Callable[[IntArray], IntArray]:
    """``Colouring.code_of`` of codes worked out for every item."""
    return lambda indices: codes[indices]


def _by_part(racks: int, rack_codes: Callable[[IntArray], IntArray],
             component_codes: Callable[[IntArray], IntArray]) -> Callable[[IntArray], IntArray]:
    """``Colouring.code_of`` from the codes of racks (by rack index) and of components (by component
    index), each worked out for the items asked for alone."""
    def code_of(indices: IntArray) -> IntArray:
        out = np.empty(indices.size, dtype=np.int64)
        is_rack = indices < racks
        out[is_rack] = rack_codes(indices[is_rack])
        out[~is_rack] = component_codes(indices[~is_rack] - racks)
        return out
    return code_of


@dataclass(frozen=True, slots=True)
class RackFacts:
    """What the modes need to know of each rack beyond the results (design kW, workload class)."""

    rack_ids: npt.NDArray[np.str_]
    design_kw: FloatArray
    workload: npt.NDArray[np.int64]
    """Index into WORKLOADS."""


WORKLOADS: tuple[WorkloadClass, ...] = tuple(WorkloadClass)


def rack_facts(project: Project, entry_of: EntryOf, rack_ids: npt.NDArray[np.str_]) -> RackFacts:
    """Design kW and workload class of each rack (its override, else its catalog entry's)."""
    items = project.items
    design = np.zeros(rack_ids.size, dtype=np.float64)
    workload = np.full(rack_ids.size, WORKLOADS.index(WorkloadClass.GENERAL), dtype=np.int64)
    index = {w: i for i, w in enumerate(WORKLOADS)}
    for i, rack_id in enumerate(rack_ids.tolist()):
        item = items.get(rack_id)
        if item is None:
            continue
        entry = entry_of(item.catalog_id)
        design[i] = item.design_kw if item.design_kw is not None else entry.capacity_kw
        workload[i] = index[item.workload or entry.workload or WorkloadClass.GENERAL]
    return RackFacts(rack_ids, design, workload)


def utilisation_state(util: FloatArray, derating: float) -> IntArray:
    """0 within the continuous rating, 1 above it, 2 over 100 %; -1 unrated (NaN).

    The analysis's own rule (``capacity.state_codes``, whose codes are these plus one), so the canvas
    and ``Results.component_state`` never disagree; ``derating`` is ``settings.continuous_derating``.
    """
    return np.asarray(state_codes(np.asarray(util, dtype=np.float64), derating) - 1, dtype=np.int64)


def utilisation_steps(derating: float) -> int:
    """How many 5 % shades lie below the continuous rating."""
    return max(1, math.ceil(derating / UTILISATION_STEP - 1e-9))


def utilisation_class(util: FloatArray, derating: float) -> IntArray:
    """Shade 0..S-1 (5 % steps) within the continuous rating, S above it, S+1 over 100 %; -1 unrated."""
    util = np.asarray(util, dtype=np.float64)
    steps = utilisation_steps(derating)
    shade = np.minimum(np.floor(np.clip(np.nan_to_num(util), 0.0, None) / UTILISATION_STEP + 1e-9), steps - 1)
    state = utilisation_state(util, derating)
    return np.where(state == 0, shade.astype(np.int64), np.where(state < 0, -1, steps - 1 + state))


def ramp(anchors: Sequence[str], n: int) -> tuple[str, ...]:
    """``n`` colours evenly along the piecewise-linear path through ``anchors``."""
    return _ramp(tuple(anchors), n)


@lru_cache(maxsize=64)
def _ramp(anchors: tuple[str, ...], n: int) -> tuple[str, ...]:
    """``ramp``, worked out once per anchors and count (every share move asked for the same shades)."""
    if n == 1:
        return (anchors[0],)
    out = []
    for k in range(n):
        t = k / (n - 1) * (len(anchors) - 1)
        i = min(int(t), len(anchors) - 2)
        out.append(_blend(anchors[i], anchors[i + 1], t - i))
    return tuple(out)


def unserved_rack_ids(results: Results) -> set[str]:
    """Racks the analysis found without a power path or the cooling they need: those it does not
    serve now (``Results.rack_served``: no live power or cooling), and those its findings name."""
    unserved = set(results.rack_ids[~np.asarray(results.rack_served, dtype=bool)].tolist())
    return unserved | {i for f in results.findings if f.code in UNSERVED_CODES for i in f.item_ids}


def _percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def _utilisation(results: Results, facts: RackFacts, derating: float) -> Colouring:
    steps = utilisation_steps(derating)
    rack_it_kw, design_kw = np.asarray(results.rack_it_kw), facts.design_kw
    capacity = np.asarray(results.component_capacity_kw, dtype=np.float64)
    utilisation = np.asarray(results.component_utilization)

    def rack_codes(racks: IntArray) -> IntArray:
        design = design_kw[racks]
        util = np.divide(rack_it_kw[racks], design, out=np.full(design.size, np.nan), where=design > 0)
        return utilisation_class(util, derating)

    def component_codes(components: IntArray) -> IntArray:
        return utilisation_class(np.where(capacity[components] > 0, utilisation[components], np.nan), derating)

    by_part = _by_part(results.rack_ids.size, rack_codes, component_codes)

    def code_of(indices: IntArray) -> IntArray:
        codes = by_part(indices)
        codes[codes < 0] = steps + 2
        return codes

    shades = ramp(UTILISATION_ANCHORS, steps)
    palette = (*shades, WARN, OVER, NEUTRAL)
    legend = ((shades[0], "idle"), (shades[steps // 2], f"{_percent(steps // 2 * UTILISATION_STEP)} of rating"),
              (shades[-1], f"up to the {_percent(derating)} continuous rating"),
              (WARN, f"above the {_percent(derating)} continuous rating"), (OVER, "over 100 % of rating"),
              (NEUTRAL, "no rating"))
    return Colouring(ColourMode.UTILISATION, results.rack_ids, results.component_ids, code_of, palette, legend)


def _it_kw(results: Results) -> Colouring:
    steps = round(KW_TOP / KW_STEP) + 1
    shades = ramp(KW_ANCHORS, steps)
    rack_it_kw = np.asarray(results.rack_it_kw)

    def rack_codes(racks: IntArray) -> IntArray:
        return np.minimum(np.floor(np.clip(np.nan_to_num(rack_it_kw[racks]), 0.0, None) / KW_STEP),
                          steps - 1).astype(np.int64)

    def component_codes(components: IntArray) -> IntArray:
        return np.full(components.size, steps, dtype=np.int64)

    legend = tuple((shades[round(kw / KW_STEP)], f"rack {kw:g} kW") for kw in (0.0, 50.0, 100.0))
    legend += ((shades[-1], f"rack {KW_TOP:g} kW and more"), (NEUTRAL, "equipment"))
    return Colouring(ColourMode.IT_KW, results.rack_ids, results.component_ids,
                     _by_part(results.rack_ids.size, rack_codes, component_codes), (*shades, NEUTRAL), legend)


def _heat(results: Results) -> Colouring:
    liquid_kw = np.asarray(results.rack_heat_liquid_kw, dtype=np.float64)
    air_kw = np.asarray(results.rack_heat_air_kw, dtype=np.float64)
    steps = round(HEAT_TOP_KW / HEAT_STEP_KW) + 1
    air_shades, liquid_shades = ramp(AIR_ANCHORS, steps), ramp(LIQUID_ANCHORS, steps)
    cooling = np.asarray(results.component_kinds) == "cooling"

    def rack_codes(racks: IntArray) -> IntArray:
        liquid, air = np.nan_to_num(liquid_kw[racks]), np.nan_to_num(air_kw[racks])
        level = np.minimum(np.floor(np.clip(liquid + air, 0.0, None) / HEAT_STEP_KW), steps - 1).astype(np.int64)
        return np.where(liquid > air, steps + level, level)

    def component_codes(components: IntArray) -> IntArray:
        return np.where(cooling[components], -1, 2 * steps)  # cooling units keep their look, power equipment greys out

    half = steps // 2
    legend = tuple((shades[k], f"mostly {medium}, {k * HEAT_STEP_KW:g} kW" + (" and more" if k == steps - 1 else ""))
                   for medium, shades in (("air", air_shades), ("liquid", liquid_shades)) for k in (1, half, steps - 1))
    return Colouring(ColourMode.HEAT, results.rack_ids, results.component_ids,
                     _by_part(results.rack_ids.size, rack_codes, component_codes),
                     (*air_shades, *liquid_shades, NEUTRAL), (*legend, (NEUTRAL, "power equipment")))


def _blend(a: str, b: str, t: float) -> str:
    ca, cb = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def _workload(results: Results, facts: RackFacts) -> Colouring:
    training, inference = RACK_COLOURS[WorkloadClass.TRAINING], RACK_COLOURS[WorkloadClass.INFERENCE]
    blends = tuple(_blend(training, inference, k / (AI_STEPS - 1)) for k in range(AI_STEPS))
    fixed = tuple(RACK_COLOURS.get(w, NEUTRAL) for w in WORKLOADS)
    step = round(min(max(results.inference_share, 0.0), 1.0) * (AI_STEPS - 1))
    ai = WORKLOADS.index(WorkloadClass.AI)
    rack_codes = np.where(facts.workload == ai, len(fixed) + step, facts.workload)
    codes = np.concatenate([rack_codes, np.full(results.component_ids.size, len(fixed) + AI_STEPS)])
    legend = [(fixed[i], w.value) for i, w in enumerate(WORKLOADS) if w is not WorkloadClass.AI]
    legend.insert(2, (blends[step], f"ai, now {step * 100 // (AI_STEPS - 1)} % inference"))
    return Colouring(ColourMode.WORKLOAD, results.rack_ids, results.component_ids, _coded(codes.astype(np.int64)),
                     (*fixed, *blends, NEUTRAL), (*legend, (NEUTRAL, "equipment")))


def _risk(results: Results) -> Colouring:
    unserved = np.isin(results.rack_ids, np.array(sorted(unserved_rack_ids(results)), dtype=results.rack_ids.dtype))
    analysed = results.failures_analysed
    survives = np.asarray(results.rack_survives_single_failures, dtype=bool)
    rack_codes = np.where(unserved, 0, 4 if not analysed else np.where(survives, 3, 2))
    util = np.asarray(results.component_utilization, dtype=np.float64)
    worst = np.asarray(results.component_worst_failure_utilization, dtype=np.float64)
    rated = np.asarray(results.component_capacity_kw, dtype=np.float64) > 0
    comp_codes = np.where(util > 1.0 + 1e-9, 1, 4 if not analysed else np.where(worst > 1.0 + 1e-9, 2, 3))
    comp_codes = np.where(rated | (util > 1.0 + 1e-9), comp_codes, 5)
    palette = (OVER, "#a83a00", WARN, OK, UNKNOWN, NEUTRAL)
    legend = ((OVER, "unserved: no power or cooling path"), (palette[1], "over 100 % of rating now"),
              (WARN, "at risk: a single failure cuts or overloads it"), (OK, "survives any single failure"),
              (UNKNOWN, "single failures not analysed yet"), (NEUTRAL, "no rating"))
    return Colouring(ColourMode.RISK, results.rack_ids, results.component_ids,
                     _coded(np.concatenate([rack_codes, comp_codes]).astype(np.int64)), palette, legend)


def colouring_for(mode: ColourMode, results: Results, facts: RackFacts, derating: float) -> Colouring:
    """The colour codes and legend of ``mode`` for one analysis."""
    if mode is ColourMode.UTILISATION:
        return _utilisation(results, facts, derating)
    if mode is ColourMode.IT_KW:
        return _it_kw(results)
    if mode is ColourMode.HEAT:
        return _heat(results)
    if mode is ColourMode.WORKLOAD:
        return _workload(results, facts)
    return _risk(results)


def live_caption(results: Results) -> str:
    """What the colours show: ``at 40 % inference · 2030 · 14:00``."""
    parts = [f"at {results.inference_share * 100:.0f} % inference"]
    if results.year is not None:
        parts.append(str(results.year))
    parts.append(f"{results.hour:02d}:00")
    return " · ".join(parts)
