"""Capacity checks: component utilisation, floor loading and stranded capacity per hall and pod.

Stranded capacity, per scope (a hall, or a pod), in "average racks of this scope":

* power: firm capacity = sum of the ratings of the components that feed the scope's racks directly,
  times the continuous derating, divided by the number of feed sides in use (2 for A/B, as each
  side must carry everything alone); used = peak IT kW of the scope's racks.
* liquid and air cooling, separately (an air unit cannot take liquid heat): firm capacity = sum
  of the ratings of the units that cool the scope's racks directly on that medium, minus the
  largest unit of each redundancy group (``PlacedItem.group``) and the largest ungrouped unit
  (N+1); used = the racks' liquid heat (liquid fraction x IT kW) or air heat (the rest).
* used loads are taken at the scope's own daily peak (the hour of its highest IT load).
* space (halls only): free = hall area minus the footprints of every item in it; one more rack
  takes its footprint times ``AISLE_FACTOR`` (its share of the aisles).
* floor (halls only): free = floor rating times hall area minus the weight of every item in it.

Each resource gives a number of racks that could still be added (free / per-rack need); the
smallest *binds*. What the other resources have left after that many racks is *stranded*: paid
for but unusable until the binding one is relieved. A component or supplier shared by several
scopes counts fully in each (kept simple; the per-component utilisation is the exact check).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from designer.analysis.findings import Finding, id_list
from designer.analysis.flow import FlowNetwork
from designer.analysis.loads import BoolArray, FloatArray, IntArray, RackTable
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.records import Hall, PlacedItem

AISLE_FACTOR = 2.5
"""Floor area per rack (incl. its share of hot and cold aisles) over its own footprint."""
RESOURCES: tuple[str, ...] = ("power", "liquid_cooling", "air_cooling", "space", "floor")


STATES: tuple[str, ...] = ("none", "ok", "warn", "over")
"""Component states by code (``state_codes``): none (unrated or unknown), ok, warn (above the
continuous derating, ``ProjectSettings.continuous_derating``), over (above 100 % of rating)."""
STATE_TOLERANCE = 1e-9
"""A utilisation equal to a threshold (to rounding) is at it, not above it."""


def state_codes(util: FloatArray, warn_at: float, rated: BoolArray | None = None) -> IntArray:
    """The state code (index into ``STATES``) of each utilisation; the one rule every view reads."""
    values = np.asarray(util, dtype=np.float64)
    codes = np.where(values > 1.0 + STATE_TOLERANCE, 3, np.where(values > warn_at + STATE_TOLERANCE, 2, 1))
    codes[~np.isfinite(values)] = 0
    if rated is not None:
        codes[~rated] = 0
    return np.asarray(codes, dtype=np.int64)


def utilization(load_kw: FloatArray, capacity_kw: FloatArray) -> FloatArray:
    """load / capacity, 0 where the capacity is unknown (0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(capacity_kw > 0, load_kw / np.where(capacity_kw > 0, capacity_kw, 1.0), 0.0)


def capacity_findings(ids: Sequence[str], util: FloatArray, derating: float,
                      state: IntArray | None = None) -> list[Finding]:
    """Error above 100 %, warning above the continuous derating (e.g. 80 %). ``state``: the caller's
    ``state_codes(util, derating, rated)`` (an unrated component's utilisation is 0, never over)."""
    findings = []
    if state is None:
        state = state_codes(util, derating)
    over = [ids[int(i)] for i in np.flatnonzero(state == 3)]
    if over:
        message = f"{len(over)} component(s) over 100 % of rating: {id_list(over)}"
        findings.append(Finding("error", "over_capacity", message,
                                tuple(over)))
    high = [ids[int(i)] for i in np.flatnonzero(state == 2)]
    if high:
        findings.append(Finding("warning", "above_derating",
                                f"{len(high)} component(s) above the {derating:.0%} continuous rating: {id_list(high)}",
                                tuple(high)))
    return findings


def floor_findings(table: RackTable) -> list[Finding]:
    """Racks whose weight over footprint exceeds their hall's floor rating."""
    heavy = [table.ids[i] for i in np.flatnonzero(table.floor_kg_m2 > table.floor_rating_kg_m2 + 1e-9)]
    if not heavy:
        return []
    return [Finding("warning", "floor_overload",
                    f"{len(heavy)} rack(s) load the floor beyond the hall rating: {id_list(heavy)}", tuple(heavy))]


@dataclass(frozen=True, slots=True)
class Scopes:
    """Halls then pods, with what each holds and what serves it (everything a load-independent input)."""

    ids: tuple[str, ...]
    kinds: tuple[str, ...]
    """"hall" or "pod"."""
    membership: IntArray
    """(racks, 2) scope index of each rack: hall column, pod column (-1 for no pod)."""
    matrix: sp.csr_matrix
    """(scopes, racks) 1 where a rack belongs to a scope."""
    rack_count: FloatArray
    power_firm_kw: FloatArray
    liquid_firm_kw: FloatArray
    air_firm_kw: FloatArray
    space_free_m2: FloatArray
    """inf for pods."""
    floor_free_kg: FloatArray
    """inf for pods."""
    rack_area_m2: FloatArray
    """Average footprint x AISLE_FACTOR of the scope's racks."""
    rack_weight_kg: FloatArray
    split_racks: tuple[IntArray, ...] = ()
    """Per network and medium, the racks whose design kW splits a supplier between scopes (a supplier
    whose racks stand in two scopes, or in one and none): the firm capacities read their design kW."""
    direct_racks: tuple[IntArray, ...] = ()
    """Per network and medium, the racks fed straight by a supplier (all zero design kW weighs them
    equally)."""


@dataclass(frozen=True, slots=True)
class SplitWatch:
    """What of the racks' design kW ``scopes`` was built on: while it stands the firm capacities do,
    so a design kW edit rebuilds the scopes only when it moves a shared supplier's split (a split
    rack's design kW, to the bit) or turns a directly fed group's design kW all zero or not."""

    split: BoolArray
    """(racks,) the racks of every ``Scopes.split_racks``."""
    direct: tuple[tuple[BoolArray, IntArray], ...]
    """(racks mask, racks) of each ``Scopes.direct_racks``."""
    positive: tuple[bool, ...]
    """Whether any rack of each direct group had a positive design kW."""

    @classmethod
    def of(cls, scopes: Scopes, design_kw: FloatArray) -> SplitWatch:
        split = np.zeros(design_kw.size, dtype=bool)
        for racks in scopes.split_racks:
            split[racks] = True
        direct = []
        for racks in scopes.direct_racks:
            mask = np.zeros(design_kw.size, dtype=bool)
            mask[racks] = True
            direct.append((mask, racks))
        return cls(split, tuple(direct), tuple(bool(np.any(design_kw[racks] > 0)) for racks in scopes.direct_racks))

    def moved(self, before_kw: FloatArray, design_kw: FloatArray) -> bool:
        """Whether ``design_kw`` moves what the scopes read, from ``before_kw`` (design kW this
        watch stands for): only the racks whose design kW changed are looked at."""
        if before_kw.shape != design_kw.shape:
            return True
        changed = np.flatnonzero(before_kw.view(np.int64) != design_kw.view(np.int64))
        if bool(self.split[changed].any()):
            return True
        hit = [bool(mask[changed].any()) for mask, _racks in self.direct]
        if not any(hit):
            return False
        # whether each group touched has load now: one compare of the racks, then the group's mask (the
        # groups list a rack once per supplier: 345k gathered indices at 50k racks cost ~0.3 ms)
        loaded = design_kw > 0
        return any(touched and bool(np.any(mask & loaded)) != positive
                   for touched, (mask, _racks), positive in zip(hit, self.direct, self.positive, strict=True))


def _direct_suppliers(network: FlowNetwork, medium_column: int) -> tuple[IntArray, IntArray]:
    """(rack, supplier component) pairs of every rack-feeding connection of one ``rack_node`` column."""
    n_comp = network.n_components
    classes = set(np.unique(network.rack_node[:, medium_column]).tolist()) - {-1}
    racks: list[IntArray] = []
    suppliers: list[IntArray] = []
    for e in np.flatnonzero(network.edge_target >= n_comp):
        target = int(network.edge_target[e])
        if target in classes:
            members = network.class_racks[target - n_comp]
            racks.append(members)
            suppliers.append(np.full(members.size, network.edge_source[e]))
    if not racks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(racks), np.concatenate(suppliers)


def build_scopes(
    table: RackTable,
    power: FlowNetwork,
    cooling: FlowNetwork,
    halls: Mapping[str, Hall],
    items: Mapping[str, PlacedItem],
    entries: Mapping[str, CatalogEntry],
    derating: float,
) -> Scopes:
    """Scope inventory for ``stranded_capacity``."""
    hall_ids = list(halls)
    pod_ids = sorted({p for p in table.pod_ids if p is not None})
    ids = (*hall_ids, *pod_ids)
    index = {scope_id: i for i, scope_id in enumerate(ids)}
    n_scopes, n_racks = len(ids), len(table.ids)
    membership = np.full((n_racks, 2), -1, dtype=np.int64)
    membership[:, 0] = [index.get(h, -1) for h in table.hall_ids]
    membership[:, 1] = [index[p] if p is not None else -1 for p in table.pod_ids]

    rack_count = np.zeros(n_scopes)
    area = np.zeros(n_scopes)
    weight = np.zeros(n_scopes)
    for col in range(2):
        member = membership[:, col] >= 0
        np.add.at(rack_count, membership[member, col], 1.0)
        np.add.at(area, membership[member, col], table.footprint_m2[member])
        np.add.at(weight, membership[member, col], table.weight_kg[member])
    with np.errstate(divide="ignore", invalid="ignore"):
        rack_area = np.where(rack_count > 0, area / np.maximum(rack_count, 1) * AISLE_FACTOR, np.inf)
        rack_weight = np.where(rack_count > 0, weight / np.maximum(rack_count, 1), np.inf)

    split_racks: list[IntArray] = []
    direct_racks: list[IntArray] = []

    def scope_supplier_pairs(network: FlowNetwork, medium_column: int, col: int) -> tuple[IntArray, FloatArray]:
        """(scope, supplier) pairs and the share of the supplier each scope may count: the part of the
        design load it feeds that stands in the scope (a busway or CRAH serving two halls is split
        between them, not counted whole in each)."""
        rack, supplier = _direct_suppliers(network, medium_column)
        scope = membership[rack, col]
        if col == 0:
            direct_racks.append(rack)
        if rack.size:  # the racks whose design kW this split reads (scope -1 counts: it takes a part)
            distinct = np.unique(np.stack([scope, supplier], axis=1), axis=0)
            shared = np.bincount(distinct[:, 1], minlength=network.n_components) > 1
            split_racks.append(rack[shared[supplier]])
        weight = np.maximum(table.design_kw[rack], 0.0) if rack.size else np.zeros(0)
        if rack.size and not np.any(weight > 0):
            weight = np.ones(rack.size)
        total = np.zeros(network.n_components)
        np.add.at(total, supplier, weight)
        keep = scope >= 0
        pairs, inverse = np.unique(np.stack([scope[keep], supplier[keep]], axis=1), axis=0, return_inverse=True)
        pairs = pairs.reshape(-1, 2)
        share = np.zeros(pairs.shape[0])
        np.add.at(share, np.asarray(inverse).reshape(-1), weight[keep])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total[pairs[:, 1]] > 0, share / total[pairs[:, 1]], 1.0)
        return pairs, share

    power_firm = np.zeros(n_scopes)
    sides = np.ones(n_scopes)
    groups = power.group_count()
    for col in range(2):
        pairs, share = scope_supplier_pairs(power, 0, col)
        # a dead supplier (no live path from a source) gives no firm capacity
        np.add.at(power_firm, pairs[:, 0], power.capacity_kw[pairs[:, 1]] * power.live[pairs[:, 1]] * share)
        member = membership[:, col] >= 0
        node = power.rack_node[member, 0]
        rack_groups = np.ones(node.size)
        fed = node >= 0
        rack_groups[fed] = groups[node[fed]]
        np.maximum.at(sides, membership[member, col], rack_groups)
    power_firm *= derating / sides

    def cooling_firm(medium_column: int) -> FloatArray:
        firm = np.zeros(n_scopes)
        for col in range(2):
            pairs, share = scope_supplier_pairs(cooling, medium_column, col)
            by_scope: dict[int, list[tuple[int, float]]] = {}
            for (scope, unit), part in zip(pairs.tolist(), share.tolist(), strict=True):
                by_scope.setdefault(scope, []).append((unit, part))
            for scope, units in by_scope.items():
                # N+1 per group: the scope's part of each unit, less the largest part in each group of two or more
                largest: dict[str | None, float] = {}
                counts: dict[str | None, int] = {}
                total = 0.0
                for unit, part in units:
                    item = items.get(cooling.component_ids[unit])
                    group = item.group if item is not None else None
                    counted = float(cooling.capacity_kw[unit]) * part * float(cooling.live[unit])
                    total += counted
                    largest[group] = max(largest.get(group, 0.0), counted)
                    counts[group] = counts.get(group, 0) + 1
                spare = sum(cap for group, cap in largest.items() if counts[group] > 1)
                firm[scope] = total - spare
        return firm

    space_free = np.full(n_scopes, np.inf)
    floor_free = np.full(n_scopes, np.inf)
    for i, hall_id in enumerate(hall_ids):
        hall = halls[hall_id]
        space_free[i] = hall.area_m2
        floor_free[i] = hall.floor_rating_kg_m2 * hall.area_m2
    for item in items.values():
        entry = entries.get(item.id)
        i = index.get(item.hall_id, -1)
        if entry is None or i < 0 or i >= len(hall_ids):
            continue
        if entry.parameters.get("overhead") is not True:  # overhead busway takes no floor
            space_free[i] -= entry.footprint_m2
        floor_free[i] -= effective.weight_kg(item, entry)
    liquid_firm, air_firm = cooling_firm(0), cooling_firm(1)
    rows = np.concatenate([membership[:, 0], membership[:, 1]])
    cols = np.concatenate([np.arange(n_racks), np.arange(n_racks)])
    keep = rows >= 0
    return Scopes(
        ids=ids,
        kinds=(*("hall" for _ in hall_ids), *("pod" for _ in pod_ids)),
        membership=membership,
        matrix=sp.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])), shape=(n_scopes, n_racks)),
        rack_count=rack_count,
        power_firm_kw=power_firm,
        liquid_firm_kw=liquid_firm,
        air_firm_kw=air_firm,
        space_free_m2=space_free,
        floor_free_kg=floor_free,
        rack_area_m2=rack_area,
        rack_weight_kg=rack_weight,
        split_racks=tuple(split_racks),
        direct_racks=tuple(direct_racks),
    )


