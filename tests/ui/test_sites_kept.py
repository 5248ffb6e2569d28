"""Sites Side by Side keeps its candidates in the project: each edit one undo step, the table follows undo/redo."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from designer.analysis.climate import load_climates
from designer.model.economics import CandidateSite
from designer.ui.main_window import MainWindow
from designer.ui.sites_dialog import SitesDialog


def test_candidate_edits_are_undoable_and_kept(qtbot, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(window)
    document = window.document
    climates = dict(load_climates())
    dialog = SitesDialog(document.project, climates, window, document=document)
    qtbot.addWidget(dialog)
    suggested = dialog.candidates.rowCount()
    assert suggested == len(climates) - (document.project.site.climate_id in climates)
    assert "suggested" in dialog.candidates_label.text()
    assert document.project.settings.economics.candidate_sites == ()
    stack = document.undo_stack
    clean = stack.count()

    # an edit keeps the whole list in the project, as one undo step
    dialog.candidates.item(0, 4).setText("0.05")
    kept = document.project.settings.economics.candidate_sites
    assert len(kept) == suggested and kept[0].tariff_per_kwh == 0.05
    assert stack.count() == clean + 1 and "kept in the project" in dialog.candidates_label.text()

    # a bad cell changes nothing and says where
    dialog.candidates.item(1, 1).setText("north")
    assert "row 2" in dialog.problem.text() and document.project.settings.economics.candidate_sites == kept
    dialog.candidates.item(1, 1).setText(repr(kept[1].latitude_deg))
    assert dialog.problem.text() == "" and stack.count() == clean + 1  # back as it was: nothing to push

    # removing a row is one more step; undo brings it back into the table
    dialog.candidates.selectRow(0)
    dialog._remove_selected()
    assert len(document.project.settings.economics.candidate_sites) == suggested - 1
    stack.undo()
    assert document.project.settings.economics.candidate_sites == kept
    assert dialog.candidates.rowCount() == suggested and dialog.candidates.item(0, 4).text() == "0.05"
    # undo to nothing kept: the suggestions again, and their label
    stack.undo()
    assert document.project.settings.economics.candidate_sites == ()
    assert "suggested" in dialog.candidates_label.text() and dialog.candidates.item(0, 4).text() == ""
    stack.redo()
    assert dialog.candidates.item(0, 4).text() == "0.05"


def test_a_kept_grid_region_survives_an_edit_of_another_cell(qtbot, project):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    climates = dict(load_climates())
    site = CandidateSite("Phoenix", 33.45, -112.07, "phoenix", grid_region_id="AZNM", land_cost=12_345_678.9)
    project.set_settings(replace(project.settings,
                                 economics=replace(project.settings.economics, candidate_sites=(site,))))
    dialog = SitesDialog(project, climates)
    qtbot.addWidget(dialog)
    assert dialog.candidate_sites() == [site]  # the exact numbers and the region read back
    dialog.candidates.item(0, 0).setText("Phoenix 2")  # the grid region has no column: it rides with the name
    assert dialog.candidate_sites() == [replace(site, name="Phoenix 2")]
