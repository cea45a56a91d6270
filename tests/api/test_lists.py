import pytest
from django.utils import timezone

from claims.models import Claim, Flag

from .conftest import make_claim

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/claims/",
    "/api/statements/",
    "/api/sources/",
    "/api/speakers/",
    "/api/articles/",
    "/api/flags/",
    "/api/rating-scales/",
    "/api/ratings/",
    "/api/webhook-deliveries/",
]


@pytest.fixture
def many_claims(db):
    claims = [make_claim(published=i % 2 == 0, statements=2, sources=2) for i in range(12)]
    for claim in claims[:6]:
        Flag.objects.create(claim=claim, reason=Flag.Reason.PROMISE_DUE)
    return claims


@pytest.mark.parametrize("url", LISTS)
def test_query_count_does_not_grow_with_page_size(
    url, admin_client_api, many_claims, django_assert_max_num_queries
):
    # Warm up (auth group lookups etc. are per request, not per row).
    admin_client_api.get(url, {"page_size": 2})
    with django_assert_max_num_queries(12) as small:
        assert admin_client_api.get(url, {"page_size": 2}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = admin_client_api.get(url, {"page_size": 100})
        assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_cursor_pagination_walks_all_claims(reader_client, many_claims):
    seen, url = [], "/api/claims/?page_size=5"
    while url:
        body = reader_client.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(c.pk for c in many_claims)
    assert seen == sorted(seen, reverse=True)


def test_filters(reader_client, many_claims):
    published = reader_client.get("/api/claims/", {"state": "published"}).json()["results"]
    assert {c["state"] for c in published} == {"published"}
    assert len(published) == 6
    flagged = reader_client.get("/api/claims/", {"has_open_flags": "true"}).json()["results"]
    assert len(flagged) == 6
    speaker = many_claims[0].claimants.first()
    by_speaker = reader_client.get("/api/claims/", {"speaker": speaker.pk}).json()["results"]
    assert [c["id"] for c in by_speaker] == [many_claims[0].pk]
    false = reader_client.get("/api/claims/", {"verdict": "false"}).json()["results"]
    assert len(false) == 6
    future = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    assert reader_client.get("/api/claims/", {"created_after": future}).json()["results"] == []


def test_full_text_search(reader_client, many_claims):
    Claim.objects.filter(pk=many_claims[3].pk).update(text="Unemployment doubled in Lisbon")
    results = reader_client.get("/api/claims/", {"search": "lisbon unemployment"}).json()
    assert [c["id"] for c in results["results"]] == [many_claims[3].pk]
    statements = reader_client.get("/api/statements/", {"search": "agreements"}).json()
    assert len(statements["results"]) == 24


def test_allowed_ordering(reader_client, many_claims):
    ids = [c["id"] for c in reader_client.get("/api/claims/", {"ordering": "id"}).json()["results"]]
    assert ids == sorted(ids)


def test_anonymous_statements_and_sources_are_public_only(anon_client, many_claims):
    statements = anon_client.get("/api/statements/", {"page_size": 100}).json()["results"]
    assert len(statements) == 12  # 6 published claims × 2 statements
    sources = anon_client.get("/api/sources/", {"page_size": 100}).json()["results"]
    assert len(sources) == 12
