"""Cost, carbon and water columns of the options comparison (``compare``): capex, opex, NPV, WUE, CUE and CO2.

Registered when ``designer.analysis.compare`` is imported. The cost model is one ``economics_summary`` per
design (``CaseContext.memo``) at the shared scenario's first year; it needs the sourced defaults in
``CaseContext.inputs["economics_defaults"]`` (``designer.compare_cli.comparison_inputs``): without them the
cost and carbon columns are unknown (a dash), never guessed. WUE needs only the analysis.
"""

from __future__ import annotations

import math

from designer.analysis.compare import CaseContext, Metric, Value, register
from designer.analysis.economics import EconomicsSummary, cue_kg_per_kwh, economics_summary, site_grid_carbon
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
    return context.memo("economics", lambda: economics_summary(context.project, context.results[0], context.catalog,
                                                               defaults))


def _money_m(context: CaseContext, field: str) -> Value:
    summary = _summary(context)
    if summary is None:
        return None
    value = float(getattr(summary, field))
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
           note=MONEY_NOTE),
    Metric("wue", "WUE", "L/kWh", better="lower", decimals=3, of_year=_wue,
           note="water of towers and wetted adiabatic coolers per kWh of IT, over the climate year"),
    Metric("cue", "CUE", "kg/kWh", better="lower", decimals=3, of_year=_cue,
           note="kgCO2 of the facility energy per kWh of IT at the site's grid carbon intensity"),
    Metric("co2_t", "CO2 per year", "t", better="lower", decimals=0, of_year=_co2_t),
):
    register(_metric)
