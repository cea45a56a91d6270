import pytest

from claims import services
from claims.models import Article, Speaker, Statement
from claims.services.extraction import extract_statements
from claims.services.speakers import resolve_speaker
from tests.factories import ArticleFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

BODY = (
    "MOSCOW — Syria's President Ahmed al-Sharaa met Russian President Vladimir Putin on Wednesday.\n\n"
    '"We respect all agreements made with it," al-Sharaa told Putin.\n\n'
    '"We have always been guided by the interests of the Syrian people," Putin said.'
)


def _article(body=BODY):
    return ArticleFactory(body=body, content_hash=Article.hash_body(body))


def test_extraction_stores_statements_with_registry_speakers():
    sharaa = SpeakerFactory(name="Ahmed al-Sharaa", aliases=["Abu Mohammed al-Julani"])
    article = _article()
    extract_statements(article_id=article.pk)
    article.refresh_from_db()
    assert article.state == Article.State.EXTRACTED
    respect = article.statements.get(text__startswith="We respect")
    assert respect.speaker == sharaa
    assert respect.kind == Statement.Kind.DIRECT
    assert article.body[respect.start : respect.end] == respect.text
    putin = article.statements.get(text__startswith="We have always").speaker
    assert putin.name == "Vladimir Putin"
    assert putin.verified is False  # unknown speakers are created unverified


def test_extraction_twice_creates_no_duplicates():
    article = _article()
    extract_statements(article_id=article.pk)
    first = set(article.statements.values_list("pk", "start", "end"))
    extract_statements(article_id=article.pk)
    assert set(article.statements.values_list("pk", "start", "end")) == first
    assert Speaker.objects.filter(name="Vladimir Putin").count() == 1


def test_reextraction_keeps_statements_linked_to_claims(editor):
    article = _article()
    extract_statements(article_id=article.pk)
    linked = article.statements.get(text__startswith="We respect")
    dropped = article.statements.get(text__startswith="We have always")
    claim = services.create_claim_from_statement(statement=linked, by=editor)

    # The outlet edits the story: a new first paragraph shifts everything, one quote goes.
    new_body = (
        "UPDATED: Talks ended late.\n\n" + BODY.split("\n\n")[0] + "\n\n" + BODY.split("\n\n")[1]
    )
    Article.objects.filter(pk=article.pk).update(
        body=new_body, content_hash=Article.hash_body(new_body)
    )
    extract_statements(article_id=article.pk)

    linked.refresh_from_db()
    assert new_body[linked.start : linked.end] == linked.text
    assert claim.statement_links.get().statement == linked
    assert not Statement.objects.filter(pk=dropped.pk).exists()


def test_missing_or_unready_article_is_skipped():
    assert extract_statements(article_id=999_999) == []
    queued = ArticleFactory(state=Article.State.QUEUED, body="", content_hash=None)
    assert extract_statements(article_id=queued.pk) == []


def test_speaker_resolution_by_alias_surname_and_role():
    sharaa = SpeakerFactory(name="Ahmed al-Sharaa", aliases=["Abu Mohammed al-Julani"])
    sharaa.roles.create(office="President", organisation="Syria")
    assert resolve_speaker(name="Abu Mohammed al-Julani") == sharaa
    assert resolve_speaker(name="al-Sharaa") == sharaa
    assert resolve_speaker(name=None, mention="the Syrian president") == sharaa
    assert resolve_speaker(name=None, mention="he") is None


def test_unknown_groups_and_organisations_get_their_kind():
    assert resolve_speaker(name="Syrian officials").kind == Speaker.Kind.GROUP
    assert resolve_speaker(name="the Foreign Ministry").kind == Speaker.Kind.ORGANISATION


@pytest.mark.parametrize("description", ["company", "officials", "his campaign", "many"])
def test_a_description_without_a_name_creates_no_registry_speaker(description):
    assert resolve_speaker(name=description, mention=f"the {description}") is None
    assert not Speaker.objects.exists()


@pytest.mark.parametrize(
    ("extracted", "registered"),
    [
        ("council member John Roe", "John Roe"),
        ("Ahmed al-Sharaa", "Ahmed al-Sharaa"),
        ("state Sen. Bob Smith", "Sen. Bob Smith"),
    ],
)
def test_lowercase_job_descriptions_are_dropped_from_new_speaker_names(extracted, registered):
    assert resolve_speaker(name=extracted).name == registered
