"""API resources: thin viewsets that read through prefetching querysets and write via services."""

from __future__ import annotations

import json
import re

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import services
from claims.claimreview import claim_review
from claims.matching import similar_claims
from claims.models import (
    Article,
    Claim,
    ClaimSource,
    ClaimStatement,
    Feed,
    Flag,
    FlagSuggestion,
    Outlet,
    Rating,
    RatingScale,
    Source,
    Speaker,
    Statement,
    Topic,
    Webhook,
    WebhookDelivery,
)
from claims.roles import ADMIN, EDITOR, READER
from claims.services import ingestion

from . import filters, rows
from . import serializers as s
from .base import ApiViewSet
from .errors import PreconditionFailed, PreconditionRequired
from .permissions import ANONYMOUS

MAX_SIMILAR = 50
CLAIM_WRITE_ERRORS = [409]


def claim_queryset() -> QuerySet:
    """Claims with everything the read serializer touches, in a fixed number of queries."""
    return Claim.objects.select_related("rating__scale").prefetch_related(
        Prefetch("claimants", queryset=Speaker.objects.only("id", "name", "kind")),
        Prefetch("topics", queryset=Topic.objects.only("id", "slug")),
        Prefetch(
            "statement_links",
            queryset=ClaimStatement.objects.select_related(
                "statement__speaker", "statement__article__outlet"
            ).defer("statement__article__body"),
        ),
        Prefetch("source_links", queryset=ClaimSource.objects.select_related("source")),
    )


# ---------------------------------------------------------------------------- claims

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag from your last read, e.g. "12-3". Missing → 428, stale → 412.',
)
ETAG_HEADER = OpenApiResponse(s.ClaimSerializer, description="The claim; its ETag header is set.")
_ETAG = re.compile(r'^(?:W/)?"(\d+)-(\d+)"$')


