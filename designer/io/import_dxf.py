"""DXF drawings read as plain line geometry in millimetres (y down), for a hall's underlay. No Qt.

Only what an architect's plan draws as lines is kept: LINE, LWPOLYLINE, 2D POLYLINE, ARC, CIRCLE,
ELLIPSE and SPLINE (curves flattened to segments), block references exploded with their transform,
optionally HATCH boundaries. Text, dimensions, images and masks are skipped. The header's extents
are never trusted (they are often stale): the extents are computed from the segments.

A hostile file cannot exhaust the machine: the file size, the number of entities visited (and of
those made by expanding blocks), the number of curve points and segments and the nesting depth of
blocks are limited, and each limit is a clear ``DxfImportError``. ``progress`` reports the entities
visited and can cancel the read.
"""

from __future__ import annotations

import math
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from designer.io.safe_read import file_kind, over_limit_text, size_text
from designer.model.records import Underlay

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_SEGMENTS = 200_000
MAX_ENTITIES = 1_000_000
"""Entities visited, block contents counted once per reference: stops a MINSERT of empty blocks."""
MAX_BLOCK_ENTITIES = 200_000
"""Entities made by expanding block references (each copy of each entity of a block): a 36 KB file
whose blocks fan out 8 deep took 20 s under the general limit alone."""
MAX_CURVE_POINTS = 500_000
"""Control and fit points of every curve read, block copies included: the point budget of flattening."""
MAX_FIT_POINTS = 1_000
"""A SPLINE given only by fit points is interpolated by solving an n x n system (15,000 fit points
took 5.2 GB); beyond this many, the polyline through the fit points is drawn instead, with a warning."""
PROGRESS_EVERY = 2_000
"""Entities between two calls of the progress callback."""
MAX_BLOCK_DEPTH = 8
MAX_COORDINATE_MM = 100_000_000.0
"""100 km: a building drawing is never that far from its origin (a georeferenced one is: move it in CAD)."""
MAX_SPAN_MM = 10_000_000.0
"""10 km across, the largest hall a project file holds."""

UNIT_MM: dict[str, float] = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8}
"""The units a drawing can be read in, with their size in millimetres."""
INSUNITS: dict[int, str] = {1: "in", 2: "ft", 4: "mm", 5: "cm", 6: "m"}
"""``$INSUNITS`` codes we read; 0 means unitless, other codes (miles, microns, ...) are not building units."""
PLAUSIBLE_SPAN_MM = (1_000.0, 5_000_000.0)
"""A building drawing is between 1 m and 5 km across; outside that the unit is probably wrong."""

_CURVES = frozenset({"LWPOLYLINE", "POLYLINE", "ARC", "CIRCLE", "ELLIPSE", "SPLINE"})
_SKIPPED = frozenset(
    {
        "TEXT",
        "MTEXT",
        "ATTRIB",
        "ATTDEF",
        "DIMENSION",
        "ARC_DIMENSION",
        "LEADER",
        "MULTILEADER",
        "MLEADER",
        "TOLERANCE",
        "IMAGE",
        "WIPEOUT",
        "POINT",
        "VIEWPORT",
        "OLE2FRAME",
        "UNDERLAY",
        "PDFUNDERLAY",
        "DWFUNDERLAY",
        "DGNUNDERLAY",
        "SOLID",
        "TRACE",
        "3DFACE",
        "3DSOLID",
        "REGION",
        "BODY",
        "MESH",
        "RAY",
        "XLINE",
        "SURFACE",
        "HELIX",
        "MLINE",
        "SHAPE",
        "ACAD_TABLE",
        "TABLE",
    }
)


ProgressCallback = Callable[[int], bool]
"""Called with the number of entities visited so far; returning False cancels the read."""


class DxfImportError(ValueError):
    """A DXF file could not be read. ``where`` names the entity (handle, layer) or block; "" for the file."""

    def __init__(self, problem: str, *, where: str = "", file: str | Path | None = None) -> None:
        self.problem = problem
        self.where = where
        self.file = str(file) if file is not None else None
        super().__init__(self.one_line())

    def one_line(self) -> str:
        parts = [self.file] if self.file else []
        if self.where:
            parts.append(self.where)
        parts.append(self.problem)
        return ": ".join(parts)


class DxfImportCancelled(DxfImportError):
    """The user cancelled the read (the progress callback returned False)."""


