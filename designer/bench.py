"""``dc-designer bench``: analysis, editor and dashboard figures on synthetic campuses, as medians."""

from __future__ import annotations

import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from designer.analysis.bench import run_bench as run_analysis_bench
from designer.analysis.electrical_bench import electrical_bench
from designer.analysis.engine import forget_design_caches
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project, save_project
from designer.model import Catalog, Project

ANALYSIS_FIGURES = ("graph_build_ms", "analysis_ms", "sweep_ms", "single_failures_ms", "maintenance_ms")
EDITOR_FIGURES = ("open_ms", "repaint_fit_ms", "repaint_1to1_ms", "drag_step_500_ms")


def run_bench(rack_counts: Sequence[int], *, repeats: int, as_json: bool, save: Path | None) -> int:
    """Figures for each rack count (smallest first, so that ``peak_rss_mb`` is each size's own peak).

    Each size's campus is built once and reused for every figure (file, analysis, dashboard), and
    frozen out of the cyclic garbage collector as the app freezes an open design; the editor figures
    are for one hall of that many racks. The phased build-out's figures follow each size's
    ``peak_rss_mb`` (its own peak is ``phased_peak_rss_mb``); the exports run for every size after every
    size's: the C heap that a 10k export's window, workbook and drawing leave behind (~50-90 MB that the
    allocator cannot hand back) stood under every 50k figure. ``as_json`` prints one JSON object per
    size as it finishes; otherwise one progress line per size goes to stderr and a table with the sizes
    side by side to stdout at the end. 0 on success.
    """
    _limit_malloc_arenas()
    catalog = load_catalog(include_user=False)
    sizes = sorted(set(rack_counts))
    lines = []
    for racks in sizes:
        line = _peak_figures(racks, catalog, repeats)
        # after the peak: the phased campus's memory is reported on its own (``phased_peak_rss_mb``)
        line.update(_phased_figures(racks, catalog, repeats))
        lines.append(line)
        _release_design()
    for racks, line in zip(sizes, lines, strict=True):
        line.update(_export_figures(racks))  # after every peak: its window is not the editor's memory
        if as_json:
            print(_json_line(line), flush=True)
        else:
            print(_text_line(line), file=sys.stderr, flush=True)
        _release_design()
    if not as_json:
        print(side_by_side(lines), flush=True)
    if save is not None:  # a fresh campus: the bench edits the one it measures
        save_project(build_campus(max(rack_counts), catalog), save)
        print(f"saved a {max(rack_counts)}-rack campus to {save}", file=sys.stderr)
    return 0


def _peak_figures(racks: int, catalog: Catalog, repeats: int) -> dict[str, float]:
    """The figures of one size on its campus (built here, let go after), then ``peak_rss_mb``."""
    started = time.perf_counter()
    project = build_campus(racks, catalog)
    line: dict[str, float] = {"racks": float(racks), "campus_build_ms": (time.perf_counter() - started) * 1000.0}
    # as the app does once a design is open (designer/ui/heap.py): the design's long-lived objects
    # are kept out of the cyclic collector's passes, which would otherwise land in random figures
    gc.collect()
    gc.freeze()
    # the editor first: its window (deleted after) then stands on the campus alone, not also on
    # what the analysis keeps; the peak is each part's own memory over the campus, not their sum
    editor = _editor_figures(racks, catalog, repeats)
    line.update(_file_figures(project, catalog, repeats))
    _settle()
    analysis = run_analysis_bench([racks], repeats=repeats, catalog=catalog, projects={racks: project})[0]
    _settle()
    line["racks"] = analysis["racks"]  # the campus rounds up to whole rows
    line.update({k: analysis[k] for k in ANALYSIS_FIGURES})
    line.update(editor)
    line.update(_dashboard_figures(racks, project))
    # on a listener-free copy: the dashboard's deleted window still listens to the campus, and the
    # electrical figures edit a rack
    line.update(electrical_bench(racks, catalog, repeats, project.snapshot()))
    peak = peak_rss_mb()
    if peak is not None:
        line["peak_rss_mb"] = peak
    del project
    _release_design()
    return line


def _limit_malloc_arenas() -> None:
    """As the app does when it starts (``designer.ui.heap``): one C heap for every thread."""
    try:
        from designer.ui.heap import limit_malloc_arenas
    except ImportError:
        return
    limit_malloc_arenas()


def _release_design() -> None:
    """As the app does when another design replaces the open one (``designer.ui.heap.settle_after_open``):
    the last size's campus and analyses collected and their free pages handed back, so that the next
    size's ``peak_rss_mb`` stands on what the app would hold, not on the last size's leftovers (frozen,
    the campus was never collected; ~40 MB at 10k racks), and the analysis's last answers that keep its
    ids alive dropped (``forget_design_caches``, ~70 MB at 50k racks)."""
    forget_design_caches()
    gc.unfreeze()
    gc.collect()
    _release_free_memory()


