"""Every source key cited in the bundled resources resolves against resources/bibliography.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.io.bibliography import Source, bundled_bibliography, cited_keys, read_bibliography, references
from designer.io.errors import FileFormatError
from designer.io.resources import resources_dir

CITING_FILES = ("catalog/*.json", "profiles/*.json", "pods/*.json", "climates/*.json", "electrical/*.json",
                "economics/*.json")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (*_strings(key), *_strings(item))]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def dangling_keys(folder: Path, keys: set[str]) -> dict[str, list[str]]:
    """Cited keys that the bibliography lacks, by file."""
    missing: dict[str, list[str]] = {}
    for pattern in CITING_FILES:
        for path in sorted(folder.glob(pattern)):
            document = json.loads(path.read_text(encoding="utf-8"))
            cited = {key for text in _strings(document) for key in cited_keys(text)}
            if cited - keys:
                missing[path.name] = sorted(cited - keys)
    return missing


def test_every_cited_key_resolves() -> None:
    keys = set(bundled_bibliography())
    assert dangling_keys(resources_dir(), keys) == {}


def test_a_dangling_key_is_caught(tmp_path: Path) -> None:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "x.json").write_text(json.dumps({"entries": [{"source": "[S1][S999] made up"}]}),
                                                 encoding="utf-8")
    assert dangling_keys(tmp_path, set(bundled_bibliography())) == {"x.json": ["S999"]}
    assert references("[S999] x")[0] == "[S999] (not in the bibliography)"


def test_no_internal_file_pointers_remain() -> None:
    for pattern in CITING_FILES:
        for path in resources_dir().glob(pattern):
            text = path.read_text(encoding="utf-8")
            assert "domain_figures" not in text and "starter catalog" not in text, path.name


def test_cited_keys_and_citations() -> None:
    assert cited_keys("[S45-b] Liebert; [S49] and [S49] again, [C1], [S-net]") == ["S45-b", "S49", "C1", "S-net"]
    source = Source("S62", "Curves", "NREL", 2010, "https://example.org/c")
    assert source.citation() == "[S62] Curves. NREL, 2010. https://example.org/c"
    assert Source("S1", "Doc", "", None, "").citation() == "[S1] Doc. n.d."
    lines = references("[S49] model", bundled_bibliography())
    assert lines[0].startswith("[S49] Lei & Masanet") and "2022" in lines[0]


def test_every_entry_is_complete() -> None:
    for key, source in bundled_bibliography().items():
        assert source.title and source.url.startswith("http"), key


@pytest.mark.parametrize("change, where", [
    ({"year": "2020"}, "year"), ({"url": "ftp://x"}, "url"), ({"title": ""}, "$.sources.S1"),
])
def test_bad_entries_are_refused(tmp_path: Path, change: dict[str, object], where: str) -> None:
    entry: dict[str, object] = {"title": "T", "publisher": "P", "year": 2020, "url": "https://x"}
    entry.update(change)
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"format": "dc-designer-bibliography", "schema_version": 1,
                                "sources": {"S1": entry}}), encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        read_bibliography(path)
    assert where in str(caught.value)
