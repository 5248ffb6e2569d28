"""DXF export, read back with ezdxf: units, layers, attributed blocks, the y flip and rotations."""

from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path

import ezdxf
import pytest
from ezdxf.document import Drawing
from ezdxf.entities import Insert

from designer.io import atomic_write
from designer.io.catalog_io import load_catalog
from designer.io.export_dxf import LAYERS, export_dxf
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model import (
    Catalog,
    CatalogEntry,
    Confidence,
    Connection,
    ConnectionKind,
    CoolingMedium,
    Door,
    FeedSide,
    Hall,
    ItemKind,
    Obstacle,
    ObstacleKind,
    PlacedItem,
    Project,
    Role,
    WorkloadClass,
)

EXAMPLE_FILES = sorted(examples_dir().glob("*.dcplan"))
RACK_W_MM, RACK_D_MM = 600.0, 1200.0


def entry(entry_id: str, kind: ItemKind, role: Role, **fields: object) -> CatalogEntry:
    values: dict[str, object] = {"width_mm": RACK_W_MM, "depth_mm": RACK_D_MM, "source": "test"}
    values.update(fields)
    return CatalogEntry(id=entry_id, kind=kind, role=role, name=entry_id, confidence=Confidence.ESTIMATE, **values)  # type: ignore[arg-type]


def hall_catalog() -> Catalog:
    return Catalog(
        [
            entry("rack.t", ItemKind.RACK, Role.RACK, capacity_kw=100.0, workload=WorkloadClass.TRAINING),
            entry("rack.i", ItemKind.RACK, Role.RACK, capacity_kw=20.0, workload=WorkloadClass.INFERENCE),
            entry("ups", ItemKind.POWER, Role.UPS, width_mm=2000.0, depth_mm=1000.0, capacity_kw=1250.0),
            entry("util", ItemKind.POWER, Role.UTILITY, width_mm=0.0, depth_mm=0.0, capacity_kw=10000.0),
            entry("cdu", ItemKind.COOLING, Role.CDU, capacity_kw=1500.0, medium=CoolingMedium.LIQUID),
            entry("crah", ItemKind.COOLING, Role.CRAH, width_mm=2500.0, depth_mm=900.0, capacity_kw=150.0),
            entry("cont", ItemKind.FLOOR, Role.CONTAINMENT, width_mm=3000.0, depth_mm=1200.0),
        ]
    )


def hall_project() -> Project:
    """Hall 1 (30 x 20 m, 600 mm tiles) with racks at 0/90/180/30 degrees, equipment and both feeds."""
    project = Project()
    column = Obstacle("col-1", ObstacleKind.COLUMN, ((15000, 10000), (15600, 10000), (15600, 10600), (15000, 10600)))
    wall = Obstacle("wall-1", ObstacleKind.WALL, ((20000, 0), (20200, 0), (20200, 8000), (20000, 8000)))
    door = Door("door-1", 3000, 19800, 1800, label="Main")
    outline = ((0, 0), (30000, 0), (30000, 19800), (0, 19800))
    project.add_hall(Hall("hall-1", "Hall 1", outline, obstacles=(column, wall), doors=(door,)))
    project.add_hall(Hall("hall-2", "Plant", ((0, 0), (10000, 0), (10000, 10000), (0, 10000))))
    project.add_items(
        [
            PlacedItem("util-1", "util", "hall-2", 1000, 1000, label="Utility"),
            PlacedItem("ups-a", "ups", "hall-1", 3000, 1000, label="UPS A"),
            PlacedItem("ups-b", "ups", "hall-1", 6000, 1000, label="UPS B"),
            PlacedItem("pdu-pt", "util", "hall-1", 9000, 1500),
            PlacedItem("rack-0", "rack.t", "hall-1", 10300, 5600, label="R00"),
            PlacedItem("rack-90", "rack.t", "hall-1", 12000, 5600, 90.0, label="R90", design_kw=80.0),
            PlacedItem("rack-180", "rack.t", "hall-1", 14000, 5600, 180.0, label="R180"),
            PlacedItem("rack-30", "rack.i", "hall-1", 16000, 5600, 30.0, label="R30", workload=WorkloadClass.AI),
            PlacedItem("cdu-1", "cdu", "hall-1", 12000, 9000, label="CDU"),
            PlacedItem("crah-1", "crah", "hall-1", 2000, 15000, 270.0, label="CRAH"),
            PlacedItem("hac-1", "cont", "hall-1", 11000, 3000),
        ]
    )
    project.add_connections(
        [
            Connection("c0", ConnectionKind.POWER, "util-1", "ups-a"),  # leaves the hall: not drawn
            Connection("c1", ConnectionKind.POWER, "ups-a", "pdu-pt"),
            Connection("c3", ConnectionKind.POWER, "ups-a", "rack-0", feed=FeedSide.A),
            Connection("c4", ConnectionKind.POWER, "ups-b", "rack-0", feed=FeedSide.B),
            Connection("c5", ConnectionKind.POWER, "ups-b", "rack-90", feed=FeedSide.B),
            Connection("c6", ConnectionKind.COOLING, "cdu-1", "rack-0", medium=CoolingMedium.LIQUID),
            Connection("c7", ConnectionKind.COOLING, "crah-1", "rack-0", medium=CoolingMedium.AIR),
        ]
    )
    return project


