"""The numpy MiniLM encoder: tokenizer ids, embedding sanity, and the TF-IDF-only fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from claims.scoring import load_model
from claims.scoring.encoder import MiniLMEncoder, _basic_tokens
from claims.scoring.model import ENCODER_NAME, MODEL_PATH

ENCODER_PATH = MODEL_PATH.with_name(ENCODER_NAME)


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    model = load_model()
    assert model.encoder is not None, "data/encoder.npz should ship with the model"
    return model.encoder


def test_basic_tokenizer_lowercases_strips_accents_and_splits_punctuation() -> None:
    assert _basic_tokens("Naïve CAFÉ, $1,000!") == ["naive", "cafe", ",", "$", "1", ",", "000", "!"]
    assert _basic_tokens("  \t\n ") == []


def test_wordpiece_ids_match_bert_base_uncased(encoder: MiniLMEncoder) -> None:
    assert encoder.tok.encode("Hello world") == [101, 7592, 2088, 102]
    ids = encoder.tok.encode("unaffable " * 300)
    assert len(ids) == 128
    assert (ids[0], ids[-1]) == (101, 102)


def test_embeddings_are_semantic(encoder: MiniLMEncoder) -> None:
    e = encoder.embed(
        [
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
        ]
    )
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    # The reference all-MiniLM-L6-v2 (fp32, torch) gives 0.755 for the first pair.
    assert abs(float(e[0] @ e[1]) - 0.755) < 0.03
    assert float(e[0] @ e[2]) < 0.1


def test_model_without_encoder_falls_back_to_tfidf(tmp_path: Path) -> None:
    shutil.copy(MODEL_PATH, tmp_path / "model.npz")
    model = load_model(tmp_path / "model.npz")
    assert not model.uses_encoder
    p_num = model.probability("Unemployment has gone up from 5 percent to 9.8 percent since 2008.")
    p_thanks = model.probability("Thank you very much.")
    assert 0.0 <= p_thanks < 0.5 <= p_num <= 1.0


def test_encoder_artefact_is_modest() -> None:
    assert ENCODER_PATH.stat().st_size < 25_000_000
    assert load_model().uses_encoder
