"""The public claim page: verdict badge, what was said, ClaimReview JSON-LD."""

import json
import re

import pytest

from claims.models import Rating, Statement
from tests.api.conftest import make_claim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("background", "text"),
    [
        ("#fee08b", "#1a1a1a"),
        ("#ffffff", "#1a1a1a"),
        ("#d73027", "#ffffff"),
        ("#000000", "#ffffff"),
    ],
)
def test_badge_text_contrasts_with_its_background(background, text):
    assert Rating(colour=background).text_colour == text


def test_page_quotes_direct_statements_only_and_embeds_claimreview(client):
    claim = make_claim(published=True, statements=2, sources=1)
    direct, reported = [link.statement for link in claim.statement_links.order_by("id")]
    Statement.objects.filter(pk=reported.pk).update(kind=Statement.Kind.INDIRECT)
    page = client.get(claim.get_absolute_url()).content.decode()
    # One blockquote each: the direct quote in quotation marks, the reported one without.
    assert f"<blockquote>“{direct.text}”" in page
    assert f"<blockquote>{reported.text}" in page
    badge = re.search(r'<span class="badge" style="background: (#\w+); color: (#\w+)">False<', page)
    assert badge
    assert badge.group(2) == Rating.objects.get(pk=claim.rating_id).text_colour
    review = json.loads(re.search(r'id="claimreview">(.*?)</script>', page, re.S).group(1))
    assert review["claimReviewed"] == claim.text
