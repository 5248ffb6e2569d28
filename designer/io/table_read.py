"""Reading a spreadsheet table (CSV or XLSX) from an untrusted file: bounded, never evaluated, text as text.

A CSV is decoded from its byte-order mark (UTF-8, UTF-16 LE/BE) or as strict UTF-8, or in the
encoding the user names; a byte that does not decode is an error naming the file and the line. An
XLSX is read with openpyxl in read-only mode: formulas are returned as their text ("=SUM(A1:A3)"),
never computed, and cached results are not read. Both stop at ``MAX_TABLE_ROWS`` data rows with a
clear message, so a million-row file is refused in the time it takes to count that far.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from designer.io.errors import FileFormatError
from designer.io.safe_read import read_regular_file, size_text

MAX_TABLE_BYTES = 64 * 1024 * 1024
"""A CSV or XLSX file of placed items: 200,000 rows of 14 columns take about 20 MiB."""
MAX_TABLE_ROWS = 200_000
"""Data rows in one table (twice the largest campus the bench builds). Past this the file is refused."""
MAX_TABLE_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
"""The XML inside an XLSX (a zip): bounds a small file that unpacks to gigabytes."""
ENCODINGS = ("auto", "utf-8", "utf-16", "cp1252", "latin-1")
"""``auto``: the byte-order mark's encoding, else strict UTF-8."""
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class TableFileError(FileFormatError):
    """A CSV or XLSX file could not be read; ``json_path`` holds "line N" or "sheet S row N" when known."""


@dataclass(frozen=True, slots=True)
class Table:
    """A header and its data rows; each row keeps its line (CSV) or row (XLSX) number for messages."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str | float, ...]], ...]
    encoding: str = ""
    """The encoding a CSV was read in ("" for XLSX)."""
    sheet: str = ""


def read_table(
    path: Path, *, encoding: str = "auto", sheet: str | None = None, max_rows: int = MAX_TABLE_ROWS
) -> Table:
    """The first row of ``path`` as the header and the rows below it (blank rows left out)."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(path, sheet, max_rows)
    raw = read_regular_file(
        path, max_bytes=MAX_TABLE_BYTES, error=lambda problem: TableFileError(problem, file=path)
    )
    return read_csv_bytes(raw, file=str(path), encoding=encoding, max_rows=max_rows)


# ====================================================================== CSV
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_csv_bytes(raw: bytes, *, file: str, encoding: str = "auto", max_rows: int = MAX_TABLE_ROWS) -> Table:
    """A CSV table from its bytes (see :func:`read_table`)."""
    if encoding not in ENCODINGS:
        raise TableFileError(f"unknown encoding {encoding!r} (choose one of {', '.join(ENCODINGS)})", file=file)
    text, used = _decode(raw, file, encoding)
    sample = text[:65_536]
    try:
        delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str | float, ...]]] = []
    line = 1
    try:
        for record in reader:
            number = line
            line = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > MAX_TABLE_COLUMNS:
                raise TableFileError(
                    f"has {len(record):,} columns, more than the limit of {MAX_TABLE_COLUMNS}",
                    json_path=f"line {number}", file=file)  # fmt: skip
            long_cell = next((cell for cell in record if len(cell) > MAX_CELL_CHARS), None)
            if long_cell is not None:
                raise TableFileError(
                    f"a cell of {len(long_cell):,} characters (the limit is {MAX_CELL_CHARS:,})",
                    json_path=f"line {number}", file=file)  # fmt: skip
            if header is None:
                header = tuple(cell.strip() for cell in record)
                continue
            if len(rows) >= max_rows:
                raise TableFileError(
                    f"has more than {max_rows:,} data rows, the limit of one import; split the file",
                    json_path=f"line {number}", file=file)  # fmt: skip
            rows.append((number, tuple(record)))
    except csv.Error as error:
        raise TableFileError(f"not a readable CSV table ({error})", json_path=f"line {line}", file=file) from None
    if header is None:
        raise TableFileError("the file is empty (no header row)", file=file)
    return Table(file, header, tuple(rows), encoding=used)


