import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Claim, ClaimSource, ClaimStatement, Source, Statement
from claims.services.claims import StaleVersion
from tests.factories import ClaimFactory, StatementFactory, rating

pytestmark = pytest.mark.django_db


def _reasons(obj) -> list[str]:
    return [h.history_change_reason for h in obj.history.order_by("history_date")]


def test_create_claim_records_history_with_author(editor):
    claim = services.create_claim(
        text="  Syria will honour   all past agreements ", claim_type="promise", by=editor
    )
    assert claim.text == "Syria will honour all past agreements"
    entry = claim.history.get()
    assert entry.history_user == editor
    assert entry.history_type == "+"


def test_create_claim_from_statement_links_it_verbatim(editor):
    statement = StatementFactory()
    claim = services.create_claim_from_statement(statement=statement, by=editor)
    link = ClaimStatement.objects.get(claim=claim)
    assert link.statement == statement
    assert link.fidelity == "verbatim"
    assert list(claim.claimants.all()) == [statement.speaker]
    statement.refresh_from_db()
    assert statement.review_state == Statement.ReviewState.REVIEWED


def test_create_claim_from_statement_with_new_wording_is_a_paraphrase(editor):
    statement = StatementFactory()
    claim = services.create_claim_from_statement(
        statement=statement, text="Syria will honour all past agreements with Russia", by=editor
    )
    assert claim.statement_links.get().fidelity == "paraphrase"


def test_link_statement_twice_updates_the_link(editor):
    statement, claim = StatementFactory(), ClaimFactory()
    services.link_statement(claim=claim, statement=statement, by=editor)
    services.link_statement(
        claim=claim, statement=statement, relation="denies", fidelity="inference", by=editor
    )
    link = ClaimStatement.objects.get()
    assert (link.relation, link.fidelity, link.linked_by) == ("denies", "inference", editor)
    assert link.history.count() == 2


def test_attach_source_creates_it_once_and_records_stance(editor):
    claim, other = ClaimFactory(), ClaimFactory()
    first = services.attach_source(
        claim=claim, stance="refutes", url="https://stats.example/t1", title="Table 1", by=editor
    )
    services.attach_source(
        claim=other, stance="supports", url="https://stats.example/t1", title="Table 1", by=editor
    )
    assert Source.objects.count() == 1
    assert first.stance == "refutes"
    assert first.history.get().history_user == editor


def test_attach_source_without_url_or_title_is_refused(editor):
    with pytest.raises(ValidationError):
        services.attach_source(claim=ClaimFactory(), stance="context", by=editor)


def test_verdict_changes_keep_every_verdict_in_history(editor):
    claim = ClaimFactory()
    services.change_verdict(
        claim=claim, rating=rating("half-true"), explanation="Partly", by=editor
    )
    services.change_verdict(
        claim=claim,
        rating=rating("false"),
        explanation="New data",
        by=editor,
        reason="New census data",
    )
    claim.refresh_from_db()
    assert claim.version == 3
    verdicts = [h.rating_id for h in claim.history.order_by("history_date")]
    assert verdicts == [None, rating("half-true").pk, rating("false").pk]
    assert _reasons(claim)[-1] == "New census data"


def test_verdict_from_the_wrong_scale_is_refused(editor):
    claim = ClaimFactory(claim_type=Claim.Type.PROMISE)
    with pytest.raises(ValidationError, match="does not rate"):
        services.change_verdict(claim=claim, rating=rating("false"), explanation="", by=editor)


def test_publish_moves_a_rated_draft_through_review(editor):
    claim = ClaimFactory(rating=rating("false"))
    claim = services.publish_claim(claim=claim, by=editor)
    assert claim.state == Claim.State.PUBLISHED
    assert claim.published_at is not None
    states = [h.state for h in claim.history.order_by("history_date")]
    assert states == ["draft", "in_review", "published"]


