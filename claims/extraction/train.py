"""Train the cue/source tagger (``tagger_model.npz``) on an attribution corpus.

Usage::

    python -m claims.extraction.train ../shared/eval/attribution/polnear-train.jsonl \
        [--dev ../shared/eval/attribution/polnear-dev.jsonl] [--epochs 3] [--l2 0.03] [--out PATH]

Each token gets a gold label O/B/I for cues and, separately, for sources (the first token that
overlaps an annotated span is B, the others I). Two softmax classifiers over the features of
``tagger.Model`` are fitted with mini-batch AdaGrad; the source model sees the gold cues during
training and the predicted ones at run time. Only weights and word lists are stored, no text.
Takes about two minutes on one core (35 s without the stacked pass).

A stacked second cue pass (``tagger.stack_features``) is trained by default: pass 1 is
trained K (``--stack-folds``, 5) more times on (K-1)/K of the articles to score the held-out
fold, and pass 2 learns a correction of pass 1 from those out-of-fold outputs (stored as
``w_cue2``; ``--stack-folds 0`` trains the one-pass model, and files without it tag in one
pass). Why and how much it helps: MODEL.md, "Eighth round: a stacked cue pass".
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

import numpy as np

from .quotes import find_quotes
from .tagger import (
    MODEL_PATH,
    TAG_B,
    TAG_I,
    TAG_O,
    Model,
    _score,
    decode,
    pack_weights,
    quote_mask,
    shape,
    stack_features,
    stem,
)
from .text import tokenize

STRIP = "\"'“”‘’«»„‚‹›「」『』 \t\r\n.,;:!?—–-()[]"


def norm(text: str, span) -> tuple[int, int] | None:
    """The scorer's normalisation: trim quotes, punctuation and space at both ends."""
    if not span:
        return None
    s, e = span
    while s < e and text[s] in STRIP:
        s += 1
    while e > s and text[e - 1] in STRIP:
        e -= 1
    return (s, e) if s < e else None


def labels_for(toks, spans) -> np.ndarray:
    lab = np.zeros(len(toks), dtype=np.int64)
    starts = [t.start for t in toks]
    for s, e in sorted(spans):
        k = int(np.searchsorted(starts, s, side="right")) - 1
        k = max(k, 0)
        first = True
        while k < len(toks) and toks[k].start < e:
            if toks[k].end > s and lab[k] == TAG_O:
                lab[k] = TAG_B if first else TAG_I
                first = False
            k += 1
    return lab


