"""File ▸ Project Properties and File ▸ Site: the dialogs, range checks at the field, one undo step each."""

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from designer.analysis.climate import load_climates
from designer.io.cities import load_cities
from designer.model.records import Metadata, Site, UserRegion
from designer.ui import project_dialogs
from designer.ui.main_window import MainWindow
from designer.ui.project_dialogs import ProjectPropertiesDialog, SiteDialog


@pytest.fixture
def window(qtbot, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    return win


def test_project_properties_are_one_undo_step(window, monkeypatch):  # type: ignore[no-untyped-def]
    def fill(dialog: ProjectPropertiesDialog) -> int:
        dialog.title_edit.setText("Hall 3 AI retrofit")
        dialog.author_edit.setText("A. Engineer")
        dialog.revision_edit.setText("C")
        dialog.notes_edit.setPlainText("Assumes 2N utility")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(project_dialogs, "run_dialog", fill)
    window.action_project_properties.trigger()
    project = window.document.project
    assert project.metadata == Metadata("Hall 3 AI retrofit", "A. Engineer", "C", "Assumes 2N utility")
    assert "Hall 3 AI retrofit" in window.windowTitle()
    stack = window.document.undo_stack
    assert stack.count() == 1 and window.document.is_dirty()
    stack.undo()
    assert project.metadata == Metadata()
    assert "Hall 3 AI retrofit" not in window.windowTitle()
    stack.redo()
    assert project.metadata.title == "Hall 3 AI retrofit"
    stack.setClean()


def test_cancel_or_no_change_pushes_nothing(window, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(project_dialogs, "run_dialog", lambda dialog: QDialog.DialogCode.Rejected)
    window.action_project_properties.trigger()
    window.action_site.trigger()
    monkeypatch.setattr(project_dialogs, "run_dialog", lambda dialog: QDialog.DialogCode.Accepted)
    window.action_project_properties.trigger()
    window.action_site.trigger()
    assert window.document.undo_stack.count() == 0


def test_an_empty_title_cannot_be_accepted(qtbot):  # type: ignore[no-untyped-def]
    dialog = ProjectPropertiesDialog(Metadata())
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.title_edit.setText("   ")
    assert not ok.isEnabled() and "title" in dialog.problem.text()


def test_site_fields_are_range_checked_where_typed(qtbot):  # type: ignore[no-untyped-def]
    dialog = SiteDialog(Site(), load_climates(), load_cities())
    qtbot.addWidget(dialog)
    dialog.latitude_spin.setValue(123.0)
    dialog.longitude_spin.setValue(-500.0)
    dialog.utc_spin.setValue(20.0)
    dialog.ambient_spin.setValue(99.0)
    site = dialog.site()
    assert (site.latitude_deg, site.longitude_deg, site.utc_offset_h, site.design_ambient_c) == (90.0, -180.0, 14.0,
                                                                                                  70.0)
    dialog.name_edit.setText("")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_site_dialog_searches_cities_and_adds_custom_regions(qtbot):  # type: ignore[no-untyped-def]
    climates = load_climates()
    dialog = SiteDialog(Site(), climates, load_cities())
    qtbot.addWidget(dialog)
    assert "default cities" in dialog.regions_hint.text()
    dialog.city_search.setText("frank")
    assert dialog.visible_cities() == ["Frankfurt am Main, Germany"]
    dialog.city_search.setText("")
    assert len(dialog.visible_cities()) == dialog.city_list.count()
    dialog.city_search.setText("tokyo")
    row = next(dialog.city_list.item(i) for i in range(dialog.city_list.count())
               if not dialog.city_list.item(i).isHidden())
    row.setSelected(True)
    dialog.add_selected_cities()
    dialog.add_selected_cities()  # a region is listed once
    dialog.custom_name.setText("Campus users")
    dialog.custom_latitude.setValue(48.1)
    dialog.custom_longitude.setValue(11.6)
    dialog.add_custom_button.click()
    assert [r.name for r in dialog.regions()] == ["Tokyo", "Campus users"]
    assert dialog.regions()[1] == UserRegion("Campus users", 48.1, 11.6)
    climate_id = next(iter(climates))
    dialog.climate_combo.setCurrentIndex(dialog.climate_combo.findData(climate_id))
    dialog.take_location_from_climate()
    site = dialog.site()
    assert site.climate_id == climate_id
    assert site.latitude_deg == pytest.approx(climates[climate_id].latitude_deg, abs=1e-4)
    assert site.name == climates[climate_id].name  # the default "Unnamed site" is replaced
    dialog.regions_list.item(0).setSelected(True)
    dialog.remove_selected_regions()
    assert [r.name for r in dialog.site().user_regions] == ["Campus users"]


def test_the_site_is_one_undo_step_and_reaches_the_headline(window, monkeypatch):  # type: ignore[no-untyped-def]
    def fill(dialog: SiteDialog) -> int:
        dialog.name_edit.setText("Frankfurt West")
        dialog.latitude_spin.setValue(50.1)
        dialog.longitude_spin.setValue(8.6)
        dialog.utc_spin.setValue(1.0)
        dialog.ambient_spin.setValue(38.0)
        dialog.custom_name.setText("Munich")
        dialog.custom_latitude.setValue(48.14)
        dialog.custom_longitude.setValue(11.58)
        dialog.add_custom_region()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(project_dialogs, "run_dialog", fill)
    window.action_site.trigger()
    project = window.document.project
    assert project.site.name == "Frankfurt West" and project.site.design_ambient_c == 38.0
    assert project.site.user_regions == (UserRegion("Munich", 48.14, 11.58),)
    window.coordinator.flush()
    assert "Munich" in window.dashboard.headline.text_of("latency")
    stack = window.document.undo_stack
    assert stack.count() == 1
    stack.undo()
    assert project.site == Site()
    stack.redo()
    assert project.site.name == "Frankfurt West"
    stack.setClean()


def test_an_unlocated_site_reports_no_latency(window):  # type: ignore[no-untyped-def]
    window.coordinator.flush()
    assert window.document.project.site == Site()  # 0°, 0°: nobody said where it is
    assert window.dashboard.headline.text_of("latency") == "—"
