"""File ▸ Compare Options…: this design and other files side by side over this design's transition.

The table and the chart read the Qt-free registry in ``designer.analysis.compare``: a metric added
there (capex, NPV, WUE, runway, ...) appears here as a row, and in the chart's choice when it has a
value per year. Best values of a metric with a direction are bold. Every name from a file is plain text.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.compare import CaseInput, Comparison, compare, table_rows
from designer.compare_cli import comparison_inputs
from designer.io.errors import FileFormatError
from designer.io.project_file import load_project
from designer.io.project_options import listed_options
from designer.model.catalog import merged_catalog
from designer.model.records import DesignOption
from designer.ui.commands_project import SetMetadataCommand
from designer.ui.dashboard.charts import BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION, theme_colours
from designer.ui.document import Document
from designer.ui.plain_text import plain_html, plain_label, show_critical

FILE_FILTER = "DC Designer plans (*.dcplan);;All files (*)"
LINE_COLOURS = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY)
MAX_OPTIONS = 8
"""Designs in one comparison: each is analysed in every scenario year."""


class CompareOptionsDialog(QDialog):
    """This design plus up to seven files: a table of every registered metric and a chart by year."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare Options")
        self.setObjectName("CompareOptionsDialog")
        self.document = document
        self.cases: list[CaseInput] = []
        self.paths: list[Path | None] = [document.path]
        """The file of each case (the open design's may be None)."""
        self.comparison: Comparison | None = None
        this_name = document.path.name if document.path is not None else "This design"
        project = document.project
        self.cases.append(CaseInput(f"{this_name} (open)", project,
                                    merged_catalog(document.catalog, project.custom_catalog)))

        self.files = QListWidget(self)
        self.files.setMaximumHeight(90)
        self.add_button = QPushButton("Add Design…")
        self.remove_button = QPushButton("Remove")
        self.keep_button = QPushButton("Keep with This Design")
        self.keep_button.setToolTip("List these files as this design's options (saved in it, one undo step), "
                                    "so they open here and in `dc-designer compare` with it")
        self.keep_button.clicked.connect(self.keep_options)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Analyse again (after edits to the open design)")
        self.refresh_button.clicked.connect(self.refresh)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.caption = plain_label(QLabel())
        self.caption.setWordWrap(True)
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.metric_combo = QComboBox(self)
        self.metric_combo.currentIndexChanged.connect(self._draw_chart)
        background, self.foreground = theme_colours()
        self.chart = pg.PlotWidget(self)
        self.chart.setBackground(background)
        self.chart.setMenuEnabled(False)
        self.chart.hideButtons()
        self.chart.showGrid(x=True, y=True, alpha=0.15)
        self.chart.setMinimumHeight(180)
        self.legend = self.chart.addLegend(offset=(8, 8), labelTextColor=self.foreground)

        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        files_row.addLayout(buttons)
        chart_box = QWidget(self)
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Chart by year:"))
        pick.addWidget(self.metric_combo, 1)
        chart_layout.addLayout(pick)
        chart_layout.addWidget(self.chart, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(chart_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(files_row)
        layout.addWidget(self.caption)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.resize(900, 720)
        self._add_listed_options()
        self._fill_files()
        self.refresh()

    # ----------------------------------------------------------------- designs
    def _add_listed_options(self) -> None:
        """The options the open design lists (File ▸ Project Properties keeps them in the file)."""
        path = self.document.path
        if path is None or not self.document.project.metadata.options:
            return
        try:
            listed = listed_options(self.document.project, path)
        except FileFormatError as error:
            show_critical(self, "Cannot add the listed options", error.one_line())
            return
        for _name, option in listed:
            self.add_file(option, refresh=False)

    def choose_files(self) -> None:
        start = str(self.document.path.parent) if self.document.path is not None else str(Path.home())
        names, _ = QFileDialog.getOpenFileNames(self, "Add Designs to Compare", start, FILE_FILTER)
        for name in names:
            self.add_file(Path(name), refresh=False)
        if names:
            self.refresh()

    def add_file(self, path: Path, *, refresh: bool = True) -> bool:
        """Add ``path`` as an option; False (with a message naming the file) when it cannot be read."""
        if len(self.cases) >= MAX_OPTIONS:
            show_critical(self, "Cannot add the design", f"{path}: at most {MAX_OPTIONS} designs in one comparison")
            return False
        try:
            project = load_project(path, self.document.catalog)
        except FileFormatError as error:
            show_critical(self, "Cannot add the design", error.one_line())
            return False
        except OSError as error:
            show_critical(self, "Cannot add the design", f"{path}: {error.strerror or error}")
            return False
        taken = {case.name for case in self.cases}
        name = path.name if path.name not in taken else str(path)
        self.cases.append(CaseInput(name, project, merged_catalog(self.document.catalog, project.custom_catalog)))
        self.paths.append(path)
        self._fill_files()
        if refresh:
            self.refresh()
        return True

    def _on_remove_clicked(self) -> None:
        row = self.files.currentRow()
        if row <= 0:  # the open design stays: the comparison runs over its transition
            return
        del self.cases[row]
        del self.paths[row]
        self._fill_files()
        self.refresh()

    def _fill_files(self) -> None:
        self.files.clear()
        for case in self.cases:
            self.files.addItem(f"{case.name} — {case.project.metadata.title}")  # a list item is plain text
        self.remove_button.setEnabled(len(self.cases) > 1)
        self.keep_button.setEnabled(self.document.path is not None)

    def keep_options(self) -> bool:
        """Store the added files as this design's options, relative to its folder (one undo step); False
        (with a message) when the design has no file yet or a file is outside its folder."""
        here = self.document.path
        if here is None:
            show_critical(self, "Cannot keep the options", "Save this design first: options are kept beside it")
            return False
        folder = here.resolve().parent
        options: list[DesignOption] = []
        for case, path in zip(self.cases[1:], self.paths[1:], strict=True):
            assert path is not None
            resolved = path.resolve()
            if not resolved.is_relative_to(folder):
                show_critical(self, "Cannot keep the options",
                              f"{path}: an option must be in this design's folder ({folder}) or below")
                return False
            title = case.project.metadata.title[:200].strip() or path.stem
            name = title if all(o.name != title for o in options) else f"{title} ({path.name})"
            options.append(DesignOption(name[:200], resolved.relative_to(folder).as_posix()))
        metadata = replace(self.document.project.metadata, options=tuple(options))
        if metadata != self.document.project.metadata:
            self.document.push(SetMetadataCommand(self.document.project, metadata, "Keep design options"))
        return True

    # ----------------------------------------------------------------- results
    def refresh(self) -> None:
        """Analyse every design in every year (a wait cursor meanwhile) and fill the table and chart."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.comparison = compare(self.cases, inputs=comparison_inputs())
        except Exception as error:  # a design the analysis cannot handle: say so, keep the dialog
            self.comparison = None
            self.caption.setText(f"The comparison failed: {type(error).__name__}: {error}")
            self.table.setRowCount(0)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        comparison = self.comparison
        years = ", ".join(str(y) for y in comparison.years)
        hint = "" if len(self.cases) > 1 else "  Add another design to compare with it."
        self.caption.setText(f"Every design analysed under this design's scenario \u201c{comparison.scenario}\u201d "
                             f"({years}); per-year figures show the first and last year; bold: the best.{hint}")
        self._fill_table()
        self._fill_combo()
        self._draw_chart()

    def _fill_table(self) -> None:
        comparison = self.comparison
        assert comparison is not None
        rows = table_rows(comparison)
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(comparison.rows))
        self.table.setHorizontalHeaderLabels([row.name for row in comparison.rows])  # header text is plain
        self.table.setVerticalHeaderLabels([label for label, _ in rows])
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, (entry, (_label, texts)) in enumerate(zip(comparison.metrics, rows, strict=True)):
            best = comparison.best(entry.key)
            header = self.table.verticalHeaderItem(r)
            if header is not None and entry.note:
                header.setToolTip(entry.note)
            for c, (row, text) in enumerate(zip(comparison.rows, texts, strict=True)):
                cell = QTableWidgetItem(text)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.name in best:
                    cell.setFont(bold)
                self.table.setItem(r, c, cell)

    def _fill_combo(self) -> None:
        comparison = self.comparison
        assert comparison is not None
        current = self.metric_combo.currentData()
        self.metric_combo.blockSignals(True)
        self.metric_combo.clear()
        for entry in comparison.metrics:
            if entry.per_year:
                self.metric_combo.addItem(entry.title + (f" ({entry.unit})" if entry.unit else ""), entry.key)
        index = self.metric_combo.findData(current if current is not None else "annual_pue")
        self.metric_combo.setCurrentIndex(max(index, 0))
        self.metric_combo.blockSignals(False)

    def _draw_chart(self) -> None:
        self.chart.clear()
        self.legend.clear()
        comparison = self.comparison
        key = self.metric_combo.currentData()
        if comparison is None or key is None:
            return
        years = np.asarray(comparison.years, dtype=np.float64)
        for index, row in enumerate(comparison.rows):
            values = np.array([float(v) if isinstance(v, int | float) and not isinstance(v, bool) else math.nan
                               for v in row.yearly[key]])
            colour = LINE_COLOURS[index % len(LINE_COLOURS)]
            self.chart.plot(years, values, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=6,
                            symbolBrush=colour, name=plain_html(row.name))
        self.chart.setLabel("bottom", "year", color=self.foreground)
        self.chart.setTitle(plain_html(self.metric_combo.currentText()), color=self.foreground, size="10pt")

    def cell_text(self, metric_row: int, design: int) -> str:
        cell = self.table.item(metric_row, design)
        return cell.text() if cell is not None else ""
