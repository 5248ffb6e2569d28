"""Analysis ▸ Costs and Carbon (one undo step), the grid carbon picker of the Site dialog, Sites Side by Side
and the WUE / CUE headline figure."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTableWidgetItem

from designer.analysis.climate import load_climates
from designer.io.catalog_io import load_catalog
from designer.io.economics_io import load_economics_defaults
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.economics import EconomicsSettings
from designer.model.records import Site
from designer.ui import economics_dialog, project_dialogs
from designer.ui.economics_dialog import EconomicsDialog, GridCarbonPicker
from designer.ui.main_window import MainWindow
from designer.ui.sites_dialog import SitesDialog


@pytest.fixture
def window(qtbot, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    return win


def test_costs_and_carbon_settings_are_one_undo_step(window, monkeypatch):  # type: ignore[no-untyped-def]
    def fill(dialog: EconomicsDialog) -> int:
        dialog.own["tariff_per_kwh"].setChecked(True)
        dialog.spins["tariff_per_kwh"].setValue(0.12)
        dialog.own["discount_rate"].setChecked(True)
        dialog.spins["discount_rate"].setValue(0.06)
        dialog.hourly_edit.setText(", ".join(["1.5"] * 12 + ["0.5"] * 12))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(economics_dialog, "run_dialog", fill)
    actions = window.decide_actions
    assert actions.menu.title().replace("&", "") == "Analysis"
    actions.economics.trigger()
    project = window.document.project
    economics = project.settings.economics
    assert (economics.tariff_per_kwh, economics.discount_rate, economics.maintenance_rate) == (0.12, 0.06, None)
    assert economics.tariff_hourly_shape[0] == 1.5 and len(economics.tariff_hourly_shape) == 24
    stack = window.document.undo_stack
    assert stack.count() == 1
    stack.undo()
    assert project.settings.economics == EconomicsSettings()
    stack.redo()
    assert project.settings.economics.tariff_per_kwh == 0.12
    stack.setClean()
    monkeypatch.setattr(economics_dialog, "run_dialog", lambda dialog: QDialog.DialogCode.Accepted)
    actions.economics.trigger()  # nothing changed: nothing pushed
    assert stack.count() == 1


def test_the_economics_dialog_shows_each_default_with_its_source_and_checks_shapes(qtbot):  # type: ignore[no-untyped-def]
    defaults = load_economics_defaults()
    dialog = EconomicsDialog(EconomicsSettings(), defaults)
    qtbot.addWidget(dialog)
    assert not dialog.spins["tariff_per_kwh"].isEnabled()
    assert dialog.spins["study_years"].value() == defaults.figures["study_years"].value
    assert dialog.settings() == EconomicsSettings()  # unticked rows stay defaults
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.monthly_edit.setText("1, 2, 3")
    assert not ok.isEnabled() and "12 numbers" in dialog.problem.text()
    dialog.monthly_edit.setText("")
    dialog.currency_edit.setText("eu")
    assert not ok.isEnabled()
    dialog.currency_edit.setText("EUR")
    assert ok.isEnabled() and dialog.settings().currency == "EUR"


def test_the_site_dialog_picks_a_grid_region_and_an_own_figure(window, monkeypatch):  # type: ignore[no-untyped-def]
    def fill(dialog: project_dialogs.SiteDialog) -> int:
        picker = dialog.carbon_picker
        picker.region_combo.setCurrentIndex(picker.region_combo.findData("SE"))
        picker.own_check.setChecked(True)
        picker.own_spin.setValue(55.0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(project_dialogs, "run_dialog", fill)
    window.action_site.trigger()
    site = window.document.project.site
    assert (site.grid_region_id, site.grid_carbon_g_per_kwh) == ("SE", 55.0)
    window.document.undo_stack.undo()
    assert window.document.project.site.grid_region_id == ""
    window.document.undo_stack.setClean()


def test_the_picker_names_the_default_source(qtbot):  # type: ignore[no-untyped-def]
    picker = GridCarbonPicker(Site(climate_id="dublin"))
    qtbot.addWidget(picker)
    assert "Ireland" in picker.source.text() and "Ember" in picker.source.text()
    assert picker.values()["grid_carbon_g_per_kwh"] is None
    picker = GridCarbonPicker(Site(climate_id="tokyo", grid_region_id=""))
    qtbot.addWidget(picker)
    assert "World average" in picker.source.text()


def test_sites_side_by_side_table_chart_and_a_bad_cell(qtbot):  # type: ignore[no-untyped-def]
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "ai_hall.dcplan", catalog)
    climates = dict(load_climates())
    dialog = SitesDialog(project, climates)
    qtbot.addWidget(dialog)
    assert dialog.candidates.rowCount() == len(climates) - 1  # every other bundled climate
    dialog.compare()
    assert dialog.problem.text() == ""
    assert dialog.table.rowCount() == len(climates)
    assert "this design's site" in dialog.table.item(0, 0).text()
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert "Chiller-free h" in headers and any(h.startswith("RTT ") for h in headers)
    tariff_column = headers.index("Tariff")
    assert "default [" in dialog.table.item(0, tariff_column).text()
    heights = dialog.bars.opts["height"]
    assert len(heights) == len(climates) and all(h > 1.0 for h in heights)  # PUE first
    dialog.candidates.setItem(0, 1, QTableWidgetItem("north"))
    dialog.compare()
    assert "row 1" in dialog.problem.text() and "latitude" in dialog.problem.text()
    assert dialog.table.rowCount() == len(climates)  # the last good comparison stays


def test_headline_shows_wue_and_a_marked_default_cue(qtbot, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "ai_hall.dcplan", catalog)
    project.set_site(replace(project.site, climate_id="dublin", grid_region_id=""))
    window = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.coordinator.results_ready, timeout=20_000):
        window.run_analysis()
    text = window.dashboard.headline.text_of("annual_pue")
    pue, wue, cue = text.split(" / ")
    assert 1.0 < float(pue) < 1.5
    assert float(wue) == 0.0  # no towers or adiabatic coolers in this hall
    assert cue.endswith("*") and 0.2 < float(cue[:-1]) < 0.5  # Ireland's default 280 g/kWh x PUE ~1.16
    tooltip = window.dashboard.headline.values["annual_pue"].toolTip()
    assert "Ember" in tooltip and "default [S]" in tooltip


def test_the_site_dialog_keeps_the_site_s_own_climate(qtbot):  # type: ignore[no-untyped-def]
    from designer.model.records import SiteClimate

    own = SiteClimate("Own", "typed in", (10.0,) * 12, (0.0,) * 12, (-5.0,) * 12)
    site = Site(name="A", climate=own, grid_carbon_monthly_g_per_kwh=(100.0,) * 12)
    dialog = project_dialogs.SiteDialog(site, dict(load_climates()), ())
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("B")
    edited = dialog.site()
    assert edited.name == "B" and edited.climate == own  # not dropped by an edit of the name
    assert edited.grid_carbon_monthly_g_per_kwh == (100.0,) * 12
