"""Deterministic held-out split of the ClaimBuster training file."""

from __future__ import annotations

import hashlib
from pathlib import Path

DATA = Path("/work/shared/eval/check-worthiness/claimbuster-train.jsonl")
# One sentence in five (by a stable hash of its id) is never seen in training.
HELDOUT_MODULUS = 5


def is_heldout(sentence_id: object) -> bool:
    """True when this id belongs to the held-out ~20% slice."""
    digest = hashlib.sha256(str(sentence_id).encode("utf-8")).hexdigest()
    return int(digest, 16) % HELDOUT_MODULUS == 0
