"""schema.org ClaimReview for a published claim."""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim

# Characters that could close a <script> element or start an entity, escaped as JSON allows.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """Serialise JSON-LD for embedding in a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))


def claim_review(claim: Claim, request=None) -> dict | None:
    """Return ClaimReview JSON-LD for ``claim``, or None when it is not published and rated."""
    if claim.state != Claim.State.PUBLISHED or claim.rating_id is None:
        return None
    url = claim.get_absolute_url()
    if request is not None:
        url = request.build_absolute_uri(url)
    rating = claim.rating
    scale = rating.scale
    links = sorted(
        claim.statement_links.all(),
        key=lambda link: link.statement.article.published_at or link.linked_at,
    )
    appearances = [
        {
            "@type": "CreativeWork",
            "url": link.statement.article.link,
            **(
                {"datePublished": link.statement.article.published_at.isoformat()}
                if link.statement.article.published_at
                else {}
            ),
        }
        for link in links
        if link.statement.article.link
    ]
    authors = [
        {"@type": "Person" if s.kind == "person" else "Organization", "name": s.name}
        for s in claim.claimants.all()
    ]
    item: dict = {"@type": "Claim"}
    if authors:
        item["author"] = authors[0] if len(authors) == 1 else authors
    if appearances:
        item["firstAppearance"] = appearances[0]
        item["appearance"] = appearances
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "datePublished": (claim.published_at or claim.updated_at).date().isoformat(),
        "author": {"@type": "Organization", "name": "Claimdesk"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": scale.best_value or rating.value,
            "worstRating": scale.worst_value or rating.value,
            "alternateName": rating.label,
            "ratingExplanation": claim.verdict_explanation,
        },
    }
