"""The headless command line: exit codes and one-line messages, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from designer.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden" / "schema-v1.dcplan"


def test_validate_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(GOLDEN)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_a_broken_file_prints_one_line_with_file_path_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(GOLDEN.read_text())
    document["items"][2]["x_mm"] = "left"
    broken = tmp_path / "broken.dcplan"
    broken.write_text(json.dumps(document))
    assert main(["validate", str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert str(broken) in err and "$.items[2].x_mm" in err and "expected a number" in err


def test_validate_as_a_process_never_shows_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "cut.dcplan"
    broken.write_text(GOLDEN.read_text()[:100])
    result = subprocess.run(
        [sys.executable, "-m", "designer", "validate", str(broken)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(broken) in result.stderr


def test_info_reports_counts_and_design_kw(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(GOLDEN), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    # golden: rack-1 (rack.t, 100 kW training) and rack-2 (rack.i overridden to 25 kW inference)
    assert summary["design_kw_by_workload"] == {"inference": 25.0, "training": 100.0}
    assert summary["design_kw_total"] == 125.0
    assert summary["items"] == 6
    assert summary["halls"][0]["racks"] == 2


@pytest.mark.parametrize(
    "argv, words",
    [
        (["validate"], "file"),
        (["analyze", "x.dcplan", "--share", "1.5"], "between 0 and 1"),
        (["analyze", "x.dcplan", "--hour", "24"], "between 0 and 23"),
        (["bench", "--racks", "-3"], "--racks -3 must be between 1 and 200,000"),
        (["bench", "--racks", "10000000"], "must be between 1 and 200,000"),
        (["bench", "--repeats", "0"], "--repeats 0 must be between 1 and 100"),
        (["analyze", "x.dcplan", "--year", "99999"], "--year 99999 must be between 1900 and 2200"),
        (["export", "x.dcplan", "-o", "x.png", "--dpi", "5000"], "--dpi 5000 must be between 10 and 1200"),
        (["export", "x.dcplan", "-o", "x.png", "--dpi", "9"], "--dpi 9 must be between 10 and 1200"),
        (["export", "x.dcplan", "-o", "x.png", "--scale", "0"], "--scale 0 must be between 1 and 10,000"),
        (["no-such-file.dcplan"], "no such file"),
    ],
)
def test_wrong_arguments_exit_2_with_a_clear_message(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert "dc-designer" in capsys.readouterr().out


def test_bench_prints_one_json_line_per_rack_count_with_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "designer", "bench", "--racks", "120", "240", "--repeats", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [line["racks"] for line in lines] == [120, 240]
    for line in lines:
        for figure in (
            "graph_build_ms",
            "analysis_ms",
            "sweep_ms",
            "single_failures_ms",
            "maintenance_ms",
            "open_ms",
            "repaint_fit_ms",
            "repaint_1to1_ms",
            "drag_step_500_ms",
            "save_ms",
            "load_ms",
            "autosave_snapshot_ms",
            "slider_to_charts_ms",
            "peak_rss_mb",
            "year_step_ms",
        ):
            assert line[figure] > 0, figure
        if sys.platform.startswith("linux"):  # the phased campus's own peak, over what the process held before
            assert line["phased_peak_rss_mb"] > 0, line
        assert line["unpainted_moves"] == 0
