"""``dc-designer bench``: analysis, editor and dashboard figures on synthetic campuses, as medians."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from designer.analysis.bench import run_bench as run_analysis_bench
from designer.analysis.electrical_bench import electrical_bench
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project, save_project

ANALYSIS_FIGURES = ("graph_build_ms", "analysis_ms", "sweep_ms", "single_failures_ms", "maintenance_ms")
EDITOR_FIGURES = ("open_ms", "repaint_fit_ms", "repaint_1to1_ms", "drag_step_500_ms")


def run_bench(rack_counts: Sequence[int], *, repeats: int, as_json: bool, save: Path | None) -> int:
    """Print one line (or one JSON object) per rack count; 0 on success."""
    catalog = load_catalog(include_user=False)
    for racks in rack_counts:
        line: dict[str, float] = {}
        analysis = run_analysis_bench([racks], repeats=repeats, catalog=catalog)[0]
        line.update({"racks": analysis["racks"], **{k: analysis[k] for k in ANALYSIS_FIGURES}})
        line.update(_phased_figures(racks, catalog, repeats))
        line.update(_file_figures(racks, catalog, repeats))
        line.update(_editor_figures(racks, catalog, repeats))
        line.update(_dashboard_figures(racks))
        line.update(electrical_bench(racks, catalog, repeats))
        peak = peak_rss_mb()
        if peak is not None:
            line["peak_rss_mb"] = peak
        line.update(_export_figures(racks))  # after the peak: its second window is not the editor's memory
        _print_line(line, as_json)
    if save is not None:
        save_project(build_campus(max(rack_counts), catalog), save)
        print(f"saved a {max(rack_counts)}-rack campus to {save}", file=sys.stderr)
    return 0


def _phased_figures(racks: int, catalog: object, repeats: int) -> dict[str, float]:
    """The per-year analysis of the campus as a phased build-out (``designer.analysis.bench_phased``)."""
    from designer.analysis.bench_phased import phased_bench

    return phased_bench(racks, repeats, catalog)  # type: ignore[arg-type]


def _file_figures(racks: int, catalog: object, repeats: int) -> dict[str, float]:
    """``save_ms`` and ``load_ms`` of the synthetic campus as a .dcplan (atomic save with fsync), and
    ``autosave_snapshot_ms``: the part of an autosave that runs on the GUI thread (the copy the worker
    thread then serialises)."""
    project = build_campus(racks, catalog)  # type: ignore[arg-type]
    snapshots = []
    for _ in range(max(3, repeats)):
        started = time.perf_counter()
        project.snapshot()
        snapshots.append((time.perf_counter() - started) * 1000.0)
    saves, loads = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "campus.dcplan"
        for _ in range(max(1, repeats // 2)):
            started = time.perf_counter()
            save_project(project, path, keep_backup=False)
            saves.append((time.perf_counter() - started) * 1000.0)
            started = time.perf_counter()
            load_project(path, catalog)  # type: ignore[arg-type]
            loads.append((time.perf_counter() - started) * 1000.0)
    return {"save_ms": statistics.median(saves), "load_ms": statistics.median(loads),
            "autosave_snapshot_ms": statistics.median(snapshots)}


def peak_rss_mb() -> float | None:
    """The process's peak resident memory so far in MiB (None where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


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


def _export_figures(racks: int) -> dict[str, float]:
    """``export_stall_ms``: the longest event-loop stall while File ▸ Export writes the campus."""
    try:
        from designer.ui.export.bench import export_stall_bench
    except ImportError:
        return {}
    return export_stall_bench(racks)


def _print_line(line: dict[str, float], as_json: bool) -> None:
    if as_json:
        print(json.dumps({k: (int(v) if k == "racks" else round(v, 3)) for k, v in line.items()}), flush=True)
        return
    figures = "  ".join(f"{k}={v:,.1f}" for k, v in line.items() if k != "racks")
    print(f"racks={int(line['racks']):,}  {figures}", flush=True)
