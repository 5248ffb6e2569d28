"""The compiled networks of one topology (``Compiled``: the networks, their shares and weights, and the
caches that follow them) and the read-only id arrays shared by every result of it (``Labels``)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from designer.analysis import coupling
from designer.analysis import facility as facility_mod
from designer.analysis.air_side import FanGroupPlan, HallAirUnits, HallIndex
from designer.analysis.capacity import Scopes, SplitWatch
from designer.analysis.failures import FailureStructure, failure_structure
from designer.analysis.findings import Finding
from designer.analysis.flow import DeltaPlan, FlowNetwork, LevelWeights, fraction_aggregators, rack_fractions
from designer.analysis.loads import BoolArray, FloatArray, IntArray, RackTable
from designer.analysis.maintenance import PairStructure
from designer.analysis.results import StrArray, frozen
from designer.analysis.topology import TopologyFacts
from designer.model.types import Role


@dataclass(frozen=True, slots=True)
class Labels:
    """Read-only id arrays shared by every Results of one topology."""

    component_id_list: tuple[str, ...]
    component_ids: StrArray
    component_kinds: StrArray
    component_roles: StrArray
    rack_ids: StrArray
    shared: _ComponentLabels | None = field(default=None, compare=False, repr=False)
    """What holds the component arrays in ``_COMPONENT_LABELS`` (shared with other topologies' labels)."""

    @classmethod
    def of(cls, power: FlowNetwork, cooling: FlowNetwork, rack_ids: tuple[str, ...]) -> Labels:
        ids = (*power.component_ids, *cooling.component_ids)
        roles = (*power.roles, *cooling.roles)
        with _COMPONENT_LABELS_LOCK:  # analyses run on worker threads too
            shared = _COMPONENT_LABELS.get(ids)
        if shared is None or shared.n_power != power.n_components or shared.roles != roles:
            # "power" for each power component, then "cooling" for each cooling one (as ``_str_array`` of
            # that list makes it: as wide as the longest name present)
            counts = [n for n in (power.n_components, cooling.n_components) if n]
            names = [name for name, n in (("power", power.n_components), ("cooling", cooling.n_components)) if n]
            shared = _ComponentLabels(ids, power.n_components, roles, frozen(_str_array(ids)),
                                      frozen(np.repeat(_str_array(names), counts)), frozen(_role_values(roles)))
            with _COMPONENT_LABELS_LOCK:
                _COMPONENT_LABELS[ids] = shared
        return cls(shared.ids, shared.component_ids, shared.component_kinds, shared.component_roles,
                   frozen(_str_array(rack_ids)), shared)


@dataclass(frozen=True, slots=True, weakref_slot=True)
class _ComponentLabels:
    """The components' part of ``Labels``, shared by every topology with the same components (the years
    of a phased build-out whose plant stands from the start: at 50,000 racks seven years' copies of these
    read-only arrays were 31 MB)."""

    ids: tuple[str, ...]
    n_power: int
    roles: tuple[Role, ...]
    component_ids: StrArray
    component_kinds: StrArray
    component_roles: StrArray


_COMPONENT_LABELS: weakref.WeakValueDictionary[tuple[str, ...], _ComponentLabels] = weakref.WeakValueDictionary()
"""The components' labels in use, by their ids (each goes with the last ``Labels`` that holds it)."""
_COMPONENT_LABELS_LOCK = threading.Lock()


class RackRows:
    """Rack id -> row of the rack table, for the few racks an edit changed (``compiled_caches``).

    An int32 argsort of the rack ids, made on the first lookup and searched with ``np.searchsorted``: 4
    bytes a rack where a dict of the ids with its int objects took ~45 (11 MB over the years' networks
    of a phased 50,000-rack campus). At 50,000 racks the sort takes 0.4 ms with the ids in order (the
    campus's), 11 ms shuffled; the dict took ~5 ms at every build. Shared by the networks rebuilt over
    the same racks (``Analyzer._build``) and by a twin's copy (made once for all; a race makes it twice,
    alike).
    """

    __slots__ = ("_array", "_ids", "_order")

    def __init__(self, ids: tuple[str, ...], labels: StrArray) -> None:
        self._ids = ids
        self._array = labels
        """The same ids as a numpy array, in the same order (``Labels.rack_ids``: shared, not copied)."""
        self._order: IntArray | None = None

    def rows(self, item_ids: Collection[str]) -> dict[str, int]:
        """The row of each of ``item_ids`` that is a rack (the others are left out)."""
        ids = self._ids
        if not item_ids or not ids:
            return {}
        order = self._order
        if order is None:
            order = self._order = np.argsort(self._array, kind="stable").astype(np.int32)
        wanted = list(item_ids)
        keys = _str_array(wanted)
        starts = np.searchsorted(self._array, keys, sorter=order).tolist()
        found: dict[str, int] = {}
        n = len(ids)
        for item_id, key, at in zip(wanted, keys.tolist(), starts, strict=True):
            # numpy drops a string's trailing NULs: confirm on the ids themselves, over every equal key
            while at < n:
                row = int(order[at])
                if self._array[row] != key:
                    break
                if ids[row] == item_id:
                    found[item_id] = row
                    break
                at += 1
        return found


def _role_values(roles: Sequence[Role]) -> StrArray:
    """``_str_array`` of the roles' values; each distinct role's value copied once, then picked for every
    place (a 50,000-rack campus: 33,000 components of 10 roles)."""
    _, first, index = np.unique(np.fromiter(map(id, roles), np.int64, len(roles)), return_index=True,
                                return_inverse=True)
    return _str_array([roles[i].value for i in first.tolist()])[index.reshape(-1)]


def _str_array(values: Sequence[str]) -> StrArray:
    """``np.array(values, dtype=str)`` (the same dtype: as wide as the longest string, at least 1),
    in half the time: with the width given, numpy copies the strings in one pass instead of first
    looking for the widest (a 50,000-rack campus: 130,000 component ids)."""
    width = max(1, max(map(len, values), default=1))
    return np.fromiter(values, dtype=f"<U{width}", count=len(values))


@dataclass(slots=True)
class Compiled:
    """Everything derived from the topology (connections and item catalog ids)."""

    topology: TopologyFacts
    """What the analysis reads of the topology the networks were compiled from (its graphs are not kept)."""
    power: FlowNetwork
    cooling: FlowNetwork
    power_shares: FloatArray
    cooling_shares: FloatArray
    power_weights: LevelWeights
    cooling_weights: LevelWeights
    labels: Labels
    feeds: coupling.CoolingFeeds | None
    """How the cooling power splits over the cooling units fed by the power chain (None: none is)."""
    feed_plan: DeltaPlan | None
    """Where the fed units' load travels up the power network (with ``feeds``)."""
    rack_rows: RackRows
    """Rack id -> row of ``rack_table``, for the racks an edit changed."""
    rack_table: RackTable | None = None
    scopes: Scopes | None = None
    scopes_key: object = None
    scopes_weight: Any = None
    """The racks' weights the scopes were built with."""
    scopes_split_watch: SplitWatch | None = None
    scopes_design_kw: Any = None
    power_failures: FailureStructure | None = None
    cooling_failures: FailureStructure | None = None
    pair_structures: tuple[bytes, PairStructure, PairStructure] | None = None
    nameplate_shares: tuple[FloatArray, FloatArray] | None = None
    oversubscription: tuple[bytes, list[Finding]] | None = None
    """(nameplate fed, its findings) of the last analysis, reused while the nameplate stands."""
    """Per edge of each network: the share of its consumer's nameplate the supplier counts."""
    """(consumer masks, power, cooling) of the maintenance pairs, kept while the masks stand."""
    cooling_system: facility_mod.CoolingSystem | None = None
    cooling_system_key: object = None
    halls: tuple[object, HallIndex] | None = None
    """(key, hall codes of racks and indoor stages) of the last rack table and halls."""
    fan_groups: tuple[HallIndex, tuple[Any, Any, tuple[Any, ...]], tuple[facility_mod.FanGroup, ...]] | None = None
    """(hall codes, (design kW, liquid fractions, hall records) they were made of, the fan groups)."""
    hall_air_units: tuple[HallIndex, HallAirUnits] | None = None
    fan_group_plan: tuple[object, tuple[Any, ...], FanGroupPlan] | None = None
    """(the hall air units and hall records it was made of, ``air_side.fan_group_plan``)."""
    sweep_cache: tuple[object, object, Any] | None = None
    """(rack table, scopes, (kept sweep preparation, hall scopes)) of the last sweep: reused whole while
    both stand, else brought up to date (``sweep._prepare``)."""
    liquid_scopes: tuple[object, FloatArray, Any] | None = None
    """(scopes, liquid fractions, scope matrix weighted by them) of the last analysis."""
    fixed_arrays: tuple[FloatArray, BoolArray, bool] | None = None
    """(components' capacity, read-only; whether rated; whether the cooling has heat rejection) of
    these networks (``Analyzer.analyze``: results share the capacity array like their labels)."""
    no_failures: tuple[float, FloatArray, IntArray, IntArray] | None = None
    """(derating, worst utilisation, hour and state) of an analysis without failure cases, read-only."""
    floor: tuple[tuple[Any, ...], FloatArray, list[Finding]] | None = None
    """(the rack columns it was worked from, floor loading read-only, findings) of the rack table."""
    aggregators_cache: tuple[FloatArray, tuple[Any, ...], tuple[Any, ...]] | None = None
    """(liquid fractions, power and cooling ``flow.fraction_aggregators``) of the last analysis."""

    def demand_aggregators(self, table: RackTable) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """Both networks' ``fraction_aggregators`` for the racks' liquid fractions (kept while they stand)."""
        cached = self.aggregators_cache
        if cached is None or not _same_column(cached[0], table.liquid_fraction):
            fraction = table.liquid_fraction
            cached = self.aggregators_cache = (
                fraction, fraction_aggregators(self.power, rack_fractions(self.power, fraction)),
                fraction_aggregators(self.cooling, rack_fractions(self.cooling, fraction)))
        return cached[1], cached[2]

    def failure_structures(self) -> tuple[FailureStructure, FailureStructure]:
        if self.power_failures is None:
            self.power_failures = failure_structure(self.power)
        if self.cooling_failures is None:
            self.cooling_failures = failure_structure(self.cooling)
        return self.power_failures, self.cooling_failures


def _day_keeps(compiled: Compiled) -> tuple[object, ...]:
    """What a day reads of ``compiled`` by identity besides what ``day_share`` shares anyway: the
    nameplate shares (``day_state.fed_day``)."""
    shares = compiled.nameplate_shares
    return () if shares is None else (shares, *shares)


def _same_column(kept: Any, column: Any) -> bool:
    """Whether a kept rack column holds ``column``'s values: the same array (an edit that leaves a
    column as it was keeps the array, ``compiled_caches.update_racks``), or equal (a NaN is never equal:
    what is kept for it is made again)."""
    return kept is column or (kept is not None and kept.shape == column.shape and bool(np.array_equal(kept, column)))
