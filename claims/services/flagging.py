"""Flagging: score new statements, match them to tracked claims, open flags with suggestions."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import scoring
from claims.matching import similar_claims
from claims.matching.stance import disputes
from claims.models import Article, Claim, Flag, FlagSuggestion, Statement

from .webhooks import emit_event

logger = logging.getLogger(__name__)


def _open_flag(
    *,
    statement: Statement | None,
    reason: str,
    score: float,
    priority: int,
    claim: Claim | None = None,
    suggestions=(),
) -> Flag | None:
    """Open a flag unless one for the same statement (or claim) and reason exists."""
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                statement=statement,
                claim=claim,
                reason=reason,
                score=round(score, 4),
                priority=priority,
            )
    except IntegrityError:
        return None  # already flagged: re-running is harmless
    FlagSuggestion.objects.bulk_create(
        [
            FlagSuggestion(flag=flag, claim_id=m.claim_id, similarity=m.score, rank=i)
            for i, m in enumerate(suggestions, 1)
        ]
    )
    return flag


def flag_statement(statement: Statement, *, new_speaker: bool = False) -> list[Flag]:
    """Score one statement and open the flags it deserves."""
    conf = settings.CLAIMDESK
    result = scoring.score_one(statement.text)
    if statement.check_worthiness != result.check_worthiness or statement.type_guess != result.type:
        statement.check_worthiness = round(result.check_worthiness, 4)
        statement.type_guess = result.type
        statement.save(update_fields=["check_worthiness", "type_guess"])

    opened: list[Flag] = []
    matches = [
        m
        for m in similar_claims(statement.text, limit=conf["MAX_SUGGESTIONS"])
        if m.score >= conf["REPEAT_THRESHOLD"]
    ]
    if matches:
        opened += _open_match_flag(statement, matches)
    if result.check_worthiness >= conf["CHECK_WORTHY_THRESHOLD"]:
        flag = _open_flag(
            statement=statement,
            reason=Flag.Reason.CHECK_WORTHY,
            score=result.check_worthiness,
            priority=Flag.Priority.NORMAL,
        )
        opened += [flag] if flag else []
    if new_speaker and statement.speaker_id:
        flag = _open_flag(
            statement=statement,
            reason=Flag.Reason.NEW_SPEAKER,
            score=0.0,
            priority=Flag.Priority.LOW,
        )
        opened += [flag] if flag else []
    if opened and statement.review_state == Statement.ReviewState.NEW:
        statement.review_state = Statement.ReviewState.FLAGGED
        statement.save(update_fields=["review_state"])
    for flag in opened:
        emit_event("statement.flagged", flag)
    return opened


def _open_match_flag(statement: Statement, matches) -> list[Flag]:
    """One flag for the tracked claims the statement resembles (best first).

    A repeat of a claim rated false is urgent, another repeat high; a statement that plainly
    disputes the claims it resembles ("crime has not doubled") is flagged as disputing them,
    high, so that a denial never raises the alarm meant for a repeated falsehood.
    """
    claims = Claim.objects.select_related("rating").in_bulk([m.claim_id for m in matches])
    repeats = [m for m in matches if not disputes(statement.text, claims[m.claim_id].text)]
    rated_false = [
        m
        for m in repeats
        if claims[m.claim_id].rating_id and claims[m.claim_id].rating.counts_as_false
    ]
    if rated_false:
        reason, priority, first = (
            Flag.Reason.REPEATS_FALSE_CLAIM,
            Flag.Priority.URGENT,
            rated_false[0],
        )
    elif repeats:
        reason, priority, first = Flag.Reason.REPEATS_CLAIM, Flag.Priority.HIGH, repeats[0]
    else:
        reason, priority, first = Flag.Reason.DISPUTES_CLAIM, Flag.Priority.HIGH, matches[0]
    flag = _open_flag(
        statement=statement,
        claim=claims[first.claim_id],
        reason=reason,
        score=first.score,
        priority=priority,
        suggestions=repeats or matches,
    )
    return [flag] if flag else []


def _looks_like_a_name(name: str) -> bool:
    """A proper name ("Tom Becker", "Kremlin"), not a description ("two leaders")."""
    return any(word[:1].isupper() for word in name.split())


@transaction.atomic
def flag_article_statements(*, article_id: int) -> list[Flag]:
    """Flag the article's statements that have not been scored yet; safe to run twice."""
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        logger.warning("Article %s is gone; nothing to flag.", article_id)
        return []
    statements = list(
        article.statements.filter(check_worthiness__isnull=True).select_related("speaker")
    )
    opened: list[Flag] = []
    for statement in statements:
        speaker = statement.speaker
        # A speaker first seen in this article (no statements elsewhere, not verified) is news.
        new_speaker = bool(
            speaker
            and not speaker.verified
            and _looks_like_a_name(speaker.name)
            and not speaker.statements.exclude(article_id=article_id).exists()
        )
        opened += flag_statement(statement, new_speaker=new_speaker)
    return opened


@transaction.atomic
def flag_due_promises(*, today=None) -> list[Flag]:
    """Open a flag for each promise whose due date has come (once per promise)."""
    today = today or timezone.localdate()
    opened = []
    for claim in Claim.objects.due_promises(today):
        flag = _open_flag(
            statement=None,
            claim=claim,
            reason=Flag.Reason.PROMISE_DUE,
            score=1.0,
            priority=Flag.Priority.HIGH,
        )
        if flag:
            opened.append(flag)
    return opened
