import pytest
from django.urls import reverse

from claims import extraction, tasks
from claims.models import Article
from tests.factories import BODY, ArticleFactory

pytestmark = pytest.mark.django_db

INGEST = reverse("admin:claims_article_ingest")


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def queued(monkeypatch) -> list[tuple[str, int]]:
    calls: list[tuple[str, int]] = []
    for task in (tasks.fetch_article, tasks.extract_article):
        monkeypatch.setattr(task, "delay", lambda pk, _n=task.name: calls.append((_n, pk)))
    return calls


def test_changelist_links_to_the_ingest_page(staff):
    response = staff.get(reverse("admin:claims_article_changelist"))
    assert response.status_code == 200
    assert INGEST in response.content.decode()


def test_ingest_page_renders(staff):
    response = staff.get(INGEST)
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("url", "text", "title", "outlet", "published_at"):
        assert f'name="{name}"' in page


def test_ingest_a_url_shows_the_queued_article(staff, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(INGEST, {"url": "https://news.example/story"}, follow=True)
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:claims_article_change", args=[article.pk]
    )
    page = response.content.decode()
    assert "it is queued" in page
    assert '<meta http-equiv="refresh"' in page  # the page follows the pipeline
    assert queued == [("claims.fetch_article", article.pk)]
    assert article.history.first().history_user.username == "boss"


def test_ingest_pasted_text_is_extracted(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            INGEST,
            {"text": BODY, "title": "Moscow visit", "published_at": "2024-03-05 10:00"},
            follow=True,
        )
    article = Article.objects.get()
    assert article.state == Article.State.EXTRACTED
    assert article.published_at is not None
    assert response.status_code == 200
    response = staff.get(reverse("admin:claims_article_change", args=[article.pk]))
    page = response.content.decode()
    assert "We respect all agreements" in page
    assert '<meta http-equiv="refresh"' not in page


def test_ingest_a_duplicate_says_so(staff, queued):
    stored = ArticleFactory(url="https://news.example/a", canonical_url="https://news.example/a")
    response = staff.post(INGEST, {"url": "https://news.example/a?utm_medium=x"}, follow=True)
    assert f"Already ingested as article {stored.pk}" in response.content.decode()
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give a URL to fetch, or paste the article text."),
        ({"text": BODY}, "Pasted text needs a title."),
        ({"url": "not a url"}, "Enter a valid URL."),
        ({"text": "a\x00b", "title": "T"}, "Null characters are not allowed."),
    ],
)
def test_ingest_bad_input_shows_errors(staff, data, message):
    response = staff.post(INGEST, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_ingest_needs_add_permission(client, editor):
    editor.groups.clear()
    client.force_login(editor)
    assert client.get(INGEST).status_code == 403


def test_failure_reason_shows_in_the_list(staff):
    ArticleFactory(
        body="", content_hash=None, state=Article.State.FAILED, failure_reason="HTTP 404 Not Found"
    )
    page = staff.get(reverse("admin:claims_article_changelist")).content.decode()
    assert "HTTP 404 Not Found" in page


def test_retry_action_requeues_failed_articles(
    staff, site, django_capture_on_commit_callbacks, settings
):
    failed = ArticleFactory(
        url=site.article(9),
        canonical_url=site.url("/news/9"),
        body="",
        content_hash=None,
        state=Article.State.FAILED,
        failure_reason="Timed out",
        attempts=5,
    )
    fine = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("admin:claims_article_changelist"),
            {"action": "retry", "_selected_action": [failed.pk, fine.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "Queued 1 article(s) again." in page
    assert "Skipped 1 article(s) that had not failed." in page
    failed.refresh_from_db()
    assert failed.state == Article.State.EXTRACTED, failed.failure_reason
    assert failed.failure_reason == ""
    # Exactly what the extractor finds in the stored body, each once.
    assert failed.statements.count() == len(extraction.extract(failed.body)) > 0
    fine.refresh_from_db()
    assert fine.state == Article.State.FETCHED
