"""DXF export of the single-line diagram: boxes, labels, A/B lines and path marks on their own layers, a title block.

Drawing units are millimetres of the diagram (``designer.analysis.single_line``), written y-up as
CAD expects (a diagram point (x, y) goes to (x, -y)).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ezdxf import zoom
from ezdxf.document import Drawing
from ezdxf.enums import TextEntityAlignment
from ezdxf.filemanagement import new as new_drawing

from designer.analysis.single_line import SldLayout
from designer.io.export_dxf import DXF_VERSION, INSUNITS_MM, MEASUREMENT_METRIC, _one_line, cad_point, dxf_bytes
from designer.io.project_file import write_export
from designer.model.project import Project

LAYERS: dict[str, tuple[int, str]] = {
    "SLD-BOXES": (7, "Equipment and rack group boxes"),
    "SLD-OVER": (1, "Boxes over their rating or with unserved racks"),
    "SLD-WARN": (30, "Boxes above the continuous rating or with racks at risk"),
    "SLD-TEXT": (7, "Box labels"),
    "SLD-A": (5, "A path lines"),
    "SLD-B": (1, "B path lines"),
    "SLD-SINGLE": (8, "Single feeds and shared lines"),
    "SLD-TITLE": (7, "Title block"),
}
TEXT_HEIGHT_MM = 2.6
TITLE_W_MM, TITLE_H_MM = 120.0, 30.0


def build_single_line_dxf(project: Project, layout: SldLayout, *, date: str = "") -> Drawing:
    """The diagram as a DXF document in memory."""
    doc = new_drawing(DXF_VERSION, setup=True, units=INSUNITS_MM)
    doc.header["$INSUNITS"] = INSUNITS_MM
    doc.header["$MEASUREMENT"] = MEASUREMENT_METRIC
    for name, (colour, description) in LAYERS.items():
        doc.layers.add(name, color=colour).description = description
    msp = doc.modelspace()
    for link in layout.links:
        layer = {"A": "SLD-A", "B": "SLD-B"}.get(link.side, "SLD-SINGLE")
        msp.add_lwpolyline([cad_point(x, y) for x, y in link.points_mm], dxfattribs={"layer": layer})
    for node in layout.nodes:
        layer = {"over": "SLD-OVER", "unserved": "SLD-OVER", "warn": "SLD-WARN", "at_risk": "SLD-WARN"}.get(
            node.state, "SLD-BOXES")
        x, y, w, h = node.x_mm, node.y_mm, node.width_mm, node.height_mm
        msp.add_lwpolyline([cad_point(*p) for p in ((x, y), (x + w, y), (x + w, y + h), (x, y + h))], close=True,
                           dxfattribs={"layer": layer})
        if node.side in ("A", "B"):  # the path the box is on, right of its second line, on that path's layer
            tab = msp.add_text(f"{node.side} path", height=TEXT_HEIGHT_MM, dxfattribs={"layer": f"SLD-{node.side}"})
            tab.set_placement(cad_point(x + w - 1.2, y + 3.4 + 4.2), align=TextEntityAlignment.RIGHT)
        for index, line in enumerate(node.lines()):
            text = msp.add_text(_one_line(line), height=TEXT_HEIGHT_MM * (1.1 if index == 0 else 1.0),
                                dxfattribs={"layer": "SLD-TEXT"})
            text.set_placement(cad_point(x + 1.2, y + 3.4 + index * 4.2), align=TextEntityAlignment.LEFT)
    for title, top in layout.rows:
        msp.add_text(_one_line(title), height=TEXT_HEIGHT_MM, dxfattribs={"layer": "SLD-TEXT"}).set_placement(
            cad_point(2.0, top - 1.5), align=TextEntityAlignment.LEFT)
    # title block under the diagram's bottom-right corner
    left, top = max(layout.width_mm - TITLE_W_MM, 0.0), layout.height_mm + 5.0
    corners = ((left, top), (left + TITLE_W_MM, top), (left + TITLE_W_MM, top + TITLE_H_MM), (left, top + TITLE_H_MM))
    msp.add_lwpolyline([cad_point(*p) for p in corners], close=True, dxfattribs={"layer": "SLD-TITLE"})
    meta = project.metadata
    rows = [(meta.title, 4.0), (project.site.name, 2.8), ("Single-line diagram (not to scale)", 2.8),
            (f"Revision {meta.revision or '-'}   Date {date or dt.date.today().isoformat()}   "
             f"Author {meta.author or '-'}", 2.5)]
    y = top + 6.0
    for words, height in rows:
        msp.add_text(_one_line(words), height=height, dxfattribs={"layer": "SLD-TITLE"}).set_placement(
            cad_point(left + 3.0, y), align=TextEntityAlignment.LEFT)
        y += height + 3.5
    bottom = top + TITLE_H_MM
    doc.header["$EXTMIN"] = (0.0, -bottom, 0.0)
    doc.header["$EXTMAX"] = (layout.width_mm, 0.0, 0.0)
    zoom.window(msp, (0.0, -bottom), (layout.width_mm, 0.0))
    return doc


def export_single_line_dxf(project: Project, layout: SldLayout, path: Path, *, date: str = "") -> None:
    """Write the diagram as DXF to ``path`` (atomically: a failure leaves no file)."""
    write_export(Path(path), dxf_bytes(build_single_line_dxf(project, layout, date=date)), "DXF file")
