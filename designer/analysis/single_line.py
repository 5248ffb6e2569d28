"""The single-line diagram's layout: the power chain by stage, as boxes and lines in drawing millimetres.

Sources sit on the top row, then switchgear, transformers, LV boards, UPSs, floor distribution
(PDU, RPP, busway); racks are grouped on the bottom row, one box per set of racks sharing the same
suppliers (rack PDUs and power shelves fold into their rack group), so 10,000 racks make a few
hundred boxes. Cooling units fed by the power chain are grouped the same way beside the racks.

Each box carries its rating, load and utilisation from an analysis (when given) and a state
(``capacity.STATES`` plus ``unserved`` / ``at_risk`` for rack groups). Lines are orthogonal
polylines, coloured by the A or B path they belong to. The layout imports no Qt: the view, the
exports and the report draw it. ``LABEL_HOOKS`` lets another analysis add label lines to any box
(volts, amps, breaker sizes) without touching the layout or the views.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from designer.analysis.capacity import STATES
from designer.analysis.results import Results
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import PlacedItem
from designer.model.roles import COOLING_UNIT_ROLES, POWER_STAGE_BY_ROLE, ROLE_LABELS
from designer.model.types import ConnectionKind, FeedSide, Role

EntryOf = Callable[[str], CatalogEntry]

BOX_W_MM, BOX_H_MM = 44.0, 22.0
"""A box on the drawing, in drawing millimetres (the views and sheets scale the whole drawing)."""
GAP_X_MM = 8.0
LINE_MM = 4.2
"""Height of one label line in a box."""
CHANNEL_MM = 22.0
"""Space above each line of boxes where the lines from the row above run across."""
ROW_TITLE_MM = 6.0
TITLE_COLUMN_MM = 0.0
MARGIN_MM = 10.0
ASPECT = 1.6
CHAR_MM = 1.8
"""Width of an average character of a label line (3.1 mm text): boxes widen to their hooks' longest line."""
MAX_BOX_W_MM = 64.0
MIN_PER_LINE = 16
"""Rows wrap at about sqrt(boxes * ASPECT) boxes (at least MIN_PER_LINE), so a campus stays sheet-shaped."""
RACK_STAGE = POWER_STAGE_BY_ROLE[Role.RACK]
IN_RACK_STAGE = RACK_STAGE - 1
"""Rack PDUs and power shelves: drawn inside their rack group."""
ROW_TITLES: dict[int, str] = {
    0: "Sources",
    1: "Switchgear",
    2: "Transformers",
    3: "LV switchboards",
    4: "UPS",
    5: "Floor distribution",
    RACK_STAGE: "Racks and cooling loads",
}
UNSERVED, AT_RISK, UNKNOWN = "unserved", "at_risk", "unknown"
"""States beyond ``capacity.STATES`` that rack groups take."""


@dataclass(frozen=True, slots=True)
class SldNode:
    """One box: a piece of equipment, or a group of racks or cooling units with the same suppliers."""

    id: str
    """The item id, or ``racks:<n>`` / ``cooling:<n>`` for a group."""
    item_ids: tuple[str, ...]
    """The model items it stands for (selecting the box selects them)."""
    stage: int
    title: str
    kind: str
    """Role label, or "Racks" / "Cooling units"."""
    count: int = 1
    rating_kw: float | None = None
    load_kw: float | None = None
    utilisation: float | None = None
    state: str = UNKNOWN
    side: str = ""
    """"A", "B" or "" (both, or neither): the path the box is on, from the rack cords below it."""
    hall_id: str = ""
    x_mm: float = 0.0
    y_mm: float = 0.0
    width_mm: float = BOX_W_MM
    height_mm: float = BOX_H_MM
    extra_lines: tuple[str, ...] = ()
    """Lines other analyses add (``LABEL_HOOKS``), drawn under the standard ones."""

    def lines(self) -> tuple[str, ...]:
        """The label of the box, first line the title."""
        out = [self.title]
        if self.count > 1 or self.kind in ("Racks", "Cooling units"):
            out.append(f"{self.count} × {self.kind.lower()}" if self.kind != "Racks" else f"{self.count} racks")
        else:
            out.append(self.kind)
        figures = []
        if self.load_kw is not None and self.rating_kw:
            figures.append(f"{self.load_kw:,.0f} / {self.rating_kw:,.0f} kW")
        elif self.load_kw is not None:
            figures.append(f"{self.load_kw:,.0f} kW")
        elif self.rating_kw:
            figures.append(f"rated {self.rating_kw:,.0f} kW")
        if self.utilisation is not None and np.isfinite(self.utilisation):
            figures.append(f"{self.utilisation:.0%}")
        if figures:
            out.append(" · ".join(figures))
        if self.state in (UNSERVED, AT_RISK):
            out.append("UNSERVED" if self.state == UNSERVED else "at risk")
        return (*out, *self.extra_lines)


