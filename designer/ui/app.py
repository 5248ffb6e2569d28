"""Starting the desktop application: QApplication, catalog and pod templates, the first window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from designer import __version__
from designer.io.catalog_io import load_catalog
from designer.io.errors import FileFormatError
from designer.io.pods_io import load_pod_templates
from designer.io.resources import examples_dir
from designer.ui.autosave import apply_recovery, install_autosave, offer_recovery
from designer.ui.crash import install_crash_handler
from designer.ui.document_controller import APPLICATION, ORGANISATION
from designer.ui.heap import limit_malloc_arenas
from designer.ui.logging_setup import configure_logging
from designer.ui.main_window import MainWindow
from designer.ui.plain_text import show_critical

DEFAULT_EXAMPLE = "ai_hall.dcplan"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (created once), named so QSettings finds our settings."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance()
    if app is None:
        limit_malloc_arenas()  # before Qt and the workers start their threads
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("DC Designer")
    return app


def default_example() -> Path | None:
    """The bundled AI-hall example, else the first example, else None."""
    folder = examples_dir()
    preferred = folder / DEFAULT_EXAMPLE
    if preferred.is_file():
        return preferred
    examples = sorted(folder.glob("*.dcplan"))
    return examples[0] if examples else None


def create_main_window(path: Path | None) -> MainWindow:
    """A window showing ``path``, or the default example (an empty hall when there is none).

    A file that fails to load is reported and the window starts with an empty design.
    """
    warnings: list[str] = []
    catalog = load_catalog(warnings=warnings)
    templates = load_pod_templates(catalog, warnings=warnings)
    window = MainWindow(catalog, templates)
    window.set_file_warnings(warnings)  # a bad file of the user's is skipped, never a reason not to start
    target = path if path is not None else default_example()
    if path is not None:
        window.files.open_file(path, ask=False)
    elif target is not None:
        window.files.open_example(target)
    return window


def run_gui(path: Path | None) -> int:
    """Run the editor until its window closes; returns the process exit code.

    Logs go to the user folder; an uncaught exception shows a dialog and the app keeps running;
    the open design is autosaved every minute and offered back after a crash.
    """
    configure_logging()
    app = make_application()
    install_crash_handler(app)
    try:
        window = create_main_window(path)
    except FileFormatError as error:
        show_critical(None, "DC Designer cannot start", error.one_line())
        return 1
    autosave = install_autosave(window.files)
    window.show()
    smoke_shot = os.environ.get("DC_DESIGNER_SMOKE_SHOT")  # installer self-test: designer/ui/smoke.py
    if smoke_shot:
        from designer.ui.smoke import SmokeRun

        SmokeRun(window, Path(smoke_shot))
    recovery = offer_recovery(window, window.document.catalog)
    if recovery is not None:
        apply_recovery(window.files, recovery, autosave)
    return app.exec()
