"""Hand-worked transformer checks: kVA at the design hour against the rating, in a failure, and the
voltages on each side."""

from __future__ import annotations

import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry, flat_profiles

from designer.analysis.electrical import electrical_figures
from designer.analysis.electrical_report import electrical_summary
from designer.analysis.remedies import REMEDIES
from designer.analysis.transformers import same_voltage, transformer_checks
from designer.model import Catalog, Role, WorkloadClass
from designer.model.types import FeedSide

CODES = ("transformer_over_kva", "transformer_kva_in_failure", "transformer_secondary_mismatch",
         "transformer_primary_mismatch")


def _catalog(kva: float, secondary_v: float = 415.0) -> Catalog:
    return Catalog([
        *TEST_CATALOG.values(),
        entry("e.mv", Role.UTILITY, 10_000.0, parameters={"voltage_v": 11_000.0}),
        entry("e.lv", Role.UTILITY, 10_000.0, parameters={"voltage_v": 415.0}),
        entry("e.gen", Role.GENERATOR, 1_000.0, parameters={"voltage_v": 415.0}),
        # kW rating = kVA x 0.95, the catalog's convention; lossless so the loads stay round
        entry("e.xfmr", Role.TRANSFORMER, kva * 0.95, parameters={"kva": kva, "voltage_v": secondary_v,
                                                                 "mv_voltage_v": 11_000.0}),
        entry("e.busway", Role.BUSWAY, 1_000.0, parameters={"voltage_v": 415.0, "current_a": 1600.0}),
        entry("e.rack", Role.RACK, 130.0, workload=WorkloadClass.TRAINING, parameters={"power_factor": 0.9}),
    ])


def _single(source: str = "e.mv") -> Design:
    design = Design()
    design.add("src", source)
    design.add("x", "e.xfmr")
    design.add("bus", "e.busway")
    design.add("rack", "e.rack")
    design.add("crah", "t.crah150")
    design.power("src", "x")
    design.power("x", "bus")
    design.power("bus", "rack")
    design.cool("crah", "rack")
    return design


def _codes(design: Design, catalog: Catalog) -> dict[str, str]:
    results = design.analyze(catalog, level=1.0)
    figures = electrical_figures(design.project, catalog, results, profiles=flat_profiles(1.0))
    return {f.code: f.message for f in figures.findings if f.code in CODES}


def test_a_transformer_within_its_kw_but_over_its_kva() -> None:
    catalog = _catalog(140.0)
    design = _single()
    results = design.analyze(catalog, level=1.0)
    figures = electrical_figures(design.project, catalog, results, profiles=flat_profiles(1.0))
    (check,) = transformer_checks(design.project, catalog, figures.nodes)
    # 130 kW of racks at PF 0.9: 130 / 0.9 = 144.44 kVA, over the 140 kVA rating, while the kW rating
    # 140 x 0.95 = 133 kW still holds the 130 kW (97.7 %)
    assert check.load_kva == pytest.approx(144.44, abs=0.01)
    assert check.rated_kva == 140.0 and check.secondary_v == 415.0 and check.primary_v == 11_000.0
    assert check.utilization == pytest.approx(144.44 / 140.0, abs=1e-4)
    assert "Transformers: highest load x 144 kVA of 140 kVA at the design hour" in "\n".join(
        electrical_summary(figures))
    codes = _codes(design, catalog)
    assert set(codes) == {"transformer_over_kva"}
    assert "144 kVA at the design hour, over its 140 kVA rating" in codes["transformer_over_kva"]
    # 150 kVA holds 144.44 kVA: no finding
    assert _codes(_single(), _catalog(150.0)) == {}


def test_a_pair_over_its_kva_only_when_one_is_lost() -> None:
    catalog = _catalog(100.0)
    design = Design()
    design.add("src", "e.mv")
    for side in "ab":
        design.add(f"x{side}", "e.xfmr")
        design.add(f"bus{side}", "e.busway")
        design.power("src", f"x{side}")
        design.power(f"x{side}", f"bus{side}")
    design.add("rack", "e.rack")
    design.add("crah", "t.crah150")
    design.power("busa", "rack", FeedSide.A)
    design.power("busb", "rack", FeedSide.B)
    design.cool("crah", "rack")
    codes = _codes(design, catalog)
    # normal running 65 kW each: 65 / 0.9 = 72.2 kVA of 100; one lost, the other takes 130 kW = 144.4 kVA
    assert "transformer_over_kva" not in codes
    assert "transformer_kva_in_failure" in codes
    assert "worst xa: 144 of 100 kVA" in codes["transformer_kva_in_failure"] or \
        "worst xb: 144 of 100 kVA" in codes["transformer_kva_in_failure"]


def test_voltages_on_each_side() -> None:
    # a 480 V secondary under a 415 V busway: 480 - 415 = 65 V = 13.5 % of 480, past the 5 % tolerance
    codes = _codes(_single(), _catalog(150.0, secondary_v=480.0))
    assert set(codes) == {"transformer_secondary_mismatch"}
    assert "x->bus (480 V to 415 V)" in codes["transformer_secondary_mismatch"]
    # an 11 kV primary fed from a 415 V generator
    codes = _codes(_single("e.gen"), _catalog(150.0))
    assert set(codes) == {"transformer_primary_mismatch"}
    assert "src->x (415 V to a 11,000 V primary)" in codes["transformer_primary_mismatch"]
    # a utility's voltage is the grid's (its intake substation steps it down): not compared
    assert _codes(_single("e.lv"), _catalog(150.0)) == {}
    # 400 V and 415 V are one system: 15 / 415 = 3.6 % < 5 %
    assert same_voltage(400.0, 415.0) and not same_voltage(415.0, 480.0)


def test_every_transformer_code_has_a_remedy() -> None:
    assert all(REMEDIES.get(code) for code in CODES)
