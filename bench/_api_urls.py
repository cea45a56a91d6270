"""bench_api.py URLconf: the real API plus a bare Django view over the same rows."""

from django.http import JsonResponse
from django.urls import include, path

from claims.models import Claim, ClaimSource, ClaimStatement


def bare_claims(request) -> JsonResponse:
    """The same page of claims as /api/claims/?page_size=50, with .values() and no DRF."""
    claims = list(
        Claim.objects.filter(state="published")
        .order_by("-id")
        .values(
            "id",
            "version",
            "text",
            "title",
            "claim_type",
            "state",
            "verdict_explanation",
            "due_date",
            "rating__id",
            "rating__slug",
            "rating__label",
            "rating__value",
            "rating__colour",
            "rating__scale__slug",
            "assignee_id",
            "external_id",
            "external_url",
            "merged_into_id",
            "created_at",
            "updated_at",
            "published_at",
            "verdict_changed_at",
        )[:50]
    )
    ids = [c["id"] for c in claims]
    by_claim: dict[int, dict] = {c["id"]: {**c, "statements": [], "sources": []} for c in claims}
    for link in ClaimStatement.objects.filter(claim_id__in=ids).values(
        "id",
        "claim_id",
        "relation",
        "fidelity",
        "note",
        "linked_at",
        "statement__id",
        "statement__text",
        "statement__kind",
        "statement__cue",
        "statement__speaker__id",
        "statement__speaker__name",
        "statement__speaker__kind",
        "statement__speaker_mention",
        "statement__article__id",
        "statement__article__canonical_url",
        "statement__article__title",
        "statement__article__outlet__name",
        "statement__article__published_at",
    ):
        by_claim[link["claim_id"]]["statements"].append(link)
    for link in ClaimSource.objects.filter(claim_id__in=ids).values(
        "id",
        "claim_id",
        "stance",
        "note",
        "added_at",
        "source__id",
        "source__url",
        "source__title",
        "source__publisher",
        "source__kind",
    ):
        by_claim[link["claim_id"]]["sources"].append(link)
    for speaker in Claim.claimants.through.objects.filter(claim_id__in=ids).values(
        "claim_id", "speaker__id", "speaker__name", "speaker__kind"
    ):
        by_claim[speaker["claim_id"]].setdefault("claimants", []).append(speaker)
    return JsonResponse({"next": None, "previous": None, "results": list(by_claim.values())})


urlpatterns = [
    path("api/", include("claims.api.urls")),
    path("bare/claims/", bare_claims),
    path("", include("claims.urls")),
]
