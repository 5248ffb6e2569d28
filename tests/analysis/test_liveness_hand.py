"""Only sources originate supply; racks without live power or cooling are unserved (issue 12, items 1-2).

Hand-worked: the arithmetic is in the comments.
"""

from __future__ import annotations

import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, codes, entry, load_of, utilization_of

from designer.model import Catalog, CoolingMedium, FeedSide, Role

CATALOG = Catalog([
    *TEST_CATALOG.values(),
    entry("t.pdu100", Role.FLOOR_PDU, 100.0),  # lossless
    entry("t.dx", Role.CRAH, 150.0, medium=CoolingMedium.AIR, parameters={"self_contained": True}),
])


def reproducer() -> Design:
    """Utility U -> PDU-B -> rack R on feed B; PDU-A (nothing upstream) -> R on feed A; R draws 120 kW."""
    d = Design()
    d.add("U", "t.utility")
    d.add("PDU-A", "t.pdu100")
    d.add("PDU-B", "t.pdu100")
    d.add("R", "t.rack100", design_kw=120.0)
    d.add("CRAH", "t.crah150")  # no heat rejection anywhere: the assumed plant, so the CRAH is live
    d.power("U", "PDU-B")
    d.power("PDU-B", "R", FeedSide.B)
    d.power("PDU-A", "R", FeedSide.A)
    d.cool("CRAH", "R")
    return d


def test_a_stage_with_nothing_upstream_is_dead_not_a_source() -> None:
    results = reproducer().analyze(CATALOG, level=1.0)
    # R draws 120 kW x 1.0. PDU-A has no path from a source: dead, so R's A group has no live
    # supplier and the whole 120 kW goes to its one live group (B): PDU-B = 120, U = 120 + 0 losses.
    # (Old: PDU-A counted as a root "source", U = PDU-A = PDU-B = 60.)
    assert load_of(results, "U") == pytest.approx(120.0)
    assert load_of(results, "PDU-B") == pytest.approx(120.0)
    assert load_of(results, "PDU-A") == 0.0
    # 120 / 100 = 120 %: over its rating, an error
    assert utilization_of(results, "PDU-B") == pytest.approx(1.2)
    assert "over_capacity" in codes(results)
    assert "unpowered_component" in codes(results)  # PDU-A: no power path from a source
    # R is served (live power via B, live cooling), but has no redundancy: U or PDU-B failing drops it
    assert results.racks_unserved == 0
    assert results.failure("U").racks_without_power == ("R",)
    assert results.failure("PDU-B").racks_without_power == ("R",)
    assert results.failure("PDU-A").racks_without_power == ()
    assert not results.rack_survives_single_failures[0]
    assert results.racks_at_risk == 1


def test_a_rack_with_only_a_dead_feed_is_unserved() -> None:
    d = Design()
    d.add("PDU-A", "t.pdu100")
    d.add("R", "t.rack100")
    d.add("CRAH", "t.crah150")
    d.power("PDU-A", "R")
    d.cool("CRAH", "R")
    results = d.analyze(CATALOG, level=1.0)
    # R would draw 100 kW x 1.0 but has no live power: unserved, nothing drawn, nothing to cool
    assert results.racks_unserved == 1
    assert results.unserved_it_kw == pytest.approx([100.0] * 24)
    assert results.it_kw == pytest.approx([0.0] * 24)
    assert load_of(results, "CRAH") == 0.0
    assert "racks_unserved" in codes(results)
    # not "at risk": it is not served in the first place, and no failure is reported as losing it
    assert results.racks_at_risk == 0
    assert all(r.racks_without_power == () for r in results.single_failures)


def cooled_design(crah: str) -> Design:
    d = Design()
    d.add("U", "t.utility")
    d.add("R", "t.rack100")
    d.add("CRAH", crah)
    d.add("DRY", "t.dry_cooler")
    d.add("CDU", "t.cdu")
    d.power("U", "R")
    d.cool("CRAH", "R")
    d.cool("DRY", "CDU", CoolingMedium.LIQUID)  # the design has heat rejection, but not for the CRAH
    return d


