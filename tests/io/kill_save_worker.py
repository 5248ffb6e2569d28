"""Helper for test_save_killed.py: saves a large project to one path over and over until it is killed.

    python kill_save_worker.py PATH LOG FIRST_ROUND

Each round edits the project (revision, notes of varying length, a few items moved), appends
``<round> <sha256 of the file text>`` to LOG (flushed) and only then saves, so the test knows
every complete file that can be at PATH. Prints ``ready`` once the project is loaded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from pathlib import Path

from designer.io.catalog_io import load_catalog
from designer.io.project_file import atomic_write_bytes, load_project, project_to_text


def main(argv: list[str]) -> int:
    path, log_path, first_round = Path(argv[0]), Path(argv[1]), int(argv[2])
    catalog = load_catalog(include_user=False)
    project = load_project(path, catalog)
    movable = sorted(project.items)[:200]
    print("ready", flush=True)
    with log_path.open("a", encoding="utf-8") as log:
        round_number = first_round
        while True:
            project.set_metadata(
                dataclasses.replace(
                    project.metadata, revision=f"round-{round_number}", notes="n" * (round_number % 5) * 20_000
                )
            )
            step_mm = 10.0 if round_number % 2 else -10.0
            project.move_items(
                {i: (project.items[i].x_mm + step_mm, project.items[i].y_mm) for i in movable}
            )
            data = project_to_text(project).encode("utf-8")
            log.write(f"{round_number} {hashlib.sha256(data).hexdigest()}\n")
            log.flush()
            atomic_write_bytes(path, data)  # save_project's write half, without serialising twice
            round_number += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
