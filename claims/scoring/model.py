"""Numpy-only loader and scorer for the shipped check-worthiness weights.

Two base scores are stacked by a 2-input logistic regression:
- a TF-IDF (word 1-3 + char 1-6) logistic regression, and
- a logistic regression over mean-pooled hidden states of layers 1-6 of all-MiniLM-L6-v2, run by
  the numpy encoder in claims.scoring.encoder (int8 weights in data/encoder.npz).
If encoder.npz is absent the TF-IDF regression alone is used (same API, lower accuracy).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from claims.scoring.encoder import MiniLMEncoder
from claims.scoring.features import char_ngrams, normalise, tfidf_dot, word_ngrams

MODEL_PATH = Path(__file__).with_name("data") / "model.npz"
ENCODER_NAME = "encoder.npz"  # looked up beside the model file


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
    encoder: MiniLMEncoder | None = None
    emb_layers: tuple[int, ...] = ()
    emb_coef: np.ndarray | None = None  # standardisation folded in
    emb_intercept: float = 0.0
    stack: tuple[float, float, float] | None = None  # (w_tfidf, w_emb, bias)

    @property
    def uses_encoder(self) -> bool:
        return self.encoder is not None and self.stack is not None

    def tfidf_logit(self, text: str) -> float:
        """Decision value of the TF-IDF regression alone."""
        norm = normalise(text)
        z = self.intercept
        z += tfidf_dot(word_ngrams(norm), self.word_vocab, self.word_idf, self.word_coef)
        z += tfidf_dot(char_ngrams(norm), self.char_vocab, self.char_idf, self.char_coef)
        return z

    def emb_logit(self, text: str) -> float:
        """Decision value of the encoder regression (one sentence per forward pass, so a
        sentence's score never depends on what it was batched with)."""
        pools = self.encoder.layer_pools([text])[0, list(self.emb_layers)].ravel()
        return float(pools.astype(np.float64) @ self.emb_coef) + self.emb_intercept

    def logit(self, text: str) -> float:
        """Decision value for one sentence."""
        zt = self.tfidf_logit(text)
        if not self.uses_encoder:
            return zt
        wt, we, b = self.stack
        return wt * zt + we * self.emb_logit(text) + b

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
    path = Path(path)
    with np.load(path) as z:
        extra: dict = {}
        enc_path = path.with_name(ENCODER_NAME)
        if "stack" in z.files and enc_path.exists():
            extra = {
                "encoder": MiniLMEncoder.from_npz(enc_path),
                "emb_layers": tuple(int(i) for i in z["emb_layers"]),
                "emb_coef": z["emb_coef"].astype(np.float64),
                "emb_intercept": float(z["emb_intercept"][0]),
                "stack": tuple(float(v) for v in z["stack"]),
            }
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
            **extra,
        )
