"""Model behaviour: range, determinism, obvious orderings, artefact sanity."""

from __future__ import annotations

from claims.scoring import Score, load_model, score, score_one
from claims.scoring.model import MODEL_PATH

NUMERIC = "Unemployment has gone up from 5 percent to 9.8 percent since 2008."
CHIT_CHAT = "Thank you very much."


def test_scores_are_probabilities_with_a_known_type() -> None:
    texts = [NUMERIC, CHIT_CHAT, "", "   ", "¿Qué pasa? 😀", "x" * 5000]
    for s in score(texts):
        assert isinstance(s, Score)
        assert 0.0 <= s.check_worthiness <= 1.0
        assert s.type in {"factual", "promise", "prediction", "opinion", "other"}


def test_scoring_is_deterministic_and_batch_matches_single() -> None:
    texts = [NUMERIC, CHIT_CHAT, "We will cut taxes for the middle class."]
    first = score(texts)
    assert first == score(texts)
    assert first == [score_one(t) for t in texts]


def test_numeric_claim_scores_higher_than_thanks() -> None:
    assert score_one(NUMERIC).check_worthiness > score_one(CHIT_CHAT).check_worthiness
    assert score_one(NUMERIC).check_worthiness >= 0.5
    assert score_one(CHIT_CHAT).check_worthiness < 0.5


def test_statistic_scores_higher_than_opinion() -> None:
    fact = score_one("The deficit was 1.4 trillion dollars last year.")
    opinion = score_one("I think he is a good man.")
    assert fact.check_worthiness > opinion.check_worthiness


def test_model_is_cached_and_small() -> None:
    assert load_model() is load_model()
    assert MODEL_PATH.stat().st_size < 5_000_000
    assert MODEL_PATH.with_name("encoder.npz").stat().st_size < 25_000_000


def test_model_records_its_heldout_split() -> None:
    info = load_model().info
    assert info["heldout"] == "sha256(id) % 5 == 0"
    assert info["heldout_metrics"]["n"] > 1000