@extend_schema(tags=["claims"])
class ClaimViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Tracked claims. Anonymous callers see published claims only."""

    serializer_class = s.ClaimSerializer
    filterset_class = filters.ClaimFilter
    ordering_fields = ("id", "created_at", "updated_at")
    read_role = ANONYMOUS
    write_role = EDITOR
    extra_error_statuses = {
        "update": [409, 412, 428],
        "partial_update": [409, 412, 428],
        "verdict": CLAIM_WRITE_ERRORS,
        "publish": CLAIM_WRITE_ERRORS,
        "review": CLAIM_WRITE_ERRORS,
        "retract": CLAIM_WRITE_ERRORS,
        "merge": CLAIM_WRITE_ERRORS,
        "link_statement": CLAIM_WRITE_ERRORS,
        "attach_source": CLAIM_WRITE_ERRORS,
    }

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            # list() reads .values() rows and batches the relations itself (rows.claim_rows).
            qs = Claim.objects.all()
        elif self.action in ("retrieve", "claimreview"):
            qs = claim_queryset()
            if self.action == "claimreview":
                qs = qs.prefetch_related("rating__scale__ratings")
        else:
            qs = Claim.objects.all()
        return qs.published() if self.is_anonymous else qs

    def _respond(self, claim: Claim, code: int = status.HTTP_200_OK) -> Response:
        claim = claim_queryset().get(pk=claim.pk)
        return Response(s.ClaimSerializer(claim).data, status=code, headers={"ETag": claim.etag})

    def list(self, request, *args, **kwargs) -> Response:
        # The ClaimSerializer shape, built from dict rows without model instances (rows.py).
        # No docstring: drf-spectacular would publish it as the operation's description.
        queryset = self.filter_queryset(self.get_queryset())
        if not rows.claim_page_json_supported():
            page = self.paginate_queryset(rows.claim_values(queryset))
            return self.get_paginated_response(rows.claim_rows(page))
        # The page's ids (and cursor fields) here, the page itself as JSON built by PostgreSQL.
        page = self.paginate_queryset(queryset.values(*self.ordering_fields))
        results = rows.claim_page_json([row["id"] for row in page])
        next_link = json.dumps(self.paginator.get_next_link())
        previous_link = json.dumps(self.paginator.get_previous_link())
        return HttpResponse(
            f'{{"next":{next_link},"previous":{previous_link},"results":{results}}}',
            content_type="application/json",
        )

    def retrieve(self, request, *args, **kwargs) -> Response:
        claim = self.get_object()
        return Response(self.get_serializer(claim).data, headers={"ETag": claim.etag})

    @extend_schema(request=s.ClaimCreateSerializer, responses={201: s.ClaimSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        data = self._valid(s.ClaimCreateSerializer, request)
        claim = services.create_claim(by=request.user, **data)
        return self._respond(claim, status.HTTP_201_CREATED)

    def _expected_version(self, request, claim: Claim) -> int:
        header = request.headers.get("If-Match")
        if not header:
            raise PreconditionRequired()
        match = _ETAG.match(header.strip())
        if not match or int(match.group(1)) != claim.pk:
            raise PreconditionFailed(f"If-Match {header[:60]!r} is not an ETag of this claim.")
        return int(match.group(2))

    @extend_schema(
        request=s.ClaimUpdateSerializer, responses={200: ETAG_HEADER}, parameters=[IF_MATCH]
    )
    def update(self, request, *args, **kwargs) -> Response:
        claim = self.get_object()
        expected = self._expected_version(request, claim)
        data = self._valid(s.ClaimUpdateSerializer, request, partial=kwargs.get("partial", False))
        claim = services.update_claim(
            claim=claim, expected_version=expected, by=request.user, **data
        )
        return self._respond(claim)

    @extend_schema(
        request=s.ClaimUpdateSerializer, responses={200: ETAG_HEADER}, parameters=[IF_MATCH]
    )
    def partial_update(self, request, *args, **kwargs) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def _valid(self, serializer_class, request, **kwargs) -> dict:
        serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        request=s.LinkStatementSerializer,
        responses={201: s.ClaimStatementSerializer},
        summary="Link a statement to the claim",
    )
    @action(detail=True, methods=["post"], url_path="statements", url_name="statements")
    def link_statement(self, request, pk=None) -> Response:
        claim = self.get_object()
        data = self._valid(s.LinkStatementSerializer, request)
        link = services.link_statement(claim=claim, by=request.user, **data)
        return Response(s.ClaimStatementSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.AttachSourceSerializer,
        responses={201: s.ClaimSourceSerializer},
        summary="Attach evidence with a stance",
    )
    @action(detail=True, methods=["post"], url_path="sources", url_name="sources")
    def attach_source(self, request, pk=None) -> Response:
        claim = self.get_object()
        data = self._valid(s.AttachSourceSerializer, request)
        link = services.attach_source(claim=claim, by=request.user, **data)
        return Response(s.ClaimSourceSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.VerdictSerializer, responses={200: ETAG_HEADER}, summary="Change the verdict"
    )
    @action(detail=True, methods=["post"])
    def verdict(self, request, pk=None) -> Response:
        claim = self.get_object()
        data = self._valid(s.VerdictSerializer, request)
        claim = services.change_verdict(claim=claim, by=request.user, **data)
        return self._respond(claim)

    def _transition(self, request, to: str) -> Response:
        claim = self.get_object()
        data = self._valid(s.TransitionSerializer, request)
        if to == Claim.State.PUBLISHED:
            claim = services.publish_claim(claim=claim, by=request.user, **data)
        else:
            claim = services.transition_claim(claim=claim, to=to, by=request.user, **data)
        return self._respond(claim)

    @extend_schema(
        request=s.TransitionSerializer,
        responses={200: ETAG_HEADER},
        summary="Publish a rated claim (a draft passes through review)",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None) -> Response:
        return self._transition(request, Claim.State.PUBLISHED)

    @extend_schema(
        request=s.TransitionSerializer,
        responses={200: ETAG_HEADER},
        summary="Send to review (also un-publishes or reopens a retracted claim)",
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None) -> Response:
        return self._transition(request, Claim.State.IN_REVIEW)

    @extend_schema(request=s.TransitionSerializer, responses={200: ETAG_HEADER}, summary="Retract")
    @action(detail=True, methods=["post"])
    def retract(self, request, pk=None) -> Response:
        return self._transition(request, Claim.State.RETRACTED)

    @extend_schema(
        request=s.MergeSerializer,
        responses={200: ETAG_HEADER},
        summary="Merge this claim into another (returns the surviving claim)",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None) -> Response:
        claim = self.get_object()
        data = self._valid(s.MergeSerializer, request)
        survivor = services.merge_claims(
            survivor=data["into"], duplicate=claim, by=request.user, reason=data["reason"]
        )
        return self._respond(survivor)

    @extend_schema(
        responses={
            (200, "application/json"): OpenApiResponse(
                {"type": "object", "additionalProperties": True},
                description="schema.org ClaimReview JSON-LD.",
            )
        },
        summary="schema.org ClaimReview of a published, rated claim",
    )
    @action(detail=True, methods=["get"])
    def claimreview(self, request, pk=None) -> Response:
        review = claim_review(self.get_object(), request)
        if review is None:
            return Response(
                {
                    "error": {
                        "code": "not_found",
                        "message": "The claim is not published and rated.",
                    }
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(review)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Text to match."),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=f"How many claims (1–{MAX_SIMILAR}, default 5).",
            ),
        ],
        responses={200: s.SimilarClaimsSerializer},
        summary="Tracked claims ranked by similarity to a text, best first",
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def similar(self, request) -> Response:
        params = _SimilarParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        text, limit = params.validated_data["q"], params.validated_data["limit"]
        # Anonymous callers only see published claims: over-fetch, then filter.
        matches = similar_claims(text, limit=MAX_SIMILAR if self.is_anonymous else limit)
        claims = {
            c.pk: c
            for c in self.get_queryset()
            .select_related("rating__scale")
            .filter(pk__in=[m.claim_id for m in matches])
        }
        results = []
        for match in matches:
            claim = claims.get(match.claim_id)
            if claim is not None:
                claim.score = match.score
                results.append(claim)
        data = s.SimilarClaimSerializer(results[:limit], many=True).data
        return Response({"query": text, "results": data})


class _SimilarParams(serializers.Serializer):
    q = serializers.CharField(max_length=2000)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_SIMILAR, default=5)


# ---------------------------------------------------------------------------- articles


@extend_schema(tags=["articles"])
class ArticleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """Ingested news articles. Submit one by URL or as pasted text."""

    filterset_class = filters.ArticleFilter
    ordering_fields = ("id", "created_at")
    read_role = READER
    write_role = EDITOR

    def get_queryset(self) -> QuerySet:
        qs = Article.objects.select_related("outlet")
        return qs if self.action == "retrieve" else qs.defer("body")

    def get_serializer_class(self):
        return s.ArticleDetailSerializer if self.action == "retrieve" else s.ArticleSerializer

    @extend_schema(
        request=s.ArticleSubmitSerializer,
        responses={
            201: OpenApiResponse(s.ArticleSubmissionSerializer, description="A new article."),
            200: OpenApiResponse(
                s.ArticleSubmissionSerializer,
                description="Already stored (same canonical URL or text): the existing article.",
            ),
        },
    )
    def create(self, request, *args, **kwargs) -> Response:
        serializer = s.ArticleSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("text"):
            result = ingestion.submit_text(
                body=data["text"],
                title=data["title"],
                url=data.get("url") or "",
                by=request.user,
                origin=Article.Origin.API,
                published_at=data["published_at"],
                language=data["language"],
            )
        else:
            result = ingestion.submit_url(
                url=data["url"],
                by=request.user,
                origin=Article.Origin.API,
                title=data["title"],
                published_at=data["published_at"],
            )
        body = {"duplicate": result.duplicate, "article": s.ArticleSerializer(result.article).data}
        return Response(body, status=status.HTTP_201_CREATED if result.created else 200)

    @extend_schema(request=None, responses={200: s.ArticleSerializer}, summary="Retry a failure")
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None) -> Response:
        article = ingestion.retry_article(article=self.get_object(), by=request.user)
        return Response(s.ArticleSerializer(article).data)


# ---------------------------------------------------------------------------- read-only registry


@extend_schema(tags=["statements"])
class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Statements as reported in articles. Anonymous callers see those of published claims."""

    serializer_class = s.StatementSerializer
    filterset_class = filters.StatementFilter
    ordering_fields = ("id", "created_at")

    def get_queryset(self) -> QuerySet:
        qs = Statement.objects.select_related("speaker", "article__outlet").defer("article__body")
        if self.is_anonymous:
            qs = qs.public()
        return qs

    def list(self, request, *args, **kwargs) -> Response:
        # The StatementSerializer shape, built from dict rows (one query, no model instances).
        queryset = self.filter_queryset(self.get_queryset()).values(*rows.STATEMENT_COLUMNS)
        page = self.paginate_queryset(queryset)
        if page is None:  # pragma: no cover - the paginator always pages
            return Response(rows.statement_rows(queryset))
        return self.get_paginated_response(rows.statement_rows(page))