@dataclass(frozen=True)
class DxfDrawing:
    """Line segments of a drawing in millimetres, y pointing down like the app's floor.

    ``segments_mm`` is an (n, 4) float array of x0, y0, x1, y1; ``layer_index[i]`` is the index in
    ``layers`` of segment i's layer. ``extents_mm`` is (min x, min y, max x, max y) of the segments.
    ``header_unit`` is the unit ``$INSUNITS`` names (None when missing or unitless); ``unit`` is the
    one the segments were read in.
    """

    file_name: str
    segments_mm: npt.NDArray[np.float64]
    layer_index: npt.NDArray[np.int32]
    layers: tuple[str, ...]
    extents_mm: tuple[float, float, float, float]
    unit: str
    header_unit: str | None
    warnings: tuple[str, ...]

    @property
    def size_mm(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.extents_mm
        return x1 - x0, y1 - y0

    def with_unit(self, unit: str) -> DxfDrawing:
        """The same drawing read in ``unit`` (no re-read of the file)."""
        if unit not in UNIT_MM:
            raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNIT_MM)}")
        if unit == self.unit:
            return self
        factor = UNIT_MM[unit] / UNIT_MM[self.unit]
        segments = self.segments_mm * factor
        _check_coordinates(segments, self.file_name)
        extents = tuple(value * factor for value in self.extents_mm)
        warnings = tuple(w for w in self.warnings if not w.startswith(_SIZE_WARNING_PREFIX))
        warnings += _size_warnings(extents, unit)  # type: ignore[arg-type]
        return replace(self, segments_mm=segments, extents_mm=extents, unit=unit, warnings=warnings)  # type: ignore[arg-type]


def header_unit_of(document: Any) -> str | None:
    """The unit named by ``$INSUNITS`` when it is one we read, else None."""
    code = document.header.get("$INSUNITS", 0)
    try:
        return INSUNITS.get(int(code))
    except (TypeError, ValueError):
        return None


def read_dxf(
    path: str | Path,
    unit: str | None = None,
    *,
    include_hatches: bool = False,
    progress: ProgressCallback | None = None,
) -> DxfDrawing:
    """Read the line geometry of a DXF file in millimetres.

    ``unit`` overrides the header's ``$INSUNITS`` (which is often missing or wrong); without either
    the drawing is read as millimetres, with a warning. Raises ``DxfImportError`` naming the file and,
    where it applies, the entity handle and layer.
    """
    path = Path(path)
    if unit is not None and unit not in UNIT_MM:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNIT_MM)}")
    document, warnings = _open(path)
    header_unit = header_unit_of(document)
    code = document.header.get("$INSUNITS", 0)
    if unit is None:
        if header_unit is None:
            unit = "mm"
            if code in (0, None):
                warnings.append("no $INSUNITS in the header: read as millimetres")
            else:
                warnings.append(f"$INSUNITS {code} is not a building unit: read as millimetres")
        else:
            unit = header_unit
    collector = _Collector(path.name, include_hatches, progress)
    try:
        collector.walk(document.modelspace(), depth=0, parent_layer=None)
    except DxfImportError as error:
        raise type(error)(error.problem, where=error.where, file=path) from None
    except RecursionError:
        raise DxfImportError("blocks are nested too deeply", file=path) from None
    if collector.count == 0:
        raise DxfImportError("the drawing has no lines, arcs or polylines in model space", file=path)
    factor = UNIT_MM[unit]
    raw = np.asarray(collector.coordinates, dtype=np.float64).reshape(-1, 4)
    segments = raw * np.array([factor, -factor, factor, -factor])  # DXF y points up, the floor's down
    try:
        _check_coordinates(segments, path.name)
    except DxfImportError as error:
        raise DxfImportError(error.problem, where=error.where, file=path) from None
    extents = _extents(segments)
    warnings.extend(collector.notes)
    if collector.skipped:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(collector.skipped.items()))
        warnings.append(f"skipped what is not line work: {kinds}")
    warnings.extend(_size_warnings(extents, unit))
    return DxfDrawing(
        file_name=path.name,
        segments_mm=segments,
        layer_index=np.asarray(collector.layer_of_segment, dtype=np.int32),
        layers=tuple(collector.layers),
        extents_mm=extents,
        unit=unit,
        header_unit=header_unit,
        warnings=tuple(warnings),
    )


