"""Evidence: sources, and how each bears on a claim."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from .claims import Claim


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Sources attached to at least one published claim (what anonymous readers see)."""
        published = ClaimSource.objects.filter(
            source=OuterRef("pk"), claim__state=Claim.State.PUBLISHED
        )
        return self.filter(Exists(published))


class Source(models.Model):
    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary document"
        DATASET = "dataset", "Dataset"
        OFFICIAL = "official", "Official record"
        REPORT = "report", "Report"
        INTERVIEW = "interview", "Expert interview"
        NEWS = "news", "News report"
        OTHER = "other", "Other"

    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    archived_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the archived copy, to show it has not changed.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_unique_url"),
        ]

    def __str__(self) -> str:
        return self.title


class ClaimSource(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claim_links")
    stance = models.CharField(max_length=8, choices=Stance.choices)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "claim source"
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="claim_source_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source}"
