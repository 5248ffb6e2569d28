"""Which racks are served now: a live power path and live cooling for the heat they make.

A rack is *served* when its power consumer node is live (a path of live suppliers from a source,
``flow.liveness``) and its heat has somewhere to go: a live liquid supplier when it has a liquid
fraction, and a live air or liquid supplier for the rest (a partly liquid rack whose air side
reaches no air unit is a warning, ``no_air_cooling``, not unserved). An *unserved* rack draws
nothing in the analysis: its IT is reported apart (``unserved_it_kw``), never as facility load.
*At risk* is a different thing: a served rack that some single failure would drop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from designer.analysis.findings import Finding, id_list
from designer.analysis.flow import FlowNetwork
from designer.analysis.loads import BoolArray, FloatArray
from designer.analysis.topology import MEDIUM_CODE
from designer.model.types import CoolingMedium

_LIQUID = MEDIUM_CODE[CoolingMedium.LIQUID]
_AIR = MEDIUM_CODE[CoolingMedium.AIR]


@dataclass(frozen=True, slots=True)
class RackService:
    """Per rack: live power now, live cooling now (both needed to be served)."""

    powered: BoolArray
    cooled: BoolArray

    @property
    def served(self) -> BoolArray:
        return np.asarray(self.powered & self.cooled, dtype=np.bool_)


def _node_live(network: FlowNetwork, column: int) -> BoolArray:
    live = np.append(network.live, False)  # node -1 (no supplier of that kind) reads dead
    return np.asarray(live[network.rack_node[:, column]], dtype=np.bool_)


def served_nodes(network: FlowNetwork, served: BoolArray) -> BoolArray:
    """(n_nodes,) True for every node except rack classes with no served rack (their loss is no news)."""
    has_served = np.zeros(network.n_nodes)
    for aggregator in network.rack_aggregators:
        has_served += aggregator @ served.astype(np.float64)
    keep = np.ones(network.n_nodes, dtype=bool)
    classes = slice(network.n_components, network.n_components + network.n_classes)
    keep[classes] = has_served[classes] > 0
    return keep


def rack_service(power: FlowNetwork, cooling: FlowNetwork, liquid_fraction: FloatArray) -> RackService:
    """Which racks have live power and live cooling with nothing failed."""
    powered = _node_live(power, 0)
    liquid, air = _node_live(cooling, _LIQUID), _node_live(cooling, _AIR)
    cooled = ((liquid_fraction <= 0) | liquid) & ((liquid_fraction >= 1) | air | liquid)
    return RackService(powered, np.asarray(cooled, dtype=np.bool_))


def service_findings(rack_ids: tuple[str, ...], service: RackService) -> list[Finding]:
    """One error naming the unserved racks and why (dead components are ``topology`` findings)."""
    findings: list[Finding] = []
    unserved = ~service.served
    if unserved.any():
        no_power = [rack_ids[i] for i in np.flatnonzero(~service.powered).tolist()]
        no_cooling = [rack_ids[i] for i in np.flatnonzero(service.powered & ~service.cooled).tolist()]
        parts = ([f"{len(no_power)} without live power ({id_list(no_power)})"] if no_power else []) + (
            [f"{len(no_cooling)} without live cooling ({id_list(no_cooling)})"] if no_cooling else [])
        findings.append(Finding("error", "racks_unserved",
                                f"{int(unserved.sum())} of {len(rack_ids)} racks unserved now: "
                                f"{'; '.join(parts)}; their load is not counted as facility load",
                                (*no_power, *no_cooling)))
    return findings
