"""Pod templates carry the phase of their racks and rack PDUs: read, range-checked, placed and saved back."""

from __future__ import annotations

import json

import numpy as np
import pytest

from designer.io.catalog_io import load_catalog
from designer.io.errors import CatalogFileError
from designer.io.pods_io import pod_to_document, read_pod_document
from designer.model import Catalog
from designer.model.pods import place_pod, template_from_items
from designer.model.types import Phase


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


def _document(*items: dict[str, object]) -> dict[str, object]:
    return {"format": "dc-designer-pod", "schema_version": 1, "id": "pod.t", "name": "T", "connections": [],
            "items": list(items)}


def _ids() -> object:
    counter = iter(range(1, 1000))
    return lambda prefix: f"{prefix}-{next(counter)}"


def test_phases_survive_placing_a_template(catalog: Catalog) -> None:
    document = _document(
        {"key": "c1", "catalog_id": "rack.cpu_general", "x_mm": 0, "y_mm": 0, "phase": "L2"},
        {"key": "c2", "catalog_id": "rack.cpu_general", "x_mm": 600, "y_mm": 0},
        {"key": "g1", "catalog_id": "rack.gb200_nvl72", "x_mm": 1200, "y_mm": 0, "phase": "L1L2L3"},
    )
    template = read_pod_document(document, catalog)
    assert [item.phase for item in template.items] == [Phase.L2, None, Phase.ALL]
    placed = place_pod(template, hall_id="h", x_mm=5000, y_mm=5000, rotation_deg=90.0, new_id=_ids())  # type: ignore[arg-type]
    assert [item.phase for item in placed.items] == [Phase.L2, None, Phase.ALL]
    # saved from a design and read back: the phases come along, an unassigned one stays absent
    again = template_from_items("pod.again", "Again", placed.items, placed.connections)
    written = json.loads(json.dumps(pod_to_document(again)))
    assert [row.get("phase") for row in written["items"]] == ["L2", None, "L1L2L3"]
    assert [item.phase for item in read_pod_document(written, catalog).items] == [Phase.L2, None, Phase.ALL]


@pytest.mark.parametrize(("catalog_id", "phase", "words"), [
    ("rack.cpu_general", "L4", "is not one of: L1, L2, L3, L1L2L3"),
    ("rack.cpu_general", 2, "expected"),
    ("rack.cpu_general", "L1L2L3", "single-phase load"),
    ("rack.gb200_nvl72", "L1", "three-phase load"),
    ("elec.rpp_400a", "L1", "only a rack or a rack PDU takes a phase"),
])
def test_a_bad_phase_is_refused_at_load_with_its_path(catalog: Catalog, catalog_id: str, phase: object,
                                                      words: str) -> None:
    document = _document({"key": "a", "catalog_id": "rack.cpu_general", "x_mm": 0, "y_mm": 0},
                         {"key": "b", "catalog_id": catalog_id, "x_mm": 600, "y_mm": 0, "phase": phase})
    with pytest.raises(CatalogFileError, match=words) as caught:
        read_pod_document(document, catalog, file="t.json")
    assert caught.value.json_path == "$.items[1].phase"
    assert "t.json" in str(caught.value)


def test_without_a_catalog_only_the_spelling_is_checked(catalog: Catalog) -> None:
    document = _document({"key": "a", "catalog_id": "rack.gb200_nvl72", "x_mm": 0, "y_mm": 0, "phase": "L1"})
    assert read_pod_document(document).items[0].phase is Phase.L1  # the catalog check needs the catalog
    with pytest.raises(CatalogFileError, match="three-phase load"):
        read_pod_document(document, catalog)


def test_bundled_templates_place_their_racks_on_phases_balanced_at_rating(catalog: Catalog) -> None:
    from designer.analysis.phase_balance import imbalance
    from designer.io.pods_io import load_pod_templates
    from designer.model.phases import allowed_phases

    templates = load_pod_templates(catalog, include_user=False)
    for template in templates.values():
        for item in template.items:
            entry = catalog[item.catalog_id]
            if entry.role.value == "rack":
                assert item.phase in allowed_phases(entry), f"{template.id} {item.key}: {item.phase}"
    row = templates["pod.cpu_storage_row"]
    per_phase_kw = {phase: 0.0 for phase in (Phase.L1, Phase.L2, Phase.L3)}
    for item in row.items:
        if catalog[item.catalog_id].role.value == "rack":
            assert item.phase is not None
            per_phase_kw[item.phase] += catalog[item.catalog_id].capacity_kw
    # 10 CPU and 2 network racks of 10 kW, 4 storage racks of 12 kW: 168 kW, 56 kW a phase at best; 12a + 10b = 56
    # only for three storage and two 10 kW racks, so the best split is 54 / 54 / 60 kW: 4 kW over the mean, 4 / 56
    assert sorted(per_phase_kw.values()) == [54.0, 54.0, 60.0]
    ratio, _hour = imbalance(np.array([[kw] for kw in per_phase_kw.values()]))
    assert ratio == pytest.approx(4 / 56)
