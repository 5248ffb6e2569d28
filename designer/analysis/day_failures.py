"""Single failures over the whole design day: every component failed in turn, at every hour.

``failures.evaluate_failures`` solves all cases of one network with the 24 hours as columns
(liveness and sharing are topological; only the loads change with the hour). A case *loses* racks
when they keep no live supply (the same at every hour); it *overloads* a component when that
component goes over 100 % of its rating at some hour at which it was not over before. Each
component's worst case is the highest utilisation over every hour and every failure of another
component (or normal running), with the hour and the failed component that give it.

The cooling side's loads are heat, which does not depend on the weather in this model; the
weather enters through the electrical load of the cooling units fed by the chain, which follows
the site's design day (peaking at the design ambient), so the power-side cases see the cooling
plant at the design ambient's hour. A power failure that stops cooling units is solved on the
cooling network at every hour too (``induced_cooling_failures``).

Only the hours that no other hour dominates are solved (``failures.undominated_hours``): loads
rise with demand everywhere, so a dominated hour can hold no worst case. An overload is "new" when
the component was not over at that hour in normal running; a component already over in normal
running at a dominating hour is an ``over_capacity`` matter, not a failure's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter, is_not
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from designer.analysis.capacity import utilization
from designer.analysis.failures import (
    FailureStructure,
    NetworkFailures,
    SetFailures,
    _distinct_rows_of,
    evaluate_failures,
    induced_cooling_failures,
    undominated_hours,
)
from designer.analysis.findings import Finding, id_list
from designer.analysis.flow import FlowNetwork, consumer_demand, rack_fractions
from designer.analysis.loads import BoolArray, FloatArray, IntArray, RackTable
from designer.analysis.results import FailureRecord, GroupVerdict
from designer.analysis.service import served_nodes
from designer.model.project import Project

if TYPE_CHECKING:
    from designer.analysis.evaluation import Loads

MAX_FAILURE_FINDINGS = 20


@dataclass(frozen=True, slots=True)
class DayFailures:
    """The single failures of both networks over the design day."""

    worst_utilization: FloatArray
    """(power + cooling components,) highest utilisation over every hour and every other failure."""
    worst_hour: IntArray
    """(components,) the hour of ``worst_utilization``."""
    worst_case: tuple[str, ...]
    """(components,) the failed component that gives it ("" for normal running)."""
    records: tuple[FailureRecord, ...]
    groups: tuple[GroupVerdict, ...]
    rack_survives: BoolArray
    findings: list[Finding]


def _induced_over_day(
    power: FlowNetwork,
    cooling: FlowNetwork,
    unit_index: IntArray,
    power_outcome: NetworkFailures,
    cooling_demand: FloatArray,
    needs_cooling: BoolArray,
    cooling_through: FloatArray,
    hours: IntArray,
) -> tuple[dict[int, int], SetFailures, IntArray] | None:
    """``induced_cooling_failures`` at every hour: lost and overloaded at any hour, utilisation at its
    highest (and that hour, per (component, set))."""
    cc = cooling.n_components
    hourly = []
    for h in hours.tolist():
        base = utilization(cooling_through[:cc, h], cooling.capacity_kw[:cc])
        found = induced_cooling_failures(power, cooling, unit_index, power_outcome, cooling_demand[:, h], base,
                                         needs_cooling)
        if found is None:
            return None
        hourly.append(found)
    columns = hourly[0][0]
    stack = np.stack([sets.utilization for _, sets in hourly])
    peak_hour = stack.argmax(axis=0)
    combined = SetFailures(
        lost=np.logical_or.reduce([sets.lost for _, sets in hourly]),
        overloaded=np.logical_or.reduce([sets.overloaded for _, sets in hourly]),
        utilization=stack.max(axis=0),
    )
    return columns, combined, hours[peak_hour]


def day_hours(table: RackTable, loads: Loads, power: FlowNetwork) -> IntArray:
    """The hours of the design day no other hour dominates, on every node of both chains.

    First on one served rack of each workload class (its curve, up to a factor), the demand of each
    fed cooling unit node and the indoor loss heat each rack carries, of which every node's demand is
    a non-negative sum; then exactly, on every node of both chains, among the hours that first test
    keeps.
    """
    served = np.flatnonzero(loads.service.served)
    _, first = np.unique(table.workload[served], return_index=True)
    units = np.arange(power.n_components + power.n_classes, power.n_nodes)
    parts = [loads.rack_it_kw[served[first]], loads.power_demand[units]]
    if loads.rack_loss_heat_kw is not None:  # the halls' indoor losses riding on the racks' air heat
        # its distinct rows only (a rack of a kind in a hall repeats its neighbours'): the test below keeps
        # one of each row shape whatever their order or repeats, and a whole (racks, hours) copy of these
        # was 9.6 MB at 50k racks
        parts.append(_distinct_rows_of(np.asarray(loads.rack_loss_heat_kw, dtype=np.float64)))
    rows = np.vstack(parts)
    if not rows.shape[0]:
        return np.arange(min(1, loads.it_kw.size))
    # a sufficient test on those few rows, then the exact one on every node among the survivors
    # (dominance is transitive, so an hour dominated by a dropped hour is dominated by a kept one)
    candidates = undominated_hours(rows)
    nodes = np.vstack([loads.power_demand[:, candidates], loads.cooling_demand[:, candidates]])
    return candidates[undominated_hours(nodes)]


def single_failures_over_day(
    power: FlowNetwork,
    cooling: FlowNetwork,
    power_structure: FailureStructure,
    cooling_structure: FailureStructure,
    power_shares: FloatArray,
    cooling_shares: FloatArray,
    unit_index: IntArray | None,
    table: RackTable,
    loads: Loads,
    project: Project,
    hour: int | None = None,
) -> DayFailures:
    """Every single failure of both networks at every hour of the design day (see the module docstring).

    ``hour`` (the analysed hour) is always solved too, so an overload that is new at that hour is
    reported even where a dominating hour finds the part over its rating already.
    """
    cc = cooling.n_components
    design_heat = consumer_demand(cooling, table.design_kw[:, None], rack_fractions(cooling, table.liquid_fraction))
    served = loads.service.served
    # racks unserved before any failure are not lost to one (``service``)
    needs_cooling = (design_heat[:, 0] > 0) & served_nodes(cooling, served)
    # only hours no other hour dominates can hold a worst case (``undominated_hours``). Every node's
    # demand is a sum of the workload classes' curves and the fed cooling units' draws, so hours
    # compared on those few rows are compared on every node of both chains
    hours = day_hours(table, loads, power)
    if hour is not None and loads.it_kw.size:
        hours = np.union1d(hours, [hour % loads.it_kw.size]).astype(np.int64)
    outcomes: list[tuple[FlowNetwork, NetworkFailures]] = []
    members, names, component_groups = _group_members(project, (power, cooling))
    group_worst = np.zeros(len(names))
    for network, structure, flow, demand, shares, needs, group_of in (
        (power, power_structure, loads.power, loads.power_demand, power_shares, served_nodes(power, served),
         component_groups[0]),
        (cooling, cooling_structure, loads.cooling, loads.cooling_demand, cooling_shares, needs_cooling,
         component_groups[1]),
    ):
        through = flow.through_kw[:, hours]
        found = evaluate_failures(network, structure, demand[:, hours], through, through + flow.loss_kw[:, hours],
                                  shares, needs)
        del through
        n_comp = network.n_components
        _fold_groups(group_worst, group_of, utilization(flow.through_kw[:n_comp], network.capacity_kw[:n_comp, None])
                     .max(axis=1, initial=0.0), found)
        # each case's figures per hour (``region_columns``, a view of (hours, cases) at 50k racks: ~10 MB a
        # network) are headroom's, and the region pairs (~7 MB for the power network) were read by the groups'
        # verdicts only, folded in above; they go before the next network's are made
        outcomes.append((network, replace(found, worst_hour=hours[found.worst_hour],
                                          overloaded_hour=hours[found.overloaded_hour],
                                          region_case=_NO_PAIRS, region_node=_NO_PAIRS,
                                          region_utilization=_NO_VALUES, region_columns=_NO_COLUMNS)))
        del found
    rack_ids: NDArray[np.str_] | None = None  # built on the first rack lost (a 2N design seldom loses one)
    rack_survives = np.ones(len(table.ids), dtype=bool)
    records: list[FailureRecord] = []
    power_outcome, cooling_outcome = outcomes[0][1], outcomes[1][1]
    cooling_worst = cooling_outcome.worst_utilization.copy()
    cooling_hour = cooling_outcome.worst_hour.copy()
    cooling_case = [cooling.component_ids[c] if c >= 0 else "" for c in cooling_outcome.worst_case.tolist()]
    induced = None
    if unit_index is not None:
        induced = _induced_over_day(power, cooling, unit_index, power_outcome, loads.cooling_demand, needs_cooling,
                                    loads.cooling.through_kw, hours)
    if induced is not None:
        case_of_column = {column: case for case, column in induced[0].items()}
        util, peak_hour = induced[1].utilization, induced[2]
        if util.size:
            column = util.argmax(axis=1)
            best = util[np.arange(cc), column]
            better = np.flatnonzero(best > cooling_worst)
            cooling_worst[better] = best[better]
            cooling_hour[better] = peak_hour[better, column[better]]
            for c in better.tolist():
                cooling_case[c] = power.component_ids[case_of_column[int(column[c])]]
    for network, outcome in outcomes:
        lost: dict[int, list[int]] = {}
        n_racked = network.n_components + network.n_classes
        for case, node in zip(outcome.lost_case.tolist(), outcome.lost_node.tolist(), strict=True):
            if node < n_racked:  # cooling units that lose power: see ``induced_cooling_failures``
                lost.setdefault(case, []).append(node)
        overloaded: dict[int, list[tuple[str, int]]] = {}
        for case, node, hour in zip(outcome.overloaded_case.tolist(), outcome.overloaded_node.tolist(),
                                    outcome.overloaded_hour.tolist(), strict=True):
            overloaded.setdefault(case, []).append((network.component_ids[node], hour))
        n_comp = network.n_components
        # most failures lose and overload nothing: their records come ready-made (``_clean_records``),
        # and only the others are worked out, in component order as before
        network_records = list(_clean_records(network.component_ids))
        columns = induced[0] if induced is not None and network is power else {}
        for f in sorted({*lost, *overloaded, *(f for f, column in columns.items() if column >= 0)}):
            failed = network.component_ids[f]
            column = columns.get(f, -1)
            lost_ids: tuple[str, ...] = ()
            racks = np.zeros(0, dtype=np.int64)
            if f in lost:
                racks = np.unique(np.concatenate([network.class_racks[n - n_comp] for n in lost[f]]))
                racks = racks[served[racks]]
                rack_survives[racks] = False
                rack_ids = np.array(table.ids, dtype=str) if rack_ids is None else rack_ids
                lost_ids = tuple(rack_ids[racks].tolist())
            over = overloaded.get(f, [])
            uncooled: tuple[str, ...] = ()
            if column >= 0 and induced is not None:
                # racks that keep power but lose cooling with the units this failure switches off
                sets = induced[1]
                lost_classes = np.flatnonzero(sets.lost[:, column]) - cooling.n_components
                if lost_classes.size:
                    hot = np.setdiff1d(np.concatenate([cooling.class_racks[c] for c in lost_classes.tolist()]), racks)
                    hot = hot[served[hot]]
                    rack_survives[hot] = False
                    rack_ids = np.array(table.ids, dtype=str) if rack_ids is None else rack_ids
                    uncooled = tuple(rack_ids[hot].tolist())
                over = over + [(cooling.component_ids[c], int(induced[2][c, column]))
                               for c in np.flatnonzero(sets.overloaded[:, column]).tolist()]
            over.sort()
            network_records[f] = FailureRecord(
                failed=failed,
                racks_without_power=lost_ids if network is power else (),
                racks_without_cooling=lost_ids if network is cooling else uncooled,
                overloaded=tuple(c for c, _ in over),
                overloaded_hours=tuple(h for _, h in over),
            )
        records.extend(network_records)
    worst = np.concatenate([power_outcome.worst_utilization, cooling_worst])
    worst_hour = np.concatenate([power_outcome.worst_hour, cooling_hour])
    worst_case = (*[power.component_ids[c] if c >= 0 else "" for c in power_outcome.worst_case.tolist()],
                  *cooling_case)
    groups = group_verdicts(members, names, records, group_worst)
    return DayFailures(worst, worst_hour, worst_case, tuple(records), groups, rack_survives, failure_findings(records))


_NO_COLUMNS: FloatArray = np.zeros((0, 0))
_NO_COLUMNS.flags.writeable = False
"""``NetworkFailures.region_columns`` once read (the single failures do not read them)."""
_NO_PAIRS: IntArray = np.zeros(0, dtype=np.int64)
_NO_PAIRS.flags.writeable = False
_NO_VALUES: FloatArray = np.zeros(0)
_NO_VALUES.flags.writeable = False
"""``NetworkFailures.region_case``, ``region_node`` and ``region_utilization`` once folded into the groups' worst."""


