"""Sentence embeddings of tracked claims and statements, a feature of the re-ranker.

The encoder is the numpy all-MiniLM-L6-v2 of claims.scoring.encoder (mean-pooled last layer,
L2-normalised). Each claim's embedding is stored in ``Claim.embedding`` as 384 little-endian
float16 (768 bytes, kept in the row without TOAST); a trigger clears it when the text changes.
A claim without one is still ranked, by the lexical-only model (see search.py).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from django.db import connection

DIM = 384
STORED = np.dtype("<f2")
# Sentences per forward pass; sorted by length so padding stays small. 16 measured fastest.
FORWARD_BATCH = 16
# Claims read, encoded and written per database round trip when filling embeddings.
STORE_BATCH = 256
ENCODER_PATH = Path(
    os.environ.get(
        "CLAIMDESK_MATCHING_ENCODER",
        Path(__file__).resolve().parents[1] / "scoring" / "data" / "encoder.npz",
    )
)


@functools.cache
def encoder():
    """The shared MiniLM encoder, or None when its weights are not installed."""
    if not ENCODER_PATH.exists():
        return None
    from claims.scoring.encoder import MiniLMEncoder

    return MiniLMEncoder.from_npz(ENCODER_PATH)


def available() -> bool:
    return encoder() is not None


def embed(texts: list[str]) -> np.ndarray | None:
    """(N, 384) float32 unit vectors for ``texts`` (batched, padded, masked), None without weights."""
    enc = encoder()
    if enc is None:
        return None
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return enc.embed(texts, batch_size=FORWARD_BATCH)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).astype(STORED).tobytes()


def from_bytes(raw) -> np.ndarray | None:
    """A stored embedding as float32, or None when missing or malformed."""
    if raw is None:
        return None
    raw = bytes(raw)
    if len(raw) != DIM * STORED.itemsize:
        return None
    return np.frombuffer(raw, dtype=STORED).astype(np.float32)


def claim_text(text: str) -> str:
    """What is embedded for a claim: its text as written (statements are normalised first)."""
    return text


def store_embeddings(
    claim_ids: Iterable[int] | None = None, *, only_missing: bool = True, progress=None
) -> int:
    """Compute and store the embeddings of the given claims (default: every claim lacking one).

    Safe to call at any time and from several places: a claim whose text changed meanwhile is
    left alone (its new text gets embedded by the next call). Returns how many were stored.
    Call it after creating a claim or changing its text; without it the claim is still matched,
    on lexical features only.
    """
    if not available():
        return 0
    ids = None if claim_ids is None else sorted({int(i) for i in claim_ids})
    if ids is not None and not ids:
        return 0
    stored = 0
    last = 0
    while True:
        where = ["id > %s"]
        params: list = [last]
        if only_missing:
            where.append("embedding IS NULL")
        if ids is not None:
            where.append("id = ANY(%s)")
            params.append(ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, text FROM claims_claim WHERE {' AND '.join(where)} "
                "ORDER BY id LIMIT %s",
                [*params, STORE_BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return stored
            last = rows[-1][0]
            vectors = embed([claim_text(text) for _, text in rows])
            cursor.execute(
                "UPDATE claims_claim AS c SET embedding = v.e "
                "FROM unnest(%s::bigint[], %s::text[], %s::bytea[]) AS v(id, t, e) "
                "WHERE c.id = v.id AND c.text = v.t",
                [
                    [cid for cid, _ in rows],
                    [text for _, text in rows],
                    [to_bytes(vec) for vec in vectors],
                ],
            )
            stored += cursor.rowcount
        if progress is not None:
            progress(stored)
