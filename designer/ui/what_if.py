"""What-if on the canvas: what one failure takes down, coloured on the plan under a banner that Esc closes.

Lost racks take the error colour, parts pushed over their rating the warning colour, the failed part
a dark fill, and everything else is dimmed. The overlay lives only on the graphics items (the model is
untouched); an edit, another design or Esc ends it and the normal colours come back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from designer.analysis.results import FailureRecord
from designer.ui.canvas.scene import FloorScene
from designer.ui.document import Document
from designer.ui.panels.icons import COLOR_BY_SEVERITY

LOST_COLOUR = COLOR_BY_SEVERITY["error"]
OVERLOADED_COLOUR = COLOR_BY_SEVERITY["warning"]
FAILED_COLOUR = "#2B2B2B"
BANNER_TINTS = {"error": "#FBE3E3", "warning": "#FFF0D6", "ok": "#E3F4EA"}


@dataclass(frozen=True, slots=True)
class WhatIfResult:
    """One failure as the canvas shows it."""

    failed_id: str
    failed_name: str
    racks_without_power: tuple[str, ...]
    racks_without_cooling: tuple[str, ...]
    overloaded: tuple[str, ...]

    @classmethod
    def from_record(cls, record: FailureRecord, failed_name: str) -> WhatIfResult:
        return cls(record.failed, failed_name, record.racks_without_power, record.racks_without_cooling,
                   record.overloaded)

    @property
    def lost(self) -> tuple[str, ...]:
        """Racks that lose power or cooling (each once)."""
        return tuple(dict.fromkeys((*self.racks_without_power, *self.racks_without_cooling)))

    @property
    def survived(self) -> bool:
        return not (self.racks_without_power or self.racks_without_cooling or self.overloaded)

    def colours(self) -> dict[str, str]:
        """Fill colour by item id: lost racks, overloaded parts and the failed part."""
        values = dict.fromkeys(self.overloaded, OVERLOADED_COLOUR)
        values.update(dict.fromkeys(self.lost, LOST_COLOUR))
        values[self.failed_id] = FAILED_COLOUR
        return values

    def sentence(self) -> str:
        """The result in one line, as the banner and the status bar say it."""
        text = (f"If {self.failed_name} fails: {len(self.racks_without_power)} racks lose power, "
                f"{len(self.racks_without_cooling)} lose cooling, {len(self.overloaded)} parts go over their rating")
        return text + (" - the design rides through" if self.survived else "")

    def severity(self) -> str:
        return "error" if self.lost else "warning" if self.overloaded else "ok"


class WhatIfBanner(QFrame):
    """The what-if result above the canvas, with a key to the colours and a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WhatIfBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.message = QLabel(self)
        self.message.setObjectName("WhatIfMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # ids and labels come from the file
        self.message.setWordWrap(True)
        font = self.message.font()
        font.setBold(True)
        self.message.setFont(font)
        self.key = QLabel(self)
        self.key.setTextFormat(Qt.TextFormat.RichText)  # fixed text only: no file content
        self.key.setText(
            f'<span style="color:{LOST_COLOUR}">■</span> loses power or cooling &nbsp; '
            f'<span style="color:{OVERLOADED_COLOUR}">■</span> over its rating &nbsp; '
            f'<span style="color:{FAILED_COLOUR}">■</span> the failed part &nbsp; everything else dimmed'
            " &nbsp;·&nbsp; Esc closes"
        )
        texts.addWidget(self.message)
        texts.addWidget(self.key)
        layout.addLayout(texts, 1)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close the what-if view (Esc)")
        self.close_button.setAutoRaise(True)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_result(self, result: WhatIfResult) -> None:
        self.message.setText(result.sentence())
        tint = BANNER_TINTS[result.severity()]
        self.setStyleSheet(f"#WhatIfBanner {{ background: {tint}; border: 1px solid #9a9a9a; }}"
                           "#WhatIfBanner QLabel { color: #1a1a1a; }")
        self.show()


class WhatIfOverlay(QObject):
    """Shows one ``WhatIfResult`` on the scene until ``close`` (Esc, the banner's button, or an edit).

    ``restore_colours`` puts the normal colours (or the dashboard's overlay) back on the scene.
    """

    def __init__(
        self,
        document: Document,
        scene: FloorScene,
        banner_parent: QWidget,
        restore_colours: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.scene = document, scene
        self._restore_colours = restore_colours
        self.result: WhatIfResult | None = None
        self.banner = WhatIfBanner(banner_parent)
        self.escape = dock_banner(self.banner, banner_parent, self.close)
        document.undo_stack.indexChanged.connect(self._on_document_edited)
        document.project_replaced.connect(self.close)
        document.current_hall_changed.connect(self._on_document_current_hall_changed)

    @property
    def active(self) -> bool:
        return self.result is not None

    def show(self, result: WhatIfResult) -> None:
        self.result = result
        self.apply()
        self.banner.show_result(result)
        self.escape.setEnabled(True)

    def apply(self) -> None:
        """Colour and dim the items of the hall on the canvas (again after a hall switch or a recolour)."""
        if self.result is None:
            return
        colours = self.result.colours()
        # a connection stays lit between two parts the failure reaches
        self.scene.pick_out(colours, lambda record: record.source_id in colours and record.target_id in colours)

    def close(self) -> None:
        """End the what-if: normal opacity and colours, banner hidden."""
        self.escape.setEnabled(False)
        self.banner.hide()
        if self.result is None:
            return
        self.result = None
        self.scene.unpick()
        self._restore_colours()

    def _on_document_edited(self, _index: int) -> None:
        self.close()  # the result described the design before this edit

    def _on_document_current_hall_changed(self, _hall_id: str) -> None:
        self.apply()


def dock_banner(banner: QWidget, banner_parent: QWidget, close: Callable[[], None]) -> QShortcut:
    """Put an overlay's banner at the top of ``banner_parent``: its close button and Esc call ``close``.

    Returns the Esc shortcut, disabled: the overlay enables it while it is shown.
    """
    layout = banner_parent.layout()
    if layout is not None and hasattr(layout, "insertWidget"):
        layout.insertWidget(0, banner)
    banner.close_button.clicked.connect(close)  # type: ignore[attr-defined]
    escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), banner_parent.window())
    escape.setContext(Qt.ShortcutContext.WindowShortcut)
    escape.setEnabled(False)
    escape.activated.connect(close)
    return escape
