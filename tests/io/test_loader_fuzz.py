"""Fuzzing the project loader: whatever the bytes, it ends in a Project or a ProjectFileError, nothing else.

Two families of input: hypothesis-generated JSON values placed into project-shaped documents (as a
new top-level field, or in place of any value of a real document), and mutated copies of the
bundled examples (deleted keys, swapped types, absurd numbers, raw NaN/Infinity, deep nesting, long
strings, broken UTF-8, truncation, flipped bytes). A project that does load must also save and load
again, and ``info`` and ``analyze`` must run on it through the command line with a documented exit
code (0 or 1; never 3, an unexpected error, and never a traceback). The default run is short and
repeatable (``derandomize``); ``pytest --long`` runs thousands.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.cli import EXIT_FINDINGS, EXIT_OK, main
from designer.io.catalog_io import load_catalog
from designer.io.errors import ProjectFileError
from designer.io.project_file import (
    MAX_PROJECT_BYTES,
    TOP_FIELDS,
    load_project,
    project_from_text,
    project_to_text,
)
from designer.io.resources import examples_dir
from designer.model import Catalog, Project

pytestmark = pytest.mark.timeout(3600)
"""``--long`` runs thousands of mutations of the large examples, each accepted one through ``info``
and ``analyze`` as well: far beyond the suite's 600 s per test on a shared machine."""

GOLDEN_FILE = Path(__file__).resolve().parents[1] / "golden" / "schema-v1.dcplan"
SMALL_EXAMPLES = ("retrofit",)  # fast enough (~10 ms a load) for the default run
ALL_EXAMPLES = ("retrofit", "ai_hall", "modular_campus")

JsonPath = tuple[str | int, ...]


# ====================================================================== the property under test
def load_or_refuse(raw: bytes | str, catalog: Catalog) -> Project | None:
    """Load ``raw``; a ProjectFileError is a fine answer, any other exception fails the test.

    A project that loads must also serialise, encode as UTF-8 and load again: a file the app can
    open but not save is a trap for the user.
    """
    try:
        project = project_from_text(raw, catalog)
    except ProjectFileError:
        return None
    except Exception as error:  # the point of the test: nothing else may escape
        pytest.fail(f"{type(error).__name__} escaped the loader: {error!r}"[:2000])
    try:
        text = project_to_text(project)
        again = project_from_text(text.encode("utf-8"), catalog)
    except Exception as error:
        pytest.fail(f"a loaded project does not save and load again: {type(error).__name__}: {error!r}"[:2000])
    assert again.state() == project.state()
    run_commands_on(text)
    return project


def run_commands_on(text: str) -> None:
    """``info`` and ``analyze`` of an accepted file: exit 0 or 1 as documented, one line on stderr at most.

    A value that passed the loader and then crashed ``analyze`` (an unknown air class, a COP of 0)
    exited 1, the code of "error findings"; the CLI now exits 3 on an unexpected error, which fails here.
    """
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        path = f"{folder}/accepted.dcplan"
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text)
        for command, allowed in ((["info", path], {EXIT_OK}), (["analyze", path, "--json"], {EXIT_OK, EXIT_FINDINGS})):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(command)
            if code not in allowed or "Traceback" in err.getvalue():
                pytest.fail(f"{command[0]} of an accepted file exited {code}: {err.getvalue()[:2000]}")
            if command[0] == "analyze":
                json.loads(out.getvalue(), parse_constant=_no_constant)  # strict JSON: no NaN leaks


def _no_constant(name: str) -> object:
    raise AssertionError(f"analyze --json printed {name}")


