"""Fixtures for the Qt tests: offscreen platform, throw-away settings and a small hand-made catalog."""
# ruff: noqa: E402  (the platform and folders must be set before Qt and the app are imported)

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import atexit
import shutil
import tempfile
from pathlib import Path

_SANDBOX = Path(tempfile.mkdtemp(prefix="dc-designer-ui-tests-"))
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)
os.environ["DC_DESIGNER_USER_DIR"] = str(_SANDBOX / "user")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from designer.model.catalog import Catalog, CatalogEntry
from designer.model.pods import PodTemplate, PodTemplateConnection, PodTemplateItem
from designer.model.project import Project
from designer.model.records import Door, Hall, Obstacle
from designer.model.types import (
    Confidence,
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    ItemKind,
    ObstacleKind,
    Role,
    WorkloadClass,
)

QCoreApplication.setOrganizationName("dc-designer")
QCoreApplication.setApplicationName("dc-designer-tests")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(_SANDBOX / "settings"))


@pytest.fixture(autouse=True)
def _fresh_settings():  # type: ignore[no-untyped-def]
    """Each test starts with no remembered window state or recent files."""
    from designer.ui.document_controller import APPLICATION, ORGANISATION

    QSettings(ORGANISATION, APPLICATION).clear()
    yield
    QSettings(ORGANISATION, APPLICATION).clear()


def _entry(
    entry_id: str, kind: ItemKind, role: Role, width: float, depth: float, kw: float, **extra: object
) -> CatalogEntry:
    return CatalogEntry(
        id=entry_id,
        kind=kind,
        role=role,
        name=entry_id,
        width_mm=width,
        depth_mm=depth,
        source="test",
        confidence=Confidence.ESTIMATE,
        capacity_kw=kw,
        **extra,
    )  # type: ignore[arg-type]


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        [
            _entry(
                "rack.air", ItemKind.RACK, Role.RACK, 600, 1200, 40, weight_kg=1000, workload=WorkloadClass.TRAINING
            ),
            _entry(
                "rack.liquid",
                ItemKind.RACK,
                Role.RACK,
                600,
                1200,
                100,
                weight_kg=1500,
                workload=WorkloadClass.INFERENCE,
                liquid_fraction=0.8,
            ),
            _entry("busway", ItemKind.POWER, Role.BUSWAY, 4800, 200, 800),
            _entry("rpp", ItemKind.POWER, Role.RPP, 600, 900, 300),
            _entry("ups", ItemKind.POWER, Role.UPS, 1800, 1000, 1000),
            _entry("cdu", ItemKind.COOLING, Role.CDU, 1200, 1200, 1000, medium=CoolingMedium.LIQUID),
            _entry("inrow", ItemKind.COOLING, Role.IN_ROW, 600, 1200, 70, medium=CoolingMedium.AIR),
        ]
    )


@pytest.fixture
def pod_templates() -> dict[str, PodTemplate]:
    template = PodTemplate(
        id="pod.test",
        name="Test pod",
        description="two racks on two busways",
        items=(
            PodTemplateItem("rack1", "rack.air", -300, 0, label="P1"),
            PodTemplateItem("rack2", "rack.air", 300, 0, label="P2"),
            PodTemplateItem("busA", "busway", 0, 1200),
            PodTemplateItem("busB", "busway", 0, 1500),
        ),
        connections=(
            PodTemplateConnection(ConnectionKind.POWER, "busA", "rack1", FeedSide.A),
            PodTemplateConnection(ConnectionKind.POWER, "busB", "rack1", FeedSide.B),
            PodTemplateConnection(ConnectionKind.POWER, "busA", "rack2", FeedSide.A),
        ),
    )
    return {template.id: template}


def make_project() -> Project:
    project = Project()
    project.add_hall(
        Hall(
            id="hall-1",
            name="Hall 1",
            outline_mm=((0, 0), (30000, 0), (30000, 20000), (0, 20000)),
            obstacles=(
                Obstacle(
                    "col-1", ObstacleKind.COLUMN, ((12000, 12000), (12600, 12000), (12600, 12600), (12000, 12600))
                ),
            ),
            doors=(Door("door-1", 15000, 20000, 1200),),
        )
    )
    project.add_hall(Hall(id="hall-2", name="Hall 2", outline_mm=((0, 0), (10000, 0), (10000, 8000), (0, 8000))))
    return project


@pytest.fixture
def project() -> Project:
    return make_project()


@pytest.fixture(name="make_project")
def make_project_fixture():  # type: ignore[no-untyped-def]
    """The factory behind ``project``, for tests that need a second project."""
    return make_project


@pytest.fixture
def canvas(qtbot, project, catalog, pod_templates):  # type: ignore[no-untyped-def]
    from designer.ui.canvas.widget import FloorCanvas
    from designer.ui.document import Document

    document = Document(project, catalog, pod_templates)
    widget = FloorCanvas(document)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.view.zoom_to_fit()
    return widget
