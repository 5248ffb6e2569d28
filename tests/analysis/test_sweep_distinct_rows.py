"""The sweep keeps one of each distinct (base, losses) unit row; the block-wise comparison must pick
exactly the rows the row-by-row comparison picks."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from designer.analysis.sweep import _distinct_sparse_rows


def _case(rng: np.random.Generator, n: int, halls: int, k: int, spanning: bool) -> tuple[np.ndarray, sp.csr_matrix]:
    kinds = rng.integers(0, 3, size=n)  # few kinds, so that rows repeat
    dense = np.array([[1.0, 2.0], [1.0, 2.0], [0.5, -0.0]])[kinds]
    losses = np.zeros((n, halls * k))
    for row in range(n):
        hall = int(rng.integers(0, halls)) if rng.random() < 0.5 else row % halls
        if rng.random() < 0.9:
            losses[row, hall * k:(hall + 1) * k] = np.array([0.25, 0.0, 0.5])[:k] * (1 + kinds[row] % 2)
        if spanning and rng.random() < 0.2:
            losses[row, ((hall + 1) % halls) * k] = 0.125
    if rng.random() < 0.5:
        losses[losses == 0.5] = -0.0  # stored as -0.0: counts as no entry
    return dense, sp.csr_matrix(losses)


def test_block_rows_pick_what_row_by_row_picks() -> None:
    rng = np.random.default_rng(11)
    for trial in range(200):
        dense, losses = _case(rng, int(rng.integers(1, 40)), int(rng.integers(1, 6)), 3, spanning=trial % 3 == 0)
        expected = _distinct_sparse_rows(dense, losses)  # row by row
        assert np.array_equal(_distinct_sparse_rows(dense, losses, 3), expected)
        assert expected.size <= dense.shape[0]
