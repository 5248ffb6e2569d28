"""Every role family and every workload has a fill colour in the one colour table."""

from __future__ import annotations

from designer.model.roles import ROLE_TABLE
from designer.model.types import WorkloadClass
from designer.ui.canvas.style import KIND_COLOURS, RACK_COLOURS
from designer.ui.export import plan_painter


def test_every_family_and_workload_has_a_colour() -> None:
    assert {info.family for info in ROLE_TABLE.values()} <= set(KIND_COLOURS)
    assert set(WorkloadClass) == set(RACK_COLOURS)


def test_the_plan_export_uses_the_canvas_table() -> None:
    assert plan_painter.KIND_COLOURS is KIND_COLOURS
    assert plan_painter.RACK_COLOURS is RACK_COLOURS
