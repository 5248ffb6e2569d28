"""CompareDock: another .dcplan's headline figures beside this design's, and its transition curves."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis import Analyzer, Results, sweep
from designer.io.errors import FileFormatError
from designer.io.project_file import load_project
from designer.model.catalog import Catalog, merged_catalog
from designer.model.project import Project
from designer.ui.dashboard.series import (
    FIGURE_TITLES,
    HeadlineValues,
    format_figures,
    headline_figures,
    transition_series,
)
from designer.ui.plain_text import plain_label, show_critical

FILE_FILTER = "DC Designer plans (*.dcplan);;All files (*)"
log = logging.getLogger(__name__)


class CompareDock(QWidget):
    """Loads a second project and analyses it at the same inference share and hour as this one."""

    other_transition_changed = Signal(object)
    """TransitionSeries of the other project, or None when the comparison is cleared."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CompareDock")
        self.catalog = catalog
        self.other: Project | None = None
        self.other_path: Path | None = None
        self.other_figures: HeadlineValues | None = None
        self.this_figures: HeadlineValues | None = None
        self._analyzer: Analyzer | None = None
        self._this_project: Project | None = None
        self.open_button = QPushButton("Compare with…")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setEnabled(False)
        self.caption = plain_label(QLabel("Open another plan to compare (dashed curves in the transition chart)."))
        self.caption.setWordWrap(True)
        self.table = QTableWidget(len(FIGURE_TITLES), 2)
        self.table.setHorizontalHeaderLabels(["This design", "Other"])
        self.table.setVerticalHeaderLabels([title for _, title in FIGURE_TITLES])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.open_button.clicked.connect(self.open_dialog)
        self.clear_button.clicked.connect(self.clear)

    def open_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Compare With Plan", str(Path.home()), FILE_FILTER)
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> bool:
        """Load ``path`` as the other design; False (with a message) when it cannot be read."""
        try:
            project = load_project(path, self.catalog)
        except FileFormatError as error:
            show_critical(self, "Cannot compare", error.one_line())
            return False
        except OSError as error:
            show_critical(self, "Cannot compare", f"{path}: {error.strerror or error}")
            return False
        self.set_other(project, path)
        return True

    def set_other(self, project: Project, path: Path | None = None) -> None:
        if self._analyzer is not None:
            self._analyzer.close()
        self.other, self.other_path = project, path
        self._analyzer = Analyzer()
        name = path.name if path is not None else project.metadata.title
        self.caption.setText(f"Other: {name} — {project.metadata.title}")
        self.table.setHorizontalHeaderLabels(["This design", name])
        self.clear_button.setEnabled(True)
        try:
            other_sweep = sweep(project, self._catalog(), analyzer=self._analyzer)
            self.other_transition_changed.emit(transition_series(other_sweep))
        except Exception:  # the comparison is a view: a design the sweep cannot handle shows no curves
            log.debug("sweep of the compared project failed", exc_info=True)
            self.other_transition_changed.emit(None)
        self._refresh_other()

    def _catalog(self) -> dict:  # type: ignore[type-arg]
        assert self.other is not None
        return merged_catalog(self.catalog, self.other.custom_catalog)

    def clear(self) -> None:
        if self._analyzer is not None:
            self._analyzer.close()
        self.other = self.other_path = self._analyzer = None
        self.other_figures = None
        self.caption.setText("Open another plan to compare (dashed curves in the transition chart).")
        self.table.setHorizontalHeaderLabels(["This design", "Other"])
        self.clear_button.setEnabled(False)
        self.other_transition_changed.emit(None)
        self._fill()

    def show_results(self, results: Results, project: Project, figures: HeadlineValues | None = None) -> None:
        """This design's new results (``figures``: their headline figures, when already worked out):
        refresh both columns at the same share and hour."""
        self._last = results
        self.this_figures = figures if figures is not None else headline_figures(results, project)
        self._refresh_other()

    def _refresh_other(self) -> None:
        results = getattr(self, "_last", None)
        if self.other is not None and self._analyzer is not None:
            share = results.inference_share if results is not None else None
            try:
                other = self._analyzer.analyze(self.other, self._catalog(), inference_share=share,
                                               failures=bool(results is not None and results.failures_analysed))
                self.other_figures = headline_figures(other, self.other)
            except Exception as error:
                self.other_figures = None
                self.caption.setText(f"Other design cannot be analysed: {error}")
        self._fill()

    def _fill(self) -> None:
        for col, figures in enumerate((self.this_figures, self.other_figures)):
            texts = format_figures(figures) if figures is not None else {}
            for row, (key, _) in enumerate(FIGURE_TITLES):
                text = texts.get(key, "—")
                cell = self.table.item(row, col)
                if cell is None:
                    self.table.setItem(row, col, QTableWidgetItem(text))
                elif cell.text() != text:  # a share move changes a few figures: the others stay as they are
                    cell.setText(text)

    def text_of(self, key: str, column: int = 1) -> str:
        row = [k for k, _ in FIGURE_TITLES].index(key)
        cell = self.table.item(row, column)
        return cell.text() if cell is not None else ""
