"""The cooling plant's electrical load on the power chain: each fed cooling unit's share of the cooling power.

The facility model (``facility.facility_power``) gives the cooling plant's electrical power hour by
hour as four pools; a cooling unit with a power feed in the design (``FlowNetwork.unit_ids`` of
the power network) draws its share of the pools it belongs to:

========================  ===========================================  ==============================
pool                      members (cooling units of the design)        weight of a member
========================  ===========================================  ==============================
air-unit fans             CRAH, fan wall, in-row, rear door            heat through it x fan_kw_per_kw
liquid-unit pumps         CDU, immersion tank                          heat through it x pump_kw_per_kw
compressors               chillers (every heat-rejection unit when     heat through it / COP
                          the design has no chiller)                   (x 1 without chillers)
heat-rejection fans       every heat-rejection unit                    heat through it x (fan_kw_per_kw
and plant pumps                                                        when it free-cools + the
                                                                       chilled-water pump intensity)
========================  ===========================================  ==============================

The plant's chilled-water, condenser and economiser pumps have no unit of their own in a design:
they are charged with the heat-rejection fans to the units of the plant they serve.

"Heat through it" is the unit's load in the cooling network (``loads.cooling.through_kw``) at that
hour; the intensities are the catalog parameters the facility model averages (same defaults), so
the shares of a pool add up to its facility total. In an hour where a pool's members carry no heat
(e.g. fans moving only the losses' heat), the pool splits by rating x intensity instead. Units
without a power feed keep their share outside the design (lighting and misc stay off the chain).

The load is found in one pass: the facility model runs on the losses of the racks' load alone,
its cooling power is put on the fed units, and the power network is rolled up again with it. The
losses that the cooling load itself adds in the chain are counted in the electrical losses but not
fed back into the heat the plant removes (a second-order term: about 1 % of those losses' own
heat in cooling power).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from designer.analysis import facility as facility_mod
from designer.analysis.flow import FlowNetwork, with_liveness
from designer.analysis.loads import FloatArray, IntArray
from designer.model.catalog import CatalogEntry
from designer.model.roles import AIR_UNIT_ROLES, CHILLER_ROLES, HEAT_REJECTION_ROLES, LIQUID_UNIT_ROLES

POOLS = ("fans", "pumps", "compressors", "rejection_fans")


@dataclass(frozen=True, slots=True)
class CoolingFeeds:
    """How the cooling power splits over the fed units (topology and catalog only).

    The split is linear in the units' heat, so it is kept per *unit node* of the power network
    (units fed alike share one, as racks do): a node draws the sum of its units' shares.
    """

    unit_ids: tuple[str, ...]
    unit_node: IntArray
    """(units,) consumer node of each fed unit in the power network (shared by units fed alike)."""
    class_nodes: IntArray
    """(unit nodes,) the power network's unit nodes, in order."""
    cooling_index: IntArray
    """(units,) component index of each fed unit in the cooling network."""
    weights: sp.csr_matrix
    """(pools x (unit nodes + 1), cooling components): per pool, one row per unit node (its units'
    weights per kW of heat at their columns) then one row for the pool total (every member's)."""
    fallback: FloatArray
    """(pools, unit nodes + 1): the same rows with rating in place of heat, for hours without heat."""

    @property
    def n_nodes(self) -> int:
        return int(self.class_nodes.size)


def _pool_weights(entry: CatalogEntry, has_chillers: bool) -> tuple[float, float, float, float]:
    """Weight per kW of heat of a unit in each pool (0: not a member)."""
    role = entry.role
    if role in AIR_UNIT_ROLES:
        return entry.number("fan_kw_per_kw", facility_mod.DEFAULT_AIR_FAN_KW_PER_KW), 0.0, 0.0, 0.0
    if role in LIQUID_UNIT_ROLES:
        return 0.0, entry.number("pump_kw_per_kw", facility_mod.DEFAULT_PUMP_KW_PER_KW), 0.0, 0.0
    if role not in HEAT_REJECTION_ROLES:
        return 0.0, 0.0, 0.0, 0.0
    if role in CHILLER_ROLES:
        cop = facility_mod.chiller_cop(entry)
        compressor = 1.0 / cop if cop > 0 else 0.0
    else:
        compressor = 0.0 if has_chillers else 1.0
    fans = entry.number("fan_kw_per_kw", 0.0) if facility_mod.free_capable(entry) else 0.0
    return 0.0, 0.0, compressor, fans + facility_mod.CHILLED_WATER_PUMP_KW_PER_KW


