"""Ingest articles: every way in (URL, feed, text, API, bulk) lands here exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import fetching
from claims.models import Article, Feed, Outlet

from .history import save_with_history

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 5 * 1024 * 1024


@dataclass(frozen=True)
class Submission:
    """What became of a submitted article."""

    article: Article
    created: bool

    @property
    def duplicate(self) -> bool:
        return not self.created


def fetch_policy() -> fetching.AddressPolicy:
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
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host:
        return None
    return Outlet.objects.filter(domain=host).first()


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
        title=title[:1000],
        published_at=published_at,
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
    if not body or not body.strip():
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
        title=title.strip()[:1000],
        body=body,
        content_hash=content_hash,
        published_at=published_at,
        language=language[:16],
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
        if article.state not in (Article.State.QUEUED, Article.State.FETCHING):
            return None
        article.state = Article.State.FETCHING
        article.attempts += 1
        article.save(update_fields=["state", "attempts", "updated_at"])
        return article


def fail_article(*, article_id: int, reason: str) -> None:
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article and article.state in (Article.State.QUEUED, Article.State.FETCHING):
            article.mark_failed(reason)
            save_with_history(article, reason="Failed")


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
    article.language = (data.language or "")[:16]
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
    save_with_history(article, by=by, reason="Retried")
    return article
