"""Hand-worked electrical labels of single-line boxes: rating as written, load in kVA and amps, incoming feeds."""

from __future__ import annotations

from analysis.analysis_builders import TEST_CATALOG, Design, entry, flat_profiles

from designer.analysis.electrical import NodeFigures, electrical_figures
from designer.analysis.single_line import BOX_W_MM, LABEL_HOOKS, single_line_layout
from designer.analysis.single_line_labels import label_hooks, rating_words
from designer.model import Catalog, LossModel, Role, WorkloadClass
from designer.model.types import FeedSide

CATALOG = Catalog([
    *TEST_CATALOG.values(),
    entry("e.source", Role.UTILITY, 10_000.0, parameters={"voltage_v": 415.0}),
    entry("e.ups", Role.UPS, 500.0, loss=LossModel(0.0, 0.0, 0.0), parameters={"voltage_v": 415.0, "kva": 500.0}),
    entry("e.busway", Role.BUSWAY, 273.1, width_mm=6000.0, depth_mm=200.0,
          parameters={"voltage_v": 415.0, "current_a": 400.0, "kva": 287.5}),
    entry("e.rack130", Role.RACK, 130.0, workload=WorkloadClass.TRAINING, parameters={"power_factor": 1.0}),
])


def _design() -> Design:
    """source -> UPS -> busway (A) -> two 130 kW racks 1.5 m and 4.5 m off the busway's axis."""
    design = Design()
    design.add("src", "e.source", label="Utility")
    design.add("ups", "e.ups", label="UPS-1")
    design.add("bus", "e.busway", label="BUS-A")
    design.add("crah", "t.crah150")
    design.power("src", "ups")
    design.power("ups", "bus")
    for n in (1, 2):
        design.add(f"r{n}", "e.rack130", label=f"R0{n}")
        design.power("bus", f"r{n}", FeedSide.A)
        design.cool("crah", f"r{n}")
    # the busway runs along x at y = 1,000 mm centred on x = 3,000 mm; both racks within its length
    design.project.move_items({"r1": (3000.0, 2500.0), "r2": (4000.0, 5500.0)})
    return design


def test_boxes_carry_rating_load_and_feeds() -> None:
    design = _design()
    results = design.analyze(CATALOG, level=1.0)
    electrical = electrical_figures(design.project, CATALOG, results, profiles=flat_profiles(1.0))
    layout = single_line_layout(design.project, CATALOG.__getitem__, results,
                                hooks=label_hooks(design.project, CATALOG, electrical))
    bus = layout.node("bus")
    # the busway is rated in amps: 400 A at 415 V. It carries both racks, 260 kW at the racks' PF 1.0 =
    # 260 kVA; 260,000 / (sqrt(3) x 415) = 361.7 A
    assert bus.extra_lines[:2] == ("400 A at 415 V", "now 260 kVA, 362 A")
    # its feed from the UPS: design 361.7 A / 0.8 = 452.2 A -> 500 A breaker; a 500 A breaker needs a cable of
    # Iz >= 500 A: 240 mm² carries 538 A (IEC, method E, XLPE copper; 185 mm² 456 A is short). The route from the
    # UPS (x 2,000) to the busway (x 3,000), both at y 1,000: 1,000 mm; 1.0 m x 1.1 + 3 m = 4.1 m -> "4 m"
    assert bus.extra_lines[2] == "in 500 A, 240 mm², 4 m"
    # the UPS is rated in kVA (no amps in its entry)
    assert layout.node("ups").extra_lines[0] == "500 kVA at 415 V"
    # the rack group: 2 x 130 kVA now; 130,000 / (sqrt(3) x 415) = 180.9 A a rack (three-phase);
    # cords 250 A breakers and 95 mm² (hand-worked in test_electrical_hand); runs of 1.5 m and 4.5 m off the
    # axis: 1.5 x 1.1 + 3 = 4.65 m and 4.5 x 1.1 + 3 = 7.95 m -> "5–8 m"
    racks = layout.node(layout.node_of_item["r1"])
    assert racks.extra_lines == ("now 260 kVA; 181 A/rack 3φ", "A: 250 A, 95 mm², 5–8 m")
    # boxes widen to the longest label line, for every box alike (one pitch)
    assert {n.width_mm for n in layout.nodes} == {bus.width_mm} and bus.width_mm > BOX_W_MM


def test_without_electrical_figures_no_lines_are_made_up() -> None:
    design = _design()
    results = design.analyze(CATALOG, level=1.0)
    assert label_hooks(design.project, CATALOG, None) == list(LABEL_HOOKS)
    layout = single_line_layout(design.project, CATALOG.__getitem__, results,
                                hooks=label_hooks(design.project, CATALOG, None))
    assert all(n.extra_lines == () for n in layout.nodes)
    assert {n.width_mm for n in layout.nodes} == {BOX_W_MM}


def test_a_transformer_reads_as_kva_and_ratio() -> None:
    transformer = NodeFigures("x", Role.TRANSFORMER, 415.0, 3, 0.95, 1000.0, 1200.0, 3000.0, 4173.6, None, 11_000.0)
    assert rating_words(transformer, None) == "3,000 kVA 11/0.415 kV"
