"""What the dashboard charts show, computed from Results and SweepResult without Qt (chart state).

Every chart's ``update`` only copies these arrays into plot items, so a test can check a chart
against the analysis by comparing the arrays here with ``Results``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from designer.analysis import Results, SweepResult
from designer.analysis.capacity import STATES
from designer.analysis.capacity import state_codes as analysis_state_codes
from designer.analysis.latency import latencies, site_located
from designer.analysis.loads import IT_LAYERS, FloatArray
from designer.analysis.report_json import free_cooling_text, racks_status
from designer.model.project import Project
from designer.model.roles import HEAT_REJECTION_ROLES

LAYER_NAMES: tuple[str, ...] = tuple(layer.value.capitalize() for layer in IT_LAYERS)
"""Stack order of the day profile (``Results.it_layers_kw``); ``ai`` racks are split into their training and
inference parts."""
CAPACITY_ROLES: tuple[tuple[str, str], ...] = (("utility", "Utility contract"), ("transformer", "Transformers"),
                                               ("ups", "UPS"))
MAX_BARS = 300
"""The utilisation chart shows the most loaded components only (a readable bar per component)."""
HEAT_REJECTION = frozenset(role.value for role in HEAT_REJECTION_ROLES)


@dataclass(frozen=True, slots=True)
class DaySeries:
    """Design-day IT by layer, facility power and capacity lines, kW."""

    hours: FloatArray
    layers_kw: FloatArray
    """(len(LAYER_NAMES), 24); their sum is the analysis's ``it_kw``."""
    it_kw: FloatArray
    facility_kw: FloatArray
    capacity_kw: tuple[tuple[str, float], ...]
    """(label, total capacity kW) of the utility contract, transformers and UPS present in the design."""
    hour: int
    liquid_kw: FloatArray
    """(24,) rack heat into liquid."""
    ai_design_kw: float
    """Design kW (with the density factor) of the ``ai`` racks: 0 means the inference share changes nothing."""


_role_masks: tuple[object, dict[frozenset[str], npt.NDArray[np.bool_]]] = (None, {})
"""(the roles array, mask of each set of roles): every analysis of one design shares its roles array,
and comparing 30,000 role strings costs a quarter of a millisecond per set and per slider move."""


def role_mask(roles: npt.NDArray[np.str_], wanted: frozenset[str]) -> npt.NDArray[np.bool_]:
    """Which of ``roles`` are in ``wanted`` (kept for the last roles array, a frozen array of the analysis)."""
    global _role_masks
    if _role_masks[0] is not roles:
        _role_masks = (roles, {})
    masks = _role_masks[1]
    mask = masks.get(wanted)
    if mask is None:
        mask = masks[wanted] = np.isin(roles, list(wanted))
        mask.flags.writeable = False
    return mask


def day_series(results: Results) -> DaySeries:
    """The day profile of ``results``."""
    roles = results.component_roles
    masks = [(label, role_mask(roles, frozenset((role,)))) for role, label in CAPACITY_ROLES]
    capacity = tuple((label, float(results.component_capacity_kw[mask].sum())) for label, mask in masks if mask.any())
    return DaySeries(
        hours=np.arange(24, dtype=np.float64),
        layers_kw=np.asarray(results.it_layers_kw, dtype=np.float64),
        it_kw=np.asarray(results.it_kw, dtype=np.float64),
        facility_kw=np.asarray(results.facility_kw, dtype=np.float64),
        capacity_kw=capacity,
        hour=results.hour,
        liquid_kw=np.asarray(results.liquid_heat_kw, dtype=np.float64),
        ai_design_kw=results.ai_design_kw,
    )


@dataclass(frozen=True, slots=True)
class UtilisationSeries:
    """Components sorted from most to least loaded (at most MAX_BARS), utilisation as fractions."""

    ids: tuple[str, ...]
    roles: tuple[str, ...]
    utilization: FloatArray
    worst_failure: FloatArray
    """NaN until the single failures have been analysed."""
    total: int
    warn_at: float = 0.8
    """The warning threshold of the analysis (``Results.warn_utilization``)."""


