"""The halls' indoor losses on the racks' air heat, summed by (row, hall) pairs so that a share move touches no rack.

``air_side.hall_loss_heat`` spreads each hall's indoor electrical losses over its air-cooled racks in
proportion to their air heat that hour: a rack carries ``air_heat x per_air[hall]``, ``per_air`` the
hall's losses over its racks' air heat. Whatever sums those racks' loss heat (a cooling node's air
demand, a scope's loss heat) sums, for each hall its racks stand in, that hall's ``per_air`` times the
air heat of its racks in the sum. So the kept analysis sums the air heat by (row, hall) pair (a few
thousand pairs at 50,000 racks, against 50,000 x 24 rack values) and multiplies each pair by its hall's
``per_air``: ``PairSums``.

The pairs' air heat is summed in two parts by class, as the consumers' demand (``day_state.ClassSplit``):
the other racks' air heat, plus the ``ai`` racks' air weight x design kW (with the density factor)
times the ``ai`` utilisation row. A share move so redoes only pair-sized products. The cold analysis
sums the same way, so a kept analysis gives its bits (``tests/analysis/test_day_state.py``); against
one sum of the racks' loss heat the figures differ in the last bits only.

The racks' own loss heat (``rack_loss_heat``) is made only when asked for (the single failures' hours).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from designer.analysis.air_side import HallIndex
from designer.analysis.loads import BoolArray, FloatArray, IntArray
from designer.analysis.row_sums import NO_ROWS, product_into, product_rows


@dataclass(slots=True)
class PairSums:
    """The racks' air heat summed over the (row, hall) pairs of a (rows, racks) matrix, in two parts."""

    rows: IntArray
    """(pairs,) the matrix row of each pair; pairs are in (row, hall) order."""
    halls: IntArray
    """(pairs,) the hall of each pair."""
    other: sp.csr_matrix
    """(pairs, racks) the matrix's entries of each pair's racks not ``ai``, in rack order."""
    ai: sp.csr_matrix
    """(pairs, racks) the same of its ``ai`` racks."""
    to_rows: sp.csr_matrix
    """(rows, pairs) 1 where a pair is of a row: a row's sum is its pairs' sum, in pair order."""
    by_rack: sp.csr_matrix
    """(racks, pairs) 1 where a rack is in a pair."""
    with_pairs: IntArray
    """The rows that have a pair (sorted): the others' sums are nothing."""
    compact: sp.csr_matrix
    """(rows with pairs, pairs) the rows ``with_pairs`` of ``to_rows``: their sums without a product's
    zeros for every other row (a cooling network's 15,000 rows have a few thousand pairs)."""
    fixed: FloatArray
    """(pairs, hours) the other racks' air heat."""
    ai_kw: FloatArray
    """(pairs, 1) the ``ai`` racks' air weight x design kW with the density factor (served racks only)."""
    air: FloatArray
    """(pairs, hours) ``fixed + ai_kw x u``, ``u`` the ``ai`` utilisation row."""
    loss: FloatArray
    """(pairs, hours) ``air x per_air[halls]``: the loss heat of each pair's racks."""

    def pairs_of(self, racks: IntArray) -> IntArray:
        """The pairs ``racks`` are in (sorted)."""
        if not racks.size:
            return NO_ROWS
        return np.unique(self.by_rack[racks].indices).astype(np.int64)


