"""FloorScene: draws the current hall of a document and follows the project's change events."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QToolTip,
)

from designer.model.autoconnect import connection_between
from designer.model.events import ChangeAction, ChangeEvent, Collection
from designer.model.geometry import aisle_problems, placement_problems
from designer.model.phasing import in_window, item_window
from designer.model.records import Connection, PlacedItem, Underlay
from designer.model.types import ConnectionKind, FeedSide
from designer.ui.canvas import style
from designer.ui.canvas.floor_picture import FloorPicture
from designer.ui.canvas.interactions import (
    INTERACTIONS,
    ConnectInteraction,
    ConnectionCheck,
    SelectInteraction,
    UserInteraction,
)
from designer.ui.canvas.items import (
    ConnectionItem,
    DoorItem,
    FootprintItem,
    HallItem,
    ObstacleItem,
    UnderlayItem,
    graphic_class,
    item_tooltip,
    make_item_graphic,
)
from designer.ui.document import Document
from designer.ui.plain_text import plain_html

LAZY_LABEL_ITEMS = 2_000
"""Halls with more items than this get their labels only once the view zooms in far enough."""
MAX_TRACED_SELECTION = 400
"""Above this many selected items only the connections of selected lines are drawn (tracing stays instant)."""


class EditMode:
    """Names of the canvas tools (the interaction objects are in ``interactions``)."""

    SELECT = SelectInteraction.name
    CONNECT = ConnectInteraction.name


class FloorScene(QGraphicsScene):
    """Shows one hall; keeps id -> graphics item maps and never edits the model except by commands."""

    connect_requested = Signal(str, str)
    """The user linked one item to another with the connect tool (first id, second id)."""
    message = Signal(str)
    """A hint or refusal for the status bar (the connect tool says why a link cannot be made)."""
    problems_changed = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.document = document
        self.items_by_id: dict[str, FootprintItem] = {}
        self.connections_by_id: dict[str, ConnectionItem] = {}
        self._connections_of_item: dict[str, set[str]] = {}
        self._hall_item: HallItem | None = None
        self.underlay_item: UnderlayItem | None = None
        self._hall_decor: list[ObstacleItem | DoorItem] = []
        self.opened_pods: set[str] = set()
        self.labels_visible = True
        self._lod_labels = True
        self._lazy_labels = False
        """A big hall (over ``LAZY_LABEL_ITEMS``): labels are made only for the items in the view's area."""
        self._label_area: QRectF | None = None
        """The part of the floor the view shows (``set_label_area``)."""
        self.layer_visible = {ConnectionKind.POWER: True, ConnectionKind.COOLING: True}
        self.show_all_connections = False
        """Off: only the chains through the selection are drawn (what it feeds and what feeds it)."""
        self._traced_connections: set[str] = set()
        self.problems: dict[str, str] = {}
        self.year: int | None = None
        """The year shown (phased build-out): items not in service then are ghosts; None shows all."""
        self.tooltip_extra: Callable[[str], str] | None = None
        """More tooltip lines for an item id (the live figures of the last analysis), if set."""
        self._syncing_selection = False
        self._highlighted: set[FootprintItem | ConnectionItem] = set()
        self.rubber_banding = False
        self.pinned_connections: set[str] = set()
        self.connection_check: ConnectionCheck = self._default_connection_check
        """What a link between two ids would be (the editor sets its own: it knows the feed side)."""
        self.interaction: UserInteraction = SelectInteraction(self)
        self.picture = FloorPicture(self)
        """Zoomed out, the placed items are drawn as cached tile pictures (the view switches it)."""
        self.picture.set_enabled(True, [])  # the view opens zoomed out (OPENING_SCALE): items are made not painting
        self._problem_timer = QTimer(self)
        self._problem_timer.setSingleShot(True)
        self._problem_timer.setInterval(60)
        self._problem_timer.timeout.connect(self.refresh_problems)
        self.selectionChanged.connect(self._on_scene_selection_changed)
        document.selection_changed.connect(self._on_document_selection_changed)
        document.current_hall_changed.connect(self._on_document_current_hall_changed)
        document.project_replaced.connect(self.rebuild)
        self._subscribed_project = document.project
        document.project.events.subscribe(self._on_project_event)
        self.rebuild()

    # ----------------------------------------------------------------- building
    @property
    def hall_id(self) -> str:
        return self.document.current_hall_id

    def detach(self) -> None:
        """Stop listening to the project: the window closes, and the project may outlive it."""
        with contextlib.suppress(ValueError):  # detached already
            self._subscribed_project.events.unsubscribe(self._on_project_event)

    def rebuild(self) -> None:
        """Drop every graphics item and draw the document's current hall afresh."""
        if self._subscribed_project is not self.document.project:
            self._subscribed_project.events.unsubscribe(self._on_project_event)
            self._subscribed_project = self.document.project
            self._subscribed_project.events.subscribe(self._on_project_event)
        self.interaction.rebuild_started()
        self._syncing_selection = True
        try:
            for graphic in self.items_by_id.values():
                if graphic.label is not None:
                    self.removeItem(graphic.label)
            for item in list(self.items_by_id.values()) + list(self.connections_by_id.values()) + self._hall_decor:
                self.removeItem(item)
            if self._hall_item is not None:
                self.removeItem(self._hall_item)
            if self.underlay_item is not None:
                self.removeItem(self.underlay_item)
        finally:
            self._syncing_selection = False
        self._highlighted.clear()
        hall = self.document.project.halls.get(self.hall_id)
        self.picture.reset(hall.bounds_mm() if hall is not None else (0.0, 0.0, 0.0, 0.0))
        self.items_by_id.clear()
        self.connections_by_id.clear()
        self._connections_of_item.clear()
        self._hall_decor = []
        self._hall_item = None
        self.underlay_item = None
        self.opened_pods &= set(self.document.project.pods)
        hall = self.document.project.halls.get(self.hall_id)
        if hall is not None:
            self._build_hall_background()
            items = [i for i in self.document.project.items.values() if i.hall_id == hall.id]
            self._lazy_labels = len(items) > LAZY_LABEL_ITEMS
            if self._lazy_labels:
                # a big hall opens zoomed out, where labels are hidden anyway: the view creates
                # them when it zooms in (set_lod_labels), and only for the items it shows
                # (set_label_area): 50,000 label items took 140 MB
                self._lod_labels = False
            self._add_items(items)
            self._add_connections(self.document.project.connections)
        self._on_document_selection_changed()
        self._schedule_problems()
        self.interaction.rebuild_finished()

    def _build_hall_background(self) -> None:
        hall = self.document.project.halls[self.hall_id]
        if self._hall_item is None:
            self._hall_item = HallItem(hall)
            self.addItem(self._hall_item)
        else:
            self._hall_item.set_hall(hall)
        for decor in self._hall_decor:
            self.removeItem(decor)
        self._hall_decor = [ObstacleItem(o) for o in hall.obstacles if len(o.polygon_mm) >= 3]
        self._hall_decor += [DoorItem(d) for d in hall.doors]
        for decor in self._hall_decor:
            self.addItem(decor)
        x0, y0, x1, y1 = hall.bounds_mm()
        margin = max(x1 - x0, y1 - y0) * 0.5 + 5000
        rect = QRectF(x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin)
        self._build_underlay(hall.underlay)
        if self.underlay_item is not None and self.underlay_item.isVisible():
            rect = rect.united(self.underlay_item.sceneBoundingRect())  # a drawing larger than the hall
        self.setSceneRect(rect)

    def _build_underlay(self, underlay: Underlay | None) -> None:
        """One item for the hall's CAD drawing, made, updated in place or dropped."""
        if underlay is None:
            if self.underlay_item is not None:
                self.removeItem(self.underlay_item)
                self.underlay_item = None
        elif self.underlay_item is None:
            self.underlay_item = UnderlayItem(underlay)
            self.addItem(self.underlay_item)
        else:
            self.underlay_item.set_underlay(underlay)

    def hall_rect(self) -> QRectF:
        return self._hall_item.boundingRect() if self._hall_item is not None else QRectF()

    def _add_items(self, items: Iterable[PlacedItem]) -> None:
        show_labels = self.labels_shown()
        area = self._label_area if self._lazy_labels else None
        entry_of = self.document.entry_of
        year, pods = self.year, self.document.project.pods
        placed: list[tuple[FootprintItem, float, float]] = []
        labelled: list[FootprintItem] = []
        for item in items:
            graphic = make_item_graphic(item, entry_of(item.catalog_id))
            if year is not None:
                graphic.set_ghost(not in_window(item_window(item, pods), year))
            self.items_by_id[item.id] = graphic
            self.addItem(graphic)
            placed.append((graphic, item.x_mm, item.y_mm))
            if show_labels and (area is None or area.contains(QPointF(item.x_mm, item.y_mm))):
                labelled.append(graphic)
        self.picture.add_new(placed)
        for graphic in labelled:
            graphic.make_label()

    # ----------------------------------------------------------------- overlays
    def pick_out(self, colours: Mapping[str, str], lit: Callable[[Connection], bool]) -> None:
        """Fill the items of ``colours`` with their colour and dim the others (``style.DIMMED_OPACITY``),
        labels likewise; a connection stays lit when ``lit`` says so (a layout diff, a what-if)."""
        dimmed = style.DIMMED_OPACITY
        for item_id, graphic in self.items_by_id.items():
            colour = colours.get(item_id)
            if colour is not None:
                graphic.set_fill_colour(colour)
                graphic.setOpacity(type(graphic).fill_opacity)
            else:
                graphic.setOpacity(type(graphic).fill_opacity * dimmed)
            if graphic.label is not None:
                graphic.label.setOpacity(1.0 if colour is not None else dimmed)
        for connection in self.connections_by_id.values():
            connection.setOpacity(1.0 if lit(connection.connection) else dimmed)

    def unpick(self) -> None:
        """Every item, label and connection at its own opacity again (after ``pick_out``; the fill
        colours are the colour mode's to put back)."""
        for graphic in self.items_by_id.values():
            graphic.setOpacity(type(graphic).fill_opacity)
            if graphic.label is not None:
                graphic.label.setOpacity(1.0)
        for connection in self.connections_by_id.values():
            connection.setOpacity(1.0)

    # ----------------------------------------------------------------- phased build-out
    def set_year(self, year: int | None) -> None:
        """Show the design as built in ``year``: the items not in service then become ghosts."""
        if year != self.year:
            self.year = year
            self._apply_ghosts(list(self.items_by_id))
            self._schedule_problems()

    def _apply_ghosts(self, item_ids: Iterable[str]) -> None:
        project = self.document.project
        items, pods, year = project.items, project.pods, self.year
        touched: set[str] = set()
        for item_id in item_ids:
            graphic, item = self.items_by_id.get(item_id), items.get(item_id)
            if graphic is None or item is None:
                continue
            ghost = year is not None and not in_window(item_window(item, pods), year)
            if ghost != graphic.ghost:
                graphic.set_ghost(ghost)
                touched |= self._connections_of_item.get(item_id, set())
        for connection_id in touched:
            self._ghost_connection(self.connections_by_id[connection_id])

    def _ghost_connection(self, graphic: ConnectionItem) -> None:
        source = self.items_by_id.get(graphic.connection.source_id)
        target = self.items_by_id.get(graphic.connection.target_id)
        ghost = (source is not None and source.ghost) or (target is not None and target.ghost)
        graphic.setOpacity(style.GHOST_OPACITY if ghost else 1.0)

    def _add_connections(self, connection_ids: Iterable[str]) -> None:
        connections = self.document.project.connections
        for connection_id in connection_ids:
            connection = connections[connection_id]
            source = self.items_by_id.get(connection.source_id)
            target = self.items_by_id.get(connection.target_id)
            if source is None or target is None or connection_id in self.connections_by_id:
                continue
            graphic = ConnectionItem(connection)
            graphic.set_ends(source.pos(), target.pos())
            if source.ghost or target.ghost:
                graphic.setOpacity(style.GHOST_OPACITY)
            graphic.setVisible(self._connection_shown(connection_id, connection.kind))
            self.connections_by_id[connection_id] = graphic
            self._connections_of_item.setdefault(connection.source_id, set()).add(connection_id)
            self._connections_of_item.setdefault(connection.target_id, set()).add(connection_id)
            self.addItem(graphic)

    def _remove_connections(self, connection_ids: Iterable[str]) -> None:
        for connection_id in connection_ids:
            graphic = self.connections_by_id.pop(connection_id, None)
            if graphic is None:
                continue
            for end in (graphic.connection.source_id, graphic.connection.target_id):
                attached = self._connections_of_item.get(end)
                if attached is not None:
                    attached.discard(connection_id)
            self._highlighted.discard(graphic)
            self.removeItem(graphic)

    def update_connection_ends(self, item_ids: Iterable[str]) -> None:
        touched: set[str] = set()
        for item_id in item_ids:
            touched |= self._connections_of_item.get(item_id, set())
        for connection_id in touched:
            graphic = self.connections_by_id[connection_id]
            graphic.set_ends(
                self.items_by_id[graphic.connection.source_id].pos(),
                self.items_by_id[graphic.connection.target_id].pos(),
            )

    # ----------------------------------------------------------------- model events
    def _on_project_event(self, event: ChangeEvent) -> None:
        if event.collection is Collection.ITEMS:
            self._on_items_event(event)
        elif event.collection is Collection.CONNECTIONS:
            if event.action is ChangeAction.ADDED:
                self._add_connections(event.ids)
            elif event.action is ChangeAction.REMOVED:
                self._remove_connections(event.ids)
            else:
                self._remove_connections(event.ids)
                self._add_connections(event.ids)
        elif event.collection is Collection.HALLS and self.hall_id in event.ids:
            if self.hall_id in self.document.project.halls:
                self._build_hall_background()
                self._schedule_problems()
        elif event.collection is Collection.PODS and event.action is ChangeAction.REMOVED:
            self.opened_pods -= set(event.ids)
        elif event.collection is Collection.PODS and event.action is ChangeAction.CHANGED and self.year is not None:
            self._apply_ghosts(list(self.items_by_id))  # a pod's years may have changed
            self._schedule_problems()
        elif event.collection is Collection.CATALOG:
            self._on_items_event(ChangeEvent(ChangeAction.CHANGED, Collection.ITEMS, tuple(self.items_by_id)))

    def _on_items_event(self, event: ChangeEvent) -> None:
        project_items = self.document.project.items
        if event.action is ChangeAction.ADDED:
            new = [project_items[i] for i in event.ids if project_items[i].hall_id == self.hall_id]
            self._add_items(new)
        elif event.action is ChangeAction.REMOVED:
            self._syncing_selection = True
            try:
                for item_id in event.ids:
                    graphic = self.items_by_id.pop(item_id, None)
                    if graphic is not None:
                        self._remove_connections(list(self._connections_of_item.pop(item_id, ())))
                        if graphic.label is not None:
                            self.removeItem(graphic.label)
                        self.picture.remove(graphic)
                        self.removeItem(graphic)
                        self._highlighted.discard(graphic)
            finally:
                self._syncing_selection = False
        elif event.action is ChangeAction.MOVED:
            for item_id in event.ids:
                graphic = self.items_by_id.get(item_id)
                if graphic is not None:
                    item = project_items[item_id]
                    graphic.move_to(QPointF(item.x_mm, item.y_mm))
                    self.picture.relocate(graphic)
            self.update_connection_ends(event.ids)
        else:
            appeared: list[PlacedItem] = []
            reselect: list[str] = []
            for item_id in event.ids:
                item = project_items[item_id]
                graphic = self.items_by_id.get(item_id)
                entry = self.document.entry_of(item.catalog_id)
                if graphic is not None and (item.hall_id != self.hall_id or type(graphic) is not graphic_class(entry)):
                    was_selected = graphic.isSelected()
                    self._on_items_event(ChangeEvent(ChangeAction.REMOVED, Collection.ITEMS, (item_id,)))
                    graphic = None
                    if item.hall_id == self.hall_id:
                        appeared.append(item)
                        if was_selected:
                            reselect.append(item_id)
                elif graphic is None:
                    if item.hall_id == self.hall_id:
                        appeared.append(item)
                else:
                    graphic.update_from(item, entry)
                    self.picture.relocate(graphic)
            if appeared:
                self._add_items(appeared)
                self._add_connections({c.id for i in appeared for c in self.document.project.connections_of(i.id)})
            if reselect:
                self.select_ids(self.document.selected_ids() + self.document.selected_connection_ids() + reselect)
            self._apply_ghosts(event.ids)  # its years may have changed
            self.update_connection_ends(event.ids)
        self._schedule_problems()

    def _on_document_current_hall_changed(self, hall_id: str) -> None:
        if self._hall_item is None or self._hall_item.hall.id != hall_id:
            self.rebuild()

    # ----------------------------------------------------------------- problems
    def _schedule_problems(self) -> None:
        self._problem_timer.start()

    def hold_problems(self) -> bool:
        """Keep a due placement check back (the window's first paint goes first); True if one was due."""
        due = self._problem_timer.isActive()
        self._problem_timer.stop()
        return due

    def refresh_problems(self) -> None:
        """Flag items that overlap, stand outside the hall or on an obstacle (red outline)."""
        self._problem_timer.stop()
        hall = self.document.project.halls.get(self.hall_id)
        found: dict[str, str] = {}
        if hall is not None:
            items = self.document.project.items
            # the design as built in the year shown: a rack replacing a retired one in its place is no overlap
            here = [items[i] for i, graphic in self.items_by_id.items() if not graphic.ghost]
            found = placement_problems(hall, here, self.document.entry_of)
            min_aisle_mm = self.document.project.settings.min_aisle_mm
            for item_id, reason in aisle_problems(hall, here, self.document.entry_of, min_aisle_mm).items():
                found[item_id] = f"{found[item_id]}; {reason}" if item_id in found else reason
        for item_id in set(self.problems) | set(found):
            graphic = self.items_by_id.get(item_id)
            if graphic is not None:
                graphic.set_problem(found.get(item_id, ""))
        if found != self.problems:
            self.problems = found
            self.problems_changed.emit()

    # ----------------------------------------------------------------- layers
    def set_labels_visible(self, visible: bool) -> None:
        """The user's label toggle (View menu)."""
        self.labels_visible = visible
        self._apply_labels()

    def set_lod_labels(self, visible: bool) -> None:
        """Level of detail: the view hides labels when they would be too small to read."""
        if visible != self._lod_labels:
            self._lod_labels = visible
            self._apply_labels()

    def set_picture_mode(self, on: bool) -> None:
        """Level of detail: zoomed out, the floor is drawn as cached tile pictures, not item by item."""
        self.picture.set_enabled(on, list(self.items_by_id.values()))

    def labels_shown(self) -> bool:
        return self.labels_visible and self._lod_labels

    def set_label_area(self, rect: QRectF) -> None:
        """The part of the floor the view shows (it says so after each zoom and scroll): in a big hall,
        labels are made and shown only for the items there."""
        self._label_area = QRectF(rect)
        if self._lazy_labels and self.labels_shown():
            self._label_items_in(rect)

    def _label_items_in(self, rect: QRectF) -> None:
        for graphic in self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(graphic, FootprintItem):
                label = graphic.label
                if label is None:
                    graphic.make_label()
                elif not label.isVisible():
                    label.setVisible(True)

    def _apply_labels(self) -> None:
        """Labels are made the first time they are shown, then only hidden and shown again (in a big
        hall only those in the view's area are made and shown: the rest as the view gets there)."""
        show = self.labels_shown()
        lazy = self._lazy_labels
        for graphic in self.items_by_id.values():
            if graphic.label is not None:
                if not show or not lazy:
                    graphic.label.setVisible(show)
            elif show and not lazy:
                graphic.make_label()
        if show and lazy and self._label_area is not None:
            self._label_items_in(self._label_area)

    def set_layer_visible(self, kind: ConnectionKind, visible: bool) -> None:
        self.layer_visible[kind] = visible
        for connection_id, graphic in self.connections_by_id.items():
            if graphic.connection.kind is kind:
                graphic.setVisible(self._connection_shown(connection_id, kind))

    def set_show_all_connections(self, show_all: bool) -> None:
        """Draw every connection, or (the default) only the supply chains of the selection."""
        self.show_all_connections = show_all
        for connection_id, graphic in self.connections_by_id.items():
            graphic.setVisible(self._connection_shown(connection_id, graphic.connection.kind))

    def _connection_shown(self, connection_id: str, kind: ConnectionKind) -> bool:
        if not self.layer_visible[kind]:
            return False
        return (self.show_all_connections or connection_id in self._traced_connections
                or connection_id in self.pinned_connections)

    def traced_connections(self, item_ids: Iterable[str]) -> set[str]:
        """Connections on every path into and out of ``item_ids``: what they feed and what feeds them."""
        project = self.document.project
        traced: set[str] = set()
        for upstream in (True, False):
            frontier = list(item_ids)
            seen = set(frontier)
            while frontier:
                node = frontier.pop()
                for connection in project.connections_of(node):
                    if upstream and connection.target_id == node:
                        neighbour = connection.source_id
                    elif not upstream and connection.source_id == node:
                        neighbour = connection.target_id
                    else:
                        continue
                    traced.add(connection.id)
                    if neighbour not in seen:
                        seen.add(neighbour)
                        frontier.append(neighbour)
        return traced

    def _retrace_connections(self) -> None:
        """Show the supply chains of the current selection (only the graphics that change are touched)."""
        selected = self.selected_item_ids()
        wanted = self.traced_connections(selected) if len(selected) <= MAX_TRACED_SELECTION else set()
        wanted |= set(self.selected_connection_ids())
        changed = wanted ^ self._traced_connections
        self._traced_connections = wanted
        for connection_id in changed:
            graphic = self.connections_by_id.get(connection_id)
            if graphic is not None:
                graphic.setVisible(self._connection_shown(connection_id, graphic.connection.kind))

    # ----------------------------------------------------------------- selection
    def pod_members(self, item_id: str) -> list[str]:
        """The ids that select together with ``item_id`` (its closed pod, or just itself)."""
        graphic = self.items_by_id.get(item_id)
        pod_id = graphic.pod_id if graphic is not None else None
        if pod_id is None or pod_id in self.opened_pods:
            return [item_id]
        return [i.id for i in self.document.project.items_in_pod(pod_id) if i.id in self.items_by_id]

    def expand_to_pods(self, ids: Iterable[str]) -> list[str]:
        out: dict[str, None] = {}
        for item_id in ids:
            if item_id in self.items_by_id:
                out.update(dict.fromkeys(self.pod_members(item_id)))
            else:
                out[item_id] = None
        return list(out)

    def selected_item_ids(self) -> list[str]:
        return [i.item_id for i in self.selectedItems() if isinstance(i, FootprintItem)]

    def selected_connection_ids(self) -> list[str]:
        return [i.connection_id for i in self.selectedItems() if isinstance(i, ConnectionItem)]

    def select_ids(self, ids: Iterable[str]) -> None:
        """Make exactly ``ids`` (items and connections) the selection."""
        wanted = set(ids)
        self._syncing_selection = True
        try:
            for graphic in self.selectedItems():
                if (graphic.item_id if isinstance(graphic, FootprintItem) else graphic.data(0)) not in wanted:
                    graphic.setSelected(False)
            for item_id in wanted:
                target = self.items_by_id.get(item_id) or self.connections_by_id.get(item_id)
                if target is not None and not target.isSelected():
                    if not target.isVisible() and item_id in self.connections_by_id:
                        self._traced_connections.add(item_id)  # a hidden line cannot be selected
                        target.setVisible(True)
                    target.setSelected(True)
        finally:
            self._syncing_selection = False
        self._refresh_highlights()
        self._push_selection_to_document()

    def select_all(self) -> None:
        path = QPainterPath()
        path.addRect(self.sceneRect())
        self.setSelectionArea(
            path, Qt.ItemSelectionOperation.ReplaceSelection, Qt.ItemSelectionMode.IntersectsItemShape
        )

    def finish_rubber_band(self) -> None:
        """After a rubber-band drag, a pod touched by the band is selected whole."""
        self.rubber_banding = False
        selected = self.selected_item_ids()
        expanded = self.expand_to_pods(selected)
        if len(expanded) != len(selected):
            self.select_ids(expanded + self.selected_connection_ids())

    def _on_scene_selection_changed(self) -> None:
        if not self._syncing_selection:
            self._refresh_highlights()
            self._push_selection_to_document()
        self._retrace_connections()

    def _refresh_highlights(self) -> None:
        """Give selected items their selection look (pen and brush), and take it from the rest."""
        now = {g for g in self.selectedItems() if isinstance(g, FootprintItem | ConnectionItem)}
        for graphic in self._highlighted - now:
            graphic.set_highlighted(False)
        for graphic in now - self._highlighted:
            graphic.set_highlighted(True)
        self._highlighted = now

    def _push_selection_to_document(self) -> None:
        self._syncing_selection = True
        try:
            self.document.set_selection(self.selected_item_ids() + self.selected_connection_ids())
        finally:
            self._syncing_selection = False

    def _on_document_selection_changed(self) -> None:
        if self._syncing_selection:
            return
        wanted = self.document.selected_ids() + self.document.selected_connection_ids()
        if set(wanted) != set(self.selected_item_ids() + self.selected_connection_ids()):
            self.select_ids(wanted)

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        """Tooltips are written when asked for, not kept on 10,000 items."""
        picked = self.pickable_at(event.scenePos())
        text = ""
        if isinstance(picked, FootprintItem) and picked.item_id in self.document.project.items:
            item = self.document.project.items[picked.item_id]
            text = item_tooltip(item, self.document.entry_of(item.catalog_id), picked.problem)
            extra = self.tooltip_extra(item.id) if self.tooltip_extra is not None else ""
            text += f"\n{extra}" if extra else ""
        elif isinstance(picked, ConnectionItem):
            text = picked.tooltip()
        if text:  # labels come from the file: shown as text, never rendered as HTML
            QToolTip.showText(event.screenPos(), plain_html(text))
        else:
            QToolTip.hideText()
        event.accept()

    # ----------------------------------------------------------------- mouse
    def pickable_at(self, pos: QPointF) -> FootprintItem | ConnectionItem | None:
        """The item or (failing that) the visible connection line under ``pos``."""
        # an item wins over the connection lines drawn across it (they end at its centre)
        line: ConnectionItem | None = None
        for graphic in self.items(pos):
            if isinstance(graphic, FootprintItem):
                return graphic
            if line is None and isinstance(graphic, ConnectionItem) and graphic.isVisible():
                line = graphic
        return line

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.interaction.mouse_press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.interaction.mouse_move(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.interaction.mouse_release(event):
            super().mouseReleaseEvent(event)

    def cancel_drag(self) -> None:
        """Escape: the current tool drops the gesture in progress (dragged items go back)."""
        self.interaction.cancel()

    # ----------------------------------------------------------------- tools
    @property
    def mode(self) -> str:
        """The name of the current tool (``EditMode``)."""
        return self.interaction.name

    def set_interaction(self, interaction: UserInteraction) -> None:
        """Put the current tool away and make ``interaction`` the one that gets the mouse."""
        self.interaction.end()
        self.interaction = interaction
        modes = QGraphicsView.DragMode
        for view in self.views():  # the select tool's empty-floor drag draws a selection band, others none
            view.setDragMode(modes.RubberBandDrag if interaction.rubber_band_selects else modes.NoDrag)
        interaction.start()

    def set_mode(self, mode: str) -> None:
        """Switch to the tool named ``mode`` (``EditMode.SELECT``, ``EditMode.CONNECT``)."""
        self.set_interaction(INTERACTIONS[mode](self))

    def _default_connection_check(self, first_id: str, second_id: str) -> Connection:
        """Without an editor (tests, previews): the link a drag would make, on the A feed."""
        project = self.document.project
        return connection_between(project, self.document.entry_of, first_id, second_id, feed=FeedSide.A,
                                  new_id=lambda prefix: f"{prefix}-preview")

    def set_pinned_connections(self, connection_ids: Iterable[str]) -> None:
        """Connections drawn whatever the selection (the ones the connect tool just made)."""
        wanted = set(connection_ids)
        changed = wanted ^ self.pinned_connections
        self.pinned_connections = wanted
        for connection_id in changed:
            graphic = self.connections_by_id.get(connection_id)
            if graphic is not None:
                graphic.setVisible(self._connection_shown(connection_id, graphic.connection.kind))