def fuzz_settings(request: pytest.FixtureRequest, default: int, long: int) -> settings:
    """Few, repeatable examples by default; many random ones with ``--long``."""
    is_long = bool(request.config.getoption("--long"))
    return settings(
        max_examples=long if is_long else default,
        deadline=None,
        derandomize=not is_long,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


# ====================================================================== raw JSON text
@dataclass(frozen=True)
class Raw:
    """A token written into the JSON text verbatim (NaN, 1e999, an absurd integer, deep nesting)."""

    text: str


def dump(value: object) -> str:
    """JSON text of ``value``, with Raw tokens written as they are and NaN/Infinity written raw."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)}: {dump(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(item) for item in value) + "]"
    return json.dumps(value, allow_nan=True)


def dump_replacing(document: dict[str, Any], path: JsonPath, value: object) -> str:
    """The document's text with the value at ``path`` replaced by ``value`` (which may hold Raw tokens)."""
    marker = "\u0000fuzz-marker\u0000"
    parent = get_at(document, path[:-1])
    original = parent[path[-1]]
    parent[path[-1]] = marker  # patched in place and restored: a deep copy of a large example is slow
    try:
        text = json.dumps(document)
    finally:
        parent[path[-1]] = original
    return text.replace(json.dumps(marker), dump(value), 1)


def dump_without(document: dict[str, Any], path: JsonPath) -> str:
    """The document's text with the key at ``path`` deleted."""
    parent = get_at(document, path[:-1])
    saved = list(parent.items())
    del parent[path[-1]]
    try:
        return json.dumps(document)
    finally:
        parent.clear()
        parent.update(saved)  # the original order, so later examples see the same document


RAW_TOKENS = [
    "NaN", "-NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999", "-0", "-0.0", "1E+308", "2e308",
    "123456789012345678901234567890", "-98765432109876543210987654321.5", "9" * 4400, "-" + "1" * 5000,
    "0.1e1", "1.7976931348623157e308", "4.9e-324", "00", "01", "+1", ".5", "1.", "0x10", "true1", "nul",
    "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"tab\\tline\\nbreak\"", "\"\\uffff\"",
]


def deep_nesting(depth: int, kind: str) -> Raw:
    if kind == "list":
        return Raw("[" * depth + "]" * depth)
    return Raw('{"a": ' * depth + "1" + "}" * depth)


# ====================================================================== hypothesis strategies
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
"""Every code point, lone surrogates and controls included."""

odd_text = st.text(alphabet=ANY_CHAR, max_size=30) | st.sampled_from(
    ["", " ", "\u200b", "\ufeff", "e\u0301", "\U0001f5a5\ufe0f", "\u202eabc", "a\u0000b", "rack-01", "hall-1",
     "A", "B", "single", "power", "cooling", "air", "liquid", "inference", "training", "rack", "dc-designer-project"]
)
long_text = st.builds(lambda char, count: char * count, ANY_CHAR, st.sampled_from([201, 10_001, 100_001, 1_000_000]))
huge_int = st.sampled_from([2**31, -(2**31), 2**53 + 1, 2**63, -(2**64), 10**30, -(10**30), 10**400, -(10**308)])
numbers = (
    st.integers(min_value=-(10**6), max_value=10**6)
    | huge_int
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0.0, -0.0, 1e-320, 5e-324, 1e12, 1e12 + 1, -1e12 - 1, 1e308, 359.9999999999999, -360.0])
)
raw_tokens = st.sampled_from(RAW_TOKENS).map(Raw) | st.builds(
    deep_nesting, st.sampled_from([10, 500, 990, 1_100, 5_000, 100_000]), st.sampled_from(["list", "object"])
)
scalars = st.none() | st.booleans() | numbers | odd_text | long_text | raw_tokens
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=6)
    | st.dictionaries(odd_text | st.sampled_from(sorted(TOP_FIELDS)), children, max_size=6),
    max_leaves=15,
)


# ====================================================================== documents and their paths
def read_document(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_bytes())
    assert isinstance(document, dict)
    return document


