"""Concurrent maintainability: one part out for maintenance, every single failure on top (issue 12, item 10)."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from analysis.analysis_builders import TEST_CATALOG, Design, entry
from analysis.test_failure_reference import CATALOG as RANDOM_CATALOG
from analysis.test_failure_reference import Case, dead_items, random_designs
from hypothesis import given, settings

from designer.analysis import Analyzer
from designer.model import Catalog, ConnectionKind, FeedSide, Role

CATALOG = Catalog([*TEST_CATALOG.values(), entry("t.ups150", Role.UPS, 150.0)])


def two_n() -> Design:
    """UA -> UPSA -> R (cord A), UB -> UPSB -> R (cord B); R 100 kW x 0.8 = 80 kW; CRAH1 and CRAH2 (150 kW)."""
    d = Design()
    for side in "AB":
        d.add(f"U{side}", "t.utility")
        d.add(f"UPS{side}", "t.ups150")
        d.power(f"U{side}", f"UPS{side}")
    d.add("R", "t.rack100")
    d.power("UPSA", "R", FeedSide.A)
    d.power("UPSB", "R", FeedSide.B)
    for crah in ("CRAH1", "CRAH2"):
        d.add(crah, "t.crah150")
        d.cool(crah, "R")
    return d


def pair_set(results) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(p.maintained, p.failed) for p in results.maintenance_pairs}


def test_2n_is_concurrently_maintainable_but_exposed_during_maintenance() -> None:
    results = two_n().analyze(CATALOG)
    # any one part out: R keeps a live side (80 kW on a 150 kW UPS = 53 %), a CRAH alone takes 80 of 150 kW
    power, cooling = results.maintenance_verdicts
    assert power.kind == "power" and power.concurrently_maintainable and power.fault_tolerant
    assert cooling.concurrently_maintainable and cooling.fault_tolerant
    # a failure on top drops R when the two parts are on opposite sides: {UA, UPSA} x {UB, UPSB} = 4 pairs
    # (each unordered pair once, its ids in order),
    # and the two CRAHs together: 1 pair. Same-side pairs (UA + UPSA) leave the B side: no drop.
    assert pair_set(results) == {("UA", "UB"), ("UA", "UPSB"), ("UB", "UPSA"), ("UPSA", "UPSB"),
                                 ("CRAH1", "CRAH2")}
    assert all(p.racks_lost == ("R",) for p in results.maintenance_pairs)
    assert (power.pairs, cooling.pairs) == (4, 1)
    assert "not a Tier certification" in power.statement()
    assert "maintenance_exposure" in {f.code for f in results.findings if f.severity == "info"}


def test_a_single_path_is_not_concurrently_maintainable() -> None:
    d = Design()
    d.add("U", "t.utility")
    d.add("UPS", "t.ups150")
    d.add("R", "t.rack100")
    d.add("CRAH", "t.crah150")
    d.power("U", "UPS")
    d.power("UPS", "R")
    d.cool("CRAH", "R")
    results = d.analyze(CATALOG)
    power, cooling = results.maintenance_verdicts
    # taking the UPS (or the utility, or the CRAH) out drops R: neither property holds
    assert not power.concurrently_maintainable and not power.fault_tolerant
    assert not cooling.concurrently_maintainable
    # every pair containing U or UPS drops R already through one part alone: single failures, not pairs
    assert results.maintenance_pairs == ()


@settings(max_examples=40, deadline=None)
@given(random_designs())
def test_pairs_match_cutting_both_parts_out(case: Case) -> None:
    project = case.design.project
    results = Analyzer(climates={}).analyze(project, RANDOM_CATALOG)
    expected: set[tuple[str, str, tuple[str, ...]]] = set()
    unserved = {r for kind in ConnectionKind for r in dead_items(project, kind, set()) if r.startswith("R")}
    for kind, prefixes in ((ConnectionKind.POWER, ("U", "G", "BUS")), (ConnectionKind.COOLING, ("CRAH", "DRY"))):
        parts = sorted(i for i in project.items if i.startswith(prefixes))
        before = dead_items(project, kind, set())
        alone = {p: dead_items(project, kind, before | {p}) for p in parts}
        for m, f in combinations(parts, 2):
            both = dead_items(project, kind, before | {m, f})
            racks = tuple(sorted(r for r in both - alone[m] - alone[f] if r.startswith("R") and r not in unserved))
            if racks:
                expected.add((m, f, racks))
    got = {(p.maintained, p.failed, tuple(sorted(p.racks_lost))) for p in results.maintenance_pairs}
    assert got == expected


def test_a_chain_already_over_its_rating_meets_neither_property() -> None:
    d = two_n()
    d.project.update_items([replace(d.project.items["R"], design_kw=400.0)])
    results = d.analyze(CATALOG)
    # 400 x 0.8 = 320 kW: 160 kW on each 150 kW UPS (107 %) and on each 150 kW CRAH with nothing failed
    power, cooling = results.maintenance_verdicts
    assert power.over_before == 2 and cooling.over_before == 2
    assert not power.concurrently_maintainable and not cooling.fault_tolerant
    assert "over their rating with nothing out" in power.statement()


def test_the_same_inputs_give_the_kept_pairs_again_and_other_served_racks_a_fresh_answer() -> None:
    import numpy as np

    from designer.analysis.maintenance import classes_only, maintenance_pairs, pair_structure

    compiled = Analyzer().compile(two_n().project, CATALOG)
    power, ids = compiled.power, compiled.topology.rack_ids
    structure = pair_structure(power, classes_only(power, np.ones(power.n_nodes, dtype=bool)))
    served = np.ones(len(ids), dtype=bool)
    first = maintenance_pairs(power, structure, ids, served)
    # the 2N power chain: {UA, UPSA} x {UB, UPSB} drop R together (as in the test above), 4 pairs
    assert {(p.maintained, p.failed) for p in first} == {("UA", "UB"), ("UA", "UPSB"), ("UB", "UPSA"),
                                                          ("UPSA", "UPSB")}
    again = maintenance_pairs(power, structure, ids, served.copy())  # equal inputs, another array
    assert again == first and again is not first and all(a is b for a, b in zip(again, first, strict=True))
    # R not served now: no pair drops a served rack (not the kept answer)
    assert maintenance_pairs(power, structure, ids, np.zeros(len(ids), dtype=bool)) == []
    assert maintenance_pairs(power, structure, ids, served) == first


def test_pairs_dropping_the_same_racks_share_one_tuple_of_the_tables_own_ids() -> None:
    import numpy as np

    from designer.analysis.maintenance import classes_only, maintenance_pairs, pair_structure

    d = two_n()
    d.add("R2", "t.rack100")  # a second 2N rack on the same UPSs: every pair drops R and R2 together
    d.power("UPSA", "R2", FeedSide.A)
    d.power("UPSB", "R2", FeedSide.B)
    compiled = Analyzer().compile(d.project, CATALOG)
    power, ids = compiled.power, compiled.topology.rack_ids
    structure = pair_structure(power, classes_only(power, np.ones(power.n_nodes, dtype=bool)))
    pairs = maintenance_pairs(power, structure, ids, np.ones(len(ids), dtype=bool))
    # {UA, UPSA} x {UB, UPSB}: 4 pairs, each dropping both racks (as in the 2N test above)
    assert len(pairs) == 4 and all(sorted(p.racks_lost) == ["R", "R2"] for p in pairs)
    # one tuple for the 4 pairs (a tuple each was ~11 MB at 50k racks), made of the rack table's strings
    assert len({id(p.racks_lost) for p in pairs}) == 1
    assert all(r is ids[ids.index(r)] for r in pairs[0].racks_lost)
    # the structure keeps its node indices as int32; the kept triples all cut off (no path, none alone)
    assert {structure.first.dtype, structure.second.dtype, structure.consumer.dtype} == {np.dtype(np.int32)}
    # R and R2 have the same suppliers: one rack class, one consumer node, so 4 pairs x 1 consumer
    assert structure.first.size == 4 and not structure.paths.any() and not structure.alone.any()
