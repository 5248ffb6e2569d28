"""The problems panel: a sortable table of findings, filtered by severity and text; double-click shows the items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.ui.panels.icons import COLOR_BY_SEVERITY, severity_icon
from designer.ui.plain_text import plain_html

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
SEVERITY_TITLES = {"error": "Error", "warning": "Warning", "info": "Info"}
COLUMNS = ("Severity", "Code", "Message", "Items")

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 2
IDS_ROLE = Qt.ItemDataRole.UserRole + 3


def summary_text(counts: dict[str, int]) -> str:
    """``3 errors, 5 warnings, 1 info``; ``No problems`` when every count is zero."""
    parts = []
    for severity, singular, plural in (("error", "error", "errors"), ("warning", "warning", "warnings"),
                                       ("info", "info", "info")):
        count = counts.get(severity, 0)
        if count:
            parts.append(f"{count} {singular if count == 1 else plural}")
    return ", ".join(parts) if parts else "No problems"


FindingKey = tuple[str, str, str, tuple[str, ...]]
"""(severity, code, message, item ids) of a finding: everything its row shows."""


def _finding_key(finding: object) -> FindingKey:
    return (str(getattr(finding, "severity", "info")), str(getattr(finding, "code", "")),
            str(getattr(finding, "message", "")), tuple(str(i) for i in getattr(finding, "item_ids", ())))


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """(start, count) of each run of consecutive rows in ascending ``rows``."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][0] + runs[-1][1] == row:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((row, 1))
    return runs


def _severity_text(severity: str, icon_only: bool) -> str:
    return "" if icon_only else SEVERITY_TITLES.get(severity, severity)


