import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from claims import tasks
from claims.models import Article, Statement
from claims.services import extraction, ingestion
from tests.factories import BODY, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch) -> list[tuple[str, int]]:
    """Record the tasks queued after commit instead of running them."""
    calls: list[tuple[str, int]] = []
    for task in (tasks.fetch_article, tasks.extract_article, tasks.flag_article):
        monkeypatch.setattr(task, "delay", lambda pk, _n=task.name: calls.append((_n, pk)))
    return calls


@pytest.mark.parametrize(
    "url", ["", "   ", "not a url", "ftp://example.com/a", "javascript:alert(1)", "http://"]
)
def test_submit_url_rejects_bad_urls(url):
    with pytest.raises(ValidationError, match="Not a valid http"):
        ingestion.submit_url(url=url)
    assert not Article.objects.exists()


def test_submit_url_queues_fetch_after_commit(django_capture_on_commit_callbacks, queued):
    with django_capture_on_commit_callbacks(execute=True):
        submission = ingestion.submit_url(url="https://News.example/story?utm_source=x#top")
    article = submission.article
    assert submission.created
    assert article.state == Article.State.QUEUED
    assert article.canonical_url == "https://news.example/story"
    assert queued == [("claims.fetch_article", article.pk)]


def test_same_canonical_url_is_a_duplicate(django_capture_on_commit_callbacks, queued):
    with django_capture_on_commit_callbacks(execute=True):
        first = ingestion.submit_url(url="https://news.example/story")
        second = ingestion.submit_url(url="https://news.example/story?utm_campaign=feed")
    assert second.duplicate
    assert second.article.pk == first.article.pk
    assert "duplicate of article" in second.duplicate_reason
    assert Article.objects.count() == 1
    assert len(queued) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "empty"), ("   \n ", "empty"), ("a\x00b", "NUL")],
)
def test_submit_text_rejects_bad_text(body, message):
    with pytest.raises(ValidationError, match=message):
        ingestion.submit_text(body=body, title="T")


def test_submit_text_rejects_huge_text(monkeypatch):
    monkeypatch.setattr(ingestion, "MAX_BODY_CHARS", 10)
    with pytest.raises(ValidationError, match="longer than"):
        ingestion.submit_text(body="x" * 11, title="T")


def test_submit_text_stores_and_queues_extraction(django_capture_on_commit_callbacks, queued):
    with django_capture_on_commit_callbacks(execute=True):
        submission = ingestion.submit_text(body=BODY, title="Moscow visit", language="en")
    article = submission.article
    assert article.state == Article.State.FETCHED
    assert article.content_hash == Article.hash_body(BODY)
    assert queued == [("claims.extract_article", article.pk)]


def test_same_text_is_a_duplicate_even_with_other_whitespace(queued):
    first = ingestion.submit_text(body=BODY, title="One")
    second = ingestion.submit_text(body="  " + BODY.replace(" ", "\n  ") + "\n", title="Two")
    assert second.duplicate
    assert second.article == first.article
    assert Article.objects.count() == 1


def test_text_with_a_known_url_is_a_duplicate(queued):
    stored = ArticleFactory(url="https://news.example/a", canonical_url="https://news.example/a")
    submission = ingestion.submit_text(
        body="Other text entirely.", title="X", url="https://news.example/a"
    )
    assert submission.duplicate
    assert submission.article == stored


def test_submitted_text_is_extracted_and_flagged(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = ingestion.submit_text(body=BODY, title="Moscow visit")
    article = Article.objects.get(pk=submission.article.pk)
    assert article.state == Article.State.EXTRACTED
    assert article.statements.filter(text__startswith="We respect all agreements").exists()
    assert article.statements.filter(check_worthiness__isnull=False).count() == (
        article.statements.count()
    )


def test_outlet_named_finds_by_domain_or_name_and_creates_for_new_domains():
    created = ingestion.outlet_named("https://www.reuters.com/world")
    assert created.domain == "reuters.com"
    assert ingestion.outlet_named("reuters.com") == created
    assert ingestion.outlet_named("REUTERS.COM") == created
    with pytest.raises(ValidationError, match="Unknown outlet"):
        ingestion.outlet_named("The Daily Nowhere")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-03-05", "2024-03-05T00:00:00+00:00"),
        ("2024-03-05T14:30:00+01:00", "2024-03-05T14:30:00+01:00"),
        ("", None),
    ],
)
def test_parse_published(value, iso, settings):
    settings.TIME_ZONE = "UTC"
    parsed = ingestion.parse_published(value)
    assert (parsed.isoformat() if parsed else None) == iso


def test_parse_published_rejects_nonsense():
    with pytest.raises(ValidationError, match="ISO 8601"):
        ingestion.parse_published("yesterday")


# --- Races: the unique constraints decide ---------------------------------------------------


def _race(n: int, fn) -> list:
    """Run `fn` in `n` threads released together; return results (or exceptions)."""
    barrier = threading.Barrier(n, timeout=10)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _blind_lookup(monkeypatch, n: int) -> None:
    """Make every racer miss the others' rows in the pre-check, as if they ran at once."""
    real = ingestion._existing
    barrier = threading.Barrier(n, timeout=10)
    local = threading.local()

    def existing(**kwargs):
        if not getattr(local, "raced", False):
            local.raced = True
            found = real(**kwargs)
            barrier.wait()  # everyone has looked (and found nothing) before anyone inserts
            return found
        return real(**kwargs)

    monkeypatch.setattr(ingestion, "_existing", existing)


@pytest.mark.django_db(transaction=True)
def test_racing_url_submissions_store_one_article(monkeypatch, queued):
    _blind_lookup(monkeypatch, 4)
    results = _race(4, lambda: ingestion.submit_url(url="https://news.example/race"))
    assert all(isinstance(r, ingestion.Submission) for r in results), results
    assert sum(r.created for r in results) == 1
    assert len({r.article.pk for r in results}) == 1
    assert Article.objects.count() == 1
    assert len(queued) == 1


@pytest.mark.django_db(transaction=True)
def test_racing_text_submissions_store_one_article(monkeypatch, queued):
    _blind_lookup(monkeypatch, 4)
    results = _race(4, lambda: ingestion.submit_text(body=BODY, title="Race"))
    assert all(isinstance(r, ingestion.Submission) for r in results), results
    assert sum(r.created for r in results) == 1
    assert Article.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_extractions_store_each_statement_once(queued):
    article = ArticleFactory(body=BODY)
    expected = len(extraction.extraction.extract(BODY))
    results = _race(3, lambda: extraction.extract_statements(article_id=article.pk))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Statement.objects.filter(article=article).count() == expected
    article.refresh_from_db()
    assert article.state == Article.State.EXTRACTED


def test_retry_requeues_a_failed_fetch(django_capture_on_commit_callbacks, queued, admin_user):
    article = ArticleFactory(
        body="", content_hash=None, state=Article.State.FAILED, failure_reason="timeout"
    )
    with django_capture_on_commit_callbacks(execute=True):
        ingestion.retry_article(article=article, by=admin_user)
    article.refresh_from_db()
    assert (article.state, article.failure_reason) == (Article.State.QUEUED, "")
    assert queued == [("claims.fetch_article", article.pk)]
    with pytest.raises(ValidationError, match="Only failed"):
        ingestion.retry_article(article=article)
