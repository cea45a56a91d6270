"""Outgoing webhooks and their delivery log."""

import secrets
import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    class Event(models.TextChoices):
        STATEMENT_FLAGGED = "statement.flagged", "statement.flagged"
        CLAIM_PUBLISHED = "claim.published", "claim.published"
        CLAIM_VERDICT_CHANGED = "claim.verdict_changed", "claim.verdict_changed"

    url = models.URLField(max_length=2000)
    secret = models.CharField(
        max_length=200, default=new_secret, help_text="Key for the HMAC-SHA256 signature."
    )
    events = ArrayField(models.CharField(max_length=40, choices=Event.choices), default=list)
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.description or self.url


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Webhook.Event.choices)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"
