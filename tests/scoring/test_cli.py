"""CLI contract of python -m claims.scoring."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from claims.scoring.__main__ import run

ROOT = Path(__file__).resolve().parents[2]
TYPES = {"factual", "promise", "prediction", "opinion", "other"}


def _run_cli(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claims.scoring", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_file_input_gives_one_line_per_sentence_with_expected_keys(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "Unemployment rose to 9 percent last year."},
        {"id": "b", "text": "Thank you very much."},
        {"id": 3, "text": ""},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    proc = _run_cli([str(src)])
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", 3]
    for o in out:
        assert set(o) == {"id", "check_worthiness", "type"}
        assert 0.0 <= o["check_worthiness"] <= 1.0
        assert o["type"] in TYPES


def test_dash_reads_standard_input() -> None:
    proc = _run_cli(["-"], stdin='{"id": 7, "text": "We lost 700,000 jobs last month."}\n')
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["id"] == 7


def test_bad_lines_are_reported_with_line_number_and_skipped() -> None:
    stdin = "\n".join(
        [
            '{"id": 1, "text": "Taxes went up by $2,000 for families."}',
            "{not json",
            '{"id": 3}',
            '["a", "list"]',
            '{"id": 5, "text": 42}',
            '{"id": 6, "text": "Good evening."}',
        ]
    )
    proc = _run_cli(["-"], stdin=stdin)
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == [1, 6]
    for lineno in (2, 3, 4, 5):
        assert f"line {lineno}:" in proc.stderr


def test_missing_file_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    proc = _run_cli([str(tmp_path / "nope.jsonl")])
    assert proc.returncode == 2
    assert "cannot read" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_blank_lines_are_ignored_silently() -> None:
    out, err = io.StringIO(), io.StringIO()
    run(io.StringIO('\n{"id": 1, "text": "Hello there."}\n\n'), out, err)
    assert len(out.getvalue().splitlines()) == 1
    assert err.getvalue() == ""


def test_cli_does_not_import_django() -> None:
    code = (
        "import sys, io; from claims.scoring.__main__ import run; "
        'run(io.StringIO(\'{"id":1,"text":"x y z w"}\'), io.StringIO(), io.StringIO()); '
        "print('django' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.strip() == "False"
