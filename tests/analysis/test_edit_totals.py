"""Sums over every rack that an edit redoes in part only, and must still give a cold analysis's bits.

The day's IT and liquid heat totals are summed by blocks of racks (``day_state.TOTAL_BLOCK``), the
blocks' sums then added; an edit redoes only its racks' blocks. The served design kW with the density
factor is kept and worked out again at the edited racks only.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from designer.analysis import Analyzer, day_state, evaluation
from designer.analysis.day_state import DayState, _take_coefficient
from designer.analysis.loads import AI_INDEX
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.model.catalog import merged_catalog
from tests.analysis.analysis_builders import campus_analyzer
from tests.analysis.test_day_state import _check_sequence, _racks


def test_edits_with_small_total_blocks_give_a_cold_analysis_bit_for_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    """37 racks a block: 600 racks make 17 blocks, the last of 8 racks; the edits (first, middle and
    last rack, every 11th rack, a class change, a removal and an addition) each reach other blocks."""
    monkeypatch.setattr(day_state, "TOTAL_BLOCK", 37)
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    _check_sequence(project, merged_catalog(catalog, project.custom_catalog))


def test_a_design_kw_edit_redoes_only_its_block_of_the_totals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(day_state, "TOTAL_BLOCK", 50)
    with campus_analyzer(600) as (project, merged, analyzer):
        state = analyzer._day
        assert isinstance(state, DayState) and state.split is not None
        split = state.split
        assert split.block_fixed is not None and split.block_ai is not None
        assert split.block_fixed.shape[0] == 12  # 600 racks / 50 a block
        before_fixed, before_ai = split.block_fixed.copy(), split.block_ai.copy()
        racks = _racks(project, analyzer, merged)
        index = next(i for i in range(120, 150) if state.workload[i] != AI_INDEX)  # block 2 or 3
        rack = project.items[racks[index]]
        design = float(state.design_kw[index])
        project.update_items([replace(rack, design_kw=design + 10.0)])
        analyzer.analyze(project, merged, failures=False)
        assert analyzer._day is state
        block = index // 50
        others = [b for b in range(12) if b != block]
        assert np.array_equal(split.block_fixed[others], before_fixed[others])
        assert np.array_equal(split.block_ai, before_ai)  # not an ai rack: the ai part stands
        # the block's IT row rose by 10 kW x the rack's utilisation row (its IT row is design x utilisation)
        utilisation = state.utilisation[state.workload[index]]
        np.testing.assert_allclose(split.block_fixed[block, 0] - before_fixed[block, 0], 10.0 * utilisation,
                                   rtol=1e-9, atol=1e-9)
        # and the totals are still the whole sums, to rounding
        np.testing.assert_allclose(split.it_fixed[0], (split.totals[0][:, None] * state.rack_it).sum(axis=0),
                                   rtol=1e-12)


def test_the_kept_served_coefficient_follows_edits_and_density() -> None:
    """Worked out again at the edited racks only, it equals the whole array worked out anew."""
    with campus_analyzer(240) as (project, merged, analyzer):
        racks = _racks(project, analyzer, merged)
        project.update_items([replace(project.items[r], design_kw=44.0) for r in racks[::13]])
        analyzer.analyze(project, merged, failures=False)
        state = analyzer._day
        assert isinstance(state, DayState) and state.coefficient is not None
        kept = state.coefficient.copy()
        assert np.array_equal(kept, _take_coefficient(state, None))
        edited = np.arange(0, len(racks), 13)  # the racks' rows follow the topology's rack order
        other, edited_ai = edited[state.workload[edited] != AI_INDEX], edited[state.workload[edited] == AI_INDEX]
        assert other.size and edited_ai.size
        assert np.all(kept[other, 0] == 44.0)  # served, not ai: the design kW itself
        # a density change reaches every ai rack: 44 kW x 1.5 on the edited ai racks
        state.density = 1.5
        _take_coefficient(state, np.flatnonzero(state.workload == AI_INDEX))
        assert np.all(state.coefficient[edited_ai, 0] == 44.0 * 1.5)
        assert np.all(state.coefficient[other, 0] == 44.0)
        assert np.array_equal(state.coefficient, _take_coefficient(state, None))


def test_a_move_keeps_the_rack_table_and_an_override_only_its_column() -> None:
    """``compiled_caches.update_racks`` keeps what an edit leaves as it was, so the caches keyed on the
    table's columns (identity first) stand; what it changes it changes."""
    with campus_analyzer(240) as (project, merged, analyzer):
        table = analyzer.compile(project, merged).rack_table
        assert table is not None
        racks = _racks(project, analyzer, merged)
        rack = project.items[racks[5]]
        project.move_items({rack.id: (rack.x_mm + 1.0, rack.y_mm)})  # within its hall: no field moves
        assert analyzer.compile(project, merged).rack_table is table
        design = float(table.design_kw[5])
        project.update_items([replace(project.items[rack.id], design_kw=design + 7.0)])
        after = analyzer.compile(project, merged).rack_table
        assert after is not None and after is not table
        assert after.design_kw is not table.design_kw and after.design_kw[5] == design + 7.0
        assert np.array_equal(np.delete(after.design_kw, 5), np.delete(table.design_kw, 5))
        assert table.design_kw[5] == design  # the old table's column was not written
        for name in ("workload", "liquid_fraction", "weight_kg", "floor_rating_kg_m2"):
            assert getattr(after, name) is getattr(table, name), name
        project.update_items([replace(project.items[rack.id], liquid_fraction=0.25)])
        last = analyzer.compile(project, merged).rack_table
        assert last is not None and last.liquid_fraction is not after.liquid_fraction
        assert last.liquid_fraction[5] == 0.25 and last.design_kw is after.design_kw