def _decode(raw: bytes, file: str, encoding: str) -> tuple[str, str]:
    chosen = encoding
    if encoding == "auto":
        chosen = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8")
    elif encoding == "utf-8":
        chosen = "utf-8-sig"
    try:
        text = raw.decode(chosen)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        hint = ""
        if encoding == "auto" and b"\x00" in raw[:4096]:
            hint = "; it looks like UTF-16 without a byte-order mark: choose the encoding utf-16"
        elif encoding == "auto":
            hint = "; if it was saved by a spreadsheet in a Western European code page, choose the encoding cp1252"
        raise TableFileError(
            f"byte 0x{raw[error.start]:02x} at offset {error.start:,} is not valid {_encoding_name(chosen)}{hint}",
            json_path=f"line {line}", file=file,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableFileError(
            f"contains a NUL character: not {_encoding_name(chosen)} text (try the encoding utf-16)",
            json_path=f"line {line}", file=file)  # fmt: skip
    return text, _encoding_name(chosen)


def _encoding_name(codec: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16"}.get(codec, codec)


# ====================================================================== XLSX
def _read_xlsx(path: Path, sheet: str | None, max_rows: int) -> Table:
    raw = read_regular_file(path, max_bytes=MAX_TABLE_BYTES, error=lambda problem: TableFileError(problem, file=path))
    stream = io.BytesIO(raw)
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableFileError("not an XLSX workbook (not a zip archive)", file=path) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TableFileError(
            f"unpacks to {size_text(unpacked)}, more than the limit of {size_text(MAX_XLSX_UNPACKED_BYTES)}", file=path
        )
    from openpyxl import load_workbook

    stream.seek(0)
    try:
        # data_only=False: a formula cell gives its formula text; nothing is computed or taken from a cache
        workbook = load_workbook(stream, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, zip, XML) for a broken workbook
        raise TableFileError(f"not a readable XLSX workbook ({type(error).__name__}: {error})", file=path) from None
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise TableFileError(f"has no sheet {sheet!r} (sheets: {', '.join(names)})", file=path)
        chosen = sheet or ("Items" if "Items" in names else names[0])
        header: tuple[str, ...] | None = None
        rows: list[tuple[int, tuple[str | float, ...]]] = []
        worksheet = workbook[chosen]
        declared = _declared_rows(worksheet)
        if declared is not None and declared > max_rows + 1:  # refused before reading: the file says so itself
            raise TableFileError(
                f"sheet {chosen!r} has {declared - 1:,} data rows (its dimension), more than {max_rows:,}, the limit"
                " of one import; split the file", file=path)  # fmt: skip
        try:
            for number, values in enumerate(_sheet_rows(worksheet), start=1):
                where = f"sheet {chosen} row {number}"
                if not any(value != "" for value in values):
                    continue
                if len(values) > MAX_TABLE_COLUMNS:
                    values = values[:MAX_TABLE_COLUMNS] if not any(values[MAX_TABLE_COLUMNS:]) else values
                    if len(values) > MAX_TABLE_COLUMNS:
                        raise TableFileError(f"more than {MAX_TABLE_COLUMNS} columns", json_path=where, file=path)
                if header is None:
                    header = tuple(str(value).strip() for value in values)
                    continue
                if len(rows) >= max_rows:
                    raise TableFileError(
                        f"has more than {max_rows:,} data rows, the limit of one import; split the file",
                        json_path=where, file=path)  # fmt: skip
                rows.append((number, values))
        except TableFileError:
            raise
        except Exception as error:
            raise TableFileError(
                f"cannot read sheet {chosen!r} ({type(error).__name__}: {error})", file=path) from None  # fmt: skip
    finally:
        workbook.close()
    if header is None:
        raise TableFileError(f"sheet {chosen!r} is empty (no header row)", file=path)
    return Table(str(path), header, tuple(rows), sheet=chosen)


def _declared_rows(worksheet: object) -> int | None:
    """The row count a read-only sheet declares in its ``<dimension>`` (None when it declares none)."""
    try:
        value = worksheet.max_row  # type: ignore[attr-defined]
    except Exception:  # a hostile dimension: the streaming limit still applies
        return None
    return value if isinstance(value, int) and value > 0 else None


def _sheet_rows(worksheet: object) -> Iterator[tuple[str | float, ...]]:
    """Each row's values: numbers as floats, everything else (formulas, dates, booleans) as text."""
    for row in worksheet.iter_rows(values_only=True):  # type: ignore[attr-defined]
        values: list[str | float] = []
        for value in row:
            if value is None:
                values.append("")
            elif isinstance(value, bool):
                values.append(str(value).upper())
            elif isinstance(value, int | float):
                values.append(float(value))
            else:
                text = str(value)
                if len(text) > MAX_CELL_CHARS:
                    raise ValueError(f"a cell of {len(text):,} characters (the limit is {MAX_CELL_CHARS:,})")
                values.append(text)
        while values and values[-1] == "":
            values.pop()
        yield tuple(values)
