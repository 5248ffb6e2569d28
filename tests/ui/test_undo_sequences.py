"""Random edit sequences on the AI-hall example: undo all returns the start exactly, redo all the end.

Each operation goes through the editor (FloorEditor) or a command, as a user's gesture would; undo
and redo are interleaved, and every stack index is checked against the state recorded there.
Short by default; ``--long`` runs many more and longer sequences.
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF

from designer.io.catalog_io import load_catalog
from designer.io.pods_io import load_pod_templates
from designer.io.project_file import project_from_text, project_to_text
from designer.io.resources import examples_dir
from designer.model.catalog import Catalog
from designer.model.pods import PodTemplate
from designer.model.records import Connection
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, WorkloadClass
from designer.ui.canvas import editing
from designer.ui.canvas.editing import FloorEditor
from designer.ui.commands import AddConnectionsCommand, RemoveConnectionsCommand, UpdateItemsCommand
from designer.ui.document import Document

OPERATIONS = (
    "drop",
    "place_row",
    "drop_pod",
    "select",
    "select_pod",
    "nudge",
    "nudge_fine",
    "rotate",
    "relabel",
    "align",
    "distribute",
    "copy_paste",
    "duplicate",
    "cut_paste",
    "delete",
    "delete_with_connections",
    "connect",
    "connect_tool",
    "disconnect",
    "auto_connect",
    "ungroup",
    "switch_hall",
    "undo",
    "redo",
)


@lru_cache(maxsize=1)
def _bundled() -> tuple[Catalog, dict[str, PodTemplate], str]:
    catalog = load_catalog()
    templates = load_pod_templates(catalog)
    text = (examples_dir() / "ai_hall.dcplan").read_text(encoding="utf-8")
    return catalog, dict(templates), text


class EditSession:
    """A document on the AI-hall example with an editor, driven by seeded random gestures."""

    def __init__(self) -> None:
        editing._clipboard = None  # the process-wide clipboard may hold another test's catalog ids
        catalog, templates, text = _bundled()
        self.document = Document(project_from_text(text, catalog), catalog, templates)
        self.editor = FloorEditor(self.document, scene=None)  # type: ignore[arg-type]  # no pod opening here
        self.stack = self.document.undo_stack
        self.catalog_ids = sorted(entry.id for entry in catalog.values() if entry.width_mm > 0)
        self.states: dict[int, tuple[object, ...]] = {0: self.project.state()}
        self.performed: list[str] = []
        push = self.document.push

        def push_and_record(command: object) -> None:
            push(command)  # type: ignore[arg-type]
            self.record()

        self.document.push = push_and_record  # type: ignore[method-assign]

    @property
    def project(self):  # type: ignore[no-untyped-def]
        return self.document.project

    def close(self) -> None:
        self.stack.clear()
        self.editor.deleteLater()
        self.document.deleteLater()

    # ----------------------------------------------------------------- random picks
    def _hall_items(self) -> list[str]:
        hall = self.document.current_hall_id
        return sorted(i for i, item in self.project.items.items() if item.hall_id == hall)

    def _some_items(self, rng: random.Random, most: int = 6) -> list[str]:
        items = self._hall_items()
        return rng.sample(items, min(len(items), rng.randint(1, most))) if items else []

    def _point(self, rng: random.Random) -> QPointF:
        hall = self.project.halls[self.document.current_hall_id]
        x0, y0, x1, y1 = hall.bounds_mm()
        return QPointF(rng.uniform(x0, x1), rng.uniform(y0, y1))

    # ----------------------------------------------------------------- one gesture
    def perform(self, operation: str, seed: int) -> None:
        rng = random.Random(seed)
        document, editor, project = self.document, self.editor, self.project
        if operation == "drop":
            editor.drop_catalog_entry(rng.choice(self.catalog_ids), self._point(rng))
        elif operation == "place_row":
            point = self._point(rng)
            editor.place_row(rng.choice(self.catalog_ids), rng.randint(1, 8), point.x(), point.y())
        elif operation == "drop_pod":
            editor.drop_pod(rng.choice(sorted(document.pod_templates)), self._point(rng))
        elif operation == "select":
            document.set_selection(self._some_items(rng))
        elif operation == "select_pod":
            pods = sorted(p for p, pod in project.pods.items() if pod.hall_id == document.current_hall_id)
            if pods:
                pod_id = rng.choice(pods)
                document.set_selection([item.id for item in project.items_in_pod(pod_id)])
        elif operation in ("nudge", "nudge_fine"):
            dx, dy = rng.choice(((1, 0), (-1, 0), (0, 1), (0, -1)))
            for _ in range(rng.randint(1, 4)):  # repeated arrow presses merge into one step
                editor.nudge(dx, dy, fine=operation == "nudge_fine")
        elif operation == "rotate":
            editor.rotate_selection(rng.choice((90.0, 90.0, -90.0, 180.0)))
        elif operation == "relabel":
            items = [project.items[i] for i in self._some_items(rng, 3)]
            if items:
                label = rng.choice(("", "R-01", "Reihe ä", "行 7", "x" * 40))
                changed = [
                    replace(
                        item,
                        label=label,
                        design_kw=rng.choice((None, 50.0, 132.5)),
                        workload=rng.choice((None, WorkloadClass.INFERENCE, WorkloadClass.TRAINING)),
                    )
                    for item in items
                ]
                document.push(UpdateItemsCommand(project, changed, "Edit properties"))
        elif operation == "align":
            (editor.align_left if rng.random() < 0.5 else editor.align_top)()
        elif operation == "distribute":
            editor.distribute_horizontally()
        elif operation == "copy_paste":
            if editor.copy_selection():
                for _ in range(rng.randint(1, 2)):
                    editor.paste()
        elif operation == "duplicate":
            editor.duplicate()
        elif operation == "cut_paste":
            editor.cut_selection()
            if rng.random() < 0.7:
                editor.paste()
        elif operation == "delete":
            editor.delete_selection()
        elif operation == "delete_with_connections":
            items = self._some_items(rng, 3)
            connections = sorted(project.connections)
            extra = rng.sample(connections, min(len(connections), rng.randint(1, 4))) if connections else []
            document.set_selection(items + extra)
            editor.delete_selection()  # a macro: the items (with their links) and the other links
        elif operation == "connect":
            items = self._hall_items()
            if len(items) >= 2:
                source, target = rng.sample(items, 2)
                kind = rng.choice((ConnectionKind.POWER, ConnectionKind.COOLING))
                connection = Connection(
                    project.new_id("conn"),
                    kind,
                    source,
                    target,
                    feed=rng.choice(list(FeedSide)) if kind is ConnectionKind.POWER else FeedSide.SINGLE,
                    medium=rng.choice(list(CoolingMedium)) if kind is ConnectionKind.COOLING else CoolingMedium.AIR,
                )
                document.push(AddConnectionsCommand(project, [connection]))
        elif operation == "connect_tool":
            items = self._hall_items()
            if len(items) >= 2:
                editor.feed = rng.choice(list(FeedSide))
                editor.connect_items(*rng.sample(items, 2))  # refused pairs only leave a message
        elif operation == "disconnect":
            connections = sorted(project.connections)
            if connections:
                ids = rng.sample(connections, min(len(connections), rng.randint(1, 5)))
                document.push(RemoveConnectionsCommand(project, ids))
        elif operation == "auto_connect":
            racks = [i for i in self._some_items(rng, 4)]
            document.set_selection(racks)
            editor.auto_connect()
        elif operation == "ungroup":
            if not editor.selected_pod_ids():
                pods = sorted(p for p, pod in project.pods.items() if pod.hall_id == document.current_hall_id)
                if pods:
                    document.set_selection([item.id for item in project.items_in_pod(rng.choice(pods))])
            editor.ungroup_selection()
        elif operation == "switch_hall":
            document.set_current_hall(rng.choice(sorted(project.halls)))
        elif operation in ("undo", "redo"):
            step = self.stack.undo if operation == "undo" else self.stack.redo
            for _ in range(rng.randint(1, 5)):
                step()
                self.check_index()
        else:  # pragma: no cover
            raise AssertionError(operation)
        self.performed.append(operation)
        self.record()  # a macro (delete with connections) is complete only now

    def record(self) -> None:
        """After a push: remember the state at the new index and forget the dropped redo tail."""
        index = self.stack.index()
        if index != self.stack.count():  # inside a macro, or after undo: nothing new to record
            return
        for stale in [i for i in self.states if i > index]:
            del self.states[stale]
        self.states[index] = self.project.state()

    def check_index(self) -> None:
        index = self.stack.index()
        assert self.project.state() == self.states[index], f"state at stack index {index} differs"

    # ----------------------------------------------------------------- the property
    def check_walk(self) -> None:
        """Undo to the start and redo to the end, comparing every step with the recorded state."""
        start, end = 0, self.stack.count()
        assert self.stack.index() == end or self.stack.canRedo()
        while self.stack.canRedo():  # finish at the end of history first
            self.stack.redo()
            self.check_index()
        end_state = self.project.state()
        assert end_state == self.states[end]
        while self.stack.canUndo():
            self.stack.undo()
            assert self.project.state() == self.states[self.stack.index()], f"after undo to {self.stack.index()}"
        assert self.stack.index() == start
        assert self.project.state() == self.states[0]
        assert self.stack.isClean() and not self.document.is_dirty()
        while self.stack.canRedo():
            self.stack.redo()
            assert self.project.state() == self.states[self.stack.index()], f"after redo to {self.stack.index()}"
        assert self.project.state() == end_state
        self.check_integrity()

    def check_integrity(self) -> None:
        """The project's own invariants hold: references resolve and the file round trip is exact."""
        project = self.project
        for connection in project.connections.values():
            assert connection.source_id in project.items and connection.target_id in project.items
        for item in project.items.values():
            assert item.hall_id in project.halls
            assert item.pod_id is None or item.pod_id in project.pods
        catalog, _, _ = _bundled()
        assert project_from_text(project_to_text(project), catalog).state() == project.state()


