"""The topology-dependent part of the electrical figures, kept between calls (``electrical.electrical_figures``).

After a share-slider move or a re-analysis of the same design only the loads change: the feed list, the
routes and cable lengths, the voltages down the chain, the conductor sizing of a given current, the
busway runs, the transformers' voltage checks and the phase load table's rows are all the same. A
``Plan`` holds them, worked out on first need, for one set of records: it is reused while the project's
items, connections, halls, settings and the catalog entries it was made for are the very same objects
(records are immutable, so an edit replaces one and the plan is rebuilt). ``clear_plan_cache()`` drops them.

Nothing here changes a figure: the plan memoises what the per-call code computed, in the same order.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from designer.analysis.cable_routes import SiteRoute, SiteRoutes
from designer.analysis.conductors import CableChoice, ConductorTable
from designer.analysis.supply_voltage import SupplyVoltages
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import Connection, DesignSettings, Hall, PlacedItem

MAX_PLANS = 1
"""Plans kept: the design being worked on (its snapshots share its records, so they match it). One, as a plan of
a 50k-rack campus holds its feed columns (tens of MB); two designs used in turn are each worked out cold, as
before the plan."""


class ItemColumns:
    """A memo of per-item columns (the rack table of the electrical figures): ``forget`` marks an item whose load
    fields changed, for its rows to be worked out again on next use (a dict memo drops its entry instead)."""

    __slots__ = ("stale",)

    def __init__(self) -> None:
        self.stale: set[str] = set()

    def forget(self, item_id: str) -> None:
        self.stale.add(item_id)


@dataclass(slots=True)
class Plan:
    """What the electrical figures of one design's records reuse between calls (see the module notes)."""

    items: tuple[PlacedItem, ...]
    connections: tuple[Connection, ...]
    halls: tuple[Hall, ...]
    settings: DesignSettings
    catalog: tuple[tuple[str, CatalogEntry], ...]
    table: ConductorTable
    voltages: SupplyVoltages
    routes: SiteRoutes
    route_of: dict[str, SiteRoute] = field(default_factory=dict)
    """Connection id: its route (the ends never move while the plan holds)."""
    sizing: dict[tuple[float, float, int], tuple[float | None, CableChoice | None]] = field(default_factory=dict)
    """(design A, V, phases): the breaker and the conductor before the voltage-drop upsizing."""
    drop: dict[tuple[str, float, float], tuple[CableChoice, float]] = field(default_factory=dict)
    """(connection id, design A, PF): the cable after upsizing for voltage drop, and its drop."""
    memo: dict[str, Any] = field(default_factory=dict)
    """Other topology-only results, by name (feed groups, busway runs, voltage checks, load table rows)."""

    def matches(self, project: Project, catalog: Mapping[str, CatalogEntry], table: ConductorTable) -> bool:
        """The plan was made for these very records (identity: an edited record is a new object), or for the
        same records but items whose edits change only their loads (``LOAD_FIELDS``): then the load-dependent
        memos of those items are dropped and the plan is reused."""
        if self.settings is not project.settings or self.table is not table:
            return False
        if not _same(self.connections, project.connections.values()) or not _same(self.halls, project.halls.values()):
            return False
        if len(catalog) != len(self.catalog):
            return False
        get = catalog.get
        if not all(get(key) is entry for key, entry in self.catalog):
            return False
        items = tuple(project.items.values())
        if len(items) != len(self.items):
            return False
        changed = [(old, new) for old, new in zip(self.items, items, strict=True) if old is not new]
        if not changed:
            return True
        if not all(_same_topology(old, new) for old, new in changed):
            return False
        self.items = items
        for name in ITEM_MEMOS:
            known = self.memo.get(name)
            if isinstance(known, dict):
                for _old, new in changed:
                    known.pop(new.id, None)
            elif isinstance(known, ItemColumns):
                for _old, new in changed:
                    known.forget(new.id)
        for name in TABLE_MEMOS:
            self.memo.pop(name, None)
        return True


