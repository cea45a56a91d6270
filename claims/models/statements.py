"""Statements: what a speaker said, as reported in an article, with exact offsets."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from simple_history.models import HistoricalRecords

from .claims import Claim, ClaimStatement


class StatementQuerySet(models.QuerySet):
    def public(self):
        """Statements linked to at least one published claim (what anonymous readers see)."""
        published = ClaimStatement.objects.filter(
            statement=OuterRef("pk"), claim__state=Claim.State.PUBLISHED
        )
        return self.filter(Exists(published))


class Statement(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        INDIRECT = "indirect", "Indirect (reported)"
        MIXED = "mixed", "Mixed"

    class TypeGuess(models.TextChoices):
        FACTUAL = "factual", "Factual claim"
        PROMISE = "promise", "Promise"
        PREDICTION = "prediction", "Prediction"
        OPINION = "opinion", "Opinion"
        OTHER = "other", "Other"

    class ReviewState(models.TextChoices):
        NEW = "new", "New"
        FLAGGED = "flagged", "Flagged"
        REVIEWED = "reviewed", "Reviewed"
        DISMISSED = "dismissed", "Dismissed"

    article = models.ForeignKey("Article", on_delete=models.PROTECT, related_name="statements")
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    cue = models.CharField(max_length=200, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    speaker = models.ForeignKey(
        "Speaker", null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    speaker_mention = models.CharField(
        max_length=300,
        blank=True,
        help_text='The words that named the speaker: "he", "the Syrian leader".',
    )
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    attribution_chain = models.CharField(
        max_length=500, blank=True, help_text='e.g. "cited by the Reuters and AFP news agencies"'
    )
    check_worthiness = models.FloatField(null=True, blank=True)
    type_guess = models.CharField(max_length=10, choices=TypeGuess.choices, blank=True)
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.NEW
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["check_worthiness", "type_guess"])
    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start"]
        constraints = [
            # The unique key that makes re-extraction idempotent.
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="statement_unique_span"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="statement_span_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(cue_start__isnull=True, cue_end__isnull=True)
                | Q(cue_end__gt=F("cue_start")),
                name="statement_cue_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(speaker_start__isnull=True, speaker_end__isnull=True)
                | Q(speaker_end__gt=F("speaker_start")),
                name="statement_speaker_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(check_worthiness__isnull=True)
                | Q(check_worthiness__gte=0, check_worthiness__lte=1),
                name="statement_check_worthiness_range",
            ),
        ]
        # The offsets-inside-the-body rule spans two tables, so a trigger enforces it
        # (see migration 0002_statement_offsets_trigger).

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."