an_operation = st.tuples(st.sampled_from(OPERATIONS), st.integers(min_value=0, max_value=2**32 - 1))


def _run(operations: list[tuple[str, int]]) -> tuple[list[str], int]:
    """Perform the operations, check the undo/redo walk; returns what was done and the history length."""
    session = EditSession()
    try:
        for name, seed in operations:
            session.perform(name, seed)
        session.check_walk()
        return session.performed, session.stack.count()
    finally:
        session.close()


def test_random_edit_sequences_undo_and_redo_exactly(qapp, request):  # type: ignore[no-untyped-def]
    long_run = request.config.getoption("--long")
    length = 400 if long_run else 100

    @settings(
        max_examples=200 if long_run else 20,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate] if not long_run else list(Phase),  # shrinking 100 ops is slow
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(operations=st.lists(an_operation, min_size=length, max_size=length))
    def run(operations: list[tuple[str, int]]) -> None:
        _run(operations)

    run()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_long_seeded_sequence_covers_every_operation(qapp, request, seed):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    count = 3000 if request.config.getoption("--long") else 500
    operations = [(rng.choice(OPERATIONS), rng.getrandbits(32)) for _ in range(count)]
    performed, history = _run(operations)
    assert set(performed) == set(OPERATIONS)
    assert history > 10


def test_the_walk_detects_a_command_that_does_not_undo(qapp, monkeypatch):  # type: ignore[no-untyped-def]
    """The checker itself: a command whose undo forgets a field must fail the walk."""
    from designer.ui import commands

    def forgetful_undo(self) -> None:  # type: ignore[no-untyped-def]
        self._project.update_items([replace(item, label="") for item in self._old])

    monkeypatch.setattr(commands.UpdateItemsCommand, "undo", forgetful_undo)
    session = EditSession()
    try:
        item = next(i for i in session.project.items.values() if i.label)
        session.document.push(UpdateItemsCommand(session.project, [replace(item, label="changed")], "Relabel"))
        session.record()
        with pytest.raises(AssertionError):
            session.check_walk()
    finally:
        session.close()