@pytest.fixture
def exported(tmp_path: Path) -> Drawing:
    path = tmp_path / "hall.dxf"
    export_dxf(hall_project(), hall_catalog(), "hall-1", path)
    return ezdxf.readfile(path)


def inserts_by_id(doc: Drawing) -> dict[str, Insert]:
    found: dict[str, Insert] = {}
    for insert in doc.modelspace().query("INSERT"):
        assert isinstance(insert, Insert)
        if insert.has_attrib("ID"):
            found[insert.get_attrib_text("ID")] = insert
    return found


def model_corners(x: float, y: float, width: float, depth: float, rotation_deg: float) -> list[tuple[float, float]]:
    """Footprint corners in the model frame (y down, clockwise rotation), worked out independently."""
    a = math.radians(rotation_deg)
    local = ((-width / 2, -depth / 2), (width / 2, -depth / 2), (width / 2, depth / 2), (-width / 2, depth / 2))
    return [(x + u * math.cos(a) - v * math.sin(a), y + u * math.sin(a) + v * math.cos(a)) for u, v in local]


def rounded(points: list[tuple[float, float]]) -> set[tuple[float, float]]:
    return {(round(px, 3) + 0.0, round(py, 3) + 0.0) for px, py in points}


def test_header_is_r2013_in_millimetres(exported: Drawing) -> None:
    assert exported.dxfversion == "AC1027"
    assert exported.header["$INSUNITS"] == 4
    assert exported.header["$MEASUREMENT"] == 1


def test_every_layer_is_present_with_colour_and_description(exported: Drawing) -> None:
    for name, (colour, description) in LAYERS.items():
        layer = exported.layers.get(name)
        assert layer.get_color() == colour
        assert layer.description == description
        assert layer.is_off() == (name == "FLOOR-GRID")


def test_audit_reports_no_errors(exported: Drawing) -> None:
    auditor = exported.audit()
    assert not auditor.has_errors, [str(e.message) for e in auditor.errors]


def test_one_attributed_insert_per_item_of_the_hall(exported: Drawing) -> None:
    project = hall_project()
    inserts = inserts_by_id(exported)
    assert set(inserts) == {i.id for i in project.items.values() if i.hall_id == "hall-1"}
    rack_layers = [name for name in LAYERS if name.startswith("RACKS-")]
    racks = [e for e in exported.modelspace().query("INSERT") if e.dxf.layer in rack_layers]
    assert len(racks) == 4
    rack = inserts["rack-0"]
    assert rack.dxf.layer == "RACKS-TRAINING"
    assert rack.get_attrib_text("LABEL") == "R00"
    assert float(rack.get_attrib_text("KW")) == 100.0
    assert rack.get_attrib_text("WORKLOAD") == "training"
    assert rack.get_attrib_text("CATALOG") == "rack.t"
    assert float(inserts["rack-90"].get_attrib_text("KW")) == 80.0  # the item's design kW override
    assert inserts["rack-30"].dxf.layer == "RACKS-AI"  # the item's workload override
    assert float(inserts["ups-a"].get_attrib_text("KW")) == 1250.0
    assert inserts["ups-a"].dxf.layer == "POWER-EQUIPMENT"
    assert inserts["cdu-1"].dxf.layer == "COOLING-EQUIPMENT"
    assert inserts["hac-1"].dxf.layer == "CONTAINMENT"


