"""Make the hostile-file corpus of issue 14: the files a careful reviewer attacked the app with.

The large ones (a file of empty lists, 8 million values, a 100 MiB sparse file, a 450 KB spline)
are made here rather than committed. ``python tests/hostile/make_corpus.py OUT`` writes the corpus
to OUT for manual runs; ``tests/test_hostile_corpus.py`` makes it in a temp folder and runs every
file through the command line and the DXF reader.

Each case says what must happen: the exit status of ``validate`` (0 valid, 2 refused), of
``analyze`` when the file is valid (0 or 1), and words the one-line message must hold.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "schema-v1.dcplan"
HOSTILE_HTML = '<img src="/dev/zero">'


@dataclass(frozen=True)
class ProjectCase:
    """A project file (or something at a project file's path) and what the CLI must say about it."""

    name: str
    validate_exit: int
    words: str = ""
    analyze_exit: int | None = None
    """For valid files: 0 or 1 (error findings)."""
    analyze_never: str = ""
    """Text ``analyze`` must not print (a summary that disagrees with its parts)."""


@dataclass(frozen=True)
class DxfCase:
    name: str
    error: str = ""
    """Words of the DxfImportError; empty when the drawing must read."""
    warning: str = ""


@dataclass
class Corpus:
    folder: Path
    projects: list[ProjectCase] = field(default_factory=list)
    drawings: list[DxfCase] = field(default_factory=list)
    user_folder: Path | None = None
    """A user folder (catalog/, pods/) full of bad files: every command must go on with warnings."""


def golden() -> dict[str, Any]:
    document = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _changed(change: Callable[[dict[str, Any]], None]) -> str:
    document = golden()
    change(document)
    return json.dumps(document)


def make_corpus(folder: Path) -> Corpus:
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder)

    def text(name: str, content: str | bytes, validate_exit: int = 2, words: str = "", **more: Any) -> None:
        data = content.encode("utf-8", errors="surrogatepass") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
        corpus.projects.append(ProjectCase(name, validate_exit, words, **more))

    # ---------------------------------------------------------------- item 1: special files, decoder memory
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.dcplan")
        corpus.projects.append(ProjectCase("fifo.dcplan", 2, "is a named pipe, not a regular file"))
    if Path("/dev/zero").exists():
        (folder / "devzero.dcplan").symlink_to("/dev/zero")
        corpus.projects.append(ProjectCase("devzero.dcplan", 2, "is a character device, not a regular file"))
    (folder / "folder.dcplan").mkdir()
    corpus.projects.append(ProjectCase("folder.dcplan", 2, "is a folder, not a regular file"))
    (folder / "dangling.dcplan").symlink_to(folder / "nowhere.dcplan")
    corpus.projects.append(ProjectCase("dangling.dcplan", 2, "cannot open the file"))
    with (folder / "sparse-101MiB.dcplan").open("wb") as stream:
        stream.truncate(101 * 1024 * 1024)
    corpus.projects.append(
        ProjectCase("sparse-101MiB.dcplan", 2, "file is 101.0 MiB, larger than the limit of 100.0 MiB")
    )
    text("empty-lists.dcplan", "[" + ",".join(["[]"] * 1_600_000) + "]", words="more than 1,500,000 objects and lists")
    text("many-values.dcplan", "[" + "0," * 8_000_001 + "0]", words="more than 8,000,000 values")
    text("deep.dcplan", "[" * 100_000 + "]" * 100_000, words="nested too deeply")
    # ---------------------------------------------------------------- item 2: text rendered as HTML
    text("html-key.dcplan", _changed(lambda d: d.__setitem__(HOSTILE_HTML, 1)), words=f"unknown field {HOSTILE_HTML!r}")
    # ---------------------------------------------------------------- item 4/5: values that passed validate
    text(
        "air-class.dcplan",
        _changed(lambda d: d["settings"].__setitem__("air_class", "XYZ")),
        words="$.settings.air_class",
    )
    text("cop-zero.dcplan", _changed(_add_chiller(0)), words="parameters.cop_mechanical")
    text("cop-negative.dcplan", _changed(_add_chiller(-3)), words="parameters.cop_mechanical")
    text(
        "rating-zero.dcplan",
        _changed(lambda d: d["catalog"][2].__setitem__("capacity_kw", 0)),
        words="rating above 0 kW",
    )
    text("fan-negative.dcplan", _changed(lambda d: d["catalog"][5].__setitem__("parameters", {"fan_kw_per_kw": -0.5})),
         words="fan_kw_per_kw")  # fmt: skip
    text("loss-heater.dcplan", _changed(lambda d: d["catalog"][2].__setitem__("loss", {"fixed": 0.2, "square": 0.2})),
         words="losses at rated load")  # fmt: skip
    text("racks-10MW.dcplan", _changed(_racks_at(10_000)), validate_exit=0, analyze_exit=1,
         analyze_never="cases survived")  # fmt: skip
    # ---------------------------------------------------------------- item 13/14: message size, ids, keys
    text("million-key.dcplan", _changed(lambda d: d.__setitem__("k" * 1_000_000, 1)), words="1,000,000 characters")
    for label, bad in (("newline", "rack\nsite: fake"), ("bidi", "rack\u202e1"), ("zero-width", "rack\u200b1")):
        text(f"id-{label}.dcplan", _changed(lambda d, bad=bad: d["items"][3].__setitem__("id", bad)),
             words="control or invisible characters")  # fmt: skip
    duplicate = GOLDEN.read_text(encoding="utf-8").replace('"x_mm": 3000,', '"x_mm": 3000, "x_mm": 9000,', 1)
    text("duplicate-key.dcplan", duplicate, words="$.items[1]: the key 'x_mm' appears twice")
    # ---------------------------------------------------------------- item 7: through a symlink
    (folder / "real.dcplan").write_bytes(GOLDEN.read_bytes())
    (folder / "link.dcplan").symlink_to(folder / "real.dcplan")
    corpus.projects.append(ProjectCase("link.dcplan", 0, analyze_exit=None))
    # ---------------------------------------------------------------- item 3: drawings
    _make_drawings(corpus)
    # ---------------------------------------------------------------- item 8/9: the user's folder
    corpus.user_folder = _make_user_folder(folder / "user")
    return corpus


