import pytest
from django.db import IntegrityError, transaction
from django.db.utils import DataError

from claims.models import Article, Claim, Flag, Rating, RatingScale, Speaker, SpeakerRole, Statement
from claims.models.claims import InvalidTransition
from tests.factories import ArticleFactory, ClaimFactory, SpeakerFactory, StatementFactory, rating

pytestmark = pytest.mark.django_db


def _fails(callable_):
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        callable_()


def test_statement_offsets_outside_body_are_refused():
    article = ArticleFactory(body="Short body.")
    _fails(
        lambda: Statement.objects.create(
            article=article, text="x" * 20, start=5, end=25, kind="direct"
        )
    )


def test_statement_text_must_match_body_at_its_offsets():
    article = ArticleFactory(body="He said the economy grew.")
    _fails(
        lambda: Statement.objects.create(
            article=article, text="the budget", start=8, end=18, kind="indirect"
        )
    )
    ok = Statement.objects.create(
        article=article, text="the economy grew", start=8, end=24, kind="indirect"
    )
    assert ok.pk


def test_statement_empty_or_reversed_span_is_refused():
    article = ArticleFactory(body="Abc def")
    _fails(
        lambda: Statement.objects.create(article=article, text="", start=3, end=3, kind="direct")
    )


def test_statement_span_is_unique_per_article():
    statement = StatementFactory()
    _fails(lambda: StatementFactory(article=statement.article))


def test_duplicate_canonical_url_is_refused():
    ArticleFactory(canonical_url="https://news.example/a")
    _fails(lambda: ArticleFactory(canonical_url="https://news.example/a"))


def test_duplicate_content_hash_is_refused():
    ArticleFactory(content_hash="f" * 64)
    _fails(lambda: ArticleFactory(content_hash="f" * 64))


def test_failed_article_needs_a_reason():
    _fails(lambda: ArticleFactory(state=Article.State.FAILED, failure_reason=""))


def test_check_worthiness_outside_unit_range_is_refused():
    _fails(lambda: StatementFactory(check_worthiness=1.5))


def test_published_claim_needs_publication_date():
    _fails(lambda: ClaimFactory(state=Claim.State.PUBLISHED, published_at=None))


def test_due_date_only_for_promises_and_predictions():
    import datetime

    _fails(lambda: ClaimFactory(claim_type=Claim.Type.FACTUAL, due_date=datetime.date(2030, 1, 1)))
    assert ClaimFactory(claim_type=Claim.Type.PROMISE, due_date=datetime.date(2030, 1, 1)).pk


def test_speaker_role_end_before_start_is_refused():
    import datetime

    speaker = SpeakerFactory()
    _fails(
        lambda: SpeakerRole.objects.create(
            speaker=speaker,
            office="President",
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2020, 1, 1),
        )
    )


def test_two_unverified_speakers_cannot_share_a_name():
    Speaker.objects.create(name="Syrian officials", verified=False)
    _fails(lambda: Speaker.objects.create(name="syrian  Officials", verified=False))


def test_flag_needs_a_statement_or_claim():
    _fails(lambda: Flag.objects.create(reason=Flag.Reason.CHECK_WORTHY))


def test_open_flag_cannot_carry_a_resolution():
    statement = StatementFactory()
    _fails(
        lambda: Flag.objects.create(statement=statement, reason="check_worthy", resolution="linked")
    )


def test_rating_in_use_cannot_be_deleted():
    claim = ClaimFactory(rating=rating("false"))
    with pytest.raises(Exception, match="protected"):
        claim.rating.delete()


def test_article_with_statements_cannot_be_deleted():
    statement = StatementFactory()
    with pytest.raises(Exception, match="protected"):
        statement.article.delete()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("draft", "published"),
        ("draft", "retracted"),
        ("retracted", "published"),
        ("merged", "draft"),
    ],
)
def test_invalid_state_moves_are_refused(start, to):
    claim = ClaimFactory.build(state=start, rating=rating("false"))
    with pytest.raises(InvalidTransition):
        claim.transition(to)


def test_publishing_needs_a_verdict():
    claim = ClaimFactory.build(state=Claim.State.IN_REVIEW)
    with pytest.raises(InvalidTransition, match="Rate the claim"):
        claim.transition(Claim.State.PUBLISHED)


def test_seeded_scales_have_the_expected_ratings():
    truth = RatingScale.objects.get(slug="truth")
    promise = RatingScale.objects.get(slug="promise")
    assert list(truth.ratings.values_list("label", flat=True)) == [
        "True",
        "Mostly true",
        "Half true",
        "Mostly false",
        "False",
        "Pants on fire",
    ]
    assert set(promise.ratings.values_list("label", flat=True)) == {
        "Not yet rated",
        "In the works",
        "Stalled",
        "Kept",
        "Compromise",
        "Broken",
    }
    assert set(Rating.objects.filter(counts_as_false=True).values_list("slug", flat=True)) == {
        "mostly-false",
        "false",
        "pants-on-fire",
    }
    assert (truth.best_value, truth.worst_value) == (6, 1)


def test_speaker_aliases_find_the_speaker():
    speaker = Speaker.objects.create(name="Ahmed al-Sharaa", aliases=["Abu Mohammed al-Julani"])
    assert list(Speaker.objects.matching_name("abu mohammed AL-JULANI")) == [speaker]
