"""The Debian ``Depends:`` of a frozen build: ``python3 deb_depends.py packaging/dist/dc-designer``.

Standard library only. Reads the NEEDED entries of every ELF file in the folder (``readelf -d``);
a library the folder itself holds (the bootloader puts ``_internal`` first on the search path) needs
nothing, any other is looked up with ``ldconfig -p`` and ``dpkg -S`` on the build machine, giving the
package that provides it. ``libc6`` gets the highest ``GLIBC_x.y`` symbol version the files use.
Exit 1, naming the files, when a library cannot be found or belongs to no package: the build
machine lacks it, so the package would not know what to depend on.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[(.+?)\]")
GLIBC = re.compile(r"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?")
ALWAYS_THERE = {"ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "linux-vdso.so.1"}


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def needed(path: Path) -> list[str]:
    text = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=False).stdout
    return NEEDED.findall(text)


def glibc_version(path: Path) -> tuple[int, ...]:
    text = subprocess.run(["readelf", "-V", str(path)], capture_output=True, text=True, check=False).stdout
    versions = [tuple(int(part) for part in match if part) for match in GLIBC.findall(text)]
    return max(versions, default=(0,))


def system_libraries() -> dict[str, list[str]]:
    """soname -> paths, from the dynamic linker's cache (this machine's architecture first)."""
    text = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    found: dict[str, list[str]] = {}
    for line in text.splitlines()[1:]:
        name, _, path = line.strip().partition(" => ")
        found.setdefault(name.split(" (")[0], []).append(path)
    return found


def owning_package(path: str) -> str | None:
    candidates = [path, str(Path(path).resolve())]
    for prefix in ("/lib/", "/lib64/"):  # merged /usr: dpkg may know either spelling
        if path.startswith(prefix):
            candidates.append("/usr" + path)
        elif path.startswith("/usr" + prefix):
            candidates.append(path[len("/usr") :])
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if result.returncode == 0 and result.stdout:
            package = result.stdout.splitlines()[0].split(":")[0].split(",")[0].strip()
            if package:
                return package
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: deb_depends.py FROZEN_FOLDER", file=sys.stderr)
        return 2
    folder = Path(args[0])
    files = elf_files(folder)
    bundled = {path.name for path in folder.rglob("*")}
    users: dict[str, list[Path]] = {}
    glibc: tuple[int, ...] = (0,)
    for path in files:
        glibc = max(glibc, glibc_version(path))
        for name in needed(path):
            if name not in bundled and name not in ALWAYS_THERE:
                users.setdefault(name, []).append(path)
    cache = system_libraries()
    packages: set[str] = set()
    problems = []
    for name, paths in sorted(users.items()):
        where = ", ".join(str(p.relative_to(folder)) for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
        locations = cache.get(name)
        if not locations:
            problems.append(f"{name} (needed by {where}) is not installed on this machine")
            continue
        package = owning_package(locations[0])
        if package is None:
            problems.append(f"{name} at {locations[0]} (needed by {where}) belongs to no Debian package")
            continue
        packages.add(package)
    if problems:
        print("deb_depends: cannot work out the dependencies:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    depends = sorted(packages - {"libc6"})
    libc = "libc6" + (f" (>= {'.'.join(str(part) for part in glibc)})" if glibc > (0,) else "")
    print(", ".join([libc, *depends]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
