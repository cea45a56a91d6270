"""Public pages: a published claim with its verdict, statements and sources."""

from django.shortcuts import get_object_or_404, redirect, render

from claims.claimreview import claim_review, json_ld
from claims.models import Claim


def claim_detail(request, pk: int):
    claim = get_object_or_404(
        Claim.objects.select_related("rating", "merged_into").prefetch_related(
            "claimants",
            "statement_links__statement__speaker",
            "statement_links__statement__article",
            "source_links__source",
        ),
        pk=pk,
    )
    if claim.state == Claim.State.MERGED and claim.merged_into_id:
        return redirect(claim.merged_into)
    if claim.state != Claim.State.PUBLISHED and not request.user.has_perm("claims.view_claim"):
        return render(request, "claims/not_published.html", status=404)
    review = claim_review(claim, request)
    return render(
        request,
        "claims/claim_detail.html",
        {"claim": claim, "claimreview_json": json_ld(review) if review else ""},
    )
