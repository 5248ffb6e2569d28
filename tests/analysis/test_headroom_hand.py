"""Nameplate oversubscription and diurnal headroom (issue 12, item 11); arithmetic in the comments."""

from __future__ import annotations

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry, flat_profiles

from designer.analysis import Analyzer
from designer.model import Catalog, Role, WorkloadClass

CATALOG = Catalog([
    *TEST_CATALOG.values(),
    entry("t.utility1000", Role.UTILITY, 1_000.0),
    entry("t.gen1000", Role.GENERATOR, 1_000.0),
    entry("t.ups500", Role.UPS, 500.0),  # lossless
    entry("t.crah1000", Role.CRAH, 1_000.0),
    entry("t.lv1600", Role.LV_SWITCHBOARD, 1_600.0),
    entry("t.pdu450", Role.FLOOR_PDU, 450.0),
])


def test_a_board_feeding_more_nameplate_than_its_rating_is_information() -> None:
    d = Design()
    d.add("U", "t.utility")
    d.add("LV", "t.lv1600")
    d.power("U", "LV")
    for i in range(4):
        d.add(f"PDU{i}", "t.pdu450")
        d.power("LV", f"PDU{i}")
    d.add("R", "t.rack100")
    d.power("PDU0", "R")
    results = d.analyze(CATALOG)
    # four 450 kW PDUs under a 1,600 kW board: 1,800 kW of nameplate fed, 1800 / 1600 = 1.125
    finding = next(f for f in results.findings if f.code == "nameplate_oversubscription" and f.item_ids == ("LV",))
    assert finding.severity == "info"
    assert "1,800 kW" in finding.message and "1.12x" in finding.message
    assert results.component_nameplate_fed_kw[results.component_index("LV")] == pytest.approx(1_800.0)
    # PDU0 feeds one 100 kW rack on its 450 kW: not oversubscribed
    assert results.component_nameplate_fed_kw[results.component_index("PDU0")] == pytest.approx(100.0)


def one_rack_n_plus_1() -> Design:
    """U and standby G (1,000 kW each) -> UPS1, UPS2 (500 kW) -> R (100 kW, both UPSs on one cord);
    CRAH1, CRAH2 (1,000 kW)."""
    d = Design()
    d.add("U", "t.utility1000")
    d.add("G", "t.gen1000")
    d.add("R", "t.rack100")
    for ups in ("UPS1", "UPS2"):
        d.add(ups, "t.ups500")
        d.power("U", ups)
        d.power("G", ups)
        d.power(ups, "R")
    for crah in ("CRAH1", "CRAH2"):
        d.add(crah, "t.crah1000")
        d.cool(crah, "R")
    return d


def test_headroom_of_the_utility_feed_and_the_hall() -> None:
    results = Analyzer(profiles=flat_profiles(0.8), climates={}).analyze(one_rack_n_plus_1().project, CATALOG)
    h = results.headroom
    assert h is not None
    # the design's only rack type; one rack at 0.8 x 100 = 80 kW at the coincident peak (every hour alike)
    assert h.rack_type == "t.rack100"
    assert h.rack_kw_at_peak == pytest.approx(80.0)
    # coincident peak 80 kW against 100 kW of design: 0.8
    assert h.coincident_peak_it_kw == pytest.approx(80.0)
    assert h.sum_design_kw == pytest.approx(100.0)
    assert h.diversity == pytest.approx(0.8)
    figures = dict(zip(h.scope_ids, zip(h.racks_addable, h.binding, strict=True), strict=True))
    # utility feed (U, and G when U fails): 80 (k + 1) <= 1,000 -> k <= 11.5 -> 11 more racks
    assert figures["utility"][0] == 11
    assert figures["utility"][1] in {"U", "G"}
    # the hall's chain: one UPS fails, the other carries 80 (k + 1) <= 500 -> k <= 5.25 -> 5;
    # the CRAHs would take 80 (k + 1) <= 1,000 -> 11: the UPSs bind
    assert figures["H1"][0] == 5
    assert figures["H1"][1] in {"UPS1", "UPS2"}


def test_no_headroom_while_a_single_failure_drops_racks() -> None:
    d = one_rack_n_plus_1()
    d.project.remove_items(["CRAH2"])  # CRAH1 alone: its failure leaves R without cooling
    results = Analyzer(profiles=flat_profiles(0.8), climates={}).analyze(d.project, CATALOG)
    h = results.headroom
    assert h is not None
    hall = h.scope_ids.index("H1")
    assert h.racks_addable[hall] == 0
    assert h.reason[hall] == "not every single failure is survived now"


def test_a_chosen_rack_type_follows_its_own_profile() -> None:
    profiles = flat_profiles(0.8)
    profiles[WorkloadClass.INFERENCE] = np.full(24, 0.5)
    results = Analyzer(profiles=profiles, climates={}).analyze(one_rack_n_plus_1().project, CATALOG,
                                                               headroom_rack="t.rack_ai")
    h = results.headroom
    assert h is not None
    # t.rack_ai: 100 kW, class ai at the default share 0.5: (1 - 0.5) x 0.8 + 0.5 x 0.5 = 0.65 -> 65 kW
    assert h.rack_kw_at_peak == pytest.approx(65.0)
    # hall: 80 + 65 k <= 500 -> k <= 6.46 -> 6
    assert h.racks_addable[h.scope_ids.index("H1")] == 6


def test_cli_rack_type_is_checked_and_reported(capsys: pytest.CaptureFixture[str]) -> None:
    import json
    from pathlib import Path

    from designer.cli import main

    golden = Path(__file__).resolve().parents[1] / "golden" / "schema-v1.dcplan"
    assert main(["analyze", str(golden), "--rack-type", "no.such.rack"]) == 2
    assert "--rack-type no.such.rack" in capsys.readouterr().err
    main(["analyze", str(golden), "--json", "--rack-type", "rack.t"])
    document = json.loads(capsys.readouterr().out)
    assert document["headroom"]["rack_type"] == "rack.t"
    assert {"racks_unserved", "racks_at_risk", "unserved_it_kw", "maintenance", "warn_utilization"} <= set(document)
    component = document["components"][0]
    assert {"state", "worst_failure_hour", "worst_failure_case", "nameplate_fed_kw"} <= set(component)
