"""Outgoing events: one delivery row per subscribed webhook, sent by a task after commit."""

from __future__ import annotations

from django.utils import timezone

from claims.models import Claim, Flag, Webhook, WebhookDelivery


def claim_payload(claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "text": claim.text,
        "type": claim.claim_type,
        "state": claim.state,
        "version": claim.version,
        "rating": claim.rating.label if claim.rating_id else None,
        "rating_value": claim.rating.value if claim.rating_id else None,
        "verdict_explanation": claim.verdict_explanation,
        "url": claim.get_absolute_url(),
    }


def flag_payload(flag: Flag) -> dict:
    statement = flag.statement
    return {
        "id": flag.pk,
        "reason": flag.reason,
        "priority": flag.priority,
        "score": flag.score,
        "statement": {
            "id": statement.pk,
            "text": statement.text,
            "speaker": statement.speaker.name if statement.speaker_id else None,
            "article_url": statement.article.link,
        }
        if statement
        else None,
        "claim": claim_payload(flag.claim) if flag.claim_id else None,
    }


def emit_event(event: str, subject: Claim | Flag, **extra) -> list[WebhookDelivery]:
    """Record a delivery for each active webhook subscribed to ``event`` and queue it."""
    from claims.tasks import deliver_webhook

    hooks = list(Webhook.objects.filter(active=True, events__contains=[event]))
    if not hooks:
        return []
    data = claim_payload(subject) if isinstance(subject, Claim) else flag_payload(subject)
    deliveries = []
    for hook in hooks:
        delivery = WebhookDelivery.objects.create(
            webhook=hook,
            event=event,
            payload={
                "event": event,
                "created_at": timezone.now().isoformat(),
                "data": data,
                **extra,
            },
        )
        deliver_webhook.delay_on_commit(delivery.pk)
        deliveries.append(delivery)
    return deliveries
