"""Candidate retrieval with PostgreSQL full-text search, re-ranked by word overlap."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

WORD = re.compile(r"[A-Za-z0-9]+")
CANDIDATES = 50


@dataclass(frozen=True, slots=True)
class Match:
    claim_id: int
    score: float


def _or_query(text: str) -> str:
    words = {w.lower() for w in WORD.findall(text)}
    return " | ".join(sorted(w for w in words if w and len(w) > 1))


def similar_claims(text: str, *, limit: int = 5) -> list[Match]:
    """Return tracked claims ranked by similarity to ``text``, best first, scores in [0, 1]."""
    query = _or_query(text)
    if not query:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH q AS (SELECT to_tsquery('english', %s) AS query)
            SELECT c.id, ts_rank_cd(c.search_vector, q.query, 1 | 32) AS rank,
                   similarity(c.text, %s) AS trigram
            FROM claims_claim c, q
            WHERE c.search_vector @@ q.query AND c.state <> 'merged'
            ORDER BY rank DESC
            LIMIT %s
            """,
            [query, text, CANDIDATES],
        )
        rows = cursor.fetchall()
    ranked = sorted(
        ((cid, 0.5 * rank + 0.5 * trigram) for cid, rank, trigram in rows), key=lambda r: -r[1]
    )
    return [Match(cid, round(min(1.0, score), 4)) for cid, score in ranked[:limit]]
