"""Saves killed at random moments (SIGKILL) leave the old or a new complete file, never half of one.

A worker process (``kill_save_worker.py``) saves the modular campus example to one path in a loop,
editing it each round and logging the SHA-256 of every file it is about to write. The test kills it
at a random moment, then checks that the file at the path loads and is exactly the save before the
one in flight or the one in flight; the ``.bak`` is a complete earlier save too. Stray ``.tmp``
files may remain. Default: 15 kills; ``pytest --long``: 200.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project, save_project
from designer.io.resources import examples_dir
from designer.model import Catalog

if sys.platform == "win32":  # pragma: no cover - SIGKILL is POSIX
    pytest.skip("SIGKILL is POSIX-only", allow_module_level=True)

WORKER = Path(__file__).with_name("kill_save_worker.py")
REPO_ROOT = Path(__file__).resolve().parents[2]
KILL_WINDOW_S = 0.6
"""Kill moments are spread over this window after the worker is ready: a few saves' worth."""

SAVE_WINDOW_S = 0.03
"""About how long writing, fsyncing and replacing the 1.2 MB file takes here."""


def wait_for_growth(log: Path, size: int, timeout_s: float) -> None:
    """Return as soon as the worker logs its next round (it writes the file right after)."""
    deadline = time.monotonic() + timeout_s
    while log.stat().st_size == size and time.monotonic() < deadline:
        time.sleep(0.0005)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def logged_rounds(log: Path) -> list[tuple[int, str]]:
    """(round, digest) of every complete line; a line cut by the kill is ignored (its save never began)."""
    rounds = []
    for line in log.read_text(encoding="utf-8").splitlines(keepends=True):
        parts = line.split()
        if line.endswith("\n") and len(parts) == 2 and len(parts[1]) == 64:
            rounds.append((int(parts[0]), parts[1]))
    return rounds


def start_worker(path: Path, log: Path, first_round: int) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]))
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(path), str(log), str(first_round)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert worker.stdout is not None
    line = worker.stdout.readline()
    if line.strip() != "ready":
        worker.kill()
        _, errors = worker.communicate(timeout=30)
        pytest.fail(f"the save worker did not start: {line!r} {errors[-2000:]}")
    return worker


def test_killed_saves_leave_a_complete_file(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    is_long = bool(request.config.getoption("--long"))
    kills = 200 if is_long else 15
    rng = random.Random(None if is_long else 20261126)
    catalog = load_catalog(include_user=False)
    path = tmp_path / "campus.dcplan"
    path.write_bytes((examples_dir() / "modular_campus.dcplan").read_bytes())
    log = tmp_path / "saves.log"
    log.touch()

    on_disk = sha256(path.read_bytes())
    known = {on_disk}  # every complete file the worker has written (the .bak is one of them)
    next_round = 1
    mid_save = 0
    seen_strays: set[str] = set()
    for kill in range(kills):
        worker = start_worker(path, log, next_round)
        time.sleep(rng.uniform(0.0, KILL_WINDOW_S))
        if kill % 2:  # aim every other kill at the write itself: just after a save begins
            wait_for_growth(log, log.stat().st_size, timeout_s=5.0)
            time.sleep(rng.uniform(0.0, SAVE_WINDOW_S))
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)
        assert worker.returncode == -signal.SIGKILL, f"the worker ended by itself (kill {kill})"

        session = [digest for round_number, digest in logged_rounds(log) if round_number >= next_round]
        next_round += len(session)
        known.update(session)
        # Every logged save but the last completed; the last was in flight when the kill came.
        allowed = ([on_disk, *session])[-2:]
        on_disk = sha256(path.read_bytes())
        assert on_disk in allowed, f"kill {kill}: the file is neither the last complete save nor the one in flight"
        load_project(path, catalog)
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            assert sha256(backup.read_bytes()) in known, f"kill {kill}: the backup is not a complete save"
        # What a crash leaves behind stays: the next saves must not trip over it.
        strays = {p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")}
        mid_save += bool(strays - seen_strays)
        seen_strays |= strays
    assert next_round > kills // 2, "the worker hardly ever saved: the kills did not hit saves"
    print(f"{kills} kills, {next_round - 1} saves started, {mid_save} kills left a temp file behind")


def test_save_keeps_the_file_permissions(tmp_path: Path, small_project: object, small_catalog: Catalog) -> None:
    """Replacing the file by a fresh temp file must not make a shared project private (mkstemp is 0600)."""
    path = tmp_path / "shared.dcplan"
    save_project(small_project, path)  # type: ignore[arg-type]
    os.chmod(path, 0o664)
    save_project(small_project, path)  # type: ignore[arg-type]
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    load_project(path, small_catalog)
