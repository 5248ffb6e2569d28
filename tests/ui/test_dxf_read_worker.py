"""Issue 14 item 3: the DXF import reads on a worker thread behind a progress dialog with Cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import ezdxf
import pytest
from PySide6.QtWidgets import QProgressDialog

from designer.io import import_dxf
from designer.io.import_dxf import DxfImportCancelled
from designer.ui import import_actions
from designer.ui.import_actions import read_drawing_with_progress


@pytest.fixture
def lines_dxf(tmp_path: Path) -> Path:
    document = ezdxf.new()
    for i in range(500):
        document.modelspace().add_line((0, i * 10), (1000, i * 10))
    path = tmp_path / "lines.dxf"
    document.saveas(path)
    return path


def test_the_drawing_is_read_off_the_gui_thread(qapp, lines_dxf: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    threads: list[threading.Thread] = []
    real = import_dxf.read_dxf

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(import_actions, "read_dxf", spy)
    drawing = read_drawing_with_progress(None, lines_dxf)
    assert len(drawing.segments_mm) == 500
    assert threads and threads[0] is not threading.main_thread()


def test_cancel_in_the_progress_dialog_stops_the_read(qapp, lines_dxf: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(import_dxf, "PROGRESS_EVERY", 50)

    class CancellingDialog(QProgressDialog):
        """Presses Cancel as soon as the first progress reaches the dialog."""

        def setLabelText(self, text: str) -> None:
            super().setLabelText(text)
            self.canceled.emit()  # what the Cancel button (or Esc) sends

    real_report = import_actions.DxfReadJob._report

    def report_then_wait(job: import_actions.DxfReadJob, visited: int) -> bool:
        real_report(job, visited)
        job._cancelled.wait(5)  # a small file is read before the GUI thread sees a signal: give it time
        return not job._cancelled.is_set()

    monkeypatch.setattr(import_actions, "QProgressDialog", CancellingDialog)
    monkeypatch.setattr(import_actions.DxfReadJob, "_report", report_then_wait)
    with pytest.raises(DxfImportCancelled):
        read_drawing_with_progress(None, lines_dxf)
