import threading

import pytest
from django.db import connection

from claims.models import Claim, ClaimSource, ClaimStatement
from tests.factories import ArticleFactory, StatementFactory, rating

from .conftest import client_for, make_claim

pytestmark = pytest.mark.django_db


def test_anonymous_sees_only_published_claims(anon_client, published_claim, draft_claim):
    response = anon_client.get("/api/claims/")
    assert response.status_code == 200
    ids = [c["id"] for c in response.json()["results"]]
    assert ids == [published_claim.pk]
    assert anon_client.get(f"/api/claims/{draft_claim.pk}/").status_code == 404


def test_reader_sees_every_claim_with_statements_and_sources(reader_client, published_claim):
    draft = make_claim()
    ids = {c["id"] for c in reader_client.get("/api/claims/").json()["results"]}
    assert ids == {published_claim.pk, draft.pk}
    body = reader_client.get(f"/api/claims/{published_claim.pk}/").json()
    assert len(body["statements"]) == 2
    assert len(body["sources"]) == 2
    assert body["rating"]["slug"] == "false"


def test_editor_creates_claim_and_server_owns_state(editor_client, editor):
    response = editor_client.post(
        "/api/claims/", {"text": "Inflation fell to 2% in May", "claim_type": "factual"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft"
    assert body["version"] == 1
    assert response["ETag"] == f'"{body["id"]}-1"'
    assert Claim.objects.get(pk=body["id"]).created_by == editor


def test_client_cannot_set_server_owned_fields(editor_client, draft_claim):
    response = editor_client.post("/api/claims/", {"text": "x y z", "state": "published"})
    assert response.status_code == 400
    assert "state" in response.json()["error"]["fields"]
    response = editor_client.patch(
        f"/api/claims/{draft_claim.pk}/",
        {"version": 99},
        HTTP_IF_MATCH=draft_claim.etag,
    )
    assert response.status_code == 400
    assert "version" in response.json()["error"]["fields"]


def test_get_sets_etag_and_patch_with_it_succeeds(editor_client, draft_claim):
    etag = editor_client.get(f"/api/claims/{draft_claim.pk}/")["ETag"]
    assert etag == f'"{draft_claim.pk}-{draft_claim.version}"'
    response = editor_client.patch(
        f"/api/claims/{draft_claim.pk}/", {"title": "New title"}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "New title"
    assert response["ETag"] == f'"{draft_claim.pk}-{draft_claim.version + 1}"'


def test_patch_without_if_match_is_428(editor_client, draft_claim):
    response = editor_client.patch(f"/api/claims/{draft_claim.pk}/", {"title": "x"})
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "if_match_required"


def test_patch_with_stale_etag_is_412(editor_client, draft_claim):
    old = draft_claim.etag
    assert (
        editor_client.patch(
            f"/api/claims/{draft_claim.pk}/", {"title": "first"}, HTTP_IF_MATCH=old
        ).status_code
        == 200
    )
    response = editor_client.patch(
        f"/api/claims/{draft_claim.pk}/", {"title": "second"}, HTTP_IF_MATCH=old
    )
    assert response.status_code == 412
    assert response.json()["error"]["code"] == "stale_version"
    assert Claim.objects.get(pk=draft_claim.pk).title == "first"


def test_put_replaces_content_and_needs_if_match(editor_client, draft_claim):
    url = f"/api/claims/{draft_claim.pk}/"
    assert editor_client.put(url, {"text": "Replaced text"}).status_code == 428
    response = editor_client.put(url, {"text": "Replaced text"}, HTTP_IF_MATCH=draft_claim.etag)
    assert response.status_code == 200
    assert response.json()["text"] == "Replaced text"


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_exactly_one_wins(editor):
    claim = make_claim()
    etag = claim.etag
    clients = [client_for(editor), client_for(editor)]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def save(client, title):
        barrier.wait()
        try:
            response = client.patch(
                f"/api/claims/{claim.pk}/", {"title": title}, format="json", HTTP_IF_MATCH=etag
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(c, f"t{i}")) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 412]
    claim.refresh_from_db()
    assert claim.version == 2


def test_link_statement_and_attach_source(editor_client, draft_claim):
    statement = StatementFactory(article=ArticleFactory())
    response = editor_client.post(
        f"/api/claims/{draft_claim.pk}/statements/",
        {"statement": statement.pk, "relation": "repeats", "fidelity": "paraphrase"},
    )
    assert response.status_code == 201, response.json()
    assert ClaimStatement.objects.filter(claim=draft_claim, statement=statement).exists()
    response = editor_client.post(
        f"/api/claims/{draft_claim.pk}/sources/",
        {"url": "https://stats.example/cpi", "title": "CPI", "stance": "refutes"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stance"] == "refutes"
    assert ClaimSource.objects.filter(claim=draft_claim, stance="refutes").exists()


def test_verdict_publish_retract_flow(editor_client, draft_claim):
    url = f"/api/claims/{draft_claim.pk}"
    assert editor_client.post(f"{url}/publish/", {}).status_code == 409  # not rated yet
    response = editor_client.post(
        f"{url}/verdict/", {"rating": rating("mostly-false").pk, "explanation": "Numbers."}
    )
    assert response.status_code == 200
    assert response.json()["rating"]["slug"] == "mostly-false"
    response = editor_client.post(f"{url}/publish/", {})
    assert response.status_code == 200
    assert response.json()["state"] == "published"
    assert editor_client.post(f"{url}/retract/", {"reason": "Error"}).json()["state"] == (
        "retracted"
    )
    assert editor_client.post(f"{url}/retract/", {}).status_code == 409


def test_verdict_from_wrong_scale_is_400(editor_client, draft_claim):
    response = editor_client.post(
        f"/api/claims/{draft_claim.pk}/verdict/",
        {"rating": rating("kept", scale="promise").pk, "explanation": ""},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_merge_moves_statements_to_survivor(editor_client, draft_claim):
    other = make_claim()
    response = editor_client.post(f"/api/claims/{other.pk}/merge/", {"into": draft_claim.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == draft_claim.pk
    assert len(response.json()["statements"]) == 2
    other.refresh_from_db()
    assert other.state == Claim.State.MERGED


def test_claimreview_of_published_claim(anon_client, published_claim, draft_claim):
    response = anon_client.get(f"/api/claims/{published_claim.pk}/claimreview/")
    assert response.status_code == 200
    body = response.json()
    assert body["@type"] == "ClaimReview"
    assert body["reviewRating"]["alternateName"] == "False"
    assert body["claimReviewed"] == published_claim.text
    assert anon_client.get(f"/api/claims/{draft_claim.pk}/claimreview/").status_code == 404


def test_claimreview_feed_lists_published_reviews(anon_client, published_claim, draft_claim):
    body = anon_client.get("/api/claimreviews/").json()
    assert body["@type"] == "DataFeed"
    assert [e["claimReviewed"] for e in body["dataFeedElement"]] == [published_claim.text]


def test_similar_ranks_claims_with_scores(reader_client, anon_client):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(text="Syria will honour agreements with Russia")
    claim2 = make_claim(published=True)
    Claim.objects.filter(pk=claim2.pk).update(text="Syria honour agreements Russia Moscow")
    body = reader_client.get("/api/claims/similar/", {"q": "Syria will honour agreements"}).json()
    assert [r["id"] for r in body["results"]][:2] in ([claim.pk, claim2.pk], [claim2.pk, claim.pk])
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    anon = anon_client.get("/api/claims/similar/", {"q": "Syria will honour agreements"}).json()
    assert [r["id"] for r in anon["results"]] == [claim2.pk]


@pytest.mark.parametrize("params", [{}, {"q": "x", "limit": 51}, {"q": "x", "limit": 0}])
def test_similar_rejects_bad_parameters(reader_client, params):
    response = reader_client.get("/api/claims/similar/", params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    ("given", "status", "slug"),
    [
        ("half-true", 200, "half-true"),
        ("no-such-rating", 400, None),
        (True, 400, None),
    ],
)
def test_verdict_takes_a_rating_slug(editor_client, draft_claim, given, status, slug):
    response = editor_client.post(
        f"/api/claims/{draft_claim.pk}/verdict/",
        {"rating": given, "explanation": "."},
        format="json",
    )
    assert response.status_code == status, response.content
    if slug:
        assert response.json()["rating"]["slug"] == slug
    else:
        assert "rating" in response.json()["error"]["fields"]
