"""CanvasColouring: paints the floor plan in the chosen colour mode and keeps a legend on the canvas.

The dashboard hands it each new analysis; only items whose colour code changed are repainted, so a
share, year or hour move over 10,000 racks touches just the racks that changed bin.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QLayout, QToolButton, QVBoxLayout, QWidget

from designer.analysis import Results
from designer.ui.canvas.colour_modes import (
    MODE_NAMES,
    Colouring,
    ColourMode,
    RackFacts,
    colouring_for,
    live_caption,
    rack_facts,
)
from designer.ui.canvas.overlay import apply_overlay
from designer.ui.canvas.scene import FloorScene
from designer.ui.canvas.view import FloorView
from designer.ui.document import Document
from designer.ui.document_controller import APPLICATION, ORGANISATION

LEGEND_MARGIN_PX = 10
SWATCH_PX = 14
CARD_FILL = QColor(255, 255, 255, 235)
CARD_EDGE = QColor("#9aa0a8")
COLOUR_MODE_KEY = "canvas/colour_mode"
"""The QSettings key remembering the colour mode the user chose last (read at start)."""


def remembered_mode() -> ColourMode:
    """The colour mode chosen in an earlier session (utilisation when none, or an unknown name)."""
    value = QSettings(ORGANISATION, APPLICATION).value(COLOUR_MODE_KEY, "")
    try:
        return ColourMode(str(value))
    except ValueError:
        return ColourMode.UTILISATION


def remember_mode(mode: ColourMode) -> None:
    QSettings(ORGANISATION, APPLICATION).setValue(COLOUR_MODE_KEY, mode.value)


class LegendRows(QWidget):
    """Swatches and their words, painted (no child widget per row, so a mode switch relayouts at once)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.entries: tuple[tuple[str, str], ...] = ()

    def set_entries(self, entries: tuple[tuple[str, str], ...]) -> None:
        self.entries = entries
        self.updateGeometry()
        self.update()

    def _row_px(self) -> int:
        return max(SWATCH_PX, self.fontMetrics().height()) + 3

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = max((metrics.horizontalAdvance(words) for _, words in self.entries), default=0)
        return QSize(SWATCH_PX + 6 + width + 2, self._row_px() * len(self.entries))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        row = self._row_px()
        text_colour = QColor("#1b1e23")
        for index, (colour, words) in enumerate(self.entries):
            top = index * row
            fill = QColor(colour)
            painter.setPen(fill.darker(150))
            painter.setBrush(fill)
            painter.drawRect(0, top + (row - SWATCH_PX) // 2, SWATCH_PX - 1, SWATCH_PX - 1)
            painter.setPen(text_colour)
            painter.drawText(QRect(SWATCH_PX + 6, top, self.width() - SWATCH_PX - 6, row),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), words)
        painter.end()


class CanvasLegend(QFrame):
    """A small card in the canvas' bottom-left corner: the mode chooser, what the colours show, swatches."""

    mode_chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("CanvasLegend")
        # the card is painted by hand (no style sheet): it sits over the canvas and repaints with it,
        # so it must cost next to nothing on a 10,000-rack redraw
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#1b1e23"))
        self.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        header = QHBoxLayout()
        header.setSpacing(4)
        self.combo = QComboBox(self)
        self.combo.setToolTip("What the colours of the floor plan show")
        for mode, name in MODE_NAMES.items():
            self.combo.addItem(name, mode.value)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        header.addWidget(self.combo)
        self.fold = QToolButton(self)
        self.fold.setAutoRaise(True)
        self.fold.setCheckable(True)
        self.fold.setChecked(True)
        self.fold.setArrowType(Qt.ArrowType.DownArrow)
        self.fold.setToolTip("Show or hide the colour key")
        self.fold.toggled.connect(self._on_fold_toggled)
        header.addWidget(self.fold)
        layout.addLayout(header)
        self.user_folded = False
        """The user hid the key; it also hides by itself while the canvas is too short for it."""
        self.caption = QLabel("", self)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.caption)
        self.rows = LegendRows(self)
        layout.addWidget(self.rows)
        self._card: tuple[tuple[int, int, float], QPixmap] | None = None
        """The painted card of one (width, height, pixel ratio)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        # the card's rounded, antialiased outline drawn once per size and then copied: the card repaints
        # with the canvas under it and with its caption on every share move (~1 ms each to draw anew)
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio)
        if self._card is None or self._card[0] != key:
            card = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            card.setDevicePixelRatio(ratio)
            card.fill(Qt.GlobalColor.transparent)
            card_painter = QPainter(card)
            card_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            card_painter.setPen(CARD_EDGE)
            card_painter.setBrush(CARD_FILL)
            card_painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4.0, 4.0)
            card_painter.end()
            self._card = (key, card)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._card[1])  # clipped to the region that needs painting
        painter.end()

    def _on_fold_toggled(self, shown: bool) -> None:
        self.user_folded = not shown
        view = self.parentWidget()
        if isinstance(view, FloorView):
            self.place(view)

    def folded(self) -> bool:
        return self.rows.isHidden()

    @property
    def entries(self) -> tuple[tuple[str, str], ...]:
        return self.rows.entries

    def _on_combo_changed(self, index: int) -> None:
        self.mode_chosen.emit(self.combo.itemData(index))

    def set_mode(self, mode: ColourMode) -> None:
        index = self.combo.findData(mode.value)
        if index != self.combo.currentIndex():
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(index)
            self.combo.blockSignals(False)

    def show_legend(self, entries: tuple[tuple[str, str], ...], caption: str) -> bool:
        """Swatches and words and the live caption; True when the card needs placing again."""
        if caption != self.caption.text():
            self.caption.setText(caption)
        if entries != self.rows.entries:
            self.rows.set_entries(entries)
            return True
        return False

    def place(self, view: FloorView) -> None:
        """Bottom-left corner of the view's drawing area; the key folds away when the canvas is short."""
        area = view.viewport().geometry()
        rows_px = self.rows.sizeHint().height() + self.caption.sizeHint().height()
        fold = self.user_folded or area.height() < 3 * rows_px
        self.rows.setHidden(fold)
        self.caption.setHidden(fold)
        self.fold.setArrowType(Qt.ArrowType.RightArrow if fold else Qt.ArrowType.DownArrow)
        layout = self.layout()
        if layout is not None:
            layout.invalidate()  # new rows only post a layout request: lay out now, before measuring
            layout.activate()
        self.adjustSize()
        self.move(area.left() + LEGEND_MARGIN_PX, area.bottom() - self.height() - LEGEND_MARGIN_PX)


