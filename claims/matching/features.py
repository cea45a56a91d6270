"""Features of a (statement, candidate claim) pair for the trained re-ranker."""

from __future__ import annotations

import math

import numpy as np

from .embedding import from_bytes
from .lexical import FREQUENCIES, Candidate

FEATURES = [
    "coord",
    "bm25",
    "bm25_rel",
    "claim_cover",
    "title_cover",
    "query_cover",
    "rank_cd",
    "trigram",
    "word_sim",
    "title_word_sim",
    "numbers_shared",
    "numbers_missing",
    "coord_rel",
    "first",
]
# Added to FEATURES for candidates that have a stored embedding (when the query has one too).
# cosine_lexical_first: the cosine of the lexically best candidate (0 for the others); it
# keeps a lone lexical candidate of unrelated meaning from looking like a repeat.
EMBEDDING_FEATURES = [
    "cosine",
    "cosine_gap",
    "cosine_first",
    "cosine_rank",
    "cosine_lexical_first",
]
K1, B, AVGDL = 1.2, 0.75, 20.0


def _cover(tf: dict[str, int], qtf: dict[str, int], idf: dict[str, float], rare: float) -> float:
    """Idf-weighted share of a claim's terms that the statement also uses."""
    total = sum(idf.get(lex, rare) for lex in tf)
    if not total:
        return 0.0
    return sum(idf.get(lex, rare) for lex in tf if lex in qtf) / total


def _is_number(lexeme: str) -> bool:
    # map() rather than a generator: called for every term of every candidate.
    return any(map(str.isdigit, lexeme))


def pair_features(
    cands: list[Candidate], qtf: dict[str, int], idf: dict[str, float]
) -> list[list[float]]:
    """Return one feature row per candidate, in FEATURES order."""
    if not cands:
        return []
    # Claim terms the statement lacks were not looked up: treat them as fairly rare.
    rare = FREQUENCIES.idf(max(FREQUENCIES.floor / 2, 1.0))
    qidf_total = sum(idf.get(lex, 0.0) for lex in qtf) or 1.0
    qnumbers = {lex for lex in qtf if _is_number(lex)}
    rows = []
    for c in cands:
        bm25 = 0.0
        dl = sum(c.text_tf.values()) + sum(c.title_tf.values())
        for lex in qtf:
            tf = c.text_tf.get(lex, 0) + 0.5 * c.title_tf.get(lex, 0)
            if tf:
                bm25 += idf[lex] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / AVGDL))
        both = set(c.text_tf) | set(c.title_tf)
        cnumbers = {lex for lex in c.text_tf if _is_number(lex)}
        rows.append(
            [
                c.coord,
                bm25 / qidf_total * 4,
                bm25,
                _cover(c.text_tf, qtf, idf, rare),
                _cover(c.title_tf, qtf, idf, rare),
                sum(idf.get(lex, 0.0) for lex in qtf if lex in both) / qidf_total,
                c.rank_cd,
                c.trigram,
                c.word_sim,
                c.title_word_sim,
                float(len(qnumbers & cnumbers)),
                float(len(cnumbers - qnumbers)),
                c.coord,
                0.0,
            ]
        )
    # Relative features: how a candidate compares with the best one for the same statement.
    best_bm25 = max(r[2] for r in rows) or 1.0
    best_coord = max(r[0] for r in rows) or 1.0
    for r in rows:
        r[2] = r[2] / best_bm25
        r[12] = r[12] / best_coord
    order = sorted(range(len(rows)), key=lambda i: -rows[i][1])
    rows[order[0]][13] = 1.0
    return rows


def embedding_features(
    cands: list[Candidate], query: np.ndarray | None, rows: list[list[float]]
) -> list[list[float] | None]:
    """EMBEDDING_FEATURES per candidate, None for a candidate (or query) without an embedding.

    The relative ones compare a candidate with the other embedded candidates of the statement;
    ``rows`` are the candidates' pair_features.
    """
    out: list[list[float] | None] = [None] * len(cands)
    if query is None:
        return out
    vectors = [from_bytes(c.embedding) for c in cands]
    present = [i for i, v in enumerate(vectors) if v is not None]
    if not present:
        return out
    matrix = np.stack([vectors[i] for i in present])
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-6)
    cos = matrix @ np.asarray(query, dtype=np.float32)
    best = float(cos.max())
    ranks = np.empty(len(present), dtype=np.int64)
    ranks[np.argsort(-cos, kind="stable")] = np.arange(len(present))
    first = FEATURES.index("first")
    for j, i in enumerate(present):
        c = float(cos[j])
        rank = int(ranks[j])
        out[i] = [c, best - c, float(rank == 0), math.log1p(rank), c * rows[i][first]]
    return out


def sigmoid(x: float) -> float:
    """Logistic function, safe for large inputs."""
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, x))))
