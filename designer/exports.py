"""The export formats: one registry that ``dc-designer export`` and File ▸ Export both read.

Each format has its id (the CLI's ``--format`` value and the GUI action's name), its menu label,
its file filter, whether it needs Qt, and the function that writes it. Importing this module loads
no Qt: the writers of Qt formats import the ui exporters when they run. A new export is one entry in
``EXPORT_FORMATS`` and its writer here; the CLI choices and the menu follow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from designer.model.catalog import Catalog
from designer.model.project import Project

if TYPE_CHECKING:
    from designer.analysis.electrical import ElectricalResults
    from designer.analysis.results import Results
    from designer.analysis.single_line import SldLayout
    from designer.ui.export.plan import PlanOptions

Progress = Callable[[int, int, str], bool]
"""``progress(done, total, what)``; False asks the export to stop (it raises ``ExportCancelled``)."""


@dataclass(frozen=True, slots=True)
class ExportJob:
    """What to export where. ``catalog`` is the merged one (``merged_catalog``)."""

    project: Project
    catalog: Catalog
    hall_id: str
    """The hall drawn by the plan and DXF exports."""
    path: Path
    plan: PlanOptions | None = None
    """Sheet, scale and overlays of a plan export (None: the defaults)."""
    bom_hall_id: str | None = None
    """Bill of materials of this hall only; None lists the whole project."""
    share: float | None = None
    """Inference share of the analysis an export runs (None: the scenario's first year)."""
    progress: Progress | None = None
    source: Path | None = None
    """The project's own file: the report compares it with the options it lists (None: no such section)."""
    year: int | None = None
    """The scenario year to export the design as built in (None: the scenario's first year). Plans and the
    report keep the whole design (items not in service drawn as ghosts); the drawing, bill of materials, item
    table and single-line diagram list only what stands that year."""


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export: how it is offered and the function that writes it."""

    id: str
    label: str
    """Menu text, with its ``&`` accelerator."""
    file_filter: str
    """File dialog filter, e.g. ``PNG image (*.png)``; its pattern gives the file suffix."""
    needs_qt: bool
    write: Callable[[ExportJob], int | None]
    """Writes ``job.path``; returns the page count of paged documents, else None."""
    menu_group: int
    """Exports of one group sit together in the menu, separated from the next group."""
    plan: bool = False
    """Takes plan sheet options (page, scale, overlays)."""
    project_wide: bool = False
    """Covers the whole project unless a hall is asked for (``bom_hall_id``)."""
    progress_title: str = ""
    """The title of the progress dialog the GUI shows (every export has one; empty: from the label)."""

    @property
    def suffix(self) -> str:
        """``.png`` from ``PNG image (*.png)``."""
        return self.file_filter.split("*")[1].rstrip(")")


def _results(job: ExportJob) -> Results:
    from designer.analysis.engine import analyze

    return analyze(job.project, job.catalog, inference_share=job.share, year=job.year)


def _as_built(job: ExportJob) -> ExportJob:
    """``job`` on the design as built in ``job.year`` (itself when no year is asked or nothing is phased)."""
    if job.year is None:
        return job
    from dataclasses import replace

    from designer.model.phasing import absent_ids, windows

    absent = absent_ids(windows(job.project), job.year)
    return replace(job, project=job.project.without_items(absent)) if absent else job


def _step(job: ExportJob, done: int, total: int, what: str) -> None:
    if job.progress is not None and not job.progress(done, total, what):
        from designer.ui.export.page import ExportCancelled

        raise ExportCancelled


def _write_plan(fmt: str) -> Callable[[ExportJob], int | None]:
    def write(job: ExportJob) -> int | None:
        from designer.io.atomic_write import write_export
        from designer.ui.export.plan import PlanExporter, PlanOptions
        from designer.ui.export.plan_painter import UTILISATION

        options = job.plan or PlanOptions()
        _step(job, 0, 3, "analysing")
        results = _results(job) if UTILISATION in options.overlays else None
        _step(job, 1, 3, "drawing")
        data = PlanExporter(job.project, job.catalog, job.hall_id, options, results=results,
                            year=job.year).render(fmt)
        _step(job, 2, 3, "writing")
        write_export(job.path, data, "plan")
        return None

    return write


def _write_dxf(job: ExportJob) -> int | None:
    from designer.io.export_dxf import build_dxf, dxf_bytes
    from designer.io.project_file import write_export

    job = _as_built(job)
    _step(job, 0, 3, "drawing")
    doc = build_dxf(job.project, job.catalog, job.hall_id)
    _step(job, 1, 3, "encoding")
    data = dxf_bytes(doc)
    _step(job, 2, 3, "writing")
    write_export(job.path, data, "DXF file")
    return None


def _electrical(job: ExportJob, results: Results) -> ElectricalResults:
    from designer.analysis.electrical import electrical_figures
    from designer.model.catalog import merged_catalog

    return electrical_figures(job.project, merged_catalog(job.catalog, job.project.custom_catalog), results)


def _write_bom_csv(job: ExportJob) -> int | None:
    from designer.io.export_bom import bill_of_materials, cable_rows, write_bom_csv

    job = _as_built(job)
    _step(job, 0, 3, "listing")
    rows = bill_of_materials(job.project, job.catalog, hall_id=job.bom_hall_id)
    _step(job, 1, 3, "analysing")
    electrical = _electrical(job, _results(job))
    in_hall = None if job.bom_hall_id is None else {
        item.id for item in job.project.items.values() if item.hall_id == job.bom_hall_id}
    busways = [(b.item_id, b.length_m) for b in electrical.busways if in_hall is None or b.item_id in in_hall]
    _step(job, 2, 3, "writing")
    write_bom_csv(rows, job.path, cables=cable_rows(electrical, item_ids=in_hall), busways=busways)
    return None


def _write_bom_xlsx(job: ExportJob) -> int | None:
    from designer.io.export_bom import bill_of_materials, schedule_rows_from_results, write_bom_xlsx

    job = _as_built(job)
    _step(job, 0, 3, "listing")
    rows = bill_of_materials(job.project, job.catalog, hall_id=job.bom_hall_id)
    _step(job, 1, 3, "analysing")
    results = _results(job)
    schedule = schedule_rows_from_results(results, job.project)
    electrical = _electrical(job, results)
    _step(job, 2, 3, "writing")
    write_bom_xlsx(rows, job.path, schedule, electrical, items_of=job.project, items_hall_id=job.bom_hall_id)
    return None


def _write_items_csv(job: ExportJob) -> int | None:
    from designer.io.items_csv import write_items_csv

    job = _as_built(job)
    write_items_csv(job.project, job.path, job.bom_hall_id)
    return None


def run_export(key: str, job: ExportJob, progress: Progress | None = None) -> int | None:
    """Write export ``key`` of ``job`` (the GUI calls it on a worker thread with its progress callback).

    ``job.project`` must be nobody else's while this runs (``Project.snapshot()``). Every writer reports
    progress before its last step, the atomic replacement of the file, so a Cancel (``progress``
    returning False) raises ``ExportCancelled`` with nothing written.
    """
    from dataclasses import replace

    return EXPORTS[key].write(replace(job, progress=progress) if progress is not None else job)


def _write_report(job: ExportJob) -> int | None:
    from designer.ui.export.report import StakeholderReport

    _step(job, 0, 1, "analysing")
    options = None
    if job.source is not None and job.project.metadata.options:
        from designer.compare_cli import options_comparison

        options = options_comparison(job.project, job.source, job.catalog)
    return StakeholderReport(job.project, job.catalog, share=job.share, year=job.year,
                             options=options).export(job.path, job.progress)


def _single_line_layout(job: ExportJob) -> SldLayout:
    from designer.analysis.single_line import single_line_layout
    from designer.analysis.single_line_labels import label_hooks
    from designer.model.catalog import merged_catalog

    results = _results(job)
    catalog = merged_catalog(job.catalog, job.project.custom_catalog)
    hooks = label_hooks(job.project, catalog, _electrical(job, results))
    return single_line_layout(job.project, catalog.__getitem__, results, hooks=hooks, hall_id=job.bom_hall_id)


def _write_single_line(fmt: str) -> Callable[[ExportJob], int | None]:
    def write(job: ExportJob) -> int | None:
        from designer.ui.export.single_line_sheet import SingleLineSheet

        job = _as_built(job)
        _step(job, 0, 2, "analysing")
        layout = _single_line_layout(job)
        _step(job, 1, 2, "drawing")
        hall = job.project.halls.get(job.bom_hall_id or "")
        SingleLineSheet(job.project, layout, subtitle=hall.name if hall else "").export(job.path, fmt)
        return None

    return write


def _write_single_line_dxf(job: ExportJob) -> int | None:
    from designer.io.export_sld_dxf import export_single_line_dxf

    job = _as_built(job)
    export_single_line_dxf(job.project, _single_line_layout(job), job.path)
    return None


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("png", "Plan as &PNG…", "PNG image (*.png)", True, _write_plan("png"), 0, plan=True,
                 progress_title="Exporting the plan"),
    ExportFormat("svg", "Plan as &SVG…", "SVG drawing (*.svg)", True, _write_plan("svg"), 0, plan=True,
                 progress_title="Exporting the plan"),
    ExportFormat("pdf", "Plan as P&DF…", "PDF document (*.pdf)", True, _write_plan("pdf"), 0, plan=True,
                 progress_title="Exporting the plan"),
    ExportFormat("dxf", "&DXF drawing…", "DXF drawing (*.dxf)", False, _write_dxf, 1),
    ExportFormat("csv", "Bill of materials (&CSV)…", "CSV table (*.csv)", False, _write_bom_csv, 1,
                 project_wide=True),
    ExportFormat("xlsx", "Bill of materials (&XLSX)…", "Excel workbook (*.xlsx)", False, _write_bom_xlsx, 1,
                 project_wide=True),
    ExportFormat("items", "&Item table (CSV)…", "CSV table (*.csv)", False, _write_items_csv, 1,
                 project_wide=True),
    ExportFormat("report", "Stakeholder &report…", "PDF document (*.pdf)", True, _write_report, 2,
                 progress_title="Writing the stakeholder report"),
    ExportFormat("sld-pdf", "Single-line diagram as PD&F…", "PDF document (*.pdf)", True, _write_single_line("pdf"),
                 3, project_wide=True, progress_title="Exporting the single-line diagram"),
    ExportFormat("sld-svg", "Single-line diagram as S&VG…", "SVG drawing (*.svg)", True, _write_single_line("svg"),
                 3, project_wide=True, progress_title="Exporting the single-line diagram"),
    ExportFormat("sld-dxf", "Single-line diagram as DX&F…", "DXF drawing (*.dxf)", False, _write_single_line_dxf, 3,
                 project_wide=True),
)
EXPORTS: Mapping[str, ExportFormat] = {fmt.id: fmt for fmt in EXPORT_FORMATS}
FORMAT_BY_SUFFIX: Mapping[str, str] = {
    suffix: next(fmt.id for fmt in EXPORT_FORMATS if fmt.suffix == suffix)
    for suffix in dict.fromkeys(fmt.suffix for fmt in EXPORT_FORMATS)
}
"""``.pdf`` -> ``pdf``: the first format writing a suffix is the one a bare file name means."""