def pair_sums(matrix: sp.csr_matrix, rack_hall: IntArray, n_halls: int, ai: BoolArray, hours: int) -> PairSums:
    """The pairs of ``matrix`` (rows, racks) by ``rack_hall``, cut by ``ai`` (sums not taken: zeros)."""
    n_rows, n_racks = matrix.shape
    entry_row = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(matrix.indptr))
    columns = matrix.indices.astype(np.int64)
    keys, pair = np.unique(entry_row * max(n_halls, 1) + rack_hall[columns], return_inverse=True)
    pair = pair.reshape(-1)
    n_pairs = keys.size
    order = np.lexsort((columns, pair))

    def part(keep: BoolArray) -> sp.csr_matrix:
        picked = order[keep[columns[order]]]
        indptr = np.concatenate([np.zeros(1, dtype=np.int64),
                                 np.cumsum(np.bincount(pair[picked], minlength=n_pairs))])
        return sp.csr_matrix((matrix.data[picked], columns[picked], indptr), shape=(n_pairs, n_racks))

    rows = keys // max(n_halls, 1)
    to_rows = sp.csr_matrix((np.ones(n_pairs), np.arange(n_pairs), np.concatenate(
        [np.zeros(1, dtype=np.int64), np.cumsum(np.bincount(rows, minlength=n_rows))])), shape=(n_rows, n_pairs))
    by_rack = sp.csr_matrix((np.ones(columns.size), (columns, pair)), shape=(n_racks, n_pairs))
    with_pairs = np.unique(rows)
    return PairSums(rows, keys % max(n_halls, 1), part(~ai), part(ai), to_rows, by_rack, with_pairs,
                    sp.csr_matrix(to_rows[with_pairs]),
                    np.zeros((n_pairs, hours)), np.zeros((n_pairs, 1)), np.zeros((n_pairs, hours)),
                    np.zeros((n_pairs, hours)))


def take_sums(sums: PairSums, air_heat: FloatArray | None, ai_weight: FloatArray | None, ai_row: FloatArray,
              pairs: IntArray | None = None) -> None:
    """Take ``sums``'s air heat at ``pairs`` (None: all, in place): the other racks' part from
    ``air_heat`` (None: it stands), the ``ai`` part from ``ai_weight`` (racks, 1; None: it stands, as
    on a share move), then ``air``."""
    if pairs is None:
        if air_heat is not None:
            product_into(sums.other, air_heat, sums.fixed)
        if ai_weight is not None:
            product_into(sums.ai, ai_weight, sums.ai_kw)
        np.multiply(sums.ai_kw, ai_row[None, :], out=sums.air)
        np.add(sums.fixed, sums.air, out=sums.air)
    elif pairs.size:
        if air_heat is not None:
            sums.fixed[pairs] = product_rows(sums.other, pairs, air_heat)
        if ai_weight is not None:
            sums.ai_kw[pairs] = product_rows(sums.ai, pairs, ai_weight)
        sums.air[pairs] = sums.fixed[pairs] + sums.ai_kw[pairs] * ai_row[None, :]


def add_rows(sums: PairSums, base: FloatArray, out: FloatArray, rows: IntArray | None = None) -> None:
    """``out = base + to_rows @ loss`` at ``rows`` (None: all), in place: a row with no pair is ``base``'s
    (no zero added), the others ``base`` plus their pairs' sum in pair order."""
    if rows is None:
        np.copyto(out, base)
        at = sums.with_pairs
        out[at] = base[at] + sums.compact @ sums.loss
        return
    out[rows] = base[rows]
    at = rows[np.isin(rows, sums.with_pairs)]
    if at.size:
        out[at] = base[at] + product_rows(sums.to_rows, at, sums.loss)


def spread(sums: PairSums, per_air: FloatArray, pairs: IntArray | None = None) -> None:
    """``loss = air x per_air[halls]`` at ``pairs`` (None: all)."""
    if pairs is None:
        np.multiply(sums.air, per_air[sums.halls], out=sums.loss)
    elif pairs.size:
        sums.loss[pairs] = sums.air[pairs] * per_air[sums.halls[pairs]]