def cooling_feeds(power: FlowNetwork, cooling: FlowNetwork, entries: Mapping[str, CatalogEntry]) -> CoolingFeeds | None:
    """The split of the cooling power over the units fed in ``power`` (None when none is fed)."""
    if not power.unit_ids:
        return None
    n_cc = cooling.n_components
    comp_entries = [entries[i] for i in cooling.component_ids]
    has_chillers = any(e.role in CHILLER_ROLES for e in comp_entries)
    # a function of the entry alone: once per distinct entry object (the items of an entry share it)
    _, first_of, entry_of = np.unique(np.fromiter(map(id, comp_entries), np.int64, n_cc), return_index=True,
                                      return_inverse=True)
    distinct = [comp_entries[i] for i in first_of.tolist()]
    entry_of = entry_of.reshape(-1)
    per_kw = np.array([_pool_weights(e, has_chillers) for e in distinct],
                      dtype=np.float64).reshape(len(distinct), 4)[entry_of]
    rating = np.array([max(e.capacity_kw, 0.0) for e in distinct], dtype=np.float64)[entry_of]
    position = dict(zip(cooling.component_ids, range(n_cc), strict=True))
    fed = np.array([position[u] for u in power.unit_ids], dtype=np.int64)
    first_unit_node = power.n_components + power.n_classes
    class_nodes = first_unit_node + np.arange(len(power.unit_classes), dtype=np.int64)
    n_nodes = class_nodes.size
    node_of = power.unit_node - first_unit_node
    blocks: list[sp.csr_matrix] = []
    fallback = np.zeros((len(POOLS), n_nodes + 1))
    for p in range(len(POOLS)):
        blocks.append(sp.csr_matrix((per_kw[fed, p], (node_of, fed)), shape=(n_nodes, n_cc)))
        blocks.append(sp.csr_matrix(per_kw[:, p][None, :]))
        fallback[p, :n_nodes] = np.bincount(node_of, weights=per_kw[fed, p] * rating[fed], minlength=n_nodes)
        fallback[p, n_nodes] = float(per_kw[:, p] @ rating)
    weights = sp.csr_matrix(sp.vstack(blocks))
    weights.eliminate_zeros()
    return CoolingFeeds(power.unit_ids, power.unit_node, class_nodes, fed, weights, fallback)


def pool_kw(day: facility_mod.FacilityPower) -> FloatArray:
    """(pools, columns) the facility model's cooling power by pool (``day`` arrays flattened)."""
    chiller = np.ravel(day.chiller_kw)
    return np.stack([np.ravel(day.fan_kw), np.ravel(day.pump_kw), chiller, np.ravel(day.heat_rejection_kw) - chiller])


def unit_power_kw(feeds: CoolingFeeds, weighted_heat: FloatArray, pools: FloatArray) -> FloatArray:
    """(unit nodes, columns) electrical kW of the fed units of each unit node.

    ``weighted_heat`` is ``feeds.weights @ heat`` for the cooling components' heat (columns as
    ``pools``); ``pools`` comes from ``pool_kw``.
    """
    n = feeds.n_nodes
    return split_pools(weighted_heat.reshape(len(POOLS), n + 1, pools.shape[1]), feeds.fallback, pools)


def split_pools(weighted: FloatArray, fallback: FloatArray, pools: FloatArray) -> FloatArray:
    """(units, columns) each unit's share of the pools.

    ``weighted`` is (pools, units + 1, columns) weighted heat, the last row of each pool its total;
    ``fallback`` (pools, units + 1) the same by rating for columns where a pool's total is 0.
    """
    n = weighted.shape[1] - 1
    total = weighted[:, n, :]
    has_heat = total > 0
    per_heat = np.divide(pools, total, out=np.zeros_like(pools), where=has_heat)
    fallback_share = np.divide(fallback[:, :n], fallback[:, n:], out=np.zeros((len(POOLS), n)),
                               where=fallback[:, n:] > 0)
    by_heat = np.einsum("pc,puc->uc", per_heat, weighted[:, :n, :])
    by_rating = fallback_share.T @ np.where(has_heat, 0.0, pools)
    return np.asarray(by_heat + by_rating, dtype=np.float64)


def without_dark_units(power: FlowNetwork, cooling: FlowNetwork) -> FlowNetwork:
    """``cooling`` with the units fed by the design but without live power taken as dead (they run nothing)."""
    dark = ~power.live[power.unit_node] if power.unit_node.size else np.zeros(0, dtype=bool)
    if not dark.any():
        return cooling
    index = dict(zip(cooling.component_ids, range(cooling.n_components), strict=True))
    failed = np.zeros(cooling.n_components, dtype=bool)
    failed[[index[u] for u in np.array(power.unit_ids, dtype=object)[dark].tolist()]] = True
    return with_liveness(cooling, failed)
