"""The years' views keep their days within ``KEPT_DAYS_BYTES``, the least recently analysed letting go
of theirs first, and a year that let go of its day still gets a cold analysis's figures to the bit."""

from __future__ import annotations

import gc
import importlib
import weakref
from dataclasses import fields, replace

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, flat_profiles
from analysis.test_phased_views import fresh
from analysis.test_runway_hand import two_phase

from designer.analysis import day_failures, day_state, headroom, phased
from designer.analysis.engine import Analyzer, forget_design_caches
from designer.analysis.held_bytes import held_nbytes
from designer.analysis.sweep import SweepResult, sweep
from designer.model import Connection, ConnectionKind, PlacedItem

YEARS = (2025, 2026, 2027)
sweep_mod = importlib.import_module("designer.analysis.sweep")  # the package exports the function by that name


def three_designs() -> Design:
    """``two_phase`` (R1-R6 from the start, R7-R12 from 2027) and R13 from 2026: a design per year."""
    d = two_phase()
    d.add("R13", "t.rack100", in_service_year=2026)
    d.power("UPS1", "R13")
    d.cool("CRAH1", "R13")
    return d


def views_of(live: Analyzer, d: Design) -> dict[int, Analyzer]:
    built = {year: live.year_view(d.project, year) for year in YEARS}
    assert all(view is not None for view in built.values())
    return {year: view[1] for year, view in built.items() if view is not None}


def keeping(live: Analyzer, d: Design) -> list[int]:
    """The years whose view keeps a day."""
    return [year for year, child in views_of(live, d).items() if child.day_nbytes() > 0]


def same_as_cold(live: Analyzer, d: Design, year: int) -> None:
    mine, cold = live.analyze(d.project, TEST_CATALOG, year=year), fresh(d.project, year)
    assert list(mine.rack_ids) == list(cold.rack_ids)
    for name in ("component_load_kw", "component_utilization", "rack_it_kw", "it_kw", "facility_kw",
                 "component_worst_failure_utilization"):
        assert getattr(mine, name).tobytes() == getattr(cold, name).tobytes(), (year, name)
    assert mine.findings == cold.findings


def test_with_room_for_one_day_only_the_year_last_analysed_keeps_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phased, "KEPT_DAYS_BYTES", 0)
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    for year in (*YEARS, 2025, 2027, 2026):
        live.analyze(d.project, TEST_CATALOG, year=year)
        assert keeping(live, d) == [year]


def test_with_room_for_all_every_year_keeps_its_day() -> None:
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    for year in YEARS:
        live.analyze(d.project, TEST_CATALOG, year=year)
    assert keeping(live, d) == list(YEARS)


def test_the_least_recently_analysed_day_goes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    for year in YEARS:
        live.analyze(d.project, TEST_CATALOG, year=year)
    sizes = {year: child.day_nbytes() for year, child in views_of(live, d).items()}
    assert sizes[2025] < sizes[2026] < sizes[2027]  # 6, 7 and 13 racks
    # room for the two largest days: 2026's analysis (its day updated in place) keeps 2027's, the most
    # recent other, and lets 2025's go (2027's and 2025's together are more than 2027's alone)
    monkeypatch.setattr(phased, "KEPT_DAYS_BYTES", sizes[2026] + sizes[2027])
    live.analyze(d.project, TEST_CATALOG, year=2026)
    assert keeping(live, d) == [2026, 2027]
    # 2025's new day is expected as large as the largest kept (2027's): 2027's, now the least recently
    # used, goes before it is made; 2026's and 2025's then fit
    live.analyze(d.project, TEST_CATALOG, year=2025)
    assert keeping(live, d) == [2025, 2026]


def test_years_without_their_days_are_cold_analyses_to_the_bit_through_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phased, "KEPT_DAYS_BYTES", 0)
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})

    def check_years() -> None:
        for year in (*YEARS, 2026, 2025):
            same_as_cold(live, d, year)

    check_years()
    d.project.move_items({"R8": (9_000.0, 9_000.0)})
    d.project.update_items([replace(d.project.items["R3"], design_kw=50.0)])
    check_years()
    d.project.add_items([PlacedItem("R14", "t.rack100", "H1", 20_000.0, 20_000.0, in_service_year=2027)])
    d.project.add_connections([Connection("p-new", ConnectionKind.POWER, "UPS1", "R14")])
    check_years()
    d.project.remove_connections(["p-new"])
    d.project.remove_items(["R14", "R2"])
    check_years()
    # 2025 stands on R1, R3-R6: 4 x 0.8 x 100 + 0.8 x 50 (R3's override) = 360 kW at the flat profile
    assert float(live.analyze(d.project, TEST_CATALOG, year=2025).it_kw.max()) == 360.0