def underlay_from_drawing(
    drawing: DxfDrawing, offset_mm: tuple[float, float] = (0.0, 0.0), rotation_deg: float = 0.0
) -> Underlay:
    """An underlay of the drawing with its top-left corner moved to the origin, placed at ``offset_mm``.

    Moving the corner to the origin keeps the stored numbers small (a drawing may sit kilometres from
    its own origin) and makes the offset the position of the drawing's corner on the floor.
    """
    x0, y0, x1, y1 = drawing.extents_mm
    if max(x1 - x0, y1 - y0) > MAX_SPAN_MM:
        raise DxfImportError(
            f"the drawing is {max(x1 - x0, y1 - y0) / 1e6:.1f} km across in {drawing.unit}, more than 10 km:"
            " check the unit",
            file=drawing.file_name,
        )
    moved = drawing.segments_mm - np.array([x0, y0, x0, y0])
    return Underlay(
        segments_mm=pack_segments(moved),
        source_name=drawing.file_name,
        unit=drawing.unit,
        offset_mm=(float(offset_mm[0]), float(offset_mm[1])),
        rotation_deg=float(rotation_deg),
    )


def pack_segments(segments_mm: npt.NDArray[np.float64]) -> tuple[float, ...]:
    """Segments as the flat tuple an ``Underlay`` holds, rounded to 0.1 mm (exact through a save)."""
    flat: list[float] = np.round(np.asarray(segments_mm, dtype=np.float64).ravel(), 1).tolist()
    return tuple(0.0 if value == 0 else value for value in flat)  # no -0.0: it would save as "-0.0"


# ====================================================================== internals
_SIZE_WARNING_PREFIX = "the drawing is "


def _size_warnings(extents: tuple[float, float, float, float], unit: str) -> tuple[str, ...]:
    span = max(extents[2] - extents[0], extents[3] - extents[1])
    low, high = PLAUSIBLE_SPAN_MM
    if low <= span <= high:
        return ()
    in_units = span / UNIT_MM[unit]
    plausible = [u for u, size in UNIT_MM.items() if low <= in_units * size <= high]
    hint = ""
    if plausible:
        better = plausible[0] if span < low else plausible[-1]
        hint = f" (in {better} it would be {_metres(in_units * UNIT_MM[better])})"
    return (f"{_SIZE_WARNING_PREFIX}{_metres(span)} across read as {unit}: check the unit{hint}",)


def _metres(span_mm: float) -> str:
    return f"{span_mm / 1000:.3g} m"


def _open(path: Path) -> tuple[Any, list[str]]:
    # imported here: loading ezdxf costs time, and only an import needs it
    from ezdxf import recover
    from ezdxf.filemanagement import readfile

    try:
        info = path.stat()
    except OSError as error:
        raise DxfImportError(f"cannot open the file ({error.strerror})", file=path) from None
    if not stat.S_ISREG(info.st_mode):  # a pipe would hang the reader, a device never end
        raise DxfImportError(f"is {file_kind(info.st_mode)}, not a regular file", file=path)
    size = info.st_size
    if size == 0:
        raise DxfImportError("the file is empty", file=path)
    if size > MAX_FILE_BYTES:
        raise DxfImportError(
            f"the file is {over_limit_text(size, MAX_FILE_BYTES)},"
            f" larger than the limit of {size_text(MAX_FILE_BYTES)}",
            file=path,
        )
    with path.open("rb") as stream:
        head = stream.read(4096)
    if not _looks_like_dxf(head):
        raise DxfImportError("not a DXF file (it does not start with a DXF section)", file=path)
    try:
        return readfile(path), []
    except Exception as first:  # ezdxf raises many kinds on damaged files: try to repair
        problem = str(first) or type(first).__name__
    try:
        document, auditor = recover.readfile(path)
    except Exception as error:
        raise DxfImportError(f"damaged DXF that could not be repaired ({error or problem})", file=path) from None
    fixes = len(auditor.fixes) + len(auditor.errors)
    return document, [f"the file was damaged and repaired on reading ({fixes} fixes; first problem: {problem})"]


def _looks_like_dxf(head: bytes) -> bool:
    if head.startswith(b"AutoCAD Binary DXF"):
        return True
    lines = [line.strip() for line in head.lstrip(b"\xef\xbb\xbf").decode("latin-1").splitlines()]
    # an ASCII DXF is pairs of lines, group code then value: 999 comments (whose text may hold any
    # words), then group code 0 with SECTION
    index = 0
    while index + 1 < len(lines):
        code, value = lines[index], lines[index + 1]
        if code == "999":
            index += 2
            continue
        return code == "0" and value.upper() == "SECTION"
    return False


