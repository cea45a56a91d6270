"""Static sentence embeddings: word pieces distilled from all-MiniLM-L6-v2, run with numpy."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import numpy as np

ARTEFACT = Path(__file__).with_name("static_minilm.npz")
PUNCT = re.compile(r"(\W)")


class WordPiece:
    """BERT's uncased basic + word-piece tokenizer, enough for embedding lookup."""

    def __init__(self, vocab: list[str]) -> None:
        self.index = {piece: i for i, piece in enumerate(vocab)}
        self.unk = self.index.get("[UNK]", 0)

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 - one tokenizer per process
    def _word(self, word: str) -> tuple[int, ...]:
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.index:
                    out.append(self.index[piece])
                    break
                end -= 1
            if end == start:
                return (self.unk,)
            start = end
        return tuple(out)

    def ids(self, text: str) -> list[int]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        out: list[int] = []
        for word in PUNCT.sub(r" \1 ", text).split()[:256]:
            out.extend(self._word(word))
        return out


class StaticEmbedder:
    """Embed texts as the weighted mean of their word-piece vectors, L2-normalised."""

    def __init__(self, path: Path = ARTEFACT) -> None:
        data = np.load(path)
        self.tokenizer = WordPiece([str(v) for v in data["vocab"]])
        self.table = data["table"].astype(np.float32) * data["scale"][:, None]
        self.weight = data["weight"]
        self.dims = self.table.shape[1]

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), np.float32)
        for row, text in enumerate(texts):
            ids = [i for i in self.tokenizer.ids(text) if i != self.tokenizer.unk]
            if ids:
                w = self.weight[ids]
                out[row] = (self.table[ids] * w[:, None]).sum(0)
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norm == 0, 1, norm)


@functools.cache
def embedder() -> StaticEmbedder | None:
    """The shipped embedder, or None when the artefact is missing."""
    return StaticEmbedder() if ARTEFACT.exists() else None
