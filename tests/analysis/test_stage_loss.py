"""Stage losses of a roll-up level (``flow.stage_loss_into``): the terms a level has, to the bit."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from designer.analysis.flow import stage_loss_into


def _network(fixed: list[float], proportional: list[float], square: list[float]) -> Any:
    return SimpleNamespace(fixed_loss_kw=np.array(fixed), proportional_loss=np.array(proportional),
                           square_loss_per_kw=np.array(square))


def test_each_term_by_hand() -> None:
    """At 10 kW through: a = 1 kW, b = 0.1, c = 0.01 /kW gives 1 + 0.1 x 10 + 0.01 x 10 x 10 = 3 kW; a
    node with the square term alone (0.02 /kW) 0.02 x 100 = 2 kW; with the proportional alone (0.05)
    0.5 kW; with the fixed alone (4 kW) 4 kW whatever the load."""
    passed = np.full((1, 2), 10.0)
    out, spare = np.empty((1, 2)), np.empty((1, 2))
    nodes = np.array([0])
    assert stage_loss_into(_network([1.0], [0.1], [0.01]), nodes, passed, out, spare).tolist() == [[3.0, 3.0]]
    assert stage_loss_into(_network([0.0], [0.0], [0.02]), nodes, passed, out, spare,
                           (False, False, True)).tolist() == [[2.0, 2.0]]
    assert stage_loss_into(_network([0.0], [0.05], [0.0]), nodes, passed, out, spare,
                           (False, True, False)).tolist() == [[0.5, 0.5]]
    assert stage_loss_into(_network([4.0], [0.0], [0.0]), nodes, passed, out, spare,
                           (True, False, False)).tolist() == [[4.0, 4.0]]


def test_leaving_out_the_terms_a_level_lacks_gives_the_whole_formulas_bits() -> None:
    """Random loads (0 included) and coefficients with some terms zero on every node: each way of
    leaving out the absent terms gives the bytes of ``fixed + proportional * P + square * P * P``."""
    rng = np.random.default_rng(7)
    passed = rng.uniform(0.0, 900.0, size=(50, 24))
    passed[3] = 0.0
    nodes = np.arange(50)
    for terms in [(a, b, c) for a in (False, True) for b in (False, True) for c in (False, True)]:
        coefficients = [rng.uniform(0.0, 2.0, 50) * scale * has
                        for has, scale in zip(terms, (1.0, 0.05, 1e-4), strict=True)]
        network = _network(*[c.tolist() for c in coefficients])
        whole = (network.fixed_loss_kw[:, None] + network.proportional_loss[:, None] * passed
                 + network.square_loss_per_kw[:, None] * passed * passed)
        got = stage_loss_into(network, nodes, passed, np.empty_like(passed), np.empty_like(passed), terms)
        assert got.tobytes() == whole.tobytes(), terms
