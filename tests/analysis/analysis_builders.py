"""Small catalogs and designs for the analysis tests, built from CatalogEntry objects (no catalog files)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import numpy as np

from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.model import (
    Catalog,
    CatalogEntry,
    Confidence,
    Connection,
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    Hall,
    ItemKind,
    LossModel,
    PlacedItem,
    Project,
    Role,
    WorkloadClass,
)
from designer.model.roles import COOLING_STAGE_BY_ROLE

UPS_LOSS = LossModel(0.012, 0.015, 0.008)


def entry(
    entry_id: str,
    role: Role,
    capacity_kw: float = 0.0,
    *,
    loss: LossModel | None = None,
    workload: WorkloadClass | None = None,
    liquid_fraction: float = 0.0,
    medium: CoolingMedium | None = None,
    weight_kg: float = 0.0,
    width_mm: float = 600.0,
    depth_mm: float = 1200.0,
    parameters: Mapping[str, float | str | bool] | None = None,
) -> CatalogEntry:
    if role is Role.RACK:
        kind = ItemKind.RACK
    elif role in COOLING_STAGE_BY_ROLE:
        kind = ItemKind.COOLING
    else:
        kind = ItemKind.POWER
    return CatalogEntry(
        id=entry_id, kind=kind, role=role, name=entry_id, width_mm=width_mm, depth_mm=depth_mm, source="test",
        confidence=Confidence.ESTIMATE, weight_kg=weight_kg, capacity_kw=capacity_kw, workload=workload,
        liquid_fraction=liquid_fraction, medium=medium, loss=loss, parameters=dict(parameters or {}),
    )


def flat_profiles(level: float = 0.8) -> dict[WorkloadClass, np.ndarray]:
    """Every class at ``level`` of nameplate all day (so hand-worked numbers hold at every hour)."""
    return {w: np.full(24, level) for w in WorkloadClass if w is not WorkloadClass.AI}


TEST_CATALOG = Catalog([
    entry("t.utility", Role.UTILITY, 100_000.0),
    entry("t.mv", Role.MV_SWITCHGEAR, 20_000.0),
    entry("t.xfmr", Role.TRANSFORMER, 2_850.0, loss=LossModel(0.0025, 0.0, 0.009)),
    entry("t.ups", Role.UPS, 1_250.0, loss=UPS_LOSS),
    entry("t.ups_lossless", Role.UPS, 1_250.0),
    entry("t.busway", Role.BUSWAY, 1_000.0),
    entry("t.rack_pdu", Role.RACK_PDU, 20.0),
    entry("t.rack100", Role.RACK, 100.0, workload=WorkloadClass.TRAINING, weight_kg=720.0),
    entry("t.rack_liquid", Role.RACK, 100.0, workload=WorkloadClass.TRAINING, liquid_fraction=0.8, weight_kg=1360.0),
    entry("t.rack_ai", Role.RACK, 100.0, workload=WorkloadClass.AI),
    entry("t.rack_dlc", Role.RACK, 100.0, workload=WorkloadClass.TRAINING, liquid_fraction=1.0),
    entry("t.crah150", Role.CRAH, 150.0, medium=CoolingMedium.AIR),
    entry("t.cdu", Role.CDU, 1_500.0, medium=CoolingMedium.LIQUID),
    entry("t.cdu60", Role.CDU, 60.0, medium=CoolingMedium.LIQUID),
    entry("t.cdu_pump5", Role.CDU, 1_500.0, medium=CoolingMedium.LIQUID, parameters={"pump_kw_per_kw": 0.05}),
    entry("t.dry_cooler", Role.DRY_COOLER, 5_000.0, medium=CoolingMedium.LIQUID,
          parameters={"sink": "dry_bulb", "free_cooling": True, "approach_k": 10.0, "fan_kw_per_kw": 0.02}),
])


class Design:
    """A one-hall project under construction."""

    def __init__(self, floor_rating_kg_m2: float = 1200.0) -> None:
        self.project = Project()
        self.project.add_hall(Hall("H1", "Hall 1", ((0, 0), (60_000, 0), (60_000, 40_000), (0, 40_000)),
                                   floor_rating_kg_m2=floor_rating_kg_m2))
        self._n = 0

    def add(self, item_id: str, catalog_id: str, **overrides: object) -> str:
        self._n += 1
        self.project.add_items([PlacedItem(item_id, catalog_id, "H1", 1000.0 * self._n, 1000.0, **overrides)])  # type: ignore[arg-type]
        return item_id

    def power(self, source: str, target: str, feed: FeedSide = FeedSide.SINGLE) -> None:
        self.project.add_connections([Connection(self.project.new_id("p"), ConnectionKind.POWER, source, target, feed)])

    def cool(self, source: str, target: str, medium: CoolingMedium = CoolingMedium.AIR) -> None:
        self.project.add_connections(
            [Connection(self.project.new_id("c"), ConnectionKind.COOLING, source, target, medium=medium)]
        )

    def analyze(self, catalog: Catalog = TEST_CATALOG, level: float = 0.8, **kwargs: object) -> Results:
        analyzer = Analyzer(profiles=flat_profiles(level), climates={})
        return analyzer.analyze(self.project, catalog, **kwargs)  # type: ignore[arg-type]


def load_of(results: Results, component_id: str) -> float:
    return float(results.component_load_kw[results.component_index(component_id)])


def utilization_of(results: Results, component_id: str) -> float:
    return float(results.component_utilization[results.component_index(component_id)])


def codes(results: Results) -> set[str]:
    return {finding.code for finding in results.findings}


@contextmanager
def campus_analyzer(racks: int) -> Iterator[tuple[Project, Catalog, Analyzer]]:
    """A synthetic campus of ``racks`` racks (``build_campus``), its merged catalog and an analyzer
    that has analysed it once (no failure cases); the analyzer is closed after the block."""
    from designer.analysis.synthetic import build_campus
    from designer.io.catalog_io import load_catalog
    from designer.model.catalog import merged_catalog

    catalog = load_catalog(include_user=False)
    project = build_campus(racks, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        analyzer.analyze(project, merged, failures=False)
        yield project, merged, analyzer
    finally:
        analyzer.close()