@dataclass(slots=True)
class HallLossState:
    """The halls' losses and the pair sums that carry them (see the module docstring)."""

    weight: FloatArray
    """(racks,) each rack's air heat per kW of IT: ``(1 - liquid fraction) x air-cooled``."""
    air_heat: FloatArray
    """(racks, hours) ``weight x`` IT of each rack; kept up to date on the racks not ``ai`` only (their
    part of the sums; the ``ai`` racks' rows are read by nothing)."""
    ai: BoolArray
    """(racks,) which racks were ``ai`` when the pairs were cut (a class change cuts them again)."""
    hall_sums: PairSums
    """The pairs of ``HallIndex.rack_to_hall``: one per hall with racks."""
    cooling: PairSums | None
    """The pairs of the cooling network's air aggregator (None when it has no entry)."""
    hall_air: FloatArray
    """(halls, hours) the halls' air heat."""
    per_air: FloatArray
    """(halls, hours) indoor loss per kW of air heat."""
    loss: FloatArray
    """(halls, hours) the indoor losses of each hall."""
    stage_halls: sp.csr_matrix
    """(power components, halls) the transpose of ``HallIndex.loss_to_hall``: the hall of each indoor stage."""
    runs: tuple[IntArray, IntArray]
    """(hall, length) of each run of racks of one hall in rack order (``hall_runs``), for ``rack_loss_heat``."""

    def carries(self) -> bool:
        """Whether any rack carries loss heat (some hall has losses and air heat at one hour)."""
        return bool(self.per_air.any())


def hall_runs(rack_hall: IntArray) -> tuple[IntArray, IntArray]:
    """(hall, length) of each run of equal ``rack_hall`` in order: ``np.repeat(halls, lengths)`` is ``rack_hall``."""
    if not rack_hall.size:
        return NO_ROWS, NO_ROWS
    starts = np.concatenate([np.zeros(1, dtype=np.int64), np.flatnonzero(np.diff(rack_hall)) + 1])
    lengths = np.diff(np.append(starts, rack_hall.size))
    return np.asarray(rack_hall[starts], dtype=np.int64), lengths


def new_state(halls: HallIndex, weight: FloatArray, air_aggregator: sp.csr_matrix, ai: BoolArray,
              hours: int) -> HallLossState:
    """A state with its pairs cut for ``ai`` and no sums taken."""
    n_halls = len(halls.names)
    hall_sums, cooling = _cut_pairs(halls, air_aggregator, ai, hours)
    return HallLossState(weight, np.zeros((weight.size, hours)), ai.copy(), hall_sums, cooling,
                         np.zeros((n_halls, hours)), np.zeros((n_halls, hours)), np.zeros((n_halls, hours)),
                         sp.csr_matrix(halls.loss_to_hall.T), hall_runs(halls.rack_hall))


def _cut_pairs(halls: HallIndex, air_aggregator: sp.csr_matrix, ai: BoolArray,
               hours: int) -> tuple[PairSums, PairSums | None]:
    n_halls = len(halls.names)
    cooling = pair_sums(air_aggregator, halls.rack_hall, n_halls, ai, hours) if air_aggregator.nnz else None
    return pair_sums(halls.rack_to_hall, halls.rack_hall, n_halls, ai, hours), cooling


def per_air(halls: HallIndex, loss: FloatArray, hall_air: FloatArray) -> tuple[FloatArray, dict[str, float]]:
    """(halls, hours) loss per kW of air heat (0 where a hall has none) and the peak losses of each hall
    that no air heat carries (``air_side.hall_loss_heat``'s)."""
    carried = hall_air > 0
    per = np.divide(loss, hall_air, out=np.zeros_like(loss), where=carried)
    left = np.where(carried, 0.0, loss).max(axis=1, initial=0.0)
    unassigned = {halls.names[h]: float(left[h]) for h in np.flatnonzero(left > 1e-9).tolist()}
    return per, unassigned


def _hall_air(state: HallLossState) -> None:
    state.hall_air[state.hall_sums.rows] = state.hall_sums.air


