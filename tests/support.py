"""Helpers shared by tests (importable as ``support`` via pytest's pythonpath)."""

from __future__ import annotations

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
    Scenario,
    WorkloadClass,
)


def make_entry(entry_id: str, kind: ItemKind, role: Role, **fields: object) -> CatalogEntry:
    defaults: dict[str, object] = {
        "width_mm": 600.0,
        "depth_mm": 1200.0,
        "source": "test",
        "confidence": Confidence.ESTIMATE,
    }
    defaults.update(fields)
    return CatalogEntry(id=entry_id, kind=kind, role=role, name=entry_id, **defaults)  # type: ignore[arg-type]


def build_small_catalog() -> Catalog:
    return Catalog(
        [
            make_entry(
                "rack.t",
                ItemKind.RACK,
                Role.RACK,
                capacity_kw=100.0,
                weight_kg=1000.0,
                workload=WorkloadClass.TRAINING,
                liquid_fraction=0.8,
            ),
            make_entry(
                "rack.i", ItemKind.RACK, Role.RACK, capacity_kw=20.0, weight_kg=600.0, workload=WorkloadClass.INFERENCE
            ),
            make_entry(
                "ups",
                ItemKind.POWER,
                Role.UPS,
                width_mm=2000.0,
                depth_mm=1000.0,
                capacity_kw=1250.0,
                loss=LossModel(0.012, 0.015, 0.008),
            ),
            make_entry("util", ItemKind.POWER, Role.UTILITY, width_mm=0.0, depth_mm=0.0, capacity_kw=10000.0),
            make_entry("cdu", ItemKind.COOLING, Role.CDU, capacity_kw=1500.0, medium=CoolingMedium.LIQUID),
            make_entry(
                "crah",
                ItemKind.COOLING,
                Role.CRAH,
                width_mm=2500.0,
                depth_mm=900.0,
                capacity_kw=150.0,
                medium=CoolingMedium.AIR,
            ),
        ]
    )


def build_small_project() -> Project:
    project = Project()
    project.add_hall(Hall("hall-1", "Hall 1", ((0, 0), (30000, 0), (30000, 20000), (0, 20000))))
    project.add_items(
        [
            PlacedItem("util-1", "util", "hall-1", 1000, 1000),
            PlacedItem("ups-a", "ups", "hall-1", 3000, 1000),
            PlacedItem("ups-b", "ups", "hall-1", 6000, 1000),
            PlacedItem("rack-1", "rack.t", "hall-1", 10300, 5600, label="R01"),
            PlacedItem("rack-2", "rack.i", "hall-1", 10900, 5600, label="R02", design_kw=25.0),
            PlacedItem("cdu-1", "cdu", "hall-1", 12000, 5600),
        ]
    )
    project.add_connections(
        [
            Connection("c1", ConnectionKind.POWER, "util-1", "ups-a"),
            Connection("c2", ConnectionKind.POWER, "util-1", "ups-b"),
            Connection("c3", ConnectionKind.POWER, "ups-a", "rack-1", feed=FeedSide.A),
            Connection("c4", ConnectionKind.POWER, "ups-b", "rack-1", feed=FeedSide.B),
            Connection("c5", ConnectionKind.COOLING, "cdu-1", "rack-1", medium=CoolingMedium.LIQUID),
        ]
    )
    project.add_scenario(Scenario("sc-1", "Transition"))
    return project
