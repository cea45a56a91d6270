"""Train the re-ranker (logistic regression over pair features) on the CheckThat! train split.

    DATABASE_URL=postgres://... python manage.py import_claims claims.jsonl
    DATABASE_URL=postgres://... python -m claims.matching.training.train_reranker \
        /work/shared/eval/claim-matching --split train --negatives /work/shared/data/liar/train.tsv

Needs scikit-learn (training only); writes claims/matching/reranker.json, read with plain Python.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path


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
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from sklearn.linear_model import LogisticRegression

    from claims.matching.features import FEATURES, pair_features
    from claims.matching.lexical import candidates
    from claims.matching.search import MODEL_PATH
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
    x, y = [], []
    with connection.cursor() as cursor:
        for row in queries:
            if row[0] not in gold:
                continue
            cands, qtf, idf = candidates(cursor, normalise(row[1]))
            x += pair_features(cands, qtf, idf)
            y += [int(external[c.claim_id] in gold[row[0]]) for c in cands]
        # Statements that repeat nothing teach the model that being the best candidate is not
        # enough: without them it learns that every statement has a match, as in the split.
        if args.negatives:
            with open(args.negatives, encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
            for row in rows[: args.negatives_count]:
                cands, qtf, idf = candidates(cursor, normalise(row[2]))
                x += pair_features(cands, qtf, idf)
                y += [0] * len(cands)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    MODEL_PATH.write_text(
        json.dumps(
            {
                "features": FEATURES,
                "coef": [round(float(c), 6) for c in model.coef_[0]],
                "intercept": round(float(model.intercept_[0]), 6),
                "trained_on": f"{args.dir.name}/{args.split}: {len(gold)} queries, {len(y)} pairs",
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {MODEL_PATH} from {len(y)} pairs ({sum(y)} relevant)")


if __name__ == "__main__":
    main()
