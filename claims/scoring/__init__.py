"""Check-worthiness scoring: how worth fact-checking a sentence is, and what kind of claim it is."""

from __future__ import annotations

from claims.scoring.model import load_model
from claims.scoring.pipeline import Score, score, score_one

__all__ = ["Score", "load_model", "score", "score_one"]