def _cells(key: FindingKey, icon_only: bool) -> list[QStandardItem]:
    """The four cells of one finding's row (``icon_only``: the severity as its icon alone)."""
    severity, code, message, item_ids = key
    ids = list(item_ids)
    severity_cell = QStandardItem(severity_icon(severity), _severity_text(severity, icon_only))
    severity_cell.setForeground(QColor(COLOR_BY_SEVERITY.get(severity, "#606060")).darker(115))
    severity_cell.setData(SEVERITY_RANK.get(severity, len(SEVERITIES)), SORT_ROLE)
    severity_cell.setData(severity, SEVERITY_ROLE)
    severity_cell.setData(ids, IDS_ROLE)
    cells = [severity_cell, QStandardItem(code), QStandardItem(message), QStandardItem(", ".join(ids))]
    for cell in cells[1:]:
        cell.setData(cell.text().casefold(), SORT_ROLE)
    # text from the file: never read as markup. The severity and code cells say it all, as the
    # narrow panel hides the code and items columns
    tip = f"{code}: {message}" if code else message
    if ids:
        tip += "\nItems: " + ", ".join(ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
    cells[0].setToolTip(plain_html(tip))
    cells[1].setToolTip(plain_html(tip))
    cells[2].setToolTip(plain_html(message))
    cells[3].setToolTip(plain_html("\n".join(ids)))
    for cell in cells:
        cell.setEditable(False)
    return cells


class SeverityFilterModel(QSortFilterProxyModel):
    """Shows the rows whose severity is among ``severities`` and whose code, message or item ids
    contain every word of ``text`` (case-insensitive)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._severities: set[str] = set(SEVERITIES)
        self._words: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)

    icon_only = False
    """Whether the severity column shows its icon alone (a narrow panel gives the width to the
    message). The panel blanks the cells' and the header's text itself: ``data`` and ``headerData``
    overrides here, called from Python for every role of every cell and row the view lays out, were
    most of the cost of a change of findings."""

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def severities(self) -> frozenset[str]:
        return frozenset(self._severities)

    def set_severities(self, severities: Iterable[str]) -> None:
        wanted = set(severities)
        if wanted != self._severities:
            self.beginFilterChange()
            self._severities = wanted
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        severity = model.index(source_row, 0, source_parent).data(SEVERITY_ROLE)
        if severity not in self._severities:
            return False
        if not self._words:
            return True
        haystack = " ".join(str(model.index(source_row, column, source_parent).data(SORT_ROLE) or "")
                            for column in range(1, len(COLUMNS)))
        return all(word in haystack for word in self._words)


class ProblemsPanel(QWidget):
    """Findings of the analysis. ``item_activated`` carries the item ids of a double-clicked row."""

    item_activated = Signal(list)
    """list[str]: the ids of the items a finding is about (select and centre them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProblemsPanel")
        self._counts: dict[str, int] = {}
        self._keys: list[FindingKey] = []
        """(severity, code, message, item ids) of the model's rows, in the model's order."""
        self._keyed: dict[int, tuple[object, FindingKey]] = {}
        """The key of each finding last shown, by the finding's id (the finding held, so the id stays its):
        the analysis hands the same finding objects back while they stand (a 50k campus's nameplate
        finding names 9,230 items; making its key again cost ~10 ms at the first share move)."""
        self._pending = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        bar.setSpacing(4)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("ProblemsSummary")
        bar.addWidget(self.summary_label)
        bar.addStretch(1)
        self.filter_buttons: dict[str, QToolButton] = {}
        for severity in SEVERITIES:
            button = QToolButton(self)
            button.setCheckable(True)
            button.setChecked(True)
            button.setIcon(severity_icon(severity))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(f"Show {SEVERITY_TITLES[severity].lower()} findings")
            button.toggled.connect(self._on_filter_button_toggled)
            bar.addWidget(button)
            self.filter_buttons[severity] = button
        layout.addLayout(bar)
        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("ProblemsTextFilter")
        self.text_filter.setPlaceholderText("Filter by text, code or item id…")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.textChanged.connect(self._on_text_filter_text_changed)
        layout.addWidget(self.text_filter)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = SeverityFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # messages wrap to the panel's width instead of ending in "...": the panel is often narrow
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 160)
        self.table.setToolTip("Double-click a problem to select its items and zoom to them")
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        layout.addWidget(self.table)
        self.set_findings(())
        self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Below ~420 px the code and item columns give their width to the message (both stay in the
        row's tooltip and in the text filter); wider, all four columns show."""
        narrow = self.width() < 420
        self.table.setColumnHidden(1, narrow)
        self.table.setColumnHidden(3, narrow)
        if narrow != self.proxy.icon_only:
            self.proxy.icon_only = narrow
            rows = self.model.rowCount()
            self.model.blockSignals(True)  # one change signal for the column, not one per row
            try:
                for row in range(rows):
                    cell = self.model.item(row, 0)
                    cell.setText(_severity_text(str(cell.data(SEVERITY_ROLE)), narrow))
            finally:
                self.model.blockSignals(False)
            if rows:
                self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(rows - 1, 0))
            # on the model, as the cells: a headerData override was called from Python for every row's
            # (hidden) vertical header section at each layout
            header = QStandardItem("" if narrow else COLUMNS[0])
            if narrow:
                header.setToolTip("Severity (click to sort)")
            self.model.setHorizontalHeaderItem(0, header)

    # ----------------------------------------------------------------- content
    def set_findings(self, findings: Sequence[object]) -> None:
        """Show ``findings`` (objects with severity, code, message, item_ids) in place of the table's.

        Rows whose finding stays are kept: only the findings that left are removed and the new ones
        inserted where a rebuild would put them (an analysis with and one without the failure cases
        differ by a few findings among many; building every row again held the window ~20 ms at 50k
        racks). When the kept ones changed order, the table is built again.
        """
        keyed = self._keyed
        kept = {id(finding): keyed.get(id(finding)) or (finding, _finding_key(finding)) for finding in findings}
        self._keyed = kept
        keys = [kept[id(finding)][1] for finding in findings]
        if not self._update_rows(keys):
            self.model.removeRows(0, self.model.rowCount())
            for key in keys:
                self.model.appendRow(_cells(key, self.proxy.icon_only))
        self._keys = keys
        counts = dict.fromkeys(SEVERITIES, 0)
        for severity, _code, _message, _ids in keys:
            counts[severity] = counts.get(severity, 0) + 1
        self._counts = counts
        for severity, button in self.filter_buttons.items():
            button.setText(str(counts.get(severity, 0)))
        self._update_summary()

    def _update_rows(self, keys: list[FindingKey]) -> bool:
        """Bring the model's rows (``self._keys``) to ``keys`` by removing and inserting rows, the kept
        ones in the same order; False (nothing done) when the kept ones would change order."""
        old = self._keys
        if old == keys:
            return True
        wanted = Counter(keys)
        kept: list[FindingKey] = []
        removed: list[int] = []
        for row, key in enumerate(old):
            if wanted[key] > 0:
                wanted[key] -= 1
                kept.append(key)
            else:
                removed.append(row)
        inserted: list[int] = []
        matched = 0
        for index, key in enumerate(keys):
            if matched < len(kept) and kept[matched] == key:
                matched += 1
            else:
                inserted.append(index)
        if matched != len(kept):
            return False
        for start, count in reversed(_runs(removed)):
            self.model.removeRows(start, count)
        for index in inserted:  # ascending: the rows before each are already where they end
            self.model.insertRow(index, _cells(keys[index], self.proxy.icon_only))
        if inserted:
            # rows inserted among equal ones go after them; sorting again puts equal rows in the
            # model's order, as a table built again has them
            self.proxy.invalidate()
        return True

    def set_pending(self, pending: bool) -> None:
        """While the design has not been analysed yet, the summary says so: an empty table then means
        "not known yet", never "no problems"."""
        if pending != self._pending:
            self._pending = pending
            self._update_summary()

    @property
    def pending(self) -> bool:
        return self._pending

    def counts(self) -> dict[str, int]:
        """Number of findings per severity (all of them, whatever the filter)."""
        return dict(self._counts)

    def set_severity_filter(self, severities: Iterable[str]) -> None:
        """Show only findings of these severities (updates the filter buttons)."""
        wanted = set(severities)
        for severity, button in self.filter_buttons.items():
            button.blockSignals(True)
            button.setChecked(severity in wanted)
            button.blockSignals(False)
        self.proxy.set_severities(wanted)
        self._update_summary()

    def visible_rows(self) -> list[tuple[str, str, str, list[str]]]:
        """(severity, code, message, item ids) of the rows shown, in display order."""
        rows = []
        for row in range(self.proxy.rowCount()):
            first = self.proxy.index(row, 0)
            rows.append((first.data(SEVERITY_ROLE), self.proxy.index(row, 1).data(),
                         self.proxy.index(row, 2).data(), list(first.data(IDS_ROLE) or [])))
        return rows

    # ----------------------------------------------------------------- handlers
    def _update_summary(self) -> None:
        total = sum(self._counts.values())
        if self._pending:
            text = "Analysing…" + (f" {summary_text(self._counts)} so far" if total else "")
        else:
            text = summary_text(self._counts)
        shown = self.proxy.rowCount()
        if shown != total:
            text += f" (showing {shown})"
        self.summary_label.setText(text)

    def set_text_filter(self, text: str) -> None:
        """Show only findings whose code, message or item ids contain every word of ``text``."""
        self.text_filter.setText(text)

    def _on_text_filter_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_summary()

    def _on_filter_button_toggled(self, _checked: bool) -> None:
        self.proxy.set_severities(s for s, button in self.filter_buttons.items() if button.isChecked())
        self._update_summary()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        ids = self.proxy.index(index.row(), 0).data(IDS_ROLE)
        if ids:
            self.item_activated.emit(list(ids))
