"""A schema.org DataFeed of recent ClaimReviews, for search engines and other fact-checkers."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.claimreview import claim_review
from claims.models import Claim, ClaimStatement

from .base import reject_unstorable_query
from .permissions import ANONYMOUS, RolePermission

MAX_FEED = 100

DATA_FEED_SCHEMA = {
    "type": "object",
    "properties": {
        "@context": {"type": "string"},
        "@type": {"type": "string", "enum": ["DataFeed"]},
        "dateModified": {"type": "string", "format": "date-time"},
        "dataFeedElement": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
        },
    },
    "required": ["@context", "@type", "dateModified", "dataFeedElement"],
}


class _FeedParams(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_FEED, default=50)
    since = serializers.DateTimeField(required=False)


class ClaimReviewFeed(APIView):
    """The most recently published ClaimReviews, newest first."""

    permission_classes = [RolePermission]
    read_role = ANONYMOUS

    @extend_schema(
        tags=["claimreview"],
        summary="DataFeed of recent ClaimReviews",
        parameters=[
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1–{MAX_FEED}, default 50."),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Published at or after."),
        ],
        responses={200: OpenApiResponse(DATA_FEED_SCHEMA, description="schema.org DataFeed.")},
    )
    def get(self, request) -> Response:
        reject_unstorable_query(request)
        params = _FeedParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = Claim.objects.published().filter(rating__isnull=False)
        if "since" in params.validated_data:
            qs = qs.filter(published_at__gte=params.validated_data["since"])
        claims = (
            qs.select_related("rating__scale")
            .prefetch_related(
                "rating__scale__ratings",
                "claimants",
                Prefetch(
                    "statement_links",
                    queryset=ClaimStatement.objects.select_related("statement__article").defer(
                        "statement__article__body"
                    ),
                ),
            )
            .order_by("-published_at", "-id")[: params.validated_data["limit"]]
        )
        elements = [review for claim in claims if (review := claim_review(claim, request))]
        return Response(
            {
                "@context": "https://schema.org",
                "@type": "DataFeed",
                "dateModified": timezone.now().isoformat(),
                "dataFeedElement": elements,
            }
        )
