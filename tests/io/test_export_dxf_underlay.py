"""The DXF export carries a hall's underlay on its own layer, placed as on the floor."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import ezdxf

from designer.io.export_dxf import export_dxf
from designer.io.import_dxf import read_dxf
from designer.model import Catalog, Project
from designer.model.records import Underlay

# an L of two walls and a stub, 8 m x 6 m, turned 90 deg clockwise and moved to (10 m, 2 m)
L_SHAPE = Underlay(
    segments_mm=(0.0, 0.0, 8000.0, 0.0, 8000.0, 0.0, 8000.0, 6000.0, 2000.0, 3000.0, 2000.0, 3600.0),
    source_name="walls.dxf",
    offset_mm=(10_000.0, 2000.0),
    rotation_deg=90.0,
)


def _export(project: Project, catalog: Catalog, underlay: Underlay | None, path: Path) -> str:
    hall = next(iter(project.halls.values()))
    project.update_hall(dataclasses.replace(hall, underlay=underlay))
    export_dxf(project, catalog, hall.id, path)
    return hall.id


def test_the_underlay_is_written_on_its_layer_where_it_lies_on_the_floor(
    tmp_path: Path, small_project: Project, small_catalog: Catalog
) -> None:
    path = tmp_path / "hall.dxf"
    _export(small_project, small_catalog, L_SHAPE, path)
    doc = ezdxf.readfile(path)
    lines = doc.modelspace().query('LINE[layer=="UNDERLAY"]')
    assert len(lines) == 3
    # (x, y) -> (10000 - y, 2000 + x) on the floor; CAD y is the floor's -y
    ends = sorted((round(e.dxf.start.x), round(e.dxf.start.y), round(e.dxf.end.x), round(e.dxf.end.y)) for e in lines)
    assert ends == [(7000, -4000, 6400, -4000), (10000, -10000, 4000, -10000), (10000, -2000, 10000, -10000)]
    assert doc.layers.get("UNDERLAY").is_on()
    assert "walls.dxf" in doc.layers.get("UNDERLAY").description
    # read back through the importer (mm, y down) it lies where the app draws it
    drawing = read_dxf(path)
    layer = drawing.layers.index("UNDERLAY")
    back = drawing.segments_mm[drawing.layer_index == layer]
    expected = sorted(tuple(round(v, 3) for v in segment) for segment in L_SHAPE.placed_segments_mm())
    assert sorted(map(tuple, back.round(3).tolist())) == expected


def test_a_hidden_underlay_is_on_a_layer_switched_off_and_no_underlay_adds_no_layer(
    tmp_path: Path, small_project: Project, small_catalog: Catalog
) -> None:
    hidden = tmp_path / "hidden.dxf"
    _export(small_project, small_catalog, dataclasses.replace(L_SHAPE, visible=False), hidden)
    assert ezdxf.readfile(hidden).layers.get("UNDERLAY").is_off()
    plain = tmp_path / "plain.dxf"
    _export(small_project, small_catalog, None, plain)
    assert "UNDERLAY" not in ezdxf.readfile(plain).layers
