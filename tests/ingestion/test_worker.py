"""The real pipeline: a Celery worker subprocess on Redis, sharing the test database."""

import time
from datetime import timedelta

import pytest
from django.db.models import Count

from claims import extraction
from claims.models import Article, Statement
from claims.services import ingestion
from tests.ingestion.conftest import flush_test_broker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DONE = (Article.State.EXTRACTED, Article.State.FAILED, Article.State.DUPLICATE)


def wait_until(condition, *, timeout: float, every: float = 0.25, what=lambda: "condition"):
    """Poll `condition` until it is true; `what()` describes it if it never becomes true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what()}")


def pending() -> list[tuple[int, str, str]]:
    """Articles not extracted yet, with their state and reason (for failure messages)."""
    rows = Article.objects.exclude(state=Article.State.EXTRACTED)
    return list(rows.values_list("pk", "state", "failure_reason")[:5])


def states() -> dict[str, int]:
    return dict(Article.objects.values_list("state").annotate(n=Count("pk")).order_by())


def test_worker_fetches_extracts_and_flags(start_worker, site):
    start_worker()
    urls = [site.article(n) for n in range(1, 4)]
    submissions = [ingestion.submit_url(url=url) for url in urls]
    submissions.append(ingestion.submit_url(url=site.url("/missing")))
    ids = [s.article.pk for s in submissions]

    wait_until(
        lambda: Article.objects.filter(pk__in=ids, state__in=DONE).count() == len(ids),
        timeout=30,
        what=lambda: f"4 articles to be processed (now {states()})",
    )
    for pk in ids[:3]:
        article = Article.objects.get(pk=pk)
        assert article.state == Article.State.EXTRACTED, article.failure_reason
        # Exactly what the extractor finds in the stored body, each once.
        assert article.statements.count() == len(extraction.extract(article.body))
        quotes = set(
            article.statements.filter(kind="direct").values_list("speaker__name", flat=True)
        )
        assert "John Roe" in quotes
    missing = Article.objects.get(pk=ids[3])
    assert missing.state == Article.State.FAILED
    assert "404" in missing.failure_reason
    # Flagging runs after extraction, in the worker too.
    wait_until(
        lambda: not Statement.objects.filter(check_worthiness__isnull=True).exists(),
        timeout=15,
        what=lambda: "statements to be scored",
    )


def test_killed_worker_loses_nothing_and_duplicates_nothing(start_worker, site):
    total = 200
    # Flagging (a neural scorer, ~0.3 s a statement) is left queued: this test is about
    # ingestion and extraction surviving a kill; the test above covers flagging on the worker.
    worker = start_worker(flagging=False)
    urls = [site.article(n) for n in range(100, 100 + total)]
    ids = [ingestion.submit_url(url=url).article.pk for url in urls]

    # Kill the worker (and its pool processes) in the middle of the work.
    wait_until(
        lambda: Article.objects.filter(state=Article.State.EXTRACTED).count() >= 20,
        timeout=30,
        what=lambda: f"the first articles to be extracted (now {states()})",
    )
    worker.kill()
    at_kill = states()
    assert at_kill.get(Article.State.EXTRACTED, 0) < total, "the worker finished before the kill"

    start_worker(flagging=False)

    def all_extracted() -> bool:
        # Redis redelivers what the dead worker had taken (after the 8 s visibility timeout),
        # but kombu pops a message before recording it as unacked: a kill in between loses it.
        # The database is the authority: beat's sweep (every minute, for articles idle 10
        # minutes) queues such articles again; here it runs sooner, as often as we look.
        ingestion.requeue_stalled(older_than=timedelta(seconds=30))
        return Article.objects.filter(pk__in=ids, state=Article.State.EXTRACTED).count() == total

    wait_until(
        all_extracted,
        timeout=120,
        every=0.5,
        what=lambda: f"all {total} extracted (killed at {at_kill}, now {states()}; {pending()})",
    )
    assert Article.objects.count() == total
    per_article = dict(Statement.objects.values_list("article").annotate(n=Count("pk")).order_by())
    assert set(per_article) == set(ids)
    expected = {a.pk: len(extraction.extract(a.body)) for a in Article.objects.all()}
    assert per_article == expected, "an article has missing or duplicate statements"
    assert Statement.objects.count() == sum(expected.values())
    # Each page was fetched successfully once or, when the kill or a redelivery interrupted it,
    # again: never more than a couple of times.
    assert max(Article.objects.values_list("attempts", flat=True)) <= 3


def test_an_article_whose_task_the_broker_lost_is_queued_again(start_worker, site):
    article = ingestion.submit_url(url=site.article(7)).article
    # The message is gone before any worker took it (a broker restart without persistence,
    # or a worker killed between popping it and recording it as unacked).
    flush_test_broker()
    start_worker(flagging=False)
    time.sleep(2)
    article.refresh_from_db()
    assert article.state == Article.State.QUEUED, "the flushed message was delivered after all"

    # Beat's sweep finds it by its state in the database (here: idle for any time at all).
    assert ingestion.requeue_stalled(older_than=timedelta(0)) == 1
    wait_until(
        lambda: Article.objects.filter(pk=article.pk, state=Article.State.EXTRACTED).exists(),
        timeout=30,
        what=lambda: f"the swept article to be extracted ({pending()})",
    )
    article.refresh_from_db()
    assert article.statements.count() == len(extraction.extract(article.body)) > 0
