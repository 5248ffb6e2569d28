"""The electrical findings: amp ratings, breakers and cables, the suppliers' ratings, voltage drop, lengths."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from designer.analysis.conductors import SQRT3
from designer.analysis.electrical_plan import Plan
from designer.analysis.electrical_records import _SOURCE_VALUES, AMP_RATED_VALUES, LV_MAX_V, FeedFigures, NodeFigures
from designer.analysis.electrical_rows import CodedColumn, FigureRows, OptionalColumn, column_list
from designer.analysis.findings import Finding, id_list
from designer.analysis.loads import BoolArray, FloatArray
from designer.model.types import Role


def _checked_nodes(nodes: FigureRows[NodeFigures], n_power: int, derating: float) -> list[NodeFigures]:
    """The transformers, and the amp-rated parts whose design current may be past ``derating`` of their rating
    (a superset of what ``_current_findings`` reports: it redoes its test on these), in node order."""
    roles = nodes.column(1)[:n_power]
    volts, pfs, designs = (nodes.column(i)[:n_power].tolist() for i in (2, 4, 6))
    rated_a = nodes.column(8).tolist(0, n_power)
    floor = min(1.0, derating)
    transformer = Role.TRANSFORMER
    checked: list[NodeFigures] = []
    for i in range(n_power):
        role, rated, voltage = roles[i], rated_a[i], volts[i]
        if role == transformer or (rated and role in AMP_RATED_VALUES and voltage > 0
              and designs[i] / pfs[i] * 1000.0 / (SQRT3 * voltage) / rated > floor):
            checked.append(nodes[i])
    return checked


def _current_findings(nodes: list[NodeFigures], derating: float) -> list[Finding]:
    over: list[NodeFigures] = []
    above: list[NodeFigures] = []
    for node in nodes:
        if node.role not in AMP_RATED_VALUES or not node.rated_a:
            continue
        util = node.design_a / node.rated_a
        if util > 1.0 + 1e-6:
            over.append(node)
        elif util > derating + 1e-6:
            above.append(node)
    findings: list[Finding] = []
    for node in over:
        findings.append(Finding(
            "error", "current_over_rating",
            f"{node.item_id} ({node.role}) carries {node.design_a:,.0f} A at design load (its worst single "
            f"failure), over its {node.rated_a:,.0f} A rating", (node.item_id,)))
    if above:
        worst = max(above, key=lambda n: n.design_a / (n.rated_a or 1.0))
        findings.append(Finding(
            "warning", "current_above_continuous",
            f"{len(above)} amp-rated part(s) carry more than the {derating:.0%} of their rating allowed for "
            f"continuous load at design load (their worst single failure; worst {worst.item_id}: "
            f"{worst.design_a:,.0f} A of {worst.rated_a:,.0f} A): "
            f"{id_list(n.item_id for n in above)}", tuple(n.item_id for n in above)))
    return findings


def _flagged_rows(feeds: FigureRows[FeedFigures], limit_of: Mapping[str, float], drop_limit: float) -> BoolArray:
    """Rows some check of ``_feed_findings`` may report (a superset: the checks are redone on these rows' figures).
    Column numbers are ``FeedFigures``' field order."""
    voltage = _floats(feeds.column(4))
    design_kw = _floats(feeds.column(8))
    breakers = feeds.column(9)
    if isinstance(breakers, OptionalColumn):
        breaker = breakers.with_nan()
    else:
        breaker = np.array([math.nan if b is None else b for b in breakers], dtype=np.float64)
    cables = feeds.column(13)
    if isinstance(cables, CodedColumn):
        no_cable = np.array([not label for label in cables.table], dtype=bool)[cables.codes]
    else:
        no_cable = np.array([not c for c in cables], dtype=bool)
    drop = _floats(feeds.column(17))
    sited = np.asarray(column_list(feeds.column(19)) if not isinstance(feeds.column(19), np.ndarray)
                       else feeds.column(19), dtype=bool)
    sources = feeds.column(1)
    if isinstance(sources, CodedColumn):  # a limit per supplier, then per row
        source_limit = np.array([limit_of.get(s, math.inf) for s in sources.table], dtype=np.float64)[sources.codes]
    else:
        source_limit = np.array([limit_of.get(s, math.inf) for s in sources], dtype=np.float64)
    live_lv = (voltage <= LV_MAX_V) & (design_kw > 0)
    flagged: BoolArray = ((live_lv & (np.isnan(breaker) | no_cable)) | (breaker > source_limit) | (drop > drop_limit)
                          | ~sited)
    return flagged


def _floats(column: Any) -> FloatArray:
    return column if isinstance(column, np.ndarray) else np.array(column_list(column), dtype=np.float64)


def _feed_order(feeds: Sequence[FeedFigures], plan: Plan | None) -> Any:
    """The indices of ``feeds`` by (source, target, feed side), stable (kept in the plan for the same feed list),
    as an int32 array (a list of 145,000 Python ints at 50k racks was 5 MB kept)."""
    # the id column itself, not a copy: a plan's static column is the same list while the plan holds
    ids = feeds.column(0) if isinstance(feeds, FigureRows) else tuple(f.connection_id for f in feeds)
    kept = plan.memo.get("feed_order") if plan is not None else None
    if kept is not None and (kept[0] is ids or kept[0] == ids):
        return kept[1]
    columns = [feeds.column(i) for i in (1, 2, 3)] if isinstance(feeds, FigureRows) else []
    if columns and all(isinstance(column, CodedColumn) for column in columns):
        # each value's rank among its column's values, then a stable sort by the three ranks: the order of a stable
        # sort by the values themselves, without 145,000 key tuples and a list of as many row numbers (~17 MB)
        source, target, side = (_ranks(column) for column in columns)
        order = np.lexsort((side, target, source)).astype(np.int32)
    else:
        if isinstance(feeds, FigureRows):
            keys = list(zip(*(column_list(column) for column in columns), strict=True))
        else:
            keys = [(f.source_id, f.target_id, f.feed) for f in feeds]
        order = np.array(sorted(range(len(feeds)), key=keys.__getitem__), dtype=np.int32)
    if plan is not None:
        plan.memo["feed_order"] = (ids, order)
    return order


def _ranks(column: CodedColumn) -> Any:
    """Each row's rank among the distinct values of ``column``'s table (equal values, equal ranks)."""
    rank = {value: i for i, value in enumerate(sorted(set(column.table)))}
    return np.array([rank[value] for value in column.table], dtype=np.int64)[column.codes]


class _RowLookup(Mapping[str, NodeFigures]):
    """Node figures by id, each row made only when looked up."""

    def __init__(self, rows: FigureRows[NodeFigures], index: dict[str, int]) -> None:
        self._rows = rows
        self._index = index

    def __getitem__(self, key: str) -> NodeFigures:
        return self._rows[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _run_name(feed: FeedFigures) -> str:
    """A run as the user knows it, by the items it joins (connection ids are internal, and change on import)."""
    return f"{feed.source_id}->{feed.target_id}"


def _feed_findings(all_feeds: Sequence[FeedFigures], nodes: Mapping[str, NodeFigures], drop_limit: float,
                   plan: Plan | None = None, source_limits: Mapping[str, float] | None = None) -> list[Finding]:
    """``source_limits``: the amp rating of each supplier that is not a source (from ``nodes`` when not given)."""
    findings: list[Finding] = []
    order = _feed_order(all_feeds, plan)  # stable whatever the connection ids
    if isinstance(all_feeds, FigureRows):  # only the rows some check below may pick are made
        if source_limits is None:
            source_limits = {n.item_id: n.rated_a for n in nodes.values() if n.rated_a and n.role not in _SOURCE_VALUES}
        flagged = _flagged_rows(all_feeds, source_limits, drop_limit)
        feeds = [all_feeds[i] for i in order[flagged[order]].tolist()]
    else:
        feeds = [all_feeds[i] for i in order.tolist()]
    no_breaker = [f for f in feeds if f.voltage_v <= LV_MAX_V and f.design_kw > 0 and f.breaker_a is None]
    no_cable = [f for f in feeds if f.voltage_v <= LV_MAX_V and f.design_kw > 0 and f.breaker_a is not None
                and not f.cable]
    for what, bad, code in (("a standard breaker", no_breaker, "breaker_unavailable"),
                            ("a cable of the table", no_cable, "cable_unavailable")):
        if bad:
            findings.append(Finding(
                "error", code, f"{len(bad)} feed(s) carry more current than {what} can take "
                f"(largest {max(f.design_a for f in bad):,.0f} A): {id_list(_run_name(f) for f in bad)}",
                tuple(dict.fromkeys(i for f in bad for i in (f.source_id, f.target_id)))))
    oversized = []
    for feed in feeds:
        source = nodes.get(feed.source_id)
        if feed.breaker_a is not None and source is not None and source.rated_a and \
                source.role not in _SOURCE_VALUES and feed.breaker_a > source.rated_a + 1e-6:
            oversized.append(feed)
    if oversized:
        findings.append(Finding(
            "warning", "breaker_exceeds_source",
            f"{len(oversized)} feed(s) need a breaker larger than the part that supplies them is rated for: "
            f"{id_list(f'{_run_name(f)} ({f.breaker_a:,.0f} A)' for f in oversized)}",
            tuple(dict.fromkeys(i for f in oversized for i in (f.source_id, f.target_id)))))
    dropped = [f for f in feeds if f.voltage_drop > drop_limit + 1e-9]
    if dropped:
        worst = max(dropped, key=lambda f: f.voltage_drop)
        findings.append(Finding(
            "warning", "voltage_drop",
            f"{len(dropped)} run(s) drop more than {drop_limit:.1%} of their voltage at design current (worst "
            f"{_run_name(worst)}: {worst.voltage_drop:.1%} over {worst.length_m:,.0f} m of {worst.cable}): "
            f"{id_list(_run_name(f) for f in dropped)}",
            tuple(dict.fromkeys(i for f in dropped for i in (f.source_id, f.target_id)))))
    apart = [f for f in feeds if not f.route_measured]
    if apart:
        findings.append(Finding(
            "info", "cable_length_estimated",
            f"{len(apart)} run(s) join items in halls without a site position: their lengths are measured "
            f"with those halls laid out beside the others: {id_list(_run_name(f) for f in apart)}",
            tuple(dict.fromkeys(i for f in apart for i in (f.source_id, f.target_id)))))
    return findings
