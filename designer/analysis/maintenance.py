"""Concurrent maintainability: each component out for maintenance, then every single failure on top.

Which racks a pair of dead components (the one maintained, the one failed) cuts off is a question of
paths only, so it is answered for every pair at once by counting paths, not by re-running the
network once per pair. With ``M = I + A + A^2 + ...`` (``M[u, v]`` = number of paths from ``u`` to
``v``, ``A`` the supplier-to-consumer edge counts) and ``P[v]`` = number of paths from a live
source to ``v``, the paths from a source to a consumer ``c`` that avoid both ``m`` and ``f`` are

    P[c] - P[m] M[m, c] - P[f] M[f, c] + P[m] M[m, f] M[f, c] + P[f] M[f, m] M[m, c]

(inclusion-exclusion; in an acyclic network at most one of the last two terms is non-zero). ``c``
is cut off exactly when that is 0. Only pairs of components upstream of ``c`` can matter, so the
pairs are enumerated per consumer from the columns of ``M``. The counts are exact integers in
float64 while they stay below 2**53; past that (never seen in a real topology) Python integers
take over.

A pair that drops racks which neither part alone drops is reported; pairs where one part alone
drops them are single failures, reported there. Overloads during maintenance are those of the
single failures (a part out for maintenance is the same cut as a failed one). A power pair that
only stops cooling units fed from the chain is not followed into the cooling network here (the
single failures do follow it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from designer.analysis.findings import Finding
from designer.analysis.flow import FlowNetwork
from designer.analysis.loads import BoolArray, FloatArray, IntArray

EXACT_LIMIT = 2.0**53


@dataclass(frozen=True, slots=True)
class PairStructure:
    """The (maintained, failed, consumer) triples of one network that cut the consumer off together.

    Only those are kept (``pair_structure``): every upstream pair of every consumer, with its path
    count, was ~25 MB at 50k racks, held for the window's life, to be filtered the same way on each call.
    """

    first: NDArray[np.int32]
    second: NDArray[np.int32]
    consumer: NDArray[np.int32]
    """Triples: two components upstream of a consumer node, first < second (the pair is unordered),
    that cut it off together (``paths`` 0) while neither alone does (not ``alone``); node indices as
    int32 (int64 and the two columns below, constant on the kept triples, were ~1.9 MB more at 50k racks)."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False)
    """("pairs": (network, rack ids, served bytes, the pairs found)), the last ``maintenance_pairs`` answer, kept
    for the next call with the same inputs (a tuple written whole: threads sharing the structure see one or
    the other)."""

    @property
    def paths(self) -> FloatArray:
        """(triples,) paths from a live source to the consumer avoiding both components: 0 for every kept triple."""
        return np.zeros(self.first.size)

    @property
    def alone(self) -> BoolArray:
        """(triples,) one of the two alone already cuts the consumer off: never for a kept triple."""
        return np.zeros(self.first.size, dtype=bool)


def _path_counts(network: FlowNetwork) -> sp.csr_matrix:
    """``M``: (n_nodes, n_nodes) number of paths from row to column, the empty path included."""
    n = network.n_nodes
    step = sp.csr_matrix((np.ones(network.n_edges), (network.edge_source, network.edge_target)), shape=(n, n))
    total = sp.identity(n, format="csr")
    power = sp.identity(n, format="csr")
    for _ in range(len(network.up_levels) + 1):
        power = sp.csr_matrix(power @ step)
        if power.nnz == 0:
            break
        total = sp.csr_matrix(total + power)
    return total


