"""Celery tasks: thin, idempotent, IDs in; the services do the work."""

from __future__ import annotations

import logging
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from claims import fetching

logger = logging.getLogger(__name__)

# Transient failures (timeouts, resets, 5xx, 429, a database or broker hiccup) are retried with
# exponential backoff; permanent ones (refused address, 404, not HTML) fail the article at once
# with their reason.
FETCH_RETRIES = 4
# Database hiccups (a lost connection, a deadlock between two workers creating the same
# speakers) are worth a few retries in every stage.
DB_TRANSIENT = (OperationalError, InterfaceError)
STAGE_RETRIES = 3


def backoff(retries: int, *, at_least: float | None = None, cap: float = 300.0) -> float:
    """Seconds before retry number `retries + 1`: exponential with jitter, honouring Retry-After."""
    delay = min(cap, 2 ** (retries + 1)) * random.uniform(0.75, 1.25)
    return min(cap, max(delay, at_least or 0.0))


def _transient_reason(exc: BaseException) -> str | None:
    """Return why a retry may help, or None when the error is permanent (or unexpected)."""
    if isinstance(exc, fetching.FetchError | fetching.ExtractionError):
        return exc.reason if getattr(exc, "transient", False) else None
    if isinstance(exc, SoftTimeLimitExceeded):
        return "The fetch took longer than the task time limit"
    if isinstance(exc, DB_TRANSIENT):
        return f"Database unavailable ({type(exc).__name__})"
    return None


@shared_task(name="claims.fetch_article", bind=True, max_retries=FETCH_RETRIES)
def fetch_article(self, article_id: int) -> None:
    """Fetch and read an article page, then queue its extraction."""
    from claims.services import ingestion

    try:
        ingestion.fetch_article(article_id=article_id)
    except Exception as exc:
        reason = _transient_reason(exc)
        if reason is None:
            # A bug or an unforeseen error: the article must still say why it stopped.
            logger.exception("Fetching article %s failed unexpectedly.", article_id)
            ingestion.fail_article(
                article_id=article_id, reason=f"Unexpected error: {type(exc).__name__}: {exc}"
            )
            return
        attempts = self.request.retries + 1
        if self.request.retries >= self.max_retries:
            ingestion.fail_article(
                article_id=article_id, reason=f"{reason} (gave up after {attempts} attempts)"
            )
            return
        logger.info("Fetching article %s failed (%s); retrying.", article_id, reason)
        # Back in the queue state, so that the retry passes start_fetch's idempotency check.
        ingestion.requeue_fetch(article_id=article_id, reason=reason)
        countdown = backoff(self.request.retries, at_least=getattr(exc, "retry_after", None))
        raise self.retry(exc=exc, countdown=countdown) from None


@shared_task(name="claims.extract_article", bind=True, max_retries=STAGE_RETRIES)
def extract_article(self, article_id: int) -> None:
    """Extract statements from a fetched article, then queue flagging."""
    from claims.models import Article
    from claims.services.extraction import extract_statements
    from claims.services.ingestion import fail_article

    try:
        extract_statements(article_id=article_id)
    except DB_TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            raise
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from None
    except Exception as exc:
        # Extraction is deterministic: running it again would fail the same way.
        logger.exception("Extracting article %s failed.", article_id)
        fail_article(
            article_id=article_id,
            reason=f"Extraction failed: {type(exc).__name__}: {exc}"[:2000],
            states=(Article.State.FETCHED,),
        )


@shared_task(name="claims.flag_article", bind=True, max_retries=STAGE_RETRIES)
def flag_article(self, article_id: int) -> None:
    """Score and flag an article's new statements."""
    from claims.services.flagging import flag_article_statements

    try:
        flag_article_statements(article_id=article_id)
    except DB_TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from None


@shared_task(name="claims.poll_feeds")
def poll_feeds() -> None:
    """Queue a poll of every feed that is due (beat runs this every minute)."""
    from claims.services.feeds import poll_due_feeds
    from claims.services.ingestion import requeue_stalled

    poll_due_feeds()
    # The same beat tick sweeps articles whose task was lost, so nothing stalls silently.
    requeue_stalled()


@shared_task(name="claims.poll_feed", bind=True, max_retries=3)
def poll_feed(self, feed_id: int) -> None:
    """Poll one feed (conditional GET) and submit its new entries."""
    from claims.services.feeds import poll_feed as poll

    try:
        poll(feed_id=feed_id)
    except DB_TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from None


@shared_task(name="claims.embed_claims")
def embed_claims(claim_ids: list[int]) -> None:
    """Store the sentence embeddings matching uses for new or reworded claims."""
    from claims.matching.embedding import store_embeddings

    store_embeddings(claim_ids)


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


@shared_task(name="claims.send_flag_digest")
def send_flag_digest() -> None:
    from claims.services.digest import send_flag_digest as send

    send()
