"""The undo history: the document's undo stack as a list; clicking a row undoes or redoes to it."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStyle, QUndoView, QVBoxLayout, QWidget

CLEAN_LABEL = "<clean>"
"""The first row: the state before any recorded edit (as opened or created)."""


class UndoHistoryPanel(QWidget):
    """A QUndoView over an undo stack; the saved (clean) state is marked with an icon."""

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UndoHistoryPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = QUndoView(undo_stack, self)
        self.view.setEmptyLabel(CLEAN_LABEL)
        self.view.setCleanIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.view.setIconSize(QSize(16, 16))
        self.view.setUniformItemSizes(True)  # rows with and without the clean icon line up
        layout.addWidget(self.view)

    def undo_stack(self) -> QUndoStack:
        stack: QUndoStack = self.view.stack()
        return stack

    def set_undo_stack(self, undo_stack: QUndoStack) -> None:
        """Follow another stack (a new document)."""
        self.view.setStack(undo_stack)
