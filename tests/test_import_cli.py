"""import-items, import-dcim and import-device-types from the command line: exit codes 0 / 1 / 2 and their text."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from designer.cli import main
from designer.io.catalog_io import load_catalog, read_catalog_file
from designer.io.project_file import load_project, save_project
from designer.io.resources import examples_dir

AI_HALL = examples_dir() / "ai_hall.dcplan"
DATA = Path(__file__).resolve().parent / "data"


def empty_ai_hall(tmp_path: Path) -> Path:
    catalog = load_catalog(include_user=False)
    project = load_project(AI_HALL, catalog)
    project.remove_items(list(project.items))
    path = tmp_path / "empty.dcplan"
    save_project(project, path, keep_backup=False)
    return path


def test_export_then_import_items_into_an_empty_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "items.csv"
    assert main(["export", str(AI_HALL), "-f", "items", "-o", str(table)]) == 0
    empty = empty_ai_hall(tmp_path)
    out = tmp_path / "out.dcplan"
    capsys.readouterr()
    assert main(["import-items", str(empty), str(table), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "484 items to add, 0 to update, 2,562 feeds, 0 rows skipped" in text
    assert main(["analyze", str(out), "--json"]) in (0, 1)
    imported = capsys.readouterr().out
    assert main(["analyze", str(AI_HALL), "--json"]) in (0, 1)
    assert _without_connection_ids(capsys.readouterr().out) == _without_connection_ids(imported)


def _without_connection_ids(text: str) -> object:
    """The analysis document with the electrical runs keyed by the items they join, not by connection id.

    A table row's feeds name their suppliers, not the connection records' ids, so an import numbers its
    connections afresh; everything else in the document (every figure, finding and item id) must match.
    """
    document = json.loads(text)
    feeds = document["electrical"]["feeds"]
    assert all(feed.pop("id").startswith("conn-") for feed in feeds)
    feeds.sort(key=lambda feed: (feed["source"], feed["target"], feed["feed"]))
    return document


def test_rows_with_problems_exit_1_and_strict_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("Name,Model,Pos X,Pos Y\nn-1,rack.cpu_general,1,2\nn-2,rack.nope,1,2\n", encoding="utf-8")
    out = tmp_path / "out.dcplan"
    args = ["import-items", str(AI_HALL), str(table), "-o", str(out), "--map", "x=Pos X", "--map", "y=Pos Y",
            "--unit", "m"]  # fmt: skip
    assert main([*args, "--strict"]) == 1
    assert not out.exists() and "nothing written" in capsys.readouterr().out
    assert main(args) == 1
    text = capsys.readouterr().out
    assert "line 3: 'rack.nope' is neither a catalog id nor a catalog entry name" in text
    project = load_project(out, load_catalog(include_user=False))
    assert project.items["n-1"].x_mm == 1000 and "n-2" not in project.items


def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["import-items", str(AI_HALL), str(table), "-o", str(tmp_path / "o.dcplan")]) == 2
    err = capsys.readouterr().err
    assert "no column for Catalog id or type, X, Y" in err and err.count("\n") == 1
    table.write_bytes("id,catalog_id,x,y\nä,rack.cpu_general,1,1\n".encode("cp1252"))
    assert main(["import-items", str(AI_HALL), str(table), "-o", str(tmp_path / "o.dcplan")]) == 2
    assert f"{table}: line 2: byte 0xe4" in capsys.readouterr().err
    assert main(["import-items", str(AI_HALL), str(table), "-o", str(tmp_path / "o.dcplan"), "--map", "q=z"]) == 2


def test_import_dcim_writes_a_hall_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dc.dcplan"
    netbox = DATA / "dcim" / "netbox-demo-v3.6-dcim-power-subset.json"
    assert main(["import-dcim", str(AI_HALL), str(netbox), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "hall 'MDF (NetBox)'" in text and "assumed:" in text and "skipped:" in text
    assert main(["validate", str(out)]) == 0
    assert "3 halls" in capsys.readouterr().out
    assert main(["import-dcim", str(out), str(DATA / "dcim" / "racksdb" / "examples" / "db"), "-o", str(out),
                 "--json"]) == 0  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert report["hall_name"] == "paris noisy (RacksDB)" and report["items"] == 53
    bad = tmp_path / "bad.yml"
    bad.write_text("rooms: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    assert main(["import-dcim", str(AI_HALL), str(bad), "-o", str(out)]) == 2


def test_import_device_types(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "netbox.json"
    assert main(["import-device-types", str(DATA / "netbox"), "-o", str(target)]) == 1  # 4 files skipped
    text = capsys.readouterr().out
    assert "10 entries, 4 files skipped" in text and "QM9700.yaml: skipped: no power draw" in text
    assert len(read_catalog_file(target)) == 10
    dell = DATA / "netbox" / "device-types" / "Dell" / "PowerEdge-R650.yaml"
    assert main(["import-device-types", str(dell), "--per-rack", "20"]) == 0
    user_file = Path(os.environ["DC_DESIGNER_USER_DIR"]) / "catalog" / "netbox-device-types.json"
    (entry,) = read_catalog_file(user_file)
    assert entry.capacity_kw == pytest.approx(16.0)  # 20 servers x 800 W
    assert entry.id in load_catalog()  # the app's catalog picks it up
    qm = DATA / "netbox" / "device-types" / "Nvidia" / "QM9700.yaml"
    assert main(["import-device-types", str(qm), "--dry-run"]) == 2


def test_hostile_tables_never_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    monkeypatch.setattr("designer.io.table_read.MAX_XLSX_UNPACKED_BYTES", 1024 * 1024)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 64)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    quotes = tmp_path / "quotes.csv"
    quotes.write_text('id,catalog_id,x,y\n"unterminated,rack.cpu_general,1,1\n', encoding="utf-8")
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    expected = {bomb: "unpacks to", junk: "not valid UTF-8", empty: "empty", quotes: "no row could be imported",
                pipe: "named pipe", tmp_path: "folder"}  # fmt: skip
    for path, words in expected.items():
        status = main(["import-items", str(AI_HALL), str(path), "-o", str(tmp_path / "o.dcplan")])
        err = capsys.readouterr().err
        assert status == 2 and words in err and err.count("\n") == 1, (path, err)
