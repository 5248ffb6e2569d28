"""Reading untrusted files: regular files only, a bounded read, and JSON whose size is bounded while parsing.

Every reader of a user's file (project, catalog, pod template, autosave) goes through here, so a
device, a named pipe, a file that grows while read or a document built to blow up the decoder is
refused with one clear line instead of hanging or exhausting memory.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import numpy as np

from designer.io.errors import FileFormatError

MIB = 1024 * 1024
MAX_DEPTH = 64
"""A project nests about 6 deep ($.halls[0].obstacles[0].polygon_mm[0][0]); 64 leaves ample room."""
MAX_CONTAINERS = 1_500_000
"""Objects and lists in one document. A 50,000-rack campus (60 MB) has about 540,000; an empty list
costs 56 bytes of memory for 2 bytes of text, so without this a 100 MB file of ``[[],[],...]`` takes
2.7 GB before it could be refused."""
MAX_VALUES = 8_000_000
"""Commas in one document (values in lists, fields in objects): the 50,000-rack campus has 2.7 million."""

ErrorFactory = Callable[[str], FileFormatError]


def size_text(size_bytes: int) -> str:
    """A size in MiB for messages; one unit everywhere (never MB beside MiB)."""
    return f"{size_bytes / MIB:.1f} MiB"


def over_limit_text(size_bytes: int, limit_bytes: int) -> str:
    """A size above ``limit_bytes``: in MiB, or in bytes when MiB would round it to the limit."""
    if size_text(size_bytes) == size_text(limit_bytes):
        return f"{size_bytes:,} bytes"
    return size_text(size_bytes)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_regular_file(path: Path, *, max_bytes: int, error: ErrorFactory) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``max_bytes``; else ``error(problem)``.

    The type is checked before opening (opening a named pipe would block) and again on the open
    descriptor (the name may have been swapped in between); at most ``max_bytes + 1`` bytes are read,
    so a file that grows while it is read is refused too.
    """
    try:
        info = os.stat(path)  # follows symlinks: a link to a regular file is fine, a dangling one is not
    except OSError as exc:
        raise error(f"cannot open the file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"is {file_kind(info.st_mode)}, not a regular file")
    if info.st_size > max_bytes:
        raise error(
            f"file is {over_limit_text(info.st_size, max_bytes)}, larger than the limit of {size_text(max_bytes)}"
        )
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise error(f"cannot open the file ({exc.strerror or exc})") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise error("is not a regular file")
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            # 4 MiB at a time, then one join: reading the whole file in one call saved the join's copy
            # (~30 ms at 60 MB) but left ~10 MB more resident after a load (the allocator's heap)
            chunk = os.read(handle, min(max_bytes + 1 - total, 4 * MIB))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(handle)
    if total > max_bytes:
        raise error(f"file grew past the limit of {size_text(max_bytes)} while it was read")
    return b"".join(chunks)


# ====================================================================== bounded JSON
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b"[]{},:")
_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)
"""A JSON string, blanked out before an exact count. Possessive and with an optional closing quote,
so it runs in linear time: the plain pattern backtracked quadratically on ``"\\"\\"\\...`` (40,000
characters took 80 s). An unclosed string runs to the end, as far as the decoder would read it."""


class _DuplicateKeyObject(dict):  # type: ignore[type-arg]
    """An object in which a key appeared twice; ``duplicate`` is that key."""

    duplicate = ""