def read(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prepare(rows: list[dict]):
    """Tokens, quote masks and gold labels for each article."""
    out = []
    for row in rows:
        text = row["text"]
        toks = tokenize(text)
        if not toks:
            continue
        iq = quote_mask(toks, find_quotes(text))
        cues = {norm(text, a.get("cue")) for a in row["attributions"]} - {None}
        srcs = {norm(text, a.get("source")) for a in row["attributions"]} - {None}
        out.append((text, toks, iq, labels_for(toks, cues), labels_for(toks, srcs), cues, srcs))
    return out


def build_vocab(data) -> dict:
    words: Counter[str] = Counter()
    sufs: Counter[str] = Counter()
    shapes: Counter[str] = Counter()
    stems: Counter[str] = Counter()
    for _, toks, *_ in data:
        for t in toks:
            words[t.low] += 1
            sufs[t.low[-3:]] += 1
            shapes[shape(t.text)] += 1
            stems[stem(t.low)] += 1
    return {
        "vocab": np.array(sorted(w for w, n in words.items() if n >= 2)),
        "suffixes": np.array(sorted(w for w, n in sufs.items() if n >= 3)),
        "shapes": np.array(sorted(shapes)),
        "stems": np.array(sorted(w for w, n in stems.items() if n >= 2)),
    }


def fit(x, y, rows: int, epochs: int, lr: float = 0.2, l2: float = 1e-6, seed: int = 0, base=None):
    """Softmax regression with sparse AdaGrad; x is (n, T) feature indices; ``base`` (n, 3)
    fixed scores added to the model's (the residual stacked pass learns a correction)."""
    rng = np.random.default_rng(seed)
    n, t = x.shape
    w = np.zeros((rows, 3), dtype=np.float64)
    g2 = np.full((rows, 3), 1e-8)
    batch = 2048
    for ep in range(epochs):
        order = rng.permutation(n)
        loss = 0.0
        for b0 in range(0, n, batch):
            idx = order[b0 : b0 + batch]
            xb = x[idx]
            sc = w[xb].sum(axis=1)
            if base is not None:
                sc += base[idx]
            sc -= sc.max(axis=1, keepdims=True)
            p = np.exp(sc)
            p /= p.sum(axis=1, keepdims=True)
            yb = y[idx]
            loss -= np.log(p[np.arange(len(idx)), yb] + 1e-12).sum()
            p[np.arange(len(idx)), yb] -= 1.0
            flat = xb.ravel()
            uniq, inv = np.unique(flat, return_inverse=True)
            grad = np.zeros((len(uniq), 3))
            np.add.at(grad, inv, np.repeat(p, t, axis=0))
            grad += l2 * w[uniq]
            g2[uniq] += grad * grad
            w[uniq] -= lr * grad / np.sqrt(g2[uniq])
        print(f"  epoch {ep + 1}: loss {loss / n:.4f}", flush=True)
    return w


def span_f1(gold_sets, pred_sets) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in zip(gold_sets, pred_sets, strict=True))
    n_p = sum(len(p) for p in pred_sets)
    n_g = sum(len(g) for g in gold_sets)
    p = tp / n_p if n_p else 0.0
    r = tp / n_g if n_g else 0.0
    return round(p, 4), round(r, 4), round(2 * p * r / (p + r) if p + r else 0.0, 4)


