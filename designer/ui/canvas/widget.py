"""FloorCanvas: the scene, the view showing it and the editor, wired together for one document."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from designer.ui.canvas.autoconnect_preview import AutoConnectPreview
from designer.ui.canvas.editing import FloorEditor
from designer.ui.canvas.scene import FloorScene
from designer.ui.canvas.view import FloorView
from designer.ui.document import Document


class FloorCanvas(QWidget):
    """Owns the scene (so it lives as long as the widget) and routes view requests to the editor."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.scene = FloorScene(document, self)
        self.view = FloorView(self.scene, self)
        self.editor = FloorEditor(document, self.scene, self)
        self.autoconnect_preview: AutoConnectPreview | None = None
        self.editor.view_centre = lambda: self.view.mapToScene(self.view.viewport().rect().center())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.view.catalog_dropped.connect(self.editor.drop_catalog_entry)
        self.view.pod_dropped.connect(self.editor.drop_pod)
        self.view.nudge_requested.connect(self.editor.nudge)
        self.scene.connect_requested.connect(self.editor.connect_items)
        self.scene.connection_check = self.editor.proposed_connection
        self.scene.message.connect(self.editor.message)
        document.current_hall_changed.connect(self._on_document_current_hall_changed)
        document.project_replaced.connect(self.view.zoom_to_fit)

    def _on_document_current_hall_changed(self, hall_id: str) -> None:
        self.view.zoom_to_fit()

    def preview_auto_connect(self) -> AutoConnectPreview | None:
        """Show what auto-connect would add; Apply makes it one undo step (None: nothing to add)."""
        if self.autoconnect_preview is not None:
            self.autoconnect_preview.cancel()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a campus of 10,000 racks plans in a second or two
        try:
            plan = self.editor.plan_auto_connect()
        finally:
            QApplication.restoreOverrideCursor()
        if not plan.connections:
            self.editor.message.emit(plan.summary())
            return None
        self.autoconnect_preview = AutoConnectPreview(self.document, self.scene, self.view, plan, self)
        self.autoconnect_preview.finished.connect(self._on_preview_finished)
        self.editor.message.emit(plan.summary() + " — Apply (Enter) or Cancel (Esc)")
        return self.autoconnect_preview

    def _on_preview_finished(self, applied: bool) -> None:
        preview, self.autoconnect_preview = self.autoconnect_preview, None
        if preview is not None:
            self.editor.message.emit(preview.plan.summary() if applied else "Auto-connect cancelled")
            preview.deleteLater()
