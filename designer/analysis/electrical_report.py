"""The electrical figures as JSON (the ``electrical`` key of ``analyze --json``) and as summary lines."""

from __future__ import annotations

import math
from dataclasses import replace

from designer.analysis.electrical import AMP_RATED_VALUES, ElectricalResults, NodeFigures
from designer.analysis.findings import sort_findings
from designer.analysis.results import Results
from designer.model.roles import POWER_STAGE_BY_ROLE
from designer.model.types import Role


def _n(value: float | None, digits: int = 3) -> float | None:
    """A JSON number (None for NaN, infinity or unknown)."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def with_electrical_findings(results: Results, electrical: ElectricalResults) -> Results:
    """``results`` with the electrical findings among its own (the CLI's exit code and lists count them)."""
    return replace(results, findings=sort_findings((*results.findings, *electrical.findings)))


def electrical_to_json(e: ElectricalResults) -> dict[str, object]:
    """Every figure of ``e`` as lists and numbers (NaN and unknown -> null)."""
    return {
        "standard": e.standard,
        "material": e.material,
        "table": e.table_name,
        "continuous_derating": _n(e.derating),
        "nodes": [
            {"id": n.item_id, "role": n.role, "voltage_v": _n(n.voltage_v), "phases": n.phases,
             "power_factor": _n(n.power_factor), "load_kw": _n(n.load_kw), "load_kva": _n(n.load_kva),
             "load_a": _n(n.load_a), "design_kw": _n(n.design_kw), "design_kva": _n(n.design_kva),
             "design_a": _n(n.design_a), "rated_kva": _n(n.rated_kva), "rated_a": _n(n.rated_a),
             "phase": n.phase, "primary_voltage_v": _n(n.primary_voltage_v)}
            for n in e.nodes
        ],
        "stages": stage_totals(e),
        "feeds": [
            {"id": f.connection_id, "source": f.source_id, "target": f.target_id, "feed": f.feed,
             "voltage_v": _n(f.voltage_v), "phases": f.phases, "load_kw": _n(f.load_kw), "load_a": _n(f.load_a),
             "design_kw": _n(f.design_kw), "design_kva": _n(f.design_kva), "design_a": _n(f.design_a),
             "breaker_a": _n(f.breaker_a), "route_m": _n(f.route_m), "length_m": _n(f.length_m),
             "same_hall": f.same_hall, "cable": f.cable, "cable_parallel": f.cable_parallel,
             "cable_area_mm2": _n(f.cable_area_mm2), "ampacity_a": _n(f.ampacity_a),
             "voltage_drop": _n(f.voltage_drop, 5), "estimated_load": f.estimated_load,
             "route_measured": f.route_measured}
            for f in e.feeds
        ],
        "busways": [{"id": b.item_id, "length_m": _n(b.length_m)} for b in e.busways],
        "panels": [
            {"id": p.item_id, "role": p.role, "voltage_v": _n(p.voltage_v), "phase_a": [_n(a) for a in p.phase_a],
             "imbalance": _n(p.imbalance, 4), "worst_hour": p.worst_hour, "unassigned": list(p.unassigned),
             "single_phase_loads": p.single_phase_loads}
            for p in e.panels
        ],
        "ups": [
            {"id": u.item_id, "battery_kwh": _n(u.battery_kwh), "draw_kw": _n(u.draw_kw),
             "worst_draw_kw": _n(u.worst_draw_kw), "minutes": _n(u.minutes), "worst_minutes": _n(u.worst_minutes)}
            for u in e.ups
        ],
        "generators": [
            {"id": g.item_id, "tank_l": _n(g.tank_l), "load_kw": _n(g.load_kw), "at_rating": g.at_rating,
             "fuel_l_per_h": _n(g.fuel_l_per_h), "hours": _n(g.hours)}
            for g in e.generators
        ],
        "swings": [
            {"year": s.year, "inference_share": _n(s.inference_share), "training_racks": s.training_racks,
             "training_nameplate_kw": _n(s.training_nameplate_kw), "step_kw": _n(s.step_kw),
             "ramp_kw_per_s": _n(s.ramp_kw_per_s), "limit_kw_per_s": _n(s.limit_kw_per_s),
             "smoothing_kw": _n(s.smoothing_kw), "smoothing_s": _n(s.smoothing_s),
             "smoothing_kwh": _n(s.smoothing_kwh), "battery_kwh": _n(s.battery_kwh), "covered": s.covered}
            for s in e.swings
        ],
    }


def stage_totals(e: ElectricalResults) -> list[dict[str, object]]:
    """Per power-chain stage (role, in chain order): count, kW and kVA now and at design load; amps summed
    where the stage runs at one voltage (null where its parts run at several)."""
    order = {role: index for index, role in enumerate(STAGE_ORDER)}
    by_role: dict[str, list[NodeFigures]] = {}
    for node in e.nodes:
        by_role.setdefault(node.role, []).append(node)
    stages: list[dict[str, object]] = []
    for role in sorted(by_role, key=lambda r: order.get(r, len(order))):
        nodes = by_role[role]
        one_voltage = len({n.voltage_v for n in nodes}) == 1
        stages.append({
            "role": role, "count": len(nodes),
            "voltage_v": _n(nodes[0].voltage_v) if one_voltage else None,
            "load_kw": _n(sum(n.load_kw for n in nodes)), "load_kva": _n(sum(n.load_kva for n in nodes)),
            "load_a": _n(sum(n.load_a for n in nodes)) if one_voltage else None,
            "design_kw": _n(sum(n.design_kw for n in nodes)), "design_kva": _n(sum(n.design_kva for n in nodes)),
        })
    return stages


STAGE_ORDER = tuple(role.value for role, _stage in sorted(POWER_STAGE_BY_ROLE.items(), key=lambda pair: pair[1]))


def electrical_summary(e: ElectricalResults) -> list[str]:
    """A few lines for ``analyze`` without ``--json``."""
    lines: list[str] = []
    amp_rated = [n for n in e.nodes if n.rated_a and n.role in AMP_RATED_VALUES]
    if amp_rated:
        worst = max(amp_rated, key=lambda n: n.design_a / (n.rated_a or 1.0))
        lines.append(f"Electrical ({e.table_name}, {e.material}, derating {e.derating:.0%}): highest current "
                     f"{worst.item_id} {worst.design_a:,.0f} A of {worst.rated_a:,.0f} A at design load")
    transformers = [n for n in e.nodes if n.role == Role.TRANSFORMER and n.rated_kva]
    if transformers:
        worst = max(transformers, key=lambda n: n.load_kva / (n.rated_kva or 1.0))
        lines.append(f"Transformers: highest load {worst.item_id} {worst.load_kva:,.0f} kVA of "
                     f"{worst.rated_kva:,.0f} kVA at the design hour ({worst.design_kva:,.0f} kVA in its worst "
                     "single failure)")
    sized = [f for f in e.feeds if f.cable]
    if sized:
        total_m = sum(f.length_m * f.cable_parallel for f in sized)
        lines.append(f"Cables: {len(sized)} runs, {total_m:,.0f} m of conductor sets; worst voltage drop "
                     f"{max(f.voltage_drop for f in sized):.1%}")
    known = [p.imbalance for p in e.panels if p.imbalance is not None]
    if e.panels:
        unknown = sum(1 for p in e.panels if p.imbalance is None)
        worst_text = f"worst imbalance {max(known):.0%}" if known else "imbalance unknown"
        lines.append(f"Phases: {len(e.panels)} panels/busways, {worst_text}"
                     + (f" ({unknown} with unassigned single-phase loads)" if unknown else ""))
    minutes = [u.worst_minutes for u in e.ups if u.worst_minutes is not None]
    if minutes:
        lines.append(f"UPS battery: {min(minutes):,.1f} min at the worst single failure (shortest)")
    hours = [g.hours for g in e.generators if g.hours is not None]
    if hours:
        lines.append(f"Generator fuel: {min(hours):,.1f} h (shortest)")
    if e.swings:
        s = e.swings[0]
        lines.append(f"Training swing: {s.step_kw:,.0f} kW step, {s.ramp_kw_per_s:,.0f} kW/s; smoothing "
                     f"{s.smoothing_kw:,.0f} kW / {s.smoothing_kwh:,.1f} kWh for a {s.limit_kw_per_s:,.0f} kW/s limit")
    return lines
