"""File ▸ Compare Layout with…: what this design adds, removes, moves and changes against another file,
coloured on the canvas under a banner with a legend and a list (click selects and zooms; Esc closes).

The colouring goes through the same calls as the what-if view (``set_fill_colour`` and opacity on the
scene's graphics items, the dashboard's colours put back on close), so anything that caches the floor's
picture sees it the same way. Items removed in this design (or where a moved item stood before) are
drawn as dashed outlines on top of the floor while the view is open; the model is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPen
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.diff import DesignDiff, diff_designs
from designer.io.errors import FileFormatError
from designer.io.project_file import load_project
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.diff import LayoutDiff, diff_projects
from designer.model.project import Project
from designer.model.records import PlacedItem
from designer.ui.canvas.items import Z_PREVIEW
from designer.ui.canvas.scene import FloorScene
from designer.ui.canvas.view import FloorView
from designer.ui.document import Document
from designer.ui.panels.icons import COLOR_BY_SEVERITY
from designer.ui.plain_text import show_critical
from designer.ui.what_if import dock_banner

STATUS_COLOURS = {
    "added": "#2E9E4F",
    "removed": COLOR_BY_SEVERITY["error"],
    "moved": "#2F6FD0",
    "changed": COLOR_BY_SEVERITY["warning"],
}
STATUS_TITLES = {"added": "added", "removed": "removed", "moved": "moved",
                 "changed": "re-rated / re-connected / changed"}
FILE_FILTER = "DC Designer plans (*.dcplan);;All files (*)"
ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class DiffEntry:
    """One line of the list: an item's status, where it stands (or stood) and what the line says."""

    status: str
    item_id: str
    hall_id: str
    text: str


def effects_sentence(diff: DesignDiff) -> str:
    """``Year 2025: annual PUE 1.447 -> 1.484, racks at risk 66 -> 66; findings 4 new, 3 resolved``: the
    figures that changed (all of them when none did), then the findings."""
    changed = [f for f in diff.figures if f.before != f.after]
    parts = [f"{f.title} {_figure(f.before)} -> {_figure(f.after)}" for f in changed]
    figures = ", ".join(parts) if parts else "no headline figure changed"
    year = f"In {diff.year}: " if diff.year is not None else ""
    return (f"{year}{figures}; findings: {len(diff.new_findings)} new, {len(diff.resolved_findings)} resolved"
            " (dc-designer diff lists them)")


def _figure(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,d}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"


def diff_entries(diff: LayoutDiff, this: Project) -> list[DiffEntry]:
    """The list's lines: added, removed, moved, then changed items, each by id."""
    entries: list[DiffEntry] = []

    def line(status: str, item: PlacedItem, detail: str = "") -> None:
        name = item.label or item.id
        label = f"{name} ({item.id})" if item.label and item.label != item.id else name
        entries.append(DiffEntry(status, item.id, item.hall_id, f"{status}: {label}{detail}"))

    for item in diff.added:
        line("added", item, f" - {item.catalog_id}")
    for item in diff.removed:
        line("removed", item, f" - {item.catalog_id}")
    for change in diff.moved:
        line("moved", change.after)
    reconnected = set(diff.reconnected)
    for change in diff.changed:
        if not change.moved:
            line("changed", change.after, f" - {', '.join(change.fields)}")
            reconnected.discard(change.item_id)
    for item_id in sorted(reconnected):
        current = this.items.get(item_id)
        if current is not None and all(e.item_id != item_id for e in entries):
            line("changed", current, " - connections")
    return entries


