"""API serializers: read shapes (nested, prefetched) and write shapes (only editable fields)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
    SpeakerRole,
    Statement,
    Topic,
    Webhook,
    WebhookDelivery,
)


class StrictMixin:
    """Refuse unknown and read-only fields in a write body instead of ignoring them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(k) for k in data if k not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown or read-only field; it cannot be set."] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictSerializer(StrictMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictMixin, serializers.ModelSerializer):
    pass


# ---------------------------------------------------------------------------- errors (docs only)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable code, e.g. validation_error.")
    message = serializers.CharField(help_text="A sentence for humans.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per offending field (dotted paths for nested fields).",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# ---------------------------------------------------------------------------- small shapes


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "domain", "country"]


class SpeakerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "kind"]


class SpeakerRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpeakerRole
        fields = ["office", "organisation", "start_date", "end_date"]


class SpeakerSerializer(serializers.ModelSerializer):
    roles = SpeakerRoleSerializer(many=True, read_only=True)

    class Meta:
        model = Speaker
        fields = [
            "id",
            "name",
            "kind",
            "aliases",
            "external_id",
            "description",
            "verified",
            "roles",
            "created_at",
        ]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "slug"]


class RatingSerializer(serializers.ModelSerializer):
    scale = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Rating
        fields = [
            "id",
            "scale",
            "slug",
            "label",
            "value",
            "colour",
            "description",
            "counts_as_false",
        ]


class RatingBriefSerializer(serializers.ModelSerializer):
    scale = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "scale", "slug", "label", "value", "colour"]


class RatingScaleSerializer(serializers.ModelSerializer):
    ratings = RatingSerializer(many=True, read_only=True)
    claim_types = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = RatingScale
        fields = ["id", "name", "slug", "claim_types", "description", "ratings"]


class ArticleBriefSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="link", read_only=True)
    outlet = serializers.CharField(source="outlet.name", read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "url", "title", "outlet", "published_at"]


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="May be empty (e.g. an interview).")

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "publisher",
            "kind",
            "retrieved_at",
            "archived_hash",
            "created_at",
        ]


class SourceBriefSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "kind"]


# ---------------------------------------------------------------------------- statements


class StatementBriefSerializer(serializers.ModelSerializer):
    speaker = SpeakerBriefSerializer(read_only=True, allow_null=True)
    article = ArticleBriefSerializer(read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "text", "kind", "cue", "speaker", "speaker_mention", "article"]


class StatementSerializer(serializers.ModelSerializer):
    speaker = SpeakerBriefSerializer(read_only=True, allow_null=True)
    type_guess = serializers.CharField(
        read_only=True, help_text="factual, promise, prediction, opinion, other; empty if unscored."
    )
    article = ArticleBriefSerializer(read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "article",
            "text",
            "start",
            "end",
            "kind",
            "cue",
            "cue_start",
            "cue_end",
            "speaker",
            "speaker_mention",
            "speaker_start",
            "speaker_end",
            "attribution_chain",
            "check_worthiness",
            "type_guess",
            "review_state",
            "created_at",
        ]


# ---------------------------------------------------------------------------- claims


class ClaimStatementSerializer(serializers.ModelSerializer):
    statement = StatementBriefSerializer(read_only=True)

    class Meta:
        model = ClaimStatement
        fields = ["id", "statement", "relation", "fidelity", "note", "linked_at"]


class ClaimSourceSerializer(serializers.ModelSerializer):
    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = ClaimSource
        fields = ["id", "source", "stance", "note", "added_at"]


class ClaimSerializer(serializers.ModelSerializer):
    """A claim as read: verdict, claimants, topics, statements and evidence."""

    rating = RatingBriefSerializer(read_only=True, allow_null=True)
    claimants = SpeakerBriefSerializer(many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    statements = ClaimStatementSerializer(source="statement_links", many=True, read_only=True)
    sources = ClaimSourceSerializer(source="source_links", many=True, read_only=True)
    etag = serializers.CharField(read_only=True, help_text="Send it back in If-Match to edit.")
    external_url = serializers.CharField(read_only=True)
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "etag",
            "version",
            "text",
            "title",
            "claim_type",
            "state",
            "rating",
            "verdict_explanation",
            "due_date",
            "claimants",
            "topics",
            "statements",
            "sources",
            "assignee",
            "external_id",
            "external_url",
            "merged_into",
            "page_url",
            "created_at",
            "updated_at",
            "published_at",
            "verdict_changed_at",
        ]
        read_only_fields = fields


