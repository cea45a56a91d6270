import csv
import io
import json

import pytest
from django.core.management import call_command

from claims.models import Claim
from claims.services.claimreview_import import import_claim_reviews

from .conftest import make_claim

pytestmark = pytest.mark.django_db

SAMPLE = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "ClaimReview",
            "url": "https://factcheck.example/2026/ukraine-grain",
            "claimReviewed": "Ukraine exported no grain in 2025",
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Jane Doe"}},
            "author": {"@type": "Organization", "name": "Example Checks"},
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": 1,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": "Incorrect",
            },
        },
        {
            "@type": "ClaimReview",
            "url": "https://other.example/reviews/42",
            "claimReviewed": "Unemployment is at a record low",
            "reviewRating": {"@type": "Rating", "ratingValue": 4, "bestRating": 5},
        },
        {
            "@type": "ClaimReview",
            "url": "https://other.example/reviews/43",
            "claimReviewed": "Taxes went up",
            "reviewRating": {"@type": "Rating", "alternateName": "Mostly True"},
        },
        {"@type": "ClaimReview", "claimReviewed": "no url"},
    ],
}


def test_csv_export_streams_claims_with_statements_and_sources(reader_client):
    claim = make_claim(published=True, statements=2, sources=1)
    Claim.objects.filter(pk=claim.pk).update(title="=HYPERLINK(evil)")
    response = reader_client.get("/api/exports/claims.csv")
    assert response.status_code == 200
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["rating"] == "False"
    assert rows[0]["statement_count"] == "2"
    assert len(json.loads(rows[0]["statements"])) == 2
    assert rows[0]["title"].startswith("'=")  # spreadsheet formula neutralised


def test_jsonl_export_honours_filters(reader_client):
    make_claim(published=True)
    make_claim()
    response = reader_client.get("/api/exports/claims.jsonl", {"state": "published"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["state"] == "published"
    assert record["sources"][0]["stance"] == "supports"


def test_exports_need_a_reader(anon_client):
    assert anon_client.get("/api/exports/claims.csv").status_code == 401


def test_import_maps_ratings_and_is_idempotent():
    result = import_claim_reviews(SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert len(result.errors) == 1
    grain = Claim.objects.get(external_id="https://factcheck.example/2026/ukraine-grain")
    assert grain.rating.slug == "false"  # by alternateName synonym
    assert grain.claimants.get().name == "Jane Doe"
    assert "Example Checks" in grain.verdict_explanation
    jobs = Claim.objects.get(external_id="https://other.example/reviews/42")
    assert jobs.rating.slug == "mostly-true"  # 4 of 1..5 → 5 of 1..6 by value
    assert Claim.objects.get(external_id__endswith="/43").rating.slug == "mostly-true"

    again = import_claim_reviews(SAMPLE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Claim.objects.count() == 3


def test_import_command(tmp_path, capsys):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(SAMPLE["dataFeedElement"][:2]))
    call_command("import_claimreviews", str(path))
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 2


def test_export_command(tmp_path):
    make_claim(published=True)
    out = tmp_path / "claims.jsonl"
    call_command("export_claims", "--format", "jsonl", "--output", str(out))
    assert len(out.read_text().splitlines()) == 1
