"""Polling RSS/Atom feeds: conditional GET, each new entry ingested once."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from claims import fetching
from claims.models import Article, Feed

from .ingestion import fetch_policy, submit_url

logger = logging.getLogger(__name__)


def due_feeds(now=None) -> list[Feed]:
    """Active feeds whose poll interval has passed since they were last polled."""
    now = now or timezone.now()
    interval = ExpressionWrapper(
        F("poll_interval") * timedelta(minutes=1), output_field=DurationField()
    )
    return list(
        Feed.objects.filter(active=True)
        .alias(next_poll=F("last_polled_at") + interval)
        .filter(Q(last_polled_at__isnull=True) | Q(next_poll__lte=now))
    )


def poll_due_feeds() -> int:
    """Queue a poll of each due feed; return how many were queued."""
    from claims.tasks import poll_feed

    feeds = due_feeds()
    for feed in feeds:
        poll_feed.delay(feed.pk)
    return len(feeds)


def poll_feed(*, feed_id: int) -> int:
    """Fetch a feed (conditionally) and submit its new entries; return how many were new."""
    with transaction.atomic():
        feed = (
            Feed.objects.select_for_update(skip_locked=True).filter(pk=feed_id, active=True).first()
        )
        if feed is None:
            return 0
        feed.last_polled_at = timezone.now()
        feed.save(update_fields=["last_polled_at"])
    try:
        result = fetching.fetch(
            feed.url,
            etag=feed.etag or None,
            last_modified=feed.last_modified or None,
            max_bytes=settings.CLAIMDESK["FETCH_MAX_BYTES"],
            total_timeout=settings.CLAIMDESK["FETCH_TIMEOUT"],
            policy=fetch_policy(),
        )
        if result.not_modified:
            Feed.objects.filter(pk=feed.pk).update(last_error="")
            return 0
        parsed = fetching.parse_feed(
            result.content, base_url=result.url, content_type=result.content_type
        )
    except (fetching.FetchError, fetching.FeedError) as exc:
        Feed.objects.filter(pk=feed.pk).update(last_error=exc.reason)
        logger.info("Feed %s failed: %s", feed.url, exc.reason)
        return 0
    new = 0
    for entry in parsed.entries:
        if not entry.url:
            continue
        try:
            submission = submit_url(
                url=entry.url,
                origin=Article.Origin.FEED,
                outlet=feed.outlet,
                feed=feed,
                title=entry.title or "",
                published_at=entry.published,
            )
        except ValidationError:
            logger.info("Feed %s has an entry with a bad URL: %r", feed.url, entry.url)
            continue
        new += submission.created
    Feed.objects.filter(pk=feed.pk).update(
        etag=result.etag or "",
        last_modified=result.last_modified or "",
        last_error="",
        title=feed.title or (parsed.title or "")[:500],
    )
    return new