@extend_schema(tags=["speakers"])
class SpeakerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The speaker registry: people, organisations, unnamed groups."""

    serializer_class = s.SpeakerSerializer
    filterset_class = filters.SpeakerFilter
    ordering_fields = ("id", "name", "created_at")
    read_role = READER
    queryset = Speaker.objects.prefetch_related("roles")


@extend_schema(tags=["sources"])
class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Evidence. Anonymous callers see sources attached to published claims."""

    serializer_class = s.SourceSerializer
    filterset_class = filters.SourceFilter
    ordering_fields = ("id", "created_at", "title")

    def get_queryset(self) -> QuerySet:
        qs = Source.objects.all()
        return qs.public() if self.is_anonymous else qs

    def list(self, request, *args, **kwargs) -> Response:
        # The SourceSerializer shape, built from dict rows (rows.py).
        queryset = self.filter_queryset(self.get_queryset()).values(*rows.SOURCE_COLUMNS)
        page = self.paginate_queryset(queryset)
        if page is None:  # pragma: no cover - the paginator always pages
            return Response(rows.source_rows(queryset))
        return self.get_paginated_response(rows.source_rows(page))


@extend_schema(tags=["ratings"])
class RatingScaleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Verdict vocabularies, one per set of claim types, with their ratings."""

    serializer_class = s.RatingScaleSerializer
    filterset_class = None
    ordering_fields = ("id", "name")
    queryset = RatingScale.objects.prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.select_related("scale"))
    )


@extend_schema(tags=["ratings"])
class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Ratings of every scale; ``rating`` ids are what the verdict action takes."""

    serializer_class = s.RatingSerializer
    filterset_class = filters.RatingFilter
    ordering_fields = ("id", "value")
    queryset = Rating.objects.select_related("scale")


