"""A hall's underlay (CAD drawing) in the project file: one flat list of numbers, read with limits.

Kept apart from ``project_file`` because its list can hold 800,000 numbers: it is checked in one
pass over the plain list instead of a path-tracking node per number.
"""

from __future__ import annotations

import math

from designer.io.reader import Node
from designer.model.records import Underlay

MAX_UNDERLAY_SEGMENTS = 200_000
MAX_UNDERLAY_COORDINATE_MM = 10_000_000.0  # 10 km, as everything else on a floor
UNDERLAY_UNITS = frozenset({"mm", "cm", "m", "in", "ft"})
FIELDS = frozenset({"source_name", "unit", "offset_mm", "rotation_deg", "visible", "segments_mm"})


def read_underlay(node: Node) -> Underlay:
    """The underlay at ``node``; errors name the JSON path (down to the bad number)."""
    node.reject_unknown(FIELDS)
    segments_node = node.child("segments_mm")
    flat = segments_node.value
    if not isinstance(flat, list):
        raise segments_node.fail("expected a list of numbers x0, y0, x1, y1, ...")
    if len(flat) % 4:
        raise segments_node.fail(f"has {len(flat)} numbers, not a multiple of 4 (x0, y0, x1, y1 per segment)")
    if len(flat) > 4 * MAX_UNDERLAY_SEGMENTS:
        raise segments_node.fail(f"has {len(flat) // 4} segments, more than the limit of {MAX_UNDERLAY_SEGMENTS}")
    limit = MAX_UNDERLAY_COORDINATE_MM
    numbers: list[float] = []
    append = numbers.append
    for value in flat:
        kind = type(value)
        if (kind is float or kind is int) and -limit <= value <= limit:  # NaN fails both comparisons
            append(float(value))
        else:
            _fail_at(segments_node, len(numbers))
    offset_node = node.optional("offset_mm")
    offset = offset_node.point() if offset_node is not None else (0.0, 0.0)
    if offset_node is not None and max(abs(offset[0]), abs(offset[1])) > limit:
        raise offset_node.fail("offset is more than 10 km from the origin")
    unit_node = node.optional("unit")
    unit = unit_node.string() if unit_node is not None else "mm"
    if unit not in UNDERLAY_UNITS:
        assert unit_node is not None
        raise unit_node.fail(f"{unit!r} is not one of: {', '.join(sorted(UNDERLAY_UNITS))}")
    name_node = node.optional("source_name")
    rotation_node = node.optional("rotation_deg")
    visible_node = node.optional("visible")
    return Underlay(
        segments_mm=tuple(numbers),
        source_name=name_node.string(max_chars=300) if name_node is not None else "",
        unit=unit,
        offset_mm=offset,
        rotation_deg=rotation_node.number(minimum=-360, maximum=360) if rotation_node is not None else 0.0,
        visible=visible_node.boolean() if visible_node is not None else True,
    )


def _fail_at(segments_node: Node, index: int) -> None:
    """Raise the error for the bad number at ``index``, with its path."""
    element = list(segments_node.elements(max_count=4 * MAX_UNDERLAY_SEGMENTS))[index]
    number = element.number()
    if abs(number) > MAX_UNDERLAY_COORDINATE_MM:
        raise element.fail("coordinate is more than 10 km from the drawing's origin")
    raise element.fail("not a valid coordinate")  # pragma: no cover - number() raised already


def underlay_to_dict(underlay: Underlay) -> dict[str, object]:
    """The JSON-ready form; whole numbers are written as integers, like the rest of the file."""
    return {
        "source_name": underlay.source_name,
        "unit": underlay.unit,
        "offset_mm": [_num(underlay.offset_mm[0]), _num(underlay.offset_mm[1])],
        "rotation_deg": _num(underlay.rotation_deg),
        "visible": underlay.visible,
        "segments_mm": [_num(value) for value in underlay.segments_mm],
    }


def _num(value: float) -> float | int:
    return int(value) if math.isfinite(value) and float(value).is_integer() and abs(value) < 2**53 else value
