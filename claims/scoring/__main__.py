"""CLI: python -m claims.scoring FILE.jsonl|-  ->  {"id","check_worthiness","type"} per line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TextIO


def parse_lines(stream: TextIO, err: TextIO) -> Iterator[tuple[object, str]]:
    """Yield (id, text) for valid lines; report bad ones on err with their line number."""
    for lineno, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            err.write(f"line {lineno}: skipped, invalid JSON ({exc.msg})\n")
            continue
        if not isinstance(obj, dict):
            err.write(f"line {lineno}: skipped, expected a JSON object\n")
            continue
        text = obj.get("text")
        if not isinstance(text, str):
            err.write(f'line {lineno}: skipped, missing or non-string "text"\n')
            continue
        yield obj.get("id", lineno), text


def run(stream: TextIO, out: TextIO, err: TextIO) -> int:
    """Score every valid line of stream to out, one JSON line each."""
    from claims.scoring.model import load_model
    from claims.scoring.types import claim_type

    model = load_model()
    for sid, text in parse_lines(stream, err):
        p = model.probability(text)
        row = {"id": sid, "check_worthiness": round(p, 6), "type": claim_type(text, p)}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit 0 even when some lines were skipped, 2 when the file cannot be read."""
    ap = argparse.ArgumentParser(
        prog="python -m claims.scoring",
        description="Score sentences for check-worthiness. Input: JSON lines {id, text}.",
    )
    ap.add_argument("file", help="JSON-lines file, or - for standard input")
    args = ap.parse_args(argv)
    try:
        if args.file == "-":
            return run(sys.stdin, sys.stdout, sys.stderr)
        with open(args.file, encoding="utf-8", errors="replace") as f:
            return run(f, sys.stdout, sys.stderr)
    except OSError as exc:
        sys.stderr.write(f"cannot read {args.file}: {exc.strerror or exc}\n")
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
