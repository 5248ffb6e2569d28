"""The options a project lists (``metadata.options``): their files, resolved beside the project."""

from __future__ import annotations

from pathlib import Path

from designer.io.errors import FileFormatError
from designer.io.project_file import option_file_problem
from designer.model.project import Project


def option_path(project_path: Path, file: str) -> Path:
    """Where an option's file is: relative to the project's folder, and still inside it once resolved
    (a symlink out of the folder is refused like a '..'); a FileFormatError naming the project if not."""
    problem = option_file_problem(file)
    if problem is not None:
        raise FileFormatError(f"option file {file!r} {problem}", file=project_path)
    folder = project_path.resolve().parent
    path = (folder / file).resolve()
    if not path.is_relative_to(folder):
        raise FileFormatError(f"option file {file!r} leads out of the project's folder", file=project_path)
    return path


def listed_options(project: Project, project_path: Path) -> list[tuple[str, Path]]:
    """(name, file) of every option the project lists, in its order."""
    return [(option.name, option_path(project_path, option.file)) for option in project.metadata.options]
