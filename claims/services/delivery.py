"""Sending webhook deliveries: signed JSON through the safe fetcher, retried with backoff."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.utils import timezone

from claims import fetching
from claims.models import WebhookDelivery

from .ingestion import fetch_policy

SIGNATURE_HEADER = "X-Claimdesk-Signature"


def sign(secret: str, body: bytes) -> str:
    """Return the signature header value: ``sha256=<hex HMAC of the body>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(*, delivery_id: int, attempt: int, final: bool) -> int | None:
    """Send one delivery; return seconds until a retry, or None when done (delivered or given up)."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.state == WebhookDelivery.State.DELIVERED:
        return None
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        SIGNATURE_HEADER: sign(delivery.webhook.secret, body),
        "X-Claimdesk-Event": delivery.event,
        "X-Claimdesk-Delivery": str(delivery.event_id),
        "User-Agent": "Claimdesk-Webhooks/1",
    }
    delivery.attempts = attempt
    transient = True
    try:
        result = fetching.post_json(delivery.webhook.url, body, headers, policy=fetch_policy())
        delivery.response_status = result.status
        delivery.state = WebhookDelivery.State.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.error = ""
    except fetching.FetchError as exc:
        delivery.error = exc.reason
        delivery.response_status = getattr(exc, "status", None)
        transient = exc.transient
        delivery.state = (
            WebhookDelivery.State.PENDING
            if transient and not final
            else WebhookDelivery.State.FAILED
        )
    delivery.save()
    if delivery.state == WebhookDelivery.State.PENDING:
        return min(3600, 2**attempt * 5)
    return None