def test_rack_kw_override_replaces_design_kw(tmp_path: Path) -> None:
    path = tmp_path / "loads.dxf"
    export_dxf(hall_project(), hall_catalog(), "hall-1", path, rack_kw={"rack-0": 61.25, "ups-a": 5.0})
    inserts = inserts_by_id(ezdxf.readfile(path))
    assert float(inserts["rack-0"].get_attrib_text("KW")) == 61.25
    assert float(inserts["rack-90"].get_attrib_text("KW")) == 80.0
    assert float(inserts["ups-a"].get_attrib_text("KW")) == 1250.0  # not a rack: its rating stays


def test_centres_are_in_mm_with_y_flipped(exported: Drawing) -> None:
    inserts = inserts_by_id(exported)
    for item in hall_project().items.values():
        if item.hall_id == "hall-1":
            x, y, _ = inserts[item.id].dxf.insert
            assert (x, y) == pytest.approx((item.x_mm, -item.y_mm))


def test_rotation_90_faces_the_front_toward_plus_x(exported: Drawing) -> None:
    """Model: rotation 90 clockwise turns the front (model -y) toward +x. CAD: -90, i.e. 270."""
    rack = inserts_by_id(exported)["rack-90"]
    assert rack.dxf.rotation == pytest.approx(270.0)
    parts = list(rack.virtual_entities())
    outline = next(p for p in parts if p.dxftype() == "LWPOLYLINE")
    xs = [p[0] for p in outline.get_points("xy")]  # type: ignore[attr-defined]
    ys = [p[1] for p in outline.get_points("xy")]  # type: ignore[attr-defined]
    assert max(xs) - min(xs) == pytest.approx(RACK_D_MM)  # depth now runs along x
    assert max(ys) - min(ys) == pytest.approx(RACK_W_MM)
    front = next(p for p in parts if p.dxftype() == "LINE")
    assert min(front.dxf.start.x, front.dxf.end.x) > 12000.0  # the front marker is on the +x side


@pytest.mark.parametrize("item_id", ["rack-0", "rack-90", "rack-180", "rack-30", "crah-1", "ups-a"])
def test_block_corners_match_the_model_footprint(exported: Drawing, item_id: str) -> None:
    item = hall_project().items[item_id]
    e = hall_catalog()[item.catalog_id]
    insert = inserts_by_id(exported)[item_id]
    outline = next(p for p in insert.virtual_entities() if p.dxftype() == "LWPOLYLINE")
    cad = [(px, py) for px, py in outline.get_points("xy")]  # type: ignore[attr-defined]
    expected = [(px, -py) for px, py in model_corners(item.x_mm, item.y_mm, e.width_mm, e.depth_mm, item.rotation_deg)]
    assert rounded(cad) == rounded(expected)


def test_front_marker_follows_the_model_front(exported: Drawing) -> None:
    """At rotation 0 the front looks toward model -y, which is CAD +y."""
    insert = inserts_by_id(exported)["rack-0"]
    front = next(p for p in insert.virtual_entities() if p.dxftype() == "LINE")
    assert front.dxf.start.y > -5600.0 and front.dxf.end.y > -5600.0
    insert = inserts_by_id(exported)["rack-180"]
    front = next(p for p in insert.virtual_entities() if p.dxftype() == "LINE")
    assert front.dxf.start.y < -5600.0 and front.dxf.end.y < -5600.0


def test_zero_footprint_items_are_small_circles(exported: Drawing) -> None:
    insert = inserts_by_id(exported)["pdu-pt"]
    kinds = sorted(p.dxftype() for p in insert.virtual_entities())
    assert "CIRCLE" in kinds and "LWPOLYLINE" not in kinds
    assert insert.get_attrib_text("ROLE") == "utility"


def test_connections_are_lines_between_centres_on_their_layer(exported: Drawing) -> None:
    msp = exported.modelspace()
    counts = {layer: len(msp.query(f'LINE[layer=="{layer}"]')) for layer in LAYERS}
    assert counts["POWER-A"] == 1
    assert counts["POWER-B"] == 2
    assert counts["POWER-SINGLE"] == 1  # util-1 -> ups-a crosses halls and is not drawn
    assert counts["COOLING-LIQUID"] == 1
    assert counts["COOLING-AIR"] == 1
    line = msp.query('LINE[layer=="POWER-A"]').first
    assert (line.dxf.start.x, line.dxf.start.y) == pytest.approx((3000.0, -1000.0))
    assert (line.dxf.end.x, line.dxf.end.y) == pytest.approx((10300.0, -5600.0))


