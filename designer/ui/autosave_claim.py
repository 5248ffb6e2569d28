"""Exclusive claims on autosaves, so two app instances never restore (and then delete) the same one.

A claim is a lock on ``<name>.lock`` beside the autosave (``flock`` on POSIX, ``msvcrt.locking`` on
Windows), held for as long as the instance owns the autosave: from the moment the user picks it for
restoring until it is saved, discarded or the instance ends. The operating system drops the lock
when the process dies, so a crashed instance never leaves an autosave claimed.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"


def _try_lock(handle: int) -> bool:
    """Take the exclusive lock of an open lock file without waiting; False when someone holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class AutosaveClaim:
    """A held claim on the autosave ``name`` in ``folder``; ``release()`` gives it up (idempotent)."""

    def __init__(self, folder: Path, name: str, handle: int) -> None:
        self.folder = folder
        self.name = name
        self._handle: int | None = handle

    @property
    def lock_path(self) -> Path:
        return lock_path(self.folder, self.name)

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self, *, remove: bool = True) -> None:
        """Give the claim up; with ``remove`` the lock file goes too (the autosave is gone or saved)."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        os.close(handle)  # closing drops the lock (and Windows cannot remove an open file)
        if remove:
            try:
                self.lock_path.unlink(missing_ok=True)
            except OSError as error:
                log.warning("cannot remove autosave lock %s: %s", self.lock_path, error)


def lock_path(folder: Path, name: str) -> Path:
    return folder / (name + LOCK_SUFFIX)


def claim(folder: Path, name: str) -> AutosaveClaim | None:
    """Claim the autosave ``name``; None when another live instance holds it."""
    path = lock_path(folder, name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as error:
        log.warning("cannot claim autosave %s: %s", path, error)
        return None
    if not _try_lock(handle) and _holder_pid(path) != os.getpid():
        os.close(handle)
        return None
    # (held by this very process: the app has one window per process, so only tests get here,
    # standing in for a restart; the claim is ours already)
    try:
        os.lseek(handle, 0, os.SEEK_SET)
        os.write(handle, str(os.getpid()).encode("ascii").ljust(12))
    except OSError:
        pass  # the lock is what counts; the pid inside is for people reading the folder
    return AutosaveClaim(folder, name, handle)


def is_claimed_elsewhere(folder: Path, name: str) -> bool:
    """True when another live instance holds the autosave ``name`` (probing takes no lasting claim)."""
    path = lock_path(folder, name)
    if not path.exists():
        return False
    if _holder_pid(path) == os.getpid():
        return False  # ours (another window of this process, or a test standing in for a second instance)
    try:
        handle = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        return not _try_lock(handle)
    finally:
        os.close(handle)  # closing drops the probe's lock


def _holder_pid(path: Path) -> int | None:
    try:
        text = path.read_bytes()[:20].decode("ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
