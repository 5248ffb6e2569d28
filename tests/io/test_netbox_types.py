"""NetBox device-type library files into catalog entries: every real file imports or says why; hostile YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.io.catalog_io import read_catalog_file, read_user_entries
from designer.io.netbox_types import (
    DeviceTypeError,
    device_type_from_document,
    import_device_types,
    read_device_type,
    save_entries,
    yaml_files,
)
from designer.model.types import Confidence, Role, WorkloadClass

DATA = Path(__file__).resolve().parents[1] / "data" / "netbox"


def test_every_real_file_imports_or_gets_its_reason(tmp_path: Path) -> None:
    files = yaml_files(DATA)
    assert len(files) == 14
    report = import_device_types(files)
    by_name = {Path(result.file).name: result for result in report.results}
    skipped = {name: result.reason for name, result in by_name.items() if result.entry is None}
    assert set(skipped) == {"AP8888.yaml", "ProLiant-DL380-Gen11.yaml", "QM9700.yaml", "SYS-421GE-TNRT.yaml"}
    assert "rating the file does not give" in skipped["AP8888.yaml"]
    assert "module bays PSU1, PSU2 without a draw" in skipped["ProLiant-DL380-Gen11.yaml"]
    assert "no power-port with maximum_draw" in skipped["QM9700.yaml"]
    for result in report.results:
        if result.entry is not None:
            assert result.entry.confidence is Confidence.ESTIMATE and result.entry.notes.startswith("Assumed: ")
            assert result.assumed
    # the entries are a valid user catalog file, read at the next start
    target = tmp_path / "catalog" / "netbox.json"
    assert save_entries(report.entries, target) == 10
    assert {entry.id for entry in read_catalog_file(target)} == {entry.id for entry in report.entries}
    warnings: list[str] = []
    assert len(read_user_entries([target.parent], set(), warnings)) == 10 and warnings == []


def test_roles_and_figures_of_the_real_files() -> None:
    pdu = read_device_type(DATA / "device-types" / "APC" / "AP8965.yaml").entry
    assert pdu is not None and pdu.role is Role.RACK_PDU
    # nema-l21-30p: 208 V x 30 A x sqrt(3) x 0.8 = 8,646 VA; x 0.95 = 8.214 kW
    assert pdu.capacity_kw == pytest.approx(8.21, abs=0.01)
    raritan = read_device_type(DATA / "device-types" / "Raritan" / "PX3-5724V.yaml").entry
    assert raritan is not None and raritan.capacity_kw == pytest.approx(8.6 * 0.95, abs=0.01)  # "8.6kVA" in comments
    dell = read_device_type(DATA / "device-types" / "Dell" / "PowerEdge-R650.yaml")
    assert dell.entry is not None and dell.entry.role is Role.RACK
    # 2 supplies of 800 W, N+N: 800 W per server; 36 U / 1 U = 36 servers -> 28.8 kW
    assert dell.entry.capacity_kw == pytest.approx(28.8) and dell.entry.workload is WorkloadClass.GENERAL
    dgx = read_device_type(DATA / "device-types" / "Nvidia" / "DGC-A100.yaml")
    assert dgx.entry is not None and dgx.entry.workload is WorkloadClass.AI
    # 2 x 1071 W, N+N: 1,071 W; 36 U / 6 U = 6 servers -> 6.426 kW; the comment's 6.5 kW per server is flagged
    assert dgx.entry.capacity_kw == pytest.approx(6.426)
    assert any("6.5 kW per device" in line for line in dgx.mapped)
    arista = read_device_type(DATA / "device-types" / "Arista" / "DCS-7060DX4-32.yaml").entry
    assert arista is not None and arista.workload is WorkloadClass.NETWORK
    rack = read_device_type(DATA / "rack-types" / "Conteg" / "RI7-48-80-120.yaml").entry
    assert rack is not None and (rack.width_mm, rack.depth_mm, rack.height_mm, rack.weight_kg) == (800, 1200, 2245, 157)
    weight = read_device_type(DATA / "device-types" / "Supermicro" / "AS-2124BT-HNTR.yaml").entry
    assert weight is not None and weight.weight_kg == pytest.approx(18 * 24.7 + 150)  # 18 x 2 U servers + shell


def write(tmp_path: Path, text: str, name: str = "t.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_python_tags_are_refused_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = write(tmp_path, f"manufacturer: !!python/object/apply:os.system ['touch {marker}']\nmodel: x\n")
    with pytest.raises(DeviceTypeError, match="only safe YAML"):
        read_device_type(path)
    assert not marker.exists()
    path = write(tmp_path, "manufacturer: !!python/name:os.system\nmodel: x\n")
    with pytest.raises(DeviceTypeError, match="safe YAML"):
        read_device_type(path)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    lines += ["manufacturer: x", "model: y", "u_height: 1", "power-ports: *a9"]
    with pytest.raises(DeviceTypeError, match="expands to more than"):
        read_device_type(write(tmp_path, "\n".join(lines)))


def test_huge_and_broken_files_get_a_reason(tmp_path: Path) -> None:
    huge = write(tmp_path, "manufacturer: x\nmodel: y\ncomments: '" + "x" * 2_000_000 + "'\n", "huge.yaml")
    broken = write(tmp_path, "manufacturer: [unclosed\n", "broken.yaml")
    not_mapping = write(tmp_path, "- a\n- b\n", "list.yaml")
    bad_weight = write(tmp_path, "manufacturer: x\nmodel: y\nweight: 5\nweight_unit: stone\n", "w.yaml")
    report = import_device_types([huge, broken, not_mapping, bad_weight, tmp_path / "missing.yaml"])
    reasons = [result.reason for result in report.results]
    assert all(result.entry is None for result in report.results)
    assert "larger than the limit" in reasons[0]
    assert reasons[1].startswith("line 1") or "line 2" in reasons[1]
    assert "not a device type" in reasons[2]
    assert "$.weight_unit" in reasons[3] and "stone" in reasons[3]
    assert "cannot open" in reasons[4]


def test_odd_field_values_give_an_entry_or_a_reason() -> None:
    import yaml

    odd_values: list[object] = [None, "x", -1, 1e308, [], {"a": 1}, True, "\u202e<b>", [{"maximum_draw": "lots"}]]
    for source in yaml_files(DATA):
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
        for field_name in list(document):
            for value in odd_values:
                try:
                    result = device_type_from_document({**document, field_name: value}, source)
                except DeviceTypeError:
                    continue
                entry = result.entry
                assert entry is not None and entry.name.isprintable() and 0 <= entry.capacity_kw <= 1000
                if entry.is_rack:  # a rack PDU has no footprint of its own
                    assert 0 < entry.width_mm <= 5000 and 0 < entry.depth_mm <= 5000, (source.name, field_name, value)