@dataclass(frozen=True, slots=True)
class SldLink:
    """A line from a supplier box down to a consumer box; ``count`` connections drawn as one."""

    source: str
    target: str
    side: str
    """"A", "B" or "" (a single feed on no particular path)."""
    count: int
    points_mm: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class SldLayout:
    nodes: tuple[SldNode, ...]
    links: tuple[SldLink, ...]
    rows: tuple[tuple[str, float], ...]
    """(title, y of the row's top) of each row drawn, top to bottom."""
    width_mm: float
    height_mm: float
    node_of_item: dict[str, str] = field(default_factory=dict)
    """Node id of every item drawn (racks map to their group)."""

    def node(self, node_id: str) -> SldNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)


LabelHook = Callable[[SldNode, Project, "Results | None"], Sequence[str]]
LABEL_HOOKS: list[LabelHook] = []
"""Functions adding label lines to a box (e.g. volts, amps, breaker size of a feed): each is called for
every node and its lines are appended to ``SldNode.extra_lines``. Register with ``LABEL_HOOKS.append``."""


def _component_figures(results: Results | None) -> dict[str, tuple[float, float, float, str]]:
    if results is None:
        return {}
    out: dict[str, tuple[float, float, float, str]] = {}
    worst = np.maximum(results.component_state, results.component_worst_failure_state)
    for i, (cid, kind) in enumerate(zip(results.component_ids.tolist(), results.component_kinds.tolist(),
                                        strict=True)):
        if kind == "power":
            out[cid] = (float(results.component_load_kw[i]), float(results.component_capacity_kw[i]),
                        float(results.component_utilization[i]), STATES[int(worst[i])])
    return out


