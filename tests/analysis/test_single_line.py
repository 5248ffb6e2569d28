"""The single-line diagram's layout: stage order, A/B paths, rack groups, figures, states and label hooks."""

from __future__ import annotations

import itertools

import pytest
from analysis.analysis_builders import TEST_CATALOG, Design

from designer.analysis.single_line import UNSERVED, SldNode, group_of_items, single_line_layout
from designer.model.types import CoolingMedium, FeedSide


def _chain() -> Design:
    """utility -> transformer -> UPS A / UPS B -> busway A / busway B -> racks r1..r3 on A and B;
    r4 on busway A alone; r5 fed by nothing; a CRAH on both UPSs cools them all."""
    d = Design()
    for item_id, catalog_id in (("util", "t.utility"), ("tx", "t.xfmr"), ("ups-a", "t.ups"), ("ups-b", "t.ups"),
                                ("bus-a", "t.busway"), ("bus-b", "t.busway"), ("crah", "t.crah150")):
        d.add(item_id, catalog_id, label=item_id.upper())
    d.power("util", "tx")
    d.power("tx", "ups-a")
    d.power("tx", "ups-b")
    d.power("ups-a", "bus-a")
    d.power("ups-b", "bus-b")
    d.power("ups-a", "crah", FeedSide.A)
    d.power("ups-b", "crah", FeedSide.B)
    for n in range(1, 6):
        d.add(f"r{n}", "t.rack100", label=f"R0{n}")
        d.cool("crah", f"r{n}", CoolingMedium.AIR)
    for n in (1, 2, 3):
        d.power("bus-a", f"r{n}", FeedSide.A)
        d.power("bus-b", f"r{n}", FeedSide.B)
    d.power("bus-a", "r4", FeedSide.A)
    return d


def _node_with(layout, item_id: str) -> SldNode:  # type: ignore[no-untyped-def]
    return layout.node(layout.node_of_item[item_id])


def test_stages_run_top_to_bottom_and_racks_are_grouped_by_their_suppliers() -> None:
    d = _chain()
    layout = single_line_layout(d.project, TEST_CATALOG.__getitem__)
    y = {node.id: node.y_mm for node in layout.nodes}
    assert y["util"] < y["tx"] < y["ups-a"] == y["ups-b"] < y["bus-a"] == y["bus-b"] < _node_with(layout, "r1").y_mm
    assert [title for title, _top in layout.rows] == [
        "Sources", "Transformers", "UPS", "Floor distribution", "Racks and cooling loads"]
    both = _node_with(layout, "r1")
    assert both.item_ids == ("r1", "r2", "r3") and both.count == 3 and both.kind == "Racks"
    assert both.title == "R01 – R03"
    assert _node_with(layout, "r4").item_ids == ("r4",)
    unfed = _node_with(layout, "r5")
    assert unfed.state == UNSERVED  # no supplier at all, even before an analysis
    assert _node_with(layout, "crah").kind == "Cooling units"
    # boxes do not overlap
    boxes = sorted((n.y_mm, n.x_mm, n.width_mm) for n in layout.nodes)
    for (y0, x0, w0), (y1, x1, _w1) in itertools.pairwise(boxes):
        assert y0 != y1 or x0 + w0 <= x1


def test_a_and_b_paths_are_told_apart_up_to_where_they_meet() -> None:
    d = _chain()
    layout = single_line_layout(d.project, TEST_CATALOG.__getitem__)
    sides = {node.id: node.side for node in layout.nodes}
    # busway A feeds only A cords, so it and UPS A are on the A path; the transformer feeds both: shared
    assert (sides["bus-a"], sides["ups-a"], sides["bus-b"], sides["ups-b"], sides["tx"]) == ("A", "A", "B", "B", "")
    group = layout.node_of_item["r1"]
    into_group = {(link.source, link.side) for link in layout.links if link.target == group}
    assert into_group == {("bus-a", "A"), ("bus-b", "B")}
    # the A and B drops into one box land side by side, not on top of each other
    ends = {link.side: link.points_mm[-1][0] for link in layout.links if link.target == group}
    assert ends["A"] < ends["B"]


def test_figures_and_states_come_from_the_analysis() -> None:
    d = _chain()
    results = d.analyze()
    layout = single_line_layout(d.project, TEST_CATALOG.__getitem__, results)
    group = _node_with(layout, "r1")
    # three 100 kW training racks at the flat profile's 0.8: 3 * 100 * 0.8 = 240 kW
    assert group.load_kw == pytest.approx(240.0)
    assert group.rating_kw == pytest.approx(300.0)
    bus_a = layout.node("bus-a")
    assert bus_a.rating_kw == 1_000.0 and bus_a.load_kw is not None and bus_a.utilisation is not None
    assert "1,000 kW" in bus_a.lines()[2]
    assert _node_with(layout, "r5").state == UNSERVED
    assert bus_a.state in ("ok", "warn", "over")


def test_label_hooks_add_lines_and_a_hall_filter_keeps_the_upstream() -> None:
    d = _chain()

    def volts(node: SldNode, _project: object, _results: object) -> list[str]:
        return ["415 V"] if node.kind == "Busway" else []

    layout = single_line_layout(d.project, TEST_CATALOG.__getitem__, hooks=[volts])
    assert layout.node("bus-a").lines()[-1] == "415 V"
    assert layout.node("tx").extra_lines == ()
    assert group_of_items(layout, ["r2", "bus-b", "nothing"]) == {layout.node_of_item["r2"], "bus-b"}
    d.project.add_hall(d.project.halls["H1"].__class__("H2", "Hall 2", ((0, 0), (5000, 0), (5000, 5000))))
    assert single_line_layout(d.project, TEST_CATALOG.__getitem__, hall_id="H2").nodes == ()


def test_ten_thousand_racks_make_a_few_boxes() -> None:
    d = Design()
    d.add("util", "t.utility")
    for side in "ab":
        d.add(f"ups-{side}", "t.ups")
        d.power("util", f"ups-{side}")
    for bus in range(4):
        for side in "ab":
            d.add(f"bus-{side}{bus}", "t.busway")
            d.power(f"ups-{side}", f"bus-{side}{bus}")
    from designer.model.records import Connection, PlacedItem
    from designer.model.types import ConnectionKind

    racks = [PlacedItem(f"r{n}", "t.rack100", "H1", 100.0, 100.0) for n in range(10_000)]
    d.project.add_items(racks)
    d.project.add_connections(
        Connection(f"f{n}{side}", ConnectionKind.POWER, f"bus-{side}{n % 4}", f"r{n}", FeedSide(side.upper()))
        for n in range(10_000) for side in "ab")
    layout = single_line_layout(d.project, TEST_CATALOG.__getitem__)
    # 1 utility + 2 UPS + 8 busways + 4 rack groups (one per busway pair)
    assert len(layout.nodes) == 15
    assert sorted(n.count for n in layout.nodes if n.kind == "Racks") == [2_500] * 4
