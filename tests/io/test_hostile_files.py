"""Issue 14, the Qt-free items: hostile files and bad values are refused with one clear line.

Each test names the item of the issue it pins. The file-system cases that could hang or exhaust
memory if they regressed (a named pipe, /dev/zero) run the command line in a subprocess with a
timeout; the rest run in-process.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from designer.io import atomic_write
from designer.io.atomic_write import NotARegularFileError, atomic_write_bytes, remove_stale_temps
from designer.io.catalog_io import load_catalog, read_catalog_document
from designer.io.errors import CatalogFileError, ProjectFileError
from designer.io.pods_io import load_pod_templates, read_pod_document
from designer.io.project_file import MAX_PROJECT_BYTES, load_project, project_from_text, save_project
from designer.io.safe_read import MAX_CONTAINERS, MAX_DEPTH, MAX_VALUES
from designer.model import Catalog
from designer.model.records import PlacedItem

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "schema-v1.dcplan"
ROOT = Path(__file__).resolve().parents[2]


def golden() -> dict[str, Any]:
    document = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def refused(document: object, catalog: Catalog | None = None) -> ProjectFileError:
    text = document if isinstance(document, str) else json.dumps(document)
    with pytest.raises(ProjectFileError) as caught:
        project_from_text(text, catalog or Catalog())
    return caught.value


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "designer", *args], capture_output=True, text=True, timeout=120, env=environment
    )


# ====================================================================== item 1: special files, bounded parse
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_item1_a_named_pipe_is_refused_without_hanging(tmp_path: Path) -> None:
    pipe = tmp_path / "p.dcplan"
    os.mkfifo(pipe)
    result = run_cli("validate", str(pipe))  # hung forever before: the timeout fails the test
    assert result.returncode == 2, result.stderr
    assert "is a named pipe, not a regular file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_item1_a_device_is_refused_before_it_is_read() -> None:
    result = run_cli("validate", "/dev/zero")  # grew without bound before
    assert result.returncode == 2, result.stderr
    assert "/dev/zero: is a character device, not a regular file" in result.stderr


def test_item1_folders_and_dangling_links_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.dcplan"
    folder.mkdir()
    with pytest.raises(ProjectFileError, match="is a folder, not a regular file"):
        load_project(folder, Catalog())
    link = tmp_path / "dangling.dcplan"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(ProjectFileError, match="cannot open the file"):
        load_project(link, Catalog())


def test_item1_a_file_of_empty_lists_is_refused_before_the_decoder_builds_it() -> None:
    """``[[],[],...]``: 2 bytes of text make a 56-byte list; 100 MB of it took 2.7 GB."""
    text = "[" + ",".join(["[]"] * (MAX_CONTAINERS + 10)) + "]"
    tracemalloc.start()
    try:
        error = refused(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "more than 1,500,000 objects and lists" in str(error)
    # the text itself is about 4.5 MB; decoding it would have taken over 90 MB
    assert peak < 4 * len(text), f"peak {peak / 1e6:.0f} MB while refusing a {len(text) / 1e6:.1f} MB text"


def test_item1_too_many_values_and_too_deep_are_refused() -> None:
    assert "more than 8,000,000 values" in str(refused("[" + "0," * (MAX_VALUES + 1) + "0]"))
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert "nested too deeply" in str(refused(deep))


@pytest.mark.timeout(60)
def test_item1_the_exact_recount_is_linear_on_hostile_strings() -> None:
    """Over the budget the strings are blanked out by a regular expression; a plain one backtracked
    quadratically on escaped quotes (hours for a few MB)."""
    text = "[" * (MAX_CONTAINERS + 1) + '"\\' * 1_000_000
    assert "more than 1,500,000 objects and lists" in str(refused(text))


def test_item1_brackets_inside_strings_do_not_count(small_catalog: Catalog) -> None:
    """The budget is counted on the raw text; over a limit it is recounted without the strings."""
    document = golden()
    document["metadata"]["notes"] = "[" * (MAX_DEPTH * 3) + "{" * 1000
    project = project_from_text(json.dumps(document), small_catalog)
    assert project.metadata.notes.startswith("[[[")


# ====================================================================== item 4: enumerations, physical fields
def test_item4_an_unknown_air_class_is_refused_at_load() -> None:
    document = golden()
    document["settings"]["air_class"] = "XYZ"
    error = refused(document)
    assert error.json_path == "$.settings.air_class" and "'XYZ' is not one of: A1, A2, A3, A4, H1" in str(error)
    document["settings"]["air_class"] = "A1"
    document["settings"]["liquid_class"] = "W99"
    assert refused(document).json_path == "$.settings.liquid_class"


@pytest.mark.parametrize("cop", [0, -1.5, 1000])
def test_item4_a_carried_chiller_with_an_impossible_cop_is_refused(cop: float) -> None:
    document = golden()
    document["catalog"].append(
        {"id": "chiller", "kind": "cooling", "role": "chiller_air", "name": "chiller", "width_mm": 2000,
         "depth_mm": 6000, "source": "test", "confidence": "E", "capacity_kw": 1000,
         "parameters": {"cop_mechanical": cop}}
    )  # fmt: skip
    error = refused(document)
    assert error.json_path == "$.catalog[6].parameters.cop_mechanical", error


# ====================================================================== item 5: ratings and intensities
@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"capacity_kw": 0}, "$.catalog[2].capacity_kw", "needs a rating above 0 kW"),
        ({"capacity_kw": None}, "$.catalog[2]", "needs a rating above 0 kW"),
        ({"parameters": {"fan_kw_per_kw": -0.5}}, "$.catalog[2].parameters.fan_kw_per_kw", "below the minimum"),
        ({"parameters": {"pump_kw_per_kw": 3}}, "$.catalog[2].parameters.pump_kw_per_kw", "above the maximum"),
        ({"parameters": {"sink": "lava"}}, "$.catalog[2].parameters.sink", "expected one of: dry_bulb, wet_bulb"),
        ({"loss": {"fixed": 0.2, "proportional": 0.2}}, "$.catalog[2].loss", "losses at rated load are 0.4"),
        ({"loss": {"square": 0.45}}, "$.catalog[2].loss.square", "above the maximum of 0.2"),
        # issue 17: the electrical ratings the new checks read
        ({"parameters": {"voltage_v": 0}}, "$.catalog[2].parameters.voltage_v", "must be greater than 0"),
        ({"parameters": {"current_a": -400}}, "$.catalog[2].parameters.current_a", "must be greater than 0"),
        ({"parameters": {"phases": 2}}, "$.catalog[2].parameters.phases", "is not one of: 1, 3"),
        ({"parameters": {"battery_kwh": -5}}, "$.catalog[2].parameters.battery_kwh", "below the minimum"),
        ({"parameters": {"fuel_fraction_50": 1.5}}, "$.catalog[2].parameters.fuel_fraction_50", "above the maximum"),
    ],
)
def test_item5_impossible_equipment_is_refused(change: dict[str, Any], path: str, words: str) -> None:
    document = golden()
    entry = document["catalog"][2]  # the UPS
    for key, value in change.items():
        if value is None:
            entry.pop(key)
        else:
            entry[key] = value
    error = refused(document)
    assert error.json_path == path and words in error.problem, error


def test_item5_the_bundled_catalog_passes_the_same_rules() -> None:
    catalog = load_catalog(include_user=False)
    assert len(catalog) > 40  # every bundled entry was read through the checks


# ====================================================================== item 7: where a write lands
def test_item7_saving_through_a_symlink_writes_the_real_file(tmp_path: Path, small_project: object) -> None:
    real = tmp_path / "real" / "plan.dcplan"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.dcplan"
    link.symlink_to(real)
    save_project(small_project, link)  # type: ignore[arg-type]
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("{") and (real.parent / "plan.dcplan.bak").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.dcplan", "real"]


@pytest.mark.parametrize("target", ["/dev/null", "/dev/stdout"])
def test_item7_a_device_target_is_refused_not_replaced(target: str) -> None:
    if not Path(target).exists():
        pytest.skip(f"no {target} here")
    before = os.stat(target)
    with pytest.raises(NotARegularFileError, match="not a regular file: it is not replaced"):
        atomic_write_bytes(Path(target), b"x", keep_backup=False)
    after = os.stat(target)  # the same node (under pytest, stdout is a capture file: left alone too)
    assert (before.st_ino, before.st_dev, before.st_mode) == (after.st_ino, after.st_dev, after.st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_item7_export_to_a_pipe_or_folder_exits_2(tmp_path: Path) -> None:
    pipe = tmp_path / "out.csv"
    os.mkfifo(pipe)
    result = run_cli("export", str(GOLDEN), "-o", str(pipe))
    assert result.returncode == 2 and "is a named pipe, not a regular file" in result.stderr, result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)


# ====================================================================== item 8: templates, never write what cannot load
def _template(**item: object) -> dict[str, object]:
    row = {"key": "r1", "catalog_id": "rack.t", "x_mm": 0, "y_mm": 0, **item}
    return {"format": "dc-designer-pod", "schema_version": 1, "id": "pod.x", "name": "x",
            "items": [row], "connections": []}  # fmt: skip


@pytest.mark.parametrize(
    ("item", "path"),
    [
        ({"x_mm": 9e11}, "$.items[0].x_mm"),
        ({"rotation_deg": 720}, "$.items[0].rotation_deg"),
        ({"design_kw": 1e9}, "$.items[0].design_kw"),
        ({"label": "x" * 201}, "$.items[0].label"),
        ({"key": "r\n1"}, "$.items[0].key"),
    ],
)
def test_item8_a_pod_template_is_checked_with_the_project_rules(item: dict[str, object], path: str) -> None:
    with pytest.raises(CatalogFileError) as caught:
        read_pod_document(_template(**item))
    assert caught.value.json_path == path


def test_item8_a_design_the_loader_would_refuse_is_not_written(tmp_path: Path, small_catalog: Catalog) -> None:
    project = project_from_text(GOLDEN.read_bytes(), small_catalog)
    project.add_items([PlacedItem("far", "rack.t", "hall-1", 9e11, 0.0)])  # as a bad template once placed it
    path = tmp_path / "far.dcplan"
    path.write_text("the previous save")
    with pytest.raises(ProjectFileError, match=r"\$\.items\[\d+\]\.x_mm"):
        save_project(project, path, catalog=small_catalog)
    assert path.read_text() == "the previous save"


# ====================================================================== item 9: the user's folders
@pytest.fixture()
def hostile_user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "user" / "catalog"
    folder.mkdir(parents=True)
    (folder / "dangling.json").symlink_to(tmp_path / "gone.json")
    (folder / "folder.json").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.json")
    bad = {"format": "dc-designer-catalog", "schema_version": 1, "entries": [{"id": "x", "kind": "power"}]}
    (folder / "bad_entry.json").write_text(json.dumps(bad))
    bundled = next(iter(load_catalog(include_user=False).values()))
    good = {"id": "my.ups", "kind": "power", "role": "ups", "name": "Mine", "width_mm": 1000, "depth_mm": 800,
            "source": "me", "confidence": "E", "capacity_kw": 500}  # fmt: skip
    shadow = {**good, "id": bundled.id, "name": "shadow"}
    replacing = {**good, "id": bundled.id, "name": "replacement", "replaces_bundled": True}
    for name, entries in (("good.json", [good]), ("shadow.json", [shadow]), ("zz_replace.json", [replacing])):
        (folder / name).write_text(json.dumps({"format": "dc-designer-catalog", "schema_version": 1,
                                               "entries": entries}))  # fmt: skip
    return folder


def test_item9_bad_user_catalog_files_are_skipped_with_a_warning(hostile_user_folder: Path) -> None:
    warnings: list[str] = []
    bundled = load_catalog(include_user=False)
    catalog = load_catalog([hostile_user_folder], include_user=False, warnings=warnings)
    first = next(iter(bundled))
    assert "my.ups" in catalog and catalog[first].name == "replacement"
    text = "\n".join(warnings)
    for name in ("dangling.json", "folder.json", "bad_entry.json"):
        assert f"user catalog file skipped: {hostile_user_folder / name}" in text, name
    if hasattr(os, "mkfifo"):
        assert "pipe.json: is a named pipe" in text
    assert f"{first!r} in {hostile_user_folder / 'shadow.json'} skipped: a bundled entry has that id" in text
    assert f"{first!r} in {hostile_user_folder / 'zz_replace.json'} replaces the bundled entry" in text


def test_item9_the_cli_warns_on_stderr_and_validates_the_good_file(hostile_user_folder: Path) -> None:
    result = run_cli("validate", str(GOLDEN), env={"DC_DESIGNER_USER_DIR": str(hostile_user_folder.parent)})
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "Traceback" not in result.stderr
    assert result.stderr.count("dc-designer: warning: user catalog file skipped") >= 3


def test_item9_bad_user_pod_templates_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "pods"
    folder.mkdir()
    (folder / "far.json").write_text(json.dumps(_template(x_mm=9e11)))
    (folder / "ok.json").write_text(json.dumps({**_template(), "id": "pod.mine"}))
    bundled_id = next(iter(load_pod_templates(include_user=False)))
    (folder / "shadow.json").write_text(json.dumps({**_template(), "id": bundled_id}))
    warnings: list[str] = []
    templates = load_pod_templates(None, [folder], include_user=False, warnings=warnings)
    assert "pod.mine" in templates and "pod.x" not in templates
    assert any("far.json: $.items[0].x_mm" in w for w in warnings)
    assert any("skipped: a bundled template has that id" in w for w in warnings)


# ====================================================================== item 12: leftovers
def test_item12_a_full_disk_during_the_backup_leaves_no_partial_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.dcplan"
    path.write_bytes(b"old complete file")

    def full(source: object, target: object, length: int = 0) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write.shutil, "copyfileobj", full)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_bytes(path, b"new")
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.dcplan"]
    assert path.read_bytes() == b"old complete file"


def test_item12_the_backup_is_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.dcplan"
    path.write_bytes(b"old")
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        try:
            synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            synced.append("?")
        real_fsync(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name the fsynced files")
    monkeypatch.setattr(atomic_write.os, "fsync", fsync)
    atomic_write_bytes(path, b"new")
    monkeypatch.undo()
    assert any(Path(name).name.startswith(".plan.dcplan.bak.") for name in synced), synced
    assert (tmp_path / "plan.dcplan.bak").read_bytes() == b"old"


def test_item12_stale_temps_of_ours_are_removed_on_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "plan.dcplan"
    path.write_bytes(b"old")
    dead = _dead_pid()
    stale = [
        tmp_path / f".plan.dcplan.p{dead}-abc_123.tmp",  # a killed save
        tmp_path / f".plan.dcplan.bak.p{dead}-x.tmp",  # a killed backup copy
        tmp_path / ".plan.dcplan.k2j4h5g6.tmp",  # an earlier version's name, an hour old
        tmp_path / ".plan.dcplan.bak.tmp",
    ]
    kept = [
        tmp_path / f".plan.dcplan.p{os.getpid()}-live.tmp",  # a save of ours that is running
        tmp_path / ".plan.dcplan.zz9yy8xx.tmp",  # an earlier version's, recent: may be in flight
        tmp_path / ".plan.dcplan.notes.txt",  # not ours
        tmp_path / ".other.dcplan.p1-x.tmp",  # another file's
    ]
    fresh_dead = tmp_path / f".plan.dcplan.p{dead}-justnow.tmp"  # maybe another machine's save, in flight
    kept.append(fresh_dead)
    hour_ago = time.time() - 2 * 3600
    minutes_ago = time.time() - 5 * 60
    for file in stale + kept:
        file.write_bytes(b"partial")
    for file in stale[:2]:
        os.utime(file, (minutes_ago, minutes_ago))
    for file in stale[2:]:
        os.utime(file, (hour_ago, hour_ago))
    atomic_write_bytes(path, b"new")
    assert not [f.name for f in stale if f.exists()]
    assert all(f.exists() for f in kept)
    assert remove_stale_temps(path) == []


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# ====================================================================== item 13: message size and units
def test_item13_a_million_character_key_makes_a_short_line() -> None:
    document = golden()
    document["x" * 1_000_000] = 1
    error = refused(document)
    assert len(error.one_line()) < 500 and "1,000,000 characters" in error.one_line()
    document = golden()
    document.pop("x" * 1_000_000, None)
    document["settings"]["air_class"] = "A" * 1_000_000
    assert len(refused(document).one_line()) < 500
    error = refused({"format": "f" * 1_000_000, "schema_version": 1})
    assert len(error.one_line()) < 300 and error.problem.endswith("expected 'dc-designer-project')")


def test_item13_sizes_are_in_mib(tmp_path: Path) -> None:
    path = tmp_path / "huge.dcplan"
    with path.open("wb") as stream:
        stream.truncate(MAX_PROJECT_BYTES + 1)
    with pytest.raises(ProjectFileError) as caught:
        load_project(path, Catalog())
    # one unit, and never "105 MB, larger than the limit of 105 MB": a size that rounds to the limit
    # is given in bytes
    assert str(caught.value).endswith("file is 104,857,601 bytes, larger than the limit of 100.0 MiB")


# ====================================================================== item 14: ids, duplicate keys
@pytest.mark.parametrize("bad", ["rack\n1", "rack\u202e1", "rack\u200b1", "rack\x001", "rack\u20281", "\ufeffrack"])
def test_item14_ids_with_control_or_format_characters_are_refused(bad: str) -> None:
    document = golden()
    document["items"][3]["id"] = bad
    error = refused(document)
    assert error.json_path == "$.items[3].id" and "control or invisible characters" in error.problem


def test_item14_a_catalog_entry_id_with_a_newline_is_refused() -> None:
    entry = {"id": "a\nb", "kind": "power", "role": "ups", "name": "n", "width_mm": 1, "depth_mm": 1,
             "source": "s", "confidence": "E", "capacity_kw": 1}  # fmt: skip
    with pytest.raises(CatalogFileError) as caught:
        read_catalog_document({"format": "dc-designer-catalog", "schema_version": 1, "entries": [entry]})
    assert caught.value.json_path == "$.entries[0].id"


def test_item14_duplicate_keys_are_refused_with_their_path() -> None:
    text = GOLDEN.read_text(encoding="utf-8").replace('"x_mm": 3000,', '"x_mm": 3000, "x_mm": 9000,', 1)
    error = refused(text)
    assert error.json_path == "$.items[1]" and "the key 'x_mm' appears twice" in error.problem
    top = GOLDEN.read_text(encoding="utf-8").replace('"schema_version": 1,', '"schema_version": 1, "items": [],', 1)
    assert refused(top).json_path == "$"


def test_item1_a_file_is_read_whole_and_exact_and_a_growing_one_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from designer.io import safe_read

    path = tmp_path / "f.bin"
    for size in (0, 1, 5 * 1024 * 1024 + 3):  # empty, tiny, more than one 4 MiB step
        data = os.urandom(size)
        path.write_bytes(data)
        assert safe_read.read_regular_file(path, max_bytes=size + 10, error=ValueError) == data
    # the file grows between the size check and the reads: 100 bytes at stat, then 200 to read
    path.write_bytes(b"x" * 200)
    real_stat = os.stat
    monkeypatch.setattr(safe_read.os, "stat", lambda p: os.stat_result((*real_stat(p)[:6], 100, *real_stat(p)[7:]))
                        if Path(p) == path else real_stat(p))
    with pytest.raises(ValueError, match="grew past the limit"):
        safe_read.read_regular_file(path, max_bytes=150, error=ValueError)
