"""Atomic file replacement: the file at a path is always the old or the new complete file.

Serialise to memory, write a temp file in the same folder, flush + fsync, keep the previous file as
``<name>.bak`` (fsynced too), then ``os.replace``. A symlink is followed and the real file replaced
(replacing the link would leave the real file old); anything that is not a regular file (a device,
``/dev/stdout``, a pipe, a folder) is refused, never replaced. Temp files are named after the target
and the writing process, so the next save removes the ones a killed process left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from designer.io.safe_read import file_kind

STALE_TEMP_S = 3600.0
"""A temp file of ours this old is a leftover whatever its process (no save takes an hour)."""
DEAD_WRITER_GRACE_S = 120.0
"""A temp file whose process is gone is removed once it is this old: on a shared network folder the
pid may belong to another machine whose save is still running."""


class NotARegularFileError(OSError):
    """The target of a write exists and is not a regular file: it is left alone."""


def atomic_write_bytes(path: Path, data: bytes | Sequence[bytes], *, keep_backup: bool = True) -> None:
    """Replace the file at ``path`` (the real file behind any symlink) with ``data`` (or its pieces, one
    after the other), atomically."""
    target = writable_target(Path(path))
    folder = target.parent
    try:  # mkstemp makes 0600 files: give the new file the old one's permissions (or the umask's)
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_UMASK
    remove_stale_temps(target)
    handle, temp_name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=folder)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                stream.writelines(data)
            stream.flush()
            os.fsync(stream.fileno())
        if keep_backup and target.exists():
            _write_backup(target)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def writable_target(path: Path) -> Path:
    """The real file a write to ``path`` must replace; NotARegularFileError when it is not a regular file."""
    try:
        info = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise NotARegularFileError(f"{path} is {file_kind(info.st_mode)}, not a regular file: it is not replaced")
    real = Path(os.path.realpath(path))
    for place in (Path(os.path.abspath(path)), real):
        if place.parts[:2] in _SYSTEM_FOLDERS:  # /dev/stdout may lead to whatever stdout is (a file too)
            raise NotARegularFileError(f"{path} is a device or process file, not a regular file: it is not replaced")
    return real


_SYSTEM_FOLDERS = {("/", "dev"), ("/", "proc")}
"""Never replace anything under these, whatever it resolves to."""


def _write_backup(target: Path) -> None:
    """Copy ``target`` to ``<name>.bak`` through an fsynced temp file; a failure leaves no partial temp."""
    backup = target.with_name(target.name + ".bak")
    remove_stale_temps(backup)
    handle, temp_name = tempfile.mkstemp(prefix=_temp_prefix(backup), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream, target.open("rb") as source:
            shutil.copyfileobj(source, stream, 1024 * 1024)
            stream.flush()
            os.fsync(stream.fileno())
        shutil.copystat(target, temp_name)
        os.replace(temp_name, backup)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.p{os.getpid()}-"


_TEMP_PATTERN = re.compile(r"p(\d+)-[A-Za-z0-9_]*\.tmp")
_OLD_TEMP = re.compile(r"(?:[A-Za-z0-9_]{8}\.)?tmp")
"""Names of earlier versions: ``.<name>.<8 random>.tmp`` and the backup's ``.<name>.bak.tmp``."""


def remove_stale_temps(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove temp files of ours for ``target`` left by a process that is gone (or older than an hour).

    Only names this module makes are touched: ``.<name>.p<pid>-<random>.tmp`` (and the older
    ``.<name>.<random>.tmp`` / ``.<name>.tmp`` forms once they are an hour old). Returns what was removed.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    prefix = f".{target.name}."
    try:
        candidates = [p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return removed
    for candidate in candidates:
        rest = candidate.name[len(prefix) :]
        match = _TEMP_PATTERN.fullmatch(rest)
        try:
            info = candidate.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            age_s = now - info.st_mtime
            old = age_s > STALE_TEMP_S
            if match is not None:
                pid = int(match.group(1))
                stale = old or (age_s > DEAD_WRITER_GRACE_S and pid != os.getpid() and not _pid_alive(pid))
            else:
                stale = old and _OLD_TEMP.fullmatch(rest) is not None
            if stale:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed


def _pid_alive(pid: int) -> bool:
    if pid <= 0 or os.name != "posix":
        return True  # cannot tell: only the age decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _read_umask() -> int:
    """The process umask, read once at import (reading it means setting it, which is not thread-safe)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


_UMASK = _read_umask()


def write_export(path: Path, data: bytes, what: str) -> None:
    """Write an export atomically (no backup); a failure raises OSError naming ``what`` and the path."""
    try:
        atomic_write_bytes(Path(path), data, keep_backup=False)
    except NotARegularFileError:
        raise
    except OSError as exc:
        raise OSError(f"cannot write the {what} {path}: {exc.strerror or exc}") from exc


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