def _settle() -> None:
    """As the app does once a design is open and after each background job (``designer.ui.heap``,
    ``MainWindow``, the dashboard's coordinator): what the last figure let go is collected and its free
    pages handed back, so that the next figure stands on what is alive, not on the C heap's free pages
    (~200 MB after the 50k file figures, ~50 MB of them still under the dashboard's peak)."""
    gc.collect()
    _release_free_memory()


def _phased_figures(racks: int, catalog: object, repeats: int) -> dict[str, float]:
    """The per-year analysis of the campus as a phased build-out (``designer.analysis.bench_phased``)."""
    from designer.analysis.bench_phased import phased_bench

    measured = reset_peak_rss()  # on what the last design left (``_release_design`` just ran)
    figures = phased_bench(racks, repeats, catalog)  # type: ignore[arg-type]
    peak = vm_peak_rss_mb() if measured else None
    if peak is not None:
        figures["phased_peak_rss_mb"] = peak
    return figures


def _file_figures(project: Project, catalog: Catalog, repeats: int) -> dict[str, float]:
    """``save_ms`` and ``load_ms`` of the campus as a .dcplan (atomic save with fsync), and
    ``autosave_snapshot_ms``: the part of an autosave that runs on the GUI thread (the copy the worker
    thread then serialises). The save is File > Save's: with the catalog, so the design is first checked
    with the loader's rules (``check_loadable``), and its time and memory are in ``save_ms`` and the peak."""
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
            save_project(project, path, keep_backup=False, catalog=catalog)
            saves.append((time.perf_counter() - started) * 1000.0)
            started = time.perf_counter()
            load_project(path, catalog)
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


def reset_peak_rss() -> bool:
    """Start the process's peak resident memory again from what it holds now (Linux 4.0 and later, through
    ``/proc/self/clear_refs``), so that ``vm_peak_rss_mb`` is one part's own peak; False where not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as control:
            control.write("5")
    except OSError:
        return False
    return True


def vm_peak_rss_mb() -> float | None:
    """The peak resident memory since the last ``reset_peak_rss`` in MiB (``VmHWM``; None where unknown).
    ``getrusage`` is no use after a reset: a thread that exits folds the old peak back into its figure."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def _release_free_memory() -> bool:
    try:
        from designer.ui.heap import release_free_memory
    except ImportError:
        return False
    return release_free_memory()


def _editor_figures(racks: int, catalog: Catalog, repeats: int) -> dict[str, float]:
    try:
        from designer.ui.bench_editor import editor_bench, settle_gui, top_level_windows
    except ImportError:
        return {}
    before = top_level_windows()
    figures = editor_bench(racks, catalog, repeats)
    settle_gui(before)  # its window goes before the next figure (else its memory stays to the peak)
    return figures


def _dashboard_figures(racks: int, project: Project) -> dict[str, float]:
    try:
        from designer.ui.bench_editor import settle_gui, top_level_windows
        from designer.ui.dashboard.bench import dashboard_bench
    except ImportError:
        return {}
    before = top_level_windows()
    figures = dashboard_bench(racks, project=project, analysis=False)  # analysis_ms comes from the analysis figures
    settle_gui(before)
    return {key: figures[key] for key in ("slider_to_charts_ms", "slider_to_charts_worst_ms", "slider_during_idle_ms",
                                          "slider_during_idle_worst_ms", "unpainted_moves")}


def _export_figures(racks: int) -> dict[str, float]:
    """``export_stall_ms``: the longest event-loop stall while File ▸ Export writes the campus."""
    try:
        from designer.ui.bench_editor import settle_gui, top_level_windows
        from designer.ui.export.bench import export_stall_bench
    except ImportError:
        return {}
    before = top_level_windows()
    figures = export_stall_bench(racks)
    # its window goes now: deleteLater alone waits for an event loop the bench never runs, and the 10k
    # window with its campus and analysis stood under every 50k figure (~150 MB of the 50k peak)
    settle_gui(before)
    return figures


def _json_line(line: dict[str, float]) -> str:
    return json.dumps({k: (int(v) if k == "racks" else round(v, 3)) for k, v in line.items()})


def _text_line(line: dict[str, float]) -> str:
    figures = "  ".join(f"{k}={v:,.1f}" for k, v in line.items() if k != "racks")
    return f"racks={int(line['racks']):,}  {figures}"


def side_by_side(lines: Sequence[dict[str, float]]) -> str:
    """One row per figure, one column per campus size."""
    names: list[str] = []
    for line in lines:
        names += [k for k in line if k != "racks" and k not in names]
    width = max((len(n) for n in names), default=6)
    header = f"{'racks':<{width}}" + "".join(f"{int(line['racks']):>12,}" for line in lines)
    rows = [header]
    for name in names:
        cells = "".join(f"{line[name]:>12,.1f}" if name in line else f"{'-':>12}" for line in lines)
        rows.append(f"{name:<{width}}{cells}")
    return "\n".join(rows)