def _add_chiller(cop: float) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["catalog"].append(
            {"id": "chiller", "kind": "cooling", "role": "chiller_air", "name": "chiller", "width_mm": 2000,
             "depth_mm": 6000, "source": "test", "confidence": "E", "capacity_kw": 1000,
             "parameters": {"cop_mechanical": cop}}
        )  # fmt: skip

    return change


def _racks_at(kw: float) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        for item in document["items"]:
            if item["catalog_id"].startswith("rack"):
                item["design_kw"] = kw

    return change


def _make_drawings(corpus: Corpus) -> None:
    import ezdxf

    folder = corpus.folder
    spline = ezdxf.new()
    points = [(i * 10.0, 1000.0 * math.sin(i / 50.0), 0.0) for i in range(15_000)]
    spline.modelspace().add_spline(fit_points=points)
    spline.saveas(folder / "spline-15000.dxf")  # 5.2 GB and 20 s before
    corpus.drawings.append(DxfCase("spline-15000.dxf", warning="SPLINE with 15,000 fit points"))

    fan = ezdxf.new()
    depth, copies = 7, 6  # 6^7 = 279,936 lines at the bottom of a file of a few KB
    fan.blocks.new(f"B{depth}").add_line((0, 0), (100, 0))
    for level in range(depth - 1, -1, -1):
        block = fan.blocks.new(f"B{level}")
        for copy in range(copies):
            block.add_blockref(f"B{level + 1}", (copy * 200, level * 50))
    fan.modelspace().add_blockref("B0", (0, 0))
    fan.saveas(folder / "fan-out.dxf")
    corpus.drawings.append(DxfCase("fan-out.dxf", error="blocks expand to more than 200,000 entities"))

    plain = ezdxf.new()
    plain.modelspace().add_line((0, 0), (5000, 0))
    plain.saveas(folder / "plain.dxf")
    comment = b"999\nwritten by a CAD tool: 0 SECTION words\n"
    (folder / "comment-999.dxf").write_bytes(comment + (folder / "plain.dxf").read_bytes())
    corpus.drawings.append(DxfCase("comment-999.dxf"))
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.dxf")
        corpus.drawings.append(DxfCase("fifo.dxf", error="is a named pipe, not a regular file"))


def _make_user_folder(user: Path) -> Path:
    catalog = user / "catalog"
    pods = user / "pods"
    catalog.mkdir(parents=True)
    pods.mkdir()
    (catalog / "dangling.json").symlink_to(user / "gone.json")
    (catalog / "folder.json").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(catalog / "fifo.json")
    (catalog / "bad-entry.json").write_text(
        json.dumps({"format": "dc-designer-catalog", "schema_version": 1, "entries": [{"id": "x"}]})
    )
    (catalog / "html.json").write_text(HOSTILE_HTML)
    far = {"key": "r", "catalog_id": "rack.t", "x_mm": 9e11, "y_mm": 0}
    template = {"format": "dc-designer-pod", "schema_version": 1, "id": "pod.far", "name": "far",
                "items": [far], "connections": []}  # fmt: skip
    (pods / "far.json").write_text(json.dumps(template))
    return user


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py OUT_FOLDER")
    made = make_corpus(Path(sys.argv[1]))
    print(f"{len(made.projects)} project cases, {len(made.drawings)} drawings, user folder {made.user_folder}")