def test_a_day_counts_its_own_arrays_once() -> None:
    d = two_phase()
    child = views_of(Analyzer(profiles=flat_profiles(0.8), climates={}), d)[2027]
    child.analyze(child._tracked or d.project, TEST_CATALOG, year=2027)  # type: ignore[attr-defined]
    state = child._day  # type: ignore[attr-defined]
    assert state is not None
    counted = day_state.day_nbytes(state)
    # 12 racks x 24 hours x 8 bytes = 2,304 bytes per (racks, hours) array: the racks' demand (the IT rows
    # are the same array while every rack is served) at least, and the nodes' arrays on top
    assert state.rack_it is state.demand_it
    assert counted >= 12 * 24 * 8 + state.power_demand.nbytes + state.cooling_demand.nbytes
    # a second name for a buffer adds nothing; the compiled networks' arrays are not the day's
    state.racks_only_spare = (state.demand_it[:, :3], state.demand_it)
    assert day_state.day_nbytes(state) == counted
    assert not np.shares_memory(state.demand_it, child._compiled.power_shares)  # type: ignore[attr-defined]


@pytest.mark.parametrize("room", [0, None])
def test_a_phased_sweep_keeps_the_other_years_preparations_only_if_they_fit(
        room: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if room is not None:
        monkeypatch.setattr(sweep_mod, "KEPT_YEAR_SWEEPS_BYTES", room)
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    shares = np.linspace(0.0, 1.0, 5)
    for step in range(3):
        if step:  # an override of a rack of every year: each year's preparation is out of date
            d.project.update_items([replace(d.project.items["R3"], design_kw=100.0 - 10.0 * step)])
        mine = sweep(d.project, TEST_CATALOG, shares, analyzer=live, year=2026)
        cold = sweep(d.project, TEST_CATALOG, shares, analyzer=Analyzer(profiles=flat_profiles(0.8), climates={}),
                     year=2026)
        for field in fields(SweepResult):
            a, b = getattr(mine, field.name), getattr(cold, field.name)
            assert np.asarray(a).tobytes() == np.asarray(b).tobytes(), (step, field.name)
        kept = {year: child._compiled.sweep_cache is not None  # type: ignore[attr-defined]
                for year, child in views_of(live, d).items()}
        # no room: the year shown only; the default room: a few kB each, all kept
        assert kept == ({2025: False, 2026: True, 2027: False} if room == 0 else {2025: True, 2026: True, 2027: True})


def test_a_closed_analyzer_keeps_nothing_of_the_design() -> None:
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    live.analyze(d.project, TEST_CATALOG, year=2027)
    child = views_of(live, d)[2027]
    assert child._compiled is not None and child.day_nbytes() > 0  # type: ignore[attr-defined]
    child.close()
    assert not child._key_unknown and child.day_nbytes() == 0  # type: ignore[attr-defined]
    assert child._compiled is None and child._placement.changed is None  # type: ignore[attr-defined]


def test_forgetting_the_design_caches_lets_go_of_the_last_designs_ids() -> None:
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    live.analyze(d.project, TEST_CATALOG, year=2027)  # with its single failures: both last answers taken
    assert day_failures._last_members is not None and day_failures._clean_records.cache_info().currsize
    assert headroom._rest_ids(("UPS1", "R1"), np.array([1])) == ("R1",)  # (an overloaded design's answer)
    assert headroom._last_rest is not None
    live.close()
    forget_design_caches()
    assert day_failures._last_members is None and not day_failures._clean_records.cache_info().currsize
    assert headroom._last_rest is None
    again = Analyzer(profiles=flat_profiles(0.8), climates={}).analyze(d.project, TEST_CATALOG, year=2027)
    assert again.findings == fresh(d.project, 2027).findings  # worked out again, the same


def test_a_preparation_counts_its_own_arrays_not_the_networks() -> None:
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    sweep(d.project, TEST_CATALOG, np.linspace(0.0, 1.0, 3), analyzer=live, year=2027)
    compiled = views_of(live, d)[2027]._compiled  # type: ignore[attr-defined]
    kept = compiled.sweep_cache[2][0]
    counted = sweep_mod.preparation_nbytes(kept)
    own = kept.power_demand.nbytes + kept.cooling_demand.nbytes + kept.cooling_flow.through_kw.nbytes
    assert counted >= own
    # the networks' arrays are not the preparation's: counting them too would add at least their capacities
    with_networks = held_nbytes(kept, (*sweep_mod._KEPT_PARTS, type(kept.power)), frozenset())
    assert with_networks >= counted + kept.power.capacity_kw.nbytes


def test_a_dropped_analyzer_and_its_year_views_go_without_the_collector() -> None:
    d = three_designs()
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    for year in YEARS:
        live.analyze(d.project, TEST_CATALOG, year=year)
    gone = [weakref.ref(live), *(weakref.ref(child) for child in views_of(live, d).values())]
    gc.disable()  # no cycle collection: only reference counts may free them
    try:
        del live
        assert [ref() for ref in gone] == [None] * 4
    finally:
        gc.enable()
