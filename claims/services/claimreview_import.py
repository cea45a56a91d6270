"""Import schema.org ClaimReview JSON-LD published by other fact-checkers as tracked claims."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from claims.models import Claim, Rating, RatingScale

from .claims import change_verdict, create_claim
from .speakers import resolve_speaker

TRUTH_SCALE = "truth"
# Common alternateName wordings of other fact-checkers, mapped to our truth-scale slugs.
SYNONYMS = {
    "correct": "true",
    "accurate": "true",
    "mostly-correct": "mostly-true",
    "mostly-accurate": "mostly-true",
    "half-truth": "half-true",
    "mixture": "half-true",
    "mixed": "half-true",
    "partly-true": "half-true",
    "partly-false": "half-true",
    "partially-true": "half-true",
    "partially-false": "half-true",
    "misleading": "mostly-false",
    "mostly-incorrect": "mostly-false",
    "incorrect": "false",
    "inaccurate": "false",
    "fake": "false",
    "wrong": "false",
    "pants-fire": "pants-on-fire",
    "four-pinocchios": "false",
}
MAX_EXTERNAL_ID = 200


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).removeprefix("schema:").removeprefix("http://schema.org/") for k in kinds}


def reviews_in(data: Any) -> Iterator[dict]:
    """Yield every ClaimReview node in a JSON-LD document (list, @graph, DataFeed, nested item)."""
    if isinstance(data, list):
        for item in data:
            yield from reviews_in(item)
    elif isinstance(data, dict):
        if "ClaimReview" in _types(data):
            yield data
            return
        for key in ("@graph", "dataFeedElement", "item", "mainEntity", "itemListElement"):
            if key in data:
                yield from reviews_in(data[key])


def external_id_for(url: str) -> str:
    """The review URL is the identity; hash it when it does not fit the column."""
    if len(url) <= MAX_EXTERNAL_ID:
        return url
    return "sha256:" + hashlib.sha256(url.encode()).hexdigest()


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def map_rating(review_rating: dict, scale: RatingScale) -> Rating | None:
    """Map a reviewRating to a rating of ``scale``: by name first, then by relative value."""
    ratings = scale.verdicts()
    if not ratings:
        return None
    name = str(review_rating.get("alternateName") or review_rating.get("name") or "")
    key = slugify(re.sub(r"[!.]+$", "", name.strip()))
    key = SYNONYMS.get(key, key)
    for rating in ratings:
        if key and key in (rating.slug, slugify(rating.label)):
            return rating
    value = _number(review_rating.get("ratingValue"))
    if value is None:
        return None
    # schema.org defaults: bestRating 5, worstRating 1.
    best = _number(review_rating.get("bestRating")) or 5.0
    worst = _number(review_rating.get("worstRating")) or 1.0
    if best == worst:
        return None
    fraction = min(1.0, max(0.0, (value - worst) / (best - worst)))
    low, high = min(r.value for r in ratings), max(r.value for r in ratings)
    target = low + fraction * (high - low)
    return min(ratings, key=lambda r: (abs(r.value - target), r.value))


def _explanation(review: dict, rating: dict) -> str:
    author = review.get("author") or {}
    who = author.get("name") if isinstance(author, dict) else None
    text = str(rating.get("ratingExplanation") or "").strip()
    label = str(rating.get("alternateName") or rating.get("ratingValue") or "").strip()
    origin = f"Rated {label!r} by {who or 'another fact-checker'}: {review.get('url')}"
    return f"{text}\n\n{origin}" if text else origin


@transaction.atomic
def import_claim_review(review: dict, *, by=None) -> tuple[Claim, str]:
    """Create or update one claim from a ClaimReview; return it and created/updated/unchanged."""
    url = str(review.get("url") or "").strip()
    text = " ".join(str(review.get("claimReviewed") or "").split())
    if not url or not text:
        raise ValidationError("A ClaimReview needs a url and a claimReviewed text.")
    scale = RatingScale.objects.prefetch_related("ratings").get(slug=TRUTH_SCALE)
    review_rating = (
        review.get("reviewRating") if isinstance(review.get("reviewRating"), dict) else {}
    )
    rating = map_rating(review_rating, scale)
    explanation = _explanation(review, review_rating)

    external_id = external_id_for(url)
    claim = Claim.objects.filter(external_id=external_id).first()
    outcome = "unchanged"
    if claim is None:
        item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
        author = item.get("author")
        author = author[0] if isinstance(author, list) and author else author
        name = author.get("name") if isinstance(author, dict) else None
        speaker = resolve_speaker(name=str(name)) if name else None
        claim = create_claim(
            text=text,
            by=by,
            claimants=[speaker] if speaker else [],
            external_id=external_id,
            external_url=url[:2000],
            reason="Imported ClaimReview",
        )
        outcome = "created"
    if claim.rating_id != (rating.pk if rating else None) or (
        rating and claim.verdict_explanation != explanation
    ):
        claim = change_verdict(
            claim=claim, rating=rating, explanation=explanation, by=by, reason="Imported verdict"
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    return claim, outcome


def import_claim_reviews(data: Any, *, by=None) -> ImportResult:
    """Import every ClaimReview in a JSON-LD document; bad ones are reported, not fatal."""
    result = ImportResult()
    for review in reviews_in(data):
        try:
            claim, outcome = import_claim_review(review, by=by)
        except ValidationError as exc:
            result.errors.append(f"{review.get('url') or '(no url)'}: {' '.join(exc.messages)}")
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.claim_ids.append(claim.pk)
    return result
