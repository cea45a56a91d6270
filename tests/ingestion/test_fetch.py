from datetime import timedelta

import pytest
from django.utils import timezone

from claims import extraction, tasks
from claims.models import Article
from claims.services import ingestion
from tests.fetching.conftest import send

from .conftest import article_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingest(django_capture_on_commit_callbacks):
    """Submit a URL and run the whole pipeline eagerly; return the article as stored."""
    from config.celery import app

    # Eager retries only re-run the task when exceptions do not propagate (as on a worker).
    app.conf.task_eager_propagates = False

    def run(url: str) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            submission = ingestion.submit_url(url=url)
        return Article.objects.get(pk=submission.article.pk)

    yield run
    app.conf.task_eager_propagates = True


def test_fetched_page_is_extracted_and_flagged(site, ingest):
    article = ingest(site.article(1))
    assert article.state == Article.State.EXTRACTED, article.failure_reason
    assert article.title == "Budget story 1"
    assert article.attempts == 1
    texts = list(article.statements.values_list("text", flat=True))
    assert "We will build 1 new schools before the end of the decade," in texts
    assert not article.statements.filter(check_worthiness__isnull=True).exists()


def test_refused_address_fails_at_once_with_its_reason(ingest, settings):
    settings.CLAIMDESK = {**settings.CLAIMDESK, "FETCH_ALLOWED_NETWORKS": []}
    article = ingest("http://10.1.2.3/internal/page")
    assert article.state == Article.State.FAILED
    assert article.attempts == 1
    assert "10.1.2.3" in article.failure_reason or "not allowed" in article.failure_reason.lower()


def test_not_found_fails_at_once_with_its_reason(site, ingest):
    article = ingest(site.url("/missing"))
    assert article.state == Article.State.FAILED
    assert article.attempts == 1
    assert "404" in article.failure_reason
    assert len(site.requests) == 1


def test_wrong_content_type_fails_at_once_with_its_reason(site, ingest):
    site.static("/report.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    article = ingest(site.url("/report.pdf"))
    assert article.state == Article.State.FAILED
    assert article.attempts == 1
    assert "application/pdf" in article.failure_reason
    assert len(site.requests) == 1


def test_server_error_is_retried_then_succeeds(site, ingest, monkeypatch):
    answers = iter([503, 502])

    @site.route("/flaky")
    def flaky(handler):
        status = next(answers, 200)
        send(handler, status, article_html(7) if status == 200 else b"busy")

    article = ingest(site.url("/flaky"))
    assert article.state == Article.State.EXTRACTED, article.failure_reason
    assert article.attempts == 3
    assert article.failure_reason == ""
    assert [r.path for r in site.requests] == ["/flaky"] * 3


def test_persistent_server_error_gives_up_with_its_reason(site, ingest):
    site.static("/down", b"down", status=503)
    article = ingest(site.url("/down"))
    assert article.state == Article.State.FAILED
    assert article.attempts == tasks.FETCH_RETRIES + 1
    assert "503" in article.failure_reason
    assert "gave up after 5 attempts" in article.failure_reason


def test_unexpected_error_still_fails_the_article_with_a_reason(site, ingest, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(ingestion.fetching, "extract_article", boom)
    article = ingest(site.article(2))
    assert article.state == Article.State.FAILED
    assert "parser exploded" in article.failure_reason


def test_same_page_under_two_urls_is_marked_duplicate(site, ingest):
    first = ingest(site.article(3, path="/a"))
    second = ingest(site.article(3, path="/b"))
    assert first.state == Article.State.EXTRACTED
    assert second.state == Article.State.DUPLICATE
    assert second.duplicate_of == first
    assert "same text" in second.failure_reason


def test_fetch_task_for_an_article_already_fetched_does_nothing(site, ingest):
    article = ingest(site.article(4))
    requests = len(site.requests)
    tasks.fetch_article.delay(article.pk)
    tasks.extract_article.delay(article.pk)
    assert len(site.requests) == requests
    # Exactly what the extractor finds in the stored body, each once.
    assert article.statements.count() == len(extraction.extract(article.body)) > 0


def test_redelivered_fetch_queues_the_extraction_a_killed_worker_never_queued(
    site, django_capture_on_commit_callbacks
):
    # The worker stored the page and died before its on-commit hook queued the extraction;
    # the broker then redelivers the fetch. It must not fetch again, but it must hand the
    # article on, or it would sit in "fetched" until the stalled-article sweep.
    with django_capture_on_commit_callbacks(execute=False):  # queued, not fetched yet
        article = ingestion.submit_url(url=site.article(9)).article
    with django_capture_on_commit_callbacks(execute=False) as lost:  # the hand-off is lost
        ingestion.fetch_article(article_id=article.pk)
    assert len(lost) == 1
    article.refresh_from_db()
    assert article.state == Article.State.FETCHED
    requests = len(site.requests)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.fetch_article.delay(article.pk)  # the redelivery

    article.refresh_from_db()
    assert len(site.requests) == requests
    assert article.state == Article.State.EXTRACTED
    assert article.statements.count() == len(extraction.extract(article.body)) > 0


def test_missing_article_is_skipped():
    tasks.fetch_article.delay(987654)
    tasks.extract_article.delay(987654)
    tasks.flag_article.delay(987654)


def test_backoff_grows_and_honours_retry_after():
    assert tasks.backoff(0) <= 2.5
    assert 12 <= tasks.backoff(3) <= 20
    assert tasks.backoff(0, at_least=30) == 30
    assert tasks.backoff(20) <= 300


def test_stalled_articles_are_queued_again(django_capture_on_commit_callbacks, site, monkeypatch):
    queued: list[tuple[str, int]] = []
    for task in (tasks.fetch_article, tasks.extract_article):
        monkeypatch.setattr(task, "delay", lambda pk, _n=task.name: queued.append((_n, pk)))
    lost = ingestion.submit_url(url=site.article(5)).article
    hopeless = ingestion.submit_url(url=site.article(6)).article
    fresh = ingestion.submit_url(url=site.article(8)).article
    old = timezone.now() - timedelta(hours=1)
    Article.objects.filter(pk=lost.pk).update(updated_at=old, state=Article.State.FETCHING)
    Article.objects.filter(pk=hopeless.pk).update(updated_at=old, attempts=6)

    assert ingestion.requeue_stalled() == 1
    assert queued == [("claims.fetch_article", lost.pk)]
    hopeless.refresh_from_db()
    assert hopeless.state == Article.State.FAILED
    assert "stalled" in hopeless.failure_reason
    fresh.refresh_from_db()
    assert fresh.state == Article.State.QUEUED
