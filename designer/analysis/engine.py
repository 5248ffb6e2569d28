"""``analyze``: loads, losses, capacity, single failures and facility power of a design.

One analysis, at one inference share (the active scenario's year unless overridden):

1. rack IT per hour of the design day (``loads``), summed into consumer nodes and rolled up the
   power and cooling networks (``flow``): component loads, stage losses;
2. capacity and floor checks and stranded capacity (``capacity``) at the hour of peak IT (or the
   chosen hour);
3. every single failure (``failures``), batched;
4. facility power and PUE per hour on the site's design day, and the annual PUE over the
   climate's weather days (``facility``, ``climate``). Indoor electrical losses are heat in the
   hall they stand in: they go on that hall's air units by the rack air heat's sharing rule
   (``hall_loss_heat``), so air-unit loads and single-failure checks carry them.

The ``Analyzer`` keeps the compiled networks (and the failure structure) of the last topology it
saw, so re-analysing after a move or an override only redoes the arithmetic. Its parts live beside
it: the compiled networks (``compiled``) and what is kept on them (``compiled_caches``), the
profiles and climates (``design_inputs``), one evaluation's scenario point, loads and loss sums
(``evaluation``), and the single-failure, maintenance and headroom checks (``failure_checks``).
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from designer.analysis import cancel, coupling, day_share, day_state
from designer.analysis import climate as climate_mod
from designer.analysis import facility as facility_mod
from designer.analysis.air_side import (
    HallIndex,
    loss_findings,
)
from designer.analysis.capacity import (
    Scopes,
    capacity_findings,
    state_codes,
    stranded_capacity,
    utilization,
)
from designer.analysis.compiled import Compiled as Compiled
from designer.analysis.compiled import Labels as Labels
from designer.analysis.compiled import RackRows, _day_keeps
from designer.analysis.compiled import _str_array as _str_array
from designer.analysis.compiled_caches import (
    kept_cooling_system,
    kept_floor,
    kept_hall_index,
    kept_liquid_scopes,
    kept_scopes,
    liquid_fraction_changed,
    rating_changed,
    update_racks,
)
from designer.analysis.day_failures import DayFailures, forget_last_answers
from designer.analysis.design_inputs import FALLBACK_WET_BULB_DEPRESSION_K as FALLBACK_WET_BULB_DEPRESSION_K
from designer.analysis.design_inputs import HOURS as HOURS
from designer.analysis.design_inputs import DesignInputs
from designer.analysis.evaluation import Loads as Loads
from designer.analysis.evaluation import LossSums as LossSums
from designer.analysis.evaluation import ScenarioPoint as ScenarioPoint
from designer.analysis.evaluation import scenario_point
from designer.analysis.failure_checks import maintenance_checks, rack_headroom, single_failures
from designer.analysis.findings import Finding, sort_findings
from designer.analysis.flow import (
    base_shares,
    compile_network,
    delta_plan,
    level_weights,
)
from designer.analysis.headroom import (
    Headroom,
    forget_last_rest,
    nameplate_shares,
    oversubscription_findings,
)
from designer.analysis.loads import (
    BoolArray,
    FloatArray,
    RackTable,
    build_rack_table,
    it_layers_kw,
    utilisation_matrix,
)
from designer.analysis.maintenance import (
    MaintenancePair,
    MaintenanceVerdict,
    maintenance_findings,
)
from designer.analysis.phased import YearViews, year_of
from designer.analysis.placement import PlacementCache, placement_findings
from designer.analysis.rack_inputs import RackInputs, rack_table
from designer.analysis.results import FailureRecord, GroupVerdict, Results, StrArray, frozen
from designer.analysis.service import rack_service, service_findings
from designer.analysis.topology import build_topology
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.events import ChangeAction, ChangeEvent, Collection
from designer.model.project import Project
from designer.model.records import PlacedItem
from designer.model.roles import HEAT_REJECTION_ROLES
from designer.model.types import ConnectionKind, WorkloadClass


class Analyzer:
    """Analyses designs, reusing compiled networks while the topology stays the same.

    ``profiles`` (class -> 24 utilisation fractions, local time) and ``climates`` default to the
    bundled resource files, read on first use. The analyzer subscribes to the project's change
    events to tell cheap edits (moves, overrides) from topology changes; call ``close()`` when
    done with it. Not thread-safe: use it from the thread that edits the project.
    """

    def __init__(
        self,
        *,
        profiles: Mapping[WorkloadClass, FloatArray] | None = None,
        climates: Mapping[str, climate_mod.Climate] | None = None,
        include_aux_heat: bool = True,
        by_year: bool = True,
    ) -> None:
        self._by_year = by_year
        """False: every item counts whatever its years (each year's own analyzer of a phased design)."""
        self._inputs = DesignInputs(profiles, climates)
        """The profiles and climates (read once), the site climate and the design day."""
        self._include_aux_heat = include_aux_heat
        self._compiled: Compiled | None = None
        self._tracked: Project | None = None
        self._topology_dirty = True
        self._items_dirty = True
        """Items or their catalog entries changed since the last build (not just connections)."""
        self._racks_dirty = True
        self._changed_items: set[str] = set()
        self._key_catalog: Mapping[str, CatalogEntry] | None = None
        self._key_unknown: Mapping[str, str] = {}
        """Item id -> catalog id of the items the last build found no catalog entry for (the others' catalog
        ids are their entries' ids, ``Compiled.topology.entries``): with them a changed item's catalog id
        is told without a copy of the items."""
        self._placement = PlacementCache()
        self._merged: tuple[Mapping[str, CatalogEntry], dict[str, CatalogEntry],
                            Mapping[str, CatalogEntry]] | None = None
        self._years = YearViews(_weak_child(self))
        """The design as built in each year, when the project has in-service or retirement years."""
        # an analyzer dropped without ``close`` lets its year views go too (each view's analyzer and the
        # view follow each other's events: a cycle the collector would free only on a full pass)
        weakref.finalize(self, self._years.close).atexit = False
        self._origin: Compiled | None = None
        self._day: day_state.DayState | None = None
        self._losses: LossSums | None = None
        """The power chain's loss totals of ``_day`` (``LossSums``)."""
        self._empty_cases: StrArray | None = None
        """The last evaluation's loads, brought up to date row by row after a rack edit (``day_state``)."""
        """A twin's (``detached``): the compiled networks it copied, handed the failure structures it builds."""
        self._last_loads: tuple[day_state.DayState, Loads] | None = None
        """``_day`` and the ``Loads`` the last ``loads`` made of it (what ``detached`` lends a twin)."""
        self._loans: list[day_share.DayLoan] = []
        """Lendings of ``_day``'s arrays to twins (``detached``): while one is out, ``loads`` writes a copy."""
        self._lent: tuple[day_state.DayState, Loads] | None = None
        """A twin's: the window's day and its loads lent read-only (``day_share.lend``), for its first ``loads``."""
        self._loan: day_share.DayLoan | None = None
        """A twin's: the lending of ``_lent``, released when the twin closes."""
        self._stop: threading.Event | None = None
        """A twin's: set by ``cancel`` (its analysis raises ``cancel.Cancelled`` at its next checkpoint)."""
        self._new_day: weakref.WeakMethod[Callable[[Analyzer], None]] | None = None
        """A year view's: told before a new day is worked out (``watch_day``; held weakly: the views'
        ``YearViews`` holds this analyzer)."""

    # ----------------------------------------------------------------- inputs
    def profiles_for(self, project: Project) -> Mapping[WorkloadClass, FloatArray]:
        """The utilisation profiles (``DesignInputs.profiles_for``)."""
        return self._inputs.profiles_for(project)

    def climate_for(self, project: Project) -> climate_mod.Climate | None:
        """The site's own climate when it has one, else the bundled climate of ``climate_id`` (None if unknown)."""
        return self._inputs.climate_for(project)

    def scenario_for(self, project: Project, inference_share: float | None, year: int | None) -> ScenarioPoint:
        """Share and AI density of the chosen year of the active scenario (``evaluation.scenario_point``)."""
        return scenario_point(project, inference_share, year)

    # ----------------------------------------------------------------- compile (cached)
    def _on_project_change(self, event: ChangeEvent) -> None:
        """Note what an edit invalidates; the work happens on the next analysis."""
        if event.collection is Collection.HALLS and event.action is ChangeAction.MOVED:
            return  # a hall moved on the site plan: nothing the analysis reads
        if self._placement.changed is not None:  # the placement checks regroup only what changed
            if event.collection is Collection.ITEMS:
                self._placement.changed.update(event.ids)
            elif event.collection in (Collection.HALLS, Collection.CATALOG):
                self._placement.changed = None
        if event.collection is Collection.CONNECTIONS:
            self._topology_dirty = True
        elif event.collection is Collection.CATALOG:
            self._topology_dirty = self._items_dirty = True
        elif event.collection is Collection.ITEMS:
            if event.action in (ChangeAction.ADDED, ChangeAction.REMOVED):
                self._topology_dirty = self._items_dirty = True
            elif event.action is ChangeAction.CHANGED:
                self._changed_items.update(event.ids)
        elif event.collection is Collection.HALLS:
            self._racks_dirty = True

    def _track(self, project: Project) -> None:
        if project is self._tracked:
            return
        if self._tracked is not None:
            self._tracked.events.unsubscribe(self._on_project_change)
        project.events.subscribe(self._on_project_change)
        self._tracked = project
        self._placement.changed = None
        self._topology_dirty = self._items_dirty = True

    def close(self) -> None:
        """Stop following the project's change events (drop the analyzer after this)."""
        if self._tracked is not None:
            self._tracked.events.unsubscribe(self._on_project_change)
            self._tracked = None
        # what a closed analyzer kept goes now, even while something still holds the analyzer
        self._compiled = None
        self._key_unknown, self._key_catalog, self._merged = {}, None, None
        self._placement = PlacementCache()
        self._empty_cases = None
        self.release_day()
        self._lent = None
        if self._loan is not None:  # the lent arrays are read no more: the window may write them again
            self._loan.release()
            self._loan = None
        self._years.close()

    def watch_day(self, new_day: Callable[[Analyzer], None]) -> None:
        """Call ``new_day(self)`` (a bound method, held weakly) before a new day is worked out (a year
        view's analyzer: ``YearViews`` keeps the years' days within a budget, the least recently used
        letting go of theirs first)."""
        self._new_day = weakref.WeakMethod(new_day)

    def day_nbytes(self) -> int:
        """The bytes of the day this analyzer keeps for its next analysis (``day_state.day_nbytes``; 0: none)."""
        return 0 if self._day is None else day_state.day_nbytes(self._day)

    def release_day(self) -> None:
        """Let go of the kept day: the next analysis works its loads out afresh (the same figures, to the
        bit; a twin that borrowed the day keeps reading its own views of it)."""
        self._day = None
        self._losses = None
        self._last_loads = None
        self._loans = []

    # ----------------------------------------------------------------- phased build-out
    def phased(self, project: Project) -> bool:
        """Whether ``project`` has in-service or retirement years (each year is then its own design)."""
        return self._by_year and self._years.phased(project)

    def year_view(self, project: Project, year: int | None) -> tuple[Project, Analyzer] | None:
        """The design as built in ``year`` (default: the active scenario's first) and the analyzer that
        keeps its compiled networks; None when ``project`` is not phased (analyse it as it is)."""
        if not self._by_year or not self._years.phased(project):
            return None
        self.profiles_for(project)
        self.climate_for(project)  # read the resource files once, for every year's analyzer
        return self._years.view(project, year_of(project, year))

    def detached(self, project: Project, catalog: Mapping[str, CatalogEntry],
                 year: int | None = None, *, day: bool = False) -> tuple[Project, Analyzer]:
        """A snapshot of ``project`` (as built in ``year`` when phased) and an analyzer of that snapshot
        alone, for another thread: its ``analyze(snapshot, catalog, year=year, ...)`` (the single failures
        included) starts from this analyzer's compiled networks instead of compiling the design anew.

        Call it on the thread that edits the project. The twin has its own copy of the compiled networks
        (their arrays are never written in place; a cache it fills stays in its copy, but for the failure
        structures, which follow the topology only and are handed back for the next twin), follows no
        live project, and shares only the read-once profiles and climates. Close it when done.

        ``day``: the twin also borrows this analyzer's last day (``day_share``: read-only views of its
        arrays instead of working them out again), for an analysis at the point this one last analysed;
        until the twin closes, this analyzer writes a copy of its day instead (copy on write)."""
        built = self.year_view(project, year)
        if built is not None:
            return built[1].detached(built[0], catalog, year, day=day)
        compiled = self.compile(project, catalog)
        snapshot = project.snapshot()
        twin = self._child()
        twin._inputs.site_climate = self._inputs.site_climate
        twin._inputs.design_day_kept = self._inputs.design_day_kept
        twin._merged = self._merged
        twin._compiled = copy.copy(compiled)
        twin._key_catalog, twin._key_unknown = self._key_catalog, self._key_unknown
        twin._track(snapshot)
        twin._placement = self._placement.for_twin()
        twin._topology_dirty = twin._items_dirty = twin._racks_dirty = False
        twin._origin = compiled
        twin._stop = threading.Event()
        if day:
            twin._lent, twin._loan = self._lend(compiled)
        return snapshot, twin

    def _lend(self, compiled: Compiled) -> tuple[tuple[day_state.DayState, Loads] | None, day_share.DayLoan | None]:
        """The last day and its loads for a twin (read-only views), if they are of ``compiled``."""
        last, state = self._last_loads, self._day
        if last is None or state is None or last[0] is not state or state.compiled is not compiled:
            return None, None
        loan = day_share.DayLoan(state)
        self._loans = [*self._live_loans(state), loan]
        return day_share.lend(state, last[1], keep=_day_keeps(compiled)), loan

    def _live_loans(self, state: day_state.DayState) -> list[day_share.DayLoan]:
        """The lendings of ``state`` still out (the others are dropped)."""
        self._loans = [loan for loan in self._loans if not loan.released and loan.state is state]
        return self._loans

    def _borrowed(self, aggregators: tuple[tuple[Any, ...], tuple[Any, ...]], halls: HallIndex, table: RackTable,
                  utilisation: FloatArray, density: float) -> Loads | None:
        """A twin's lent loads (``detached``), taken once, if they are of these inputs; the lent day is then
        ``_day`` (read-only: a later ``loads`` works its own day out, its inputs differing from the origin's)."""
        lent, self._lent = self._lent, None
        if lent is None:
            return None
        state, loads = lent
        if (state.compiled is not self._origin or halls is not state.halls
                or any(a is not b for a, b in zip(aggregators[0] + aggregators[1],
                                                  state.aggregators[0] + state.aggregators[1], strict=True))
                or density != state.density or not np.array_equal(utilisation, state.utilisation)
                or not np.array_equal(table.design_kw, state.design_kw)
                or not np.array_equal(table.workload, state.workload)):
            return None
        self._day, self._losses = state, None
        return loads

    def cancel(self) -> None:
        """Ask a twin's analysis under way (``detached``; on another thread) to stop: it raises
        ``cancel.Cancelled`` at its next checkpoint (``designer.analysis.cancel``). For a twin whose
        figures would be dropped: it then lets go of its working memory and the lent day sooner."""
        if self._stop is not None:
            self._stop.set()

    def keep_sweep(self, cache: tuple[object, object, Any] | None) -> None:
        """Hand a sweep's kept preparation (``Compiled.sweep_cache``) of a twin (``detached``) back to
        the compiled networks it copied, so that the next twin's sweep redoes only what the edits
        since reached. The preparation is never written in place, and the next sweep checks what it
        was made of, so handing it from a worker thread is safe. None: the twin's sweep kept none (a
        stale one is dropped)."""
        if self._origin is not None:
            self._origin.sweep_cache = cache

    def _child(self) -> Analyzer:
        child = Analyzer(profiles=self._inputs.profiles, climates=self._inputs.climates,
                         include_aux_heat=self._include_aux_heat,
                         by_year=False)
        child._inputs.profiles_by_offset = self._inputs.profiles_by_offset
        return child

    def compile(self, project: Project, catalog: Mapping[str, CatalogEntry]) -> Compiled:
        """The compiled networks of ``project``; rebuilt only when its topology changed.

        The analyzer follows the project's change events, so telling a move or an override from a
        topology change costs nothing per item.
        """
        self._track(project)
        if catalog is not self._key_catalog and dict(catalog) != dict(self._key_catalog or {}):
            self._topology_dirty = self._items_dirty = True
        self._key_catalog = catalog
        changed = self._changed_items
        if self._compiled is not None:
            items = project.items
            if any(map(self._entry_changed, (items[i] for i in changed if i in items))):
                self._topology_dirty = self._items_dirty = True
            elif changed and liquid_fraction_changed(self._compiled, project, changed):
                self._topology_dirty = True  # the cooling-path findings read each rack's liquid fraction
            elif changed and rating_changed(self._compiled, project, catalog, changed):
                self._topology_dirty = True  # the networks carry each component's rating
        built = self._topology_dirty or self._compiled is None
        inputs: RackInputs | None = None  # the racks' fields read with a topology just built (from the columns)
        if built:
            self._compiled, inputs = self._build(project, catalog)
            self._topology_dirty = self._items_dirty = False
        compiled = self._compiled
        assert compiled is not None
        if self._racks_dirty or compiled.rack_table is None:
            topology = compiled.topology
            compiled.rack_table = (
                rack_table(topology.rack_ids, inputs, project.halls) if inputs is not None else
                build_rack_table(list(map(project.items.__getitem__, topology.rack_ids)), topology.entries,
                                 project.halls))
            compiled.scopes = None
        elif changed:
            update_racks(compiled, project, changed)
        if changed and compiled.halls is not None:
            entries = compiled.topology.entries
            if any(i in entries and not entries[i].is_rack for i in changed):
                compiled.halls = None  # equipment may have changed hall: its stages' and units' halls are read anew
        self._racks_dirty = False
        self._changed_items = set()
        return compiled

    def _entry_changed(self, item: PlacedItem) -> bool:
        """Whether ``item`` (changed since the last build) has another catalog id than the build saw, or was
        not there (added since)."""
        assert self._compiled is not None
        entry = self._compiled.topology.entries.get(item.id)
        if entry is not None:  # its entry's id: the merged catalog is keyed by the entries' ids
            return item.catalog_id != entry.id
        unknown = self._key_unknown.get(item.id)
        return unknown is None or item.catalog_id != unknown

    def _build(self, project: Project, catalog: Mapping[str, CatalogEntry]) -> tuple[Compiled, RackInputs | None]:
        """Compile the networks; when only connections changed, keep the parts that follow the items.
        With them the racks' fields read with the topology (for the rack table); the compiled networks keep
        only the topology's facts (``TopologyFacts``), not its graphs."""
        topology = build_topology(project, catalog)
        power = compile_network(topology, ConnectionKind.POWER)
        cooling = compile_network(topology, ConnectionKind.COOLING, include_aux_heat=self._include_aux_heat)
        cooling = coupling.without_dark_units(power, cooling)
        power_shares, cooling_shares = base_shares(power), base_shares(cooling)
        feeds = coupling.cooling_feeds(power, cooling, topology.entries)
        feed_plan = delta_plan(power, power_shares, feeds.class_nodes) if feeds is not None else None
        previous = self._compiled
        same_items = (previous is not None and not self._items_dirty and previous.topology.rack_ids == topology.rack_ids
                      and previous.power.component_ids == power.component_ids
                      and previous.cooling.component_ids == cooling.component_ids)
        if previous is not None and same_items:
            labels, rack_rows = previous.labels, previous.rack_rows
        else:
            labels = Labels.of(power, cooling, topology.rack_ids)
            rack_rows = RackRows(topology.rack_ids, labels.rack_ids)
        compiled = Compiled(topology.facts(), power, cooling, power_shares, cooling_shares,
                            level_weights(power, power_shares), level_weights(cooling, cooling_shares),
                            labels, feeds, feed_plan, rack_rows)
        entries, items = topology.entries, project.items
        self._key_unknown = ({} if len(entries) == len(items) else
                             {i: item.catalog_id for i, item in items.items() if i not in entries})
        if previous is not None and same_items:
            # rack rows follow the item records (updated below for the changed ones), not the connections
            compiled.rack_table = previous.rack_table
        else:
            self._racks_dirty = True
        return compiled, topology.rack_inputs

    def scopes(self, compiled: Compiled, project: Project, table: RackTable) -> Scopes:
        """The racks' scopes (``compiled_caches.kept_scopes``: kept while the halls, pods and weights stand)."""
        return kept_scopes(compiled, project, table)

    @staticmethod
    def hall_index(compiled: Compiled, project: Project, table: RackTable) -> HallIndex:
        """Hall codes of the racks and indoor power stages (``compiled_caches.kept_hall_index``)."""
        return kept_hall_index(compiled, project, table)

    def cooling_system(self, compiled: Compiled, project: Project) -> facility_mod.CoolingSystem:
        """The cooling plant and its fan groups (``compiled_caches.kept_cooling_system``)."""
        return kept_cooling_system(compiled, project)

    def design_day(self, project: Project) -> tuple[FloatArray, FloatArray]:
        """(dry bulb, wet bulb) of the design day, 24 hours (``DesignInputs.design_day``)."""
        return self._inputs.design_day(project)

    # ----------------------------------------------------------------- evaluation
    def loads(self, compiled: Compiled, table: RackTable, utilisation: FloatArray, density: float,
              project: Project) -> Loads:
        """Rack IT and both networks rolled up for the 24 hours of ``utilisation``.

        When the design feeds cooling units, the power network is rolled up twice: once with the
        racks alone (its indoor losses set the air heat), then with each fed unit's share of the
        cooling power that heat and the racks' call for (``coupling``).
        """
        power, cooling = compiled.power, compiled.cooling
        aggregators = compiled.demand_aggregators(table)
        halls = self.hall_index(compiled, project, table)
        borrowed = self._borrowed(aggregators, halls, table, utilisation, density)
        if borrowed is not None:
            return borrowed
        state = self._day
        # the service follows the networks and the liquid fractions, which the aggregators are kept for
        kept = state.service if state is not None and state.same_service(compiled, aggregators) else None
        service = kept if kept is not None else rack_service(power, cooling, table.liquid_fraction)
        served = service.served
        same = state is not None and state.same_inputs(compiled, aggregators, halls, utilisation, served)
        if same and state is not None and self._live_loans(state):
            # a twin reads these arrays on another thread: write a copy of them (copy on write)
            copied = day_share.private(state, keep=_day_keeps(compiled))
            self._loans, self._last_loads = [], None
            if copied is None:
                same = False
            else:
                losses = self._losses  # its sums are the window's alone: they follow the copy
                self._losses = None if losses is None else replace(losses, state=copied)
                state = self._day = copied
        if same and state is not None:
            # only rack rows changed (a move, an override, a share or density change): redo just the
            # rows they reach
            rows, unassigned = day_state.update_day(state, table, *state.changed_racks(table, utilisation, density))
        else:
            # the last day's arrays (~70 MB at 50k racks) go before the new ones are made, not after (the
            # loss sums and loads hold the day too; a twin's views of a lent day keep what it reads)
            self.release_day()
            state = None
            told = self._new_day() if self._new_day is not None else None
            if told is not None:
                told(self)  # other years' days may go first
            state, unassigned = day_state.full_day(compiled, table, utilisation, density, served, aggregators, halls)
            state.service = service
            self._day = state
            rows = None
        losses = self._losses
        if losses is None or losses.state is not state:
            losses = self._losses = LossSums.of(state, power, utilisation.shape[1])
            rows = None
        losses.update(state.power_flow.loss_kw, rows)
        rack_it, demand_it = state.rack_it, state.demand_it
        unserved_it = np.zeros(demand_it.shape[1]) if served.all() else (~served).astype(np.float64) @ demand_it
        it_kw, liquid_heat = day_state.day_totals(state)  # the ``ai`` racks' part by the share's mix
        power_flow, cooling_flow = state.power_flow, state.cooling_flow
        racks_loss = losses.with_plan(power_flow.loss_kw, True)  # (all, indoor) of the racks' load alone
        air_heat = it_kw - liquid_heat + racks_loss[1]
        loss_kw = racks_loss[0]
        feeds = compiled.feeds
        day = None
        if feeds is not None and compiled.feed_plan is not None:
            dry, wet = self.design_day(project)
            day = facility_mod.facility_power(it_kw, loss_kw, liquid_heat, air_heat,
                                              self.cooling_system(compiled, project), dry, wet)
            heat = feeds.weights @ cooling_flow.through_kw[:cooling.n_components]
            node_kw = coupling.unit_power_kw(feeds, heat, coupling.pool_kw(day))
            day_state.refresh_fed(state, power, feeds.class_nodes, node_kw, compiled.feed_plan, rows)
            loss_kw = losses.with_plan(state.fed_flow.loss_kw, False)
        power_flow, power_demand, cooling_demand = state.fed_flow, state.fed_demand, state.cooling_demand
        made = Loads(
            rack_it_kw=rack_it,
            rack_demand_kw=demand_it,
            service=service,
            unserved_it_kw=unserved_it,
            it_kw=it_kw,
            power=power_flow,
            cooling=cooling_flow,
            power_demand=power_demand,
            cooling_demand=cooling_demand,
            liquid_heat_kw=liquid_heat,
            air_heat_kw=air_heat,
            cooling_day=day,
            unassigned_loss_kw=unassigned,
            loss_kw=loss_kw,
        )
        self._last_loads = (state, made)
        return made

    def analyze(
        self,
        project: Project,
        catalog: Mapping[str, CatalogEntry],
        *,
        inference_share: float | None = None,
        year: int | None = None,
        hour: int | None = None,
        failures: bool = True,
        headroom_rack: str | None = None,
    ) -> Results:
        """Analyse ``project``; see ``analyze``.

        ``failures=False`` skips the single-failure cases (``failures_only`` can fill them in on
        idle); the per-edit path then costs a few milliseconds. An unknown ``year`` raises KeyError.
        A phased design is analysed as built in that year (``year_view``).
        """
        if self._stop is None:
            return self._analyze(project, catalog, inference_share, year, hour, failures, headroom_rack)
        # a twin's: ``cancel`` stops it at its next checkpoint
        try:
            with cancel.cancellable(self._stop):
                cancel.checkpoint()
                return self._analyze(project, catalog, inference_share, year, hour, failures, headroom_rack)
        except cancel.Cancelled:
            pass
        # raised afresh, without the traceback whose frames hold the analysis's working arrays (the
        # worker's job keeps the error until the window reads it)
        raise cancel.Cancelled

    def _analyze(self, project: Project, catalog: Mapping[str, CatalogEntry], inference_share: float | None,
                 year: int | None, hour: int | None, failures: bool, headroom_rack: str | None) -> Results:
        built = self.year_view(project, year)
        if built is not None:
            results = built[1].analyze(built[0], catalog, inference_share=inference_share, year=year, hour=hour,
                                       failures=failures, headroom_rack=headroom_rack)
            self._years.day_used(built[1])
            return results
        compiled, table, scenario, loads, chosen = self._state(project, catalog, inference_share, year, hour)
        power, cooling = compiled.power, compiled.cooling
        pc, cc = power.n_components, cooling.n_components
        it_kw = loads.it_kw
        liquid_heat, air_heat = loads.liquid_heat_kw, loads.air_heat_kw
        assert loads.loss_kw is not None
        loss_kw = loads.loss_kw

        system = self.cooling_system(compiled, project)
        if loads.cooling_day is not None:  # the same cooling power, with the losses of carrying it too
            day = facility_mod.with_electrical_loss(loads.cooling_day, loss_kw)
        else:
            day = facility_mod.facility_power(it_kw, loss_kw, liquid_heat, air_heat, system, *self.design_day(project))
        climate = self.climate_for(project)
        annual: facility_mod.AnnualEnergy | None = None
        if climate is not None:
            annual = facility_mod.annual_energy(it_kw, loss_kw, liquid_heat, air_heat, system, climate)
            annual_pue, loops = annual.annual_pue, annual.loops
            water_m3, it_mwh = annual.water_m3, annual.it_mwh
        else:
            total_it = float(it_kw.sum())
            annual_pue = float(day.facility_kw.sum()) / total_it if total_it > 0 else float("nan")
            loops = ()
            water_m3, it_mwh = 365.0 * float(day.water_l.sum()) / 1000.0, 365.0 * total_it / 1000.0

        load = np.concatenate([loads.power.through_kw[:pc, chosen], loads.cooling.through_kw[:cc, chosen]])
        if compiled.fixed_arrays is None:
            both = np.concatenate([power.capacity_kw[:pc], cooling.capacity_kw[:cc]])
            compiled.fixed_arrays = (frozen(both), frozen(both > 0), any(
                compiled.topology.entries[i].role in HEAT_REJECTION_ROLES for i in compiled.cooling.component_ids))
        capacity, rated, has_rejection = compiled.fixed_arrays
        comp_util = utilization(load, capacity)
        ids = compiled.labels.component_id_list
        # unserved racks first: they are the first thing a reader must see
        findings: list[Finding] = service_findings(table.ids, loads.service)
        findings += compiled.topology.findings
        findings += placement_findings(project, self._entries(catalog, project), self._placement)
        cancel.checkpoint()
        derating = project.settings.continuous_derating
        comp_state = frozen(state_codes(comp_util, derating, rated))
        findings += capacity_findings(ids, comp_util, derating, comp_state)
        floor_kg_m2, floor_found = kept_floor(compiled, table)
        findings += floor_found
        if float(it_kw.max(initial=0.0)) > 0:
            findings += facility_mod.plant_findings(system, has_rejection, loops,
                                                    float(liquid_heat.max(initial=0.0)) > 0)
            findings += loss_findings(loads.unassigned_loss_kw)
        if project.active_scenario is None and inference_share is None:
            findings.append(Finding("info", "no_scenario", "no scenario: AI racks run at a 50 % inference share"))
        if climate is None:
            findings.append(Finding("info", "no_climate", f"no climate {project.site.climate_id!r}: the annual PUE is "
                                    f"the design day's at {project.site.design_ambient_c:g} °C"))

        if compiled.no_failures is None or compiled.no_failures[0] != derating:
            none = np.full(pc + cc, np.nan)
            compiled.no_failures = (derating, frozen(none), frozen(np.full(pc + cc, -1, dtype=np.int64)),
                                    frozen(state_codes(none, derating, capacity > 0)))
        _derating, worst, worst_hour, worst_state = compiled.no_failures
        worst_case: tuple[str, ...] = ("",) * (pc + cc)
        records: tuple[FailureRecord, ...] = ()
        groups: tuple[GroupVerdict, ...] = ()
        rack_survives = np.ones(len(table.ids), dtype=bool)
        pairs: tuple[MaintenancePair, ...] = ()
        headroom: Headroom | None = None
        verdicts: tuple[MaintenanceVerdict, ...] = ()
        if failures:
            cancel.checkpoint()
            over_day = self._failures(compiled, table, loads, project, chosen)
            worst, worst_hour, worst_case = over_day.worst_utilization, over_day.worst_hour, over_day.worst_case
            worst_state = state_codes(worst, derating, rated)
            records, groups, rack_survives = over_day.records, over_day.groups, over_day.rack_survives
            findings += over_day.findings
            cancel.checkpoint()
            # the headroom before the maintenance pairs: its working arrays (~35 MB at 50k racks) then come
            # and go before the pairs' objects (~16 MB, kept with the results) are made
            headroom = self.headroom(compiled, table, loads, project, catalog, scenario, headroom_rack,
                                     rack_survives & loads.service.served)
            cancel.checkpoint()
            pairs, verdicts = self.maintenance(compiled, table, loads, records)
            findings += maintenance_findings(pairs, verdicts)
            origin = self._origin
            if origin is not None and origin.power_failures is None:  # the next twin starts from them
                origin.power_failures, origin.cooling_failures = compiled.power_failures, compiled.cooling_failures
                origin.pair_structures = compiled.pair_structures
        if compiled.nameplate_shares is None:
            compiled.nameplate_shares = (nameplate_shares(power), nameplate_shares(cooling))
        assert self._day is not None
        # ``headroom.nameplate_fed_kw`` of ``class_ratings``, redone only where the edited racks feed
        fed_kw = day_state.fed_day(self._day, table, scenario.ai_density_factor, compiled.nameplate_shares)
        key = fed_kw.tobytes()
        if compiled.oversubscription is None or compiled.oversubscription[0] != key:
            compiled.oversubscription = (key, oversubscription_findings(ids, fed_kw, capacity))
        findings += compiled.oversubscription[1]

        scopes = self.scopes(compiled, project, table)
        assert self._day is not None
        served = loads.service.served  # a property: a new array each read
        layers, ai_design_kw = it_layers_kw(
            table, self.profiles_for(project), scenario.inference_share, scenario.ai_density_factor,
            served, day_state.served_coefficient(self._day),
        )
        peak_rack = loads.rack_it_kw[:, chosen].copy()  # one pass down the strided column
        rack_liquid = table.liquid_fraction * peak_rack
        # each scope at its own daily peak
        assert self._day is not None and self._day.rack_it is loads.rack_it_kw
        sums = day_state.scope_day(self._day, scopes, kept_liquid_scopes(compiled, scopes, table))
        peak_hour = sums.it.argmax(axis=1)[:, None]
        scope_peak = np.take_along_axis(sums.it, peak_hour, axis=1)[:, 0]
        scope_peak_liquid = np.take_along_axis(sums.liquid, peak_hour, axis=1)[:, 0]
        scope_peak_loss = np.zeros_like(scope_peak)
        if sums.loss is not None:  # air units carry the losses too
            scope_peak_loss = np.take_along_axis(sums.loss, peak_hour, axis=1)[:, 0]
        stranded = stranded_capacity(scopes, scope_peak, scope_peak_liquid,
                                     scope_peak - scope_peak_liquid + scope_peak_loss)
        return Results(
            inference_share=scenario.inference_share,
            year=scenario.year,
            ai_density_factor=scenario.ai_density_factor,
            hour=chosen,
            hours=frozen(np.arange(HOURS)),
            it_kw=frozen(it_kw),
            electrical_loss_kw=frozen(loss_kw),
            cooling_kw=frozen(np.array(day.cooling_kw)),
            facility_kw=frozen(np.array(day.facility_kw)),
            pue=frozen(np.array(day.pue)),
            annual_pue=float(annual_pue),
            cooling_loops=loops,
            peak_it_kw=float(it_kw.max(initial=0.0)),
            peak_facility_kw=float(np.max(day.facility_kw, initial=0.0)),
            climate_id=climate.id if climate is not None else "",
            it_layers_kw=frozen(layers),
            liquid_heat_kw=frozen(np.array(liquid_heat)),
            ai_design_kw=ai_design_kw,
            component_ids=compiled.labels.component_ids,
            component_kinds=compiled.labels.component_kinds,
            component_roles=compiled.labels.component_roles,
            component_load_kw=frozen(load),
            component_loss_kw=frozen(np.concatenate([loads.power.loss_kw[:pc, chosen],
                                                     loads.cooling.loss_kw[:cc, chosen]])),
            component_capacity_kw=frozen(capacity),
            component_utilization=frozen(comp_util),
            component_worst_failure_utilization=frozen(worst),
            component_worst_failure_hour=frozen(np.asarray(worst_hour, dtype=np.int64)),
            component_worst_failure_case=(frozen(np.array(worst_case, dtype=str)) if failures
                                          else self._no_cases(pc + cc)),
            warn_utilization=float(derating),
            component_state=comp_state,
            component_worst_failure_state=frozen(worst_state),
            rack_ids=compiled.labels.rack_ids,
            rack_it_kw=frozen(peak_rack),
            rack_heat_liquid_kw=frozen(rack_liquid),
            rack_heat_air_kw=frozen(peak_rack - rack_liquid),
            rack_floor_kg_m2=floor_kg_m2,
            rack_survives_single_failures=frozen(rack_survives & served),
            rack_served=frozen(served),
            unserved_it_kw=frozen(loads.unserved_it_kw),
            failures_analysed=failures,
            maintenance_pairs=pairs,
            headroom=headroom,
            component_nameplate_fed_kw=frozen(fed_kw),
            maintenance_verdicts=verdicts,
            single_failures=records,
            groups=groups,
            stranded=stranded,
            findings=sort_findings(findings),
            annual_energy=annual,
            annual_water_m3=water_m3,
            annual_it_mwh=it_mwh,
        )

    def _no_cases(self, n: int) -> StrArray:
        """``np.array(("",) * n, dtype=str)`` frozen, kept (building it costs a millisecond at 30,000
        components; results share it like their id arrays)."""
        if self._empty_cases is None or self._empty_cases.size != n:
            self._empty_cases = frozen(np.array(("",) * n, dtype=str))
        return self._empty_cases

    def _state(
        self,
        project: Project,
        catalog: Mapping[str, CatalogEntry],
        inference_share: float | None,
        year: int | None,
        hour: int | None,
    ) -> tuple[Compiled, RackTable, ScenarioPoint, Loads, int]:
        compiled = self.compile(project, catalog)
        table = compiled.rack_table
        assert table is not None
        scenario = self.scenario_for(project, inference_share, year)
        util = utilisation_matrix(self.profiles_for(project), scenario.inference_share)
        loads = self.loads(compiled, table, util, scenario.ai_density_factor, project)
        chosen = int(np.argmax(loads.it_kw)) if hour is None else int(hour) % HOURS
        return compiled, table, scenario, loads, chosen

    def failures_only(
        self,
        project: Project,
        catalog: Mapping[str, CatalogEntry],
        *,
        inference_share: float | None = None,
        year: int | None = None,
        hour: int | None = None,
    ) -> tuple[FailureRecord, ...]:
        """Just the single-failure records (e.g. to refresh them on idle after quick analyses)."""
        built = self.year_view(project, year)
        if built is not None:
            records = built[1].failures_only(built[0], catalog, inference_share=inference_share, year=year, hour=hour)
            self._years.day_used(built[1])
            return records
        compiled, table, _, loads, _chosen = self._state(project, catalog, inference_share, year, hour)
        return self._failures(compiled, table, loads, project, _chosen).records

    def _entries(self, catalog: Mapping[str, CatalogEntry], project: Project) -> Mapping[str, CatalogEntry]:
        """The catalog merged with the project's own entries, the same object while neither changes."""
        custom = dict(project.custom_catalog)
        if (self._merged is None or self._merged[1] != custom
                or (self._merged[0] is not catalog and dict(self._merged[0]) != dict(catalog))):
            self._merged = (catalog, custom, merged_catalog(catalog, custom))
        return self._merged[2]

    # ----------------------------------------------------------------- failure checks (``failure_checks``)
    def headroom(self, compiled: Compiled, table: RackTable, loads: Loads, project: Project,
                 catalog: Mapping[str, CatalogEntry], scenario: ScenarioPoint, rack_type: str | None,
                 survives: BoolArray) -> Headroom:
        """Racks of ``rack_type`` (default: the design's most common rack) each scope could still take
        (``failure_checks.rack_headroom``). An unknown ``rack_type`` raises KeyError."""
        util = utilisation_matrix(self.profiles_for(project), scenario.inference_share)
        return rack_headroom(compiled, table, loads, project, self._entries(catalog, project), util, scenario,
                             rack_type, survives)

    def maintenance(self, compiled: Compiled, table: RackTable, loads: Loads, records: tuple[FailureRecord, ...],
                    ) -> tuple[tuple[MaintenancePair, ...], tuple[MaintenanceVerdict, ...]]:
        """Maintenance + single failure pairs that drop served racks, and each chain's verdict
        (``failure_checks.maintenance_checks``)."""
        return maintenance_checks(compiled, table, loads, records)

    def _failures(self, compiled: Compiled, table: RackTable, loads: Loads, project: Project,
                  hour: int) -> DayFailures:
        """Every single failure over the whole design day (``failure_checks.single_failures``)."""
        return single_failures(compiled, table, loads, project, hour, self._day)


def analyze(
    project: Project,
    catalog: Mapping[str, CatalogEntry],
    *,
    inference_share: float | None = None,
    year: int | None = None,
    hour: int | None = None,
    headroom_rack: str | None = None,
) -> Results:
    """Analyse a design at one point of its training-to-inference transition.

    The inference share comes from the active scenario's ``year`` (its first year by default) unless
    ``inference_share`` is given; per-component and per-rack values are taken at ``hour`` (default
    the hour of peak IT load). ``headroom_rack`` is the catalog id of the rack type the headroom
    counts (default: the design's most common). Use an ``Analyzer`` to re-analyse cheaply after edits.
    """
    analyzer = Analyzer()
    try:
        return analyzer.analyze(project, catalog, inference_share=inference_share, year=year, hour=hour,
                                headroom_rack=headroom_rack)
    finally:
        analyzer.close()


def forget_design_caches() -> None:
    """Let go of the module-level last answers (``day_failures``, ``headroom``): they keep the ids of the
    last design analysed with its failures alive until another design's replace them (~70 MB after a
    50,000-rack campus). Call it when a design has gone (``designer.ui.heap.settle_after_open``); an
    open design's next analysis works them out again."""
    forget_last_answers()
    forget_last_rest()


def _weak_child(analyzer: Analyzer) -> Callable[[], Analyzer]:
    """``analyzer._child`` without a reference to ``analyzer`` (its ``YearViews`` keeps the factory: a
    cycle would leave a dropped analyzer, its networks and its day to the collector)."""
    owner = weakref.ref(analyzer)

    def child() -> Analyzer:
        alive = owner()
        assert alive is not None  # the views live inside their analyzer
        return alive._child()

    return child
