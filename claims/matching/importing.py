"""Bulk import of tracked claims from JSON lines, idempotent by ``external_id``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from claims.models import Claim, Rating, Speaker
from claims.services.speakers import resolve_speaker

from . import embedding
from .lexical import FREQUENCIES

BATCH = 1000
# Rating words used by other fact-checkers that the truth scale spells differently.
RATING_ALIASES = {
    "pants-fire": "pants-on-fire",
    "barely-true": "mostly-false",
    "mostly-accurate": "mostly-true",
    "mixture": "half-true",
    "mixed": "half-true",
    "fake": "false",
    "incorrect": "false",
    "correct": "true",
    "accurate": "true",
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    unknown_ratings: dict[str, int] = field(default_factory=dict)
    embedded: int = 0  # claims whose sentence embedding was computed
    embed_seconds: float = 0.0
    changed_ids: list[int] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        """Describe the outcome in one line, then one line per problem."""
        lines = [
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {len(self.skipped)}, embedded {self.embedded}"
            + (
                f" ({self.embedded / self.embed_seconds:.0f} claims/s)"
                if self.embedded and self.embed_seconds
                else ""
            )
        ]
        lines += [f"  line {n}: skipped, {reason}" for n, reason in self.skipped]
        lines += [
            f"  unknown rating {label!r} on {count} line(s): imported without a rating"
            for label, count in sorted(self.unknown_ratings.items())
        ]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Row:
    external_id: str
    text: str
    title: str
    url: str
    speaker: str
    rating: str


def _clean(value: object, limit: int) -> str:
    return " ".join(str(value).split())[:limit] if value is not None else ""


def parse_lines(lines: Iterable[str], report: ImportReport) -> Iterator[_Row]:
    """Yield valid rows; record the reason for every line that cannot be imported."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            report.skipped.append((number, f"not JSON ({exc.msg})"))
            continue
        if not isinstance(obj, dict):
            report.skipped.append((number, "not a JSON object"))
            continue
        external_id = _clean(obj.get("external_id"), 200)
        text = _clean(obj.get("text"), 100_000)
        if not external_id:
            report.skipped.append((number, "no external_id"))
            continue
        if not text:
            report.skipped.append((number, f"no text for {external_id}"))
            continue
        url = _clean(obj.get("url"), 2000)
        if url and not url.startswith(("http://", "https://")):
            url = ""
        yield _Row(
            external_id=external_id,
            text=text,
            title=_clean(obj.get("title"), 300),
            url=url,
            speaker=_clean(obj.get("speaker"), 300),
            rating=_clean(obj.get("rating"), 100),
        )


def _rating_lookup() -> dict[str, Rating]:
    """Map slugs and labels of the truth scale (and common aliases) to ratings."""
    ratings = Rating.objects.filter(scale__slug="truth")
    by_key = {}
    for rating in ratings:
        by_key[rating.slug] = rating
        by_key[slugify(rating.label)] = rating
    for alias, slug in RATING_ALIASES.items():
        if slug in by_key:
            by_key.setdefault(alias, by_key[slug])
    return by_key


def import_claims(
    lines: Iterable[str],
    *,
    by=None,
    reason: str = "Imported",
    progress=None,
    embed: bool = True,
    embed_missing: bool = False,
) -> ImportReport:
    """Create or update tracked claims from JSON lines; a bad line is reported, never fatal.

    New and changed claims get their sentence embedding (``embed``); ``embed_missing`` also fills
    it for every other claim lacking one (claims created elsewhere, or imported with embed=False).
    """
    report = ImportReport()
    ratings = _rating_lookup()
    speakers: dict[str, Speaker | None] = {}
    batch: list[_Row] = []
    for row in parse_lines(lines, report):
        batch.append(row)
        if progress is not None:
            progress.update(1)
        if len(batch) >= BATCH:
            _import_batch(batch, report, ratings, speakers, by=by, reason=reason)
            batch = []
    if batch:
        _import_batch(batch, report, ratings, speakers, by=by, reason=reason)
    if embed or embed_missing:
        t0 = time.perf_counter()
        if embed and report.changed_ids:
            report.embedded += embedding.store_embeddings(report.changed_ids)
        if embed_missing:
            report.embedded += embedding.store_embeddings()
        report.embed_seconds = time.perf_counter() - t0
    # Last: storing embeddings rewrites the rows once more.
    if report.created or report.updated or report.embedded:
        refresh_search_statistics()
    return report


