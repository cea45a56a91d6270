"""Publishers, the articles the desk ingests, and the feeds it polls."""

import hashlib

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Outlet(models.Model):
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, unique=True, help_text="e.g. reuters.com")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        FETCHING = "fetching", "Fetching"
        FETCHED = "fetched", "Fetched"
        EXTRACTED = "extracted", "Extracted"
        FAILED = "failed", "Failed"
        DUPLICATE = "duplicate", "Duplicate"

    class Origin(models.TextChoices):
        URL = "url", "URL"
        FEED = "feed", "Feed"
        TEXT = "text", "Pasted text"
        API = "api", "API"
        BULK = "bulk", "Bulk file"

    url = models.URLField("submitted URL", max_length=2000, blank=True)
    canonical_url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    feed = models.ForeignKey(
        "Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    title = models.CharField(max_length=1000, blank=True)
    authors = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    # Statement offsets index into this text: it is stored exactly as extracted.
    body = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.URL)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    failure_reason = models.TextField(blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # Hash of the body the current statements were extracted from (re-extraction detects change).
    extracted_hash = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords(excluded_fields=["body", "updated_at"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "-created_at"]),
            models.Index(fields=["-published_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["failed", "duplicate"]) | ~Q(failure_reason=""),
                name="article_failure_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "fetching", "failed", "duplicate"]) | ~Q(body=""),
                name="article_processed_has_body",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.link or f"Article {self.pk}"

    @staticmethod
    def hash_body(body: str) -> str:
        """Return the content hash used to recognise the same text under another URL."""
        normalised = " ".join(body.split()).casefold()
        return hashlib.sha256(normalised.encode()).hexdigest()

    @property
    def link(self) -> str:
        return self.canonical_url or self.url

    def mark_failed(self, reason: str) -> None:
        self.state = self.State.FAILED
        self.failure_reason = reason or "Unknown error"

    def mark_duplicate(self, original: "Article", why: str) -> None:
        self.state = self.State.DUPLICATE
        self.duplicate_of = original
        self.failure_reason = f"Duplicate of article {original.pk} ({why})"


class Feed(models.Model):
    url = models.URLField(max_length=2000, unique=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="feeds"
    )
    title = models.CharField(max_length=500, blank=True)
    poll_interval = models.PositiveIntegerField(default=15, help_text="Minutes between polls.")
    active = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(poll_interval__gte=1), name="feed_poll_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url
