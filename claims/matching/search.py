"""Ranking tracked claims by similarity to a statement: lexical retrieval, trained re-ranking."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from .features import FEATURES, pair_features, sigmoid
from .lexical import candidates
from .text import normalise

MODEL_PATH = Path(__file__).with_name("reranker.json")


@dataclass(frozen=True, slots=True)
class Match:
    claim_id: int
    score: float


@functools.cache
def _model() -> tuple[list[float], float]:
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    # A model trained on other features would silently mis-score: refuse it.
    if model["features"] != FEATURES:
        raise RuntimeError(f"{MODEL_PATH.name} was trained on other features; retrain it")
    return model["coef"], model["intercept"]


def _rank(cursor, text: str, limit: int, speaker_id: int | None) -> list[Match]:
    cands, qtf, idf = candidates(cursor, normalise(text), speaker_id=speaker_id)
    if not cands:
        return []
    coef, intercept = _model()
    scored = []
    for cand, row in zip(cands, pair_features(cands, qtf, idf), strict=True):
        # The logistic output is the estimated chance that the claim is the one repeated.
        score = sigmoid(intercept + sum(w * v for w, v in zip(coef, row, strict=True)))
        # The model learnt from paraphrasing tweets; a near-verbatim restatement is at least as
        # similar as its character trigrams say, so an exact repeat scores 1 (the power keeps loose overlaps out).
        score = max(score, cand.trigram**4)
        scored.append((score, cand.claim_id))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [Match(cid, round(score, 4)) for score, cid in scored[:limit]]


def similar_claims(text: str, *, limit: int = 5, speaker=None) -> list[Match]:
    """Return tracked claims ranked by similarity to ``text``, best first, scores in [0, 1]."""
    return similar_claims_batch([text], limit=limit, speaker=speaker)[0]


def similar_claims_batch(texts: list[str], *, limit: int = 5, speaker=None) -> list[list[Match]]:
    """Rank tracked claims for each text, sharing one cursor (and its statistics) for all."""
    if limit <= 0:
        return [[] for _ in texts]
    speaker_id = getattr(speaker, "pk", speaker)
    with connection.cursor() as cursor:
        return [_rank(cursor, text, limit, speaker_id) for text in texts]