@dataclass(frozen=True, slots=True)
class StrandedCapacity:
    """Per scope (rows follow ``scope_ids``); trailing dimensions follow the load columns given."""

    scope_ids: tuple[str, ...]
    scope_kinds: tuple[str, ...]
    power_firm_kw: FloatArray
    power_used_kw: FloatArray
    liquid_firm_kw: FloatArray
    liquid_used_kw: FloatArray
    air_firm_kw: FloatArray
    air_used_kw: FloatArray
    space_free_m2: FloatArray
    floor_free_kg: FloatArray
    racks_addable: FloatArray
    """NaN for a scope without racks."""
    binding: IntArray
    """Index into RESOURCES of the resource that runs out first; -1 for a scope without racks."""
    stranded_power_kw: FloatArray
    stranded_liquid_kw: FloatArray
    stranded_air_kw: FloatArray
    stranded_space_m2: FloatArray
    stranded_floor_kg: FloatArray


def scope_sums(scopes: Scopes, rack_values: FloatArray) -> FloatArray:
    """(scopes, ...) sums of a (racks, ...) array over each scope's racks."""
    return np.asarray(scopes.matrix @ rack_values, dtype=np.float64)


def stranded_capacity(
    scopes: Scopes, power_used_kw: FloatArray, liquid_heat_kw: FloatArray, air_heat_kw: FloatArray
) -> StrandedCapacity:
    """Which resource binds first in each scope and what the others have left unusable.

    The loads are (scopes, ...) peak values; the result has the same shape. A resource the
    scope's average rack does not need (e.g. liquid cooling for air racks) never binds.
    """
    shape = power_used_kw.shape
    extra = (slice(None), *([None] * (len(shape) - 1)))
    count = np.maximum(scopes.rack_count, 1.0)[extra]
    free = np.stack([
        scopes.power_firm_kw[extra] - power_used_kw,
        scopes.liquid_firm_kw[extra] - liquid_heat_kw,
        scopes.air_firm_kw[extra] - air_heat_kw,
        np.broadcast_to(scopes.space_free_m2[extra], shape),
        np.broadcast_to(scopes.floor_free_kg[extra], shape),
    ])
    need = np.stack([
        power_used_kw / count,
        liquid_heat_kw / count,
        air_heat_kw / count,
        np.broadcast_to(scopes.rack_area_m2[extra], shape),
        np.broadcast_to(scopes.rack_weight_kg[extra], shape),
    ])
    usable = np.where(np.isfinite(free), np.maximum(free, 0.0), np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        racks = np.where(need > 1e-12, usable / np.where(need > 1e-12, need, 1.0), np.inf)
    binding = np.argmin(racks, axis=0)
    addable = np.min(racks, axis=0)
    addable = np.where(np.isfinite(addable), addable, 0.0)
    # a scope without racks has no "average rack": nothing binds, nothing is stranded
    empty = (scopes.rack_count <= 0)[extra] & np.ones(shape, dtype=bool)
    binding = np.where(empty, -1, binding)
    addable = np.where(empty, np.nan, addable)
    with np.errstate(invalid="ignore"):
        left = np.where(np.isfinite(usable), usable - np.nan_to_num(addable)[None] * np.where(need > 1e-12, need, 0.0),
                        0.0)
    left = np.where(empty[None], 0.0, np.maximum(left, 0.0))
    return StrandedCapacity(
        scope_ids=scopes.ids,
        scope_kinds=scopes.kinds,
        power_firm_kw=np.broadcast_to(scopes.power_firm_kw[extra], shape).copy(),
        power_used_kw=power_used_kw,
        liquid_firm_kw=np.broadcast_to(scopes.liquid_firm_kw[extra], shape).copy(),
        liquid_used_kw=liquid_heat_kw,
        air_firm_kw=np.broadcast_to(scopes.air_firm_kw[extra], shape).copy(),
        air_used_kw=air_heat_kw,
        space_free_m2=np.asarray(free[3], dtype=np.float64).copy(),
        floor_free_kg=np.asarray(free[4], dtype=np.float64).copy(),
        racks_addable=addable,
        binding=binding.astype(np.int64),
        stranded_power_kw=left[0],
        stranded_liquid_kw=left[1],
        stranded_air_kw=left[2],
        stranded_space_m2=left[3],
        stranded_floor_kg=left[4],
    )
