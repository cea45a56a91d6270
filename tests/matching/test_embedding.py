import json

import numpy as np
import pytest
from django.conf import settings

from claims.matching import embedding, similar_claims
from claims.matching.importing import import_claims
from claims.models import Claim

pytestmark = pytest.mark.django_db

PARAPHRASE = "Did you know the US-Mexico wall is going to be paid for by Mexico?"


def stored(external_id):
    return embedding.from_bytes(Claim.objects.get(external_id=external_id).embedding)


def score_of(matches, claim):
    return next((m.score for m in matches if m.claim_id == claim.pk), 0.0)


def test_import_stores_each_claims_embedding(tracked_claims):
    assert not Claim.objects.filter(embedding__isnull=True).exists()
    vector = stored("c-wall")
    assert vector.shape == (embedding.DIM,)
    assert abs(np.linalg.norm(vector) - 1) < 1e-2
    fresh = embedding.embed(["Mexico will pay for the border wall."])[0]
    assert float(vector @ fresh) > 0.999


def test_changed_text_gets_a_new_embedding_and_stale_ones_are_cleared(tracked_claims):
    before = stored("c-wall")
    line = {"external_id": "c-wall", "text": "Canada will pay for the northern wall."}
    report = import_claims([json.dumps(line)])
    assert (report.updated, report.embedded) == (1, 1)
    after = stored("c-wall")
    assert after is not None
    assert float(before @ after) < 0.99
    # A text change made anywhere else drops the embedding rather than keep a stale one.
    Claim.objects.filter(external_id="c-moon").update(text="The moon landing was real.")
    assert stored("c-moon") is None
    Claim.objects.filter(external_id="c-tax").update(title="Only the title changes")
    assert stored("c-tax") is not None
    assert embedding.store_embeddings() == 1
    assert stored("c-moon") is not None


def test_embedding_similarity_is_used_in_ranking(tracked_claims):
    wall = tracked_claims["c-wall"]
    with_own = score_of(similar_claims(PARAPHRASE), wall)
    unrelated = embedding.embed(["Sharks swim in the deep ocean near coral reefs."])[0]
    Claim.objects.filter(pk=wall.pk).update(embedding=embedding.to_bytes(unrelated))
    with_unrelated = score_of(similar_claims(PARAPHRASE), wall)
    assert with_own >= settings.CLAIMDESK["REPEAT_THRESHOLD"]
    assert with_unrelated < with_own - 0.05


def test_claims_without_embeddings_are_still_ranked_lexically(tracked_claims):
    wall = tracked_claims["c-wall"]
    Claim.objects.filter(pk=wall.pk).update(embedding=None)
    assert similar_claims(PARAPHRASE)[0].claim_id == wall.pk
    Claim.objects.update(embedding=None)
    matches = similar_claims(PARAPHRASE)
    assert matches[0].claim_id == wall.pk
    assert matches[0].score >= settings.CLAIMDESK["REPEAT_THRESHOLD"]
    assert similar_claims("Mexico will pay for the border wall.")[0].score >= 0.9


def test_matching_works_without_encoder_weights(tracked_claims, monkeypatch):
    monkeypatch.setattr(embedding, "embed", lambda texts: None)
    monkeypatch.setattr(embedding, "available", lambda: False)
    matches = similar_claims(PARAPHRASE)
    assert matches[0].claim_id == tracked_claims["c-wall"].pk
    assert embedding.store_embeddings() == 0


def test_import_can_skip_embeddings_and_backfill_them_later():
    lines = [json.dumps({"external_id": f"x{i}", "text": f"Claim number {i}"}) for i in range(3)]
    report = import_claims(lines, embed=False)
    assert report.embedded == 0
    assert Claim.objects.filter(embedding__isnull=True).count() == 3
    report = import_claims([], embed_missing=True)
    assert report.embedded == 3
    assert not Claim.objects.filter(embedding__isnull=True).exists()
    one = Claim.objects.get(external_id="x1")
    Claim.objects.filter(pk=one.pk).update(embedding=None)
    assert embedding.store_embeddings([one.pk]) == 1
    assert embedding.store_embeddings([one.pk]) == 0
    assert embedding.store_embeddings([one.pk], only_missing=False) == 1
