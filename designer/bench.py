"""``dc-designer bench``: analysis, editor and dashboard figures on synthetic campuses, as medians."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from designer.analysis.bench import run_bench as run_analysis_bench
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.io.project_file import save_project

ANALYSIS_FIGURES = ("graph_build_ms", "analysis_ms", "sweep_ms", "single_failures_ms")
EDITOR_FIGURES = ("open_ms", "repaint_fit_ms", "repaint_1to1_ms", "drag_step_500_ms")


def run_bench(rack_counts: Sequence[int], *, repeats: int, as_json: bool, save: Path | None) -> int:
    """Print one line (or one JSON object) per rack count; 0 on success."""
    catalog = load_catalog(include_user=False)
    for racks in rack_counts:
        line: dict[str, float] = {}
        analysis = run_analysis_bench([racks], repeats=repeats, catalog=catalog)[0]
        line.update({"racks": analysis["racks"], **{k: analysis[k] for k in ANALYSIS_FIGURES}})
        line.update(_editor_figures(racks, catalog, repeats))
        line.update(_dashboard_figures(racks))
        _print_line(line, as_json)
    if save is not None:
        save_project(build_campus(max(rack_counts), catalog), save)
        print(f"saved a {max(rack_counts)}-rack campus to {save}", file=sys.stderr)
    return 0


def _editor_figures(racks: int, catalog: object, repeats: int) -> dict[str, float]:
    try:
        from designer.ui.bench_editor import editor_bench
    except ImportError:
        return {}
    return editor_bench(racks, catalog, repeats)  # type: ignore[arg-type]


def _dashboard_figures(racks: int) -> dict[str, float]:
    try:
        from designer.ui.dashboard.bench import dashboard_bench
    except ImportError:
        return {}
    figures = dashboard_bench(racks)
    return {key: figures[key] for key in ("slider_to_charts_ms", "slider_to_charts_worst_ms", "unpainted_moves")}


def _print_line(line: dict[str, float], as_json: bool) -> None:
    if as_json:
        print(json.dumps({k: (int(v) if k == "racks" else round(v, 3)) for k, v in line.items()}), flush=True)
        return
    figures = "  ".join(f"{k}={v:,.1f}" for k, v in line.items() if k != "racks")
    print(f"racks={int(line['racks']):,}  {figures}", flush=True)