def utilisation_series(results: Results, limit: int = MAX_BARS) -> UtilisationSeries:
    util = np.nan_to_num(np.asarray(results.component_utilization, dtype=np.float64), nan=0.0, posinf=9.99)
    worst = np.asarray(results.component_worst_failure_utilization, dtype=np.float64)
    key = np.fmax(util, np.nan_to_num(worst, nan=0.0, posinf=9.99))
    rated = np.asarray(results.component_capacity_kw) > 0
    candidates = np.flatnonzero(rated)
    shown = candidates
    if candidates.size > limit > 0:  # only the top ``limit`` are shown: sort those (the same order)
        cut = -np.partition(-key[candidates], limit - 1)[limit - 1]
        above = candidates[key[candidates] > cut]
        shown = np.sort(np.concatenate([above, candidates[key[candidates] == cut][:limit - above.size]]))
    order = shown[np.argsort(-key[shown], kind="stable")][:limit]
    return UtilisationSeries(
        ids=tuple(results.component_ids[order].tolist()),
        roles=tuple(results.component_roles[order].tolist()),
        utilization=util[order],
        worst_failure=np.minimum(worst[order], 9.99),
        total=int(candidates.size),
        warn_at=results.warn_utilization,
    )


STATE_NAMES: tuple[str, ...] = STATES
"""Utilisation states by code (``state_codes``); the rule is the analysis's (``capacity.state_codes``)."""


def utilisation_state(value: float, warn_at: float) -> str:
    """"ok", "warn" (above the continuous rating ``warn_at``, ``Results.warn_utilization``) or "over"."""
    return STATES[int(analysis_state_codes(np.array([value]), warn_at)[0])]


def state_codes(values: FloatArray, warn_at: float) -> npt.NDArray[np.int8]:
    """``utilisation_state`` of each value as an index into STATE_NAMES (vectorised)."""
    return analysis_state_codes(values, warn_at).astype(np.int8)


NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten that is >= ``value``.

    Chart ranges snap to these, so an axis keeps its ticks while the data moves a little (a steady
    axis reads better, and repainting it costs nothing).
    """
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in NICE_STEPS:
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


@dataclass(frozen=True, slots=True)
class CoolingSeries:
    hours: FloatArray
    liquid_kw: FloatArray
    air_kw: FloatArray
    rejection_capacity_kw: float
    rejection_load_kw: float
    """Heat-rejection load at the chosen hour."""
    hour: int
    free_cooling: str
    """Full free-cooling hours per loop (``report_json.free_cooling_text``)."""
    air_class: str
    liquid_class: str


def cooling_series(day: DaySeries, results: Results, project: Project) -> CoolingSeries:
    mask = role_mask(results.component_roles, HEAT_REJECTION)
    return CoolingSeries(
        hours=day.hours,
        liquid_kw=day.liquid_kw,
        air_kw=day.it_kw - day.liquid_kw,
        rejection_capacity_kw=float(results.component_capacity_kw[mask].sum()),
        rejection_load_kw=float(results.component_load_kw[mask].sum()),
        hour=results.hour,
        free_cooling=free_cooling_text(results.cooling_loops),
        air_class=project.settings.air_class,
        liquid_class=project.settings.liquid_class,
    )


@dataclass(frozen=True, slots=True)
class TransitionSeries:
    """The sweep in chart units: shares in %, powers in kW."""

    share_pct: FloatArray
    peak_it_kw: FloatArray
    mean_it_kw: FloatArray
    peak_facility_kw: FloatArray
    pue: FloatArray
    year_share_pct: FloatArray
    years: tuple[int, ...]
    year_peak_it_kw: FloatArray
    year_peak_facility_kw: FloatArray


def transition_series(sweep: SweepResult) -> TransitionSeries:
    return TransitionSeries(
        share_pct=np.asarray(sweep.shares) * 100.0,
        peak_it_kw=np.asarray(sweep.peak_it_kw),
        mean_it_kw=np.asarray(sweep.mean_it_kw),
        peak_facility_kw=np.asarray(sweep.peak_facility_kw),
        pue=np.asarray(sweep.pue),
        year_share_pct=np.asarray(sweep.year_shares) * 100.0,
        years=tuple(int(y) for y in sweep.years),
        year_peak_it_kw=np.asarray(sweep.year_peak_it_kw),
        year_peak_facility_kw=np.asarray(sweep.year_peak_facility_kw),
    )


def sweep_peaks_kw(sweep: SweepResult | None) -> tuple[float, float]:
    """(facility, IT) highest design-day peaks over the transition's shares and years, kW (0 without a sweep).

    The day and cooling charts scale to these, so their axes hold still while the share moves.
    """
    if sweep is None:
        return 0.0, 0.0
    facility = np.concatenate([np.asarray(sweep.peak_facility_kw), np.asarray(sweep.year_peak_facility_kw)])
    it = np.concatenate([np.asarray(sweep.peak_it_kw), np.asarray(sweep.year_peak_it_kw)])
    return float(np.nanmax(facility, initial=0.0)), float(np.nanmax(it, initial=0.0))


@dataclass(frozen=True, slots=True)
class HeadlineValues:
    """The dashboard's headline numbers; None where not known yet (single failures pending)."""

    inference_share: float
    year: int | None
    it_peak_mw: float
    facility_peak_mw: float
    annual_pue: float
    racks_at_risk: int | None
    rack_count: int
    stranded_mw: float
    nearest_region: str
    latency_ms: float
    racks_unserved: int = 0
    """Racks without live power or cooling now: shown before the at-risk count, in the error colour."""
    wue_l_per_kwh: float = float("nan")
    cue_kg_per_kwh: float = float("nan")
    carbon_source: str = ""
    """Where the grid carbon intensity behind the CUE comes from ("default [S]: ..." or "set in the project")."""


