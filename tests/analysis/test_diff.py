"""Diff of two designs: a hand-built A and a B with known changes, and what they do to figures and findings."""

from __future__ import annotations

from dataclasses import replace

from analysis.analysis_builders import TEST_CATALOG, Design, flat_profiles

from designer.analysis.diff import diff_designs, diff_to_json, format_diff
from designer.analysis.engine import Analyzer
from designer.model import Connection, ConnectionKind, FeedSide, PlacedItem
from designer.model.diff import diff_projects
from designer.model.project import Project


def _base() -> Project:
    """utility -> UPS A and UPS B; r1 and r2 on A and B cords; r3 on UPS A only; one CRAH cools all."""
    d = Design()
    d.add("u1", "t.utility")
    d.add("upsA", "t.ups_lossless")
    d.add("upsB", "t.ups_lossless")
    d.add("crah1", "t.crah150")
    d.add("crah2", "t.crah150")
    d.power("u1", "upsA")
    d.power("u1", "upsB")
    for rack in ("r1", "r2"):
        d.add(rack, "t.rack100")
        d.power("upsA", rack, FeedSide.A)
        d.power("upsB", rack, FeedSide.B)
        d.cool("crah1", rack)
        d.cool("crah2", rack)
    d.add("r3", "t.rack100", label="old")
    d.power("upsA", "r3")
    d.cool("crah1", "r3")
    d.cool("crah2", "r3")
    return d.project


def _changed(a: Project) -> Project:
    """B: r3 removed, r4 added (on both cords), r1 moved, r2 re-rated to 50 kW, crah2 relabelled, and
    r1's B cord re-marked as its A cord (a changed connection)."""
    b = a.snapshot()
    b.remove_items(["r3"])
    b.add_items([PlacedItem("r4", "t.rack100", "H1", 20_000.0, 5_000.0)])
    b.add_connections([
        Connection("n1", ConnectionKind.POWER, "upsA", "r4", FeedSide.A),
        Connection("n2", ConnectionKind.POWER, "upsB", "r4", FeedSide.B),
        Connection("n3", ConnectionKind.COOLING, "crah1", "r4"),
    ])
    b.move_items({"r1": (b.items["r1"].x_mm + 600.0, b.items["r1"].y_mm)})
    b.update_items([replace(b.items["r2"], design_kw=50.0), replace(b.items["crah2"], label="CRAH 2")])
    cord_b = next(c for c in b.connections.values() if c.source_id == "upsB" and c.target_id == "r1")
    b.update_connections([replace(cord_b, feed=FeedSide.A)])
    return b


def test_every_kind_of_change_is_found_once() -> None:
    a = _base()
    layout = diff_projects(a, _changed(a))
    assert [i.id for i in layout.added] == ["r4"]
    assert [i.id for i in layout.removed] == ["r3"]
    assert [c.item_id for c in layout.moved] == ["r1"]
    assert layout.moved[0].fields == ("x_mm",)
    assert [c.item_id for c in layout.rerated] == ["r2"]
    assert [(c.item_id, c.fields) for c in layout.changed if not (c.moved or c.rerated)] == [("crah2", ("label",))]
    # r4's three links are new, r3's three are gone; upsB -> r1 changed its cord
    assert {(c.source_id, c.target_id) for c in layout.connections_added} == {("upsA", "r4"), ("upsB", "r4"),
                                                                                ("crah1", "r4")}
    assert {(c.source_id, c.target_id) for c in layout.connections_removed} == {("upsA", "r3"), ("crah1", "r3"),
                                                                                  ("crah2", "r3")}
    assert [(c.before.feed, c.after.feed) for c in layout.connections_changed] == [(FeedSide.B, FeedSide.A)]
    # the ends of those links that stand in both designs
    assert layout.reconnected == ("crah1", "crah2", "r1", "upsA", "upsB")
    status = layout.status_by_item()
    assert (status["r4"], status["r3"], status["r1"], status["r2"], status["crah2"]) == (
        "added", "removed", "moved", "changed", "changed")


def test_identical_designs_and_renumbered_connections_show_no_change() -> None:
    a = _base()
    b = a.snapshot()
    link = next(iter(b.connections.values()))
    b.remove_connections([link.id])
    b.add_connections([replace(link, id="renamed")])
    assert diff_projects(a, b).empty
    assert not diff_projects(a, a.snapshot()).changed


def test_figures_and_findings_before_and_after() -> None:
    a = _base()
    b = _changed(a)
    diff = diff_designs(a, b, TEST_CATALOG, TEST_CATALOG,
                        analyzer_factory=lambda: Analyzer(profiles=flat_profiles(0.8), climates={}))
    figures = {f.key: f for f in diff.figures}
    # A: three 100 kW racks at 0.8 = 240 kW. B: r1 and r4 at 80 kW, r2 re-rated to 50 kW x 0.8 = 40 kW: 200 kW
    assert figures["peak_it_kw"].before == 240.0 and figures["peak_it_kw"].after == 200.0
    assert figures["peak_it_kw"].delta == -40.0
    # A: r3 hangs on UPS A alone, every rack on the utility: 3 at risk. B: r1's two cords now both come
    # in as "A" (one from each UPS) - still two suppliers; the utility still drops all three
    assert figures["racks_at_risk"].before == 3 and figures["racks_at_risk"].after == 3
    resolved = {(f.code, f.item_ids[0] if f.item_ids else "") for f in diff.resolved_findings}
    new = {(f.code, f.item_ids[0] if f.item_ids else "") for f in diff.new_findings}
    # r1 moved 600 mm onto r2 (both 600 mm wide, 1 m apart before); r4 has only crah1 (n3); r3, the only
    # rack UPS A alone fed, is gone
    assert {("placement", "r1"), ("placement", "r2"), ("single_failure_loss", "crah1")} <= new
    assert ("single_failure_loss", "upsA") in resolved
    assert ("single_failure_loss", "upsA") not in new and ("placement", "r1") not in resolved
    document = diff_to_json(diff)
    items = document["items"]
    assert isinstance(items, dict)
    assert [i["id"] for i in items["added"]] == ["r4"]
    assert items["rerated"][0] == {"id": "r2", "fields": ["design_kw"], "before": {"design_kw": None},
                                   "after": {"design_kw": 50.0}}
    text = format_diff(diff)
    assert "items added: 1" in text and "items re-rated: 1" in text and "r2 (design_kw)" in text