def parse_json(raw: bytes | str, *, error: ErrorFactory, path_error: Callable[[str, str], FileFormatError]) -> object:
    """Parse JSON text after checking, on the text, that the document it builds stays small.

    NaN and Infinity are refused; a key given twice in one object is refused with the object's path
    (``path_error(problem, json_path)``); the nesting depth and the number of objects, lists and
    values are bounded before the decoder allocates anything.
    """
    data = raw.encode("utf-8", errors="surrogatepass") if isinstance(raw, str) else raw
    check_json_budget(data, error)
    found: list[_DuplicateKeyObject] = []

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result = dict(pairs)
        if len(result) != len(pairs):
            marked = _DuplicateKeyObject(result)
            seen: set[str] = set()
            marked.duplicate = next(key for key, _value in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
            found.append(marked)
            return marked
        return result

    try:
        document = json.loads(raw, parse_constant=_reject_constant, object_pairs_hook=pairs_hook)
    except RecursionError:
        raise error("JSON is nested too deeply") from None
    except ValueError as exc:
        raise error(f"not valid JSON ({cut(str(exc), 200)})") from None
    if found:
        path = _path_of(document, found[0])
        raise path_error(f"the key {quoted(found[0].duplicate)} appears twice in this object", path)
    return document


def read_json_file(path: Path, *, max_bytes: int, error_type: type[FileFormatError] = FileFormatError) -> object:
    """The JSON document of the file at ``path``: a regular file of at most ``max_bytes``, UTF-8 text,
    JSON within the budgets of ``parse_json``; any problem an ``error_type`` naming the file (and the
    JSON path, where there is one)."""
    raw = read_regular_file(path, max_bytes=max_bytes, error=lambda problem: error_type(problem, file=path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise error_type(f"not valid UTF-8 text (byte {error.start})", file=path) from None
    return parse_json(text, error=lambda problem: error_type(problem, file=path),
                      path_error=lambda problem, json_path: error_type(problem, json_path=json_path, file=path))


def check_json_budget(data: bytes, error: ErrorFactory) -> int:
    """Refuse JSON text whose nesting or number of containers and values is beyond the limits; the
    number of colons in the text (inside strings too), which a reader may want (``project_wire``
    counts the keys it decoded against it), counted in the same pass.

    Counting brackets and commas in the raw text is fast (C loops) and, when within the limits,
    conclusive (brackets inside strings only make the count larger). Over a limit, the strings are
    blanked out and the count made exact, so a legitimate file whose notes are full of brackets is
    not refused.
    """
    # one pass over the text, a block at a time (a whole-text translate first allocates a copy as
    # long as the text: 58 MB at the height of a 50,000-rack load); the counts run on a tenth of it
    structure = b"".join(data[start:start + _BUDGET_BLOCK_BYTES].translate(None, _NOT_STRUCTURE)
                         for start in range(0, len(data), _BUDGET_BLOCK_BYTES))
    if _over_budget(structure) is not None:
        problem = _over_budget(_STRING.sub(b'""', data).translate(None, _NOT_STRUCTURE))
        if problem is not None:
            raise error(problem)
    return structure.count(b":")


_BUDGET_BLOCK_BYTES = 1 << 20


def _over_budget(structure: bytes) -> str | None:
    """The problem of the text whose structural characters (brackets, commas, colons) are ``structure``."""
    opens = structure.count(b"[") + structure.count(b"{")
    if opens > MAX_CONTAINERS:
        return f"has more than {MAX_CONTAINERS:,} objects and lists"
    if structure.count(b",") > MAX_VALUES:
        return f"has more than {MAX_VALUES:,} values"
    closes = structure.count(b"]") + structure.count(b"}")
    if closes > MAX_CONTAINERS:
        return f"has more than {MAX_CONTAINERS:,} closing brackets"
    brackets = np.frombuffer(structure.translate(None, b",:"), dtype=np.uint8)
    if brackets.size == 0:
        return None
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1).astype(np.int32)
    depth = int(np.cumsum(steps).max())
    if depth > MAX_DEPTH:
        return f"JSON is nested too deeply (more than {MAX_DEPTH} levels)"
    return None


def _path_of(document: object, target: object) -> str:
    """The JSON path of the container ``target`` inside ``document`` (iterative: JSON nests deep)."""
    stack: list[tuple[object, str]] = [(document, "$")]
    while stack:
        value, path = stack.pop()
        if value is target:
            return path
        if isinstance(value, dict):
            stack.extend((child, f"{path}.{cut(key, 60)}") for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, f"{path}[{index}]") for index, child in enumerate(value))
    return "$"


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed")


# ====================================================================== message text
def cut(text: str, limit: int = 80) -> str:
    """``text`` cut to about ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    keep = max(limit - 30, 10)
    return f"{text[:keep]}... ({len(text):,} characters)"


def quoted(value: object, limit: int = 80) -> str:
    """``repr(value)`` for a message, cut when long: a million-character key must not make a 1 MB line."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[: max(limit - 30, 10)]) + f"... ({len(value):,} characters)"
    return cut(repr(value), limit + 30)


def is_plain_id(text: str) -> bool:
    """True when ``text`` has no control, format or separator characters (newlines, bidi overrides,
    zero-width spaces) that could fake lines or reorder text in ``info`` and ``analyze`` output.
    The ASCII space is allowed; ``str.isprintable`` is exactly this test, in C."""
    return text.isprintable()
