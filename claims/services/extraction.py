"""Turning an article's text into Statement rows, idempotently."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from claims import extraction
from claims.models import Article, Statement

from .speakers import resolve_speaker

logger = logging.getLogger(__name__)

EXTRACTED_FIELDS = [
    "start",
    "end",
    "text",
    "kind",
    "cue",
    "cue_start",
    "cue_end",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "attribution_chain",
]


def _fields(found: extraction.Statement) -> dict:
    return {
        "text": found.text,
        "start": found.start,
        "end": found.end,
        "kind": found.kind,
        "cue": (found.cue or "")[:200],
        "cue_start": found.cue_start,
        "cue_end": found.cue_end,
        "speaker_mention": (found.speaker_mention or "")[:300],
        "speaker_start": found.speaker_start,
        "speaker_end": found.speaker_end,
        "attribution_chain": (found.attribution_chain or "")[:500],
    }


def _relocate(statement: Statement, body: str) -> bool:
    """Move a linked statement to where its text now stands in a changed body."""
    position = body.find(statement.text, max(0, statement.start - 2000))
    if position < 0:
        position = body.find(statement.text)
    if position < 0:
        return False
    shift = position - statement.start
    statement.start, statement.end = position, position + len(statement.text)
    for a, b in (("cue_start", "cue_end"), ("speaker_start", "speaker_end")):
        if getattr(statement, a) is not None:
            setattr(statement, a, getattr(statement, a) + shift)
            setattr(statement, b, getattr(statement, b) + shift)
            if getattr(statement, b) > len(body) or getattr(statement, a) < 0:
                setattr(statement, a, None)
                setattr(statement, b, None)
    return True


@transaction.atomic
def extract_statements(*, article_id: int) -> list[Statement]:
    """Extract statements from an article and store them; safe to run twice.

    Statements found again keep their rows; new ones are added; ones no longer found are
    removed unless an editor linked them to a claim (those are kept, moved to where their
    text now stands).
    """
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        logger.warning("Article %s is gone; nothing to extract.", article_id)
        return []
    if article.state not in (Article.State.FETCHED, Article.State.EXTRACTED):
        logger.info("Article %s is %s; not extracting.", article_id, article.state)
        return []

    found = extraction.extract(article.body)
    found_keys = {(item.start, item.end) for item in found}
    existing = {(s.start, s.end): s for s in article.statements.select_related("speaker")}
    # Statements editors linked to claims survive a changed body: found again by their text
    # at new offsets, or moved to where their text now stands.
    linked_orphans = {
        row.text: row
        for key, row in existing.items()
        if key not in found_keys and row.claim_links.exists()
    }
    seen: set[tuple[int, int]] = set()
    kept: set[int] = set()
    new: list[Statement] = []
    speakers: dict[tuple[str | None, str], object] = {}
    for item in found:
        key = (item.start, item.end)
        if key in seen:
            continue
        seen.add(key)
        speaker_key = (item.speaker, item.speaker_mention or "")
        if speaker_key not in speakers:
            speakers[speaker_key] = resolve_speaker(
                name=item.speaker,
                mention=item.speaker_mention or "",
                kind_hint=item.speaker_kind,
            )
        fields = _fields(item)
        row = existing.get(key) or linked_orphans.pop(item.text, None)
        if row is None:
            new.append(Statement(article=article, speaker=speakers[speaker_key], **fields))
            continue
        kept.add(row.pk)
        changed = [f for f in EXTRACTED_FIELDS if getattr(row, f) != fields[f]]
        for f in changed:
            setattr(row, f, fields[f])
        # An editor's choice of speaker wins over the extractor's.
        if row.review_state == Statement.ReviewState.NEW and row.speaker != speakers[speaker_key]:
            row.speaker = speakers[speaker_key]
            changed.append("speaker")
        if changed:
            row.save(update_fields=changed)

    for row in existing.values():
        if row.pk in kept:
            continue
        if row.claim_links.exists():
            occupied = seen | {(n.start, n.end) for n in new}
            if (
                article.body[row.start : row.end] != row.text
                and _relocate(row, article.body)
                and (row.start, row.end) not in occupied
            ):
                row.save(
                    update_fields=[
                        "start",
                        "end",
                        "cue_start",
                        "cue_end",
                        "speaker_start",
                        "speaker_end",
                    ]
                )
            continue
        row.flags.all().delete()
        row.delete()

    # The article row lock serialises extraction runs, so plain inserts cannot collide.
    created = Statement.objects.bulk_create(new)
    article.state = Article.State.EXTRACTED
    article.extracted_at = timezone.now()
    article.extracted_hash = Article.hash_body(article.body)
    article.save(update_fields=["state", "extracted_at", "extracted_hash", "updated_at"])

    from claims.tasks import flag_article

    flag_article.delay_on_commit(article.pk)
    return created
