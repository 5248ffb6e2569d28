"""Sparse products and roll-ups over some rows only, or written into kept arrays, with the sums of
the full computation (``day_state`` keeps the design day's arrays up to date with them).

A CSR product's row is the same sum in the same order whether the product is taken over all rows or
over a few (scipy's ``csr_matvecs`` adds each row's terms in index order, independently of the other
rows), so these give the full products' bits; ``tests/analysis/test_day_state.py`` compares them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from designer.analysis.flow import Flow, FlowNetwork, LevelWeights, stage_loss_into
from designer.analysis.loads import BoolArray, FloatArray, IntArray

NO_ROWS = np.zeros(0, dtype=np.int64)


def _row_entries(matrix: sp.csr_matrix, rows: IntArray) -> tuple[IntArray, IntArray]:
    """(positions in ``matrix.data`` of the entries of ``rows``, in row then index order; the new indptr)."""
    indptr = matrix.indptr
    starts = indptr[rows].astype(np.int64)
    counts = indptr[rows + 1].astype(np.int64) - starts
    ends = np.cumsum(counts)
    positions = np.repeat(starts - (ends - counts), counts) + np.arange(int(ends[-1]) if ends.size else 0)
    return positions, np.concatenate([np.zeros(1, dtype=np.int64), ends])


def product_rows(matrix: sp.csr_matrix, rows: IntArray, x: FloatArray) -> FloatArray:
    """``(matrix @ x)[rows]`` computed over those rows only: the same sums in the same order (the
    rows' entries copied in their order, as ``matrix[rows]`` would, without its checks)."""
    if not rows.size:
        return np.zeros((0, x.shape[1]))
    positions, indptr = _row_entries(matrix, rows)
    sub = sp.csr_matrix((matrix.data[positions], matrix.indices[positions], indptr), shape=(rows.size, matrix.shape[1]))
    return np.asarray(sub @ x, dtype=np.float64)


def demand_rows(aggregators: tuple[sp.csr_matrix | None, ...], rows: IntArray, rack_load: FloatArray) -> FloatArray:
    """``flow.consumer_demand_with(aggregators, ...)[rows]``, the same additions in the same order."""
    out = np.zeros((rows.size, rack_load.shape[1]))
    for aggregator in aggregators:
        if aggregator is not None:
            out += product_rows(aggregator, rows, rack_load)
    return out


def consumer_rows(network: FlowNetwork, racks: IntArray) -> IntArray:
    """The consumer nodes ``racks`` belong to (``FlowNetwork.rack_node``, every medium): the rows of
    the rack aggregators that read them."""
    if not racks.size or not network.rack_node.size:
        return NO_ROWS
    nodes = network.rack_node[racks].ravel()
    return np.unique(nodes[nodes >= 0])


def roll_up_rows(network: FlowNetwork, demand: FloatArray, weights: LevelWeights, flow: Flow,
                 changed: IntArray) -> IntArray:
    """Bring ``flow`` (``flow.roll_up`` of an earlier demand) to ``roll_up(network, demand, weights)``
    in place, when ``demand`` differs from the earlier one only in rows ``changed``.

    The rows rewritten are ``changed`` and every supplier above them (returned). Each is rebuilt
    from its own demand with every level's contribution in level order, as ``roll_up`` adds them;
    the contribution of a level is that level's weight row times the passed loads (through plus
    loss) of its nodes, the untouched ones as the earlier roll-up left them.
    """
    through, loss = flow.through_kw, flow.loss_kw
    affected = np.zeros(network.n_nodes, dtype=bool)
    affected[changed] = True
    for level in network.up_levels:
        edges = level.edges[affected[network.edge_target[level.edges]]]
        affected[network.edge_source[edges]] = True
    rows = np.flatnonzero(affected)
    if not rows.size:
        return rows
    through[rows] = demand[rows]
    for level, suppliers, matrix, lossy, terms in zip(network.up_levels, weights.suppliers, weights.matrices,
                                                      weights.lossy, weights.terms, strict=True):
        nodes = level.nodes
        if lossy:
            mine = nodes[affected[nodes]]
            if mine.size:
                passed = through[mine]  # the same terms of the level as ``roll_up_into`` takes
                loss[mine] = stage_loss_into(network, mine, passed, np.empty_like(passed), np.empty_like(passed),
                                             terms)
        if not suppliers.size:
            continue
        hit = np.flatnonzero(affected[suppliers])
        if not hit.size:
            continue
        positions, indptr = _row_entries(matrix, hit)
        columns, local = np.unique(matrix.indices[positions], return_inverse=True)
        at = nodes[columns]
        passed = through[at] + loss[at] if lossy else through[at]
        compact = sp.csr_matrix((matrix.data[positions], local.reshape(-1), indptr), shape=(hit.size, columns.size))
        through[suppliers[hit]] += compact @ passed
    return rows


def product_into(matrix: sp.csr_matrix, x: FloatArray, out: FloatArray) -> FloatArray:
    """``out[...] = matrix @ x``: the same sums (``out`` is kept between analyses: a fresh array per
    analysis costs its page faults again at 50,000 racks)."""
    out[...] = matrix @ x
    return out


def cut_columns(matrix: sp.csr_matrix, keep: BoolArray) -> sp.csr_matrix:
    """``matrix`` with only the entries of the columns ``keep``, each row's kept entries in their order."""
    kept = keep[matrix.indices]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    indptr = np.concatenate([np.zeros(1, dtype=np.int64),
                             np.cumsum(np.bincount(rows[kept], minlength=matrix.shape[0]))])
    return sp.csr_matrix((matrix.data[kept], matrix.indices[kept], indptr), shape=matrix.shape)
