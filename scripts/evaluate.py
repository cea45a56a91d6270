#!/usr/bin/env python
"""`make eval`: score extraction, check-worthiness and claim matching on the annotated data.

Runs ../shared/eval/score.py through the project's documented interfaces and prints each
figure beside its target. Claim matching needs a scratch database: one is created on the
configured PostgreSQL (DATABASE_URL) or on the embedded one, and dropped afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
PYTHON = sys.executable
TARGETS = {
    "attribution": [
        ("direct_with_source", "f", 0.90),
        ("content_overlap", "f", 0.80),
        ("source_exact", "f", 0.75),
        ("cue_exact", "f", 0.70),
    ],
    "checkworthiness": [("f1", None, 0.88), ("auc", None, 0.95)],
    "matching": [("map@5", None, 0.85)],
}


def score(*args: str, env: dict | None = None) -> dict:
    proc = subprocess.run(
        [PYTHON, str(EVAL / "score.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": PYTHON, **(env or {})},
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-4000:])
        raise SystemExit(f"score.py {args[0]} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(kind: str, result: dict, *, targets: bool = True) -> bool:
    """Print each figure (beside its target unless ``targets`` is off); True if all are met."""
    ok = True
    for key, sub, target in TARGETS[kind]:
        value = result[key][sub] if sub else result[key]
        met = value >= target
        ok &= met
        verdict = f"  target ≥ {target:.2f}  {'met' if met else 'NOT MET'}" if targets else ""
        print(f"  {key + ('.' + sub if sub else ''):24} {value:.4f}{verdict}")
    return ok


def scratch_database_url() -> tuple[str, callable]:
    """Create a scratch database beside the configured one; return its URL and a dropper."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = "claimdesk_eval_scratch"
    conninfo = {
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "dbname": "postgres",
    }
    if db.get("PASSWORD"):
        conninfo["password"] = db["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    host = db["HOST"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    if host.startswith("/"):  # a socket folder (the embedded server)
        url = f"postgres://{db['USER']}{password}@/{name}?host={host}&port={db['PORT'] or 5432}"
    else:
        url = f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{name}"
    return url, drop


def main() -> int:
    if not EVAL.exists():
        print(f"No evaluation data at {EVAL}", file=sys.stderr)
        return 2
    all_ok = True

    print("Statement extraction — PolNeAR dev (84 articles)")
    result = score("attribution", str(EVAL / "attribution" / "polnear-dev.jsonl"))
    all_ok &= report("attribution", result)
    print(
        f"  offset_mismatches        {result['offset_mismatches']}  target = 0  {'met' if result['offset_mismatches'] == 0 else 'NOT MET'}"
    )
    all_ok &= result["offset_mismatches"] == 0

    with tempfile.TemporaryDirectory() as tmp:
        for balanced in (True, False):
            heldout = Path(tmp) / f"heldout-{balanced}.jsonl"
            args = [str(heldout)] + (["--balanced"] if balanced else [])
            subprocess.run([PYTHON, "-m", "claims.scoring.heldout", *args], cwd=ROOT, check=True)
            label = (
                "balanced held-out (the protocol of the issue's targets and reference figures)"
                if balanced
                else "natural held-out, 26.8% positive (for reference)"
            )
            print(f"Check-worthiness — ClaimBuster, {label}")
            result = score("checkworthiness", str(heldout))
            ok = report("checkworthiness", result, targets=balanced)
            all_ok &= ok if balanced else True

    print("Claim matching — CheckThat! 2020 dev (198 tweets, 10,375 claims)")
    url, drop = scratch_database_url()
    try:
        result = score(
            "matching", str(EVAL / "claim-matching"), "--split", "dev", "--database-url", url
        )
    finally:
        drop()
    all_ok &= report("matching", result)
    print(
        f"  mrr {result['mrr']:.4f}  map@1 {result['map@1']:.4f}  import {result['import_seconds']} s  match {result['match_seconds']} s"
    )

    print("\nAll targets met." if all_ok else "\nSome targets are not met.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