class _Collector:
    """Walks model space and block references, appending segments in drawing units."""

    def __init__(self, file_name: str, include_hatches: bool, progress: ProgressCallback | None = None) -> None:
        self.file_name = file_name
        self.progress = progress
        self.expanded = 0
        self.curve_points = 0
        self.notes: list[str] = []
        self.include_hatches = include_hatches
        self.coordinates: list[float] = []
        self.layer_of_segment: list[int] = []
        self.layers: list[str] = []
        self._layer_ids: dict[str, int] = {}
        self.count = 0
        self.visited = 0
        self.skipped: dict[str, int] = {}

    def walk(self, entities: Any, depth: int, parent_layer: str | None) -> None:
        for entity in entities:
            self.visited += 1
            if self.visited > MAX_ENTITIES:
                raise DxfImportError(f"more than {MAX_ENTITIES:,} entities (counting every block reference)")
            if depth > 0:
                self.expanded += 1
                if self.expanded > MAX_BLOCK_ENTITIES:
                    raise DxfImportError(
                        f"blocks expand to more than {MAX_BLOCK_ENTITIES:,} entities: explode or purge the"
                        " nested blocks in CAD and export again"
                    )
            if self.progress is not None and self.visited % PROGRESS_EVERY == 0 and not self.progress(self.visited):
                raise DxfImportCancelled("the import was cancelled")
            kind = entity.dxftype()
            layer = str(entity.dxf.get("layer", "0"))
            if parent_layer is not None and layer == "0":
                layer = parent_layer  # entities on layer 0 in a block take the reference's layer
            if kind == "INSERT":
                self._insert(entity, depth, layer)
            elif kind == "LINE":
                start, end = entity.dxf.start, entity.dxf.end
                self._add(layer, entity, [(start.x, start.y), (end.x, end.y)])
            elif kind in _CURVES or (kind == "HATCH" and self.include_hatches):
                self._curve(entity, kind, layer)
            else:
                self.skipped[kind] = self.skipped.get(kind, 0) + 1

    def _insert(self, insert: Any, depth: int, layer: str) -> None:
        name = insert.dxf.get("name", "?")
        if depth >= MAX_BLOCK_DEPTH:
            raise DxfImportError(
                f"blocks nested more than {MAX_BLOCK_DEPTH} deep (does block {name!r} insert itself?)",
                where=_where(insert, layer),
            )
        count = insert.mcount
        if self.visited + count > MAX_ENTITIES:  # checked before the copies are made: a 10^9 grid is cheap to write
            raise DxfImportError(
                f"more than {MAX_ENTITIES:,} entities (counting every block reference): a MINSERT of {count:,} copies",
                where=_where(insert, layer),
            )
        try:
            references = insert.multi_insert() if count > 1 else [insert]
            for reference in references:
                self.visited += 1
                if self.visited > MAX_ENTITIES:
                    raise DxfImportError(f"more than {MAX_ENTITIES:,} entities (counting every block reference)")
                self.walk(reference.virtual_entities(), depth + 1, layer)
        except DxfImportError:
            raise
        except RecursionError:
            raise
        except Exception as error:  # a broken block (missing, non-uniform scale of text, ...)
            self.skipped[f"broken INSERT of {name!r} ({error})"[:120]] = 1

    def _curve(self, entity: Any, kind: str, layer: str) -> None:
        from ezdxf import path as ezpath

        if kind == "LWPOLYLINE" and not entity.has_arc and _plain_extrusion(entity):
            # the common case, straight walls: its vertices as they are (a path costs 4x the time)
            points = [(x, y) for x, y in entity.get_points("xy")]
            if entity.closed and len(points) > 2:
                points.append(points[0])
            self._add(layer, entity, points)
            return
        if kind == "POLYLINE" and not (entity.is_2d_polyline or entity.is_3d_polyline):
            self.skipped["POLYLINE mesh"] = self.skipped.get("POLYLINE mesh", 0) + 1
            return
        if kind == "SPLINE":
            fit_points = self._spline_points(entity, layer)
            if fit_points is not None:  # too many fit points to interpolate: the polyline through them
                self._add(layer, entity, fit_points)
                return
        try:
            paths = list(ezpath.from_hatch(entity)) if kind == "HATCH" else [ezpath.make_path(entity)]
        except Exception as error:
            raise DxfImportError(f"cannot read the {kind} ({error})", where=_where(entity, layer)) from None
        for one in paths:
            corners = list(one.control_vertices())
            if len(corners) < 2:
                continue
            xs = [v.x for v in corners]
            ys = [v.y for v in corners]
            diagonal = math.hypot(max(xs) - min(xs), max(ys) - min(ys))
            if not math.isfinite(diagonal):
                raise DxfImportError("coordinate is not a finite number", where=_where(entity, layer))
            if diagonal == 0:
                continue
            # 0.2 % of the curve's box diagonal: a 1 m round column's chords stray less than 3 mm;
            # never more points than the segment budget has left (one more tells that it ran out)
            room = MAX_SEGMENTS - self.count + 2
            flat = islice(one.flattening(distance=diagonal * 0.002, segments=4), room)
            points = [(v.x, v.y) for v in flat]
            self._add(layer, entity, points)

    def _spline_points(self, entity: Any, layer: str) -> list[tuple[float, float]] | None:
        """Charge a SPLINE's points to the budget; the fit points themselves when there are too many
        to interpolate (None: flatten the spline as usual)."""
        control = int(entity.control_point_count())
        fit = int(entity.fit_point_count())
        self.curve_points += control + fit
        if self.curve_points > MAX_CURVE_POINTS:
            raise DxfImportError(
                f"curves have more than {MAX_CURVE_POINTS:,} control and fit points in all:"
                " simplify the drawing (freeze layers) and export again",
                where=_where(entity, layer),
            )
        if control == 0 and fit > MAX_FIT_POINTS:
            self.notes.append(
                f"a SPLINE with {fit:,} fit points ({_where(entity, layer)}) is drawn as the polyline through"
                " its fit points"
            )
            return [(float(v[0]), float(v[1])) for v in entity.fit_points]
        return None

    def _add(self, layer: str, entity: Any, points: list[tuple[float, float]]) -> None:
        new = len(points) - 1
        if new <= 0:
            return
        if self.count + new > MAX_SEGMENTS:
            raise DxfImportError(
                f"more than {MAX_SEGMENTS:,} line segments: simplify the drawing (freeze layers) and export again",
                where=_where(entity, layer),
            )
        for x, y in points:
            if not (math.isfinite(x) and math.isfinite(y)):
                raise DxfImportError("coordinate is not a finite number", where=_where(entity, layer))
        layer_id = self._layer_ids.get(layer)
        if layer_id is None:
            layer_id = self._layer_ids[layer] = len(self.layers)
            self.layers.append(layer)
        coordinates = self.coordinates
        added = 0
        for (xa, ya), (xb, yb) in pairwise(points):
            if xa != xb or ya != yb:  # a repeated vertex (a polyline "closed" by repetition) draws nothing
                coordinates += (xa, ya, xb, yb)
                added += 1
        self.layer_of_segment += [layer_id] * added
        self.count += added


