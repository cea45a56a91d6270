"""Ranking tracked claims by similarity to a statement: lexical retrieval, trained re-ranking.

Two logistic models share one calibration target (the chance that the claim is the one
repeated): the full one adds the cosine of sentence embeddings to the lexical features; the
lexical one scores candidates that have no stored embedding (or every candidate when the encoder
weights are missing), so a claim awaiting its embedding is still found, on lexical evidence.
"""

from __future__ import annotations

import functools
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from threadpoolctl import threadpool_limits

from . import embedding
from .features import EMBEDDING_FEATURES, FEATURES, embedding_features, pair_features, sigmoid
from .lexical import Candidate, candidates
from .text import normalise

MODEL_PATH = Path(__file__).with_name("reranker.json")
# Whether to encode statements while their candidates are fetched: yes until a ranking finds
# candidates that all lack embeddings (a lexical-only database), then only when needed.
_speculate = True


@functools.cache
def _encoding_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="claim-encoder")


@dataclass(frozen=True, slots=True)
class Match:
    claim_id: int
    score: float


@dataclass(frozen=True, slots=True)
class _Model:
    coef: list[float]
    intercept: float

    def score(self, row: list[float]) -> float:
        return sigmoid(self.intercept + sum(w * v for w, v in zip(self.coef, row, strict=True)))


@functools.cache
def _models() -> tuple[_Model, _Model]:
    """The (lexical, embedding) re-rankers."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    models = []
    for key, features in (("lexical", FEATURES), ("embedding", FEATURES + EMBEDDING_FEATURES)):
        model = data[key]
        # A model trained on other features would silently mis-score: refuse it.
        if model["features"] != features:
            raise RuntimeError(f"{MODEL_PATH.name} was trained on other features; retrain it")
        models.append(_Model(model["coef"], model["intercept"]))
    return models[0], models[1]


def score_candidates(cands: list[Candidate], qtf, idf, query_vector) -> list[float]:
    """The calibrated re-ranker score of each candidate."""
    lexical, embedded = _models()
    scores = []
    rows = pair_features(cands, qtf, idf)
    for cand, row, extra in zip(
        cands, rows, embedding_features(cands, query_vector, rows), strict=True
    ):
        # The logistic output is the estimated chance that the claim is the one repeated.
        score = lexical.score(row) if extra is None else embedded.score(row + extra)
        # The model learnt from paraphrasing tweets; a near-verbatim restatement is at least as
        # similar as its character trigrams say, so an exact repeat scores 1 (the power keeps
        # loose overlaps out).
        scores.append(max(score, cand.trigram**4))
    return scores


def _encode_beside_database(texts: list[str]):
    """Encode on one BLAS thread: this runs while PostgreSQL retrieves the candidates, and BLAS
    threads spinning on every core starve that backend (bench_matching at 1M claims, 2 cores:
    p95 64-70 ms with OpenBLAS's default threads, 44-47 ms with one)."""
    with threadpool_limits(limits=1, user_api="blas"):
        return embedding.embed(texts)


def similar_claims(text: str, *, limit: int = 5, speaker=None) -> list[Match]:
    """Return tracked claims ranked by similarity to ``text``, best first, scores in [0, 1]."""
    return similar_claims_batch([text], limit=limit, speaker=speaker)[0]


def similar_claims_batch(texts: list[str], *, limit: int = 5, speaker=None) -> list[list[Match]]:
    """Rank tracked claims for each text, sharing one cursor (and its statistics) for all.

    Statements whose candidates have stored embeddings are encoded together, in one batch.
    """
    if limit <= 0:
        return [[] for _ in texts]
    global _speculate
    speaker_id = getattr(speaker, "pk", speaker)
    clean = [normalise(text) for text in texts]
    # Encoding the statements (numpy, which releases the GIL) overlaps with the database
    # work of candidate retrieval, as long as the last candidates seen had embeddings.
    early = _encoding_pool().submit(_encode_beside_database, clean) if _speculate else None
    with connection.cursor() as cursor:
        found = [candidates(cursor, text, speaker_id=speaker_id) for text in clean]
    wanted = [i for i, (cands, _, _) in enumerate(found) if any(c.embedding for c in cands)]
    if any(cands for cands, _, _ in found):
        _speculate = bool(wanted)
    query_vectors = dict.fromkeys(range(len(texts)))
    if early is not None:
        vectors = early.result()
        if vectors is not None:
            query_vectors.update((i, vectors[i]) for i in wanted)
    elif wanted:
        vectors = embedding.embed([clean[i] for i in wanted])
        if vectors is not None:
            query_vectors.update(zip(wanted, vectors, strict=True))
    results = []
    for i, (cands, qtf, idf) in enumerate(found):
        scores = score_candidates(cands, qtf, idf, query_vectors[i])
        ids = [c.claim_id for c in cands]
        ranked = sorted(zip(scores, ids, strict=True), key=lambda s: (-s[0], s[1]))
        results.append([Match(cid, round(score, 4)) for score, cid in ranked[:limit]])
    return results