def refresh_search_statistics() -> None:
    """Merge pending GIN entries and refresh planner statistics after a bulk change."""
    # A bulk insert leaves entries in the GIN pending list, which every search scans linearly;
    # the matcher also reads lexeme frequencies from the statistics ANALYZE gathers. VACUUM
    # also sets the new rows' hint bits, which the first searches would otherwise set (and
    # write) row by row; it cannot run inside a transaction, where ANALYZE alone does.
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c WHERE c.relname IN "
            "('claim_search_vector_gin', 'claim_text_trgm_gin', 'claimterms_terms_gin')"
        )
        cursor.execute(f"{analyze} claims_claim")
        cursor.execute(f"{analyze} claims_claimterms")
    FREQUENCIES.reset()


@transaction.atomic
def _import_batch(
    rows: list[_Row],
    report: ImportReport,
    ratings: dict[str, Rating],
    speakers: dict[str, Speaker | None],
    *,
    by,
    reason: str,
) -> None:
    # The last line wins when a file repeats an external_id.
    latest = {row.external_id: row for row in rows}
    existing = Claim.objects.select_for_update().in_bulk(list(latest), field_name="external_id")
    to_create: list[Claim] = []
    to_update: list[Claim] = []
    claimants: list[tuple[str, Speaker]] = []
    for external_id, row in latest.items():
        rating = None
        if row.rating:
            rating = ratings.get(slugify(row.rating))
            if rating is None:
                report.unknown_ratings[row.rating] = report.unknown_ratings.get(row.rating, 0) + 1
        if row.speaker:
            if row.speaker not in speakers:
                speakers[row.speaker] = resolve_speaker(name=row.speaker)
            if speakers[row.speaker] is not None:
                claimants.append((external_id, speakers[row.speaker]))
        claim = existing.get(external_id)
        if claim is None:
            to_create.append(
                Claim(
                    text=row.text,
                    title=row.title,
                    external_id=external_id,
                    external_url=row.url,
                    rating=rating,
                )
            )
            continue
        changes = {"text": row.text, "title": row.title}
        if row.url:
            changes["external_url"] = row.url
        if rating is not None:
            changes["rating"] = rating
        if all(getattr(claim, name) == value for name, value in changes.items()):
            report.unchanged += 1
            continue
        for name, value in changes.items():
            setattr(claim, name, value)
        claim.version += 1
        claim.updated_at = timezone.now()
        to_update.append(claim)
    if to_create:
        to_create = bulk_create_with_history(
            to_create, Claim, batch_size=BATCH, default_user=_user(by), default_change_reason=reason
        )
        report.created += len(to_create)
        report.changed_ids += [c.pk for c in to_create if c.pk is not None]
    if to_update:
        bulk_update_with_history(
            to_update,
            Claim,
            ["text", "title", "external_url", "rating", "version", "updated_at"],
            batch_size=BATCH,
            default_user=_user(by),
            default_change_reason=reason,
        )
        report.updated += len(to_update)
        report.changed_ids += [c.pk for c in to_update]
    if claimants:
        ids = dict(
            Claim.objects.filter(external_id__in=[e for e, _ in claimants]).values_list(
                "external_id", "pk"
            )
        )
        through = Claim.claimants.through
        through.objects.bulk_create(
            [through(claim_id=ids[e], speaker_id=s.pk) for e, s in claimants if e in ids],
            ignore_conflicts=True,
        )


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None