class ClaimSummarySerializer(serializers.ModelSerializer):
    rating = RatingBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Claim
        fields = ["id", "text", "title", "claim_type", "state", "rating", "published_at"]
        read_only_fields = fields


class SimilarClaimSerializer(ClaimSummarySerializer):
    score = serializers.FloatField(read_only=True, help_text="Similarity in [0, 1].")

    class Meta(ClaimSummarySerializer.Meta):
        fields = [*ClaimSummarySerializer.Meta.fields, "score"]
        read_only_fields = fields


class SimilarClaimsSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SimilarClaimSerializer(many=True)


class ClaimCreateSerializer(StrictModelSerializer):
    """What an editor may set when creating a claim (state, version, author are the server's)."""

    claimants = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Speaker.objects.all(), required=False
    )
    topics = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Topic.objects.all(), required=False
    )

    class Meta:
        model = Claim
        fields = [
            "text",
            "title",
            "claim_type",
            "due_date",
            "claimants",
            "topics",
            "external_id",
            "external_url",
        ]
        # Uniqueness of external_id is checked by the service/database, not a pre-query.
        extra_kwargs = {"external_id": {"validators": []}}


class ClaimUpdateSerializer(StrictModelSerializer):
    """Editable content of a claim; verdicts and states change through their own actions."""

    claimants = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Speaker.objects.all(), required=False
    )
    topics = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Topic.objects.all(), required=False
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), allow_null=True, required=False
    )

    class Meta:
        model = Claim
        fields = [
            "text",
            "title",
            "claim_type",
            "due_date",
            "verdict_explanation",
            "assignee",
            "claimants",
            "topics",
        ]


class LinkStatementSerializer(StrictSerializer):
    statement = serializers.PrimaryKeyRelatedField(queryset=Statement.objects.all())
    relation = serializers.ChoiceField(
        ClaimStatement.Relation.choices, default=ClaimStatement.Relation.ASSERTS
    )
    fidelity = serializers.ChoiceField(
        ClaimStatement.Fidelity.choices, default=ClaimStatement.Fidelity.VERBATIM
    )
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class AttachSourceSerializer(StrictSerializer):
    """Attach an existing source (``source``) or describe a new one (``url`` and/or ``title``)."""

    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), required=False, allow_null=True
    )
    url = serializers.URLField(required=False, default="", allow_blank=True, max_length=2000)
    title = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)
    publisher = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)
    kind = serializers.ChoiceField(Source.Kind.choices, default=Source.Kind.OTHER)
    archived_hash = serializers.RegexField(
        r"^[0-9a-f]{64}$", required=False, default="", allow_blank=True
    )
    stance = serializers.ChoiceField(ClaimSource.Stance.choices)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("source") and not (attrs.get("url") or attrs.get("title")):
            raise serializers.ValidationError("Give an existing source id, or a url and/or title.")
        return attrs


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "nullable": True,
        "description": 'A rating id, or its slug (e.g. "false", "in-the-works").',
    }
)
class RatingField(serializers.RelatedField):
    """A rating given by id or by slug, so clients need not look ids up first."""

    default_error_messages = {
        "does_not_exist": "No rating {value!r}.",
        "ambiguous": "Several scales have a rating {value!r}; give its id.",
        "invalid": "Give a rating id or slug.",
    }

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if isinstance(data, bool) or not isinstance(data, int | str) or data == "":
            self.fail("invalid")
        if isinstance(data, int) or data.isdigit():
            found = list(queryset.filter(pk=int(data)))
        else:
            found = list(queryset.filter(slug=data)[:2])
        if not found:
            self.fail("does_not_exist", value=data)
        if len(found) > 1:
            self.fail("ambiguous", value=data)
        return found[0]

    def to_representation(self, value):
        return value.pk


