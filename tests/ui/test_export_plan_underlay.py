"""Plan sheets draw a hall's underlay in light grey under the plan, and leave a hidden one out."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir
from designer.model.records import Underlay
from designer.ui.export.plan import export_plan
from designer.ui.export.plan_painter import UNDERLAY_LINE

HALL = "hall-data"


@pytest.fixture
def example():  # type: ignore[no-untyped-def]
    base = load_catalog(include_user=False)
    project = load_project(resources_dir() / "examples" / "ai_hall.dcplan", base)
    return project, base.merged(project.custom_catalog.values())


def _changed_pixels(a: QImage, b: QImage) -> list[QColor]:
    """Colours in ``b`` of the pixels that differ from ``a`` (same size), sampled every 2nd pixel."""
    assert a.size() == b.size()
    return [
        b.pixelColor(x, y)
        for y in range(0, a.height(), 2)
        for x in range(0, a.width(), 2)
        if a.pixel(x, y) != b.pixel(x, y)
    ]


def test_the_underlay_is_drawn_in_light_grey_and_a_hidden_one_not_at_all(qapp, example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, catalog = example
    hall = project.halls[HALL]
    x0, y0, x1, y1 = hall.bounds_mm()
    # a cross over the whole hall, corner to corner
    cross = Underlay(segments_mm=(0.0, 0.0, x1 - x0, y1 - y0, 0.0, y1 - y0, x1 - x0, 0.0), offset_mm=(x0, y0))

    def render(underlay: Underlay | None, name: str) -> QImage:
        project.update_hall(dataclasses.replace(hall, underlay=underlay))
        path = tmp_path / name
        export_plan(project, catalog, HALL, path, dpi=100, page="A4", landscape=True)
        return QImage(str(path))

    plain = render(None, "plain.png")
    with_underlay = render(cross, "underlay.png")
    hidden = render(dataclasses.replace(cross, visible=False), "hidden.png")
    changed = _changed_pixels(plain, with_underlay)
    assert len(changed) > 300  # two diagonals across a 25 cm wide plan
    grey = QColor(UNDERLAY_LINE)
    # anti-aliased on the light floor: between the line's grey and the floor, never darker or coloured
    greyish = [c for c in changed if abs(c.red() - c.blue()) <= 16 and c.lightness() >= grey.lightness() - 10]
    assert len(greyish) > 0.6 * len(changed)  # the rest is where a line meets a rack's or wall's edge
    assert _changed_pixels(plain, hidden) == []