def evaluate(model: Model, data) -> dict:
    gc, pc, gs, ps = [], [], [], []
    for text, toks, iq, *_rest, cues, srcs in data:
        base, off, aux = model.base_features(toks, iq)
        cscores = model.cue_pass(base, off, aux, iq)[1]
        cspans = decode(cscores)
        sspans = decode(model.source_pass(base, off, aux, cscores, cspans))
        gc.append(cues)
        gs.append(srcs)
        pc.append({norm(text, (toks[a].start, toks[b - 1].end)) for a, b in cspans} - {None})
        ps.append({norm(text, (toks[a].start, toks[b - 1].end)) for a, b in sspans} - {None})
    return {"cue_prf": span_f1(gc, pc), "source_prf": span_f1(gs, ps)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Train the cue/source tagger.")
    ap.add_argument("train", nargs="+")
    ap.add_argument("--dev")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--out", default=str(MODEL_PATH))
    ap.add_argument("--lr", type=float, default=0.2)
    ap.add_argument("--l2", type=float, default=3e-2)
    ap.add_argument(
        "--stack-folds",
        type=int,
        default=5,
        help="folds of out-of-fold pass-1 outputs the stacked second cue pass learns from "
        "(0: one pass only)",
    )
    ap.add_argument(
        "--stack-full",
        action="store_true",
        help="pass 2 re-learns every base feature instead of a correction of pass 1",
    )
    ap.add_argument("--no-stack-stem", action="store_true", help="no stem x P(cue) features")
    ap.add_argument(
        "--stack-lambda",
        type=float,
        default=0.5,
        help="final scores = pass 1 + lambda (pass 2 - pass 1)",
    )
    ap.add_argument(
        "--bigrams", default="", help="comma-separated offsets of hashed word bigrams, e.g. -1,0"
    )
    ap.add_argument(
        "--clusters",
        help="word_vectors.py's npz: its words' clusters become features of the linear passes",
    )
    args = ap.parse_args(argv)
    bigrams = np.array([int(d) for d in args.bigrams.split(",") if d.strip()], dtype=np.int64)
    t0 = time.perf_counter()
    rows = [r for p in args.train for r in read(p)]
    data = prepare(rows)
    vocab = build_vocab(data)
    vocab["bigrams"] = bigrams
    if args.clusters:
        with np.load(args.clusters, allow_pickle=False) as f:
            vocab["glove_words"] = f["words"]
            # row 0: words without a vector, one id past each granularity's clusters
            vocab["glove_clusters"] = np.vstack([f["sizes"], f["clusters"]]).astype(np.int16)
    model = Model({**vocab, "w_cue": np.zeros((1, 3)), "w_src": np.zeros((1, 3))})
    xs, ys, xsrc, ysrc, auxs = [], [], [], [], []
    for _text, toks, iq, yc, ysr, *_ in data:
        base, off, aux = model.base_features(toks, iq)
        auxs.append((aux, iq))
        xs.append(base)
        ys.append(yc)
        feats, off_src = model.src_features(base, off, aux, yc != TAG_O)
        xsrc.append(feats)
        ysrc.append(ysr)
    x = np.concatenate(xs)
    print(f"{len(data)} articles, {len(x)} tokens, {off} cue rows, {off_src} source rows")
    print("cue model")
    y = np.concatenate(ys)
    model.w_cue = fit(x, y, off, args.epochs, args.lr, args.l2).astype(np.float32)
    extra = {}
    if args.stack_folds > 1:
        # Stacking: pass 2 must learn from pass-1 outputs on text pass 1 has not seen (on its
        # own training text pass 1 is over-confident), so each fold's articles are scored by a
        # pass 1 trained on the other folds; pass 1 itself is the model trained on everything.
        k = args.stack_folds
        fold = np.arange(len(xs)) % k
        x2: list = [None] * len(xs)
        s1: list = [None] * len(xs)
        rows2 = off
        res = not args.stack_full
        for f in range(k):
            tr = [i for i in range(len(xs)) if fold[i] != f]
            print(f"stack fold {f + 1}/{k}")
            w = fit(
                np.concatenate([xs[i] for i in tr]),
                np.concatenate([ys[i] for i in tr]),
                off,
                args.epochs,
                args.lr,
                args.l2,
            ).astype(np.float32)
            packed = pack_weights(w)  # the layout _score takes
            for i in np.flatnonzero(fold == f):
                aux, iq = auxs[i]
                s1[i] = _score(packed, xs[i])
                x2[i], rows2 = stack_features(
                    xs[i], off, aux, iq, s1[i], with_base=not res, stem=not args.no_stack_stem
                )
        print("stacked cue model")
        model.w_cue2 = fit(
            np.concatenate(x2),
            y,
            rows2,
            args.epochs,
            args.lr,
            args.l2,
            base=np.concatenate(s1) if res else None,
        ).astype(np.float32)
        model.stack_residual = res
        model.stack_stem, model.stack_lambda = not args.no_stack_stem, args.stack_lambda
        extra["w_cue2"] = model.w_cue2.astype(np.float16)
        extra["stack_residual"] = np.array(res)
        extra["stack_stem"] = np.array(not args.no_stack_stem)
        extra["stack_lambda"] = np.array(args.stack_lambda)

    print("source model")
    model.w_src = fit(
        np.concatenate(xsrc), np.concatenate(ysrc), off_src, args.epochs, args.lr, args.l2
    ).astype(np.float32)
    np.savez_compressed(
        args.out,
        **vocab,
        w_cue=model.w_cue.astype(np.float16),
        w_src=model.w_src.astype(np.float16),
        **extra,
    )
    print(json.dumps({"split": "train", **evaluate(model, data)}))
    if args.dev:
        print(json.dumps({"split": "dev", **evaluate(model, prepare(read(args.dev)))}))
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
