"""The fast list path (claims.api.rows) gives exactly what the read serializers give."""

import json
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from claims import services
from claims.api import rows
from claims.api import serializers as s
from claims.api.views import claim_queryset
from claims.models import Article, Claim, ClaimSource, Source, Statement, Topic
from tests.factories import ArticleFactory, SourceFactory, SpeakerFactory, StatementFactory

from .conftest import make_claim

pytestmark = pytest.mark.django_db


def as_json(data) -> list:
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def varied_claims(editor):
    """Claims covering every nullable branch of the claim shape."""
    published = make_claim(published=True, statements=2, sources=2)
    draft = make_claim(published=False, statements=0, sources=0)
    promise = services.create_claim(
        text="We will build 100 schools",
        claim_type=Claim.Type.PROMISE,
        title="Schools",
        claimants=[SpeakerFactory(name="Zed"), SpeakerFactory(name="Amy")],
        by=editor,
    )
    Claim.objects.filter(pk=promise.pk).update(
        due_date=date(2031, 1, 2), assignee=editor, external_id="ext-1", external_url="https://x.y"
    )
    promise.topics.set(
        [Topic.objects.create(name="Zoo", slug="zoo"), Topic.objects.create(name="Art", slug="a")]
    )
    # A statement without speaker, from an article without outlet or canonical URL.
    bare_article = ArticleFactory(canonical_url=None, outlet=None)
    Article.objects.filter(pk=bare_article.pk).update(published_at=timezone.now())
    services.link_statement(
        claim=promise, statement=StatementFactory(speaker=None, article=bare_article), by=editor
    )
    services.attach_source(
        claim=promise,
        source=SourceFactory(url="", publisher="Office"),
        stance=ClaimSource.Stance.CONTEXT,
        by=editor,
    )
    # A timestamp without microseconds (ISO 8601 drops the fraction).
    Claim.objects.filter(pk=promise.pk).update(
        verdict_changed_at=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    duplicate = make_claim(statements=1, sources=0)
    services.merge_claims(survivor=draft, duplicate=duplicate, by=editor)
    Statement.objects.filter(pk=published.statement_links.first().statement_id).update(
        check_worthiness=0.75, cue_start=3, cue_end=7
    )
    return [published, draft, promise, duplicate]


@pytest.mark.parametrize("zone", ["UTC", "America/Sao_Paulo"])
def test_claim_rows_match_claim_serializer(varied_claims, zone):
    with timezone.override(zone):
        expected = as_json(s.ClaimSerializer(claim_queryset().order_by("-id"), many=True).data)
        got = as_json(rows.claim_rows(list(rows.claim_values(Claim.objects.order_by("-id")))))
    assert len(got) == len(varied_claims)
    assert got == expected
    # Key order too, so the wire format is byte-identical.
    assert JSONRenderer().render(got) == JSONRenderer().render(expected)


def test_claim_page_json_matches_claim_serializer(varied_claims):
    """The page PostgreSQL builds is byte for byte what DRF renders from the serializer."""
    expected = s.ClaimSerializer(claim_queryset().order_by("-id"), many=True).data
    ids = [claim["id"] for claim in expected]
    assert rows.claim_page_json(ids).encode() == JSONRenderer().render(expected)
    assert json.loads(rows.claim_page_json(ids[::-1])) == as_json(expected)[::-1]
    assert rows.claim_page_json([]) == "[]"


@pytest.mark.parametrize("zone", ["UTC", "America/Sao_Paulo"])
def test_claims_list_endpoint_matches_serializer(reader_client, varied_claims, zone):
    with timezone.override(zone):
        assert rows.claim_page_json_supported() == (zone == "UTC")
        response = reader_client.get("/api/claims/", {"page_size": 100})
        expected = s.ClaimSerializer(claim_queryset().order_by("-id"), many=True).data
        envelope = {"next": None, "previous": None, "results": expected}
    assert response["Content-Type"] == "application/json"
    assert response.content == JSONRenderer().render(envelope)


@pytest.mark.parametrize("ordering", ["-updated_at", "created_at", "id"])
def test_claims_cursor_walk_with_orderings(reader_client, varied_claims, ordering):
    seen, url = [], f"/api/claims/?page_size=1&ordering={ordering}"
    while url:
        body = reader_client.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(c.pk for c in varied_claims)
    # And back again through the previous links.
    assert len(seen) == len(set(seen))


def test_statement_rows_match_statement_serializer(varied_claims):
    qs = Statement.objects.select_related("speaker", "article__outlet").order_by("-id")
    expected = as_json(s.StatementSerializer(qs, many=True).data)
    got = as_json(
        rows.statement_rows(Statement.objects.order_by("-id").values(*rows.STATEMENT_COLUMNS))
    )
    assert got == expected
    assert JSONRenderer().render(got) == JSONRenderer().render(expected)


def test_source_rows_match_source_serializer(varied_claims):
    Source.objects.filter(pk=Source.objects.order_by("id").first().pk).update(
        retrieved_at=timezone.now(), archived_hash="a" * 64
    )
    expected = as_json(s.SourceSerializer(Source.objects.order_by("-id"), many=True).data)
    got = as_json(rows.source_rows(Source.objects.order_by("-id").values(*rows.SOURCE_COLUMNS)))
    assert got == expected
    assert JSONRenderer().render(got) == JSONRenderer().render(expected)


@pytest.mark.parametrize("url", ["/api/statements/", "/api/sources/"])
def test_flat_list_endpoints_match_serializers(reader_client, anon_client, varied_claims, url):
    """The fast lists keep their filters (claim=, anonymous visibility) and cursor links."""
    serializer, model = {
        "/api/statements/": (s.StatementSerializer, Statement),
        "/api/sources/": (s.SourceSerializer, Source),
    }[url]
    body = reader_client.get(url, {"page_size": 100}).json()
    assert body["results"] == as_json(serializer(model.objects.order_by("-id"), many=True).data)
    public = anon_client.get(url, {"page_size": 100}).json()["results"]
    assert 0 < len(public) < len(body["results"])
    first = reader_client.get(url, {"page_size": 1}).json()
    assert first["results"] == body["results"][:1]
    assert first["next"]