def fill(state: HallLossState, halls: HallIndex, air_aggregator: sp.csr_matrix, stage_loss_kw: FloatArray,
         rack_it: FloatArray, ai: BoolArray, ai_weight: FloatArray | None, ai_row: FloatArray,
         racks: IntArray | None) -> dict[str, float]:
    """Every sum of ``state`` taken again in place (``racks``: only those racks' IT moved, None: any);
    ``ai_weight`` (racks, 1) the served racks' ``weight x`` design kW with the density factor (None: no
    rack's moved since the last sums, as on a share move), ``ai_row`` the ``ai`` utilisation row.
    Returns the unassigned losses per hall."""
    product_into(halls.loss_to_hall, stage_loss_kw, state.loss)
    recut = not np.array_equal(ai, state.ai)
    if recut or racks is None:
        assert ai_weight is not None, "new pairs or a full fill need the ai racks' weights"
    if recut:
        state.ai = ai.copy()
        state.hall_sums, state.cooling = _cut_pairs(halls, air_aggregator, ai, rack_it.shape[1])
    air_heat: FloatArray | None = state.air_heat
    if racks is None or recut:
        np.multiply(state.weight[:, None], rack_it, out=state.air_heat)
    elif (~ai[racks]).any():
        state.air_heat[racks] = state.weight[racks, None] * rack_it[racks]
    else:  # only ``ai`` racks moved (a share or density move): the other racks' part stands
        air_heat = None
    take_sums(state.hall_sums, air_heat, ai_weight, ai_row)
    _hall_air(state)
    state.per_air, unassigned = per_air(halls, state.loss, state.hall_air)
    if state.cooling is not None:
        take_sums(state.cooling, air_heat, ai_weight, ai_row)
        spread(state.cooling, state.per_air)
    return unassigned


def update_rows(state: HallLossState, halls: HallIndex, air_aggregator: sp.csr_matrix, stage_loss_kw: FloatArray,
                rack_it: FloatArray, ai: BoolArray, ai_weight: FloatArray, ai_row: FloatArray, racks: IntArray,
                stages: IntArray) -> tuple[IntArray | None, dict[str, float]]:
    """``fill`` after the rows ``racks`` of ``rack_it`` and the losses of the power components
    ``stages`` changed, redoing only the pairs they reach (the same sums, row by row).

    Returns the cooling nodes whose loss heat moved (None: any, after a class change cut the pairs
    again) and the unassigned losses per hall."""
    if not np.array_equal(ai, state.ai):
        return None, fill(state, halls, air_aggregator, stage_loss_kw, rack_it, ai, ai_weight, ai_row, None)
    if stages.size:
        moved_loss = np.unique(state.stage_halls[stages].indices)
        state.loss[moved_loss] = product_rows(halls.loss_to_hall, moved_loss, stage_loss_kw)
    if racks.size:
        state.air_heat[racks] = state.weight[racks, None] * rack_it[racks]
    take_sums(state.hall_sums, state.air_heat, ai_weight, ai_row, state.hall_sums.pairs_of(racks))
    _hall_air(state)
    per, unassigned = per_air(halls, state.loss, state.hall_air)
    moved = np.flatnonzero(~(per == state.per_air).all(axis=1))
    state.per_air = per
    sums = state.cooling
    if sums is None:
        return NO_ROWS, unassigned
    pairs = sums.pairs_of(racks)
    take_sums(sums, state.air_heat, ai_weight, ai_row, pairs)
    if moved.size:
        pairs = np.union1d(pairs, np.flatnonzero(np.isin(sums.halls, moved)))
    spread(sums, per, pairs)
    return np.unique(sums.rows[pairs]), unassigned


RACK_BLOCK = 4096
"""Racks ``rack_loss_heat`` works out at a time."""


def rack_loss_heat(state: HallLossState, rack_it: FloatArray) -> FloatArray:
    """(racks, hours) the loss heat each rack carries: its air heat x its hall's ``per_air``, each element
    ``(weight x IT) x per_air``. Written a block of racks at a time into the array returned: the whole
    air heat and the halls' rows repeated by rack were two more (racks, hours) arrays (9.6 MB each at
    50k racks)."""
    run_halls, lengths = state.runs
    rack_hall = np.repeat(run_halls, lengths)
    n_racks, n_hours = rack_it.shape
    out = np.empty((n_racks, n_hours))
    for start in range(0, n_racks, RACK_BLOCK):
        stop = start + RACK_BLOCK
        block = out[start:stop]
        np.multiply(state.weight[start:stop, None], rack_it[start:stop], out=block)
        block *= state.per_air[rack_hall[start:stop]]
    return out