class CanvasColouring(QObject):
    """The colour mode of one canvas: recolours items from each analysis and drives the legend."""

    mode_changed = Signal(str)

    def __init__(self, document: Document, scene: FloorScene, view: FloorView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.scene, self.view = document, scene, view
        self.mode = remembered_mode()
        self.enabled = True
        self.results: Results | None = None
        self.shown: Colouring | None = None
        """What the scene's items wear now (None: their catalog look, or unknown after a rebuild)."""
        self._facts: RackFacts | None = None
        self._scene_indices: tuple[tuple[object, ...], npt.NDArray[np.int64]] | None = None
        self.legend = CanvasLegend(view)
        self.legend.set_mode(self.mode)
        self.legend.mode_chosen.connect(self._on_legend_mode_chosen)
        self.legend.hide()
        view.viewport().installEventFilter(self)  # the drawing area resizes alone when scroll bars come and go

    # ----------------------------------------------------------------- public
    def set_mode(self, mode: ColourMode | str) -> None:
        mode = ColourMode(mode)
        if mode is self.mode:
            return
        self.mode = mode
        remember_mode(mode)
        self.legend.set_mode(mode)
        self.mode_changed.emit(mode.value)
        if self.results is not None:
            self.show(self.results)

    def set_enabled(self, on: bool) -> None:
        """Off: every item goes back to its catalog colour and the legend hides."""
        self.enabled = on
        if on:
            if self.results is not None:
                self.show(self.results)
        else:
            apply_overlay(self.scene, dict.fromkeys(self.scene.items_by_id, None))
            self.shown = None
            self.legend.hide()

    def invalidate(self) -> None:
        """The design changed: items may have been rebuilt in their own colours, racks changed."""
        self.shown = None
        self._facts = None
        self._scene_indices = None

    def repaint_all(self) -> None:
        """After a hall switch: the scene's new items wear the current colours."""
        self.shown = None
        self._scene_indices = None
        if self.results is not None and self.enabled:
            self.show(self.results)

    def show(self, results: Results) -> int:
        """Colour the canvas from ``results``; returns how many items changed colour."""
        self.results = results
        if not self.enabled:
            return 0
        facts = self._facts
        if facts is None or facts.rack_ids is not results.rack_ids:
            facts = self._facts = rack_facts(self.document.project, self.document.entry_of, results.rack_ids)
        derating = self.document.project.settings.continuous_derating
        colouring = colouring_for(self.mode, results, facts, derating)
        previous = self.shown
        on_scene = self._on_scene(colouring)
        if previous is None or not previous.same_items(colouring):
            values = colouring.values(on_scene)
        else:  # the campus' other halls are not on the canvas: compare only what is
            values = colouring.values(on_scene[colouring.codes_at(on_scene) != previous.codes_at(on_scene)])
        changed = apply_overlay(self.scene, values) if values else 0
        self.shown = colouring
        relayout = self.legend.show_legend(colouring.legend, live_caption(results))
        if not self.legend.isVisible():
            self.legend.show()
            relayout = True
        if relayout:
            self.legend.place(self.view)
        return changed

    def _on_scene(self, colouring: Colouring) -> npt.NDArray[np.int64]:
        """Indices into ``colouring``'s codes of the items drawn by the scene (the current hall).

        Kept while the coded ids and the scene's items stay the same: a share move over a 50,000-rack
        campus then looks at the few hundred items on the canvas, not at every rack."""
        key = (colouring.rack_ids, colouring.component_ids, self.scene.hall_id, len(self.scene.items_by_id))
        cached = self._scene_indices
        if cached is not None and cached[0][0] is key[0] and cached[0][1] is key[1] and cached[0][2:] == key[2:]:
            return cached[1]
        ids = np.concatenate([colouring.rack_ids, colouring.component_ids])
        indices = np.flatnonzero(np.isin(ids, np.array(list(self.scene.items_by_id), dtype=ids.dtype)))
        self._scene_indices = (key, indices)
        return indices

    # ----------------------------------------------------------------- events
    def _on_legend_mode_chosen(self, mode: str) -> None:
        self.set_mode(mode)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize and self.legend.isVisible():
            self.legend.place(self.view)
        return False
