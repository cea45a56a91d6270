"""Benchmark claim matching at scale: load LIAR statements and variants, time similar_claims.

    python bench/bench_matching.py --claims 100000 \
        --database-url postgres://postgres@127.0.0.1:5432/claimdesk_bench

The database is dropped and re-created. Prints one JSON line per result.

--embeddings says which matching path is measured: "none" leaves every claim's embedding NULL
(the lexical-only path: no statement is encoded), "synthetic" stores a random unit vector per
claim (the full path: each statement is encoded and compared with its candidates' vectors; the
rankings mean nothing, the costs are the real ones).
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
LIAR = Path(os.environ.get("CLAIMDESK_LIAR_DIR", ROOT.parent / "shared" / "data" / "liar"))
PATHS = {
    "none": "lexical-only (embeddings NULL, statements not encoded)",
    "synthetic": "embedding (synthetic stored vectors, statements encoded)",
}
FILLERS = ["reportedly", "actually", "now", "really", "officially", "again", "still", "nearly"]


def emit(**fields) -> None:
    print(json.dumps({"bench": "matching", **fields}), flush=True)


def statements() -> list[str]:
    out = []
    for path in sorted(glob.glob(str(LIAR / "*.tsv"))):
        with open(path, encoding="utf-8", newline="") as f:
            out += [row[2] for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return [s for s in out if s.strip()]


def variant(rng: random.Random, base: list[str], i: int) -> str:
    """A generated claim: a LIAR statement shuffled, edited, or joined with another."""
    words = base[i % len(base)].split()
    kind = i // len(base) % 3
    if kind == 0:
        rng.shuffle(words)
    elif kind == 1:
        for _ in range(max(1, len(words) // 5)):
            words[rng.randrange(len(words))] = rng.choice(FILLERS)
    else:
        other = rng.choice(base).split()
        words = words[: len(words) // 2] + other[len(other) // 2 :]
    return " ".join(words)


def load_and_index(args, texts: list[str]) -> None:
    """COPY the claims in (with synthetic embeddings or none), then build the GIN indexes."""
    import numpy as np
    from django.db import connection

    from claims.matching.importing import refresh_search_statistics

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # Indexes are built after the load, as a bulk import into an empty table should.
        cursor.execute(
            "DROP INDEX claim_search_vector_gin, claim_text_trgm_gin, claimterms_terms_gin"
        )
        raw = cursor.connection
        with raw.cursor().copy(
            "COPY claims_claim (text, title, claim_type, state, verdict_explanation, version, "
            "external_id, external_url, created_at, updated_at, embedding) FROM STDIN"
        ) as copy:
            vectors = np.random.default_rng(7)
            chunk = None
            for i, text in enumerate(texts):
                vector = None
                if args.embeddings == "synthetic":
                    if i % 10_000 == 0:
                        chunk = vectors.standard_normal((10_000, 384), dtype=np.float32)
                        chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
                        chunk = chunk.astype("<f2")
                    vector = chunk[i % 10_000].tobytes()
                copy.write_row(
                    (text, "", "factual", "draft", "", 1, f"b{i}", "", "now", "now", vector)
                )
        load = time.perf_counter() - t0
        emit(result="load", claims=len(texts), embeddings=args.embeddings, seconds=round(load, 1))
        t0 = time.perf_counter()
        cursor.execute(
            "CREATE INDEX claim_search_vector_gin ON claims_claim USING gin (search_vector)"
        )
        cursor.execute("CREATE INDEX claimterms_terms_gin ON claims_claimterms USING gin (terms)")
        fts = time.perf_counter() - t0
        t0 = time.perf_counter()
        cursor.execute(
            "CREATE INDEX claim_text_trgm_gin ON claims_claim USING gin (text gin_trgm_ops)"
        )
        trgm = time.perf_counter() - t0
        cursor.execute(
            "SELECT pg_relation_size('claim_search_vector_gin') "
            "+ pg_relation_size('claimterms_terms_gin'), pg_total_relation_size('claims_claimterms'), "
            "pg_relation_size('claim_text_trgm_gin'), pg_total_relation_size('claims_claim')"
        )
        fts_size, terms_size, trgm_size, table_size = cursor.fetchone()
    connection.commit() if not connection.get_autocommit() else None
    refresh_search_statistics()
    emit(
        result="index",
        claims=len(texts),
        fts_gin_seconds=round(fts, 1),
        fts_gin_mb=round(fts_size / 2**20, 1),
        trgm_gin_seconds=round(trgm, 1),
        trgm_gin_mb=round(trgm_size / 2**20, 1),
        table_total_mb=round(table_size / 2**20, 1),
        terms_table_total_mb=round(terms_size / 2**20, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embeddings", choices=["none", "synthetic"], default="synthetic")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database if it already holds these claims"
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/claimdesk_bench"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import psycopg

    url = urlparse(args.database_url)
    name = url.path.lstrip("/")
    admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
    reuse = False
    if args.reuse:
        try:
            with psycopg.connect(args.database_url) as conn:
                loaded, embedded = conn.execute(
                    "SELECT count(*), bool_or(embedding IS NOT NULL) FROM claims_claim"
                ).fetchone()
                reuse = loaded == args.claims and bool(embedded) == (args.embeddings != "none")
        except psycopg.Error:
            reuse = False
    if not reuse:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

    import django

    django.setup()
    from django.core.management import call_command

    from claims.matching import similar_claims, similar_claims_batch

    call_command("migrate", verbosity=0)
    base = statements()
    rng = random.Random(7)
    texts = base[: args.claims] + [variant(rng, base, i) for i in range(args.claims - len(base))]
    if reuse:
        emit(result="load", claims=len(texts), embeddings=args.embeddings, reused=name)
    else:
        load_and_index(args, texts)
    # Queries: restatements of loaded claims with a few words changed, plus unseen statements.
    queries = [
        variant(rng, base, rng.randrange(len(base)) + len(base)) for _ in range(args.queries)
    ]
    similar_claims(queries[0])  # warm caches and statistics
    times = []
    for q in queries:
        t0 = time.perf_counter()
        similar_claims(q, limit=5)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    emit(
        result="latency",
        claims=len(texts),
        path=PATHS[args.embeddings],
        queries=len(times),
        p50_ms=round(statistics.median(times), 1),
        p95_ms=round(times[int(0.95 * (len(times) - 1))], 1),
        max_ms=round(times[-1], 1),
    )
    t0 = time.perf_counter()
    similar_claims_batch(queries, limit=5)
    emit(
        result="batch",
        claims=len(texts),
        path=PATHS[args.embeddings],
        statements_per_second=round(len(queries) / (time.perf_counter() - t0), 1),
    )


if __name__ == "__main__":
    main()