@lru_cache(maxsize=8)
def _clean_records(component_ids: tuple[str, ...]) -> tuple[FailureRecord, ...]:
    """A record of each component's failure that loses and overloads nothing (records are immutable:
    the same ones serve every analysis of the same network; building 30,000 anew took ~25 ms)."""
    return tuple(FailureRecord(failed, (), (), ()) for failed in component_ids)


_GroupMembers = tuple[dict[str, list[str]], list[str], tuple[IntArray, ...]]
_last_members: tuple[list[str], list[str | None], tuple[tuple[str, ...], ...], _GroupMembers] | None = None
"""(item ids, their groups, the networks' component ids, the answer) of the last ``_group_members``."""


def forget_last_answers() -> None:
    """Let go of the last design's ``_group_members`` answer and clean records (its ids and records stay
    alive in them until another design's replace them)."""
    global _last_members
    _last_members = None
    _clean_records.cache_clear()


def _group_members(project: Project, networks: tuple[FlowNetwork, ...]) -> _GroupMembers:
    """(group -> its item ids in item order, the group names sorted, per network the group index of
    each component or -1). The last answer again while the items' ids and groups and the networks'
    components stand (one tuple read and written whole: threads see one answer or the other)."""
    global _last_members
    items = project.items
    item_ids = list(items)
    groups_of_items = list(map(attrgetter("group"), items.values()))
    component_ids = tuple(network.component_ids for network in networks)
    last = _last_members
    if (last is not None and len(last[2]) == len(component_ids) and last[1] == groups_of_items
            and last[0] == item_ids and all(a is b or a == b for a, b in zip(last[2], component_ids, strict=True))):
        return last[3]
    members: dict[str, list[str]] = {}
    # only the grouped items are looked at one by one, in item order
    for item_id, group in compress(zip(item_ids, groups_of_items, strict=True),
                                   map(is_not, groups_of_items, repeat(None))):
        members.setdefault(group, []).append(item_id)
    names = sorted(members)
    group_of = {item_id: g for g, name in enumerate(names) for item_id in members[name]}
    groups = tuple(np.fromiter(map(group_of.get, ids, repeat(-1)), np.int64, len(ids)) for ids in component_ids)
    answer = (members, names, groups)
    _last_members = (item_ids, groups_of_items, component_ids, answer)
    return answer


