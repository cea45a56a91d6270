"""Finding the tracked claims a statement repeats: full-text retrieval with a trained re-ranker."""

from .search import Match, similar_claims, similar_claims_batch

__all__ = ["Match", "similar_claims", "similar_claims_batch"]
