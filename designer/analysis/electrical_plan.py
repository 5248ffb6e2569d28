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
from dataclasses import dataclass, field
from typing import Any

from designer.analysis.cable_routes import SiteRoute, SiteRoutes
from designer.analysis.conductors import CableChoice, ConductorTable
from designer.analysis.supply_voltage import SupplyVoltages
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import Connection, DesignSettings, Hall, PlacedItem

MAX_PLANS = 2
"""Plans kept (the design being edited and one other, e.g. the analysed snapshot and an export's)."""


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
        """The plan was made for these very records (identity: an edited record is a new object)."""
        if self.settings is not project.settings or self.table is not table:
            return False
        if not _same(self.items, project.items.values()) or not _same(self.connections, project.connections.values()):
            return False
        if not _same(self.halls, project.halls.values()):
            return False
        if len(catalog) != len(self.catalog):
            return False
        get = catalog.get
        return all(get(key) is entry for key, entry in self.catalog)


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
                    SupplyVoltages(project, catalog), SiteRoutes(project.halls))
        _plans.insert(0, plan)
        del _plans[MAX_PLANS:]
        return plan


def clear_plan_cache() -> None:
    """Forget every kept plan (tests; or to free the memory of a closed design)."""
    with _lock:
        _plans.clear()


__all__ = ["MAX_PLANS", "Plan", "clear_plan_cache", "lock", "plan_for"]