LOAD_FIELDS = frozenset({"design_kw", "workload", "liquid_fraction", "weight_kg", "label", "group", "pod_id",
                         "in_service_year", "retirement_year"})
"""Item fields the plan's topology does not read: an edit of these alone keeps the plan (the memos below that
read ``design_kw`` or ``workload`` are redone for the edited items)."""
ITEM_MEMOS = ("racks", "power_nodes", "swing_racks")
"""Memos by item id that read an item's design kW (a rack's nameplate, equipment's rating) or workload (a dict by
item id, or ``ItemColumns``)."""
TABLE_MEMOS = ("rack_day_table",)
"""Memos of every rack at once that read them (rebuilt)."""


def _same_topology(old: PlacedItem, new: PlacedItem) -> bool:
    """``new`` differs from ``old`` in ``LOAD_FIELDS`` only."""
    return all(getattr(old, name) == getattr(new, name) for name in _TOPOLOGY_FIELDS)


_TOPOLOGY_FIELDS = tuple(f.name for f in fields(PlacedItem) if f.name not in LOAD_FIELDS)


def _same(kept: tuple[Any, ...], now: Any) -> bool:
    now = tuple(now)
    return len(kept) == len(now) and all(map(operator.is_, kept, now))


_plans: list[Plan] = []
_lock = threading.RLock()
lock = _lock
"""Held while a plan is read or filled: the app works out figures on a worker thread, the CLI on its own."""


def plan_for(project: Project, catalog: Mapping[str, CatalogEntry], table: ConductorTable) -> Plan:
    """The kept plan of ``project``'s records, or a new one (kept, the oldest dropped past ``MAX_PLANS``)."""
    with _lock:
        for plan in _plans:
            if plan.matches(project, catalog, table):
                plan.voltages.rebind(project, catalog)  # the same records, perhaps another snapshot object
                plan.routes.rebind(project.halls)
                return plan
        plan = Plan(tuple(project.items.values()), tuple(project.connections.values()),
                    tuple(project.halls.values()), project.settings, tuple(catalog.items()), table,
                    SupplyVoltages(project, catalog, own_index=True), SiteRoutes(project.halls))
        _plans.insert(0, plan)
        del _plans[MAX_PLANS:]
        return plan


def scratch_plan(project: Project, catalog: Mapping[str, CatalogEntry], table: ConductorTable) -> Plan:
    """A plan for one call, neither kept nor locked (the inspector's figures of one item: they must not wait
    for a whole design's figures being worked out on another thread)."""
    return Plan((), (), (), project.settings, (), table, SupplyVoltages(project, catalog), SiteRoutes(project.halls))


def plan_count() -> int:
    """How many plans are kept (tests)."""
    with _lock:
        return len(_plans)


def drop_plans_of(project: Project) -> int:
    """Forget the kept plans made for ``project``'s records (its window closed: at 50k racks a plan holds
    ~160 MB that no later design can reuse); the number dropped. A plan of another design stays. Never waits:
    while figures are worked out on a worker (holding the lock for seconds at 50k racks) nothing is dropped."""
    if not _lock.acquire(blocking=False):
        return 0
    try:
        mine = [plan for plan in _plans if _same(plan.connections, project.connections.values())
                and _same(plan.halls, project.halls.values())]
        for plan in mine:
            _plans.remove(plan)
        return len(mine)
    finally:
        _lock.release()


def clear_plan_cache() -> None:
    """Forget every kept plan (tests; or to free the memory of a closed design)."""
    with _lock:
        _plans.clear()


__all__ = ["ITEM_MEMOS", "LOAD_FIELDS", "MAX_PLANS", "TABLE_MEMOS", "ItemColumns", "Plan", "clear_plan_cache",
           "drop_plans_of", "lock", "plan_count", "plan_for", "scratch_plan"]
