"""Celery tasks: thin, idempotent, IDs in; the services do the work."""

from __future__ import annotations

import logging

from celery import shared_task

from claims import fetching

logger = logging.getLogger(__name__)

# Transient failures (timeouts, resets, 5xx, 429) are retried with exponential backoff;
# permanent ones (refused address, 404, not HTML) fail the article at once with their reason.
FETCH_RETRIES = 4


@shared_task(name="claims.fetch_article", bind=True, max_retries=FETCH_RETRIES)
def fetch_article(self, article_id: int) -> None:
    from claims.services import ingestion

    try:
        ingestion.fetch_article(article_id=article_id)
    except (fetching.FetchError, fetching.ExtractionError) as exc:
        if self.request.retries >= self.max_retries:
            ingestion.fail_article(
                article_id=article_id,
                reason=f"{exc.reason} (gave up after {self.request.retries + 1} attempts)",
            )
            return
        logger.info("Fetching article %s failed (%s); retrying.", article_id, exc.reason)
        # Put the article back in the queue state so the retry passes the idempotency check.
        from claims.models import Article

        Article.objects.filter(pk=article_id, state=Article.State.FETCHING).update(
            state=Article.State.QUEUED
        )
        raise self.retry(exc=exc, countdown=min(300, 2 ** (self.request.retries + 1))) from None


@shared_task(name="claims.extract_article")
def extract_article(article_id: int) -> None:
    from claims.services.extraction import extract_statements

    extract_statements(article_id=article_id)


@shared_task(name="claims.flag_article")
def flag_article(article_id: int) -> None:
    from claims.services.flagging import flag_article_statements

    flag_article_statements(article_id=article_id)


@shared_task(name="claims.poll_feeds")
def poll_feeds() -> None:
    from claims.services.feeds import poll_due_feeds

    poll_due_feeds()


@shared_task(name="claims.poll_feed", bind=True, max_retries=3)
def poll_feed(self, feed_id: int) -> None:
    from claims.services.feeds import poll_feed as poll

    poll(feed_id=feed_id)


@shared_task(name="claims.flag_due_promises")
def flag_due_promises() -> None:
    from claims.services.flagging import flag_due_promises as flag

    flag()


@shared_task(name="claims.deliver_webhook", bind=True, max_retries=8)
def deliver_webhook(self, delivery_id: int) -> None:
    from claims.services.delivery import deliver

    retry_in = deliver(
        delivery_id=delivery_id,
        attempt=self.request.retries + 1,
        final=self.request.retries >= self.max_retries,
    )
    if retry_in is not None:
        raise self.retry(countdown=retry_in)
