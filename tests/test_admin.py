import pytest
from django.urls import reverse

from claims import services
from claims.models import Article, Claim, Flag, FlagSuggestion
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    StatementFactory,
    rating,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "article",
    "statement",
    "speaker",
    "outlet",
    "topic",
    "claim",
    "source",
    "flag",
    "ratingscale",
    "rating",
    "feed",
    "webhook",
    "webhookdelivery",
]


@pytest.fixture
def desk(editor):
    statement = StatementFactory()
    claim = services.create_claim_from_statement(statement=statement, by=editor)
    services.attach_source(
        claim=claim, stance="refutes", url="https://stats.example/1", title="Stats table", by=editor
    )
    SourceFactory()
    return statement, claim


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_renders_for_admins(client, admin_user, desk, model):
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:claims_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["article", "statement", "speaker", "claim", "source", "flag"])
def test_editor_can_open_editorial_pages(client, editor, desk, model):
    client.force_login(editor)
    assert client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200


def test_editor_cannot_manage_webhooks(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:claims_webhook_changelist")).status_code == 403


def test_claim_search_finds_by_text_and_speaker(client, editor, desk):
    _statement, _claim = desk
    ClaimFactory(text="Unrelated claim about weather")
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    by_text = client.get(url, {"q": "agreements"}).content.decode()
    assert "agreements" in by_text
    assert "weather" not in by_text
    by_speaker = client.get(url, {"q": "al-Sharaa"}).content.decode()
    assert "1 result" in by_speaker


def test_article_page_highlights_statements_with_speakers(client, editor, desk):
    statement, _ = desk
    client.force_login(editor)
    page = client.get(
        reverse("admin:claims_article_change", args=[statement.article.pk])
    ).content.decode()
    assert f'id="statement-{statement.pk}"' in page
    assert '<mark class="cd-statement cd-direct"' in page
    assert "We respect all agreements made with it," in page
    assert '<sup class="cd-speaker">Ahmed al-Sharaa</sup>' in page


def test_highlight_escapes_article_html(client, editor):
    article = ArticleFactory(body='<script>alert(1)</script> "Fine," he said.')
    client.force_login(editor)
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_claim_page_shows_inlines_and_history(client, editor, desk):
    _, claim = desk
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "Stats table" in page
    assert "We respect all agreements" in page
    history = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert "Created from statement" in history


def test_editing_verdict_in_admin_goes_through_service(client, editor, desk):
    _, claim = desk
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    form = {
        "text": claim.text,
        "title": "",
        "claim_type": "factual",
        "claimants": [s.pk for s in claim.claimants.all()],
        "rating": rating("false").pk,
        "verdict_explanation": "Records show otherwise",
        "statement_links-TOTAL_FORMS": "0",
        "statement_links-INITIAL_FORMS": "0",
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    claim.refresh_from_db()
    assert claim.rating == rating("false")
    assert claim.version == 2
    assert claim.history.latest().history_user == editor


def test_publish_action(client, editor):
    claim = ClaimFactory(rating=rating("true"))
    unrated = ClaimFactory()
    client.force_login(editor)
    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish", "_selected_action": [claim.pk, unrated.pk]},
    )
    claim.refresh_from_db()
    unrated.refresh_from_db()
    assert claim.state == Claim.State.PUBLISHED
    assert unrated.state == Claim.State.DRAFT


def test_merge_action_keeps_the_oldest(client, editor):
    first, second = ClaimFactory(), ClaimFactory()
    client.force_login(editor)
    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "merge_duplicates", "_selected_action": [first.pk, second.pk]},
    )
    second.refresh_from_db()
    assert second.merged_into == first


def test_assign_action(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "assign_to_me", "_selected_action": [claim.pk]},
    )
    claim.refresh_from_db()
    assert claim.assignee == editor


def test_flag_list_orders_by_priority_and_links_top_suggestion_in_one_step(client, editor):
    statement = StatementFactory()
    claim = ClaimFactory(rating=rating("false"))
    low = Flag.objects.create(
        statement=StatementFactory(article=ArticleFactory()),
        reason="check_worthy",
        priority=Flag.Priority.NORMAL,
    )
    urgent = Flag.objects.create(
        statement=statement,
        claim=claim,
        reason="repeats_false",
        priority=Flag.Priority.URGENT,
        score=0.9,
    )
    FlagSuggestion.objects.create(flag=urgent, claim=claim, similarity=0.9, rank=1)
    client.force_login(editor)
    url = reverse("admin:claims_flag_changelist")
    page = client.get(url, {"state__exact": "open"}).content.decode()
    assert page.index('class="cd-priority-40"') < page.index('class="cd-priority-20"')
    client.post(url, {"action": "link_top_suggestion", "_selected_action": [urgent.pk]})
    urgent.refresh_from_db()
    assert urgent.state == Flag.State.RESOLVED
    assert urgent.resolution == Flag.Resolution.LINKED
    assert claim.statement_links.filter(statement=statement).exists()
    low.refresh_from_db()
    assert low.state == Flag.State.OPEN


def test_speaker_autocomplete_searches_aliases(client, editor):
    SpeakerFactory(name="Ahmed al-Sharaa", aliases=["Abu Mohammed al-Julani"])
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "Julani", "app_label": "claims", "model_name": "claim", "field_name": "claimants"},
    )
    assert response.status_code == 200
    assert "Ahmed al-Sharaa" in response.content.decode()


def test_retry_action_requeues_failed_articles(client, editor):
    failed = ArticleFactory(
        state=Article.State.FAILED, failure_reason="HTTP 503", body="", content_hash=None
    )
    client.force_login(editor)
    client.post(
        reverse("admin:claims_article_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    failed.refresh_from_db()
    assert failed.state in (Article.State.QUEUED, Article.State.FETCHING, Article.State.FAILED)
    assert failed.history.latest().history_change_reason in ("Retried", "Failed")


def test_adding_an_article_goes_to_the_ingest_page(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_article_add"))
    assert response.status_code == 302
    assert response.url == reverse("admin:claims_article_ingest")
