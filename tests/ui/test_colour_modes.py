"""Colour modes of the canvas: absolute colours that follow the share, the derating setting, a legend."""

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.types import WorkloadClass
from designer.ui.canvas.colour_modes import (
    ColourMode,
    colouring_for,
    unserved_rack_ids,
    utilisation_class,
    utilisation_state,
)
from designer.ui.commands_dashboard import SetSettingsCommand
from designer.ui.main_window import MainWindow

SHOTS_ENV = "DC_DESIGNER_SHOTS"
"""Set to a folder to keep the pictures ``test_look_at_the_colour_modes`` takes (else a temp folder)."""


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


@pytest.fixture
def window(qtbot, real_catalog, monkeypatch):  # type: ignore[no-untyped-def]
    """The modular campus, in the hall of its first rack of class "ai" (the share moves its load)."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    project = load_project(examples_dir() / "modular_campus.dcplan", real_catalog)
    win = MainWindow(real_catalog, {}, project)
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    qtbot.waitExposed(win)
    win.coordinator.flush()
    document = win.document
    ai = next(i for i in project.items.values()
              if (i.workload or document.entry_of(i.catalog_id).workload) is WorkloadClass.AI)
    document.set_current_hall(ai.hall_id)
    return win


def _move_slider(window, share: float) -> None:  # type: ignore[no-untyped-def]
    slider = window.dashboard.controls.share_slider
    slider.setValue(round(share * slider.maximum()))
    window.coordinator.flush()


def _colours(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {item_id: graphic.fill_colour for item_id, graphic in window.scene.items_by_id.items()}


def test_utilisation_classes_follow_the_derating_setting() -> None:
    util = np.array([0.1, 0.3, 0.5, 0.78, 0.85, 1.2, np.nan])
    # derating 0.8: 16 shades of 5 % below it: 0.1 -> 2, 0.3 -> 6, 0.5 -> 10, 0.78 -> 15;
    # 0.85 > 0.8 -> 16 (above the continuous rating); 1.2 > 1.0 -> 17 (over); NaN -> -1 (unrated)
    assert utilisation_state(util, 0.8).tolist() == [0, 0, 0, 0, 1, 2, -1]
    assert utilisation_class(util, 0.8).tolist() == [2, 6, 10, 15, 16, 17, -1]
    # derating 0.9: 18 shades; 0.85 is now within the rating (shade 17), above it is 18, over 19
    assert utilisation_state(util, 0.9).tolist() == [0, 0, 0, 0, 0, 2, -1]
    assert utilisation_class(util, 0.9).tolist() == [2, 6, 10, 15, 17, 19, -1]


@pytest.mark.parametrize("mode", [ColourMode.UTILISATION, ColourMode.IT_KW, ColourMode.HEAT, ColourMode.WORKLOAD])
def test_colours_follow_the_inference_share(window, mode):  # type: ignore[no-untyped-def]
    window.dashboard.colouring.set_mode(mode)
    _move_slider(window, 0.2)
    at_20 = _colours(window)
    caption_20 = window.dashboard.colouring.legend.caption.text()
    _move_slider(window, 0.8)
    at_80 = _colours(window)
    changed = [i for i in at_20 if at_20[i] != at_80[i]]
    assert changed, f"{mode}: moving the share from 20 % to 80 % changed no colour"
    assert caption_20.startswith("at 20 % inference") and window.dashboard.colouring.legend.caption.text() \
        .startswith("at 80 % inference")
    _move_slider(window, 0.2)
    assert _colours(window) == at_20  # the colours are a function of the share, not of the path


def test_legend_on_the_canvas_states_the_derating(window):  # type: ignore[no-untyped-def]
    colouring = window.dashboard.colouring
    legend = colouring.legend
    assert legend.isVisible() and legend.parent() is window.view
    assert window.view.viewport().geometry().contains(legend.geometry())
    words = [text for _, text in legend.entries]
    assert "above the 80 % continuous rating" in words
    project = window.document.project
    window.document.push(SetSettingsCommand(project, replace(project.settings, continuous_derating=0.9)))
    window.coordinator.flush()
    assert "above the 90 % continuous rating" in [text for _, text in legend.entries]
    window.dashboard.colour_mode_actions[ColourMode.HEAT].trigger()
    assert colouring.mode is ColourMode.HEAT and legend.combo.currentData() == "heat"
    legend.combo.setCurrentIndex(legend.combo.findData("risk"))
    assert colouring.mode is ColourMode.RISK
    assert window.dashboard.colour_mode_actions[ColourMode.RISK].isChecked()


def test_risk_mode_says_unknown_until_failures_are_analysed(window):  # type: ignore[no-untyped-def]
    colouring = window.dashboard.colouring
    colouring.set_mode(ColourMode.RISK)
    results = window.coordinator.results
    unknown = colouring.shown.palette.index("#9a9ea6")
    rack_codes = colouring.shown.codes[: results.rack_ids.size]
    if not results.failures_analysed:
        unserved = unserved_rack_ids(results)
        served = ~np.isin(results.rack_ids, sorted(unserved))
        assert (rack_codes[served] == unknown).all()  # never "survives" before it was checked
    window.coordinator.fill_failures()
    assert window.coordinator.results.failures_analysed
    assert unknown not in colouring.shown.codes[: results.rack_ids.size].tolist()


def test_look_at_the_colour_modes(window, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """Writes the pictures a person looks at (no assertion of taste); the legend fits its rows."""
    shots = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    window.view.zoom_to_fit()
    for mode in ColourMode:
        window.dashboard.colouring.set_mode(mode)
        for share in (0.2, 0.8):
            _move_slider(window, share)
            qtbot.wait(10)
            legend = window.dashboard.colouring.legend
            assert not legend.folded(), "a 1600 x 1000 window has room for the colour key"
            assert legend.rows.height() >= legend.rows.sizeHint().height() > 0
            assert window.grab().save(str(shots / f"colour-{mode.value}-{round(share * 100)}.png"))


def test_colours_follow_the_hour_and_the_year(window):  # type: ignore[no-untyped-def]
    colouring = window.dashboard.colouring
    colouring.set_mode(ColourMode.IT_KW)
    state, project = window.dashboard.state, window.document.project
    state.set_hour(4)
    window.coordinator.flush()
    at_4 = _colours(window)
    assert colouring.legend.caption.text().endswith("04:00")
    state.set_hour(14)
    window.coordinator.flush()
    assert _colours(window) != at_4 and colouring.legend.caption.text().endswith("14:00")
    years = [y.year for y in project.active_scenario.years]
    state.set_year(years[0], project)
    window.coordinator.flush()
    colouring.set_mode(ColourMode.WORKLOAD)
    first = _colours(window)
    state.set_year(years[-1], project)  # the timeline's share moves with the year
    window.coordinator.flush()
    assert str(years[-1]) in colouring.legend.caption.text()
    assert _colours(window) != first


def test_ramp_blends_evenly_and_answers_a_list_as_a_tuple() -> None:
    """Black to white in 3 steps: the middle is 255 x 0.5 = 127.5, rounded to 128 (0x80) on each channel;
    the shades are worked out once (cached), so a list of anchors must give the same as the tuple."""
    from designer.ui.canvas.colour_modes import ramp

    assert ramp(("#000000", "#ffffff"), 3) == ("#000000", "#808080", "#ffffff")
    assert ramp(["#000000", "#ffffff"], 3) == ramp(("#000000", "#ffffff"), 3)
    assert ramp(("#000000", "#ffffff"), 1) == ("#000000",)


@pytest.mark.parametrize("mode", list(ColourMode))
def test_the_codes_of_some_items_are_those_of_every_item(window, mode):  # type: ignore[no-untyped-def]
    """Each mode's codes worked out for a few items (racks and components mixed, out of order) are
    the codes of those items among every item's; the canvas asks only for the items it shows."""
    colouring = window.dashboard.colouring
    results = window.coordinator.results
    facts = colouring._facts
    derating = window.document.project.settings.continuous_derating
    every = colouring_for(mode, results, facts, derating).codes
    n = results.rack_ids.size + results.component_ids.size
    assert every.shape == (n,)
    picked = np.array([n - 1, 0, results.rack_ids.size, 3, results.rack_ids.size - 1, n // 2])
    some = colouring_for(mode, results, facts, derating)
    assert some.codes_at(picked).tolist() == every[picked].tolist()
    assert "all" not in some._asked  # not every item's codes to know six
    assert some.codes_at(picked) is some.codes_at(picked)  # the same items asked again: kept
    assert some.values(picked) == {**{results.rack_ids[i]: some.colour_of(int(every[i]))
                                      for i in picked if i < results.rack_ids.size},
                                   **{results.component_ids[i - results.rack_ids.size]: some.colour_of(int(every[i]))
                                      for i in picked if i >= results.rack_ids.size}}


def test_a_share_move_codes_only_the_items_on_the_canvas(window):  # type: ignore[no-untyped-def]
    """The campus has racks in halls off the canvas: a move leaves their codes unasked."""
    colouring = window.dashboard.colouring
    colouring.set_mode(ColourMode.UTILISATION)
    _move_slider(window, 0.3)
    _move_slider(window, 0.6)
    shown = colouring.shown
    on_scene = colouring._on_scene(shown)
    assert on_scene.size < shown.rack_ids.size + shown.component_ids.size
    assert "all" not in shown._asked and shown._asked["at"][0] is on_scene
