"""Train the cue-extent model (``cue_extent.json``) or, with ``--sources``, the source-extent model
(``source_extent.json``) on out-of-fold extractor output.

    python -m claims.extraction.train_extent --fold MODEL.npz=ROWS.jsonl [--fold ...] --out FILE

Each ``--fold`` pairs a tagger model with the gold articles it was *not* trained on, so the
cue spans and probabilities the extent model learns from look like the ones it will see at run
time (the file's own tagger is far too sure of its training articles). Every extracted
statement whose cue is followed by words gives one group of candidates (stay, or extend the cue
over 1..``extractor.EXTENT_MAX`` words); the target is the candidate whose cue is exactly a
gold cue. Statements where no candidate is exact are left out: there the choice cannot change an exact cue, and as
"stay" targets (a fifth of the groups) they pulled the model so far towards staying that it
fixed a third as many cues out of fold (six blocks: net +35 exact cues against +96). The model is a
conditional logit over the candidates, fitted with numpy (Adam, L2); features seen fewer than
``--min-count`` times are dropped.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from . import extractor, tagger
from .train import norm


def _replay(rows: list[dict], model_path: Path | None, hook: str, record, set_gold) -> None:
    """Extract every row with the tagger model at ``model_path`` and the extractor's step
    ``hook`` replaced by ``record(art, frames)``; ``set_gold(row)`` runs before each row."""
    if model_path is not None:
        tagger.MODEL_PATH = Path(model_path)
        tagger.load.cache_clear()
    saved = getattr(extractor, hook)
    setattr(extractor, hook, record)
    try:
        for row in rows:
            set_gold(row)
            extractor.extract(row["text"])
    finally:
        setattr(extractor, hook, saved)


def collect(rows: list[dict], model_path: Path | None = None) -> list[tuple[list, list[bool]]]:
    """(candidate features, candidate exact?) for every statement with a cue extent choice."""
    groups: list[tuple[list, list[bool]]] = []
    gold: set = set()

    def record(art, frames):
        for f in frames:
            ends, feats = extractor._extent_candidates(art, f)
            if not ends:
                continue
            toks = art.toks
            s = extractor.cue_start(toks, f.cue[0])  # as the extractor's output starts it
            exact = [norm(art.text, (s, toks[e - 1].end)) in gold for e in ends]
            groups.append((feats, exact))

    def set_gold(row):
        gold.clear()
        gold.update(norm(row["text"], g["cue"]) for g in row["attributions"] if g.get("cue"))

    _replay(rows, model_path, "_extend_cues", record, set_gold)
    return groups


def collect_sources(rows: list[dict], model_path: Path | None = None) -> dict[str, list]:
    """Candidate groups for the source-extent model: {"end": groups, "start": groups}.

    A candidate is right when its mention ends (or starts) where a gold source that overlaps
    it does: the end model learns ends whatever the start, and the start model the reverse.
    The end is moved first at run time, so start candidates are read with the gold end put in
    place where an end candidate had it (as a right end model would leave it).
    """
    return _collect_bounds(rows, model_path, "source")


def collect_cue_bounds(rows: list[dict], model_path: Path | None = None) -> dict[str, list]:
    """Candidate groups for the cue-boundary model, as ``collect_sources`` for cues."""
    return _collect_bounds(rows, model_path, "cue")


def _collect_bounds(rows: list[dict], model_path: Path | None, role: str) -> dict[str, list]:
    if role == "source":
        hook, candidates = "_extend_sources", extractor._source_candidates

        def chars_of(toks, m):
            return extractor._mention_chars(toks, m)
    else:
        hook, candidates = "_move_cues", extractor._cue_candidates

        def chars_of(toks, m):
            return extractor.cue_start(toks, m[0]), toks[m[1] - 1].end  # as the output has it

    out: dict[str, list] = {"end": [], "start": []}
    gold: list[tuple[int, int]] = []

    def right(art, m, which):
        chars = norm(art.text, chars_of(art.toks, m))
        if chars is None:
            return False
        k = 1 if which == "end" else 0
        return any(g[k] == chars[k] and g[0] < chars[1] and chars[0] < g[1] for g in gold)

    def record(art, frames):
        for f in frames:
            for which in ("end", "start"):
                cands, feats = candidates(art, f, which)
                if not cands:
                    continue
                exact = [right(art, m, which) for m in cands]
                out[which].append((feats, exact))
                if which == "end" and any(exact) and not exact[0]:
                    setattr(f, role, cands[exact.index(True)])

    def set_gold(row):
        text = row["text"]
        gold[:] = [
            x for g in row["attributions"] if g.get(role) for x in [norm(text, g[role])] if x
        ]

    _replay(rows, model_path, hook, record, set_gold)
    return out


def fit(
    groups: list[tuple[list, list[bool]]],
    l2: float = 3.0,
    min_count: int = 2,
    iters: int = 400,
    lr: float = 0.05,
) -> dict[str, float]:
    """Conditional-logit weights (feature -> weight) for the candidate groups."""
    counts: dict[str, int] = {}
    for feats, _ in groups:
        for fs in feats:
            for x in fs:
                counts[x] = counts.get(x, 0) + 1
    vocab = {x: i for i, x in enumerate(sorted(x for x, c in counts.items() if c >= min_count))}
    feat_ids, cand_of, target, group_start = [], [], [], []
    c = 0
    groups = [g for g in groups if any(g[1])]
    for feats, exact in groups:
        group_start.append(c)
        want = exact.index(True)
        for j, fs in enumerate(feats):
            ids = [vocab[x] for x in fs if x in vocab]
            feat_ids.extend(ids)
            cand_of.extend([c] * len(ids))
            target.append(1.0 if j == want else 0.0)
            c += 1
    feat_ids = np.asarray(feat_ids, dtype=np.int64)
    cand_of = np.asarray(cand_of, dtype=np.int64)
    y = np.asarray(target)
    starts = np.asarray(group_start, dtype=np.int64)
    group_of = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, c)))
    w = np.zeros(len(vocab))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    n = len(groups)
    for t in range(1, iters + 1):
        s = np.bincount(cand_of, weights=w[feat_ids], minlength=c)
        s -= np.maximum.reduceat(s, starts)[group_of]
        p = np.exp(s)
        p /= np.add.reduceat(p, starts)[group_of]
        g = np.bincount(feat_ids, weights=(p - y)[cand_of], minlength=len(w)) / n + l2 / n * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return {
        x: round(float(w[i]), 4) for x, i in vocab.items() if abs(w[i]) >= 0.01
    }  # smaller file, same choices


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fold", action="append", required=True, help="MODEL.npz=HELD_OUT.jsonl")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--l2", type=float, default=3.0)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument(
        "--sources",
        action="store_true",
        help="train the source-extent model (source_extent.json) instead of the cue extent",
    )
    ap.add_argument(
        "--cue-bounds",
        action="store_true",
        help="train the cue-boundary model (cue_bounds.json): cue ends back, cue starts",
    )
    ap.add_argument(
        "--cue-bounds-file",
        type=Path,
        default=tagger.MODEL_PATH.with_name("cue_bounds.json"),
        help="cue-boundary weights applied while collecting (default: the shipped file)",
    )
    ap.add_argument(
        "--cue-extent",
        type=Path,
        default=tagger.MODEL_PATH.with_name("cue_extent.json"),
        help="cue-extent weights applied while collecting (default: the shipped file)",
    )
    args = ap.parse_args(argv)
    folds = []
    for fold in args.fold:
        model, rows_path = fold.split("=", 1)
        with open(rows_path, encoding="utf-8") as fh:
            folds.append((Path(model), [json.loads(line) for line in fh if line.strip()]))
    # Collect as the extractor runs: cue bounds, cue extent, then sources, each model with
    # the shipped ones before it applied (the one being trained is hooked, not loaded).
    extractor.CUE_BOUNDS_PATH = args.cue_bounds_file
    extractor.EXTENT_PATH = args.cue_extent
    if args.sources or args.cue_bounds:
        collect_pairs = collect_sources if args.sources else collect_cue_bounds
        groups: dict[str, list] = {"end": [], "start": []}
        for model, rows in folds:
            for which, got in collect_pairs(rows, model).items():
                groups[which] += got
        data = {w: fit(g, l2=args.l2, min_count=args.min_count) for w, g in groups.items()}
        sizes = ", ".join(
            f"{w}: {len(g)} groups, {len(data[w])} weights" for w, g in groups.items()
        )
    else:
        groups = [g for model, rows in folds for g in collect(rows, model)]
        data = {"weights": fit(groups, l2=args.l2, min_count=args.min_count)}
        sizes = f"{len(groups)} statements, {len(data['weights'])} weights"
    args.out.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    print(f"{sizes} -> {args.out}")


if __name__ == "__main__":
    main()
