import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from claims.models import Claim, Flag, FlagSuggestion
from tests.factories import ArticleFactory, ClaimFactory, StatementFactory, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def flags():
    claim = ClaimFactory(text="Syria will honour past agreements", rating=None)
    false_claim = ClaimFactory(text="Crime doubled since 2020", rating=rating("false"))
    normal = Flag.objects.create(
        statement=StatementFactory(), reason="check_worthy", priority=20, score=0.7
    )
    urgent = Flag.objects.create(
        statement=StatementFactory(article=ArticleFactory()),
        claim=false_claim,
        reason="repeats_false",
        priority=40,
        score=0.9,
    )
    FlagSuggestion.objects.create(flag=urgent, claim=false_claim, similarity=0.91, rank=1)
    FlagSuggestion.objects.create(flag=urgent, claim=claim, similarity=0.55, rank=2)
    return normal, urgent, false_claim


def test_desk_lists_open_flags_most_urgent_first_with_context(client, editor, flags):
    normal, urgent, _false_claim = flags
    client.force_login(editor)
    page = client.get(reverse("claims:desk")).content.decode()
    assert page.index(f'id="flag-{urgent.pk}"') < page.index(f'id="flag-{normal.pk}"')
    assert "<mark>We respect all agreements made with it,</mark>" in page
    assert "Crime doubled since 2020" in page
    assert "similarity 0.91" in page
    assert "2 open" in page
    assert '<option value="repeats" selected>' in page


def test_desk_filters_by_reason(client, editor, flags):
    normal, urgent, _ = flags
    client.force_login(editor)
    page = client.get(reverse("claims:desk"), {"reason": "repeats_false"}).content.decode()
    assert f'id="flag-{urgent.pk}"' in page
    assert f'id="flag-{normal.pk}"' not in page


def test_link_from_the_desk_resolves_the_flag(client, editor, flags):
    _, urgent, false_claim = flags
    client.force_login(editor)
    response = client.post(
        reverse("claims:desk-link", args=[urgent.pk]),
        {"claim": false_claim.pk, "relation": "repeats"},
    )
    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.state == "resolved"
    assert false_claim.statement_links.get().statement == urgent.statement


def test_new_claim_from_the_desk(client, editor, flags):
    normal, _, _ = flags
    client.force_login(editor)
    client.post(
        reverse("claims:desk-new-claim", args=[normal.pk]),
        {"text": "Syria respects all agreements with Russia", "claim_type": "promise"},
    )
    claim = Claim.objects.get(text="Syria respects all agreements with Russia")
    assert claim.claim_type == "promise"
    normal.refresh_from_db()
    assert normal.resolution == "created_claim"


def test_dismiss_without_reason_is_refused_with_a_message(client, editor, flags):
    normal, _, _ = flags
    client.force_login(editor)
    response = client.post(
        reverse("claims:desk-dismiss", args=[normal.pk]), {"reason": ""}, follow=True
    )
    assert "Say why the flag is dismissed" in response.content.decode()
    normal.refresh_from_db()
    assert normal.state == "open"


def test_desk_ignores_offsite_next_urls(client, editor, flags):
    normal, _, _ = flags
    client.force_login(editor)
    response = client.post(
        reverse("claims:desk-dismiss", args=[normal.pk]),
        {"reason": "Opinion", "next": "https://evil.example/"},
    )
    assert response.url == reverse("claims:desk")


def test_readers_cannot_use_the_desk_and_anonymous_must_log_in(client, django_user_model, flags):
    response = client.get(reverse("claims:desk"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    reader = django_user_model.objects.create_user("reader", password="pw-reader-123")
    reader.groups.add(Group.objects.get(name="reader"))
    client.force_login(reader)
    assert client.get(reverse("claims:desk")).status_code == 403
    normal, _, _ = flags
    assert (
        client.post(reverse("claims:desk-dismiss", args=[normal.pk]), {"reason": "x"}).status_code
        == 403
    )


def test_article_text_in_context_is_escaped(client, editor):
    article = ArticleFactory(body='<img src=x onerror=alert(1)> "Fine words," he said.')
    statement = StatementFactory(
        article=article, start=article.body.index("Fine"), end=article.body.index("Fine") + 11
    )
    Flag.objects.create(statement=statement, reason="check_worthy")
    client.force_login(editor)
    page = client.get(reverse("claims:desk")).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


def test_statement_context_is_its_paragraph_cut_between_words():
    from types import SimpleNamespace

    from claims.desk import CONTEXT_CHARS, statement_in_context

    filler = "word " * CONTEXT_CHARS
    body = f'Other paragraph.\n\n{filler}Opening, "We will win," she said. {filler}end.\n\nNext.'
    start = body.index("We will win")
    statement = SimpleNamespace(
        article=SimpleNamespace(body=body),
        start=start,
        end=start + 12,
        text=body[start : start + 12],
    )
    html = str(statement_in_context(statement))
    assert html.startswith("…word ")  # cut between words, marked as cut
    assert html.endswith(" word…")
    assert "<mark>We will win,</mark>" in html
    short = 'First.\n\n"We will win," she said.\n\nLast.'
    start = short.index("We")
    statement.article.body, statement.start, statement.end = short, start, start + 12
    statement.text = short[start : start + 12]
    assert str(statement_in_context(statement)) == "&quot;<mark>We will win,</mark>&quot; she said."


def test_a_disputing_flag_offers_denies_and_links_so(client, editor, flags):
    _normal, urgent, false_claim = flags
    Flag.objects.filter(pk=urgent.pk).update(reason="disputes_claim", priority=30)
    client.force_login(editor)
    page = client.get(reverse("claims:desk")).content.decode()
    card = page[page.index(f'id="flag-{urgent.pk}"') :]
    assert '<option value="denies" selected>' in card[: card.index("</form>")]
    client.post(reverse("claims:desk-link", args=[urgent.pk]), {"claim": false_claim.pk})
    assert urgent.statement.claim_links.get().relation == "denies"
