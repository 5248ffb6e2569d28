"""Issue 14 item 3: DXF splines and block fan-out are bounded; a 999 comment first is still a DXF."""

from __future__ import annotations

import math
import os
import tracemalloc
from pathlib import Path

import ezdxf
import pytest

from designer.io import import_dxf
from designer.io.import_dxf import DxfImportCancelled, DxfImportError, read_dxf


def write(path: Path, build) -> Path:  # type: ignore[no-untyped-def]
    document = ezdxf.new()
    build(document)
    document.saveas(path)
    return path


def fit_point_spline(path: Path, count: int) -> Path:
    points = [(i * 10.0, 1000.0 * math.sin(i / 50.0), 0.0) for i in range(count)]
    return write(path, lambda d: d.modelspace().add_spline(fit_points=points))


def fan_out(path: Path, fan: int, depth: int) -> Path:
    """Blocks B0..B{depth}: each inserts ``fan`` copies of the next; the last holds one line."""

    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.blocks.new(f"B{depth}").add_line((0, 0), (100, 0))
        for level in range(depth - 1, -1, -1):
            block = document.blocks.new(f"B{level}")
            for copy in range(fan):
                block.add_blockref(f"B{level + 1}", (copy * 200, level * 50))
        document.modelspace().add_blockref("B0", (0, 0))

    return write(path, build)


def test_a_spline_of_many_fit_points_is_drawn_through_them_without_interpolating(tmp_path: Path) -> None:
    """15,000 fit points took 5.2 GB (an n x n interpolation system); 3,000 still shows the cost."""
    path = fit_point_spline(tmp_path / "spline.dxf", 3_000)
    tracemalloc.start()
    try:
        drawing = read_dxf(path, "mm")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(drawing.segments_mm) == 2_999  # the polyline through the fit points
    assert any("SPLINE with 3,000 fit points" in w and "polyline through its fit points" in w for w in drawing.warnings)
    # interpolating would have built a 3,000 x 3,000 matrix (72 MB) and more
    assert peak < 60e6, f"peak {peak / 1e6:.0f} MB"


def test_a_spline_of_few_fit_points_is_still_interpolated(tmp_path: Path) -> None:
    drawing = read_dxf(fit_point_spline(tmp_path / "small.dxf", 50), "mm")
    assert len(drawing.segments_mm) > 49 and not any("SPLINE" in w for w in drawing.warnings)


def test_the_curve_point_budget_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_dxf, "MAX_CURVE_POINTS", 1_000)

    def build(document) -> None:  # type: ignore[no-untyped-def]
        for row in range(3):
            points = [(i * 10.0, row * 1000.0 + (i % 2) * 50.0) for i in range(400)]
            document.modelspace().add_spline(dxfattribs={"layer": "CURVES"}).set_open_uniform(points)

    with pytest.raises(DxfImportError, match=r"on layer 'CURVES': curves have more than 1,000 control and fit points"):
        read_dxf(write(tmp_path / "curves.dxf", build), "mm")


def test_blocks_that_fan_out_stop_at_the_expansion_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 36 KB file whose blocks fan out took 20 s; now the expansion stops with a clear error."""
    monkeypatch.setattr(import_dxf, "MAX_BLOCK_ENTITIES", 5_000)
    path = fan_out(tmp_path / "fan.dxf", fan=10, depth=6)  # 10^6 lines at the bottom
    assert path.stat().st_size < 100_000
    with pytest.raises(DxfImportError, match="blocks expand to more than 5,000 entities"):
        read_dxf(path, "mm")


def test_modest_blocks_are_expanded(tmp_path: Path) -> None:
    drawing = read_dxf(fan_out(tmp_path / "fan.dxf", fan=3, depth=3), "mm")
    assert len(drawing.segments_mm) == 27  # 3 x 3 x 3 copies of one line


def test_a_dxf_that_starts_with_a_999_comment_is_read(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain.dxf", lambda d: d.modelspace().add_line((0, 0), (5000, 0)))
    commented = tmp_path / "commented.dxf"
    comment = "999\nmade by a CAD tool, with words: 0 SECTION is not here\n999\nsecond comment\n"
    commented.write_bytes(comment.encode("ascii") + plain.read_bytes())
    assert len(read_dxf(commented, "mm").segments_mm) == 1


def test_progress_is_reported_and_can_cancel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_dxf, "PROGRESS_EVERY", 100)

    def build(document) -> None:  # type: ignore[no-untyped-def]
        for i in range(450):
            document.modelspace().add_line((0, i * 10), (1000, i * 10))

    path = write(tmp_path / "lines.dxf", build)
    seen: list[int] = []
    assert len(read_dxf(path, "mm", progress=lambda n: seen.append(n) or True).segments_mm) == 450
    assert seen == [100, 200, 300, 400]
    with pytest.raises(DxfImportCancelled, match="cancelled"):
        read_dxf(path, "mm", progress=lambda n: n < 200)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.dxf"
    os.mkfifo(pipe)
    with pytest.raises(DxfImportError, match="is a named pipe, not a regular file"):
        read_dxf(pipe)