def _fold_groups(worst: FloatArray, groups: IntArray, base_utilization: FloatArray, outcome: NetworkFailures) -> None:
    """Into ``worst`` (per group): each grouped component's highest utilisation in normal running
    (``base_utilization``, the network's components), then its highest when another member of its group
    fails (``groups``: the group index of each component or -1). Called for the power network, then the
    cooling network: the same maxima in the same order as over both at the end."""
    if not groups.size:
        return
    grouped = groups >= 0
    np.maximum.at(worst, groups[grouped], base_utilization[grouped])
    case_group = groups[outcome.region_case]
    same = (case_group >= 0) & (case_group == groups[outcome.region_node]) & (
        outcome.region_case != outcome.region_node)
    np.maximum.at(worst, case_group[same], outcome.region_utilization[same])


def group_verdicts(
    members: dict[str, list[str]],
    names: list[str],
    records: list[FailureRecord],
    worst: FloatArray,
) -> tuple[GroupVerdict, ...]:
    """Each redundancy group (``names``, their item ids ``members``) against the loss of any one member, at
    the worst hour of the day (``worst`` per group, ``_fold_groups``)."""
    failing = {r.failed for r in records if r.racks_without_power or r.racks_without_cooling or r.overloaded}
    verdicts = []
    for g, name in enumerate(names):
        group_ids = members[name]
        survives = failing.isdisjoint(group_ids)  # a member without a record (not analysed) fails nothing
        verdicts.append(GroupVerdict(name, tuple(sorted(group_ids)), float(worst[g]),
                                     bool(survives and worst[g] <= 1.0 + 1e-6)))
    return tuple(verdicts)


