"""Flags: reasons an editor should look at a statement, with suggested claims."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .claims import ClaimStatement


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=Flag.State.OPEN)

    def by_priority(self):
        return self.order_by("-priority", "-score", "-created_at")


class Flag(models.Model):
    class Reason(models.TextChoices):
        CHECK_WORTHY = "check_worthy", "Check-worthy"
        REPEATS_CLAIM = "repeats_claim", "Repeats a tracked claim"
        REPEATS_FALSE_CLAIM = "repeats_false", "Repeats a claim rated false"
        DISPUTES_CLAIM = "disputes_claim", "Disputes a tracked claim"
        NEW_SPEAKER = "new_speaker", "New speaker"
        PROMISE_DUE = "promise_due", "Promise due"

    class Priority(models.IntegerChoices):
        LOW = 10, "Low"
        NORMAL = 20, "Normal"
        HIGH = 30, "High"
        URGENT = 40, "Urgent"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    class Resolution(models.TextChoices):
        LINKED = "linked", "Linked to a claim"
        CREATED_CLAIM = "created_claim", "New claim created"
        DISMISSED = "dismissed", "Dismissed"
        REVIEWED = "reviewed", "Reviewed"

    statement = models.ForeignKey(
        "Statement", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    claim = models.ForeignKey(
        "Claim",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
        help_text="The claim the flag is about (a repeated claim, a promise that falls due).",
    )
    reason = models.CharField(max_length=14, choices=Reason.choices)
    score = models.FloatField(default=0)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    suggested_claims = models.ManyToManyField(
        "Claim", through="FlagSuggestion", related_name="suggested_in_flags", blank=True
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolution = models.CharField(max_length=14, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "-score", "-created_at"]
        indexes = [models.Index(fields=["state", "-priority", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(statement__isnull=False) | Q(claim__isnull=False),
                name="flag_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(state="open", resolution="") | (~Q(state="open") & ~Q(resolution="")),
                name="flag_resolution_matches_state",
            ),
            # Re-running flagging must not open the same flag twice.
            models.UniqueConstraint(
                fields=["statement", "reason"],
                condition=Q(statement__isnull=False),
                name="flag_unique_statement_reason",
            ),
            models.UniqueConstraint(
                fields=["claim", "reason"],
                condition=Q(statement__isnull=True),
                name="flag_unique_claim_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.get_state_display().lower()})"

    @property
    def link_relation(self) -> str:
        """The relation linking this flag's statement gets unless the editor picks another: a
        statement that disputes the claim denies it, any other repeats it."""
        if self.reason == self.Reason.DISPUTES_CLAIM:
            return ClaimStatement.Relation.DENIES
        return ClaimStatement.Relation.REPEATS


class FlagSuggestion(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="suggestions")
    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()
    rank = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["flag", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["flag", "claim"], name="flag_suggestion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} ({self.similarity:.2f})"
