"""An :class:`~designer.analysis.economics.EconomicsSummary` as JSON-ready data and as readable lines.

Every figure that comes from a default carries ``"default": true`` and its source in the JSON, and a
``(default [C], source)`` mark in the text, so a reader tells the site's own numbers from reference values.
"""

from __future__ import annotations

import math

from designer.analysis.economics import EconomicsSummary, UsedValue, YearCost, capex_by_entry


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def used_to_json(used: UsedValue) -> dict[str, object]:
    data: dict[str, object] = {"value": _number(used.value), "unit": used.unit, "default": used.is_default,
                               "source": used.source}
    if used.is_default:
        data["confidence"] = used.confidence
        if used.low is not None:
            data["low"] = used.low
        if used.high is not None:
            data["high"] = used.high
    return data


def year_cost_to_json(year: YearCost) -> dict[str, object]:
    """One study year: capex spent at its start (by subsystem) and opex paid at its end."""
    return {"year": year.year, "scenario_year": year.scenario_year, "capex": _number(year.capex),
            "capex_by_subsystem": {name: _number(v) for name, v in year.capex_by_subsystem.items()},
            "opex": _number(year.opex), "energy_cost": _number(year.energy_cost),
            "maintenance": _number(year.maintenance), "water_cost": _number(year.water_cost),
            "it_mwh": _number(year.it_mwh), "facility_mwh": _number(year.facility_mwh),
            "water_m3": _number(year.water_m3), "co2_t": _number(year.co2_t)}


def economics_to_json(summary: EconomicsSummary) -> dict[str, object]:
    """The summary as plain data (NaN -> null); additive to the analysis JSON under ``"economics"``."""
    tokens = summary.tokens
    return {
        "currency": summary.currency,
        "price_year": summary.price_year,
        "first_year": summary.first_year,
        "capex": _number(summary.capex),
        "capex_low": _number(summary.capex_low),
        "capex_high": _number(summary.capex_high),
        "capex_by_subsystem": {k: _number(v) for k, v in summary.capex_by_subsystem.items()},
        "capex_by_year": {str(k): _number(v) for k, v in summary.capex_by_year.items()},
        "capex_by_year_subsystem": {str(k): {name: _number(v) for name, v in row.items()}
                                    for k, row in summary.capex_by_year_subsystem.items()},
        "capex_after_study": _number(summary.capex_after_study),
        "opex_follows_years": summary.opex_follows_years,
        "analysed_year": summary.analysed_year,
        "by_year": [year_cost_to_json(y) for y in summary.years],
        "capex_by_entry": [{"catalog_id": e.catalog_id, "subsystem": e.subsystem, "count": e.count,
                            "cost": _number(e.cost), "low": _number(e.low), "high": _number(e.high),
                            "confidence": e.confidence, "source": e.source} for e in capex_by_entry(summary.lines)],
        "not_costed": [{"catalog_id": u.catalog_id, "name": u.name, "count": u.count, "reason": u.reason}
                       for u in summary.uncosted],
        "energy_cost_per_year": _number(summary.energy_cost_per_year),
        "maintenance_per_year": _number(summary.maintenance_per_year),
        "water_cost_per_year": _number(summary.water_cost_per_year),
        "opex_per_year": _number(summary.opex_per_year),
        "npv": _number(summary.npv),
        "study_years": summary.study_years,
        "discount_rate": summary.discount_rate,
        "design_it_mw": _number(summary.design_it_mw),
        "cost_per_mw_it": _number(summary.cost_per_mw_it),
        "facility_cost_per_mw_it": _number(summary.facility_cost_per_mw_it),
        "it_mwh_per_year": _number(summary.it_mwh_per_year),
        "facility_mwh_per_year": _number(summary.facility_mwh_per_year),
        "levelised_cost_per_mwh_it": _number(summary.lcoe_per_mwh_it),
        "opex_per_mwh_it": _number(summary.opex_per_mwh_it),
        "annual_pue": _number(summary.annual_pue),
        "water_m3_per_year": _number(summary.water_m3_per_year),
        "wue_l_per_kwh": _number(summary.wue_l_per_kwh),
        "co2_t_per_year": _number(summary.co2_t_per_year),
        "cue_kg_per_kwh": _number(summary.cue_kg_per_kwh),
        "grid_carbon": used_to_json(summary.grid.used) if summary.grid is not None else None,
        "energy_from_climate": summary.energy_from_climate,
        "tokens": None if tokens is None else {
            "racks": tokens.racks,
            "models": list(tokens.models),
            "sources": list(tokens.sources),
            "million_tokens_per_day": _number(tokens.tokens_m_per_day),
            "wh_per_million_tokens_by_hour": [_number(v) for v in tokens.wh_per_m_tokens.tolist()],
            "cost_per_million_tokens_by_hour": [_number(v) for v in tokens.cost_per_m_tokens.tolist()],
        },
        "settings": {key: used_to_json(used) for key, used in summary.used.items()},
    }


def money(value: float, currency: str) -> str:
    """``12.3 M USD`` style: readable at every size; "n/a" when unknown."""
    if not math.isfinite(value):
        return "n/a"
    size = abs(value)
    if size >= 1e9:
        return f"{value / 1e9:,.2f} B {currency}"
    if size >= 1e6:
        return f"{value / 1e6:,.2f} M {currency}"
    if size >= 1e4:
        return f"{value / 1e3:,.1f} k {currency}"
    return f"{value:,.2f} {currency}"


