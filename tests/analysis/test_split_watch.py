"""``capacity.SplitWatch``: a design kW edit rebuilds the scope inventory only when it moves what the
firm capacities read (a split rack's design kW, or whether a directly fed group has any load)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from designer.analysis.capacity import Scopes, SplitWatch


def _scopes() -> Scopes:
    # one hall of four racks: racks 0 and 1 share a supplier with another scope (split), racks 2
    # and 3 are fed straight by one supplier (direct)
    one = np.ones(1)
    return Scopes(("h",), ("hall",), np.zeros((4, 2), dtype=np.int64), sp.csr_matrix(np.ones((1, 4))),
                  4.0 * one, one, one, one, one, one, one, one,
                  split_racks=(np.array([0, 1]),), direct_racks=(np.array([2, 3]),))


def _moved(before: list[float], after: list[float]) -> bool:
    start = np.array(before)
    return SplitWatch.of(_scopes(), start).moved(start, np.array(after))


def test_a_split_rack_moves_the_split_to_the_bit() -> None:
    assert _moved([10.0, 20.0, 0.0, 0.0], [11.0, 20.0, 0.0, 0.0])
    assert _moved([0.0, 20.0, 0.0, 0.0], [-0.0, 20.0, 0.0, 0.0])  # another bit pattern, as the bytes were compared
    assert not _moved([10.0, 20.0, 0.0, 0.0], [10.0, 20.0, 0.0, 0.0])


def test_a_direct_group_moves_only_when_it_gains_or_loses_all_its_load() -> None:
    assert _moved([10.0, 20.0, 0.0, 0.0], [10.0, 20.0, 5.0, 0.0])  # all zero -> some load: equal weights end
    assert not _moved([10.0, 20.0, 5.0, 0.0], [10.0, 20.0, 5.0, 7.0])  # had load, still has
    assert _moved([10.0, 20.0, 5.0, 0.0], [10.0, 20.0, 0.0, 0.0])  # loses its only load
