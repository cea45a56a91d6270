"""Text featurisation shared by training and numpy-only inference (mirrors sklearn TF-IDF)."""

from __future__ import annotations

import math
import re
from collections import Counter

# Digits are folded to 0 so "700,000 jobs" and "9 million jobs" share n-grams: the model should
# learn "a number is here", not which number.
_DIGIT = re.compile(r"\d")
# Same pattern as the training vectoriser: words plus the symbols that mark quantities/questions.
WORD_TOKEN = re.compile(r"(?u)\b\w+\b|[%$?]")
_SPACES = re.compile(r"\s\s+")

WORD_NGRAMS = (1, 3)
CHAR_NGRAMS = (1, 6)


def normalise(text: str) -> str:
    """Fold digits to 0 and lowercase, as the vectorisers see the text."""
    return _DIGIT.sub("0", text).lower()


def word_ngrams(text: str) -> list[str]:
    """Word 1-3-grams of normalised text, in sklearn's TfidfVectorizer order."""
    tokens = WORD_TOKEN.findall(text)
    lo, hi = WORD_NGRAMS
    out: list[str] = []
    n_tok = len(tokens)
    for n in range(lo, min(hi, n_tok) + 1):
        for i in range(n_tok - n + 1):
            out.append(" ".join(tokens[i : i + n]))
    return out


def char_ngrams(text: str) -> list[str]:
    """Character 1-6-grams of normalised text (sklearn analyzer='char')."""
    text = _SPACES.sub(" ", text)
    lo, hi = CHAR_NGRAMS
    size = len(text)
    out: list[str] = []
    for n in range(lo, min(hi, size) + 1):
        for i in range(size - n + 1):
            out.append(text[i : i + n])
    return out


def tfidf_dot(
    grams: list[str], vocab: dict[str, int], idf: list[float], coef: list[float]
) -> float:
    """Dot product of an L2-normalised sublinear TF-IDF row with coef, without building the row."""
    counts = Counter(g for g in grams if g in vocab)
    if not counts:
        return 0.0
    dot = 0.0
    sq = 0.0
    for gram, tf in counts.items():
        j = vocab[gram]
        w = (1.0 + math.log(tf)) * idf[j]
        dot += w * coef[j]
        sq += w * w
    return dot / math.sqrt(sq)
