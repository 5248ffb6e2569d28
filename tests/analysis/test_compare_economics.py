"""The cost, carbon and water columns of the options comparison, on the hand-worked small design."""

from __future__ import annotations

import pytest

from designer.analysis.compare import METRICS, CaseInput, compare
from designer.analysis.compare_economics import INPUT_KEY
from designer.analysis.engine import Analyzer
from tests.analysis.analysis_builders import flat_profiles
from tests.analysis.test_economics import DEFAULTS, _small_design


def _analyzer() -> Analyzer:
    return Analyzer(profiles=flat_profiles(0.8), climates={})


def test_cost_and_carbon_columns_follow_the_economics_summary() -> None:
    design, catalog = _small_design()
    case = CaseInput("small.dcplan", design.project, catalog)
    keys = [m.key for m in METRICS]
    assert {"capex_m", "opex_m", "npv_m", "wue", "cue", "co2_t"} <= set(keys)
    row = compare([case], analyzer_factory=_analyzer, inputs={INPUT_KEY: DEFAULTS}).rows[0]
    # the numbers of test_economics.test_wue_cue_and_costs_of_a_small_design, in millions
    assert row.value("capex_m") == pytest.approx(1.9355)
    assert row.value("npv_m") == pytest.approx(2.0957534, abs=1e-6)
    assert row.value("wue") == pytest.approx(162.424 / 80.0)  # every year: flat profiles, no climate
    assert row.value("cue") == pytest.approx(0.4 * 82.42412 / 80.0)
    assert row.value("co2_t") == pytest.approx(82.42412 * 8760 * 400 / 1e6)


def test_without_the_defaults_cost_and_carbon_are_unknown_not_guessed() -> None:
    design, catalog = _small_design()
    row = compare([CaseInput("small.dcplan", design.project, catalog)], analyzer_factory=_analyzer).rows[0]
    assert row.value("capex_m") is None and row.value("npv_m") is None and row.value("cue") is None
    assert row.value("wue") == pytest.approx(162.424 / 80.0)  # needs only the analysis


def test_capex_and_opex_by_year_columns_follow_the_build_out() -> None:
    from tests.analysis.test_economics_years import CATALOG, _two_phases

    design = _two_phases()
    case = CaseInput("phased.dcplan", design.project, CATALOG)
    comparison = compare([case], analyzer_factory=_analyzer, inputs={INPUT_KEY: DEFAULTS})
    assert comparison.years == (2026, 2028)
    row = comparison.rows[0]
    # test_economics_years: UPS a (100) in 2026, UPS b (50) in 2028; maintenance 10 % of what stands
    assert row.yearly["capex_year_m"] == pytest.approx((100e-6, 50e-6))
    assert row.yearly["opex_year_m"] == pytest.approx((10e-6, 15e-6))
    assert row.value("npv_m") == pytest.approx(180.1926e-6, abs=1e-10)
