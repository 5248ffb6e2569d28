"""Sites side by side: the same design analysed at candidate sites (climate, tariff, grid carbon, land cost,
latency to the design's user regions)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from designer.analysis.climate import Climate
from designer.analysis.economics import EconomicsSummary, UsedValue, npv
from designer.analysis.economics_years import economics_over_years
from designer.analysis.engine import Analyzer
from designer.analysis.latency import RegionLatency, latencies
from designer.analysis.profiles import load_profiles
from designer.analysis.results import Results
from designer.model.catalog import CatalogEntry
from designer.model.economics import CandidateSite, EconomicsDefaults
from designer.model.project import Project
from designer.model.records import Site
from designer.model.types import WorkloadClass


class UnknownClimateError(ValueError):
    """A candidate names a climate that is not bundled."""


@dataclass(frozen=True)
class SiteResult:
    """One candidate (or the project's own site) with the design analysed there."""

    name: str
    own_site: bool
    climate_id: str
    climate_name: str
    annual_pue: float
    chiller_free_h: float
    """Hours of the year in which no compressor runs (chillers and DX units off); NaN without a climate."""
    energy_mwh: float
    energy_cost: float
    co2_t: float
    water_m3: float
    wue_l_per_kwh: float
    cue_kg_per_kwh: float
    land_cost: float
    capex: float
    npv: float
    """NPV of the design's cost at this site, land included."""
    latency: tuple[RegionLatency, ...]
    tariff: UsedValue
    grid: UsedValue | None
    summary: EconomicsSummary
    error_findings: int


def chiller_free_hours(results: Results) -> float:
    """Hours of the analysed year without any compressor work (NaN when the analysis had no climate)."""
    annual = results.annual_energy
    if annual is None or annual.weight_days is None:
        return float("nan")
    hours = np.broadcast_to(annual.weight_days[:, None], annual.hourly.chiller_kw.shape)
    return float(hours[annual.hourly.chiller_kw <= 1e-9].sum())


def site_of(candidate: CandidateSite, climate: Climate, base: Site) -> Site:
    """The project's site moved to ``candidate``: its climate (and UTC offset), place and grid figures."""
    return replace(base, name=candidate.name, latitude_deg=candidate.latitude_deg,
                   longitude_deg=candidate.longitude_deg, utc_offset_h=climate.utc_offset_h,
                   climate_id=candidate.climate_id, climate=None, grid_region_id=candidate.grid_region_id,
                   grid_carbon_g_per_kwh=candidate.grid_carbon_g_per_kwh, grid_carbon_monthly_g_per_kwh=(),
                   grid_carbon_hourly_g_per_kwh=())


def compare_sites(project: Project, catalog: Mapping[str, CatalogEntry], candidates: Sequence[CandidateSite],
                  climates: Mapping[str, Climate], defaults: EconomicsDefaults, *,
                  include_own: bool = True) -> list[SiteResult]:
    """The design at its own site (first, unless ``include_own`` is False) and at each candidate.

    Each run is the analysis without single failures at the active scenario's first year (the NPV adds each
    study year's opex from the design as built that year). Latency is to
    the project's user regions (the default regions when it has none).
    """
    regions = project.site.user_regions or None
    runs: list[tuple[str, bool, Project, float]] = []
    if include_own:
        runs.append((project.site.name, True, project, 0.0))
    for candidate in candidates:
        climate = climates.get(candidate.climate_id)
        if climate is None:
            known = ", ".join(sorted(climates))
            raise UnknownClimateError(f"site {candidate.name!r}: unknown climate {candidate.climate_id!r} "
                                      f"(known: {known})")
        copy = project.snapshot()
        copy.set_site(site_of(candidate, climate, project.site))
        if candidate.tariff_per_kwh is not None:
            economics = replace(copy.settings.economics, tariff_per_kwh=candidate.tariff_per_kwh)
            copy.set_settings(replace(copy.settings, economics=economics))
        runs.append((candidate.name, False, copy, candidate.land_cost or 0.0))
    results: list[SiteResult] = []
    analyzer = Analyzer(climates=climates)
    try:
        for name, own, design, land in runs:
            analysis = analyzer.analyze(design, catalog, failures=False)
            profile = load_profiles(design.site.utc_offset_h).by_class[WorkloadClass.INFERENCE]
            summary = economics_over_years(design, analysis, catalog, defaults, analyzer=analyzer,
                                           inference_profile=profile.tolist())
            flows = [land]  # land is bought in the first year, undiscounted
            climate = analyzer.climate_for(design)
            results.append(SiteResult(
                name=name,
                own_site=own,
                climate_id=climate.id if climate is not None else "",
                climate_name=climate.name if climate is not None else "no climate (design day)",
                annual_pue=summary.annual_pue,
                chiller_free_h=chiller_free_hours(analysis),
                energy_mwh=summary.facility_mwh_per_year,
                energy_cost=summary.energy_cost_per_year,
                co2_t=summary.co2_t_per_year,
                water_m3=summary.water_m3_per_year,
                wue_l_per_kwh=summary.wue_l_per_kwh,
                cue_kg_per_kwh=summary.cue_kg_per_kwh,
                land_cost=land,
                capex=summary.capex + land,
                npv=summary.npv + npv(flows, summary.discount_rate),
                latency=tuple(latencies(design.site, regions)),
                tariff=summary.used["tariff_per_kwh"],
                grid=summary.grid.used if summary.grid is not None else None,
                summary=summary,
                error_findings=sum(1 for f in analysis.findings if f.severity == "error"),
            ))
    finally:
        analyzer.close()
    return results


def sites_to_json(results: Sequence[SiteResult]) -> list[dict[str, object]]:
    """The comparison as plain data (NaN -> null); money in each summary's currency."""
    from designer.analysis.economics_report import used_to_json

    def number(value: float) -> float | None:
        return float(value) if math.isfinite(value) else None

    return [{
        "name": r.name,
        "own_site": r.own_site,
        "climate_id": r.climate_id,
        "currency": r.summary.currency,
        "annual_pue": number(r.annual_pue),
        "chiller_free_h": number(r.chiller_free_h),
        "facility_mwh_per_year": number(r.energy_mwh),
        "energy_cost_per_year": number(r.energy_cost),
        "co2_t_per_year": number(r.co2_t),
        "water_m3_per_year": number(r.water_m3),
        "wue_l_per_kwh": number(r.wue_l_per_kwh),
        "cue_kg_per_kwh": number(r.cue_kg_per_kwh),
        "land_cost": number(r.land_cost),
        "capex": number(r.capex),
        "npv": number(r.npv),
        "tariff": used_to_json(r.tariff),
        "grid_carbon": used_to_json(r.grid) if r.grid is not None else None,
        "latency_ms": {lat.region: number(lat.rtt_ms) for lat in r.latency},
    } for r in results]
