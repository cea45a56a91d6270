"""Train the re-rankers (logistic regressions over pair features) on the CheckThat! train split.

    DATABASE_URL=postgres://... python manage.py import_claims claims.jsonl
    DATABASE_URL=postgres://... python -m claims.matching.training.train_reranker \
        /work/shared/eval/claim-matching --split train --negatives /work/shared/data/liar/train.tsv

The claims must have their embeddings (import_claims computes them). Two models are written to
claims/matching/reranker.json (read with plain Python): "embedding" over the lexical features
plus the embedding ones, and "lexical" for candidates without a stored embedding. Before
fitting on everything, cross-validation by query (--folds) reports MAP@5 of both, as ranked
at run time (including the trigram floor). Needs scikit-learn (training only).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import random
from pathlib import Path

import numpy as np


def collect(args) -> list[dict]:
    """One group per statement: feature rows of its candidates, labels, and whether it is gold."""
    from django.db import connection

    from claims.matching import embedding
    from claims.matching.features import embedding_features, pair_features
    from claims.matching.lexical import candidates
    from claims.matching.text import normalise
    from claims.models import Claim

    split = args.dir / args.split
    with open(split / "tweets.queries.tsv", encoding="utf-8", newline="") as f:
        queries = list(csv.reader(f, delimiter="\t"))[1:]
    gold: dict[str, set[str]] = {}
    for line in (split / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        qid, _, cid, rel = line.split()
        if int(rel) > 0:
            gold.setdefault(qid, set()).add(args.prefix + cid)
    external = dict(Claim.objects.values_list("pk", "external_id"))
    statements = [(normalise(row[1]), gold[row[0]]) for row in queries if row[0] in gold]
    # Statements that repeat nothing teach the model that being the best candidate is not
    # enough: without them it learns that every statement has a match, as in the split.
    if args.negatives:
        with open(args.negatives, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        statements += [(normalise(row[2]), set()) for row in rows[: args.negatives_count]]
    vectors = embedding.embed([text for text, _ in statements])
    if vectors is None:
        raise SystemExit("the encoder weights are missing: cannot train the embedding model")
    groups = []
    with connection.cursor() as cursor:
        for (text, relevant), vector in zip(statements, vectors, strict=True):
            cands, qtf, idf = candidates(cursor, text)
            lexical = pair_features(cands, qtf, idf)
            extra = embedding_features(cands, vector, lexical)
            missing = sum(e is None for e in extra)
            if missing:
                raise SystemExit(f"{missing} candidates lack an embedding: import_claims first")
            groups.append(
                {
                    "gold": bool(relevant),
                    "x": np.array([r + e for r, e in zip(lexical, extra, strict=True)]),
                    "y": np.array([int(external[c.claim_id] in relevant) for c in cands]),
                    "trigram": np.array([c.trigram for c in cands]),
                    "found": any(external[c.claim_id] in relevant for c in cands),
                }
            )
    return groups


def fit(groups: list[dict], columns: list[int], c: float):
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([g["x"][:, columns] for g in groups if len(g["y"])])
    y = np.concatenate([g["y"] for g in groups if len(g["y"])])
    return LogisticRegression(C=c, max_iter=5000).fit(x, y)


def average_precision(group: dict, scores: np.ndarray, k: int = 5) -> float:
    scores = np.maximum(scores, group["trigram"] ** 4)
    order = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if group["y"][i]:
            hits += 1
            total += hits / rank
    return total / min(max(int(group["y"].sum()), 1), k)


def cross_validate(groups: list[dict], columns: list[int], c: float, folds: int) -> float:
    order = list(range(len(groups)))
    random.Random(13).shuffle(order)
    aps = []
    for fold in range(folds):
        held = set(order[fold::folds])
        model = fit([g for i, g in enumerate(groups) if i not in held], columns, c)
        for i in held:
            g = groups[i]
            if g["gold"]:
                scores = model.predict_proba(g["x"][:, columns])[:, 1] if len(g["y"]) else []
                aps.append(average_precision(g, np.asarray(scores)) if len(g["y"]) else 0.0)
    return float(np.mean(aps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--split", default="train")
    parser.add_argument("--prefix", default="snopes-", help="external_id prefix of the claims")
    parser.add_argument(
        "--negatives",
        type=Path,
        help="LIAR-style TSV (statement in column 3) of statements that repeat no tracked claim",
    )
    parser.add_argument("--negatives-count", type=int, default=800)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--C", type=float, default=1.0, help="inverse L2 strength")
    parser.add_argument("--cache", type=Path, help="pickle of the collected features (reused)")
    parser.add_argument("--dry-run", action="store_true", help="cross-validate, write nothing")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from claims.matching.features import EMBEDDING_FEATURES, FEATURES
    from claims.matching.search import MODEL_PATH

    if args.cache and args.cache.exists():
        groups = pickle.loads(args.cache.read_bytes())
    else:
        groups = collect(args)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(groups))
    gold = [g for g in groups if g["gold"]]
    print(
        f"{len(gold)} statements, gold among candidates for {np.mean([g['found'] for g in gold]):.3f}"
    )
    names = FEATURES + EMBEDDING_FEATURES
    lexical_cols = list(range(len(FEATURES)))
    full_cols = list(range(len(names)))
    out = {"trained_on": "", "cv_map5": {}}
    for key, columns in (("lexical", lexical_cols), ("embedding", full_cols)):
        if args.folds > 1:
            cv = cross_validate(groups, columns, args.C, args.folds)
            out["cv_map5"][key] = round(cv, 4)
            print(f"{key}: {args.folds}-fold CV MAP@5 {cv:.4f} (C={args.C})")
        model = fit(groups, columns, args.C)
        out[key] = {
            "features": [names[i] for i in columns],
            "coef": [round(float(c), 6) for c in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6),
        }
    pairs = sum(len(g["y"]) for g in groups)
    out["trained_on"] = (
        f"{args.dir.name}/{args.split}: {len(gold)} queries, "
        f"{len(groups) - len(gold)} negatives, {pairs} pairs, C={args.C}"
    )
    if args.dry_run:
        return
    MODEL_PATH.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {MODEL_PATH} from {pairs} pairs")


if __name__ == "__main__":
    main()
