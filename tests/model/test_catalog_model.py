"""Catalog values: the loss model arithmetic and catalog layering."""

from __future__ import annotations

import pytest
from support import make_entry

from designer.model import Catalog, ItemKind, LossModel, Role


def test_loss_model_hand_worked() -> None:
    # UPS R = 1250 kW at P = 250 kW (20 %): a*R = 0.012*1250 = 15; b*P = 0.015*250 = 3.75;
    # c*P^2/R = 0.008*62500/1250 = 0.4  -> 19.15 kW, efficiency 250/269.15 = 92.9 % (domain_figures 5.3)
    loss = LossModel(0.012, 0.015, 0.008)
    assert loss.loss_kw(250.0, 1250.0) == pytest.approx(19.15)
    assert 250.0 / (250.0 + loss.loss_kw(250.0, 1250.0)) == pytest.approx(0.929, abs=5e-4)


def test_later_layers_override_earlier_entries() -> None:
    base = Catalog([make_entry("x", ItemKind.RACK, Role.RACK, capacity_kw=10.0)])
    merged = base.merged([make_entry("x", ItemKind.RACK, Role.RACK, capacity_kw=12.0)])
    assert base["x"].capacity_kw == 10.0
    assert merged["x"].capacity_kw == 12.0
    assert len(merged) == 1
