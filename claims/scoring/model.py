"""Numpy-only loader and scorer for the shipped check-worthiness weights."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from claims.scoring.features import char_ngrams, normalise, tfidf_dot, word_ngrams

MODEL_PATH = Path(__file__).with_name("data") / "model.npz"


def pack_vocab(terms: list[str]) -> np.ndarray:
    """Store terms as one NUL-separated UTF-8 blob (far smaller than a numpy str array)."""
    return np.frombuffer("\0".join(terms).encode("utf-8"), dtype=np.uint8)


def unpack_vocab(blob: np.ndarray) -> dict[str, int]:
    """Inverse of pack_vocab: term -> column index."""
    terms = blob.tobytes().decode("utf-8").split("\0")
    return {t: i for i, t in enumerate(terms)}


@dataclass(frozen=True)
class LinearTextModel:
    """Logistic regression over word and char TF-IDF blocks."""

    word_vocab: dict[str, int]
    char_vocab: dict[str, int]
    word_idf: list[float]
    char_idf: list[float]
    word_coef: list[float]
    char_coef: list[float]
    intercept: float
    info: dict

    def logit(self, text: str) -> float:
        """Decision value for one sentence."""
        norm = normalise(text)
        z = self.intercept
        z += tfidf_dot(word_ngrams(norm), self.word_vocab, self.word_idf, self.word_coef)
        z += tfidf_dot(char_ngrams(norm), self.char_vocab, self.char_idf, self.char_coef)
        return z

    def probability(self, text: str) -> float:
        """Check-worthiness probability in [0, 1]."""
        z = self.logit(text)
        # Split by sign so exp never overflows.
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def probabilities(self, texts: list[str]) -> list[float]:
        """Probabilities for a batch of sentences."""
        return [self.probability(t) for t in texts]


@lru_cache(maxsize=4)
def load_model(path: Path | str = MODEL_PATH) -> LinearTextModel:
    """Load (once per path) the npz artefact written by claims.scoring.train."""
    with np.load(Path(path)) as z:
        # Plain lists: per-feature Python indexing is much faster on lists than numpy arrays.
        return LinearTextModel(
            word_vocab=unpack_vocab(z["word_vocab"]),
            char_vocab=unpack_vocab(z["char_vocab"]),
            word_idf=z["word_idf"].astype(np.float64).tolist(),
            char_idf=z["char_idf"].astype(np.float64).tolist(),
            word_coef=z["word_coef"].astype(np.float64).tolist(),
            char_coef=z["char_coef"].astype(np.float64).tolist(),
            intercept=float(z["intercept"][0]),
            info=json.loads(z["info"].tobytes().decode("utf-8")),
        )
