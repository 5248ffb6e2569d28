"""What the failure and maintenance-pair structures keep for the window's life (issue 16, idle-pass memory)."""

from __future__ import annotations

import numpy as np
from analysis.analysis_builders import flat_profiles
from analysis.test_maintenance_hand import CATALOG, two_n

from designer.analysis import Analyzer
from designer.analysis.failures import failure_structure
from designer.analysis.maintenance import classes_only, pair_structure


def _power(design):  # type: ignore[no-untyped-def]
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    return analyzer.compile(design.project, CATALOG).power


def test_pair_structure_keeps_only_the_pairs_that_cut_a_rack_off() -> None:
    # 2N: UA -> UPSA -> R (A), UB -> UPSB -> R (B). R has 4 components upstream: C(4, 2) = 6 pairs. A pair
    # cuts R off when it takes one part of each side: 2 x 2 = 4 ({UA|UPSA} x {UB|UPSB}); the 2 same-side
    # pairs leave the other side's path (1 path, not 0), so they are not kept
    power = _power(two_n())
    structure = pair_structure(power, classes_only(power, np.ones(power.n_nodes, dtype=bool)))
    ids = power.component_ids
    kept = {tuple(sorted((ids[a], ids[b]))) for a, b in zip(structure.first.tolist(), structure.second.tolist(),
                                                           strict=True)}
    assert kept == {("UA", "UB"), ("UA", "UPSB"), ("UB", "UPSA"), ("UPSA", "UPSB")}
    assert structure.first.size == 4 and not structure.paths.any() and not structure.alone.any()


def test_failure_structure_keeps_int32_indices_and_no_loss_terms_but_the_fixed() -> None:
    power = _power(two_n())
    s = failure_structure(power)
    for name in ("case", "node", "edge", "edge_supplier", "edge_consumer", "components", "dead_consumers"):
        assert getattr(s, name).dtype == np.int32, name
    assert all(rows.dtype == np.int32 and suppliers.dtype == np.int32 for rows, suppliers, _ in s.levels)
    assert len(s.level_fixed) == len(s.levels)
    # the narrowed indices are the wide ones' values: each expanded edge's consumer is its edge's target
    assert np.array_equal(s.edge_consumer, power.edge_target[s.edge])
    # a loss term is added on a level only where one of its nodes has it (otherwise it adds exactly +0.0)
    for (rows, _, _), (has_p, has_s) in zip(s.levels, s.level_terms, strict=True):
        assert has_p == bool(np.any(power.proportional_loss[s.node[rows]]))
        assert has_s == bool(np.any(power.square_loss_per_kw[s.node[rows]]))