def failure_findings(records: list[FailureRecord]) -> list[Finding]:
    """Errors for the failures that lose racks or overload a part (the first few one by one)."""
    findings: list[Finding] = []
    losing = [r for r in records if r.racks_without_power or r.racks_without_cooling]
    for r in losing[:MAX_FAILURE_FINDINGS]:
        lost = (*r.racks_without_power, *r.racks_without_cooling)
        if r.racks_without_power and r.racks_without_cooling:  # a power failure that also stops cooling units
            what = (f"{len(r.racks_without_power)} rack(s) without power ({id_list(r.racks_without_power)}) and "
                    f"{len(r.racks_without_cooling)} without cooling ({id_list(r.racks_without_cooling)})")
        else:
            what = f"{len(lost)} rack(s) without {'power' if r.racks_without_power else 'cooling'}: {id_list(lost)}"
        findings.append(Finding("error", "single_failure_loss", f"failure of {r.failed} leaves {what}",
                                (r.failed, *lost)))
    if len(losing) > MAX_FAILURE_FINDINGS:
        rest = [r.failed for r in losing[MAX_FAILURE_FINDINGS:]]
        findings.append(Finding("error", "single_failure_loss",
                                f"{len(rest)} more single failures leave racks without supply: {id_list(rest)}",
                                tuple(rest)))
    overloading = [r for r in records if r.overloaded]
    for r in overloading[:MAX_FAILURE_FINDINGS]:
        at = sorted(set(r.overloaded_hours))
        hours = f" (from hour {at[0]})" if at else ""
        findings.append(Finding("error", "single_failure_overload",
                                f"failure of {r.failed} pushes {id_list(r.overloaded)} over capacity{hours}",
                                (r.failed, *r.overloaded)))
    if len(overloading) > MAX_FAILURE_FINDINGS:
        rest = [r.failed for r in overloading[MAX_FAILURE_FINDINGS:]]
        findings.append(Finding("error", "single_failure_overload",
                                f"{len(rest)} more single failures overload a surviving component: {id_list(rest)}",
                                tuple(rest)))
    return findings
