"""DXF underlay reader: real drawings give the numbers worked out below; hostile files give clear errors."""

from __future__ import annotations

import math
import os
from pathlib import Path

import ezdxf
import numpy as np
import pytest

from designer.io import import_dxf
from designer.io.import_dxf import DxfImportError, read_dxf, underlay_from_drawing

DATA = Path(__file__).resolve().parents[1] / "data" / "dxf"
PARLIAMENT = DATA / "ezdxf_houses_of_parliament_georeferenced.dxf"
DOOR = DATA / "ezdxf_wipeout_door.dxf"
SPACES = DATA / "nrel_openstudio_inkscape_test2b_space_diagram.dxf"


def test_parliament_is_read_in_inches_with_extents_from_the_geometry_not_the_header() -> None:
    drawing = read_dxf(PARLIAMENT)
    assert drawing.header_unit == "in" and drawing.unit == "in"
    # one open LWPOLYLINE of 16 vertices whose last repeats the first: 15 segments, none of length 0
    assert drawing.segments_mm.shape == (15, 4)
    assert drawing.layers == ("0",)
    # computed bbox (17688.588, 4967.096)-(26949.461, 16140.028) in; the header's stale $EXTMIN x is
    # -5709.247. x in mm = x in * 25.4; y is flipped (DXF y up, floor y down)
    x0, y0, x1, y1 = drawing.extents_mm
    assert x0 == pytest.approx(17688.588 * 25.4, abs=0.1)
    assert x1 == pytest.approx(26949.461 * 25.4, abs=0.1)
    assert y0 == pytest.approx(-16140.028 * 25.4, abs=0.1)
    assert y1 == pytest.approx(-4967.096 * 25.4, abs=0.1)
    width, depth = drawing.size_mm
    assert width / 1000 == pytest.approx(235.2, abs=0.1)  # 9 260.873 in
    assert depth / 1000 == pytest.approx(283.8, abs=0.1)  # 11 172.933 in
    # the perimeter survives the reading: 35 883.95 in = 911.4 m
    lengths = np.hypot(
        drawing.segments_mm[:, 2] - drawing.segments_mm[:, 0], drawing.segments_mm[:, 3] - drawing.segments_mm[:, 1]
    )
    assert lengths.sum() == pytest.approx(35_883.95 * 25.4, rel=1e-5)
    assert drawing.warnings == ()


def test_the_door_drawing_says_inches_but_reads_as_a_plausible_room_in_millimetres() -> None:
    drawing = read_dxf(DOOR)
    assert drawing.header_unit == "in" and drawing.unit == "in"
    # 136 LINE + 2 closed LWPOLYLINE walls (4 each) + 2 door blocks of 66 LINE each = 276 straight
    # segments; 2 CIRCLE + 2 ARC in model space and one of each per block flatten to the other 192
    assert len(drawing.segments_mm) == 468
    walls = drawing.layers.index("A.Wall_Internal")
    assert int(np.count_nonzero(drawing.layer_index == walls)) == 8
    assert any("MTEXT" in w and "WIPEOUT" in w for w in drawing.warnings)
    # without the 4 MTEXT (text is skipped) the geometry spans (9383.646, 3721.837)-(13032.519, 6780.018)
    width = drawing.size_mm[0]
    assert width == pytest.approx(3648.873 * 25.4, abs=0.1)  # 92.7 m: read as inches, far too big a detail
    in_mm = drawing.with_unit("mm")
    assert in_mm.size_mm == pytest.approx((3648.873, 3058.181), abs=0.01)  # 3.6 m x 3.1 m: a room
    assert in_mm.extents_mm[0] == pytest.approx(9383.646, abs=0.01)
    assert read_dxf(DOOR, unit="mm").segments_mm == pytest.approx(in_mm.segments_mm)
    # the walls are 3583 units long and 100 thick: 3.58 m x 100 mm
    wall = in_mm.segments_mm[in_mm.layer_index == walls]
    lengths = sorted(np.hypot(wall[:, 2] - wall[:, 0], wall[:, 3] - wall[:, 1]).round(1))
    assert lengths[:4] == [100.0, 100.0, 100.0, 100.0] and lengths[-1] == pytest.approx(3583.0, abs=0.1)