def test_publish_unrated_claim_is_refused(editor):
    with pytest.raises(ValidationError, match="Rate the claim"):
        services.publish_claim(claim=ClaimFactory(), by=editor)


def test_retraction_keeps_history(editor):
    claim = services.publish_claim(claim=ClaimFactory(rating=rating("true")), by=editor)
    services.transition_claim(
        claim=claim, to=Claim.State.RETRACTED, by=editor, reason="Wrong speaker"
    )
    assert _reasons(claim)[-1] == "Wrong speaker"
    assert claim.history.count() == 4


def test_correction_of_published_claim_is_recorded(editor):
    claim = services.publish_claim(claim=ClaimFactory(rating=rating("true")), by=editor)
    services.update_claim(claim=claim, text="Corrected wording", by=editor)
    claim.refresh_from_db()
    assert claim.state == Claim.State.PUBLISHED
    assert _reasons(claim)[-1] == "Correction"


def test_update_with_stale_version_is_refused(editor):
    claim = ClaimFactory()
    services.update_claim(claim=claim, title="First", expected_version=1, by=editor)
    with pytest.raises(StaleVersion):
        services.update_claim(claim=claim, title="Second", expected_version=1, by=editor)


def test_update_of_server_owned_fields_is_refused(editor):
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.update_claim(claim=ClaimFactory(), state="published", by=editor)


def test_assign_claim(editor):
    claim = services.assign_claim(claim=ClaimFactory(), assignee=editor, by=editor)
    assert claim.assignee == editor
    assert _reasons(claim)[-1].startswith("Assigned to")


def test_merge_moves_statements_sources_claimants_and_link_history(editor):
    survivor, duplicate = ClaimFactory(), ClaimFactory(rating=rating("false"))
    shared, only_dup = StatementFactory(), StatementFactory()
    services.link_statement(claim=survivor, statement=shared, by=editor)
    services.link_statement(claim=duplicate, statement=shared, by=editor)
    services.link_statement(claim=duplicate, statement=only_dup, by=editor)
    services.attach_source(
        claim=duplicate, stance="refutes", url="https://e.example/1", title="E1", by=editor
    )

    services.merge_claims(survivor=survivor, duplicate=duplicate, by=editor)

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.state == Claim.State.MERGED
    assert duplicate.merged_into == survivor
    assert set(survivor.statement_links.values_list("statement", flat=True)) == {
        shared.pk,
        only_dup.pk,
    }
    assert survivor.source_links.count() == 1
    assert survivor.rating == rating(
        "false"
    )  # the survivor had no verdict; it takes the duplicate's
    assert set(survivor.claimants.all()) == {shared.speaker, only_dup.speaker}
    assert not ClaimStatement.history.filter(claim_id=duplicate.pk).exists()
    assert ClaimSource.history.filter(claim_id=survivor.pk).count() == 2
    assert "Merged claim" in _reasons(survivor)[-1]


def test_merge_into_itself_is_refused(editor):
    claim = ClaimFactory()
    with pytest.raises(ValidationError):
        services.merge_claims(survivor=claim, duplicate=claim, by=editor)


def test_linking_to_a_merged_claim_is_refused(editor):
    survivor, duplicate = ClaimFactory(), ClaimFactory()
    services.merge_claims(survivor=survivor, duplicate=duplicate, by=editor)
    with pytest.raises(ValidationError, match="merged"):
        services.link_statement(
            claim=Claim.objects.get(pk=duplicate.pk), statement=StatementFactory(), by=editor
        )


def test_new_and_reworded_claims_get_embeddings_after_commit(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.create_claim(text="Unemployment fell to four percent", by=editor)
    claim.refresh_from_db()
    first = bytes(claim.embedding)
    assert len(first) == 768
    with django_capture_on_commit_callbacks(execute=True):
        services.update_claim(claim=claim, text="Inflation rose to nine percent", by=editor)
    claim.refresh_from_db()
    assert claim.embedding is not None
    assert bytes(claim.embedding) != first
