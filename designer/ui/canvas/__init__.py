"""The floor-plan canvas: scene, view, graphics items and the editing operations behind them."""

from designer.ui.canvas.editing import FloorEditor
from designer.ui.canvas.scene import EditMode, FloorScene
from designer.ui.canvas.view import CATALOG_MIME, POD_MIME, FloorView

__all__ = ["CATALOG_MIME", "POD_MIME", "EditMode", "FloorEditor", "FloorScene", "FloorView"]
