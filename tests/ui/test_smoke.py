"""The installer self-test mode (DC_DESIGNER_SMOKE_SHOT): grab after the first analysis, then exit."""

from PySide6.QtGui import QImage

from designer.ui.main_window import MainWindow
from designer.ui.smoke import EXIT_FAILED, EXIT_OK, SmokeRun, screen_shot_path


def test_screen_shot_sits_beside_the_window_shot(tmp_path):  # type: ignore[no-untyped-def]
    assert screen_shot_path(tmp_path / "shot.png") == tmp_path / "shot-screen.png"


def test_grabs_the_window_after_the_first_analysis_and_closes_it(qtbot, tmp_path, project, catalog, pod_templates):  # type: ignore[no-untyped-def]
    window = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(window)
    window.show()
    exits: list[int] = []
    run = SmokeRun(window, tmp_path / "shot.png", exit=exits.append, timeout_s=60)
    qtbot.waitUntil(lambda: bool(exits), timeout=30_000)
    assert exits == [EXIT_OK]
    assert run.status == EXIT_OK
    picture = QImage(str(tmp_path / "shot.png"))
    assert (picture.width(), picture.height()) == (window.width(), window.height())
    assert not QImage(str(tmp_path / "shot-screen.png")).isNull()
    assert not window.isVisible()


def test_an_analysis_failure_exits_with_status_3(qtbot, tmp_path, project, catalog, pod_templates):  # type: ignore[no-untyped-def]
    window = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(window)
    exits: list[int] = []
    run = SmokeRun(window, tmp_path / "shot.png", exit=exits.append)
    window.coordinator.analysis_failed.emit("Analysis failed: boom")
    assert exits == [EXIT_FAILED]
    assert run.status == EXIT_FAILED
    assert not (tmp_path / "shot.png").exists()


def test_no_analysis_before_the_watchdog_exits_with_status_3(qtbot, tmp_path, project, catalog, pod_templates):  # type: ignore[no-untyped-def]
    window = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(window)
    window.coordinator.timer.stop()  # the analysis never runs
    exits: list[int] = []
    SmokeRun(window, tmp_path / "shot.png", exit=exits.append, timeout_s=0.05)
    qtbot.waitUntil(lambda: bool(exits), timeout=5_000)
    assert exits == [EXIT_FAILED]
    assert not (tmp_path / "shot.png").exists()
