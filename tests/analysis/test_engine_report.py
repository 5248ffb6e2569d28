"""Engine plumbing: caching, stranded capacity, sweep, JSON and text reports, the synthetic campus."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, flat_profiles, load_of
from analysis.test_flow_hand import two_n_pair

from designer.analysis import Analyzer, results_to_json, summarize, sweep
from designer.analysis.capacity import RESOURCES
from designer.analysis.synthetic import build_campus
from designer.model import Catalog, WorkloadClass


def test_stranded_capacity_of_a_2n_room() -> None:
    results = two_n_pair().analyze()
    s = results.stranded
    hall = s.scope_ids.index("H1")
    # power: (1250 + 1250) x 0.8 derating / 2 sides = 1000 kW firm; 4 racks x 80 kW = 320 kW used
    assert s.power_firm_kw[hall] == pytest.approx(1000.0)
    assert s.power_used_kw[hall] == pytest.approx(320.0)
    # air cooling: 3 x 150 kW minus the largest unit (N+1) = 300 kW firm < 320 kW of heat: binds, no rack fits
    assert s.air_firm_kw[hall] == pytest.approx(300.0)
    assert RESOURCES[int(s.binding[hall])] == "air_cooling"
    # no liquid units and no liquid heat: liquid cooling is not needed, so it cannot bind
    assert s.liquid_firm_kw[hall] == pytest.approx(0.0)
    assert s.stranded_liquid_kw[hall] == pytest.approx(0.0)
    assert s.racks_addable[hall] == pytest.approx(0.0)
    # so all 1000 - 320 = 680 kW of firm power is stranded
    assert s.stranded_power_kw[hall] == pytest.approx(680.0)
    # space: 60 m x 40 m = 2400 m2 minus 11 items of 0.6 x 1.2 m = 2400 - 7.92 = 2392.08 m2, all stranded
    assert s.stranded_space_m2[hall] == pytest.approx(2392.08)


def test_power_binds_when_cooling_is_ample() -> None:
    d = two_n_pair()
    d.add("CRAH4", "t.crah150")
    for i in range(4):
        d.cool("CRAH4", f"R{i}")
    s = d.analyze().stranded
    hall = s.scope_ids.index("H1")
    # air firm = 4 x 150 - 150 = 450 kW, 130 kW free = 1.625 racks of 80 kW; power: 680 / 80 = 8.5 racks
    assert s.racks_addable[hall] == pytest.approx(1.625)
    assert RESOURCES[int(s.binding[hall])] == "air_cooling"
    # power left after 1.625 more racks: 680 - 1.625 x 80 = 550 kW stranded
    assert s.stranded_power_kw[hall] == pytest.approx(550.0)


def test_cached_reanalysis_matches_a_fresh_one() -> None:
    d = two_n_pair()
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    first = analyzer.analyze(d.project, TEST_CATALOG)
    compiled = analyzer.compile(d.project, TEST_CATALOG)
    rack = d.project.items["R0"]
    d.project.move_items({"R0": (rack.x_mm + 500.0, rack.y_mm)})
    d.project.update_items([replace(d.project.items["R1"], design_kw=200.0)])
    again = analyzer.analyze(d.project, TEST_CATALOG)
    assert analyzer.compile(d.project, TEST_CATALOG) is compiled  # topology unchanged: no recompile
    fresh = Analyzer(profiles=flat_profiles(0.8), climates={}).analyze(d.project, TEST_CATALOG)
    np.testing.assert_allclose(again.component_load_kw, fresh.component_load_kw)
    # R1 now 200 kW x 0.8 = 160 kW: the UPS pair carries 3 x 80 + 160 = 400 kW, 200 each
    assert load_of(again, "UPSA") == pytest.approx(200.0)
    assert load_of(first, "UPSA") == pytest.approx(160.0)
    # a connection removed is a topology change
    d.project.remove_connections([c.id for c in d.project.connections_of("R2") if c.source_id == "UPSA"])
    changed = analyzer.analyze(d.project, TEST_CATALOG)
    assert analyzer.compile(d.project, TEST_CATALOG) is not compiled
    assert load_of(changed, "UPSB") == pytest.approx(80.0 + 40.0 + 80.0 + 40.0)  # R2 entirely on B


def test_results_to_json_has_the_documented_keys() -> None:
    results = two_n_pair().analyze()
    doc = results_to_json(results)
    for key in ("it_kw", "facility_kw", "pue", "annual_pue", "components", "racks", "findings", "single_failures"):
        assert key in doc
    assert set(doc["components"][0]) >= {"id", "kind", "load_kw", "capacity_kw", "utilization"}  # type: ignore[index]
    assert set(doc["racks"][0]) >= {"id", "it_kw", "heat_liquid_kw", "heat_air_kw"}  # type: ignore[index]
    assert set(doc["findings"][0]) >= {"severity", "code", "message", "items"}  # type: ignore[index]
    assert set(doc["single_failures"][0]) >= {"failed", "racks_without_power", "racks_without_cooling",  # type: ignore[index]
                                              "overloaded"}
    assert len(doc["it_kw"]) == 24  # type: ignore[arg-type]
    json.dumps(doc, allow_nan=False)  # strict JSON: NaN became null
    text = summarize(results)
    assert "IT peak 320 kW" in text
    assert "Single failures" in text


def test_sweep_follows_the_inference_share() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("R1", "t.rack_ai")
    d.add("CRAH1", "t.crah150")
    d.power("U1", "R1")
    d.cool("CRAH1", "R1")
    profiles = flat_profiles(0.8)
    profiles[WorkloadClass.INFERENCE] = np.full(24, 0.5)
    analyzer = Analyzer(profiles=profiles, climates={})
    result = sweep(d.project, TEST_CATALOG, np.array([0.0, 0.5, 1.0]), analyzer=analyzer)
    # AI rack 100 kW: share 0 -> 0.8 (training) = 80 kW; 0.5 -> 0.65 = 65 kW; 1 -> 0.5 = 50 kW
    np.testing.assert_allclose(result.peak_it_kw, [80.0, 65.0, 50.0])
    np.testing.assert_allclose(result.mean_it_kw, [80.0, 65.0, 50.0])
    # the CRAH carries the whole rack: 80 / 150 at share 0
    assert result.worst_utilization[0] == pytest.approx(80.0 / 150.0)
    assert np.all(result.peak_facility_kw >= result.peak_it_kw)
    # a single analysis at the same share agrees with the sweep
    single = analyzer.analyze(d.project, TEST_CATALOG, inference_share=0.5)
    assert single.peak_facility_kw == pytest.approx(result.peak_facility_kw[1])
    assert result.years.size == 0  # no scenario in this project


def test_synthetic_campus_is_a_correct_design() -> None:
    project = build_campus(120, Catalog())
    results = Analyzer().analyze(project, Catalog())
    errors = [f for f in results.findings if f.severity == "error"]
    assert errors == []
    assert results.survives_all_single_failures
    assert results.rack_ids.size == 120
    assert float(results.component_utilization.max()) <= 0.8
    assert 1.0 < results.annual_pue < 1.6
    assert all(g.survives for g in results.groups)
    swept = sweep(project, Catalog())
    assert swept.shares.size == 101
    assert swept.years.size == 7
    # inference racks run at a lower utilisation: moving to inference lowers the peak
    assert swept.peak_it_kw[-1] < swept.peak_it_kw[0]


def test_sweep_agrees_with_single_analyses_on_a_campus() -> None:
    project = build_campus(60, Catalog())
    analyzer = Analyzer()
    shares = np.array([0.0, 0.37, 1.0])
    swept = sweep(project, Catalog(), shares, analyzer=analyzer)
    for i, share in enumerate(shares):
        single = analyzer.analyze(project, Catalog(), inference_share=float(share), failures=False)
        assert swept.peak_it_kw[i] == pytest.approx(single.peak_it_kw)
        assert swept.peak_facility_kw[i] == pytest.approx(single.peak_facility_kw)
        assert swept.pue[i] == pytest.approx(float(single.facility_kw.sum() / single.it_kw.sum()))
        # the worst utilisation over the day is at least the one at the peak hour
        assert swept.worst_utilization[i] >= float(single.component_utilization.max()) - 1e-12
    for j, year in enumerate(project.active_scenario.years):  # type: ignore[union-attr]
        single = analyzer.analyze(project, Catalog(), year=year.year, failures=False)
        assert swept.year_peak_facility_kw[j] == pytest.approx(single.peak_facility_kw)
        hall = [i for i, k in enumerate(single.stranded.scope_kinds) if k == "hall"]
        assert swept.year_stranded_power_kw[j] == pytest.approx(float(single.stranded.stranded_power_kw[hall].sum()))
        assert swept.year_racks_addable[j] == pytest.approx(float(single.stranded.racks_addable[hall].sum()))


def test_n_plus_1_is_per_redundancy_group() -> None:
    d = two_n_pair()
    for i in range(1, 4):
        d.project.update_items([replace(d.project.items[f"CRAH{i}"], group="room")])
    d.add("CRAH9", "t.crah150", group="other")
    d.add("CRAH10", "t.crah150", group="other")
    for i in range(4):
        d.cool("CRAH9", f"R{i}")
        d.cool("CRAH10", f"R{i}")
    s = d.analyze().stranded
    hall = s.scope_ids.index("H1")
    # two groups of N+1: (3 x 150 - 150) + (2 x 150 - 150) = 300 + 150 = 450 kW firm
    assert s.air_firm_kw[hall] == pytest.approx(450.0)


def test_analyze_function_leaves_no_listener_and_reports_missing_inputs() -> None:
    from designer.analysis import analyze

    d = two_n_pair()
    before = len(d.project.events._listeners)
    results = analyze(d.project, TEST_CATALOG)
    assert len(d.project.events._listeners) == before
    codes = {f.code for f in results.findings}
    assert {"no_scenario", "no_climate"} <= codes
    assert all(f.severity == "info" for f in results.findings if f.code in {"no_scenario", "no_climate"})
    assert results.inference_share == pytest.approx(0.5)


def test_json_of_every_bundled_example_is_strict_json() -> None:
    from pathlib import Path

    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project

    catalog = load_catalog(include_user=False)
    examples = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.dcplan"))
    assert examples
    for path in examples:
        project = load_project(path, catalog)
        results = Analyzer().analyze(project, catalog)
        text = json.dumps(results_to_json(results), allow_nan=False)
        assert json.loads(text)["components"]
        assert summarize(results)


def test_empty_and_rackless_projects() -> None:
    from designer.model import Project

    empty = Project()
    results = Analyzer(profiles=flat_profiles(0.8), climates={}).analyze(empty, TEST_CATALOG)
    assert results.rack_ids.size == 0 and results.component_ids.size == 0
    assert results.peak_it_kw == 0.0
    assert results.survives_all_single_failures
    json.dumps(results_to_json(results), allow_nan=False)
    assert summarize(results)
    swept = sweep(empty, TEST_CATALOG, np.array([0.0, 1.0]), analyzer=Analyzer(profiles=flat_profiles(), climates={}))
    assert swept.peak_it_kw.tolist() == [0.0, 0.0]

    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", "t.ups")
    d.power("U1", "UPS1")
    results = d.analyze()
    # no racks: the UPS still has its no-load loss, 0.012 x 1250 = 15 kW
    assert load_of(results, "U1") == pytest.approx(15.0)
    assert results.stranded.binding[results.stranded.scope_ids.index("H1")] == -1
    json.dumps(results_to_json(results), allow_nan=False)


def test_a_supplier_shared_by_two_halls_is_split_between_them_by_design_load() -> None:
    from designer.model import Hall

    d = two_n_pair()
    d.project.add_hall(Hall("H2", "Hall 2", ((0, 0), (60_000, 0), (60_000, 40_000), (0, 40_000))))
    d.project.update_items([replace(d.project.items[r], hall_id="H2") for r in ("R2", "R3")])
    s = d.analyze().stranded
    h1, h2 = s.scope_ids.index("H1"), s.scope_ids.index("H2")
    # UPS A and B each feed 2 of their 4 equal racks in each hall: half of each UPS per hall,
    # (1250 x 0.5 + 1250 x 0.5) x 0.8 derating / 2 sides = 500 kW firm each (the whole room had 1000)
    assert s.power_firm_kw[h1] == pytest.approx(500.0)
    assert s.power_firm_kw[h2] == pytest.approx(500.0)
    # the 3 CRAHs of 150 kW cool all 4 racks: half of each per hall, 3 x 75 - 75 (N+1) = 150 kW each
    assert s.air_firm_kw[h1] == pytest.approx(150.0)
    assert s.air_firm_kw[h2] == pytest.approx(150.0)
    # together the halls have what the one room had: 1000 kW of power and 300 kW of air cooling
    assert s.power_firm_kw[h1] + s.power_firm_kw[h2] == pytest.approx(1000.0)


def test_an_unequal_split_follows_the_design_load() -> None:
    from designer.model import Hall

    d = two_n_pair()
    d.project.add_hall(Hall("H2", "Hall 2", ((0, 0), (60_000, 0), (60_000, 40_000), (0, 40_000))))
    d.project.update_items([replace(d.project.items["R3"], hall_id="H2")])
    s = d.analyze().stranded
    # 3 of 4 equal racks in H1: 3/4 of each UPS, (937.5 + 937.5) x 0.8 / 2 = 750 kW; H2 gets 250 kW
    assert s.power_firm_kw[s.scope_ids.index("H1")] == pytest.approx(750.0)
    assert s.power_firm_kw[s.scope_ids.index("H2")] == pytest.approx(250.0)