def _plain_extrusion(entity: Any) -> bool:
    """True when the entity's own coordinates are world x, y (no mirrored or tilted OCS)."""
    x, y, z = entity.dxf.get("extrusion", (0.0, 0.0, 1.0))
    return bool(x == 0 and y == 0 and z > 0)


def _where(entity: Any, layer: str) -> str:
    handle = entity.dxf.get("handle", None)
    label = f"{entity.dxftype()} #{handle}" if handle else f"{entity.dxftype()} (in a block)"
    return f"{label} on layer {layer!r}"


def _check_coordinates(segments: npt.NDArray[np.float64], file_name: str) -> None:
    if segments.size == 0:
        return
    largest = float(np.max(np.abs(segments)))
    if not math.isfinite(largest):
        raise DxfImportError("a coordinate is not a finite number", file=file_name)
    if largest > MAX_COORDINATE_MM:
        row = int(np.argmax(np.max(np.abs(segments), axis=1)))
        raise DxfImportError(
            f"a coordinate is {largest / 1e6:,.0f} km from the drawing's origin (segment {row}), more than the"
            f" limit of {MAX_COORDINATE_MM / 1e6:.0f} km: is it georeferenced or in the wrong unit?",
        )


def _extents(segments: npt.NDArray[np.float64]) -> tuple[float, float, float, float]:
    xs = segments[:, [0, 2]]
    ys = segments[:, [1, 3]]
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())