def mark(used: UsedValue) -> str:
    """"(default [S]: source)" or "(project)"."""
    if not used.is_default:
        return "(set in the project)"
    return f"(default [{used.confidence}]: {used.source})"


def _in(summary: EconomicsSummary) -> str:
    return f" in {summary.analysed_year}" if summary.analysed_year is not None else ""


def _fmt(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if math.isfinite(value) else "n/a"


def reference_line(summary: EconomicsSummary) -> str:
    """The facility capex per MW set against the published construction cost range ("" when unknown)."""
    ref = summary.construction_reference
    if ref is None or not math.isfinite(summary.facility_cost_per_mw_it):
        return ""
    c = summary.currency
    low, high = (ref.low or ref.value), (ref.high or ref.value)
    where = ("below" if summary.facility_cost_per_mw_it < low else "above" if summary.facility_cost_per_mw_it > high
             else "within")
    why = " (items not costed pull it down)" if where == "below" and summary.uncosted else ""
    return (f"Facility capex without IT {money(summary.facility_cost_per_mw_it, c)} per MW: {where} the published "
            f"{money(low, c)}-{money(high, c)} per MW ({ref.year}, [{ref.confidence.value}] {ref.source}){why}")


def opex_basis(summary: EconomicsSummary) -> str:
    """How the NPV's opex was had, for a reader: each year's design, or one year for all."""
    if summary.opex_follows_years:
        return " (each year's opex from the design as built that year)"
    return " (the analysed year's opex in every year)"


def economics_lines(summary: EconomicsSummary) -> list[str]:
    """A few lines a person can read; defaults marked with their source."""
    c = summary.currency
    subsystems = ", ".join(f"{name} {money(value, c)}" for name, value in summary.capex_by_subsystem.items() if value)
    lines = [
        f"Capex {money(summary.capex, c)} ({money(summary.capex_low, c)} to {money(summary.capex_high, c)}), "
        f"{summary.price_year} prices: {subsystems or 'nothing costed'}",
        f"Capex per MW of design IT {money(summary.cost_per_mw_it, c)} ({summary.design_it_mw:,.2f} MW)",
    ]
    reference = reference_line(summary)
    if reference:
        lines.append(reference)
    if len(summary.capex_by_year) > 1:
        lines.append("Capex by year of entry into service: "
                     + ", ".join(f"{y} {money(v, c)}" for y, v in summary.capex_by_year.items()))
    if summary.capex_after_study:
        lines.append(f"Capex after the {summary.study_years}-year study period (left out of the NPV): "
                     f"{money(summary.capex_after_study, c)}")
    if summary.uncosted:
        lines.append("Not costed (left out of every total): " + ", ".join(
            f"{u.count} x {u.catalog_id} ({u.reason})" for u in summary.uncosted))
    energy_basis = "" if summary.energy_from_climate else " (design day x 365: no climate)"
    lines += [
        f"Opex {money(summary.opex_per_year, c)}/yr{_in(summary)}: energy {money(summary.energy_cost_per_year, c)}"
        f"{energy_basis}, maintenance {money(summary.maintenance_per_year, c)}, water "
        f"{money(summary.water_cost_per_year, c)}",
        f"NPV of cost over {summary.study_years} years from {summary.first_year} at {summary.discount_rate:.1%}"
        f"{opex_basis(summary)}: {money(summary.npv, c)}; "
        f"levelised {money(summary.lcoe_per_mwh_it, c)} per MWh of IT ({summary.it_mwh_per_year:,.0f} MWh/yr)",
        f"PUE {_fmt(summary.annual_pue)}, WUE {_fmt(summary.wue_l_per_kwh)} L/kWh "
        f"({summary.water_m3_per_year:,.0f} m3/yr), CUE {_fmt(summary.cue_kg_per_kwh)} kgCO2/kWh "
        f"({_fmt(summary.co2_t_per_year, 0)} t CO2/yr)",
    ]
    if summary.grid is not None:
        lines.append(f"Grid carbon {summary.grid.annual_g_per_kwh:g} gCO2/kWh {mark(summary.grid.used)}")
    else:
        lines.append("Grid carbon: unknown (no region or figure for this site): CO2 and CUE not computed")
    tokens = summary.tokens
    if tokens is not None:
        wh = tokens.wh_per_m_tokens
        finite = wh[[math.isfinite(v) for v in wh]]
        if finite.size:
            lines.append(f"Tokens ({tokens.racks} racks, {', '.join(tokens.models)}; benchmark best case): "
                         f"{float(finite.min()):,.0f}-{float(finite.max()):,.0f} Wh and "
                         f"{money(float(min(v for v in tokens.cost_per_m_tokens if math.isfinite(v))), c)}-"
                         f"{money(float(max(v for v in tokens.cost_per_m_tokens if math.isfinite(v))), c)} "
                         "per million tokens over the day")
    lines.append("Settings: " + "; ".join(f"{u.label} {u.value:g} {mark(u)}" for u in summary.used.values()))
    return lines
