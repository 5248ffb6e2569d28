"""The bibliography every catalog, profile, pod and climate entry cites by key ("[S49]", "[C1]").

``resources/bibliography.json``: ``{"format": "dc-designer-bibliography", "schema_version": 1,
"sources": {key: {"title", "publisher", "year" (int or null), "url"}}}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from designer.io.errors import FileFormatError
from designer.io.resources import resources_dir

BIBLIOGRAPHY_FORMAT = "dc-designer-bibliography"
MAX_BIBLIOGRAPHY_BYTES = 2_000_000
_KEY = re.compile(r"\[([A-Z][A-Za-z]*-?\d+(?:-[a-z]+)?|S-net)\]")
"""A cited key in square brackets: S49, S45-b, C1, S-net."""


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    publisher: str
    year: int | None
    url: str

    def citation(self) -> str:
        """"[S49] Title. Publisher, 2022. https://..." (n.d. when the source carries no date)."""
        year = f"{self.year}." if self.year is not None else "n.d."
        publisher = f" {self.publisher}," if self.publisher else ""
        url = f" {self.url}" if self.url else ""
        return f"[{self.key}] {self.title}.{publisher} {year}{url}"


def cited_keys(text: str) -> list[str]:
    """The keys cited in ``text``, in order of first appearance, each once."""
    seen: dict[str, None] = {}
    for match in _KEY.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def read_bibliography(path: Path) -> Mapping[str, Source]:
    """Read and check a bibliography file (every field typed, years 1900-2100, URLs http(s))."""
    if not path.is_file():
        raise FileFormatError("not a regular file", file=path)
    if path.stat().st_size > MAX_BIBLIOGRAPHY_BYTES:
        raise FileFormatError("too large for a bibliography", file=path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise FileFormatError(f"not JSON: {error}", file=path) from None
    if not isinstance(document, dict) or document.get("format") != BIBLIOGRAPHY_FORMAT:
        raise FileFormatError(f"not a {BIBLIOGRAPHY_FORMAT} file", json_path="$.format", file=path)
    if document.get("schema_version") != 1:
        raise FileFormatError("unknown schema_version (this version reads 1)", json_path="$.schema_version", file=path)
    sources = document.get("sources")
    if not isinstance(sources, dict):
        raise FileFormatError("expected an object of sources by key", json_path="$.sources", file=path)
    result: dict[str, Source] = {}
    for key, entry in sources.items():
        where = f"$.sources.{key}"
        if not isinstance(entry, dict) or not _KEY.fullmatch(f"[{key}]"):
            raise FileFormatError("expected an object under a key like S12 or C1", json_path=where, file=path)
        title, publisher, year, url = (entry.get(k) for k in ("title", "publisher", "year", "url"))
        if not isinstance(title, str) or not title or not isinstance(publisher, str) or not isinstance(url, str):
            raise FileFormatError("title (non-empty), publisher and url must be strings", json_path=where, file=path)
        if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100):
            raise FileFormatError("year must be null or 1900-2100", json_path=f"{where}.year", file=path)
        if url and not url.startswith(("https://", "http://")):
            raise FileFormatError("url must start with http(s)://", json_path=f"{where}.url", file=path)
        result[key] = Source(key, title, publisher, year, url)
    return MappingProxyType(result)


@cache
def bundled_bibliography() -> Mapping[str, Source]:
    """The bundled bibliography (read once)."""
    return read_bibliography(resources_dir() / "bibliography.json")


def references(text: str, bibliography: Mapping[str, Source] | None = None) -> list[str]:
    """One citation line per key cited in ``text``; an unknown key says so rather than vanish."""
    sources = bundled_bibliography() if bibliography is None else bibliography
    return [sources[key].citation() if key in sources else f"[{key}] (not in the bibliography)"
            for key in cited_keys(text)]