def pair_structure(network: FlowNetwork, consumers: BoolArray) -> PairStructure:
    """The triples of ``network`` for the consumer nodes marked in ``consumers``, with their path counts."""
    n_comp = network.n_components
    counts = _path_counts(network)
    sources = (network.is_source & network.live).astype(np.float64)
    from_sources = np.asarray(counts.T @ sources).ravel()
    columns = sp.csc_matrix(counts[:n_comp])
    first_parts, second_parts, consumer_parts = [], [], []
    for c in np.flatnonzero(consumers[:network.n_nodes]).tolist():
        upstream = columns.indices[columns.indptr[c]:columns.indptr[c + 1]]
        k = upstream.size
        if k < 2:
            continue
        i, j = np.triu_indices(k, 1)
        a, b = np.sort(upstream)[i], np.sort(upstream)[j]
        first_parts.append(a)
        second_parts.append(b)
        consumer_parts.append(np.full(a.size, c, dtype=np.int64))
    empty = np.zeros(0, dtype=np.int64)
    first = np.concatenate(first_parts) if first_parts else empty
    second = np.concatenate(second_parts) if second_parts else empty
    consumer = np.concatenate(consumer_parts) if consumer_parts else empty

    def at(rows: IntArray, cols: IntArray) -> FloatArray:
        return np.asarray(counts[rows, cols], dtype=np.float64).ravel() if rows.size else np.zeros(0)

    p_c, p_m, p_f = from_sources[consumer], from_sources[first], from_sources[second]
    m_c, f_c, m_f, f_m = at(first, consumer), at(second, consumer), at(first, second), at(second, first)
    bound = float(max(from_sources.max(initial=0.0), 1.0)) * float(max(counts.max() if counts.nnz else 0.0, 1.0)) ** 2
    if bound < EXACT_LIMIT:
        paths = p_c - p_m * m_c - p_f * f_c + p_m * m_f * f_c + p_f * f_m * m_c
        alone = (p_c - p_m * m_c == 0) | (p_c - p_f * f_c == 0)
    else:  # exact integers, slowly (never needed by a real topology)
        ints = [v.astype(np.int64).astype(object) for v in (p_c, p_m, p_f, m_c, f_c, m_f, f_m)]
        ip_c, ip_m, ip_f, im_c, if_c, im_f, if_m = ints
        exact = ip_c - ip_m * im_c - ip_f * if_c + ip_m * im_f * if_c + ip_f * if_m * im_c
        paths = np.array([float(v != 0) for v in exact])
        alone = np.array([(x - y * z == 0) or (x - u * w == 0)
                          for x, y, z, u, w in zip(ip_c, ip_m, im_c, ip_f, if_c, strict=True)], dtype=bool)
    paths, alone = np.asarray(paths, dtype=np.float64), np.asarray(alone, dtype=bool)
    cut = (paths == 0) & ~alone  # the only triples ``_maintenance_pairs`` reads, in the same order

    def kept(nodes: IntArray) -> NDArray[np.int32]:
        return np.asarray(nodes[cut], dtype=np.int32)

    return PairStructure(kept(first), kept(second), kept(consumer))


@dataclass(frozen=True, slots=True)
class MaintenancePair:
    """A component out for maintenance and a single failure on top that together drop racks."""

    maintained: str
    failed: str
    racks_lost: tuple[str, ...]
    """Racks served now that lose supply with both parts out (neither alone drops them): the rack table's
    own id strings; the pairs of one network that drop the same racks share one tuple."""


def maintenance_pairs(network: FlowNetwork, structure: PairStructure, rack_ids: tuple[str, ...],
                      served: BoolArray) -> list[MaintenancePair]:
    """The pairs of ``network`` that cut off served racks (each unordered pair once, by id order).

    The same inputs as the last call give the same pair objects again (at 50k racks ~70,000 pairs, 16 MB, made
    anew by each idle pass while the shown results still held the last ones)."""
    served_key = served.tobytes()
    kept = structure.memo.get("pairs")
    if kept is not None and kept[0] is network and (kept[1] is rack_ids or kept[1] == rack_ids) \
            and kept[2] == served_key:
        return list(kept[3])
    pairs = _maintenance_pairs(network, structure, rack_ids, served)
    structure.memo["pairs"] = (network, rack_ids, served_key, tuple(pairs))
    return pairs


