"""Ingest articles: every way in (URL, feed, text, API, bulk) lands here exactly once."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims import fetching
from claims.fetching.fetcher import HTML_TYPES
from claims.models import Article, Feed, Outlet

from .history import save_with_history

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 5 * 1024 * 1024
# An article still queued, fetching or fetched this long after its last change lost its task
# (broker hiccup, worker killed past the visibility timeout, hard time limit): queue it again.
STALLED_AFTER = timedelta(minutes=10)
# Attempts after which a stalled fetch is given up instead of being queued again.
MAX_FETCH_ATTEMPTS = 6
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class Submission:
    """What became of a submitted article."""

    article: Article
    created: bool

    @property
    def duplicate(self) -> bool:
        return not self.created

    @property
    def duplicate_reason(self) -> str:
        """Why the submission was recognised as a duplicate ("" when it was created)."""
        if self.created:
            return ""
        return f"duplicate of article {self.article.pk}"


def parse_published(value: str | None) -> datetime | None:
    """Parse an ISO 8601 date or date-time (naive ones are in the site's time zone)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.combine(day, time()) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(
            {"published_at": f"Not an ISO 8601 date or date-time: {value[:60]!r}"}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def error_text(exc: ValidationError) -> str:
    """Flatten a ValidationError into one readable line."""
    if hasattr(exc, "error_dict"):
        return "; ".join(
            " ".join(messages) if field == "__all__" else f"{field}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def fetch_policy() -> fetching.AddressPolicy:
    """Return the address policy for outbound fetches, from settings."""
    conf = settings.CLAIMDESK
    kwargs = {"allowed_networks": conf["FETCH_ALLOWED_NETWORKS"]}
    if conf["FETCH_ANY_PORT"]:
        kwargs["allowed_ports"] = None
    return fetching.AddressPolicy(**kwargs)


def canonical(url: str) -> str:
    """Validate an http(s) URL and return its canonical form, or raise ValidationError."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": f"Not a valid http(s) URL: {url[:200]!r}"}) from None
    return fetching.canonicalize_url(url)


def outlet_for(url: str) -> Outlet | None:
    """Return the outlet whose domain serves `url`, if the desk knows it."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host:
        return None
    return Outlet.objects.filter(domain=host).first()


def outlet_named(value: str) -> Outlet:
    """Find an outlet by domain or name; create one for an unknown domain; else ValidationError."""
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError({"outlet": "The outlet is empty."})
    domain = value.lower().removeprefix("www.")
    if "://" in domain:
        domain = (urlsplit(domain).hostname or "").removeprefix("www.")
    found = (
        Outlet.objects.filter(domain=domain).first()
        or Outlet.objects.filter(name__iexact=value).first()
    )
    if found:
        return found
    if not _DOMAIN.match(domain):
        raise ValidationError(
            {"outlet": f"Unknown outlet {value[:100]!r} (give its domain, e.g. reuters.com)."}
        )
    outlet, _ = Outlet.objects.get_or_create(domain=domain, defaults={"name": domain})
    return outlet


def _existing(
    *, canonical_url: str | None = None, content_hash: str | None = None
) -> Article | None:
    if canonical_url:
        found = Article.objects.filter(canonical_url=canonical_url).first()
        if found:
            return found
    if content_hash:
        return Article.objects.filter(content_hash=content_hash).first()
    return None


def submit_url(
    *,
    url: str,
    by=None,
    origin: str = Article.Origin.URL,
    outlet: Outlet | None = None,
    feed: Feed | None = None,
    title: str = "",
    published_at: datetime | None = None,
    language: str = "",
) -> Submission:
    """Queue an article for fetching, or return the article already stored under that URL."""
    canonical_url = canonical(url)
    found = _existing(canonical_url=canonical_url)
    if found:
        return Submission(found, created=False)
    article = Article(
        url=url.strip(),
        canonical_url=canonical_url,
        outlet=outlet or outlet_for(canonical_url),
        feed=feed,
        title=(title or "").strip()[:1000],
        published_at=published_at,
        language=(language or "")[:16],
        origin=origin,
        state=Article.State.QUEUED,
    )
    try:
        with transaction.atomic():
            save_with_history(article, by=by, reason=f"Submitted ({article.get_origin_display()})")
    except IntegrityError:
        # Two submissions raced; the unique canonical URL decided which one is stored.
        return Submission(Article.objects.get(canonical_url=canonical_url), created=False)
    from claims.tasks import fetch_article

    fetch_article.delay_on_commit(article.pk)
    return Submission(article, created=True)


def submit_text(
    *,
    body: str,
    title: str = "",
    url: str = "",
    by=None,
    origin: str = Article.Origin.TEXT,
    outlet: Outlet | None = None,
    published_at: datetime | None = None,
    language: str = "",
    authors: list[str] | None = None,
) -> Submission:
    """Store pasted or imported text as an article and queue its extraction."""
    if not isinstance(body, str) or not body.strip():
        raise ValidationError({"body": "The article text is empty."})
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            {"body": f"The article text is longer than {MAX_BODY_CHARS:,} characters."}
        )
    if "\x00" in body:
        raise ValidationError({"body": "The article text contains NUL characters (binary data?)."})
    canonical_url = canonical(url) if url else None
    content_hash = Article.hash_body(body)
    found = _existing(canonical_url=canonical_url, content_hash=content_hash)
    if found:
        return Submission(found, created=False)
    article = Article(
        url=url.strip(),
        canonical_url=canonical_url,
        outlet=outlet or (outlet_for(canonical_url) if canonical_url else None),
        title=(title or "").strip()[:1000],
        body=body,
        content_hash=content_hash,
        published_at=published_at,
        language=(language or "")[:16],
        authors=authors or [],
        origin=origin,
        state=Article.State.FETCHED,
        fetched_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            save_with_history(article, by=by, reason=f"Submitted ({article.get_origin_display()})")
    except IntegrityError:
        return Submission(
            _existing(canonical_url=canonical_url, content_hash=content_hash), created=False
        )
    from claims.tasks import extract_article

    extract_article.delay_on_commit(article.pk)
    return Submission(article, created=True)


def start_fetch(*, article_id: int) -> Article | None:
    """Mark an article as being fetched; None when there is nothing to fetch (idempotency)."""
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            logger.warning("Article %s is gone; nothing to fetch.", article_id)
            return None
        if article.state == Article.State.FETCHED:
            # A redelivered fetch of a page already stored: the worker may have died between
            # storing it and queueing its extraction, so queue that again (it is idempotent).
            from claims.tasks import extract_article

            extract_article.delay_on_commit(article.pk)
            return None
        if article.state not in (Article.State.QUEUED, Article.State.FETCHING):
            return None
        article.state = Article.State.FETCHING
        article.attempts += 1
        article.save(update_fields=["state", "attempts", "updated_at"])
        return article


PENDING_FETCH = (Article.State.QUEUED, Article.State.FETCHING)


def fail_article(
    *, article_id: int, reason: str, states: tuple[str, ...] = PENDING_FETCH
) -> Article | None:
    """Mark an article failed with a reason an editor can read, if it is still in `states`."""
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article and article.state in states:
            article.mark_failed(reason)
            save_with_history(article, reason="Failed")
            return article
    return None


def requeue_fetch(*, article_id: int, reason: str) -> None:
    """Put an article whose fetch failed transiently back in the queue, noting why."""
    # The reason stays visible while the retry waits; a successful fetch clears it.
    Article.objects.filter(pk=article_id, state__in=PENDING_FETCH).update(
        state=Article.State.QUEUED,
        failure_reason=f"Retrying: {reason}"[:2000],
        updated_at=timezone.now(),
    )


def fetch_article(*, article_id: int) -> Article | None:
    """Fetch and read an article page. Transient fetch errors propagate (the task retries)."""
    article = start_fetch(article_id=article_id)
    if article is None:
        return None
    conf = settings.CLAIMDESK
    try:
        result = fetching.fetch(
            article.url or article.canonical_url,
            max_bytes=conf["FETCH_MAX_BYTES"],
            total_timeout=conf["FETCH_TIMEOUT"],
            policy=fetch_policy(),
            accept=HTML_TYPES,
        )
        data = fetching.extract_article(
            result.content, url=result.url, content_type_charset=result.charset
        )
    except (fetching.FetchError, fetching.ExtractionError) as exc:
        if getattr(exc, "transient", False):
            raise
        fail_article(article_id=article.pk, reason=exc.reason)
        return None
    return store_fetched(article_id=article.pk, data=data, final_url=result.url)


@transaction.atomic
def store_fetched(*, article_id: int, data: fetching.ArticleData, final_url: str) -> Article | None:
    """Keep what was read from the page, unless another article already has it."""
    article = Article.objects.select_for_update().get(pk=article_id)
    if article.state != Article.State.FETCHING:
        return None
    canonical_url = fetching.canonicalize_url(data.canonical_url or final_url)
    content_hash = Article.hash_body(data.text)
    for why, duplicate in (
        (
            "same canonical URL",
            Article.objects.filter(canonical_url=canonical_url).exclude(pk=article.pk).first(),
        ),
        (
            "same text",
            Article.objects.filter(content_hash=content_hash).exclude(pk=article.pk).first(),
        ),
    ):
        if duplicate:
            article.mark_duplicate(duplicate, why)
            save_with_history(article, reason="Duplicate")
            return article
    article.canonical_url = canonical_url
    article.title = article.title or (data.title or "")[:1000]
    article.body = data.text
    article.content_hash = content_hash
    article.authors = data.authors
    article.published_at = article.published_at or data.published
    article.language = article.language or (data.language or "")[:16]
    article.outlet = article.outlet or outlet_for(canonical_url)
    article.state = Article.State.FETCHED
    article.failure_reason = ""
    article.fetched_at = timezone.now()
    try:
        with transaction.atomic():
            save_with_history(article, reason="Fetched")
    except IntegrityError:
        # A racing worker stored the same page under another row first.
        article.refresh_from_db()
        original = _existing(canonical_url=canonical_url, content_hash=content_hash)
        article.mark_duplicate(original, "stored by a concurrent fetch")
        save_with_history(article, reason="Duplicate")
        return article
    from claims.tasks import extract_article

    extract_article.delay_on_commit(article.pk)
    return article


@transaction.atomic
def retry_article(*, article: Article, by=None) -> Article:
    """Queue a failed article again."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.state != Article.State.FAILED:
        raise ValidationError(
            f"Only failed articles can be retried (this one is {article.get_state_display().lower()})."
        )
    from claims.tasks import extract_article, fetch_article

    if article.body:
        article.state = Article.State.FETCHED
        extract_article.delay_on_commit(article.pk)
    else:
        article.state = Article.State.QUEUED
        fetch_article.delay_on_commit(article.pk)
    article.failure_reason = ""
    # A new round of attempts: the stalled-fetch sweeper counts from here.
    article.attempts = 0
    save_with_history(article, by=by, reason="Retried")
    return article


def requeue_stalled(*, older_than: timedelta = STALLED_AFTER) -> int:
    """Queue again the articles whose task was lost; give up on ones that keep stalling."""
    from claims.tasks import extract_article, fetch_article

    cutoff = timezone.now() - older_than
    stalled = Article.objects.filter(updated_at__lt=cutoff)
    count = 0
    for article_id, attempts in stalled.filter(state__in=PENDING_FETCH).values_list(
        "pk", "attempts"
    ):
        if attempts >= MAX_FETCH_ATTEMPTS:
            fail_article(
                article_id=article_id,
                reason=f"Fetching stalled {attempts} times (worker lost or time limit)",
            )
            continue
        # Touch the row so the next sweep waits again before re-queueing it.
        Article.objects.filter(pk=article_id).update(updated_at=timezone.now())
        fetch_article.delay(article_id)
        count += 1
    for article_id in stalled.filter(state=Article.State.FETCHED).values_list("pk", flat=True):
        Article.objects.filter(pk=article_id).update(updated_at=timezone.now())
        extract_article.delay(article_id)
        count += 1
    if count:
        logger.warning("Queued %s stalled article(s) again.", count)
    return count
