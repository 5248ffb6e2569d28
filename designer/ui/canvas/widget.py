"""FloorCanvas: the scene, the view showing it and the editor, wired together for one document."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

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
