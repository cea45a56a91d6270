"""Write the held-out slice (never trained on) as {"id","text","label"} lines for score.py.

Usage: python -m claims.scoring.heldout OUT.jsonl [--data FILE] [--balanced]
Then:  PYTHON=.venv/bin/python python3 ../shared/eval/score.py checkworthiness OUT.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from claims.scoring.split import DATA, is_heldout


def main(argv: list[str] | None = None) -> int:
    """Copy held-out lines of the labelled file to OUT and report their count and prevalence."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument(
        "--balanced",
        action="store_true",
        help="keep every positive and as many negatives (chosen by id hash): a 50/50 slice",
    )
    args = ap.parse_args(argv)
    with args.data.open(encoding="utf-8") as src:
        rows = [json.loads(line) for line in src if line.strip()]
    rows = [r for r in rows if is_heldout(r["id"])]
    if args.balanced:
        positives = [r for r in rows if int(r["label"]) == 1]
        # A second, different hash so the chosen negatives are not correlated with the split.
        negatives = sorted(
            (r for r in rows if int(r["label"]) == 0),
            key=lambda r: hashlib.sha256(f"neg:{r['id']}".encode()).hexdigest(),
        )[: len(positives)]
        keep = {id(r) for r in positives + negatives}
        rows = [r for r in rows if id(r) in keep]
    with args.out.open("w", encoding="utf-8") as dst:
        for row in rows:
            dst.write(json.dumps(row, ensure_ascii=False) + "\n")
    n = len(rows)
    pos = sum(int(r["label"]) for r in rows)
    print(f"{n} held-out sentences, {pos} positive ({pos / max(n, 1):.1%})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
