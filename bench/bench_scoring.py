"""Benchmark the check-worthiness scorer: load time, throughput, cost per sentence, artefact size.

Run: OMP_NUM_THREADS=1 .venv/bin/python bench/bench_scoring.py [--n 300]. One JSON line per result.
The scorer runs a 6-layer MiniLM encoder per sentence (numpy), so it costs milliseconds per
sentence; "tfidf_only" times the encoder-free fallback on the same sentences for comparison.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = Path("/work/shared/eval/check-worthiness/claimbuster-train.jsonl")
FALLBACK = [
    "Unemployment has gone up from 5 percent to 9.8 percent since 2008.",
    "Thank you very much.",
    "I will cut taxes for every middle-class family in this country.",
    "I think he has the wrong approach on foreign policy.",
]


def emit(name: str, **fields: object) -> None:
    """Print one result line."""
    print(json.dumps({"bench": name, **fields}), flush=True)


def sentences(n: int) -> list[str]:
    """Real debate sentences when the shared data is present, else a repeated fixed sample."""
    if DATA.exists():
        with DATA.open(encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    else:
        texts = FALLBACK
    return (texts * (n // len(texts) + 1))[:n]


def main() -> None:
    """Run every measurement."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()

    # Cold start in a fresh interpreter: what the CLI pays before the first sentence.
    code = (
        "import time; t=time.perf_counter(); import claims.scoring as s; s.load_model(); "
        "print(time.perf_counter()-t)"
    )
    colds = []
    for _ in range(3):
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
        )
        colds.append(float(proc.stdout))
    emit("import_and_load_cold", seconds=round(min(colds), 4), runs=colds)

    from claims.scoring import load_model, score, score_one
    from claims.scoring.model import ENCODER_NAME, MODEL_PATH

    load_model.cache_clear()
    t0 = time.perf_counter()
    load_model()
    emit("load_model_warm_import", seconds=round(time.perf_counter() - t0, 4))
    emit("artefact_size", bytes=MODEL_PATH.stat().st_size, path=str(MODEL_PATH.relative_to(ROOT)))
    enc_path = MODEL_PATH.with_name(ENCODER_NAME)
    if enc_path.exists():
        emit("artefact_size", bytes=enc_path.stat().st_size, path=str(enc_path.relative_to(ROOT)))

    texts = sentences(args.n)
    score(texts[:50])  # warm caches
    t0 = time.perf_counter()
    for t in texts:
        score_one(t)
    single = time.perf_counter() - t0
    emit(
        "single",
        sentences=len(texts),
        sentences_per_s=round(len(texts) / single, 1),
        us_per_sentence=round(single / len(texts) * 1e6, 1),
    )
    t0 = time.perf_counter()
    score(texts)
    batch = time.perf_counter() - t0
    emit(
        "batched",
        sentences=len(texts),
        sentences_per_s=round(len(texts) / batch, 1),
        us_per_sentence=round(batch / len(texts) * 1e6, 1),
    )
    model = load_model()
    t0 = time.perf_counter()
    for t in texts:
        model.tfidf_logit(t)
    tfidf = time.perf_counter() - t0
    emit(
        "tfidf_only",
        sentences=len(texts),
        sentences_per_s=round(len(texts) / tfidf, 1),
        us_per_sentence=round(tfidf / len(texts) * 1e6, 1),
    )


if __name__ == "__main__":
    main()