def test_edits_with_small_loss_blocks_give_a_cold_analysis_bit_for_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    """16 power components a block: the edits reach a few blocks of many."""
    monkeypatch.setattr(evaluation, "LOSS_BLOCK", 16)
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    _check_sequence(project, merged_catalog(catalog, project.custom_catalog))


def test_the_loss_totals_are_the_chain_losses_and_an_edit_redoes_few_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluation, "LOSS_BLOCK", 16)
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        results = analyzer.analyze(project, merged, failures=False)
        compiled = analyzer.compile(project, merged)
        power, pc = compiled.power, compiled.power.n_components
        losses = analyzer._losses
        assert losses is not None and losses.blocks.shape[0] == -(-pc // 16)
        state = analyzer._day
        assert isinstance(state, DayState)
        # the fed losses: every component's, the cooling units' load on the chain included
        fed = state.fed_flow.loss_kw[:pc]
        np.testing.assert_allclose(results.electrical_loss_kw, fed.sum(axis=0), rtol=1e-12)
        assert compiled.feeds is not None and losses.plan.size  # the campus feeds its cooling from the chain
        # off the plan, the fed and the racks-only losses are one array: the blocks are its sums
        off = np.ones(pc, dtype=bool)
        off[losses.plan] = False
        np.testing.assert_allclose(losses.total[0], fed[off].sum(axis=0), rtol=1e-12)
        np.testing.assert_allclose(losses.total[1], fed[off & power.indoor[:pc]].sum(axis=0), rtol=1e-12)
        before = losses.blocks.copy()
        racks = _racks(project, analyzer, merged)
        rack = project.items[racks[100]]
        project.update_items([replace(rack, design_kw=float(state.design_kw[100]) + 20.0)])
        after = analyzer.analyze(project, merged, failures=False)
        assert analyzer._losses is losses
        moved = np.flatnonzero(~(losses.blocks == before).all(axis=(1, 2)))
        # 20 kW more reaches the rack's stages up the chain: some blocks move, most stand
        assert 0 < moved.size < losses.blocks.shape[0] // 2
        assert float(after.electrical_loss_kw.max()) > float(results.electrical_loss_kw.max())
    finally:
        analyzer.close()


def test_the_edges_of_a_few_nodes_are_those_isin_picks_in_edge_order() -> None:
    """``fed_day`` finds a class's suppliers and their edges through an index by node instead of two
    ``np.isin`` over every edge; the same edges, each node's in edge order (so a bincount adds them
    as the whole one does)."""
    from designer.analysis.day_state import _edge_index, _edges_of

    rng = np.random.default_rng(3)
    sources = rng.integers(0, 40, size=300)
    index = _edge_index(sources, 50)  # nodes 40-49 have no edges
    for _ in range(50):
        nodes = np.unique(rng.integers(0, 50, size=int(rng.integers(0, 8))))
        edges, local = _edges_of(index, nodes, local=True)
        expected = np.flatnonzero(np.isin(sources, nodes))
        assert np.array_equal(np.sort(edges), expected)
        assert np.array_equal(sources[edges], nodes[local])
        for k, node in enumerate(nodes.tolist()):  # node by node, each in edge order
            assert np.array_equal(edges[local == k], np.flatnonzero(sources == node))
        weights = rng.uniform(size=300)
        assert np.array_equal(np.bincount(local, weights=weights[edges], minlength=nodes.size),
                              np.bincount(sources, weights=weights, minlength=50)[nodes])


def test_the_kept_floor_loading_follows_a_weight_override() -> None:
    """The floor loading and its findings are kept while the weights stand; a weight override makes
    a rack heavy (a finding naming it) and taking it back clears it."""
    catalog = load_catalog(include_user=False)
    project = build_campus(240, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        first = analyzer.analyze(project, merged, failures=False)
        again = analyzer.analyze(project, merged, failures=False)
        assert again.rack_floor_kg_m2 is first.rack_floor_kg_m2  # kept: the same read-only array
        assert not any(f.code == "floor_overload" for f in first.findings)
        table = analyzer.compile(project, merged).rack_table
        assert table is not None
        racks = _racks(project, analyzer, merged)
        rack = project.items[racks[7]]
        footprint, rating = float(table.footprint_m2[7]), float(table.floor_rating_kg_m2[7])
        assert footprint > 0 and np.isfinite(rating)
        heavy = 2.0 * rating * footprint  # twice what the floor takes under its footprint
        project.update_items([replace(rack, weight_kg=heavy)])
        after = analyzer.analyze(project, merged, failures=False)
        assert after.rack_floor_kg_m2[7] == heavy / footprint
        assert [f.item_ids for f in after.findings if f.code == "floor_overload"] == [(rack.id,)]
        project.update_items([rack])
        back = analyzer.analyze(project, merged, failures=False)
        assert np.array_equal(back.rack_floor_kg_m2, first.rack_floor_kg_m2)
        assert not any(f.code == "floor_overload" for f in back.findings)
    finally:
        analyzer.close()


def test_capacity_findings_from_the_rated_state_codes_are_the_same() -> None:
    """The analysis hands ``capacity_findings`` the state codes it puts in the results (an unrated
    component coded 0): the findings are those of its own codes."""
    from designer.analysis.capacity import capacity_findings, state_codes, utilization

    ids = ("a", "b", "c", "d")
    capacity = np.array([10.0, 10.0, 10.0, 0.0])
    # a 12/10 = 1.2 over; b 9/10 = 0.9 above the 0.8 derating; c 0.5 ok; d unrated: utilisation 0
    util = utilization(np.array([12.0, 9.0, 5.0, 7.0]), capacity)
    codes = state_codes(util, 0.8, capacity > 0)
    assert codes.tolist() == [3, 2, 1, 0]
    given, own = capacity_findings(ids, util, 0.8, codes), capacity_findings(ids, util, 0.8)
    assert given == own
    assert [(f.code, f.item_ids) for f in own] == [("over_capacity", ("a",)), ("above_derating", ("b",))]


def test_refresh_fed_reuses_the_racks_only_copies_and_reads_again_the_rewritten_rows() -> None:
    """After an edit, ``refresh_fed`` keeps the plan rows' racks-only copies ``unfeed`` put back and
    reads again only the rows the update rewrote: the copies are the same arrays and hold exactly
    the racks-only roll-up's values (those a cold analysis holds before its refresh)."""
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer, cold = Analyzer(), Analyzer()
    try:
        analyzer.analyze(project, merged, failures=False)
        state = analyzer._day
        assert isinstance(state, DayState) and state.racks_only is not None and state.plan_rows.size
        through, loss, _demand = state.racks_only
        before = through.copy()
        racks = _racks(project, analyzer, merged)
        rack = project.items[racks[300]]
        project.update_items([replace(rack, design_kw=float(state.design_kw[300]) + 25.0)])
        analyzer.analyze(project, merged, failures=False)
        assert analyzer._day is state and state.racks_only is not None
        assert state.racks_only[0] is through and state.racks_only[1] is loss  # reused, not gathered anew
        # the rack's stages up the chain moved, some of them on the plan: the copies follow them
        assert not np.array_equal(through, before)
        cold.analyze(project, merged, failures=False)
        cold_state = cold._day
        assert isinstance(cold_state, DayState) and cold_state.racks_only is not None
        assert np.array_equal(cold_state.plan_rows, state.plan_rows)
        assert np.array_equal(through, cold_state.racks_only[0]) and np.array_equal(loss, cold_state.racks_only[1])
    finally:
        analyzer.close()
        cold.close()
