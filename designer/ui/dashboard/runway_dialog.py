"""Analysis ▸ Runway: for each hall and the site, the year power, cooling, space and floor load run out."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.engine import Analyzer
from designer.analysis.growth import (
    MAX_COPIES_PER_YEAR,
    GrowthCancelled,
    GrowthError,
    GrowthPlan,
    plan_growth,
    template_runway,
)
from designer.analysis.results import Results
from designer.analysis.runway import Runway, growth_template_text, runway_from_results, runway_rows
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.pods import PodTemplate
from designer.model.project import Project
from designer.model.types import ItemKind
from designer.ui.background import BackgroundJob, Progress
from designer.ui.commands_growth import ApplyGrowthCommand
from designer.ui.plain_text import plain_label

RULE_NONE, RULE_RACKS, RULE_TEMPLATE = 0, 1, 2
RULE_DELAY_MS = 250
"""A change of the template rule is worked out once the controls have been still this long."""

NOTE = ("Each year is the design as built that year (in-service and retirement years), at that year's "
        "inference share and AI density. A resource runs out in the first year a hall has room for less than "
        "one more of its average racks; \"after\" means not within the years shown. The site has room while "
        "any hall has. Utility intakes, switchgear and plant are checked by the analysis of each year "
        "(dc-designer analyze --years).")


class RunwayDialog(QDialog):
    """The runway table of a design, with an optional growth rule (more racks a year in each hall)."""

    def __init__(self, project: Project, catalog: Mapping[str, CatalogEntry], analyzer: Analyzer | None = None,
                 parent: QWidget | None = None, templates: Mapping[str, PodTemplate] | None = None,
                 push: Callable[[QUndoCommand], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Runway")
        self.setObjectName("RunwayDialog")
        self.project = project
        self.catalog = catalog
        self.runway: Runway | None = None
        self.plan: GrowthPlan | None = None
        """The template growth shown (None: no template rule, or still being worked out)."""
        self._push = push
        self._job: BackgroundJob[tuple[Runway, GrowthPlan]] | None = None
        self._rule_timer = QTimer(self)  # a burst of spin-box steps starts one job, not one a step
        self._rule_timer.setSingleShot(True)
        self._rule_timer.setInterval(RULE_DELAY_MS)
        self._rule_timer.timeout.connect(self.start_template_runway)
        self._per_year: list[tuple[int, Results]] = []
        self._templates = {t.id: t for t in (templates or {}).values()
                           if any((e := catalog.get(i.catalog_id)) is not None and e.kind is ItemKind.RACK
                                  for i in t.items)}
        layout = QVBoxLayout(self)
        self.title = plain_label(QLabel(self))
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        growth_row = QHBoxLayout()
        growth_row.addWidget(QLabel("Growth rule:", self))
        self.rule_combo = QComboBox(self)
        self.rule_combo.setObjectName("rule_combo")
        self.rule_combo.addItem("none (the planned deployments only)", RULE_NONE)
        self.rule_combo.addItem("more racks a year in each hall", RULE_RACKS)
        if self._templates:
            self.rule_combo.addItem("copies of a pod template a year in the free space", RULE_TEMPLATE)
        growth_row.addWidget(self.rule_combo)
        self.growth_spin = QSpinBox(self)
        self.growth_spin.setObjectName("growth_spin")
        self.growth_spin.setRange(0, 10_000)
        self.growth_spin.setSuffix(" more racks a year in each hall")
        self.growth_spin.setSpecialValueText("none (the planned deployments only)")
        self.growth_spin.setToolTip("More average racks a year in each hall, after its first year; followed past "
                                    "the last year of the timeline")
        growth_row.addWidget(self.growth_spin, 1)
        self.copies_spin = QSpinBox(self)
        self.copies_spin.setObjectName("copies_spin")
        self.copies_spin.setRange(1, MAX_COPIES_PER_YEAR)
        self.copies_spin.setSuffix(" a year of")
        growth_row.addWidget(self.copies_spin)
        self.template_combo = QComboBox(self)
        self.template_combo.setObjectName("template_combo")
        self.template_combo.setToolTip("The pod template placed in the free floor space, clear of items, obstacles "
                                       "and rack aisles, row by row; each copy enters service in its year")
        for template in self._templates.values():
            racks = sum(1 for i in template.items if (e := catalog.get(i.catalog_id)) is not None
                        and e.kind is ItemKind.RACK)
            self.template_combo.addItem(f"{template.name} ({racks} racks)", template.id)
        growth_row.addWidget(self.template_combo, 1)
        self.hall_combo = QComboBox(self)
        self.hall_combo.setObjectName("hall_combo")
        self.hall_combo.addItem("in the halls with racks in turn", None)
        for hall in project.halls.values():
            self.hall_combo.addItem(f"in {hall.name}", hall.id)  # QComboBox shows plain text
        growth_row.addWidget(self.hall_combo)
        layout.addLayout(growth_row)
        self.growth_label = plain_label(QLabel(self))
        self.growth_label.setObjectName("growth_label")
        self.growth_label.setWordWrap(True)
        layout.addWidget(self.growth_label)
        self.table = QTableWidget(self)
        self.table.setObjectName("runway_table")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        note = plain_label(QLabel(NOTE, self))
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.apply_button = QPushButton("Apply the Growth as Planned Items", self)
        self.apply_button.setObjectName("apply_growth_button")
        self.apply_button.setToolTip("Add the planned copies to the design, each with its in-service year, "
                                     "as one step you can undo")
        self.apply_button.setEnabled(False)
        self.apply_button.setVisible(push is not None and bool(self._templates))
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rule_combo.currentIndexChanged.connect(self._on_rule_changed)
        self.growth_spin.valueChanged.connect(self._on_growth_spin_value_changed)
        for spin in (self.copies_spin,):
            spin.valueChanged.connect(self._on_template_rule_changed)
        for combo in (self.template_combo, self.hall_combo):
            combo.currentIndexChanged.connect(self._on_template_rule_changed)
        self._show_rule_widgets()
        self._analyse(analyzer)
        self.resize(1000, 400)

    def _analyse(self, analyzer: Analyzer | None) -> None:
        own = analyzer is None
        analyzer = analyzer or Analyzer()
        try:
            scenario = self.project.active_scenario
            years = [entry.year for entry in scenario.years] if scenario is not None else []
            self._per_year = [(year, analyzer.analyze(self.project, self.catalog, year=year, failures=False))
                              for year in years]
        finally:
            if own:
                analyzer.close()
        self.show_runway()

    # ----------------------------------------------------------------- the rule
    def rule(self) -> int:
        return int(self.rule_combo.currentData())

    def _show_rule_widgets(self) -> None:
        rule = self.rule()
        self.growth_spin.setVisible(rule == RULE_RACKS)
        for widget in (self.copies_spin, self.template_combo, self.hall_combo):
            widget.setVisible(rule == RULE_TEMPLATE)
        self.apply_button.setEnabled(False)

    def _on_rule_changed(self, _index: int) -> None:
        self._show_rule_widgets()
        if self.rule() == RULE_TEMPLATE:
            self.start_template_runway()
        else:
            self._rule_timer.stop()
            self._drop_job()
            self.plan = None
            self.show_runway()

    def _on_growth_spin_value_changed(self, _value: int) -> None:
        if self.rule() == RULE_RACKS:
            self.show_runway()

    def _on_template_rule_changed(self, *_args: object) -> None:
        if self.rule() == RULE_TEMPLATE:
            self._drop_job()  # what it works out is no longer the rule asked for
            self.plan = None
            self.apply_button.setEnabled(False)
            self._rule_timer.start()

    def _drop_job(self) -> None:
        if self._job is not None:
            self._job.cancel()  # it stops before its next year; its end is then ignored
            self._job = None

    def start_template_runway(self) -> None:
        """Work out the template growth and its runway on a worker thread (the window stays live)."""
        self._rule_timer.stop()
        template = self._templates.get(str(self.template_combo.currentData()))
        if template is None:
            return
        self._drop_job()
        self.plan = None
        self.apply_button.setEnabled(False)
        self.growth_label.setText(f"Placing {self.copies_spin.value()} x {template.name} a year and analysing "
                                  "each year…")
        project = self.project.snapshot()  # the worker reads this copy only
        catalog = self.catalog
        copies = self.copies_spin.value()
        hall_id = self.hall_combo.currentData()
        known = dict(self._per_year)

        def work(progress: Progress) -> tuple[Runway, GrowthPlan]:
            return template_runway(project, catalog, template, copies, hall_id, results_by_year=known,
                                   progress=progress)

        job: BackgroundJob[tuple[Runway, GrowthPlan]] = BackgroundJob(work)
        # a slot of the dialog: queued to the window's thread, and dropped once the dialog is gone
        job.signals.finished.connect(self._on_job_finished)
        self._job = job
        job.start()

    def _on_job_finished(self) -> None:
        job = self._job
        if job is None or (job.result is None and job.error is None):
            return  # an earlier job: the latest rule is still being worked out
        self._job = None
        if self.rule() != RULE_TEMPLATE:
            return
        if isinstance(job.error, GrowthCancelled):
            return
        if job.error is not None or job.result is None:
            message = str(job.error) if isinstance(job.error, GrowthError) else f"failed: {job.error!r}"
            self.growth_label.setText(f"The growth rule cannot be followed: {message}")
            return
        runway, plan = job.result
        self.plan = plan
        names = {h.id: h.name for h in self.project.halls.values()}
        self.growth_label.setText(growth_template_text(plan.rule(), names))
        self.apply_button.setEnabled(bool(plan.pods) and self._push is not None)
        self._fill(runway)

    def _on_apply_button_clicked(self) -> None:
        self.apply_growth()

    def apply_growth(self) -> bool:
        """Add the shown plan's copies as one undo step; False (and a note) when the design changed since."""
        plan = self.plan
        if plan is None or self._push is None or not plan.pods:
            return False
        template = self._templates[plan.template_id]
        try:  # placed again on the design as it is now: the same copies unless it was edited meanwhile
            fresh = plan_growth(self.project, self.catalog, template, plan.copies_per_year, plan.hall_id, plan.years)
        except GrowthError as error:
            self.growth_label.setText(f"The growth rule cannot be followed: {error}")
            return False
        if _layout(fresh) != _layout(plan):
            self.growth_label.setText("The design changed since the growth was worked out: worked out again; "
                                      "apply once it is shown.")
            self.start_template_runway()
            return False
        self._push(ApplyGrowthCommand(self.project, fresh))
        self.apply_button.setEnabled(False)
        for widget in (self.rule_combo, self.growth_spin, self.copies_spin, self.template_combo, self.hall_combo):
            widget.setEnabled(False)  # this dialog's analyses are of the design without them
        self.growth_label.setText(f"Applied: {len(fresh.pods)} copies of {template.name} are now planned items "
                                  "(Edit ▸ Undo takes them out again). The table shows the runway with them; "
                                  "open the runway again to work on from the design with them.")
        return True

    def show_runway(self) -> None:
        """Fill the table (every cell plain text) for the racks-a-year rule, or none."""
        racks = float(self.growth_spin.value()) if self.rule() == RULE_RACKS else 0.0
        self.growth_label.setText("")
        self._fill(runway_from_results(self.project, self.catalog, self._per_year, growth_racks_per_year=racks))

    def _fill(self, runway: Runway) -> None:
        self.runway = runway
        years = self.runway.years
        if not years:
            self.title.setText("The design has no scenario years: there is no timeline to run out on.")
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        self.title.setText(f"Runway over {years[0]}–{years[-1]}: the first year each resource runs out, "
                           "and which binds first")
        header, *rows = runway_rows(self.runway)
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(["Hall", *header[1:]])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)  # plain text: hall names come from the file
                if c:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, cell)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)


def _layout(plan: GrowthPlan) -> list[tuple[str, int | None, tuple[tuple[float, float], ...]]]:
    return [(p.pod.hall_id, p.pod.in_service_year, tuple((i.x_mm, i.y_mm) for i in p.items)) for p in plan.pods]


def make_runway_action(parent: QWidget, project_of: Callable[[], Project],
                       catalog_of: Callable[[], Mapping[str, CatalogEntry]],
                       analyzer_of: Callable[[], Analyzer | None],
                       templates_of: Callable[[], Mapping[str, PodTemplate]] | None = None,
                       push: Callable[[QUndoCommand], None] | None = None) -> QAction:
    """Analysis ▸ Runway…: opens a ``RunwayDialog`` of the current design (callables give the inputs)."""
    action = QAction("&Runway…", parent)
    action.setStatusTip("The year each hall and the site run out of power, cooling, space and floor load")

    def open_dialog() -> None:
        project = project_of()
        dialog = RunwayDialog(project, merged_catalog(catalog_of(), project.custom_catalog), analyzer_of(), parent,
                              templates_of() if templates_of is not None else None, push)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    action.triggered.connect(open_dialog)
    return action