def test_a_drawing_without_units_is_read_as_millimetres_with_a_warning_and_a_hint() -> None:
    drawing = read_dxf(SPACES)
    assert drawing.header_unit is None and drawing.unit == "mm"
    # 6 closed rectangles of 5 vertices (first repeated, closed flag set) = 4 segments each, plus a
    # 21-vertex open outline whose last vertex repeats the one before: 19 segments of non-zero length
    assert len(drawing.segments_mm) == 6 * 4 + 19
    assert drawing.layers == ("Layer_1",)
    assert drawing.size_mm == pytest.approx((3.432, 1.406), abs=0.001)
    assert drawing.warnings[0] == "no $INSUNITS in the header: read as millimetres"
    assert "check the unit (in m it would be 3.43 m)" in drawing.warnings[1]
    in_feet = read_dxf(SPACES, unit="ft")
    assert in_feet.size_mm == pytest.approx((3.432389 * 304.8, 1.406196 * 304.8), abs=0.01)
    assert not any("check the unit" in w for w in in_feet.warnings)


def test_an_underlay_keeps_the_drawing_with_its_corner_at_the_origin_rounded_to_a_tenth_of_a_mm() -> None:
    drawing = read_dxf(DOOR, unit="mm")
    underlay = underlay_from_drawing(drawing, offset_mm=(1000.0, 2000.0), rotation_deg=90.0)
    assert underlay.segment_count == 468
    assert underlay.unit == "mm" and underlay.source_name == DOOR.name
    flat = np.array(underlay.segments_mm).reshape(-1, 4)
    assert flat[:, [0, 2]].min() == 0 and flat[:, [1, 3]].min() == 0
    assert flat.max() == pytest.approx(3648.9, abs=0.05)
    assert all(round(v, 1) == v for v in underlay.segments_mm)
    # rotated 90 deg clockwise (y down) about the corner, then moved: (x, y) -> (1000 - y, 2000 + x)
    first = next(underlay.placed_segments_mm())
    x0, y0 = underlay.segments_mm[0], underlay.segments_mm[1]
    assert first[:2] == pytest.approx((1000 - y0, 2000 + x0))


# ---------------------------------------------------------------------------- hostile files
def _write_with_ezdxf(path: Path, build) -> Path:  # type: ignore[no-untyped-def]
    document = ezdxf.new()
    build(document)
    document.saveas(path)
    return path


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.dxf"
    path.write_bytes(b"")
    with pytest.raises(DxfImportError, match=r"empty\.dxf: the file is empty"):
        read_dxf(path)


def test_binary_junk_is_not_a_dxf(tmp_path: Path) -> None:
    path = tmp_path / "junk.dxf"
    path.write_bytes(os.urandom(10_000))
    with pytest.raises(DxfImportError, match="not a DXF file"):
        read_dxf(path)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(DxfImportError, match="cannot open the file"):
        read_dxf(tmp_path / "nowhere.dxf")


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.5, 0.9])
def test_a_truncated_file_is_repaired_with_a_warning_or_refused(tmp_path: Path, fraction: float) -> None:
    data = DOOR.read_bytes()
    path = tmp_path / "truncated.dxf"
    path.write_bytes(data[: int(len(data) * fraction)])
    try:
        drawing = read_dxf(path)
    except DxfImportError as error:
        assert str(error).startswith(str(path))
    else:
        assert any("repaired" in w for w in drawing.warnings)
        assert 0 < len(drawing.segments_mm) <= 468


def test_a_block_that_inserts_itself_stops_at_the_nesting_limit(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        block = document.blocks.new("LOOP")
        block.add_line((0, 0), (1000, 0))
        block.add_blockref("LOOP", (10, 10))
        document.modelspace().add_blockref("LOOP", (0, 0), dxfattribs={"layer": "DOORS"})

    path = _write_with_ezdxf(tmp_path / "loop.dxf", build)
    with pytest.raises(DxfImportError, match=r"nested more than 8 deep \(does block 'LOOP' insert itself\?\)") as info:
        read_dxf(path)
    assert "loop.dxf: INSERT" in str(info.value) and "layer 'DOORS'" in str(info.value)


def test_a_huge_coordinate_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = _write_with_ezdxf(tmp_path / "far.dxf", lambda d: d.modelspace().add_line((0, 0), (1e15, 0)))
    with pytest.raises(DxfImportError, match="more than the limit of 100 km"):
        read_dxf(path)


def test_too_many_segments_names_the_entity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_dxf, "MAX_SEGMENTS", 100)

    def build(document) -> None:  # type: ignore[no-untyped-def]
        for i in range(101):
            document.modelspace().add_line((0, i), (1000, i), dxfattribs={"layer": "WALLS"})

    path = _write_with_ezdxf(tmp_path / "many.dxf", build)
    with pytest.raises(DxfImportError, match=r"many.dxf: LINE #\w+ on layer 'WALLS': more than 100 line segments"):
        read_dxf(path)


