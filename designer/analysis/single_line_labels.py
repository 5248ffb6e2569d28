"""Electrical labels of the single-line diagram's boxes: ratings as written, load in kVA and amps, incoming feeds.

``electrical_label_hook(project, catalog, electrical)`` returns a ``single_line.LabelHook`` that adds,
under a box's standard lines (title, kind, kW against rating, state):

- equipment: its rating the way it is written (a busway or RPP in amps, a transformer in kVA with its
  ratio, a UPS in kVA), then its load at the analysed (design) hour in kVA and amps, then one line per
  incoming feed: the feed side, the breaker, the cable and its length (``A: 250 A, 95 mm², 12 m``);
- a rack group: its load in kVA and the design current per rack, then per feed side the largest
  breaker, its cable and the range of run lengths of the group's cords;
- a cooling group: the estimated draw, then its feeds like a rack group.

The figures are ``electrical.electrical_figures``' (read through its public fields only); a box whose
items it does not know gets no lines (never a made-up figure).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from designer.analysis.electrical import LV_MAX_V, ElectricalResults, FeedFigures, NodeFigures
from designer.analysis.results import Results
from designer.analysis.single_line import LABEL_HOOKS, RACK_STAGE, LabelHook, SldNode
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.types import Role

MAX_FEED_LINES = 2
"""Feeds listed one per line on an equipment box; more are counted on a last line."""


def volts(value: float) -> str:
    """``415 V``, ``11 kV``, ``0.415 kV`` style (kV from 1 kV up)."""
    return f"{value / 1000:g} kV" if value >= LV_MAX_V else f"{value:,.0f} V"


def rating_words(node: NodeFigures, entry: CatalogEntry | None) -> str:
    """The rating as the equipment is rated: amps where its entry gives amps, a transformer's kVA and ratio,
    else kVA; with the voltage."""
    if node.role == Role.TRANSFORMER and node.rated_kva:
        ratio = (f"{node.primary_voltage_v / 1000:g}/{node.voltage_v / 1000:g} kV" if node.primary_voltage_v
                 else volts(node.voltage_v))
        return f"{node.rated_kva:,.0f} kVA {ratio}"
    if entry is not None and entry.number("current_a", 0.0) > 0 and node.rated_a:
        return f"{node.rated_a:,.0f} A at {volts(node.voltage_v)}"
    if node.rated_kva:
        return f"{node.rated_kva:,.0f} kVA at {volts(node.voltage_v)}"
    return f"at {volts(node.voltage_v)}"


def feed_words(feed: FeedFigures) -> str:
    """``250 A, 95 mm², 12 m``: breaker, cable, length (an MV run: its voltage and length)."""
    length = f"{feed.length_m:,.0f} m" + ("" if feed.route_measured else " est.")
    if feed.voltage_v > LV_MAX_V:
        return f"{volts(feed.voltage_v)}, {length}"
    breaker = f"{feed.breaker_a:,.0f} A" if feed.breaker_a is not None else "no breaker fits"
    cable = feed.cable.replace(" x ", "×") if feed.cable else "no cable fits"
    return f"{breaker}, {cable}, {length}"


def _side(feed: FeedFigures) -> str:
    return feed.feed.upper() if feed.feed in ("A", "B", "a", "b") else ""


class ElectricalLabels:
    """The label lines of each box, from one set of electrical figures (feeds indexed once by consumer)."""

    def __init__(self, project: Project, catalog: Mapping[str, CatalogEntry], electrical: ElectricalResults) -> None:
        self.project, self.catalog, self.electrical = project, catalog, electrical
        self.feeds_to: dict[str, list[FeedFigures]] = {}
        for feed in electrical.feeds:
            self.feeds_to.setdefault(feed.target_id, []).append(feed)

    def __call__(self, node: SldNode, _project: Project, _results: Results | None) -> Sequence[str]:
        if node.stage >= RACK_STAGE:
            return self.group_lines(node)
        return self.equipment_lines(node.item_ids[0]) if node.item_ids else []

    def _entry(self, item_id: str) -> CatalogEntry | None:
        item = self.project.items.get(item_id)
        return self.catalog.get(item.catalog_id) if item is not None else None

    def equipment_lines(self, item_id: str) -> list[str]:
        figures = self.electrical.node(item_id)
        if figures is None:
            return []
        lines = [rating_words(figures, self._entry(item_id)),
                 f"now {figures.load_kva:,.0f} kVA, {figures.load_a:,.0f} A"]
        feeds = sorted(self.feeds_to.get(item_id, ()), key=lambda f: (_side(f), f.source_id))
        for feed in feeds[:MAX_FEED_LINES]:
            side = _side(feed)
            lines.append(f"{side + ': ' if side else 'in '}{feed_words(feed)}")
        if len(feeds) > MAX_FEED_LINES:
            lines.append(f"+{len(feeds) - MAX_FEED_LINES} more feeds")
        return lines

    def group_lines(self, node: SldNode) -> list[str]:
        members = set(node.item_ids)
        lines: list[str] = []
        if node.kind == "Racks":
            racks = [f for i in node.item_ids if (f := self.electrical.node(i)) is not None and f.role == Role.RACK]
            if racks:
                worst = max(racks, key=lambda f: f.design_a)
                lines.append(f"now {sum(f.load_kva for f in racks):,.0f} kVA; {worst.design_a:,.0f} A/rack "
                             f"{'3φ' if worst.phases == 3 else '1φ'}")
        feeds = [f for i in node.item_ids for f in self.feeds_to.get(i, ()) if f.source_id not in members]
        if node.kind != "Racks" and feeds:
            draw = sum(f.design_kw / f.power_factor for f in feeds if f.design_kw > 0) / max(
                1, len({_side(f) for f in feeds}))
            lines.append(f"draw est. {draw:,.0f} kVA")
        by_side: dict[str, list[FeedFigures]] = {}
        for feed in feeds:
            by_side.setdefault(_side(feed), []).append(feed)
        for side in sorted(by_side):
            group = by_side[side]
            largest = max(group, key=lambda f: (f.breaker_a or 0.0, f.cable_area_mm2 * f.cable_parallel))
            shortest, longest = min(f.length_m for f in group), max(f.length_m for f in group)
            words = feed_words(largest)
            if round(shortest) != round(longest):  # a range of lengths: the largest feed's words, then the span
                words = words.rsplit(", ", 1)[0] + f", {shortest:,.0f}–{longest:,.0f} m"
                if not all(f.route_measured for f in group):
                    words += " est."
            lines.append(f"{side + ': ' if side else 'in '}{words}")
        return lines


def electrical_label_hook(project: Project, catalog: Mapping[str, CatalogEntry],
                          electrical: ElectricalResults) -> LabelHook:
    """A label hook for ``single_line.single_line_layout(..., hooks=[...])`` (see the module notes)."""
    return ElectricalLabels(project, catalog, electrical)


def label_hooks(project: Project, catalog: Mapping[str, CatalogEntry],
                electrical: ElectricalResults | None) -> list[LabelHook]:
    """The registered ``LABEL_HOOKS`` and, given electrical figures, their labels (what every drawing of the
    diagram passes as ``hooks``)."""
    hooks = list(LABEL_HOOKS)
    if electrical is not None:
        hooks.append(electrical_label_hook(project, catalog, electrical))
    return hooks


__all__ = ["ElectricalLabels", "electrical_label_hook", "feed_words", "label_hooks", "rating_words", "volts"]