def test_an_air_unit_without_heat_rejection_rejects_nothing() -> None:
    results = cooled_design("t.crah150").analyze(CATALOG, level=1.0)
    # the CRAH has no path to heat rejection: it rejects nothing; R (air only) has no live cooling
    assert "no_heat_rejection" in codes(results)
    assert load_of(results, "CRAH") == 0.0
    assert load_of(results, "DRY") == 0.0  # the CRAH's heat does not land on a dry cooler it is not on
    assert results.racks_unserved == 1
    assert results.unserved_it_kw[0] == pytest.approx(100.0)
    assert load_of(results, "U") == 0.0  # unserved: not facility load


def test_a_self_contained_unit_rejects_its_own_heat() -> None:
    results = cooled_design("t.dx").analyze(CATALOG, level=1.0)
    # catalog property self_contained: the DX unit is its own source of cooling; R: 100 kW x 1.0
    assert "no_heat_rejection" not in codes(results)
    assert results.racks_unserved == 0
    assert load_of(results, "CRAH") == pytest.approx(100.0)
    assert load_of(results, "U") == pytest.approx(100.0)


def test_a_cooling_unit_fed_from_a_dead_stage_cools_nothing() -> None:
    d = Design()
    d.add("U", "t.utility")
    d.add("PDU-X", "t.pdu100")  # nothing upstream: dead
    d.add("R", "t.rack100")
    d.add("CRAH", "t.crah150")
    d.power("U", "R")
    d.power("PDU-X", "CRAH")
    d.cool("CRAH", "R")
    results = d.analyze(CATALOG, level=1.0)
    # the CRAH's only power feed is dead, so it runs nothing and R has no live cooling
    assert "unpowered_cooling" in codes(results)
    assert results.racks_unserved == 1
    assert load_of(results, "CRAH") == 0.0


def test_campus_without_its_utilities_is_672_of_672_unserved() -> None:
    from designer.analysis import analyze
    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir

    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "modular_campus.dcplan", catalog)
    project.remove_items([i for i in project.items if i.startswith("utility-")])
    results = analyze(project, catalog, year=2031)  # the last year: all four modules in service
    # both utilities (the substation) gone and no generator: no rack has a path from a source
    assert results.rack_ids.size == 672
    assert results.racks_unserved == 672
    assert results.it_kw.max() == 0.0
    assert results.unserved_it_kw.max() > 0.0
    finding = results.findings[0]  # shown first
    assert finding.code == "racks_unserved"
    assert finding.severity == "error"
    assert finding.message.startswith("672 of 672 racks unserved")


def test_an_unserved_design_is_not_called_healthy() -> None:
    d = Design()
    d.add("PDU-A", "t.pdu100")  # nothing upstream
    d.add("R", "t.rack100")
    d.add("CRAH", "t.crah150")
    d.power("PDU-A", "R")
    d.cool("CRAH", "R")
    results = d.analyze(CATALOG)
    # no failure can lose R (it is not served), but that is no reason to call the design healthy
    assert not results.survives_all_single_failures
    assert all(not v.concurrently_maintainable and not v.fault_tolerant for v in results.maintenance_verdicts)
    assert "1 rack(s) are unserved now" in results.maintenance_verdicts[0].statement()


def test_a_cdu_without_heat_rejection_leaves_liquid_racks_unserved() -> None:
    d = Design()
    d.add("U", "t.utility")
    d.add("R", "t.rack_dlc")  # all liquid, 100 kW
    d.add("CDU", "t.cdu")
    d.add("CRAH", "t.crah150")
    d.add("DRY", "t.dry_cooler")
    d.power("U", "R")
    d.cool("CDU", "R", CoolingMedium.LIQUID)
    d.cool("DRY", "CRAH")  # the design's heat rejection serves the CRAH only
    results = d.analyze(CATALOG, level=1.0)
    # the CDU has no path to heat rejection: it rejects nothing, R's liquid heat has nowhere to go
    assert "no_heat_rejection" in codes(results)
    assert results.racks_unserved == 1
    assert load_of(results, "CDU") == 0.0 and load_of(results, "DRY") == 0.0
    # connect the CDU to the dry cooler: R is served, 100 kW through the CDU to the dry cooler
    d.cool("DRY", "CDU", CoolingMedium.LIQUID)
    results = d.analyze(CATALOG, level=1.0)
    assert results.racks_unserved == 0
    assert load_of(results, "CDU") == pytest.approx(100.0)