class VerdictSerializer(StrictSerializer):
    rating = RatingField(queryset=Rating.objects.select_related("scale"), allow_null=True)
    explanation = serializers.CharField(allow_blank=True, max_length=20000)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)


class TransitionSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)


class MergeSerializer(StrictSerializer):
    into = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), help_text="The claim that survives the merge."
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)


# ---------------------------------------------------------------------------- articles


class ArticleSerializer(serializers.ModelSerializer):
    outlet = OutletSerializer(read_only=True, allow_null=True)
    # Blank for pasted text, so not a strict "uri".
    url = serializers.CharField(read_only=True)
    canonical_url = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "canonical_url",
            "outlet",
            "title",
            "authors",
            "published_at",
            "language",
            "origin",
            "state",
            "failure_reason",
            "duplicate_of",
            "created_at",
            "fetched_at",
            "extracted_at",
        ]
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]
        read_only_fields = fields


class ArticleSubmitSerializer(StrictSerializer):
    """Submit by ``url`` (fetched in the background) or by pasted ``text``."""

    url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    text = serializers.CharField(required=False, allow_blank=False, trim_whitespace=False)
    title = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)
    published_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    language = serializers.CharField(required=False, default="", allow_blank=True, max_length=16)

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("text") and not attrs.get("url"):
            raise serializers.ValidationError({"url": ["Give a url, or the article text."]})
        return attrs


class ArticleSubmissionSerializer(serializers.Serializer):
    duplicate = serializers.BooleanField(help_text="True when the article was already stored.")
    article = ArticleSerializer()


# ---------------------------------------------------------------------------- flags


class FlagSuggestionSerializer(serializers.ModelSerializer):
    claim = ClaimSummarySerializer(read_only=True)

    class Meta:
        model = FlagSuggestion
        fields = ["claim", "similarity", "rank"]


class FlagSerializer(serializers.ModelSerializer):
    statement = StatementBriefSerializer(read_only=True, allow_null=True)
    resolution = serializers.CharField(
        read_only=True, help_text="Empty while open; else linked, created_claim, dismissed, ..."
    )
    suggestions = FlagSuggestionSerializer(many=True, read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "statement",
            "claim",
            "reason",
            "score",
            "priority",
            "suggestions",
            "state",
            "resolution",
            "resolution_note",
            "resolver",
            "resolved_at",
            "created_at",
        ]
        read_only_fields = fields


class FlagLinkSerializer(StrictSerializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    relation = serializers.ChoiceField(
        ClaimStatement.Relation.choices,
        required=False,
        help_text="Default: denies for a disputes_claim flag, repeats for any other.",
    )
    fidelity = serializers.ChoiceField(
        ClaimStatement.Fidelity.choices, default=ClaimStatement.Fidelity.PARAPHRASE
    )
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class FlagCreateClaimSerializer(StrictSerializer):
    text = serializers.CharField(required=False, allow_null=True, default=None, max_length=5000)
    claim_type = serializers.ChoiceField(
        Claim.Type.choices, required=False, allow_null=True, default=None
    )


class FlagDismissSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=5000)


# ---------------------------------------------------------------------------- configuration


class FeedSerializer(StrictModelSerializer):
    class Meta:
        model = Feed
        fields = [
            "id",
            "url",
            "outlet",
            "title",
            "poll_interval",
            "active",
            "etag",
            "last_modified",
            "last_polled_at",
            "last_error",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "etag",
            "last_modified",
            "last_polled_at",
            "last_error",
            "created_at",
        ]
        extra_kwargs = {"poll_interval": {"min_value": 1, "max_value": 10080}}


class WebhookSerializer(StrictModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(Webhook.Event.choices), allow_empty=False, max_length=10
    )

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active", "description", "secret", "created_at"]
        read_only_fields = ["id", "secret", "created_at"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = serializers.JSONField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "webhook",
            "event",
            "payload",
            "state",
            "attempts",
            "response_status",
            "error",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------------------- auth


class LoginSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(allow_null=True)
    user = UserSerializer()