def test_walls_columns_doors_labels_and_grid(exported: Drawing) -> None:
    msp = exported.modelspace()
    walls = msp.query('LWPOLYLINE[layer=="WALLS"]')
    assert len(walls) == 2  # outline + wall obstacle
    shapes = [rounded([(px, py) for px, py in p.get_points("xy")]) for p in walls]
    assert rounded([(0, 0), (30000, 0), (30000, -19800), (0, -19800)]) in shapes
    assert len(msp.query('LWPOLYLINE[layer=="COLUMNS"]')) == 1
    door = msp.query('INSERT[layer=="DOORS"]').first
    assert (door.dxf.insert.x, door.dxf.insert.y, door.dxf.xscale) == pytest.approx((3000.0, -19800.0, 1800.0))
    labels = {t.dxf.text for t in msp.query('TEXT[layer=="LABELS"]')}
    assert {"Hall 1", "R00", "R90", "UPS A", "pdu-pt"} <= labels
    grid = msp.query('LINE[layer=="FLOOR-GRID"]')
    assert len(grid) == (30000 // 600 + 1) + (19800 // 600 + 1)


def test_floor_grid_can_be_left_out(tmp_path: Path) -> None:
    path = tmp_path / "nogrid.dxf"
    export_dxf(hall_project(), hall_catalog(), "hall-1", path, floor_grid=False)
    doc = ezdxf.readfile(path)
    assert len(doc.modelspace().query('LINE[layer=="FLOOR-GRID"]')) == 0
    assert "FLOOR-GRID" in doc.layers


def test_unknown_hall_is_a_value_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.dxf"
    with pytest.raises(ValueError, match="unknown hall 'nope'"):
        export_dxf(hall_project(), hall_catalog(), "nope", path)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_an_os_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "x.dxf"
    with pytest.raises(OSError, match=r"cannot write the DXF file .*missing.*x\.dxf"):
        export_dxf(hall_project(), hall_catalog(), "hall-1", path)
    assert not path.parent.exists()


def test_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.dxf"
    path.write_bytes(b"old")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_write.os, "replace", refuse)
    with pytest.raises(OSError, match=r"cannot write the DXF file .*x\.dxf: Permission denied"):
        export_dxf(hall_project(), hall_catalog(), "hall-1", path)
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.dxf"]  # no temp file left behind


def test_new_file_is_not_created_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic_write.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        export_dxf(hall_project(), hall_catalog(), "hall-1", tmp_path / "x.dxf")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


@pytest.fixture(scope="module")
def bundled_catalog() -> Catalog:
    return load_catalog(include_user=False)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_hall_of_every_example_exports(example: Path, tmp_path: Path, bundled_catalog: Catalog) -> None:
    project = load_project(example, bundled_catalog)
    rack_ids = {i.id for i in project.items.values() if bundled_catalog[i.catalog_id].is_rack}
    for hall_id in project.halls:
        path = tmp_path / f"{hall_id}.dxf"
        export_dxf(project, bundled_catalog, hall_id, path)
        doc = ezdxf.readfile(path)
        assert not doc.audit().has_errors
        inserts = inserts_by_id(doc)
        in_hall = {i.id for i in project.items.values() if i.hall_id == hall_id}
        assert set(inserts) == in_hall
        racks = [e for e in doc.modelspace().query("INSERT") if e.dxf.layer.startswith("RACKS-")]
        assert len(racks) == len(in_hall & rack_ids)


def test_non_ascii_and_unencodable_labels_do_not_break_the_export(tmp_path: Path) -> None:
    project = hall_project()
    project.update_items(
        [
            replace(project.items["rack-0"], label="Baie Ø-1 «α»"),
            replace(project.items["rack-90"], label="bad \udc80 text\nline"),
        ]
    )
    path = tmp_path / "utf8.dxf"
    export_dxf(project, hall_catalog(), "hall-1", path)
    inserts = inserts_by_id(ezdxf.readfile(path))
    assert inserts["rack-0"].get_attrib_text("LABEL") == "Baie Ø-1 «α»"
    assert "\n" not in inserts["rack-90"].get_attrib_text("LABEL")
