"""Topologies with the same components share their labels' read-only arrays (``compiled.Labels.of``): the
years of a phased build-out whose plant stands from the start hold one copy, and every year still reads
exactly a fresh analysis's labels."""

from __future__ import annotations

from analysis.analysis_builders import TEST_CATALOG, Design, flat_profiles
from analysis.test_phased_views import fresh
from analysis.test_runway_hand import two_phase

from designer.analysis.engine import Analyzer


def test_the_years_of_a_build_out_share_their_component_labels() -> None:
    project = two_phase().project  # U1, UPS1 and 20 CRAHs stand every year; R7-R12 enter in 2027
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    early, late = (live.analyze(project, TEST_CATALOG, year=year) for year in (2025, 2027))
    assert early.component_ids is late.component_ids  # one array for both years
    assert early.component_roles is late.component_roles and early.component_kinds is late.component_kinds
    assert early.rack_ids is not late.rack_ids and len(early.rack_ids) == 6 and len(late.rack_ids) == 12
    for year, mine in ((2025, early), (2027, late)):
        cold = fresh(project, year)
        assert mine.component_ids.tolist() == cold.component_ids.tolist()
        assert mine.component_kinds.tolist() == cold.component_kinds.tolist()
        assert mine.component_roles.tolist() == cold.component_roles.tolist()
        assert mine.rack_ids.tolist() == cold.rack_ids.tolist()
    assert late.component_ids.tolist()[:2] == ["U1", "UPS1"]  # power first, then the 20 CRAHs
    assert late.component_kinds.tolist() == ["power"] * 2 + ["cooling"] * 20


def one_ups(catalog_id: str) -> Design:
    d = Design()
    d.add("U1", "t.utility")
    d.add("X", catalog_id)
    d.power("U1", "X")
    d.power("X", d.add("R1", "t.rack100"))
    return d


def test_the_same_ids_in_other_roles_get_labels_of_their_own() -> None:
    ups = Analyzer(profiles=flat_profiles(0.8), climates={}).analyze(one_ups("t.ups").project, TEST_CATALOG)
    busway = Analyzer(profiles=flat_profiles(0.8), climates={}).analyze(one_ups("t.busway").project, TEST_CATALOG)
    assert ups.component_ids.tolist() == busway.component_ids.tolist() == ["U1", "X"]
    assert ups.component_roles.tolist() == ["utility", "ups"]
    assert busway.component_roles.tolist() == ["utility", "busway"]  # not the UPS design's roles
