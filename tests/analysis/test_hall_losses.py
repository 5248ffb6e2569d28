"""Indoor electrical losses are heat on the hall's air units; assumed plant is said, not hidden."""

from __future__ import annotations

import pytest
from analysis.analysis_builders import TEST_CATALOG, UPS_LOSS, Design, codes, entry, load_of

from designer.model import Catalog, CoolingMedium, Role

CATALOG = Catalog([*TEST_CATALOG.values(), entry("t.ups500", Role.UPS, 500.0, loss=UPS_LOSS)])


def _n_plus_one(ups: str) -> Design:
    """Four 100 kW air racks at 75 % (300 kW of air heat) on one UPS; three 150 kW CRAHs as an N+1 group."""
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", ups)
    d.power("U1", "UPS1")
    for n in range(1, 4):
        d.add(f"CRAH{n}", "t.crah150", group="crah")
    for n in range(1, 5):
        d.add(f"R{n}", "t.rack100")
        d.power("UPS1", f"R{n}")
        for c in range(1, 4):
            d.cool(f"CRAH{c}", f"R{n}")
    return d


def test_n_plus_one_crahs_at_exactly_full_load_without_losses() -> None:
    results = _n_plus_one("t.ups_lossless").analyze(CATALOG, level=0.75)
    # 4 x 75 = 300 kW over 3 CRAHs = 100 kW each; one fails: 150 kW on each survivor = 100 % exactly
    assert load_of(results, "CRAH1") == pytest.approx(100.0)
    (group,) = results.groups
    assert group.worst_utilization == pytest.approx(1.0)
    assert group.survives


def test_ups_heat_takes_the_n_plus_one_group_over() -> None:
    results = _n_plus_one("t.ups500").analyze(CATALOG, level=0.75)
    # UPS loss = 0.012 x 500 + 0.015 x 300 + 0.008 x 300² / 500 = 6 + 4.5 + 1.44 = 11.94 kW, heat in the hall
    # normal: (300 + 11.94) / 3 = 103.98 kW per CRAH
    assert load_of(results, "CRAH1") == pytest.approx(311.94 / 3)
    # one CRAH fails: 311.94 / 2 = 155.97 kW on each survivor = 103.98 % of 150 kW
    (group,) = results.groups
    assert group.worst_utilization == pytest.approx(311.94 / 300.0)
    assert not group.survives
    assert set(results.failure("CRAH1").overloaded) == {"CRAH2", "CRAH3"}
    assert "single_failure_overload" in codes(results)


def test_losses_of_a_hall_without_air_units_are_said() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", "t.ups500")
    d.add("R1", "t.rack_dlc")  # all heat to liquid: no air-cooled rack carries the UPS heat
    d.add("CDU1", "t.cdu")
    d.add("DRY1", "t.dry_cooler")
    d.power("U1", "UPS1")
    d.power("UPS1", "R1")
    d.cool("CDU1", "R1", medium=CoolingMedium.LIQUID)
    d.cool("DRY1", "CDU1", medium=CoolingMedium.LIQUID)
    results = d.analyze(CATALOG)
    finding = next(f for f in results.findings if f.code == "loss_heat_unassigned")
    assert finding.severity == "info" and finding.item_ids == ("H1",)


def test_a_design_without_heat_rejection_says_what_it_assumes() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("R1", "t.rack100")
    d.add("CRAH1", "t.crah150")
    d.power("U1", "R1")
    d.cool("CRAH1", "R1")
    results = d.analyze(CATALOG)
    finding = next(f for f in results.findings if f.code == "assumed_heat_rejection")
    assert finding.severity == "warning"
    assert "air-cooled chiller" in finding.message and "COP 3.5" in finding.message
    # with a dry cooler on the air loop, the trim chiller it would need is assumed and said
    d.add("DRY1", "t.dry_cooler")
    d.cool("DRY1", "CRAH1")
    trimmed = d.analyze(CATALOG)
    assert "assumed_heat_rejection" not in codes(trimmed)
    assert "assumed_trim_chiller" in codes(trimmed)


def test_stranded_air_counts_the_hall_losses() -> None:
    results = _n_plus_one("t.ups500").analyze(CATALOG, level=0.75)
    stranded = results.stranded
    hall = stranded.scope_ids.index("H1")
    # the hall's air units carry 300 kW of rack air heat and 11.94 kW of UPS heat at the peak
    assert stranded.air_used_kw[hall] == pytest.approx(311.94)
    # firm air: N of the N+1 CRAHs = 2 x 150 = 300 kW, already exceeded: nothing more fits
    assert stranded.air_firm_kw[hall] == pytest.approx(300.0)
    assert stranded.racks_addable[hall] == pytest.approx(0.0)