def test_a_minsert_of_empty_blocks_stops_at_the_entity_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_dxf, "MAX_ENTITIES", 1_000)

    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.blocks.new("NOTHING")
        document.modelspace().add_line((0, 0), (1, 1))
        insert = document.modelspace().add_blockref("NOTHING", (0, 0))
        insert.grid(size=(1000, 1000), spacing=(1, 1))

    path = _write_with_ezdxf(tmp_path / "grid.dxf", build)
    with pytest.raises(DxfImportError, match="more than 1,000 entities"):
        read_dxf(path)


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_dxf, "MAX_FILE_BYTES", 1000)
    with pytest.raises(DxfImportError, match="larger than the limit"):
        read_dxf(DOOR)


def test_a_drawing_of_text_only_has_nothing_to_show(tmp_path: Path) -> None:
    path = _write_with_ezdxf(tmp_path / "text.dxf", lambda d: d.modelspace().add_text("Hall A"))
    with pytest.raises(DxfImportError, match="has no lines"):
        read_dxf(path)


def test_blocks_are_exploded_with_their_transform_and_curves_flattened_close_to_the_curve(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.header["$INSUNITS"] = 4  # mm
        block = document.blocks.new("DOOR")
        block.add_line((0, 0), (1000, 0))  # on layer 0: takes the reference's layer
        block.add_line((0, 0), (0, 500), dxfattribs={"layer": "FRAME"})
        msp = document.modelspace()
        msp.add_blockref("DOOR", (5000, 0), dxfattribs={"layer": "DOORS", "xscale": 2, "yscale": 2, "rotation": 90})
        msp.add_polyline2d([(0, 0), (3000, 0), (3000, 2000)], dxfattribs={"layer": "WALLS"})
        msp.add_circle((10_000, 10_000), radius=1000, dxfattribs={"layer": "COLUMNS"})
        hatch = msp.add_hatch(dxfattribs={"layer": "FILL"})
        hatch.paths.add_polyline_path([(0, 0), (100, 0), (100, 100)], is_closed=True)

    path = _write_with_ezdxf(tmp_path / "blocks.dxf", build)
    drawing = read_dxf(path)
    by_layer = {name: drawing.segments_mm[drawing.layer_index == i] for i, name in enumerate(drawing.layers)}
    assert "FILL" not in by_layer
    # the leaf (1000 along x) scaled x2 and turned 90 deg counter-clockwise (DXF) from (5000, 0): it ends
    # at (5000, 2000) in DXF, (5000, -2000) on the floor (y down)
    assert by_layer["DOORS"].tolist() == [[5000.0, 0.0, 5000.0, -2000.0]]
    assert by_layer["FRAME"][0] == pytest.approx([5000.0, 0.0, 4000.0, 0.0])
    assert by_layer["WALLS"].tolist() == [[0.0, 0.0, 3000.0, 0.0], [3000.0, 0.0, 3000.0, -2000.0]]
    circle = by_layer["COLUMNS"]
    assert 16 <= len(circle) <= 200
    radii = np.hypot(circle[:, 0] - 10_000, circle[:, 1] + 10_000)
    # vertices on the (Bezier-approximated) circle; chords within 0.2 % of its box's diagonal (5.7 mm)
    assert np.all(np.abs(radii - 1000) < 0.5)
    chords = np.hypot(circle[:, 2] - circle[:, 0], circle[:, 3] - circle[:, 1])
    assert np.all(1000 - np.sqrt(1000**2 - (chords / 2) ** 2) < 0.002 * math.hypot(2000, 2000) + 0.5)
    with_hatches = read_dxf(path, include_hatches=True)
    fill = with_hatches.layers.index("FILL")
    assert int(np.count_nonzero(with_hatches.layer_index == fill)) == 3


@pytest.mark.parametrize(("original", "hostile"), [("1234.5", "nan"), ("1234.5", "1e400"), ("777.25", "1e300")])
def test_non_finite_and_overflowing_numbers_name_the_entity(tmp_path: Path, original: str, hostile: str) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.modelspace().add_line((0, 0), (1234.5, 0), dxfattribs={"layer": "WALLS"})
        document.modelspace().add_circle((0, 0), 777.25, dxfattribs={"layer": "COLUMNS"})

    path = _write_with_ezdxf(tmp_path / "bad.dxf", build)
    path.write_text(path.read_text().replace(original, hostile, 1))
    with pytest.raises(
        DxfImportError, match=r"bad\.dxf: (LINE|CIRCLE) #\w+ on layer '\w+': coordinate is not a finite"
    ):
        read_dxf(path)