class LayoutDiffBanner(QFrame):
    """The comparison above the canvas: counts, a key to the colours, the list, and a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LayoutDiffBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#LayoutDiffBanner { background: #EAF1FB; border: 1px solid #9a9a9a; }"
                           "#LayoutDiffBanner QLabel { color: #1a1a1a; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # the file name and titles come from files
        self.message.setWordWrap(True)
        font = self.message.font()
        font.setBold(True)
        self.message.setFont(font)
        self.effects = QLabel(self)
        self.effects.setTextFormat(Qt.TextFormat.PlainText)  # finding texts name items from the files
        self.effects.setWordWrap(True)
        self.key = QLabel(self)
        self.key.setTextFormat(Qt.TextFormat.RichText)  # fixed text only: no file content
        self.key.setText(" &nbsp; ".join(
            f'<span style="color:{STATUS_COLOURS[s]}">■</span> {STATUS_TITLES[s]}' for s in STATUS_COLOURS)
            + " &nbsp; dashed: removed, or where a moved item stood &nbsp;·&nbsp; unchanged dimmed"
              " &nbsp;·&nbsp; Esc closes")
        self.key.setWordWrap(True)
        texts.addWidget(self.message)
        texts.addWidget(self.effects)
        texts.addWidget(self.key)
        texts.addStretch(1)
        layout.addLayout(texts, 3)
        self.list = QListWidget(self)
        self.list.setMaximumHeight(110)
        self.list.setToolTip("Click a line to select the item and zoom to it")
        layout.addWidget(self.list, 2)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close the layout comparison (Esc)")
        self.close_button.setAutoRaise(True)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def fill(self, sentence: str, entries: list[DiffEntry], effects: str = "") -> None:
        self.message.setText(sentence)
        self.effects.setText(effects)
        self.effects.setVisible(bool(effects))
        self.list.clear()
        for entry in entries:
            row = QListWidgetItem(entry.text)  # a list item shows plain text
            row.setData(ID_ROLE, entry.item_id)
            row.setForeground(QBrush(QColor(STATUS_COLOURS[entry.status])))
            self.list.addItem(row)
        self.show()


class LayoutDiffOverlay(QObject):
    """Shows one ``LayoutDiff`` (this design against a base file) on the scene until ``close``."""

    def __init__(
        self,
        document: Document,
        scene: FloorScene,
        view: FloorView,
        banner_parent: QWidget,
        restore_colours: Callable[[], None],
        parent: QObject | None = None,
        close_others: Callable[[], None] | None = None,
        hide_key: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.scene, self.view = document, scene, view
        self._restore_colours = restore_colours
        self._close_others = close_others
        """Ends another view over the canvas colours (the what-if) before this one shows."""
        self._hide_key = hide_key
        """Hides the dashboard's colour key each time the colours are put on (the banner is the key)."""
        self.diff: LayoutDiff | None = None
        self.base: Project | None = None
        self.base_catalog: Mapping[str, CatalogEntry] = {}
        self.base_name = ""
        self.entries: list[DiffEntry] = []
        self.effects = ""
        """The change's effect on the headline figures and findings, as the banner says it."""
        self.ghosts: dict[str, QGraphicsRectItem] = {}
        """Dashed outlines by item id: removed items, and moved items where they stood."""
        self.banner = LayoutDiffBanner(banner_parent)
        self.banner.list.itemClicked.connect(self._on_list_item_clicked)
        self.escape = dock_banner(self.banner, banner_parent, self.close)
        document.undo_stack.indexChanged.connect(self._on_document_edited)
        document.project_replaced.connect(self.close)
        document.current_hall_changed.connect(self._on_document_current_hall_changed)

    @property
    def active(self) -> bool:
        return self.diff is not None

    # ----------------------------------------------------------------- opening
    def choose_file(self) -> bool:
        """File ▸ Compare Layout with…: pick the base design and show the comparison."""
        here = self.document.path
        start = str(here.parent) if here is not None else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self.banner.window(), "Compare Layout With", start, FILE_FILTER)
        return self.load(Path(name)) if name else False

    def load(self, path: Path) -> bool:
        """Read ``path`` as the base design and show what this design changes; False (with a message)
        when it cannot be read."""
        try:
            base = load_project(path, self.document.catalog)
        except FileFormatError as error:
            show_critical(self.banner.window(), "Cannot compare layouts", error.one_line())
            return False
        except OSError as error:
            show_critical(self.banner.window(), "Cannot compare layouts", f"{path}: {error.strerror or error}")
            return False
        self.show(base, path.name)
        return True

    def show(self, base: Project, base_name: str) -> LayoutDiff:
        """Compare this design against ``base`` and colour the canvas."""
        self.close()
        if self._close_others is not None:
            self._close_others()
        self.base, self.base_name = base, base_name
        self.base_catalog = merged_catalog(self.document.catalog, base.custom_catalog)
        this = self.document.project
        self.diff = diff_projects(base, this)
        self.entries = diff_entries(self.diff, this)
        self.effects = self._effects(base)
        self.banner.fill(self.sentence(), self.entries, self.effects)
        self.apply()
        self.escape.setEnabled(True)
        return self.diff

    def _effects(self, base: Project) -> str:
        """What the change did to the headline figures and findings (both analysed at the base's first
        scenario year), in one line; a wait cursor meanwhile. Empty when the analysis fails."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            this = self.document.project
            result = diff_designs(base, this, self.base_catalog,
                                  merged_catalog(self.document.catalog, this.custom_catalog))
        except Exception as error:  # the colours and the list stand without the figures
            return f"The figures could not be compared: {type(error).__name__}: {error}"
        finally:
            QGuiApplication.restoreOverrideCursor()
        return effects_sentence(result)

    def sentence(self) -> str:
        diff = self.diff
        if diff is None:
            return ""
        links = len(diff.connections_added) + len(diff.connections_removed) + len(diff.connections_changed)
        changed = len({e.item_id for e in self.entries if e.status == "changed"})
        if diff.empty:
            return f"Against {self.base_name}: no change in items or connections"
        return (f"Against {self.base_name}: {len(diff.added)} added, {len(diff.removed)} removed, "
                f"{len(diff.moved)} moved, {changed} re-rated, re-connected or changed; {links} connections differ")

    # ----------------------------------------------------------------- colouring
    def apply(self) -> None:
        """Colour and dim the items of the hall on the canvas, and draw its ghosts (again after a hall
        switch or after the dashboard recoloured the items)."""
        if self.diff is None:
            return
        if self._hide_key is not None:
            self._hide_key()  # an analysis after an edit elsewhere may have shown it again
        status = self.diff.status_by_item()
        colours = {item_id: STATUS_COLOURS[state] for item_id, state in status.items() if state in STATUS_COLOURS}
        # a connection stays lit when either end changed
        self.scene.pick_out(colours, lambda record: record.source_id in status or record.target_id in status)
        self._draw_ghosts()

    def _draw_ghosts(self) -> None:
        self._remove_ghosts()
        if self.diff is None:
            return
        hall = self.scene.hall_id
        before = [("removed", item) for item in self.diff.removed]
        before += [("moved", change.before) for change in self.diff.moved]
        for status, item in before:
            entry = self.base_catalog.get(item.catalog_id)
            if entry is None or item.hall_id != hall:
                continue
            ghost = QGraphicsRectItem(QRectF(-entry.width_mm / 2, -entry.depth_mm / 2, entry.width_mm, entry.depth_mm))
            ghost.setPos(item.x_mm, item.y_mm)
            ghost.setRotation(item.rotation_deg)
            pen = QPen(QColor(STATUS_COLOURS[status]), 0)
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setWidthF(2.0)
            pen.setCosmetic(True)
            ghost.setPen(pen)
            fill = QColor(STATUS_COLOURS[status])
            fill.setAlphaF(0.18 if status == "removed" else 0.0)
            ghost.setBrush(QBrush(fill))
            ghost.setZValue(Z_PREVIEW)
            ghost.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            ghost.setToolTip(f"{status}: {item.label or item.id}")
            self.scene.addItem(ghost)
            self.ghosts[item.id] = ghost

    def _remove_ghosts(self) -> None:
        for ghost in self.ghosts.values():
            if ghost.scene() is self.scene:
                self.scene.removeItem(ghost)
        self.ghosts = {}

    def close(self) -> None:
        """End the comparison: normal opacity and colours, ghosts and banner gone."""
        self.escape.setEnabled(False)
        self.banner.hide()
        if self.diff is None:
            return
        self.diff = None
        self._remove_ghosts()
        self.scene.unpick()
        self._restore_colours()

    # ----------------------------------------------------------------- the list
    def activate(self, item_id: str) -> None:
        """Show one listed item: select it (when it is in this design) and zoom to it in its hall."""
        entry = next((e for e in self.entries if e.item_id == item_id), None)
        if entry is None:
            return
        if entry.hall_id in self.document.project.halls and self.document.current_hall_id != entry.hall_id:
            self.document.set_current_hall(entry.hall_id)
        if item_id in self.document.project.items:
            self.document.set_selection([item_id])
            self.view.zoom_to_selection()
        elif item_id in self.ghosts:
            self.document.set_selection([])
            self.view.fit_rect(self.ghosts[item_id].sceneBoundingRect())

    def _on_list_item_clicked(self, row: QListWidgetItem) -> None:
        self.activate(str(row.data(ID_ROLE)))

    def _on_document_edited(self, _index: int) -> None:
        self.close()  # the comparison described the design before this edit

    def _on_document_current_hall_changed(self, _hall_id: str) -> None:
        self.apply()