def _maintenance_pairs(network: FlowNetwork, structure: PairStructure, rack_ids: tuple[str, ...],
                       served: BoolArray) -> list[MaintenancePair]:
    if not structure.first.size:  # every kept triple cuts its consumer off (``pair_structure``)
        return []
    n_comp, n_classes = network.n_components, network.n_classes
    first, second, consumer = (np.asarray(v, dtype=np.int64) for v in (structure.first, structure.second,
                                                                        structure.consumer))
    is_class = (consumer >= n_comp) & (consumer < n_comp + n_classes)
    first, second, consumer = first[is_class], second[is_class], consumer[is_class] - n_comp
    keys, pair_of = np.unique(first * n_comp + second, return_inverse=True)
    pair_of = pair_of.reshape(-1)
    # pairs x classes, times classes x served racks: the racks each pair drops
    hits = sp.csr_matrix((np.ones(pair_of.size), (pair_of, consumer)), shape=(keys.size, n_classes))
    sizes = np.array([m.size for m in network.class_racks], dtype=np.int64)
    members = np.concatenate(network.class_racks) if n_classes else np.zeros(0, dtype=np.int64)
    membership = sp.csr_matrix((served[members].astype(np.float64), (np.repeat(np.arange(n_classes), sizes), members)),
                               shape=(n_classes, len(rack_ids)))
    membership.eliminate_zeros()
    ids = np.array(rack_ids, dtype=object)
    pairs: list[MaintenancePair] = []
    # pairs dropping the same racks share one tuple (at 50k racks ~70,000 pairs held ~9,000 distinct
    # sets; a tuple each was ~11 MB of pointers kept with the results)
    lost: dict[bytes, tuple[str, ...]] = {}
    all_keys = keys.tolist()
    # the racks each pair drops, a block of pairs at a time: a row of the product is the same whichever
    # rows are taken, and the (pairs, racks) product of all of them was ~25 MB at 50k racks
    for start in range(0, len(all_keys), PAIR_BLOCK):
        dropped = sp.csr_matrix(hits[start:start + PAIR_BLOCK] @ membership)
        dropped.sort_indices()
        for p, key in enumerate(all_keys[start:start + PAIR_BLOCK]):
            racks = dropped.indices[dropped.indptr[p]:dropped.indptr[p + 1]]
            if not racks.size:
                continue
            a, b = sorted((network.component_ids[key // n_comp], network.component_ids[key % n_comp]))
            racks_lost = lost.get(racks_key := racks.tobytes())
            if racks_lost is None:
                racks_lost = lost[racks_key] = tuple(ids[racks].tolist())
            pairs.append(MaintenancePair(a, b, racks_lost))
    pairs.sort(key=lambda p: (p.maintained, p.failed))
    return pairs


PAIR_BLOCK = 4096
"""Pairs whose dropped racks ``_maintenance_pairs`` works out at a time."""


CAVEAT = "a topology check of the design as drawn, not a Tier certification"
"""Said with every verdict: Uptime Institute certifies sites; what a drawing cannot show
(compartmentalisation, switching, controls, continuous cooling, operations) is not checked."""


@dataclass(frozen=True, slots=True)
class MaintenanceVerdict:
    """What one chain's topology meets (see ``docs/method_findings.md``)."""

    kind: str
    """"power" or "cooling"."""
    concurrently_maintainable: bool
    """Every component can be taken out alone without dropping a served rack or overloading a part
    at any hour of the design day (the property Uptime Institute Tier III asks for)."""
    fault_tolerant: bool
    """Every single unplanned failure is survived likewise, and the chain is concurrently maintainable
    (the property Tier IV asks for). On a drawing a planned removal and a failure cut the same part,
    so the two agree here; Tier IV's other demands are outside a topology check."""
    pairs: int
    """(maintained, failed) pairs that drop served racks: the exposure during maintenance, which
    Tier IV does not rule out."""
    unserved: int = 0
    """Racks unserved before any maintenance (then neither property holds)."""
    over_before: int = 0
    """Parts of the chain over their rating at some hour with nothing out (then neither holds)."""

    def statement(self) -> str:
        def yes(flag: bool) -> str:
            return "yes" if flag else "no"

        exposure = (f"{self.pairs} maintenance + failure pair(s) drop racks" if self.pairs
                    else "no failure during any one maintenance drops a rack")
        if self.unserved:
            exposure += f"; {self.unserved} rack(s) are unserved now"
        if self.over_before:
            exposure += f"; {self.over_before} part(s) are over their rating with nothing out"
        return (f"{self.kind}: concurrently maintainable (Tier III property): {yes(self.concurrently_maintainable)}; "
                f"fault tolerant (Tier IV property): {yes(self.fault_tolerant)}; {exposure}; {CAVEAT}")


def verdict(kind: str, component_ids: tuple[str, ...], survived: dict[str, bool], pairs: int,
            unserved: int = 0, over_before: int = 0) -> MaintenanceVerdict:
    """The verdict of one chain from its single-failure outcomes (``survived`` by component id).

    A design with unserved racks, or with parts of the chain over their rating with nothing out,
    meets neither property (both are said in the statement).
    """
    every = unserved == 0 and over_before == 0 and all(survived.get(c, True) for c in component_ids)
    return MaintenanceVerdict(kind, every, every, pairs, unserved, over_before)


def classes_only(network: FlowNetwork, mask: BoolArray) -> BoolArray:
    """``mask`` kept on the rack-class nodes only (the consumers whose loss drops racks)."""
    keep = np.zeros(network.n_nodes, dtype=bool)
    classes = slice(network.n_components, network.n_components + network.n_classes)
    keep[classes] = mask[classes]
    return keep


def maintenance_findings(pairs: tuple[MaintenancePair, ...], verdicts: tuple[MaintenanceVerdict, ...]) -> list[Finding]:
    """One info per chain with its plain statement, one info for the pairs that drop racks (Tier IV
    accepts that exposure during maintenance: it is for the review, not a defect)."""
    findings = [Finding("info", "maintenance_verdict", v.statement()) for v in verdicts]
    if pairs:
        shown = "; ".join(f"{p.maintained} + {p.failed} ({len(p.racks_lost)} racks)" for p in pairs[:5])
        more = f" and {len(pairs) - 5} more" if len(pairs) > 5 else ""
        findings.append(Finding("info", "maintenance_exposure",
                                f"{len(pairs)} maintenance + failure pair(s) drop racks: {shown}{more}",
                                tuple(dict.fromkeys(i for p in pairs[:20] for i in (p.maintained, p.failed)))))
    return findings
