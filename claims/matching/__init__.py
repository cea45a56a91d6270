"""Finding the tracked claims a statement repeats (PostgreSQL full-text and trigram search)."""

from .search import Match, similar_claims

__all__ = ["Match", "similar_claims"]
