"""An item's effective values: its own override where set, otherwise its catalog entry's default."""

from __future__ import annotations

from designer.model.catalog import CatalogEntry
from designer.model.records import PlacedItem
from designer.model.types import WorkloadClass


def design_kw(item: PlacedItem, entry: CatalogEntry) -> float:
    """Design (nameplate) IT kW of a rack, or the rated kW of equipment."""
    return entry.capacity_kw if item.design_kw is None else item.design_kw


def workload(item: PlacedItem, entry: CatalogEntry) -> WorkloadClass:
    if item.workload is not None:
        return item.workload
    return entry.workload or WorkloadClass.GENERAL


def liquid_fraction(item: PlacedItem, entry: CatalogEntry) -> float:
    return entry.liquid_fraction if item.liquid_fraction is None else item.liquid_fraction
