"""The hostile-file corpus of issue 14 through the command line and the DXF reader.

The corpus is made by ``tests/hostile/make_corpus.py`` in a temp folder (the large files are never
committed). Every file must end in the documented exit status with one line on stderr: 0 valid,
1 error findings, 2 bad input, never 3 (an unexpected error) and never a traceback. The run takes
well under a minute; the timeout turns a hang (a named pipe read again) into a failure.
"""

from __future__ import annotations

import contextlib
import io

import pytest
from hostile.make_corpus import GOLDEN, Corpus, make_corpus

from designer.cli import EXIT_BAD_INPUT, EXIT_UNEXPECTED, main
from designer.io.import_dxf import DxfImportError, read_dxf

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return make_corpus(tmp_path_factory.mktemp("hostile"))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_every_project_file_ends_in_its_documented_exit_status(corpus: Corpus) -> None:
    problems: list[str] = []
    for case in corpus.projects:
        path = str(corpus.folder / case.name)
        code, _out, err = run("validate", path)
        if code != case.validate_exit or case.words not in err:
            problems.append(f"{case.name}: validate exited {code}, said {err[:300]!r}")
        if "Traceback" in err or err.count("\n") > 1:
            problems.append(f"{case.name}: validate printed more than one line: {err[:300]!r}")
        for command in ("info", "analyze"):
            code, out, err = run(command, path)
            if code == EXIT_UNEXPECTED or "Traceback" in err:
                problems.append(f"{case.name}: {command} failed unexpectedly: {err[:300]!r}")
            elif case.validate_exit == EXIT_BAD_INPUT and code != EXIT_BAD_INPUT:
                problems.append(f"{case.name}: {command} exited {code} on a file validate refuses")
            elif command == "analyze" and case.analyze_exit is not None and code != case.analyze_exit:
                problems.append(f"{case.name}: analyze exited {code}, expected {case.analyze_exit}")
            if command == "analyze" and case.analyze_never and case.analyze_never in out:
                problems.append(f"{case.name}: analyze said {case.analyze_never!r}")
        if case.validate_exit == EXIT_BAD_INPUT and len(err) > 1000:
            problems.append(f"{case.name}: a {len(err):,}-character message")
    assert not problems, "\n".join(problems)
    assert len(corpus.projects) >= 20


def test_every_drawing_reads_or_fails_clearly(corpus: Corpus) -> None:
    for case in corpus.drawings:
        path = corpus.folder / case.name
        if case.error:
            with pytest.raises(DxfImportError) as caught:
                read_dxf(path, "mm")
            assert case.error in str(caught.value), case.name
        else:
            drawing = read_dxf(path, "mm")
            assert len(drawing.segments_mm) > 0, case.name
            if case.warning:
                assert any(case.warning in w for w in drawing.warnings), (case.name, drawing.warnings)


def test_a_user_folder_of_bad_files_never_stops_a_command(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    assert corpus.user_folder is not None
    monkeypatch.setenv("DC_DESIGNER_USER_DIR", str(corpus.user_folder))
    code, out, err = run("validate", str(GOLDEN))
    assert code == 0 and "valid" in out, err
    warnings = [line for line in err.splitlines() if line.startswith("dc-designer: warning: user catalog file skipped")]
    assert len(warnings) >= 4, err  # dangling link, folder, bad entry, HTML (and the pipe on POSIX)
    assert all(len(line) < 600 for line in err.splitlines())
    code, _out, err = run("info", str(GOLDEN))
    assert code == 0, err
