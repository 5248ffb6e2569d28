"""The halls' loss heat summed by (row, hall) pair (``analysis.loss_pairs``), worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from designer.analysis.loss_pairs import add_rows, hall_runs, pair_sums, spread, take_sums

# Three racks: rack 0 (ai) and rack 1 in hall 0, rack 2 in hall 1. Two cooling nodes: node 0 cools
# racks 0 and 2 (one in each hall), node 1 cools rack 1.
RACK_HALL = np.array([0, 0, 1])
AI = np.array([True, False, False])
MATRIX = sp.csr_matrix(np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]))
AIR_HEAT = np.array([[99.0, 99.0], [2.0, 4.0], [3.0, 3.0]])  # rack 0's row is never read: it is ``ai``
AI_WEIGHT = np.array([[10.0], [0.0], [0.0]])  # rack 0: air weight x design kW = 10 kW
PER_AIR = np.array([[0.1, 0.2], [1.0, 0.0]])  # (halls, hours) loss per kW of air heat


def test_pairs_sum_each_rows_racks_by_hall_and_carry_their_halls_losses() -> None:
    """Pairs in (row, hall) order: (0, hall 0) = rack 0, (0, hall 1) = rack 2, (1, hall 0) = rack 1.

    At u = (0.5, 1.0): air of (0, 0) = 0 + 10 x u = (5, 10); of (0, 1) = rack 2's (3, 3); of (1, 0) =
    rack 1's (2, 4). Loss = air x per_air of the pair's hall: (0.5, 2.0), (3.0, 0.0), (0.2, 0.8); node 0
    sums its two pairs: (3.5, 2.0), node 1 (0.2, 0.8), as summing the racks' own loss heat gives
    (rack 0: (5, 10) x (0.1, 0.2); rack 2: (3, 3) x (1, 0); rack 1: (2, 4) x (0.1, 0.2))."""
    sums = pair_sums(MATRIX, RACK_HALL, 2, AI, 2)
    assert sums.rows.tolist() == [0, 0, 1] and sums.halls.tolist() == [0, 1, 0]
    take_sums(sums, AIR_HEAT, AI_WEIGHT, np.array([0.5, 1.0]))
    spread(sums, PER_AIR)
    assert sums.air.tolist() == [[5.0, 10.0], [3.0, 3.0], [2.0, 4.0]]
    np.testing.assert_allclose(sums.loss, [[0.5, 2.0], [3.0, 0.0], [0.2, 0.8]], rtol=1e-15)
    np.testing.assert_allclose(sums.to_rows @ sums.loss, [[3.5, 2.0], [0.2, 0.8]], rtol=1e-15)


def test_a_share_move_redoes_only_the_ai_part_and_a_rack_edit_only_its_pairs() -> None:
    """u moves to (1, 0) with the other racks' air heat left standing (None): pair (0, 0) becomes
    10 x (1, 0) = (10, 0), the others keep theirs. Then rack 1's air heat becomes (6, 6) and only its
    pair (1, hall 0) is taken again: (6, 6); rack 2's pair keeps (3, 3) although its row of the
    array given changed too (it was not asked for)."""
    sums = pair_sums(MATRIX, RACK_HALL, 2, AI, 2)
    take_sums(sums, AIR_HEAT, AI_WEIGHT, np.array([0.5, 1.0]))
    take_sums(sums, None, AI_WEIGHT, np.array([1.0, 0.0]))
    assert sums.air.tolist() == [[10.0, 0.0], [3.0, 3.0], [2.0, 4.0]]
    edited = AIR_HEAT.copy()
    edited[1] = 6.0
    edited[2] = 7.0
    pairs = sums.pairs_of(np.array([1]))
    assert pairs.tolist() == [2]
    take_sums(sums, edited, AI_WEIGHT, np.array([1.0, 0.0]), pairs)
    assert sums.air.tolist() == [[10.0, 0.0], [3.0, 3.0], [6.0, 6.0]]
    spread(sums, PER_AIR, pairs)
    np.testing.assert_allclose(sums.loss[2], [0.6, 1.2], rtol=1e-15)


def test_hall_runs_cut_the_racks_into_runs_of_one_hall() -> None:
    """Racks in halls 0, 0, 1, 1, 1, 0: three runs, of hall 0 (2 racks), hall 1 (3) and hall 0 (1)
    again; repeating the runs' halls by their lengths gives the racks' halls back."""
    rack_hall = np.array([0, 0, 1, 1, 1, 0])
    halls, lengths = hall_runs(rack_hall)
    assert halls.tolist() == [0, 1, 0] and lengths.tolist() == [2, 3, 1]
    assert np.repeat(halls, lengths).tolist() == rack_hall.tolist()
    empty = hall_runs(np.zeros(0, dtype=np.int64))
    assert empty[0].size == 0 and empty[1].size == 0


def test_the_rows_loss_heat_goes_on_their_base_and_a_row_without_pairs_keeps_its_own() -> None:
    """A third node with no rack: its row is the base's, untouched (its -0.0 keeps its sign: no zero
    was added to it). Node 0: base (1, 1) + (3.5, 2.0) = (4.5, 3.0); node 1: (2, 2) + (0.2, 0.8). Asking
    for rows 1 and 2 only rewrites those from the base: row 0 keeps what the output held."""
    matrix = sp.csr_matrix(np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]))
    sums = pair_sums(matrix, RACK_HALL, 2, AI, 2)
    assert sums.with_pairs.tolist() == [0, 1]
    take_sums(sums, AIR_HEAT, AI_WEIGHT, np.array([0.5, 1.0]))
    spread(sums, PER_AIR)
    base = np.array([[1.0, 1.0], [2.0, 2.0], [-0.0, 5.0]])
    out = np.full((3, 2), 7.0)
    add_rows(sums, base, out)
    np.testing.assert_allclose(out[:2], [[4.5, 3.0], [2.2, 2.8]], rtol=1e-15)
    assert out[2].tobytes() == base[2].tobytes()
    out = np.full((3, 2), 7.0)
    add_rows(sums, base, out, np.array([1, 2]))
    assert out[0].tolist() == [7.0, 7.0]
    np.testing.assert_allclose(out[1], [2.2, 2.8], rtol=1e-15)
    assert out[2].tobytes() == base[2].tobytes()


def test_rack_loss_heat_by_blocks_is_each_racks_air_heat_times_its_halls_per_air(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Racks 0, 1 in hall 0, rack 2 in hall 1, rack 3 in hall 0 again (three runs); weights (1, 0.5, 2, 0);
    IT rows (10, 20), (4, 4), (3, 1), (7, 7); per_air hall 0 (0.1, 0.2), hall 1 (1, 0).
    Rack 0: (10, 20) x (0.1, 0.2) = (1, 4); rack 1: (2, 2) x (0.1, 0.2) = (0.2, 0.4);
    rack 2: (6, 2) x (1, 0) = (6, 0); rack 3: weight 0 -> (0, 0). The same bits with blocks of 1, 3 and
    4,096 racks, and as the whole-array product."""
    from designer.analysis import loss_pairs

    weight = np.array([1.0, 0.5, 2.0, 0.0])
    rack_it = np.array([[10.0, 20.0], [4.0, 4.0], [3.0, 1.0], [7.0, 7.0]])
    rack_hall = np.array([0, 0, 1, 0])
    state = loss_pairs.HallLossState(weight, np.zeros((4, 2)), np.zeros(4, dtype=bool), None,  # type: ignore[arg-type]
                                     None, np.zeros((2, 2)), PER_AIR, np.zeros((2, 2)),
                                     sp.csr_matrix((0, 2)), hall_runs(rack_hall))
    whole = (weight[:, None] * rack_it) * PER_AIR[rack_hall]
    np.testing.assert_allclose(whole, [[1.0, 4.0], [0.2, 0.4], [6.0, 0.0], [0.0, 0.0]], rtol=1e-15)
    for block in (1, 3, 4096):
        monkeypatch.setattr(loss_pairs, "RACK_BLOCK", block)
        got = loss_pairs.rack_loss_heat(state, rack_it)
        assert got.dtype == np.float64 and got.tobytes() == whole.tobytes(), block