def single_line_layout(
    project: Project,
    entry_of: EntryOf,
    results: Results | None = None,
    hooks: Sequence[LabelHook] | None = None,
    hall_id: str | None = None,
) -> SldLayout:
    """Lay out the power chain of ``project`` (with figures and states from ``results`` when given).

    ``hall_id``: only what stands in that hall and everything upstream of it (a campus per module).
    ``hooks``: label hooks (default ``LABEL_HOOKS``).
    """
    items = project.items
    roles: dict[str, Role] = {i.id: entry_of(i.catalog_id).role for i in items.values()}
    power_links = [c for c in project.connections.values() if c.kind is ConnectionKind.POWER]
    suppliers: dict[str, list[tuple[str, FeedSide]]] = {}
    for link in power_links:
        suppliers.setdefault(link.target_id, []).append((link.source_id, link.feed))

    def shown_suppliers(item_id: str) -> frozenset[tuple[str, str]]:
        """Suppliers of a rack or unit, through rack PDUs / power shelves to the floor distribution."""
        out: set[tuple[str, str]] = set()
        for source, feed in suppliers.get(item_id, ()):
            if POWER_STAGE_BY_ROLE.get(roles.get(source, Role.RACK)) == IN_RACK_STAGE:
                for upper, upper_feed in suppliers.get(source, ()):
                    side = feed if feed is not FeedSide.SINGLE else upper_feed
                    out.add((upper, side.value))
            else:
                out.add((source, feed.value))
        return frozenset(out)

    # ---- equipment boxes (stages 0..5) and groups at the bottom row
    figures = _component_figures(results)
    node_of_item: dict[str, str] = {}
    nodes: dict[str, SldNode] = {}
    for item in sorted(items.values(), key=lambda i: i.id):
        role = roles[item.id]
        stage = POWER_STAGE_BY_ROLE.get(role)
        if stage is None or stage >= IN_RACK_STAGE:
            continue
        entry = entry_of(item.catalog_id)
        known = figures.get(item.id)
        nodes[item.id] = SldNode(item.id, (item.id,), stage, item.label or item.id, ROLE_LABELS[role],
                                 rating_kw=(known[1] if known else effective.rating_kw(item, entry)) or None,
                                 load_kw=known[0] if known else None, utilisation=known[2] if known else None,
                                 state=known[3] if known else UNKNOWN,
                                 hall_id=item.hall_id)
        node_of_item[item.id] = item.id

    rack_groups: dict[tuple[str, frozenset[tuple[str, str]]], list[str]] = {}
    in_rack: dict[str, list[str]] = {}
    for item in sorted(items.values(), key=lambda i: i.id):
        role = roles[item.id]
        if role is Role.RACK:
            rack_groups.setdefault(("racks", shown_suppliers(item.id)), []).append(item.id)
        elif role in COOLING_UNIT_ROLES and item.id in suppliers:
            rack_groups.setdefault(("cooling", shown_suppliers(item.id)), []).append(item.id)
        elif POWER_STAGE_BY_ROLE.get(role) == IN_RACK_STAGE:
            for target_link in project.connections_of(item.id):
                if target_link.source_id == item.id and target_link.kind is ConnectionKind.POWER:
                    in_rack.setdefault(target_link.target_id, []).append(item.id)
    rack_index = {rid: i for i, rid in enumerate(results.rack_ids.tolist())} if results is not None else {}
    unit_figures = {}
    if results is not None:
        worst = np.maximum(results.component_state, results.component_worst_failure_state)
        unit_figures = {cid: STATES[int(worst[i])] for i, cid in enumerate(results.component_ids.tolist())}
    group_edges: list[tuple[str, str, str]] = []
    for number, ((what, feeders), members) in enumerate(
            sorted(rack_groups.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]), kv[1][0]))):
        node_id = f"{what}:{number}"
        group_hall = items[members[0]].hall_id
        if what == "racks":
            all_ids = [*members, *(p for r in members for p in in_rack.get(r, ()))]
            design = sum(effective.design_kw(items[r], entry_of(items[r].catalog_id)) for r in members)
            group_load: float | None = None
            state = UNKNOWN
            if results is not None:
                idx = [rack_index[r] for r in members if r in rack_index]
                group_load = float(results.rack_it_kw[idx].sum()) if idx else 0.0
                served = results.rack_served[idx]
                if not feeders or not served.all():
                    state = UNSERVED
                elif results.failures_analysed and not results.rack_survives_single_failures[idx].all():
                    state = AT_RISK
                else:
                    state = "ok"
            elif not feeders:
                state = UNSERVED
            title = _group_title(members, items)
            nodes[node_id] = SldNode(node_id, tuple(all_ids), RACK_STAGE, title, "Racks", count=len(members),
                                     rating_kw=design or None, load_kw=group_load, state=state, hall_id=group_hall)
        else:
            kinds = Counter(ROLE_LABELS[roles[u]] for u in members)
            states = [unit_figures.get(u, UNKNOWN) for u in members]
            state = max(states, key=lambda s: STATES.index(s) if s in STATES else -1) if results else UNKNOWN
            nodes[node_id] = SldNode(node_id, tuple(members), RACK_STAGE, ", ".join(sorted(kinds)),
                                     "Cooling units", count=len(members), state=state, hall_id=group_hall)
        for member in nodes[node_id].item_ids:
            node_of_item[member] = node_id
        for source, side in feeders:
            if source in nodes:
                group_edges.append((source, node_id, "" if side == FeedSide.SINGLE.value else side))

    # ---- links between boxes (equipment to equipment, then to groups), merged per (source, target, side)
    merged: Counter[tuple[str, str, str]] = Counter()
    for link in power_links:
        source, target = link.source_id, link.target_id
        if source in nodes and target in nodes and nodes[source].stage < IN_RACK_STAGE and \
                nodes[target].stage < IN_RACK_STAGE:
            merged[(source, target, "" if link.feed is FeedSide.SINGLE else link.feed.value)] += 1
    for edge in group_edges:
        merged[edge] += 1
    if hall_id is not None:
        keep = {nid for nid, node in nodes.items() if node.hall_id == hall_id}
        ups: dict[str, list[str]] = {}
        for source, target, _side in merged:
            ups.setdefault(target, []).append(source)
        frontier = list(keep)
        while frontier:
            for parent in ups.get(frontier.pop(), ()):
                if parent not in keep:
                    keep.add(parent)
                    frontier.append(parent)
        nodes = {nid: node for nid, node in nodes.items() if nid in keep}
        merged = Counter({edge: n for edge, n in merged.items() if edge[0] in keep and edge[1] in keep})
        node_of_item = {item: nid for item, nid in node_of_item.items() if nid in keep}
    sides = _path_sides(nodes, merged)
    nodes = {nid: replace(node, side=sides.get(nid, "")) for nid, node in nodes.items()}

    # ---- place: rows by stage, ordered by the parents' positions (barycentre), then centred
    stages = sorted({node.stage for node in nodes.values()})
    parents: dict[str, list[str]] = {}
    for source, target, _side in merged:
        parents.setdefault(target, []).append(source)
    rank: dict[str, float] = {}
    rows: dict[int, list[str]] = {}
    for stage in stages:
        members = [nid for nid, node in nodes.items() if node.stage == stage]

        def key(nid: str) -> tuple[float, str]:
            ups = [rank[p] for p in parents.get(nid, ()) if p in rank]
            return (sum(ups) / len(ups) if ups else float("inf"), nid)

        members.sort(key=key)
        for position, nid in enumerate(members):
            rank[nid] = float(position)
        rows[stage] = members
    hooks = LABEL_HOOKS if hooks is None else hooks
    if hooks:
        nodes = {nid: replace(node, extra_lines=tuple(line for hook in hooks for line in hook(node, project, results)))
                 for nid, node in nodes.items()}
    tallest = max((len(n.lines()) for n in nodes.values()), default=4)
    box_h = max(BOX_H_MM, LINE_MM * tallest + 2.0)
    # the standard lines fit BOX_W_MM (longer titles are elided); hook lines widen every box to the longest
    longest = max((len(line) for n in nodes.values() for line in n.extra_lines), default=0)
    box_w = min(max(BOX_W_MM, CHAR_MM * longest + 3.0), MAX_BOX_W_MM)
    line_pitch = box_h + CHANNEL_MM
    # a row of more boxes than fit a sheet's proportions wraps onto further lines
    per_line = max(MIN_PER_LINE, math.ceil(math.sqrt(len(nodes) * ASPECT)))
    chunk_of = {stage: _chunk(len(members), per_line) for stage, members in rows.items()}
    pitch = box_w + GAP_X_MM
    widest = max(chunk_of.values(), default=0)
    left_edge = MARGIN_MM + TITLE_COLUMN_MM
    width = left_edge + max(widest * pitch - GAP_X_MM, 0.0) + MARGIN_MM
    placed: dict[str, SldNode] = {}
    row_titles: list[tuple[str, float]] = []
    top = MARGIN_MM + ROW_TITLE_MM
    for stage in stages:
        members = rows[stage]
        row_titles.append((ROW_TITLES.get(stage, f"Stage {stage}"), top))
        size = chunk_of[stage]
        for start in range(0, len(members), size):
            chunk = members[start:start + size]
            left = left_edge + ((widest - len(chunk)) * pitch) / 2
            for position, nid in enumerate(chunk):
                placed[nid] = replace(nodes[nid], x_mm=left + position * pitch, y_mm=top, width_mm=box_w,
                                      height_mm=box_h)
            top += line_pitch
        top += ROW_TITLE_MM
    height = top - CHANNEL_MM - ROW_TITLE_MM + MARGIN_MM

    links = []
    for (source, target, side), count in sorted(merged.items()):
        a, b = placed[source], placed[target]
        x0, y0 = a.x_mm + a.width_mm / 2, a.y_mm + a.height_mm
        x1, y1 = b.x_mm + b.width_mm / 2, b.y_mm
        # A and B drops side by side, so both show where one box takes both
        x1 += {"A": -3.0, "B": 3.0}.get(side or sides.get(target, ""), 0.0)
        mid = y1 - CHANNEL_MM / 2 + (1.5 if side == "B" else -1.5 if side == "A" else 0.0)
        links.append(SldLink(source, target, side or sides.get(source, ""), count,
                             ((x0, y0), (x0, mid), (x1, mid), (x1, y1))))
    return SldLayout(tuple(placed[nid] for stage in stages for nid in rows[stage]), tuple(links),
                     tuple(row_titles), width, height, node_of_item)


