"""Benchmark the statement extractor on the PolNeAR texts (train + dev) in one process.

Prints one JSON line per result:
  {"bench": "extraction_load", "seconds": ..., "model_mb": ...}   (the learned tagger's weights)
  {"bench": "extraction", "articles": N, "articles_per_s": ..., "mb_per_s": ...}
  {"bench": "extraction_memory", "articles": M, "rss_mb": [start, mid, end]}

The memory run cycles through the texts until ``--memory-articles`` (default 10,000) articles
have been processed and samples RSS and tracemalloc at the start, midway and at the end:
the figures should stay flat (the extractor keeps no state between articles).
Usage: python bench/bench_extraction.py [--articles N] [--memory-articles M] [--data DIR]
       [--tracemalloc]   (slow: adds Python allocation tracing to the memory run)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# One core, as the floor says: numpy's BLAS would otherwise start a thread per core.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from claims.extraction import extract, tagger  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "attribution"


def load_texts(data: Path) -> list[str]:
    texts: list[str] = []
    for name in ("polnear-train.jsonl", "polnear-dev.jsonl"):
        path = data / name
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f if line.strip())
    return texts


def rss_mb() -> float:
    """Current resident set size (Linux /proc), falling back to the peak."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return round(pages * resource.getpagesize() / 2**20, 1)
    except OSError:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=0, help="articles to time (default: all)")
    ap.add_argument("--memory-articles", type=int, default=10_000)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations")
    args = ap.parse_args()
    texts = load_texts(args.data)
    if not texts:
        print(json.dumps({"bench": "extraction", "error": f"no texts under {args.data}"}))
        return 1
    t0 = time.perf_counter()
    model = tagger.load()
    size = tagger.MODEL_PATH.stat().st_size / 2**20 if tagger.MODEL_PATH.exists() else 0.0
    print(
        json.dumps(
            {
                "bench": "extraction_load",
                "seconds": round(time.perf_counter() - t0, 3),
                "model_mb": round(size, 2),
                "model_loaded": model is not None,
            }
        )
    )
    n = args.articles or len(texts)
    batch = [texts[i % len(texts)] for i in range(n)]
    extract(batch[0])  # load the lexicon outside the timed loop
    chars = sum(len(t) for t in batch)
    t0 = time.perf_counter()
    statements = sum(len(extract(t)) for t in batch)
    elapsed = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "bench": "extraction",
                "articles": n,
                "statements": statements,
                "seconds": round(elapsed, 3),
                "articles_per_s": round(n / elapsed, 1),
                "mb_per_s": round(chars / 2**20 / elapsed, 3),
            }
        )
    )
    m = args.memory_articles
    if m > 0:
        # tracemalloc slows allocation-heavy code several times over, so it is opt-in; RSS
        # sampled at start, middle and end is enough to show memory stays flat.
        if args.tracemalloc:
            tracemalloc.start()
        rss, traced = [], []
        marks = {0, m // 2, m - 1}
        for i in range(m):
            extract(texts[i % len(texts)])
            if i in marks:
                rss.append(rss_mb())
                if args.tracemalloc:
                    traced.append(round(tracemalloc.get_traced_memory()[0] / 2**20, 2))
        line = {"bench": "extraction_memory", "articles": m, "rss_mb": rss}
        if args.tracemalloc:
            tracemalloc.stop()
            line["traced_mb"] = traced
        print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
