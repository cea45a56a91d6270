"""Claims: normalised, checkable propositions the desk tracks, and the statements that make them."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Claim.State.PUBLISHED)

    def due_promises(self, today=None):
        today = today or timezone.localdate()
        return self.filter(claim_type=Claim.Type.PROMISE, due_date__lte=today).exclude(
            state__in=[Claim.State.RETRACTED, Claim.State.MERGED]
        )


class InvalidTransition(ValidationError):
    """An editorial state change that the workflow does not allow."""


class Claim(models.Model):
    class Type(models.TextChoices):
        FACTUAL = "factual", "Factual claim"
        PROMISE = "promise", "Promise"
        PREDICTION = "prediction", "Prediction"
        FLIP_FLOP = "flip_flop", "Flip-flop"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"
        MERGED = "merged", "Merged into another claim"

    # Which editorial moves are allowed; a correction is an edit of a published claim
    # (recorded in history with its reason), a retraction keeps the claim and its history.
    TRANSITIONS = {
        State.DRAFT: {State.IN_REVIEW, State.MERGED},
        State.IN_REVIEW: {State.DRAFT, State.PUBLISHED, State.MERGED},
        State.PUBLISHED: {State.IN_REVIEW, State.RETRACTED, State.MERGED},
        State.RETRACTED: {State.IN_REVIEW},
        State.MERGED: set(),
    }

    text = models.TextField(help_text='e.g. "Syria will honour all past agreements with Russia"')
    title = models.CharField(max_length=300, blank=True)
    claim_type = models.CharField("type", max_length=12, choices=Type.choices, default=Type.FACTUAL)
    claimants = models.ManyToManyField("Speaker", blank=True, related_name="claims")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    rating = models.ForeignKey(
        "Rating", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    verdict_explanation = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True, help_text="When a promise falls due.")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    external_id = models.CharField(max_length=200, null=True, blank=True, unique=True)
    external_url = models.URLField(max_length=2000, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_claims"
    )
    # Kept up to date by a database trigger (migration 0002) for full-text matching.
    search_vector = SearchVectorField(null=True, editable=False)
    # Sentence embedding of ``text`` for matching (384 float16, claims.matching.embedding); NULL
    # until computed, and reset by a trigger (migration 0004) whenever the text changes.
    embedding = models.BinaryField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    verdict_changed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["search_vector", "embedding", "updated_at"], m2m_fields=[claimants, topics]
    )
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="claim_search_vector_gin"),
            GinIndex(fields=["text"], opclasses=["gin_trgm_ops"], name="claim_text_trgm_gin"),
            models.Index(fields=["state", "-updated_at"]),
            # The API's cursor orderings for readers, who see every state.
            models.Index(fields=["-updated_at"], name="claim_updated_at_idx"),
            models.Index(fields=["-created_at"], name="claim_created_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="claim_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="merged") | Q(merged_into__isnull=False),
                name="claim_merged_has_survivor",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(claim_type__in=["promise", "prediction"]),
                name="claim_due_date_only_for_promises",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
        ]

    def __str__(self) -> str:
        return self.title or (self.text if len(self.text) <= 80 else self.text[:77] + "...")

    def get_absolute_url(self) -> str:
        return reverse("claims:claim-detail", args=[self.pk])

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'

    def can_transition(self, to: str) -> bool:
        return to in self.TRANSITIONS[self.State(self.state)]

    def transition(self, to: str) -> None:
        """Move to editorial state ``to`` (without saving), or raise InvalidTransition."""
        if not self.can_transition(to):
            raise InvalidTransition(
                f"A {self.get_state_display().lower()} claim cannot move to "
                f"{self.State(to).label.lower()}."
            )
        if to == self.State.PUBLISHED:
            if self.rating_id is None:
                raise InvalidTransition("Rate the claim before publishing it.")
            self.published_at = self.published_at or timezone.now()
        self.state = to

    def set_verdict(self, rating, explanation: str) -> None:
        """Set the verdict (without saving); the rating must come from a scale for this type."""
        if rating is not None and self.claim_type not in rating.scale.claim_types:
            raise ValidationError(
                f"{rating.label!r} belongs to the {rating.scale.name} scale, which does not rate "
                f"{self.get_claim_type_display().lower()}s."
            )
        self.rating = rating
        self.verdict_explanation = explanation
        self.verdict_changed_at = timezone.now()


class ClaimTerms(models.Model):
    """A tracked claim's lexemes without positions, kept by database triggers for matching.

    Matching reads the terms of thousands of candidate claims per statement at scale (see
    claims.matching.lexical). A claim row also holds its text, title, search vector with
    positions and embedding; this narrow copy is about an eighth of that, so those reads stay in
    PostgreSQL's buffers. Merged claims have none: they are never matched. Written only by the
    triggers of migration 0006.
    """

    claim = models.OneToOneField(
        Claim, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    terms = SearchVectorField()

    class Meta:
        indexes = [GinIndex(fields=["terms"], name="claimterms_terms_gin")]

    def __str__(self) -> str:
        return f"terms of claim {self.claim_id}"


class ClaimStatement(models.Model):
    class Relation(models.TextChoices):
        ASSERTS = "asserts", "Asserts"
        REPEATS = "repeats", "Repeats"
        PARAPHRASES = "paraphrases", "Paraphrases"
        DENIES = "denies", "Denies"

    class Fidelity(models.TextChoices):
        VERBATIM = "verbatim", "Verbatim"
        PARAPHRASE = "paraphrase", "Paraphrase"
        INFERENCE = "inference", "Inference"
        TRANSLATION = "translation", "Translation"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="statement_links")
    statement = models.ForeignKey("Statement", on_delete=models.PROTECT, related_name="claim_links")
    relation = models.CharField(max_length=12, choices=Relation.choices, default=Relation.ASSERTS)
    fidelity = models.CharField(max_length=12, choices=Fidelity.choices, default=Fidelity.VERBATIM)
    note = models.TextField(blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "claim statement"
        ordering = ["linked_at"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "statement"], name="claim_statement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.statement} {self.get_relation_display().lower()} {self.claim}"