def _chunk(count: int, per_line: int) -> int:
    """Boxes per line of a row of ``count``: all on one line unless a quarter more than ``per_line``,
    else evenly over as few lines as hold ``per_line`` each (18 transformers stay one row; 40 make
    two lines of 20, not 32 and 8)."""
    if count <= per_line * 1.25:
        return max(count, 1)
    lines = math.ceil(count / per_line)
    return math.ceil(count / lines)


def _group_title(members: Sequence[str], items: Mapping[str, PlacedItem]) -> str:
    """``A01 – A08`` from the first and last labels of a group (ids when unlabelled)."""
    names = sorted(items[m].label or m for m in members)
    return names[0] if len(names) == 1 else f"{names[0]} – {names[-1]}"


def _path_sides(nodes: dict[str, SldNode], merged: Counter[tuple[str, str, str]]) -> dict[str, str]:
    """The A or B path of each box: the side of the cords below it, by majority, carried upwards."""
    below: dict[str, list[tuple[str, str]]] = {}
    for source, target, side in merged:
        below.setdefault(source, []).append((target, side))
    sides: dict[str, str] = {}
    for stage in sorted({n.stage for n in nodes.values()}, reverse=True):
        for nid, node in nodes.items():
            if node.stage != stage:
                continue
            votes: Counter[str] = Counter()
            for target, side in below.get(nid, ()):
                chosen = side or sides.get(target, "")
                if chosen:
                    votes[chosen] += 1
            if votes and not (votes["A"] and votes["B"]):
                sides[nid] = votes.most_common(1)[0][0]
    return sides


def group_of_items(layout: SldLayout, item_ids: Sequence[str]) -> set[str]:
    """The node ids showing any of ``item_ids``."""
    return {layout.node_of_item[i] for i in item_ids if i in layout.node_of_item}


__all__ = [
    "LABEL_HOOKS",
    "SldLayout",
    "SldLink",
    "SldNode",
    "group_of_items",
    "single_line_layout",
]
