"""Step-down transformers checked the way they are rated: kVA at the design hour, and the voltages each side.

A transformer is rated in kVA (``parameters.kva``, scaled by an item's rating override) with its ratio
``mv_voltage_v : voltage_v``. The capacity analysis checks its kW; a load of lower power factor than the
one its kW rating assumes draws more kVA per kW, so this module checks the kVA too:

- ``transformer_over_kva`` (error): the kVA it carries at the analysed (design) hour is over its rating;
- ``transformer_kva_in_failure`` (warning): its worst single failure loads it past its kVA rating;
- ``transformer_secondary_mismatch`` (error): what it feeds is built for another voltage than its
  secondary (a 480 V board on a 415 V secondary);
- ``transformer_primary_mismatch`` (error): its supplier delivers another voltage than its primary (a
  utility feed is left out: its ``voltage_v`` is the grid's, which its intake substation, not drawn,
  steps down to the site's medium voltage).

Voltages count as the same within ``VOLTAGE_TOLERANCE`` (400 V and 415 V name one system). A check is
made only where the entries name the voltages (an entry without ``voltage_v`` says nothing to check).
The figures come from ``electrical.electrical_figures``' node figures; this module reads them only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from designer.analysis.findings import Finding, id_list
from designer.analysis.supply_voltage import input_voltage_v, output_voltage_v
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.types import ConnectionKind, Role

VOLTAGE_TOLERANCE = 0.05
"""Relative difference under which two nominal voltages are one system (IEC 60038 gives 230/400 V; the UK's
240/415 V is the same system 3.75 % higher; 415 V against 480 V, 15.7 %, is not)."""


class TransformerFigures(Protocol):
    """What the checks read of ``electrical.NodeFigures`` (a protocol: this module must not import that one)."""

    @property
    def item_id(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def voltage_v(self) -> float: ...
    @property
    def primary_voltage_v(self) -> float | None: ...
    @property
    def rated_kva(self) -> float | None: ...
    @property
    def load_kva(self) -> float: ...
    @property
    def design_kva(self) -> float: ...


@dataclass(frozen=True, slots=True)
class TransformerCheck:
    """One transformer's kVA and voltages, as the report and the single-line diagram show them."""

    item_id: str
    rated_kva: float | None
    load_kva: float
    """At the analysed (design) hour."""
    design_kva: float
    """The higher of that and its worst single failure's."""
    primary_v: float | None
    secondary_v: float | None
    """None: its entry names no secondary voltage (the ratio is unknown)."""

    @property
    def utilization(self) -> float | None:
        return self.load_kva / self.rated_kva if self.rated_kva else None


def same_voltage(a: float, b: float) -> bool:
    return abs(a - b) <= VOLTAGE_TOLERANCE * max(a, b)


def transformer_checks(project: Project, catalog: Mapping[str, CatalogEntry],
                       nodes: Iterable[TransformerFigures]) -> list[TransformerCheck]:
    """The kVA and voltages of every transformer among ``nodes``."""
    out: list[TransformerCheck] = []
    for node in nodes:
        if node.role != Role.TRANSFORMER:
            continue
        item = project.items.get(node.item_id)
        entry = catalog.get(item.catalog_id) if item is not None else None
        secondary = output_voltage_v(entry) if entry is not None else None
        out.append(TransformerCheck(node.item_id, node.rated_kva, node.load_kva, node.design_kva,
                                    node.primary_voltage_v, secondary))
    return out


