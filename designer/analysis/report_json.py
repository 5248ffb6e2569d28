"""Results as plain JSON-ready dicts, and a readable text summary."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from designer.analysis.capacity import RESOURCES, STATES
from designer.analysis.facility import LoopHours
from designer.analysis.loads import FloatArray
from designer.analysis.results import Results

JSON_FORMAT = "dc-designer-analysis"
JSON_SCHEMA_VERSION = 2
"""2: `hours_without_chillers` replaced by `cooling_hours` per loop."""


def _number(value: float) -> float | None:
    """A finite float, or None (JSON has no NaN or infinity)."""
    value = float(value)
    return value if math.isfinite(value) else None


def _numbers(values: FloatArray) -> list[float | None]:
    return [_number(v) for v in np.asarray(values, dtype=np.float64).tolist()]


def results_to_json(results: Results) -> dict[str, object]:
    """Everything a report or another tool needs, as lists and numbers (NaN -> null)."""
    s = results.stranded
    return {
        "format": JSON_FORMAT,
        "schema_version": JSON_SCHEMA_VERSION,
        "inference_share": results.inference_share,
        "year": results.year,
        "ai_density_factor": results.ai_density_factor,
        "hour": results.hour,
        "climate_id": results.climate_id,
        "hours": results.hours.tolist(),
        "it_kw": _numbers(results.it_kw),
        "electrical_loss_kw": _numbers(results.electrical_loss_kw),
        "cooling_kw": _numbers(results.cooling_kw),
        "facility_kw": _numbers(results.facility_kw),
        "pue": _numbers(results.pue),
        "annual_pue": _number(results.annual_pue),
        "annual_it_mwh": _number(results.annual_it_mwh),
        "annual_water_m3": _number(results.annual_water_m3),
        "wue_l_per_kwh": _number(results.wue_l_per_kwh),
        "cooling_hours": [
            {"loop": h.loop, "full_free_h": _number(h.full_free_h), "partial_h": _number(h.partial_h),
             "mechanical_h": _number(h.mechanical_h)}
            for h in results.cooling_loops
        ],
        "peak_it_kw": _number(results.peak_it_kw),
        "peak_facility_kw": _number(results.peak_facility_kw),
        "racks_unserved": results.racks_unserved,
        "racks_at_risk": results.racks_at_risk,
        "unserved_it_kw": _numbers(results.unserved_it_kw),
        "warn_utilization": _number(results.warn_utilization),
        "components": [
            {
                "id": str(results.component_ids[i]),
                "kind": str(results.component_kinds[i]),
                "role": str(results.component_roles[i]),
                "load_kw": _number(results.component_load_kw[i]),
                "loss_kw": _number(results.component_loss_kw[i]),
                "capacity_kw": _number(results.component_capacity_kw[i]),
                "utilization": _number(results.component_utilization[i]),
                "worst_failure_utilization": _number(results.component_worst_failure_utilization[i]),
                "state": STATES[int(results.component_state[i])],
                "worst_failure_state": STATES[int(results.component_worst_failure_state[i])],
                "worst_failure_hour": _hour(int(results.component_worst_failure_hour[i])),
                "worst_failure_case": str(results.component_worst_failure_case[i]) or None,
                "nameplate_fed_kw": _number(results.component_nameplate_fed_kw[i]),
            }
            for i in range(results.component_ids.size)
        ],
        "racks": [
            {
                "id": str(results.rack_ids[i]),
                "it_kw": _number(results.rack_it_kw[i]),
                "heat_liquid_kw": _number(results.rack_heat_liquid_kw[i]),
                "heat_air_kw": _number(results.rack_heat_air_kw[i]),
                "floor_kg_m2": _number(results.rack_floor_kg_m2[i]),
                "served": bool(results.rack_served[i]),
                "survives_single_failures": bool(results.rack_survives_single_failures[i]),
            }
            for i in range(results.rack_ids.size)
        ],
        "findings": [
            {"severity": f.severity, "code": f.code, "message": f.message, "items": list(f.item_ids)}
            for f in results.findings
        ],
        "failures_analysed": bool(results.failures_analysed),
        "survives_all_single_failures": bool(results.survives_all_single_failures),
        "single_failures": [
            {
                "failed": r.failed,
                "racks_without_power": list(r.racks_without_power),
                "racks_without_cooling": list(r.racks_without_cooling),
                "overloaded": list(r.overloaded),
                "overloaded_hours": list(r.overloaded_hours),
            }
            for r in results.single_failures
        ],
        "maintenance": {
            "verdicts": [
                {"kind": v.kind, "concurrently_maintainable": v.concurrently_maintainable,
                 "fault_tolerant": v.fault_tolerant, "pairs": v.pairs, "racks_unserved": v.unserved,
                 "over_before": v.over_before, "statement": v.statement()}
                for v in results.maintenance_verdicts
            ],
            "pairs": [
                {"maintained": p.maintained, "failed": p.failed, "racks_lost": list(p.racks_lost)}
                for p in results.maintenance_pairs
            ],
        },
        "headroom": _headroom(results),
        "groups": [
            {"group": g.group, "members": list(g.member_ids), "worst_utilization": _number(g.worst_utilization),
             "survives": bool(g.survives)}
            for g in results.groups
        ],
        "stranded": [
            {
                "scope": s.scope_ids[i],
                "kind": s.scope_kinds[i],
                "binding": RESOURCES[int(s.binding[i])] if s.binding[i] >= 0 else None,
                "racks_addable": _number(s.racks_addable[i]),
                "power_firm_kw": _number(s.power_firm_kw[i]),
                "power_used_kw": _number(s.power_used_kw[i]),
                "liquid_firm_kw": _number(s.liquid_firm_kw[i]),
                "liquid_used_kw": _number(s.liquid_used_kw[i]),
                "air_firm_kw": _number(s.air_firm_kw[i]),
                "air_used_kw": _number(s.air_used_kw[i]),
                "stranded_power_kw": _number(s.stranded_power_kw[i]),
                "stranded_liquid_kw": _number(s.stranded_liquid_kw[i]),
                "stranded_air_kw": _number(s.stranded_air_kw[i]),
                "stranded_space_m2": _number(s.stranded_space_m2[i]),
                "stranded_floor_kg": _number(s.stranded_floor_kg[i]),
            }
            for i in range(len(s.scope_ids))
        ],
    }


ERROR_COLOUR = "#b3261e"
"""Colour of a headline figure that reports an error (unserved racks), shared by every view."""


def _hour(hour: int) -> int | None:
    return hour if hour >= 0 else None


def _headroom(results: Results) -> dict[str, object] | None:
    h = results.headroom
    if h is None:
        return None
    return {
        "rack_type": h.rack_type or None,
        "rack_kw_at_peak": _number(h.rack_kw_at_peak),
        "hour": h.hour,
        "coincident_peak_it_kw": _number(h.coincident_peak_it_kw),
        "sum_design_kw": _number(h.sum_design_kw),
        "diversity": _number(h.diversity),
        "scopes": [
            {"scope": scope, "racks_addable": n, "binding": b or None, "reason": r or None}
            for scope, n, b, r in zip(h.scope_ids, h.racks_addable, h.binding, h.reason, strict=True)
        ],
    }


def racks_status(unserved: int, at_risk: int | None, count: int) -> str:
    """The racks figure, unserved first: "672 of 672 unserved", "3 of 66 at risk", "… " when pending.

    Unserved racks (no live power or cooling now) come before at-risk ones (served now, dropped by
    some single failure); ``at_risk`` None means the single failures are still pending.
    """
    if unserved:
        text = f"{unserved:,} of {count:,} unserved"
        return text + (f", {at_risk:,} at risk" if at_risk else "")
    if at_risk is None:
        return "…"
    return f"{at_risk:,} of {count:,} at risk"


def loop_hours_text(loops: tuple[LoopHours, ...]) -> str:
    """"air loop 1,200 h free / 3,000 h partial / 4,560 h mechanical; liquid loop ..." (loaded loops only)."""
    parts = [f"{h.loop} loop {h.full_free_h:,.0f} h free / {h.partial_h:,.0f} h partial / "
             f"{h.mechanical_h:,.0f} h mechanical" for h in loops if h.loaded_h > 0]
    return "; ".join(parts) if parts else "no loop carries heat"


def free_cooling_text(loops: tuple[LoopHours, ...]) -> str:
    """Full free-cooling hours per loaded loop, e.g. "air 3,120 / liquid 8,760 h/yr" ("n/a" without a climate)."""
    loaded = [h for h in loops if h.loaded_h > 0]
    if not loops:
        return "n/a (no climate)"
    return " / ".join(f"{h.loop} {h.full_free_h:,.0f}" for h in loaded) + " h/yr" if loaded else "no loop carries heat"


def summarize(results: Results) -> str:
    """A few lines a person can read: loads, PUE, the most loaded parts, failures and findings."""
    year = f" ({results.year})" if results.year is not None else ""
    racks = f"Racks: {racks_status(results.racks_unserved, results.racks_at_risk, results.rack_ids.size)}"
    if results.racks_unserved:
        racks += (f" ({_number(results.unserved_it_kw.max(initial=0.0)) or 0:,.0f} kW of IT unserved at its peak, "
                  "not counted below)")
    lines = [
        racks,
        f"Inference share {results.inference_share:.0%}{year}, AI density x{results.ai_density_factor:g}",
        f"IT peak {results.peak_it_kw:,.0f} kW, facility peak {results.peak_facility_kw:,.0f} kW, "
        f"design-day PUE {_fmt(_nanmax(results.pue))} max",
        f"Annual PUE {_fmt(results.annual_pue)}"
        + (", " + loop_hours_text(results.cooling_loops) if results.cooling_loops else " (design day; no climate)"),
        f"Water {results.annual_water_m3:,.0f} m3/yr, WUE {_fmt(results.wue_l_per_kwh)} L/kWh (towers and "
        "wetted adiabatic coolers)",
        f"{results.rack_ids.size} racks, {results.component_ids.size} components at hour {results.hour}",
    ]
    if results.component_ids.size:
        order = np.argsort(-results.component_utilization)[:5]
        top = ", ".join(f"{results.component_ids[i]} {results.component_utilization[i]:.0%}" for i in order)
        lines.append(f"Most loaded: {top}")
    if results.failures_analysed:
        bad = [r for r in results.single_failures if not r.survived]
        already = results.overloaded_before_failures
        if bad:
            lines.append(f"Single failures (every hour of the design day): {len(bad)} of "
                         f"{len(results.single_failures)} cases lose racks or overload a part (first: {bad[0].failed})")
        elif already:
            lines.append(f"Single failures: no case survives: {len(already)} part(s) are over their rating with "
                         f"nothing failed (first: {already[0]})")
        else:
            of = f" by the served racks ({results.racks_unserved:,} unserved)" if results.racks_unserved else ""
            lines.append(f"Single failures (every hour of the design day): all {len(results.single_failures)} "
                         f"cases survived{of}")
        lines += [f"Maintenance, {v.statement()}" for v in results.maintenance_verdicts]
    h = results.headroom
    if h is not None and h.rack_type and not results.rack_served.any():
        lines.append(f"Headroom: none (no served racks; coincident peak {h.coincident_peak_it_kw:,.0f} kW)")
    elif h is not None and h.rack_type:
        lines.append(f"Coincident peak {h.coincident_peak_it_kw:,.0f} kW of {h.sum_design_kw:,.0f} kW design "
                     f"({_fmt(h.diversity)}) at hour {h.hour}; more {h.rack_type} racks "
                     f"({h.rack_kw_at_peak:,.1f} kW each then) with every single failure survived: "
                     + ", ".join(f"{scope} {n:,}" + (f" ({b})" if b else f" ({r})" if r else "")
                                 for scope, n, b, r in zip(h.scope_ids, h.racks_addable, h.binding, h.reason,
                                                           strict=True) if r != "no served racks"))
    s = results.stranded
    for i in range(len(s.scope_ids)):
        if s.scope_kinds[i] == "hall" and s.binding[i] >= 0:
            lines.append(f"Hall {s.scope_ids[i]}: {RESOURCES[int(s.binding[i])]} binds after "
                         f"{s.racks_addable[i]:,.0f} more racks; stranded {s.stranded_power_kw[i]:,.0f} kW power, "
                         f"{s.stranded_liquid_kw[i]:,.0f} kW liquid and {s.stranded_air_kw[i]:,.0f} kW air cooling")
    counts = Counter(f.severity for f in results.findings)
    lines.append(f"Findings: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info")
    lines += [f"  [{f.severity}] {f.code}: {f.message}" for f in results.findings[:10]]
    if len(results.findings) > 10:
        lines.append(f"  ... and {len(results.findings) - 10} more")
    return "\n".join(lines)


def _nanmax(values: FloatArray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else math.nan


def _fmt(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else "n/a"
