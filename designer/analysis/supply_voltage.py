"""The voltage each power item supplies, looked up down the chain (one home for the rule)."""

from __future__ import annotations

from collections.abc import Mapping

from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.types import ConnectionKind

DEFAULT_VOLTAGE_V = 415.0
"""Line-to-line voltage of an item whose entry and suppliers name none (the catalog's LV system)."""


def output_voltage_v(entry: CatalogEntry) -> float | None:
    """The voltage an item supplies (a transformer's LV side); None when its entry names none."""
    value = entry.number("voltage_v", 0.0)
    return value if value > 0 else None


def input_voltage_v(entry: CatalogEntry) -> float | None:
    """The voltage an item is fed at (a transformer's MV side)."""
    value = entry.number("mv_voltage_v", 0.0)
    return value if value > 0 else output_voltage_v(entry)


class SupplyVoltages:
    """The voltage each power item supplies: its entry's, else its suppliers' (lowest), looked up on demand."""

    def __init__(self, project: Project, catalog: Mapping[str, CatalogEntry], *, own_index: bool = False) -> None:
        """``own_index``: find suppliers in a map of the power connections into each item, made here on first need,
        rather than in the project's connection index (a whole design's lookup, kept with the electrical plan: the
        index of a snapshot, which has none until asked, holds every connection id twice, ~70 MB at 50k racks)."""
        self._project: Project | None = project
        self._catalog = catalog
        self._known: dict[str, float] = {}
        self._by_entry: dict[str, float | None] = {}
        self._own_index = own_index
        self._into: dict[str, list[str]] | None = None

    def rebind(self, project: Project, catalog: Mapping[str, CatalogEntry]) -> None:
        """Look further voltages up in ``project`` and ``catalog``: the very same records (another snapshot)."""
        self._project = project
        self._catalog = catalog

    def unbind(self) -> None:
        """Let go of the project (kept between calls, a snapshot's dicts would stay alive with it) and of the map
        of power connections made from it (~12 MB at 50k racks; made again on a lookup that needs it); ``rebind``
        before the next lookup. The voltages already known stay."""
        self._project = None
        self._into = None

    def get(self, item_id: str, default: float = DEFAULT_VOLTAGE_V) -> float:
        """The voltage ``item_id`` supplies (``default`` is unused: every item has one, 415 V at worst)."""
        return self._voltage(item_id, 0)

    def _voltage(self, item_id: str, depth: int) -> float:
        known = self._known.get(item_id)
        if known is not None:
            return known
        project = self._project
        if project is None:
            raise RuntimeError(f"supply voltage of {item_id!r} asked of voltages not bound to a project")
        item = project.items.get(item_id)
        value: float | None = None
        if item is not None:
            by_entry = self._by_entry
            if item.catalog_id not in by_entry:
                entry = self._catalog.get(item.catalog_id)
                by_entry[item.catalog_id] = output_voltage_v(entry) if entry is not None else None
            value = by_entry[item.catalog_id]
        if value is None and depth < 20 and item is not None:
            if self._own_index:
                connections = project.connections
                # in connection id order, as ``connections_of`` gives them
                ups = [self._voltage(connections[c].source_id, depth + 1)
                       for c in sorted(self._power_into().get(item_id, ()))]
            else:
                ups = [self._voltage(c.source_id, depth + 1) for c in project.connections_of(item_id)
                       if c.target_id == item_id and c.kind is ConnectionKind.POWER]
            value = min(ups) if ups else None
        self._known[item_id] = value if value is not None else DEFAULT_VOLTAGE_V
        return self._known[item_id]

    def _power_into(self) -> dict[str, list[str]]:
        """The ids of the power connections into each item (the records do not change while this is bound)."""
        into = self._into
        if into is None:
            assert self._project is not None  # asked by ``_voltage``, which checks it
            into = self._into = {}
            power = ConnectionKind.POWER
            for connection in self._project.connections.values():
                if connection.kind is power:
                    known = into.get(connection.target_id)
                    if known is None:
                        into[connection.target_id] = [connection.id]
                    else:
                        known.append(connection.id)
        return into
