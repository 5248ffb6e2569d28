"""The one error every file reader raises: it names the file, the JSON path and the problem."""

from __future__ import annotations

from pathlib import Path

MAX_PROBLEM_CHARS = 400
MAX_PATH_CHARS = 300
"""A problem or path longer than this is cut: a key of a million characters must not make a 1 MB line."""


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[: limit - 40]}... ({len(text):,} characters)"


class FileFormatError(ValueError):
    """A file could not be read. ``json_path`` is like ``$.items[3].x_mm`` (``$`` for the whole file)."""

    def __init__(self, problem: str, *, json_path: str = "$", file: str | Path | None = None) -> None:
        self.problem = _cut(problem, MAX_PROBLEM_CHARS)
        self.json_path = _cut(json_path, MAX_PATH_CHARS)
        self.file = str(file) if file is not None else None
        super().__init__(self.one_line())

    def one_line(self) -> str:
        parts = [self.file] if self.file else []
        if self.json_path != "$":
            parts.append(self.json_path)
        parts.append(self.problem)
        return ": ".join(parts)

    def in_file(self, file: str | Path) -> FileFormatError:
        """The same error, attributed to ``file``."""
        return FileFormatError(self.problem, json_path=self.json_path, file=file)


class ProjectFileError(FileFormatError):
    """A project (.dcplan) file is broken, hostile, too new or refers to something that does not exist."""


class CatalogFileError(FileFormatError):
    """A catalog or pod-template file is broken."""
