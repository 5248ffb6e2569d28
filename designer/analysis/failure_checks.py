"""The failure checks of one analysis, worked from the compiled networks and the day's loads: every
single failure over the design day (``day_failures``), the maintenance + single failure pairs with each
chain's verdict (``maintenance``), and the racks each scope could still take (``headroom``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from designer.analysis import day_state
from designer.analysis.capacity import utilization
from designer.analysis.compiled import Compiled
from designer.analysis.day_failures import DayFailures, single_failures_over_day
from designer.analysis.evaluation import Loads, ScenarioPoint
from designer.analysis.flow import consumer_demand, rack_fractions
from designer.analysis.headroom import Headroom, diurnal_headroom, rack_type_load
from designer.analysis.loads import BoolArray, FloatArray, RackTable
from designer.analysis.maintenance import (
    MaintenancePair,
    MaintenanceVerdict,
    classes_only,
    maintenance_pairs,
    pair_structure,
    verdict,
)
from designer.analysis.results import FailureRecord
from designer.analysis.service import served_nodes
from designer.model.catalog import CatalogEntry
from designer.model.project import Project


def rack_headroom(compiled: Compiled, table: RackTable, loads: Loads, project: Project,
                  entries: Mapping[str, CatalogEntry], util: FloatArray, scenario: ScenarioPoint,
                  rack_type: str | None, survives: BoolArray) -> Headroom:
    """Racks of ``rack_type`` (default: the design's most common rack) each scope could still take, the
    racks running at ``util`` (``loads.utilisation_matrix``); ``entries``: the catalog merged with the
    project's own entries.

    An unknown ``rack_type`` raises KeyError (the CLI checks it first).
    """
    rack_catalog_ids = [project.items[r].catalog_id for r in table.ids]
    entry, per_hour = rack_type_load(entries, rack_catalog_ids, rack_type, util, scenario.ai_density_factor)
    power, cooling = compiled.power, compiled.cooling
    served = loads.service.served
    design_heat = consumer_demand(cooling, table.design_kw[:, None], rack_fractions(cooling, table.liquid_fraction))
    return diurnal_headroom(
        power, cooling, compiled.failure_structures(), (compiled.power_shares, compiled.cooling_shares),
        (compiled.power_weights, compiled.cooling_weights),
        (served_nodes(power, served), (design_heat[:, 0] > 0) & served_nodes(cooling, served)),
        table, loads, compiled.feeds.cooling_index if compiled.feeds is not None else None, entry, per_hour,
        scenario.ai_density_factor, tuple(project.halls), ~survives & served)


def maintenance_checks(compiled: Compiled, table: RackTable, loads: Loads, records: tuple[FailureRecord, ...],
                       ) -> tuple[tuple[MaintenancePair, ...], tuple[MaintenanceVerdict, ...]]:
    """Maintenance + single failure pairs that drop served racks, and each chain's verdict."""
    power, cooling = compiled.power, compiled.cooling
    served = loads.service.served
    design_heat = consumer_demand(cooling, table.design_kw[:, None], rack_fractions(cooling, table.liquid_fraction))
    power_mask = served_nodes(power, served)
    cooling_mask = served_nodes(cooling, served) & (design_heat[:, 0] > 0)
    key = power_mask.tobytes() + b"|" + cooling_mask.tobytes()
    cached = compiled.pair_structures
    if cached is None or cached[0] != key:
        cached = compiled.pair_structures = (key, pair_structure(power, classes_only(power, power_mask)),
                                             pair_structure(cooling, classes_only(cooling, cooling_mask)))
    survived = {r.failed: r.survived for r in records}
    pairs: list[MaintenancePair] = []
    verdicts = []
    for kind, network, structure, flow in (("power", power, cached[1], loads.power),
                                           ("cooling", cooling, cached[2], loads.cooling)):
        found = maintenance_pairs(network, structure, table.ids, served)
        pairs += found
        n = network.n_components
        peak = utilization(flow.through_kw[:n], network.capacity_kw[:n, None]).max(axis=1, initial=0.0)
        verdicts.append(verdict(kind, network.component_ids, survived, len(found), int((~served).sum()),
                                int(np.count_nonzero(peak > 1.0 + 1e-6))))
    return tuple(pairs), tuple(verdicts)


def single_failures(compiled: Compiled, table: RackTable, loads: Loads, project: Project, hour: int,
                    state: day_state.DayState | None) -> DayFailures:
    """Every single failure over the whole design day (``day_failures``), ``hour`` always among them;
    ``state``: the analyzer's day, which ``loads`` were made of."""
    power_structure, cooling_structure = compiled.failure_structures()
    if loads.rack_loss_heat_kw is None:  # made now: a share move sums the loss heat by hall only
        assert state is not None and state.rack_it is loads.rack_it_kw
        loads = replace(loads, rack_loss_heat_kw=day_state.rack_loss_heat(state))
    return single_failures_over_day(compiled.power, compiled.cooling, power_structure, cooling_structure,
                                    compiled.power_shares, compiled.cooling_shares,
                                    compiled.feeds.cooling_index if compiled.feeds is not None else None,
                                    table, loads, project, hour)
