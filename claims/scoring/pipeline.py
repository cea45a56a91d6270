"""Public scoring API: texts in, Score(check_worthiness, type) out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claims.scoring.model import MODEL_PATH, load_model
from claims.scoring.types import claim_type


@dataclass(frozen=True)
class Score:
    """Check-worthiness in [0, 1] and a rule-based claim type."""

    check_worthiness: float
    type: str


def score_one(text: str, model_path: Path | str = MODEL_PATH) -> Score:
    """Score a single sentence."""
    p = load_model(model_path).probability(text)
    return Score(check_worthiness=p, type=claim_type(text, p))


def score(texts: list[str], model_path: Path | str = MODEL_PATH) -> list[Score]:
    """Score sentences; same input always gives the same output."""
    model = load_model(model_path)
    out = []
    for text in texts:
        p = model.probability(text)
        out.append(Score(check_worthiness=p, type=claim_type(text, p)))
    return out