def headline_figures(results: Results, project: Project) -> HeadlineValues:
    stranded = results.stranded
    halls = np.array([kind == "hall" for kind in stranded.scope_kinds], dtype=bool)
    stranded_kw = float(np.nansum(np.asarray(stranded.stranded_power_kw)[halls])) if halls.size else 0.0
    regions = latencies(project.site) if site_located(project.site) else []  # unknown until located
    nearest = min(regions, key=lambda r: r.rtt_ms) if regions else None
    return HeadlineValues(
        inference_share=results.inference_share,
        year=results.year,
        it_peak_mw=results.peak_it_kw / 1000.0,
        facility_peak_mw=results.peak_facility_kw / 1000.0,
        annual_pue=results.annual_pue,
        racks_at_risk=results.racks_at_risk,
        racks_unserved=results.racks_unserved,
        rack_count=len(results.rack_ids),
        stranded_mw=stranded_kw / 1000.0,
        nearest_region=nearest.region if nearest is not None else "",
        latency_ms=nearest.rtt_ms if nearest is not None else float("nan"),
        **water_and_carbon(results, project),  # type: ignore[arg-type]
    )


def water_and_carbon(results: Results, project: Project) -> dict[str, object]:
    """WUE of the analysis and CUE at the site's grid carbon intensity, with the intensity's origin."""
    from designer.analysis.economics import cue_kg_per_kwh, site_grid_carbon
    from designer.io.economics_io import load_economics_defaults
    from designer.io.errors import FileFormatError

    try:
        grid = site_grid_carbon(project.site, load_economics_defaults())
    except FileFormatError:
        grid = None
    if grid is None:
        source = "no grid carbon intensity for this site (set a region in File > Site)"
    elif grid.used.is_default:
        source = f"default [{grid.used.confidence}]: {grid.used.source}"
    else:
        source = "set in the project"
    return {"wue_l_per_kwh": results.wue_l_per_kwh, "cue_kg_per_kwh": cue_kg_per_kwh(results, grid),
            "carbon_source": source}


def format_figures(figures: HeadlineValues) -> dict[str, str]:
    """Display texts by key, shared by the headline panel and the compare table."""
    risk = racks_status(figures.racks_unserved, figures.racks_at_risk, figures.rack_count)
    if not figures.racks_unserved:
        risk = risk.removesuffix(" at risk")  # the caption says it; the headline stays narrow
    pue = f"{figures.annual_pue:.3f}" if math.isfinite(figures.annual_pue) else "—"
    latency = (f"{figures.latency_ms:.1f} ms ({figures.nearest_region})" if math.isfinite(figures.latency_ms)
               else "—")
    return {
        "it_peak": f"{figures.it_peak_mw:,.2f} MW",
        "facility_peak": f"{figures.facility_peak_mw:,.2f} MW",
        "annual_pue": f"{pue} / {water_carbon(figures)}",
        "racks_at_risk": risk,
        "stranded": f"{figures.stranded_mw:,.2f} MW",
        "latency": latency,
    }


def water_carbon(figures: HeadlineValues) -> str:
    """"WUE / CUE" of the headline: L/kWh and kg/kWh, a ``*`` when the grid intensity is a default."""
    wue = f"{figures.wue_l_per_kwh:.2f}" if math.isfinite(figures.wue_l_per_kwh) else "—"
    cue = "—"
    if math.isfinite(figures.cue_kg_per_kwh):
        cue = f"{figures.cue_kg_per_kwh:.2f}" + ("*" if figures.carbon_source.startswith("default") else "")
    return f"{wue} / {cue}"


FIGURE_TITLES: tuple[tuple[str, str], ...] = (
    ("it_peak", "IT peak"),
    ("facility_peak", "Facility peak"),
    ("annual_pue", "PUE / WUE / CUE"),
    ("racks_at_risk", "Racks unserved / at risk"),
    ("stranded", "Stranded power"),
    ("latency", "Nearest users (RTT)"),
)
