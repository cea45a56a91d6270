from datetime import timedelta

import pytest
from django.utils import timezone

from claims import tasks
from claims.models import Article, Feed
from claims.services import feeds
from tests.fetching.conftest import send

pytestmark = pytest.mark.django_db


def rss(site, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {p}</title><link>{site.url(p)}?utm_source=rss</link>"
        f"<guid>{p}</guid><pubDate>Tue, 05 Mar 2024 14:30:00 GMT</pubDate></item>"
        for p in paths
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Testville News</title>'
        f"<link>{site.url('/')}</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def feed_site(site):
    """A feed whose entries and ETag the test changes; it answers 304 to a matching ETag."""
    state = {"paths": ["/news/1", "/news/2"], "etag": '"v1"'}

    @site.route("/feed.xml")
    def feed(handler):
        if handler.headers.get("If-None-Match") == state["etag"]:
            send(handler, 304, b"", content_type=None, headers={"ETag": state["etag"]})
            return
        send(
            handler,
            200,
            rss(site, state["paths"]),
            content_type="application/rss+xml",
            headers={"ETag": state["etag"], "Last-Modified": "Tue, 05 Mar 2024 15:00:00 GMT"},
        )

    site.feed_state = state
    return site


@pytest.fixture
def no_fetch(monkeypatch) -> list[int]:
    queued: list[int] = []
    monkeypatch.setattr(tasks.fetch_article, "delay", queued.append)
    return queued


def test_poll_ingests_each_new_entry_once_and_sends_etag(feed_site, no_fetch):
    feed = Feed.objects.create(url=feed_site.url("/feed.xml"))

    assert feeds.poll_feed(feed_id=feed.pk) == 2
    feed.refresh_from_db()
    assert (feed.etag, feed.title, feed.last_error) == ('"v1"', "Testville News", "")
    assert feed.last_polled_at is not None
    articles = Article.objects.filter(feed=feed)
    assert {a.canonical_url for a in articles} == {
        feed_site.url("/news/1"),
        feed_site.url("/news/2"),
    }
    assert {a.origin for a in articles} == {Article.Origin.FEED}

    # Unchanged: the conditional GET gets a 304 and nothing new is stored.
    assert feeds.poll_feed(feed_id=feed.pk) == 0
    last = feed_site.requests[-1]
    assert last.headers["if-none-match"] == '"v1"'
    assert last.headers["if-modified-since"] == "Tue, 05 Mar 2024 15:00:00 GMT"
    assert Article.objects.count() == 2

    # Changed: only the new entry is ingested, the old ones are recognised.
    feed_site.feed_state.update(paths=["/news/3", "/news/1", "/news/2"], etag='"v2"')
    assert feeds.poll_feed(feed_id=feed.pk) == 1
    assert Article.objects.count() == 3
    feed.refresh_from_db()
    assert feed.etag == '"v2"'


def test_feed_failure_is_kept_with_its_reason(site, no_fetch):
    feed = Feed.objects.create(url=site.url("/gone.xml"))
    assert feeds.poll_feed(feed_id=feed.pk) == 0
    feed.refresh_from_db()
    assert "404" in feed.last_error
    assert not Article.objects.exists()


def test_due_feeds_respects_each_interval():
    now = timezone.now()
    never = Feed.objects.create(url="https://a.example/feed")
    due = Feed.objects.create(
        url="https://b.example/feed", poll_interval=5, last_polled_at=now - timedelta(minutes=6)
    )
    Feed.objects.create(
        url="https://c.example/feed", poll_interval=15, last_polled_at=now - timedelta(minutes=6)
    )
    Feed.objects.create(url="https://d.example/feed", active=False)
    assert set(feeds.due_feeds(now)) == {never, due}


def test_beat_task_polls_a_new_feed_on_its_own(
    feed_site, no_fetch, django_capture_on_commit_callbacks
):
    feed = Feed.objects.create(url=feed_site.url("/feed.xml"))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.poll_feeds.delay()  # what beat sends every minute
    assert Article.objects.filter(feed=feed).count() == 2
    assert len(no_fetch) == 2
    # Polled just now: the next beat tick leaves it alone.
    tasks.poll_feeds.delay()
    assert len([r for r in feed_site.requests if r.path == "/feed.xml"]) == 1
