"""FloorEditor: turns gestures on the canvas into undo commands (drop, paste, rotate, align, connect...)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QPointF, Signal

from designer.model.autoconnect import ConnectionRefused, connection_between
from designer.model.autowire import WiringPlan, plan_auto_connect
from designer.model.geometry import rotate_about, rotated_extent_mm, snap_centre, snap_value
from designer.model.pods import place_pod
from designer.model.project import Project
from designer.model.records import Connection, Hall, PlacedItem, PodInstance
from designer.model.types import FeedSide, ItemKind
from designer.ui.canvas.interactions import describe_connection
from designer.ui.canvas.scene import FloorScene
from designer.ui.commands import (
    AddConnectionsCommand,
    AddItemsCommand,
    MoveItemsCommand,
    RemoveConnectionsCommand,
    RemoveItemsCommand,
    UngroupPodCommand,
    UpdateItemsCommand,
    describe_items,
)
from designer.ui.document import Document

FINE_STEP_MM = 100.0


@dataclass(frozen=True)
class ClipboardContent:
    """Copied records; whole pods keep their pod, connections among the copied items come along."""

    items: tuple[PlacedItem, ...]
    connections: tuple[Connection, ...]
    pods: tuple[PodInstance, ...]


_clipboard: ClipboardContent | None = None
"""Shared by every window of the process, like a real clipboard."""


def id_prefix(record_id: str) -> str:
    """``rack-12`` -> ``rack``: keeps new ids readable when copying."""
    return record_id.rstrip("0123456789").rstrip("-_") or "item"


@dataclass(frozen=True, slots=True)
class Block:
    """Items that align and distribute as one: a closed pod, or a single item. Edges in mm."""

    key: str
    members: tuple[PlacedItem, ...]
    left_mm: float
    top_mm: float
    right_mm: float
    bottom_mm: float


class FloorEditor(QObject):
    """Editing operations over a document and the scene showing it."""

    message = Signal(str)
    """Something the user should read in the status bar (a refused connection, a result)."""

    def __init__(self, document: Document, scene: FloorScene, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.scene = scene
        self.feed = FeedSide.A
        self._paste_count = 0
        self.view_centre: Callable[[], QPointF] = lambda: QPointF(0.0, 0.0)
        """Set by the window: where new rows land (the centre of the visible canvas)."""

    # ----------------------------------------------------------------- helpers
    @property
    def project(self) -> Project:
        return self.document.project

    def _hall(self) -> Hall | None:
        return self.project.halls.get(self.document.current_hall_id)

    def _grid(self) -> tuple[float, tuple[float, float]]:
        hall = self._hall()
        if hall is None:
            return 600.0, (0.0, 0.0)
        x0, y0, _, _ = hall.bounds_mm()
        return hall.tile_mm, (x0, y0)

    def _selected_items(self) -> list[PlacedItem]:
        items = self.project.items
        return [items[i] for i in self.document.selected_ids()]

    def _describe(self, items: Sequence[PlacedItem]) -> str:
        return describe_items(items, self.document.entry_of)

    def placement_year(self) -> int | None:
        """The in-service year of what the palette places: the year the canvas shows, when it is after the
        first year of the active scenario (placed in the first year, an item simply stands from the start)."""
        year = self.scene.year if self.scene is not None else None
        scenario = self.project.active_scenario
        if year is None or scenario is None or not scenario.years:
            return None
        return year if year > min(entry.year for entry in scenario.years) else None

    def new_item(self, catalog_id: str, x_mm: float, y_mm: float, rotation_deg: float = 0.0) -> PlacedItem:
        entry = self.document.entry_of(catalog_id)
        prefix = "rack" if entry.kind is ItemKind.RACK else entry.role.value.replace("_", "-")
        return PlacedItem(
            self.project.new_id(prefix), catalog_id, self.document.current_hall_id, x_mm, y_mm, rotation_deg,
            in_service_year=self.placement_year(),
        )

    def snapped_position(
        self, catalog_id: str, x_mm: float, y_mm: float, rotation_deg: float = 0.0
    ) -> tuple[float, float]:
        entry = self.document.entry_of(catalog_id)
        tile, origin = self._grid()
        extent = rotated_extent_mm(entry.width_mm, entry.depth_mm, rotation_deg)
        return snap_centre(x_mm, y_mm, extent, tile, origin)

    # ----------------------------------------------------------------- adding
    def drop_catalog_entry(self, catalog_id: str, scene_pos: QPointF) -> None:
        """A palette entry dropped on the canvas: one item, snapped to the grid."""
        if not self._hall() or (
            catalog_id not in self.document.catalog and catalog_id not in self.project.custom_catalog
        ):
            self.message.emit(f"Cannot place {catalog_id!r}: unknown catalog entry or no hall")
            return
        x, y = self.snapped_position(catalog_id, scene_pos.x(), scene_pos.y())
        item = self.new_item(catalog_id, x, y)
        self.document.push(AddItemsCommand(self.project, [item], text=f"Add {self.document.entry_of(catalog_id).name}"))
        self.document.set_selection([item.id])

    def drop_pod(self, template_id: str, scene_pos: QPointF) -> None:
        """A pod template dropped on the canvas: its items and internal connections as one group."""
        template = self.document.pod_templates.get(template_id)
        if template is None or not self._hall():
            self.message.emit(f"Cannot place pod {template_id!r}: unknown template or no hall")
            return
        tile, origin = self._grid()
        x = snap_value(scene_pos.x(), tile, origin[0])
        y = snap_value(scene_pos.y(), tile, origin[1])
        placed = place_pod(
            template,
            hall_id=self.document.current_hall_id,
            x_mm=x,
            y_mm=y,
            rotation_deg=0.0,
            new_id=self.project.new_id,
        )
        pod = replace(placed.pod, in_service_year=self.placement_year())  # its items follow the pod's year
        self.document.push(
            AddItemsCommand(
                self.project, placed.items, placed.connections, pods=(pod,), text=f"Add pod {template.name}"
            )
        )
        self.document.set_selection([item.id for item in placed.items])

    def place_row(self, catalog_id: str, count: int, x_mm: float | None = None, y_mm: float | None = None) -> list[str]:
        """``count`` items side by side along x, the first snapped at (x, y) or the canvas centre."""
        if count < 1 or not self._hall():
            return []
        if x_mm is None or y_mm is None:
            centre = self.view_centre()
            x_mm, y_mm = centre.x(), centre.y()
        entry = self.document.entry_of(catalog_id)
        x, y = self.snapped_position(catalog_id, x_mm, y_mm)
        items = [self.new_item(catalog_id, x + i * entry.width_mm, y) for i in range(count)]
        self.document.push(AddItemsCommand(self.project, items, text=f"Place row of {self._describe(items)}"))
        self.document.set_selection([item.id for item in items])
        return [item.id for item in items]

    # ----------------------------------------------------------------- clipboard
    def copy_selection(self) -> bool:
        global _clipboard
        items = self._selected_items()
        if not items:
            return False
        ids = {item.id for item in items}
        pods = tuple(
            pod
            for pod_id, pod in self.project.pods.items()
            if any(item.pod_id == pod_id for item in items)
            and all(member.id in ids for member in self.project.items_in_pod(pod_id))
        )
        whole = {pod.id for pod in pods}
        items = [item if item.pod_id in whole else replace(item, pod_id=None) for item in items]
        connections = tuple(c for c in self.project.connections.values() if c.source_id in ids and c.target_id in ids)
        _clipboard = ClipboardContent(tuple(items), connections, pods)
        self._paste_count = 0
        return True

    def cut_selection(self) -> None:
        if self.copy_selection():
            self.delete_selection(verb="Cut")

    def paste(self) -> list[str]:
        if _clipboard is None or not self._hall():
            return []
        self._paste_count += 1
        return self._paste_content(_clipboard, self._paste_count, "Paste")

    def duplicate(self) -> list[str]:
        global _clipboard
        saved = _clipboard
        if not self.copy_selection():
            return []
        content, _clipboard = _clipboard, saved
        assert content is not None
        return self._paste_content(content, 1, "Duplicate")

    def _paste_content(self, content: ClipboardContent, offset_steps: int, verb: str) -> list[str]:
        tile, _ = self._grid()
        shift = tile * offset_steps
        hall_id = self.document.current_hall_id
        new_id = self.project.new_id
        pod_map = {pod.id: replace(pod, id=new_id("pod"), hall_id=hall_id) for pod in content.pods}
        id_map: dict[str, str] = {}
        items = []
        for item in content.items:
            id_map[item.id] = new_id(id_prefix(item.id))
            pod = pod_map.get(item.pod_id) if item.pod_id else None
            group = item.group
            if pod is not None and group and item.pod_id and group.startswith(item.pod_id + "/"):
                group = pod.id + group[len(item.pod_id) :]
            items.append(
                replace(
                    item,
                    id=id_map[item.id],
                    hall_id=hall_id,
                    x_mm=item.x_mm + shift,
                    y_mm=item.y_mm + shift,
                    pod_id=pod.id if pod else None,
                    group=group,
                )
            )
        connections = [
            replace(c, id=new_id("conn"), source_id=id_map[c.source_id], target_id=id_map[c.target_id])
            for c in content.connections
        ]
        self.document.push(
            AddItemsCommand(
                self.project, items, connections, tuple(pod_map.values()), text=f"{verb} {self._describe(items)}"
            )
        )
        self.document.set_selection([item.id for item in items])
        return [item.id for item in items]

    # ----------------------------------------------------------------- removing
    def delete_selection(self, verb: str = "Delete") -> None:
        items = self._selected_items()
        item_ids = {item.id for item in items}
        connection_ids = [
            c
            for c in self.document.selected_connection_ids()
            if self.project.connections[c].source_id not in item_ids
            and self.project.connections[c].target_id not in item_ids
        ]
        stack = self.document.undo_stack
        if items and connection_ids:
            stack.beginMacro(f"{verb} {self._describe(items)} and {len(connection_ids)} connections")
        if items:
            self.document.push(
                RemoveItemsCommand(self.project, [i.id for i in items], text=f"{verb} {self._describe(items)}")
            )
        if connection_ids:
            noun = "connection" if len(connection_ids) == 1 else f"{len(connection_ids)} connections"
            self.document.push(RemoveConnectionsCommand(self.project, connection_ids, text=f"Disconnect {noun}"))
        if items and connection_ids:
            stack.endMacro()

    # ----------------------------------------------------------------- moving
    def nudge(self, dx: int, dy: int, fine: bool = False) -> None:
        """Arrow keys: move the selection by one tile (fine: 100 mm)."""
        items = self._selected_items()
        if not items:
            return
        step = FINE_STEP_MM if fine else self._grid()[0]
        positions = {item.id: (item.x_mm + dx * step, item.y_mm + dy * step) for item in items}
        self.document.push(
            MoveItemsCommand(self.project, positions, text=f"Move {self._describe(items)}", merge_nudges=True)
        )

    def rotate_selection(self, angle_deg: float = 90.0) -> None:
        """Turn the selection clockwise as one block about its centre (a single item about its own)."""
        items = self._selected_items()
        if not items:
            return
        turned = [replace(item, x_mm=x, y_mm=y, rotation_deg=r) for item, x, y, r in rotate_about(items, angle_deg)]
        self.document.push(UpdateItemsCommand(self.project, turned, text=f"Rotate {self._describe(items)}"))

    def _extent(self, item: PlacedItem) -> tuple[float, float]:
        entry = self.document.entry_of(item.catalog_id)
        return rotated_extent_mm(entry.width_mm, entry.depth_mm, item.rotation_deg)

    def _blocks(self) -> list[Block]:
        """The selection as rigid blocks: a closed pod moves as one, every other item on its own."""
        by_key: dict[str, list[PlacedItem]] = {}
        opened = self.scene.opened_pods if self.scene is not None else set()  # no scene: no pod is opened
        for item in self._selected_items():
            pod = item.pod_id
            key = f"pod:{pod}" if pod and pod not in opened else f"item:{item.id}"
            by_key.setdefault(key, []).append(item)
        blocks = []
        for key, members in by_key.items():
            lefts, tops, rights, bottoms = [], [], [], []
            for item in members:
                half_x, half_y = (v / 2 for v in self._extent(item))
                lefts.append(item.x_mm - half_x)
                rights.append(item.x_mm + half_x)
                tops.append(item.y_mm - half_y)
                bottoms.append(item.y_mm + half_y)
            blocks.append(Block(key, tuple(members), min(lefts), min(tops), max(rights), max(bottoms)))
        return blocks

    def _move_blocks(self, shifts: Mapping[str, tuple[float, float]], blocks: Sequence[Block], text: str) -> None:
        """Shift each block's members by its (dx, dy) mm, as one undoable move."""
        positions = {
            item.id: (round(item.x_mm + shifts[block.key][0], 3), round(item.y_mm + shifts[block.key][1], 3))
            for block in blocks for item in block.members
        }
        self.document.push(MoveItemsCommand(self.project, positions, text=text))

    def align_left(self) -> None:
        """Left edges of the selected items (closed pods as a whole) on the leftmost one."""
        blocks = self._blocks()
        if len(blocks) < 2:
            return
        left = min(block.left_mm for block in blocks)
        items = [item for block in blocks for item in block.members]
        self._move_blocks({b.key: (left - b.left_mm, 0.0) for b in blocks}, blocks,
                          f"Align {self._describe(items)} left")

    def align_top(self) -> None:
        """Top edges of the selected items (closed pods as a whole) on the topmost one."""
        blocks = self._blocks()
        if len(blocks) < 2:
            return
        top = min(block.top_mm for block in blocks)
        items = [item for block in blocks for item in block.members]
        self._move_blocks({b.key: (0.0, top - b.top_mm) for b in blocks}, blocks,
                          f"Align {self._describe(items)} top")

    def distribute_horizontally(self) -> None:
        """Equal gaps between the selected items (closed pods as a whole); the outermost stay put."""
        blocks = sorted(self._blocks(), key=lambda b: (b.left_mm + b.right_mm, b.key))
        if len(blocks) < 3:
            return
        left, right = blocks[0].left_mm, blocks[-1].right_mm
        gap = (right - left - sum(b.right_mm - b.left_mm for b in blocks)) / (len(blocks) - 1)
        shifts = {}
        cursor = left
        for block in blocks:
            shifts[block.key] = (cursor - block.left_mm, 0.0)
            cursor += block.right_mm - block.left_mm + gap
        items = [item for block in blocks for item in block.members]
        self._move_blocks(shifts, blocks, f"Distribute {self._describe(items)}")

    # ----------------------------------------------------------------- pods
    def selected_pod_ids(self) -> list[str]:
        return list(dict.fromkeys(item.pod_id for item in self._selected_items() if item.pod_id))

    def ungroup_selection(self) -> None:
        pods = self.selected_pod_ids()
        if not pods:
            return
        stack = self.document.undo_stack
        if len(pods) > 1:
            stack.beginMacro(f"Ungroup {len(pods)} pods")
        for pod_id in pods:
            self.document.push(UngroupPodCommand(self.project, pod_id))
        if len(pods) > 1:
            stack.endMacro()

    def open_selected_pods(self) -> None:
        """Let the items of the selected pods be picked one by one (they still belong to the pod)."""
        self.scene.opened_pods.update(self.selected_pod_ids())

    def close_pods(self) -> None:
        self.scene.opened_pods.clear()
        self.document.set_selection(self.scene.expand_to_pods(self.document.selected_ids()))

    # ----------------------------------------------------------------- connections
    def proposed_connection(self, first_id: str, second_id: str) -> Connection:
        """The link the connect tool would make between two items (no id used up); raises
        ConnectionRefused with the reason in words when it makes no sense."""
        return connection_between(
            self.project, self.document.entry_of, first_id, second_id, feed=self.feed,
            new_id=lambda prefix: f"{prefix}-proposed",
        )

    def connect_items(self, first_id: str, second_id: str) -> Connection | None:
        """The connect tool's link: a power or cooling connection, refused with a message when it makes no sense."""
        try:
            connection = connection_between(
                self.project, self.document.entry_of, first_id, second_id, feed=self.feed, new_id=self.project.new_id
            )
        except ConnectionRefused as refusal:
            self.message.emit(f"Not connected: {refusal}")
            return None
        self.document.push(AddConnectionsCommand(self.project, [connection],
                                                 text=f"Connect {describe_connection(connection)}"))
        return connection

    def plan_auto_connect(self) -> WiringPlan:
        """What auto-connect would add for the selection (everything when nothing is selected)."""
        selected = self.document.selected_ids()
        return plan_auto_connect(self.project, self.document.entry_of, self.project.new_id, selected or None)

    def apply_plan(self, plan: WiringPlan) -> int:
        """Make a plan's links as one undo step; returns how many."""
        if plan.connections:
            self.document.push(AddConnectionsCommand(self.project, plan.connections, text=plan.undo_text()))
        self.message.emit(plan.summary())
        return len(plan.connections)

    def auto_connect(self) -> int:
        """Wire the selection (all when nothing is selected) at once, no preview; returns the links made."""
        return self.apply_plan(self.plan_auto_connect())