def transformer_findings(project: Project, catalog: Mapping[str, CatalogEntry],
                         nodes: Iterable[TransformerFigures], memo: dict[str, object] | None = None) -> list[Finding]:
    """The findings of the module notes, for the transformers among ``nodes``. ``memo`` keeps the voltage
    checks (topology only) between calls on the very same records (``electrical_plan``)."""
    checks = transformer_checks(project, catalog, nodes)
    findings: list[Finding] = []
    over = [c for c in checks if c.rated_kva and c.load_kva > c.rated_kva * (1 + 1e-6)]
    for check in over:
        findings.append(Finding(
            "error", "transformer_over_kva",
            f"{check.item_id} (transformer) carries {check.load_kva:,.0f} kVA at the design hour, over its "
            f"{check.rated_kva:,.0f} kVA rating", (check.item_id,)))
    failing = [c for c in checks if c not in over and c.rated_kva and c.design_kva > c.rated_kva * (1 + 1e-6)]
    if failing:
        worst = max(failing, key=lambda c: c.design_kva / (c.rated_kva or 1.0))
        findings.append(Finding(
            "warning", "transformer_kva_in_failure",
            f"{len(failing)} transformer(s) carry more than their kVA rating in their worst single failure "
            f"(worst {worst.item_id}: {worst.design_kva:,.0f} of {worst.rated_kva:,.0f} kVA): "
            f"{id_list(c.item_id for c in failing)}", tuple(c.item_id for c in failing)))
    voltages = tuple((c.item_id, c.primary_v, c.secondary_v) for c in checks)
    kept = memo.get("transformer_voltages") if memo is not None else None
    if isinstance(kept, tuple) and kept[0] == voltages:
        secondary_bad, primary_bad = kept[1], kept[2]
    else:
        secondary_bad, primary_bad = _voltage_mismatches(project, catalog, checks)
        if memo is not None:
            memo["transformer_voltages"] = (voltages, secondary_bad, primary_bad)
    findings.extend(_mismatch_findings(secondary_bad, primary_bad))
    return findings


def _voltage_mismatches(project: Project, catalog: Mapping[str, CatalogEntry], checks: list[TransformerCheck]
                        ) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(secondary, primary) mismatches as (source, target, volts): the power connections of the transformers only
    (each looked at once)."""
    by_id = {c.item_id: c for c in checks}
    secondary_bad: list[tuple[str, str, str]] = []
    primary_bad: list[tuple[str, str, str]] = []
    items = project.items
    connections = project.connections
    # the lists are sorted before they are reported: the order they are found in does not matter
    # a scan rather than ``connections_of``, which would build the project's whole connection index (~70 MB at
    # 50k racks on a snapshot, which has none yet) for a few transformers; this is kept with the electrical plan
    touching = {c.id for c in connections.values() if c.source_id in by_id or c.target_id in by_id} if by_id else set()
    for connection_id in sorted(touching):
        connection = connections[connection_id]
        if connection.kind is not ConnectionKind.POWER:
            continue
        source = by_id.get(connection.source_id)
        if source is not None and source.secondary_v is not None:
            target = items.get(connection.target_id)
            entry = catalog.get(target.catalog_id) if target is not None else None
            wanted = input_voltage_v(entry) if entry is not None else None
            if wanted is not None and not same_voltage(wanted, source.secondary_v):
                secondary_bad.append((connection.source_id, connection.target_id,
                                      f"{source.secondary_v:,.0f} V to {wanted:,.0f} V"))
        fed = by_id.get(connection.target_id)
        if fed is not None and fed.primary_v is not None:
            supplier = items.get(connection.source_id)
            entry = catalog.get(supplier.catalog_id) if supplier is not None else None
            given = output_voltage_v(entry) if entry is not None and entry.role is not Role.UTILITY else None
            if given is not None and not same_voltage(given, fed.primary_v):
                primary_bad.append((connection.source_id, connection.target_id,
                                    f"{given:,.0f} V to a {fed.primary_v:,.0f} V primary"))
    return secondary_bad, primary_bad


def _mismatch_findings(secondary_bad: list[tuple[str, str, str]],
                       primary_bad: list[tuple[str, str, str]]) -> list[Finding]:
    findings: list[Finding] = []
    for bad, code, what in ((sorted(secondary_bad), "transformer_secondary_mismatch",
                             "feed equipment built for another voltage than the transformer's secondary"),
                            (sorted(primary_bad), "transformer_primary_mismatch",
                             "feed a transformer at another voltage than its primary")):
        if bad:
            ids = tuple(dict.fromkeys(i for source_id, target_id, _ in bad for i in (source_id, target_id)))
            runs = id_list(f"{source_id}->{target_id} ({volts})" for source_id, target_id, volts in bad)
            findings.append(Finding("error", code, f"{len(bad)} run(s) {what}: {runs}", ids))
    return findings


__all__ = ["VOLTAGE_TOLERANCE", "TransformerCheck", "same_voltage", "transformer_checks", "transformer_findings"]
