"""Roll-ups in level order (``flow.LevelOrder``): the same bits as the roll-up in node order."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse as sp
from analysis.analysis_builders import TEST_CATALOG, campus_analyzer, flat_profiles
from analysis.test_flow_hand import single_rack_on_ups

from designer.analysis import Analyzer
from designer.analysis.flow import (
    Flow,
    FlowNetwork,
    LevelWeights,
    _roll_up_by_node,
    _rows_in_order,
    delta_plan,
    level_weights,
    roll_up,
    roll_up_extra,
    roll_up_into,
)


def _by_node(network: FlowNetwork, demand: np.ndarray, weights: LevelWeights) -> Flow:
    flow = Flow(np.empty(demand.shape), np.zeros(demand.shape))
    _roll_up_by_node(network, demand, weights, flow)
    return flow


def _random_demand(network: FlowNetwork, columns: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    demand = np.zeros((network.n_nodes, columns))
    consumers = np.arange(network.n_components, network.n_nodes)
    demand[consumers] = rng.uniform(0.0, 60.0, size=(consumers.size, columns))
    demand[consumers[::7]] = 0.0  # idle consumers too
    return demand


def test_one_rack_on_a_ups_by_hand() -> None:
    """Utility -> UPS -> rack drawing 80 kW: the UPS (R = 1250 kW) loses 0.012 x 1250 + 0.015 x 80
    + 0.008 x 80 x 80 / 1250 = 15 + 1.2 + 0.04096 = 16.24096 kW, so the utility carries 96.24096 kW,
    rolled up in level order (the weights have a ``LevelOrder``)."""
    design = single_rack_on_ups()
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    compiled = analyzer.compile(design.project, TEST_CATALOG)
    network, weights = compiled.power, compiled.power_weights
    assert weights.order is not None and compiled.cooling_weights.order is not None
    demand = np.zeros((network.n_nodes, 1))
    demand[network.rack_node[0, 0]] = 80.0
    flow = roll_up(network, demand, weights)
    ups, utility = network.component_ids.index("UPS1"), network.component_ids.index("U1")
    assert flow.through_kw[ups, 0] == pytest.approx(80.0)
    assert flow.loss_kw[ups, 0] == pytest.approx(16.24096)
    assert flow.through_kw[utility, 0] == pytest.approx(96.24096)
    assert flow.loss_kw[utility, 0] == 0.0  # the utility loses nothing


def test_a_campus_rolls_up_to_the_bits_of_the_roll_up_by_node() -> None:
    """Random demands on both networks of a small campus: through and losses to the byte, with the
    suppliers of some level out of level order (their weight rows reordered) and in one block."""
    with campus_analyzer(2000) as (project, catalog, analyzer):
        compiled = analyzer.compile(project, catalog)
        reordered = 0
        for k, (network, weights) in enumerate(((compiled.power, compiled.power_weights),
                                                (compiled.cooling, compiled.cooling_weights))):
            order = weights.order
            assert order is not None
            assert all(isinstance(s, slice) for s, m in zip(order.suppliers, order.matrices, strict=True)
                       if m.shape[0])
            reordered += sum(a is not b for a, b in zip(order.matrices, weights.matrices, strict=True))
            for seed, columns in ((k, 24), (k + 10, 1), (k + 20, 5)):
                demand = _random_demand(network, columns, seed)
                got = roll_up(network, demand, weights)
                want = _by_node(network, demand, weights)
                assert got.through_kw.tobytes() == want.through_kw.tobytes()
                assert got.loss_kw.tobytes() == want.loss_kw.tobytes()
        assert reordered  # the campus's power chain has a level whose suppliers are not in level order


def test_roll_up_into_writes_every_row_and_leaves_no_loss_off_the_lossy_levels() -> None:
    """Into arrays holding garbage: every through is written, and losses are zero where no level loses."""
    with campus_analyzer(240) as (project, catalog, analyzer):
        compiled = analyzer.compile(project, catalog)
        network, weights = compiled.power, compiled.power_weights
        demand = _random_demand(network, 24, 3)
        flow = Flow(np.full(demand.shape, np.nan), np.full(demand.shape, 7.0))
        roll_up_into(network, demand, weights, flow)
        want = _by_node(network, demand, weights)
        assert flow.through_kw.tobytes() == want.through_kw.tobytes()
        assert flow.loss_kw.tobytes() == want.loss_kw.tobytes()


def test_levels_that_are_no_partition_roll_up_by_node() -> None:
    """A network whose levels leave a node out gets no ``LevelOrder`` and rolls up as before."""
    with campus_analyzer(240) as (project, catalog, analyzer):
        compiled = analyzer.compile(project, catalog)
        network = compiled.power
        top = network.up_levels[-1]
        cut = dataclasses.replace(network, up_levels=(*network.up_levels[:-1],
                                                      dataclasses.replace(top, nodes=top.nodes[1:])))
        weights = level_weights(cut, compiled.power_shares)
        assert weights.order is None
        demand = _random_demand(cut, 24, 4)
        got = roll_up(cut, demand, weights)
        assert got.through_kw.tobytes() == _by_node(cut, demand, weights).through_kw.tobytes()


def test_reordered_rows_add_their_terms_as_before() -> None:
    """Rows 2, 0, 1 of a matrix with several terms per row: each row's sum to the byte of the original's."""
    rng = np.random.default_rng(9)
    dense = rng.uniform(0.0, 1.0, size=(3, 6)) * (rng.uniform(size=(3, 6)) > 0.3)
    matrix = sp.csr_matrix(dense)
    rows = np.array([2, 0, 1])
    moved = _rows_in_order(matrix, rows)
    x = rng.uniform(0.0, 1000.0, size=(6, 4))
    assert (moved @ x).tobytes() == (matrix @ x)[rows].tobytes()
    assert _rows_in_order(matrix, np.arange(3)) is matrix


def test_extra_demand_on_a_few_nodes_equals_a_roll_up_of_the_sum() -> None:
    """``roll_up_extra`` of 5 kW more on three consumers: the bits of rolling the summed demand up."""
    with campus_analyzer(240) as (project, catalog, analyzer):
        compiled = analyzer.compile(project, catalog)
        network, weights = compiled.power, compiled.power_weights
        demand = _random_demand(network, 24, 6)
        nodes = np.arange(network.n_components, network.n_nodes)[[0, 3, -1]]
        extra = np.full((nodes.size, 24), 5.0)
        flow = roll_up_extra(network, roll_up(network, demand, weights), extra,
                             delta_plan(network, compiled.power_shares, nodes))
        summed = demand.copy()
        summed[nodes] += extra
        want = _by_node(network, summed, weights)
        np.testing.assert_allclose(flow.through_kw, want.through_kw, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(flow.loss_kw, want.loss_kw, rtol=1e-12, atol=1e-9)
