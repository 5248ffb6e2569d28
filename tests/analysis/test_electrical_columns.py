"""The electrical figures' columns (arrays, optional and coded columns) read as the per-feed figures did."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from analysis.analysis_builders import Design, flat_profiles
from analysis.test_electrical_hand import CATALOG  # the hand-worked tests' sources, busway, RPP and racks

from designer.analysis.conductors import bundled_conductor_tables
from designer.analysis.electrical import FeedFigures, NodeFigures, electrical_figures, item_figures
from designer.analysis.electrical_plan import clear_plan_cache, plan_for
from designer.analysis.electrical_rows import CodedColumn, FigureRows, OptionalColumn, column_list
from designer.model import WorkloadClass
from designer.model.types import FeedSide, Phase

PROFILES = flat_profiles(1.0)


def _two_fed_racks() -> Design:
    """A 130 kW three-phase rack fed A from a busway and B from an RPP (2N), a 10 kW single-phase rack on the
    RPP alone, and a CRAH on the source (its draw estimated)."""
    design = Design()
    for item_id, catalog_id in (("src", "e.source"), ("bus", "e.busway"), ("rpp", "e.rpp"), ("big", "e.rack130"),
                                ("small", "e.rack1ph"), ("crah", "t.crah150")):
        design.add(item_id, catalog_id)
    design.power("src", "bus")
    design.power("src", "rpp")
    design.power("bus", "big", FeedSide.A)
    design.power("rpp", "big", FeedSide.B)
    design.power("rpp", "small")
    design.power("src", "crah")
    design.cool("crah", "big")
    design.cool("crah", "small")
    design.project.update_items([dataclasses.replace(design.project.items["small"], phase=Phase.L1)])
    return design


def test_optional_and_coded_columns_hand_over_python_values() -> None:
    optional = OptionalColumn(np.array([250.0, 0.0, 63.0]), np.array([True, False, True]))
    assert [optional[i] for i in range(3)] == [250.0, None, 63.0]
    assert optional.tolist() == [250.0, None, 63.0] and optional.tolist(1, 3) == [None, 63.0]
    assert optional[0:2] == [250.0, None]
    assert type(optional[0]) is float
    assert np.isnan(optional.with_nan()[1]) and optional.with_nan()[2] == 63.0
    coded = CodedColumn(np.array([2, 0, 1], dtype=np.int32), ["", "95 mm²", "2 x 240 mm²"])
    assert [coded[i] for i in range(3)] == ["2 x 240 mm²", "", "95 mm²"] and coded[1:] == ["", "95 mm²"]
    assert coded.tolist() == ["2 x 240 mm²", "", "95 mm²"]
    assert coded.rows_of("95 mm²").tolist() == [2] and coded.rows_of("4 mm²").tolist() == []
    rows = FigureRows(lambda a, b, c: (a, b, c), (optional, coded, np.array([3, 1, 3], dtype=np.int8)))
    # the rows a tuple of lists made: Python float/None, str and int (not numpy scalars)
    assert repr(rows) == "((250.0, '2 x 240 mm²', 3), (None, '', 1), (63.0, '95 mm²', 3))"
    assert [type(v) for v in rows[2]] == [float, str, int]
    assert column_list(optional) == [250.0, None, 63.0] and column_list(coded) == ["2 x 240 mm²", "", "95 mm²"]
    with pytest.raises(ValueError, match="2 values for 3 flags"):
        OptionalColumn(np.zeros(2), np.zeros(3, dtype=bool))
    # longer than its values: the rows past them read None (the racks after the power parts)
    short = OptionalColumn(np.array([400.0, 0.0]), np.array([True, False]), 5)
    assert len(short) == 5 and [short[i] for i in range(5)] == [400.0, None, None, None, None]
    assert short[-5] == 400.0 and short.tolist(0, 1) == [400.0] and short.tolist(1, 4) == [None, None, None]
    assert short.tolist(3) == [None, None] and short[0:2] == [400.0, None]
    assert np.isnan(short.with_nan()[1:]).all() and len(short.with_nan()) == 5
    with pytest.raises(IndexError):
        short[5]


def test_the_columns_of_a_hand_built_design_give_its_hand_worked_feeds() -> None:
    design = _two_fed_racks()
    results = design.analyze(CATALOG, level=1.0)
    clear_plan_cache()
    figures = electrical_figures(design.project, CATALOG, results, profiles=PROFILES)
    feeds = {(f.source_id, f.target_id): f for f in figures.feeds}
    a, b = feeds[("bus", "big")], feeds[("rpp", "big")]
    # 2N: each cord carries the whole rack with its partner lost: 130 kW at PF 1 on 415 V three-phase =
    # 130,000 / (sqrt(3) x 415) = 180.86 A -> / 0.8 = 226.1 A -> a 250 A breaker, 95 mm² (298 A; 70 mm² 246 A)
    for feed in (a, b):
        assert feed.design_kw == 130.0 and feed.design_a == pytest.approx(180.86, abs=0.01)
        assert (feed.breaker_a, feed.cable, feed.cable_parallel, feed.phases) == (250.0, "95 mm²", 1, 3)
        assert feed.ampacity_a == 298.0 and feed.cable_area_mm2 == 95.0
        # normal running: half the rack on each side, 130 / 2 = 65 kW
        assert feed.load_kw == 65.0
    small = feeds[("rpp", "small")]
    # 10 kW on one phase at 415 / sqrt(3) = 239.6 V: 10,000 / 239.6 = 41.74 A -> / 0.8 = 52.2 A -> 63 A breaker
    assert small.phases == 1 and small.design_a == pytest.approx(41.74, abs=0.01) and small.breaker_a == 63.0
    crah = feeds[("src", "crah")]
    assert crah.estimated_load and isinstance(crah.estimated_load, bool)
    # every field as the one-by-one figures (``item_figures``: a dataclass per feed, no columns) give it,
    # of the very same Python types
    for target_id in ("bus", "rpp", "big", "small", "crah"):
        node, one_by_one = item_figures(design.project, CATALOG, results, target_id)
        from_columns = sorted(figures.feeds_of(target_id), key=lambda f: f.connection_id)
        assert from_columns == sorted(one_by_one, key=lambda f: f.connection_id) and from_columns
        for mine, theirs in zip(from_columns, sorted(one_by_one, key=lambda f: f.connection_id), strict=True):
            assert repr(mine) == repr(theirs)
        assert node == figures.node(target_id) and repr(node) == repr(figures.node(target_id))
    # a part without a breaker or amp rating reads None, as the dataclass held it
    rack = figures.node("big")
    assert rack is not None and rack.rated_a is None and rack.rated_kva is None and rack.primary_voltage_v is None
    bus = figures.node("bus")
    assert bus is not None and bus.rated_a == 400.0 and bus.rated_kva == 287.5


def test_the_figures_hold_numbers_in_arrays_not_python_objects() -> None:
    design = _two_fed_racks()
    figures = electrical_figures(design.project, CATALOG, design.analyze(CATALOG, level=1.0), profiles=PROFILES)
    feeds, nodes = figures.feeds, figures.nodes
    assert isinstance(feeds, FigureRows) and isinstance(nodes, FigureRows)
    names = [f.name for f in dataclasses.fields(FeedFigures)]
    # every number and flag of a feed: a numpy array, or a column of a few values coded by a small integer
    for index, name in enumerate(names[4:], start=4):
        column = feeds.column(index)
        assert isinstance(column, (np.ndarray, OptionalColumn, CodedColumn)), name
    node_names = [f.name for f in dataclasses.fields(NodeFigures)]
    for index in (2, 3, 4, 5, 6, 7, 8, 10):
        assert isinstance(nodes.column(index), (np.ndarray, OptionalColumn)), node_names[index]


def test_a_later_call_leaves_the_earlier_figures_as_they_were() -> None:
    """The kept sizing is replaced, never written in place: the last figures hold its arrays as their columns."""
    design = _two_fed_racks()
    full = design.analyze(CATALOG, level=1.0)
    low = design.analyze(CATALOG, level=0.3)
    clear_plan_cache()
    first = electrical_figures(design.project, CATALOG, full, profiles=PROFILES)  # no row read yet
    second = electrical_figures(design.project, CATALOG, low, profiles=PROFILES)  # the same plan, resized
    clear_plan_cache()
    cold = electrical_figures(design.project, CATALOG, full, profiles=PROFILES)
    assert first == cold and repr(first) == repr(cold)
    # the source's feeds carry the parts' loads (and so current and drop) at the hour: the calls did differ
    assert [f.voltage_drop for f in first.feeds] != [f.voltage_drop for f in second.feeds]


def test_a_workload_edit_redoes_that_racks_swing_with_the_plan_kept() -> None:
    design = _two_fed_racks()
    results = design.analyze(CATALOG, level=1.0)
    clear_plan_cache()
    before = electrical_figures(design.project, CATALOG, results, profiles=PROFILES)
    settings = design.project.settings
    table = bundled_conductor_tables()[(settings.cable_standard, settings.conductor_material)]
    plan = plan_for(design.project, CATALOG, table)
    big = design.project.items["big"]
    # a load field only (the plan is kept): the 130 kW training rack becomes general purpose
    design.project.update_items([dataclasses.replace(big, workload=WorkloadClass.GENERAL)])
    edited = design.analyze(CATALOG, level=1.0)
    kept = electrical_figures(design.project, CATALOG, edited, profiles=PROFILES)
    reused = plan_for(design.project, CATALOG, table) is plan
    clear_plan_cache()
    cold = electrical_figures(design.project, CATALOG, edited, profiles=PROFILES)
    assert reused and kept == cold and kept.swings == cold.swings
    # the swing counted the one 130 kW training rack before, no rack after
    assert (before.swings[0].training_racks, before.swings[0].training_nameplate_kw) == (1, 130.0)
    assert (kept.swings[0].training_racks, kept.swings[0].training_nameplate_kw) == (0, 0.0)
