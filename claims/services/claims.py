"""Claim use cases: create, link statements, attach sources, rate, publish, merge."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import (
    Claim,
    ClaimSource,
    ClaimStatement,
    Flag,
    Rating,
    Source,
    Speaker,
    Statement,
    Topic,
)

from .history import save_with_history
from .webhooks import emit_event


class StaleVersion(ValidationError):
    """The claim changed since the caller read it (optimistic locking)."""


def _queue_embedding(claim: Claim) -> None:
    """Matching compares meanings too: embed the claim's new text once it is committed."""
    from claims.tasks import embed_claims

    embed_claims.delay_on_commit([claim.pk])


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


def _bump(claim: Claim, *, by, reason: str) -> None:
    claim.version += 1
    save_with_history(claim, by=by, reason=reason)


@transaction.atomic
def create_claim(
    *,
    text: str,
    by=None,
    claim_type: str = Claim.Type.FACTUAL,
    title: str = "",
    claimants: Iterable[Speaker] = (),
    topics: Iterable[Topic] = (),
    due_date: date | None = None,
    external_id: str | None = None,
    external_url: str = "",
    reason: str = "Created",
) -> Claim:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "A claim needs its text."})
    claim = Claim(
        text=text,
        title=title,
        claim_type=claim_type,
        due_date=due_date,
        external_id=external_id,
        external_url=external_url,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    claim.full_clean(exclude=["claimants", "topics"])
    save_with_history(claim, by=by, reason=reason)
    _queue_embedding(claim)
    if claimants:
        claim.claimants.set(claimants)
    if topics:
        claim.topics.set(topics)
    return claim


@transaction.atomic
def link_statement(
    *,
    claim: Claim,
    statement: Statement,
    by=None,
    relation: str = ClaimStatement.Relation.ASSERTS,
    fidelity: str = ClaimStatement.Fidelity.VERBATIM,
    note: str = "",
) -> ClaimStatement:
    """Link a statement to a claim (or update the existing link); the speaker joins the claimants."""
    if claim.state == Claim.State.MERGED:
        raise ValidationError("This claim was merged; link to the claim it was merged into.")
    link = ClaimStatement.objects.filter(claim=claim, statement=statement).first()
    if link is None:
        link = ClaimStatement(claim=claim, statement=statement)
    link.relation, link.fidelity, link.note = relation, fidelity, note
    link.linked_by = by if getattr(by, "is_authenticated", False) else None
    link.full_clean(validate_unique=False)
    save_with_history(link, by=by, reason=f"Linked as {link.get_relation_display().lower()}")
    if statement.speaker_id and relation != ClaimStatement.Relation.DENIES:
        claim.claimants.add(statement.speaker_id)
    if statement.review_state in (Statement.ReviewState.NEW, Statement.ReviewState.FLAGGED):
        statement.review_state = Statement.ReviewState.REVIEWED
        save_with_history(statement, by=by, reason=f"Linked to claim {claim.pk}")
    return link


@transaction.atomic
def create_claim_from_statement(
    *,
    statement: Statement,
    by=None,
    text: str | None = None,
    claim_type: str | None = None,
    relation: str = ClaimStatement.Relation.ASSERTS,
    fidelity: str | None = None,
) -> Claim:
    """Create a draft claim from a statement and link the statement to it."""
    type_from_guess = {
        Statement.TypeGuess.PROMISE: Claim.Type.PROMISE,
        Statement.TypeGuess.PREDICTION: Claim.Type.PREDICTION,
    }
    claim = create_claim(
        text=text or statement.text,
        by=by,
        claim_type=claim_type or type_from_guess.get(statement.type_guess, Claim.Type.FACTUAL),
        claimants=[statement.speaker] if statement.speaker_id else [],
        reason=f"Created from statement {statement.pk}",
    )
    if fidelity is None:
        fidelity = (
            ClaimStatement.Fidelity.VERBATIM
            if text is None or " ".join(text.split()) == " ".join(statement.text.split())
            else ClaimStatement.Fidelity.PARAPHRASE
        )
    link_statement(claim=claim, statement=statement, by=by, relation=relation, fidelity=fidelity)
    return claim


@transaction.atomic
def attach_source(
    *,
    claim: Claim,
    stance: str,
    by=None,
    source: Source | None = None,
    url: str = "",
    title: str = "",
    publisher: str = "",
    kind: str = Source.Kind.OTHER,
    note: str = "",
    archived_hash: str = "",
) -> ClaimSource:
    """Attach evidence to a claim: an existing source, or one described by url/title."""
    if source is None:
        if not (url or title):
            raise ValidationError("A source needs a URL or a title.")
        source = Source.objects.filter(url=url).first() if url else None
        if source is None:
            source = Source(
                url=url,
                title=title or url,
                publisher=publisher,
                kind=kind,
                archived_hash=archived_hash,
                retrieved_at=timezone.now() if url else None,
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
            source.full_clean(validate_unique=False)
            save_with_history(source, by=by, reason="Added as evidence")
    link = ClaimSource.objects.filter(claim=claim, source=source).first() or ClaimSource(
        claim=claim, source=source
    )
    link.stance, link.note = stance, note
    link.added_by = by if getattr(by, "is_authenticated", False) else None
    link.full_clean(validate_unique=False)
    save_with_history(link, by=by, reason=f"Attached as {link.get_stance_display().lower()}")
    return link


@transaction.atomic
def change_verdict(
    *, claim: Claim, rating: Rating | None, explanation: str, by=None, reason: str = ""
) -> Claim:
    """Rate a claim; every change is a new history entry, so no verdict is ever lost."""
    claim = _locked(claim)
    previous = claim.rating
    claim.set_verdict(rating, explanation)
    _bump(claim, by=by, reason=reason or f"Verdict: {rating.label if rating else 'none'}")
    if previous != rating and claim.state == Claim.State.PUBLISHED:
        emit_event("claim.verdict_changed", claim, previous=previous.label if previous else None)
    return claim


@transaction.atomic
def transition_claim(*, claim: Claim, to: str, by=None, reason: str = "") -> Claim:
    """Move a claim through the editorial workflow (draft → in review → published …)."""
    claim = _locked(claim)
    claim.transition(to)
    _bump(claim, by=by, reason=reason or f"State: {Claim.State(to).label}")
    if to == Claim.State.PUBLISHED:
        emit_event("claim.published", claim)
    return claim


@transaction.atomic
def publish_claim(*, claim: Claim, by=None, reason: str = "") -> Claim:
    """Publish a rated claim, passing through review when it is still a draft."""
    if claim.state == Claim.State.DRAFT:
        claim = transition_claim(
            claim=claim, to=Claim.State.IN_REVIEW, by=by, reason="Sent to review"
        )
    return transition_claim(
        claim=claim, to=Claim.State.PUBLISHED, by=by, reason=reason or "Published"
    )


EDITABLE_FIELDS = {"text", "title", "claim_type", "due_date", "verdict_explanation", "assignee"}


@transaction.atomic
def update_claim(
    *, claim: Claim, by=None, expected_version: int | None = None, reason: str = "", **changes
) -> Claim:
    """Edit a claim's content; with ``expected_version``, refuse if someone saved in between."""
    unknown = set(changes) - EDITABLE_FIELDS - {"claimants", "topics"}
    if unknown:
        raise ValidationError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    claim = _locked(claim)
    if expected_version is not None and claim.version != expected_version:
        raise StaleVersion(
            f"The claim was changed by someone else (now version {claim.version}, "
            f"you edited version {expected_version}). Reload it and apply your change again."
        )
    claimants, topics = changes.pop("claimants", None), changes.pop("topics", None)
    for field, value in changes.items():
        setattr(claim, field, value)
    claim.full_clean(exclude=["claimants", "topics"], validate_unique=False)
    correction = claim.state == Claim.State.PUBLISHED
    _bump(claim, by=by, reason=reason or ("Correction" if correction else "Edited"))
    if "text" in changes:
        _queue_embedding(claim)
    if claimants is not None:
        claim.claimants.set(claimants)
    if topics is not None:
        claim.topics.set(topics)
    return claim


@transaction.atomic
def assign_claim(*, claim: Claim, assignee, by=None) -> Claim:
    claim = _locked(claim)
    claim.assignee = assignee
    _bump(claim, by=by, reason=f"Assigned to {assignee}" if assignee else "Unassigned")
    return claim


@transaction.atomic
def merge_claims(*, survivor: Claim, duplicate: Claim, by=None, reason: str = "") -> Claim:
    """Fold ``duplicate`` into ``survivor``: statements, sources, claimants, topics and history move."""
    if survivor.pk == duplicate.pk:
        raise ValidationError("A claim cannot be merged into itself.")
    # Lock both rows in a stable order so two editors merging crosswise cannot deadlock.
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update()
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
    }
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if Claim.State.MERGED in (survivor.state, duplicate.state):
        raise ValidationError("One of these claims was already merged.")

    for link in duplicate.statement_links.select_related("statement"):
        if survivor.statement_links.filter(statement=link.statement).exists():
            link.delete()
            continue
        link.claim = survivor
        save_with_history(link, by=by, reason=f"Moved from merged claim {duplicate.pk}")
    for link in duplicate.source_links.all():
        if survivor.source_links.filter(source=link.source).exists():
            link.delete()
            continue
        link.claim = survivor
        save_with_history(link, by=by, reason=f"Moved from merged claim {duplicate.pk}")
    # Earlier history of the moved links follows them to the survivor.
    ClaimStatement.history.filter(claim_id=duplicate.pk).update(claim_id=survivor.pk)
    ClaimSource.history.filter(claim_id=duplicate.pk).update(claim_id=survivor.pk)
    Flag.objects.filter(claim=duplicate, statement__isnull=False).update(claim=survivor)
    survivor.claimants.add(*duplicate.claimants.all())
    survivor.topics.add(*duplicate.topics.all())
    if survivor.rating_id is None and duplicate.rating_id is not None:
        survivor.set_verdict(duplicate.rating, duplicate.verdict_explanation)
    _bump(survivor, by=by, reason=reason or f"Merged claim {duplicate.pk} into this one")

    duplicate.merged_into = survivor
    duplicate.state = Claim.State.MERGED
    _bump(duplicate, by=by, reason=reason or f"Merged into claim {survivor.pk}")
    return survivor