@extend_schema(tags=["registry"])
class TopicViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.TopicSerializer
    filterset_class = None
    ordering_fields = ("id", "name")
    queryset = Topic.objects.all()


@extend_schema(tags=["registry"])
class OutletViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.OutletSerializer
    filterset_class = None
    ordering_fields = ("id", "name")
    read_role = READER
    queryset = Outlet.objects.all()


# ---------------------------------------------------------------------------- flags


@extend_schema(tags=["flags"])
class FlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Reasons to look at a statement; editors resolve them by linking, creating or dismissing."""

    serializer_class = s.FlagSerializer
    filterset_class = filters.FlagFilter
    ordering_fields = ("id", "created_at", "priority")
    read_role = READER
    write_role = EDITOR

    def get_queryset(self) -> QuerySet:
        return Flag.objects.select_related(
            "statement__speaker", "statement__article__outlet"
        ).prefetch_related(
            Prefetch(
                "suggestions",
                queryset=FlagSuggestion.objects.select_related("claim__rating__scale"),
            )
        )

    def _valid(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _flag_response(self, flag: Flag) -> Response:
        return Response(s.FlagSerializer(self.get_queryset().get(pk=flag.pk)).data)

    @extend_schema(
        request=s.FlagLinkSerializer,
        responses={200: s.FlagSerializer},
        summary="Resolve by linking the statement to a claim",
    )
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None) -> Response:
        flag = self.get_object()
        services.resolve_flag_with_link(
            flag=flag, by=request.user, **self._valid(s.FlagLinkSerializer, request)
        )
        return self._flag_response(flag)

    @extend_schema(
        request=s.FlagCreateClaimSerializer,
        responses={201: s.ClaimSerializer},
        summary="Resolve by creating a draft claim from the statement",
    )
    @action(detail=True, methods=["post"], url_path="create-claim", url_name="create-claim")
    def create_claim(self, request, pk=None) -> Response:
        flag = self.get_object()
        data = self._valid(s.FlagCreateClaimSerializer, request)
        claim = services.resolve_flag_with_new_claim(flag=flag, by=request.user, **data)
        claim = claim_queryset().get(pk=claim.pk)
        return Response(
            s.ClaimSerializer(claim).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": claim.etag},
        )

    @extend_schema(
        request=s.FlagDismissSerializer, responses={200: s.FlagSerializer}, summary="Dismiss"
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None) -> Response:
        flag = self.get_object()
        data = self._valid(s.FlagDismissSerializer, request)
        services.dismiss_flag(flag=flag, by=request.user, reason=data["reason"])
        return self._flag_response(flag)


# ---------------------------------------------------------------------------- configuration


class ConfigurationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Plain create/read/update/delete for desk configuration (no editorial history)."""

    filterset_class = None
    ordering_fields = ("id", "url", "created_at")


@extend_schema(tags=["configuration"])
class FeedViewSet(ConfigurationViewSet):
    """RSS/Atom feeds the desk polls. Admins manage them."""

    serializer_class = s.FeedSerializer
    read_role = READER
    write_role = ADMIN
    queryset = Feed.objects.all()


@extend_schema(tags=["configuration"])
class WebhookViewSet(ConfigurationViewSet):
    """Outgoing webhooks (admins only: they hold signing secrets)."""

    serializer_class = s.WebhookSerializer
    read_role = ADMIN
    write_role = ADMIN
    queryset = Webhook.objects.all()


@extend_schema(tags=["configuration"])
class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The delivery log of webhooks (read-only; editors can see what went out)."""

    serializer_class = s.WebhookDeliverySerializer
    filterset_class = filters.DeliveryFilter
    ordering_fields = ("id", "created_at")
    read_role = EDITOR
    queryset = WebhookDelivery.objects.all()