def all_paths(value: object, prefix: JsonPath = ()) -> list[JsonPath]:
    """Every path inside a parsed document (containers and leaves), the root excluded."""
    paths: list[JsonPath] = []
    children: list[tuple[str | int, object]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    for key, child in children:
        paths.append((*prefix, key))
        paths.extend(all_paths(child, (*prefix, key)))
    return paths


def get_at(document: object, path: JsonPath) -> Any:
    for key in path:
        document = document[key]  # type: ignore[index]
    return document


@dataclass
class Sample:
    name: str
    raw: bytes
    document: dict[str, Any]
    paths: list[JsonPath]
    dict_paths: list[JsonPath]  # paths whose parent is an object: keys that can be deleted
    number_paths: list[JsonPath]
    string_paths: list[JsonPath]


def make_sample(name: str, path: Path) -> Sample:
    raw = path.read_bytes()
    document = read_document(path)
    paths = all_paths(document)
    return Sample(
        name=name,
        raw=raw,
        document=document,
        paths=paths,
        dict_paths=[p for p in paths if isinstance(p[-1], str)],
        number_paths=[p for p in paths if type(get_at(document, p)) in (int, float)],
        string_paths=[p for p in paths if isinstance(get_at(document, p), str)],
    )


def draw_sample(data: st.DataObject, samples: list[Sample]) -> Sample:
    """A sample, drawn by name so that a failure report stays short."""
    by_name = {sample.name: sample for sample in samples}
    return by_name[data.draw(st.sampled_from(sorted(by_name)), label="sample")]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


@pytest.fixture(scope="module")
def samples(request: pytest.FixtureRequest) -> list[Sample]:
    """The golden file (it carries its own catalog entries) and the bundled examples the mode can afford."""
    names = ALL_EXAMPLES if request.config.getoption("--long") else SMALL_EXAMPLES
    found = [make_sample("golden-v1", GOLDEN_FILE)]
    found += [make_sample(name, examples_dir() / f"{name}.dcplan") for name in names]
    return found


def test_the_samples_load_unchanged(samples: list[Sample], catalog: Catalog) -> None:
    """The fuzz starts from valid files, so a refusal below is caused by the mutation."""
    for sample in samples:
        assert load_or_refuse(sample.raw, catalog) is not None, sample.name


# ====================================================================== (a) generated values
def test_generated_values_as_top_level_fields(request: pytest.FixtureRequest, catalog: Catalog) -> None:
    key = st.sampled_from(sorted(TOP_FIELDS - {"format", "schema_version"})) | odd_text

    @fuzz_settings(request, default=80, long=3000)
    @given(key=key, value=json_values, extra=st.dictionaries(key, json_values, max_size=3))
    def run(key: str, value: object, extra: dict[str, object]) -> None:
        document = {"format": Raw('"dc-designer-project"'), "schema_version": Raw("1"), **extra, key: value}
        load_or_refuse(dump(document), catalog)

    run()


def test_generated_values_in_place_of_any_field(
    request: pytest.FixtureRequest, samples: list[Sample], catalog: Catalog
) -> None:
    @fuzz_settings(request, default=120, long=3000)
    @given(data=st.data(), value=json_values)
    def run(data: st.DataObject, value: object) -> None:
        sample = draw_sample(data, samples)
        path = data.draw(st.sampled_from(sample.paths), label="path")
        load_or_refuse(dump_replacing(sample.document, path, value), catalog)

    run()


def test_generated_headers(request: pytest.FixtureRequest, catalog: Catalog) -> None:
    """The format and schema version themselves, and non-object top levels."""

    @fuzz_settings(request, default=30, long=1000)
    @given(fmt=json_values, version=json_values, top=json_values)
    def run(fmt: object, version: object, top: object) -> None:
        load_or_refuse(dump({"format": fmt, "schema_version": version, "items": []}), catalog)
        load_or_refuse(dump({"format": "dc-designer-project", "schema_version": version}), catalog)
        load_or_refuse(dump(top), catalog)

    run()


# ====================================================================== (b) mutated examples
SWAP_VALUES: list[object] = [None, True, False, 0, -1, 1.5, "", "x", "A", [], {}, [[]], [0, 0], {"id": "x"}]
ABSURD_NUMBERS: list[object] = [
    -1, -0.0, 0, 1e300, -1e300, 1e12 + 1, 10**30, 2**64, -(2**63), 10**400, 1e-310, 360, 361, -361, 2201, 1899,
    Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e999"), Raw("9" * 5000),
]


def mutate_document(data: st.DataObject, sample: Sample) -> str:
    """One structural mutation of a parsed example, as JSON text."""
    kind = data.draw(
        st.sampled_from(["delete", "swap", "number", "string", "nest", "duplicate", "reorder"]), label="kind"
    )
    document = sample.document
    if kind == "delete":
        return dump_without(document, data.draw(st.sampled_from(sample.dict_paths), label="path"))
    if kind == "swap":
        path = data.draw(st.sampled_from(sample.paths), label="path")
        return dump_replacing(document, path, data.draw(st.sampled_from(SWAP_VALUES), label="value"))
    if kind == "number":
        path = data.draw(st.sampled_from(sample.number_paths), label="path")
        return dump_replacing(document, path, data.draw(st.sampled_from(ABSURD_NUMBERS), label="value"))
    if kind == "string":
        path = data.draw(st.sampled_from(sample.string_paths), label="path")
        value = data.draw(long_text | odd_text | st.sampled_from(RAW_TOKENS[-5:]).map(Raw), label="value")
        return dump_replacing(document, path, value)
    if kind == "nest":
        path = data.draw(st.sampled_from(sample.paths), label="path")
        depth = data.draw(st.sampled_from([2, 50, 900, 1_000, 3_000, 50_000]), label="depth")
        return dump_replacing(document, path, deep_nesting(depth, data.draw(st.sampled_from(["list", "object"]))))
    lists = [p for p in sample.paths if isinstance(get_at(document, p), list) and get_at(document, p)]
    path = data.draw(st.sampled_from(lists), label="list")
    elements = get_at(document, path)
    if kind == "duplicate":  # duplicate ids, repeated years, repeated points
        index = data.draw(st.integers(0, len(elements) - 1), label="index")
        changed = list(elements)
        changed.insert(data.draw(st.integers(0, len(elements)), label="at"), elements[index])
    else:  # references to records defined later, reversed outlines
        changed = elements[::-1]
    return dump_replacing(document, path, Raw(json.dumps(changed)))


def test_mutated_documents(request: pytest.FixtureRequest, samples: list[Sample], catalog: Catalog) -> None:
    @fuzz_settings(request, default=250, long=3000)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        sample = draw_sample(data, samples)
        text = mutate_document(data, sample)
        if data.draw(st.booleans(), label="as bytes"):
            load_or_refuse(text.encode("utf-8", errors="surrogatepass"), catalog)
        else:
            load_or_refuse(text, catalog)

    run()


BROKEN_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3", b"\xc3(", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf",
               b"\x80", b"\xef\xbb\xbf", b"\x00", b"\xf0\x9f\x92"]


def test_mutated_bytes(request: pytest.FixtureRequest, samples: list[Sample], catalog: Catalog) -> None:
    @fuzz_settings(request, default=250, long=3000)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        sample = draw_sample(data, samples)
        raw = bytearray(sample.raw)
        kind = data.draw(st.sampled_from(["truncate", "flip", "utf8", "splice", "bom"]), label="kind")
        offset = data.draw(st.integers(0, len(raw)), label="offset")
        if kind == "truncate":
            del raw[offset:]
        elif kind == "flip":
            for _ in range(data.draw(st.integers(1, 8), label="flips")):
                at = data.draw(st.integers(0, len(raw) - 1), label="at")
                raw[at] ^= 1 << data.draw(st.integers(0, 7), label="bit")
        elif kind == "utf8":
            raw[offset:offset] = data.draw(st.sampled_from(BROKEN_UTF8), label="bytes")
        elif kind == "splice":  # a chunk of the file copied over another place
            length = data.draw(st.integers(1, 400), label="length")
            source = data.draw(st.integers(0, max(0, len(raw) - length)), label="source")
            raw[offset : offset + length] = raw[source : source + length]
        else:
            raw[0:0] = b"\xef\xbb\xbf"
        load_or_refuse(bytes(raw), catalog)

    run()


# ====================================================================== through the file system
def test_files_that_cannot_be_projects(tmp_path: Path, catalog: Catalog) -> None:
    """load_project itself: missing, a folder, empty, over the size limit (sparse), a bad byte."""
    cases: dict[str, Callable[[Path], None]] = {
        "missing": lambda p: None,
        "folder": lambda p: p.mkdir(),
        "empty": lambda p: p.write_bytes(b""),
        "whitespace": lambda p: p.write_bytes(b" \n\t"),
        "huge": lambda p: _sparse(p, MAX_PROJECT_BYTES + 1),
        "bad utf-8": lambda p: p.write_bytes(b'{"format": "dc-designer-project\xff"}'),
        "utf-16": lambda p: p.write_bytes(json.dumps({"format": "dc-designer-project"}).encode("utf-16")),
    }
    for name, make in cases.items():
        path = tmp_path / f"{name}.dcplan"
        make(path)
        with pytest.raises(ProjectFileError) as caught:
            load_project(path, catalog)
        assert str(path) in str(caught.value), name


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as stream:
        stream.truncate(size)


def test_truncated_files_through_load_project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, samples: list[Sample], catalog: Catalog
) -> None:
    folder = tmp_path_factory.mktemp("truncated")

    @fuzz_settings(request, default=40, long=500)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        sample = draw_sample(data, samples)
        cut = data.draw(st.integers(0, len(sample.raw) - 1), label="cut")
        path = folder / f"{sample.name}.dcplan"
        path.write_bytes(sample.raw[:cut])
        try:
            load_project(path, catalog)
        except ProjectFileError as error:
            assert error.file == str(path)
        except Exception as error:
            pytest.fail(f"{type(error).__name__} escaped load_project: {error!r}"[:2000])

    run()


# ====================================================================== what the fuzz found, pinned
@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("site", "latitude_deg"), Raw("1" + "0" * 400)),  # float() of it overflowed
        (("metadata", "title"), Raw('"\\ud800"')),  # loaded, then could not be saved as UTF-8
        (("halls", 0, "name"), Raw('"ok\\udfff"')),
        (("connections", 0, "medium"), "liquid"),  # a power connection's medium was dropped on save
        (("connections", 4, "feed"), "A"),  # and a cooling connection's feed
    ],
    ids=["huge-int", "lone-surrogate", "lone-low-surrogate", "power-with-medium", "cooling-with-feed"],
)
def test_found_by_fuzzing(path: JsonPath, value: object, catalog: Catalog) -> None:
    document = read_document(GOLDEN_FILE)  # connections[0] is power, connections[4] cooling
    get_at(document, path[:-1])[path[-1]] = value
    with pytest.raises(ProjectFileError):
        project_from_text(dump(document), catalog)
