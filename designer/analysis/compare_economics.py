"""Cost, carbon and water columns of the options comparison (``compare``): capex, opex, NPV, WUE, CUE and CO2.

Registered when ``designer.analysis.compare`` is imported. The cost model is one ``economics_summary`` per
design (``CaseContext.memo``) at the shared scenario's first year, each study year's opex from the design as
built that year (``economics_years.YearAnalyses``, reusing the compared years' analyses); capex and opex by
year are per-year columns. It needs the sourced defaults in
``CaseContext.inputs["economics_defaults"]`` (``designer.compare_cli.comparison_inputs``): without them the
cost and carbon columns are unknown (a dash), never guessed. WUE needs only the analysis.
"""

from __future__ import annotations

import math

from designer.analysis.compare import CaseContext, Metric, Value, register
from designer.analysis.economics import EconomicsSummary, cue_kg_per_kwh, economics_summary, site_grid_carbon
from designer.analysis.economics_years import YearAnalyses
from designer.analysis.results import Results
from designer.model.economics import EconomicsDefaults

INPUT_KEY = "economics_defaults"


def _defaults(context: CaseContext) -> EconomicsDefaults | None:
    defaults = context.inputs.get(INPUT_KEY)
    return defaults if isinstance(defaults, EconomicsDefaults) else None


def _summary(context: CaseContext) -> EconomicsSummary | None:
    defaults = _defaults(context)
    if defaults is None or not context.results:
        return None
    def compute() -> EconomicsSummary:
        years = YearAnalyses(context.project, context.catalog, context.analyzer, context.results)
        return economics_summary(context.project, context.results[0], context.catalog, defaults,
                                 year_analysis=years)

    return context.memo("economics", compute)


def _money_m(context: CaseContext, field: str) -> Value:
    summary = _summary(context)
    if summary is None:
        return None
    value = float(getattr(summary, field))
    return value / 1e6 if math.isfinite(value) else None


def _in_year_m(context: CaseContext, results: Results, field: str) -> Value:
    """Capex spent or opex paid in the calendar year of ``results`` (None: outside the study period)."""
    summary = _summary(context)
    if summary is None or results.year is None:
        return None
    year = next((y for y in summary.years if y.year == results.year), None)
    if year is None:
        return None
    value = float(getattr(year, field))
    return value / 1e6 if math.isfinite(value) else None


def _cue(context: CaseContext, results: Results) -> Value:
    defaults = _defaults(context)
    if defaults is None:
        return None
    value = cue_kg_per_kwh(results, site_grid_carbon(context.project.site, defaults))
    return value if math.isfinite(value) else None


def _co2_t(context: CaseContext, results: Results) -> Value:
    cue = _cue(context, results)
    return None if cue is None else float(cue) * results.annual_it_mwh  # kg/kWh x MWh = t


def _wue(_context: CaseContext, results: Results) -> Value:
    value = results.wue_l_per_kwh
    return value if math.isfinite(value) else None


MONEY_NOTE = ("millions in the design's currency at its price year; catalog prices, building cost, tariff, "
              "maintenance and discount rate from the sourced defaults unless the design sets its own")

for _metric in (
    Metric("capex_m", "Capex", "M", better="lower", decimals=1, of_case=lambda c: _money_m(c, "capex"),
           note=f"{MONEY_NOTE}; items without a price are left out (see analyze)"),
    Metric("opex_m", "Opex per year", "M", better="lower", decimals=2,
           of_case=lambda c: _money_m(c, "opex_per_year"),
           note=f"{MONEY_NOTE}; energy from the hourly model at the first year's share"),
    Metric("npv_m", "NPV of cost", "M", better="lower", decimals=1, of_case=lambda c: _money_m(c, "npv"),
           note=f"{MONEY_NOTE}; each year's capex when its items enter service, opex from the design as built"),
    Metric("capex_year_m", "Capex spent", "M", decimals=1, of_year=lambda c, r: _in_year_m(c, r, "capex"),
           note=f"{MONEY_NOTE}; in that year: the items (and pods) entering service, a hall's building with "
                "its first phase"),
    Metric("opex_year_m", "Opex in year", "M", better="lower", decimals=2,
           of_year=lambda c, r: _in_year_m(c, r, "opex"),
           note=f"{MONEY_NOTE}; the design as built that year (retired items draw nothing)"),
    Metric("wue", "WUE", "L/kWh", better="lower", decimals=3, of_year=_wue,
           note="water of towers and wetted adiabatic coolers per kWh of IT, over the climate year"),
    Metric("cue", "CUE", "kg/kWh", better="lower", decimals=3, of_year=_cue,
           note="kgCO2 of the facility energy per kWh of IT at the site's grid carbon intensity"),
    Metric("co2_t", "CO2 per year", "t", better="lower", decimals=0, of_year=_co2_t),
):
    register(_metric)
