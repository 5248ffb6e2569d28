"""Is a screenshot a picture of something? ``python3 check_png.py shot.png [--min-size 800x500]``.

Standard library only (the smoke test runs it next to a frozen build, without the build's Python).
Reads an 8-bit, non-interlaced PNG (grey, RGB, grey+alpha or RGBA, as Qt writes them) and fails
(exit 1) when it is smaller than ``--min-size``, when one colour covers more than ``--max-dominant``
of it or when it has fewer than ``--min-colours`` distinct colours: a blank, black or
single-colour window. Exit 2 for a file it cannot read. Prints one line of figures either way.
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from collections import Counter
from pathlib import Path

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


class PngError(Exception):
    pass


def read_png(path: Path) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows of raw pixel bytes)."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise PngError(f"{path}: not a PNG file")
    pos, header, idat = 8, None, []
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise PngError(f"{path}: no IHDR chunk")
    width, height, depth, colour, _compression, _filter, interlace = header
    if depth != 8 or colour not in CHANNELS or interlace != 0:
        raise PngError(f"{path}: depth {depth}, colour type {colour}, interlace {interlace} not supported")
    bpp = CHANNELS[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise PngError(f"{path}: {len(raw)} bytes of pixels, expected {height * (stride + 1)}")
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        _unfilter(kind, line, previous, bpp, path, y)
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


def _unfilter(kind: int, line: bytearray, previous: bytearray, bpp: int, path: Path, y: int) -> None:
    if kind == 0:
        return
    if kind == 2:
        for i in range(len(line)):
            line[i] = (line[i] + previous[i]) & 0xFF
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            up, up_left = previous[i], previous[i - bpp] if i >= bpp else 0
            estimate = left + up - up_left
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
            predictor = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
            line[i] = (line[i] + predictor) & 0xFF
        else:
            raise PngError(f"{path}: row {y} has unknown filter type {kind}")


def colour_counts(width: int, bpp: int, rows: list[bytes]) -> Counter[bytes]:
    counts: Counter[bytes] = Counter()
    for row in rows:
        counts.update(row[x : x + bpp] for x in range(0, width * bpp, bpp))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fail on a blank or tiny screenshot.")
    parser.add_argument("png", type=Path)
    parser.add_argument("--min-size", default="800x500", help="WIDTHxHEIGHT in pixels (default 800x500)")
    parser.add_argument("--min-colours", type=int, default=64, help="distinct colours at least (default 64)")
    parser.add_argument("--max-dominant", type=float, default=0.8, help="largest share of one colour (default 0.8)")
    options = parser.parse_args(argv)
    try:
        min_width, min_height = (int(part) for part in options.min_size.lower().split("x"))
    except ValueError:
        print(f"check_png: --min-size {options.min_size!r} is not WIDTHxHEIGHT", file=sys.stderr)
        return 2
    try:
        width, height, bpp, rows = read_png(options.png)
    except (OSError, PngError, zlib.error) as error:
        print(f"check_png: {error}", file=sys.stderr)
        return 2
    counts = colour_counts(width, bpp, rows)
    dominant = counts.most_common(1)[0][1] / (width * height) if width and height else 1.0
    figures = f"{width} x {height} px, {len(counts)} colours, the commonest covers {dominant:.0%}"
    problems = []
    if width < min_width or height < min_height:
        problems.append(f"smaller than {min_width} x {min_height}")
    if len(counts) < options.min_colours:
        problems.append(f"fewer than {options.min_colours} colours")
    if dominant > options.max_dominant:
        problems.append(f"one colour covers more than {options.max_dominant:.0%}")
    if problems:
        print(f"check_png: {options.png}: blank or too small ({'; '.join(problems)}): {figures}")
        return 1
    print(f"check_png: {options.png}: {figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
