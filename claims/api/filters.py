"""django-filter filter sets, full-text search and a strict ordering allowlist."""

from __future__ import annotations

from datetime import UTC, datetime

import django_filters as df
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, OuterRef, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from claims.models import (
    Article,
    Claim,
    ClaimStatement,
    Flag,
    Rating,
    Source,
    Speaker,
    Statement,
    WebhookDelivery,
)


def _websearch(value: str) -> SearchQuery:
    # websearch syntax accepts anything a user types ("quoted phrases", -exclusions) without
    # raising tsquery syntax errors, unlike raw to_tsquery.
    return SearchQuery(value, search_type="websearch", config="english")


class UTCDateTimeFilter(df.IsoDateTimeFilter):
    """ISO 8601 datetimes, normalised to UTC: PostgreSQL refuses offsets beyond ±15:59."""

    def filter(self, qs: QuerySet, value: datetime | None) -> QuerySet:
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except (OverflowError, ValueError):
                raise ValidationError({self.field_name: ["Datetime out of range."]}) from None
        return super().filter(qs, value)


class StrictOrderingFilter(OrderingFilter):
    """Only orderings the view allows, one field: anything else is a 400, not silently ignored."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is not None:
            allowed = set(view.ordering_fields)
            terms = [t.strip() for t in raw.split(",") if t.strip()]
            if len(terms) != 1 or terms[0].lstrip("-") not in allowed:
                choices = ", ".join(sorted(f"{p}{f}" for f in allowed for p in ("", "-")))
                raise ValidationError({self.ordering_param: [f"Order by one of: {choices}."]})
            return terms
        return self.get_default_ordering(view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        fields = sorted(view.ordering_fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by this field; prefix with - for descending.",
                "schema": {
                    "type": "string",
                    "enum": [f"{p}{f}" for f in fields for p in ("", "-")],
                },
            }
        ]


class ClaimFilter(df.FilterSet):
    search = df.CharFilter(method="filter_search", label="Full-text search of text and title.")
    speaker = df.ModelChoiceFilter(
        field_name="claimants", queryset=Speaker.objects.all(), label="Claimant (speaker id)."
    )
    claim_type = df.MultipleChoiceFilter(choices=Claim.Type.choices)
    state = df.MultipleChoiceFilter(choices=Claim.State.choices)
    rating = df.ModelChoiceFilter(queryset=Rating.objects.all(), label="Rating id.")
    verdict = df.CharFilter(field_name="rating__slug", label="Rating slug, e.g. false.")
    topic = df.CharFilter(field_name="topics__slug", label="Topic slug.")
    outlet = df.CharFilter(
        method="filter_outlet", label="Outlet domain: claims with a statement from that outlet."
    )
    has_open_flags = df.BooleanFilter(method="filter_open_flags")
    assignee = df.NumberFilter(field_name="assignee_id")
    created_after = UTCDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UTCDateTimeFilter(field_name="created_at", lookup_expr="lt")
    updated_after = UTCDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = UTCDateTimeFilter(field_name="updated_at", lookup_expr="lt")
    published_after = UTCDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UTCDateTimeFilter(field_name="published_at", lookup_expr="lt")
    due_after = df.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = df.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(search_vector=_websearch(value)) if value.strip() else queryset

    def filter_outlet(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # EXISTS instead of a join: a claim with several matching statements appears once.
        links = ClaimStatement.objects.filter(
            claim=OuterRef("pk"), statement__article__outlet__domain=value.strip().lower()
        )
        return queryset.filter(Exists(links))

    def filter_open_flags(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        flags = Flag.objects.filter(claim=OuterRef("pk"), state=Flag.State.OPEN)
        return queryset.filter(Exists(flags)) if value else queryset.exclude(Exists(flags))


class StatementFilter(df.FilterSet):
    search = df.CharFilter(method="filter_search", label="Full-text search of the statement text.")
    speaker = df.NumberFilter(field_name="speaker_id")
    article = df.NumberFilter(field_name="article_id")
    kind = df.MultipleChoiceFilter(choices=Statement.Kind.choices)
    review_state = df.MultipleChoiceFilter(choices=Statement.ReviewState.choices)
    type_guess = df.MultipleChoiceFilter(choices=Statement.TypeGuess.choices)
    outlet = df.CharFilter(field_name="article__outlet__domain", label="Outlet domain.")
    min_check_worthiness = df.NumberFilter(field_name="check_worthiness", lookup_expr="gte")
    created_after = UTCDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UTCDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Statement
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        return queryset.annotate(_sv=SearchVector("text", config="english")).filter(
            _sv=_websearch(value)
        )


class ArticleFilter(df.FilterSet):
    state = df.MultipleChoiceFilter(choices=Article.State.choices)
    origin = df.MultipleChoiceFilter(choices=Article.Origin.choices)
    outlet = df.CharFilter(field_name="outlet__domain", label="Outlet domain.")
    language = df.CharFilter()
    published_after = UTCDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UTCDateTimeFilter(field_name="published_at", lookup_expr="lt")
    created_after = UTCDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UTCDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Article
        fields: list[str] = []


class SpeakerFilter(df.FilterSet):
    name = df.CharFilter(method="filter_name", label="Name or alias (exact, case-insensitive).")
    kind = df.MultipleChoiceFilter(choices=Speaker.Kind.choices)
    verified = df.BooleanFilter()
    external_id = df.CharFilter()

    class Meta:
        model = Speaker
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.matching_name(value) if value.strip() else queryset


class SourceFilter(df.FilterSet):
    kind = df.MultipleChoiceFilter(choices=Source.Kind.choices)
    claim = df.NumberFilter(field_name="claim_links__claim_id", distinct=True)
    publisher = df.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Source
        fields: list[str] = []


class FlagFilter(df.FilterSet):
    state = df.MultipleChoiceFilter(choices=Flag.State.choices)
    reason = df.MultipleChoiceFilter(choices=Flag.Reason.choices)
    min_priority = df.NumberFilter(field_name="priority", lookup_expr="gte")
    claim = df.NumberFilter(field_name="claim_id")
    statement = df.NumberFilter(field_name="statement_id")
    speaker = df.NumberFilter(field_name="statement__speaker_id")
    created_after = UTCDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UTCDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Flag
        fields: list[str] = []


class RatingFilter(df.FilterSet):
    scale = df.CharFilter(field_name="scale__slug", label="Scale slug.")

    class Meta:
        model = Rating
        fields: list[str] = []


class DeliveryFilter(df.FilterSet):
    webhook = df.NumberFilter(field_name="webhook_id")
    state = df.MultipleChoiceFilter(choices=WebhookDelivery.State.choices)
    event = df.CharFilter()

    class Meta:
        model = WebhookDelivery
        fields: list[str] = []
