"""Fast read path for hot list endpoints: ``.values()`` rows, one batched query per relation,
assembled in Python into exactly the JSON the read serializers produce (and the schema
documents). The serializers stay the single description of each shape (drf-spectacular reads
them); ``tests/api/test_rows.py`` checks that both paths give identical output.

Formatting follows DRF's defaults: datetimes in the current time zone as ISO 8601 with ``Z``
for UTC, dates as ISO 8601, nullable relations as ``null``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

import psycopg
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from rest_framework.settings import api_settings

from claims.models import Claim, ClaimSource, ClaimStatement

_PK_SENTINEL = 987654321


def datetime_formatter() -> Callable[[datetime | None], str | None]:
    """DRF DateTimeField.to_representation for the current time zone, without a field object."""
    if api_settings.DATETIME_FORMAT.lower() != "iso-8601":  # pragma: no cover - not configured
        raise NotImplementedError("rows.py formats datetimes as ISO 8601 only")
    tz = timezone.get_current_timezone()

    def fmt(value: datetime | None) -> str | None:
        if not value:
            return None
        aware = value.astimezone(tz) if timezone.is_aware(value) else timezone.make_aware(value, tz)
        text = aware.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return fmt


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def claim_url_parts() -> tuple[str, str] | None:
    """``Claim.get_absolute_url`` as the text before and after the pk, from one reverse();
    None for a route this cannot template (the pk twice in it)."""
    url = reverse("claims:claim-detail", args=[_PK_SENTINEL])
    sentinel = str(_PK_SENTINEL)
    if url.count(sentinel) != 1:  # pragma: no cover - not the project's route
        return None
    prefix, suffix = url.split(sentinel)
    return prefix, suffix


def claim_url_builder() -> Callable[[int], str]:
    """``Claim.get_absolute_url`` by pk, reversing the route once instead of once per row."""
    parts = claim_url_parts()
    if parts is None:  # pragma: no cover - see claim_url_parts
        return lambda pk: reverse("claims:claim-detail", args=[pk])
    prefix, suffix = parts
    return lambda pk: f"{prefix}{pk}{suffix}"


# ---------------------------------------------------------------------------- statements

# Statement columns (relative to a statement) for StatementBriefSerializer.
_STATEMENT_BRIEF = (
    "id",
    "text",
    "kind",
    "cue",
    "speaker_id",
    "speaker__name",
    "speaker__kind",
    "speaker_mention",
    "article_id",
    "article__url",
    "article__canonical_url",
    "article__title",
    "article__outlet__name",
    "article__published_at",
)


def _statement_brief(row: dict, p: str, fmt: Callable) -> dict:
    """StatementBriefSerializer from a values() row whose statement columns start with ``p``."""
    speaker_id = row[p + "speaker_id"]
    return {
        "id": row[p + "id"],
        "text": row[p + "text"],
        "kind": row[p + "kind"],
        "cue": row[p + "cue"],
        "speaker": None
        if speaker_id is None
        else {"id": speaker_id, "name": row[p + "speaker__name"], "kind": row[p + "speaker__kind"]},
        "speaker_mention": row[p + "speaker_mention"],
        "article": _article_brief(row, p + "article", fmt),
    }


def _article_brief(row: dict, p: str, fmt: Callable) -> dict:
    """ArticleBriefSerializer from article columns ``{p}_id``, ``{p}__url``, ..."""
    return {
        "id": row[p + "_id"],
        "url": row[p + "__canonical_url"] or row[p + "__url"],
        "title": row[p + "__title"],
        "outlet": row[p + "__outlet__name"],
        "published_at": fmt(row[p + "__published_at"]),
    }


STATEMENT_COLUMNS = (
    *_STATEMENT_BRIEF,
    "start",
    "end",
    "cue_start",
    "cue_end",
    "speaker_start",
    "speaker_end",
    "attribution_chain",
    "check_worthiness",
    "type_guess",
    "review_state",
    "created_at",
)


def statement_rows(rows: Iterable[dict]) -> list[dict]:
    """StatementSerializer output for values(*STATEMENT_COLUMNS) rows."""
    fmt = datetime_formatter()
    out = []
    for r in rows:
        speaker_id = r["speaker_id"]
        worthiness = r["check_worthiness"]
        out.append(
            {
                "id": r["id"],
                "article": _article_brief(r, "article", fmt),
                "text": r["text"],
                "start": r["start"],
                "end": r["end"],
                "kind": r["kind"],
                "cue": r["cue"],
                "cue_start": r["cue_start"],
                "cue_end": r["cue_end"],
                "speaker": None
                if speaker_id is None
                else {"id": speaker_id, "name": r["speaker__name"], "kind": r["speaker__kind"]},
                "speaker_mention": r["speaker_mention"],
                "speaker_start": r["speaker_start"],
                "speaker_end": r["speaker_end"],
                "attribution_chain": r["attribution_chain"],
                "check_worthiness": None if worthiness is None else float(worthiness),
                "type_guess": r["type_guess"],
                "review_state": r["review_state"],
                "created_at": fmt(r["created_at"]),
            }
        )
    return out


# ---------------------------------------------------------------------------- sources

SOURCE_COLUMNS = (
    "id",
    "url",
    "title",
    "publisher",
    "kind",
    "retrieved_at",
    "archived_hash",
    "created_at",
)


def source_rows(rows: Iterable[dict]) -> list[dict]:
    """SourceSerializer output for values(*SOURCE_COLUMNS) rows."""
    fmt = datetime_formatter()
    return [
        {
            "id": r["id"],
            "url": r["url"],
            "title": r["title"],
            "publisher": r["publisher"],
            "kind": r["kind"],
            "retrieved_at": fmt(r["retrieved_at"]),
            "archived_hash": r["archived_hash"],
            "created_at": fmt(r["created_at"]),
        }
        for r in rows
    ]


# ---------------------------------------------------------------------------- claims

# Everything ClaimSerializer reads from the claim row and its rating (LEFT JOINs, as
# select_related("rating__scale") did). Includes every cursor ordering field (id, created_at,
# updated_at) under its own name, which CursorPagination reads from the dicts.
CLAIM_COLUMNS = (
    "id",
    "version",
    "text",
    "title",
    "claim_type",
    "state",
    "rating_id",
    "rating__scale__slug",
    "rating__slug",
    "rating__label",
    "rating__value",
    "rating__colour",
    "verdict_explanation",
    "due_date",
    "assignee_id",
    "external_id",
    "external_url",
    "merged_into_id",
    "created_at",
    "updated_at",
    "published_at",
    "verdict_changed_at",
)

_LINK_STATEMENT = (
    "id",
    "claim_id",
    "relation",
    "fidelity",
    "note",
    "linked_at",
    *("statement__" + c for c in _STATEMENT_BRIEF),
)
_LINK_SOURCE = (
    "id",
    "claim_id",
    "stance",
    "note",
    "added_at",
    "source_id",
    "source__url",
    "source__title",
    "source__publisher",
    "source__kind",
)


def claim_values(queryset: QuerySet) -> QuerySet:
    """The claim queryset as the dict rows ``claim_rows`` takes (filters and ordering kept)."""
    return queryset.values(*CLAIM_COLUMNS)


def claim_rows(rows: list[dict]) -> list[dict]:
    """ClaimSerializer output for ``claim_values`` rows, in 4 queries whatever the page size.

    Related rows come in the order the serializer's prefetches gave them (the models' Meta
    ordering), with the primary key breaking ties so pages are deterministic.
    """
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    fmt = datetime_formatter()
    claimants: dict[int, list] = {pk: [] for pk in ids}
    topics: dict[int, list] = {pk: [] for pk in ids}
    statements: dict[int, list] = {pk: [] for pk in ids}
    sources: dict[int, list] = {pk: [] for pk in ids}

    for claim_id, speaker_id, name, kind in (
        Claim.claimants.through.objects.filter(claim_id__in=ids)
        .order_by("speaker__name", "speaker_id")
        .values_list("claim_id", "speaker_id", "speaker__name", "speaker__kind")
    ):
        claimants[claim_id].append({"id": speaker_id, "name": name, "kind": kind})

    for claim_id, slug in (
        Claim.topics.through.objects.filter(claim_id__in=ids)
        .order_by("topic__name", "topic_id")
        .values_list("claim_id", "topic__slug")
    ):
        topics[claim_id].append(slug)

    for link in (
        ClaimStatement.objects.filter(claim_id__in=ids)
        .order_by("linked_at", "id")
        .values(*_LINK_STATEMENT)
    ):
        statements[link["claim_id"]].append(
            {
                "id": link["id"],
                "statement": _statement_brief(link, "statement__", fmt),
                "relation": link["relation"],
                "fidelity": link["fidelity"],
                "note": link["note"],
                "linked_at": fmt(link["linked_at"]),
            }
        )

    for link in (
        ClaimSource.objects.filter(claim_id__in=ids)
        .order_by("added_at", "id")
        .values(*_LINK_SOURCE)
    ):
        sources[link["claim_id"]].append(
            {
                "id": link["id"],
                "source": {
                    "id": link["source_id"],
                    "url": link["source__url"],
                    "title": link["source__title"],
                    "publisher": link["source__publisher"],
                    "kind": link["source__kind"],
                },
                "stance": link["stance"],
                "note": link["note"],
                "added_at": fmt(link["added_at"]),
            }
        )

    page_url = claim_url_builder()
    out = []
    for r in rows:
        pk = r["id"]
        rating_id = r["rating_id"]
        out.append(
            {
                "id": pk,
                "etag": f'"{pk}-{r["version"]}"',
                "version": r["version"],
                "text": r["text"],
                "title": r["title"],
                "claim_type": r["claim_type"],
                "state": r["state"],
                "rating": None
                if rating_id is None
                else {
                    "id": rating_id,
                    "scale": r["rating__scale__slug"],
                    "slug": r["rating__slug"],
                    "label": r["rating__label"],
                    "value": r["rating__value"],
                    "colour": r["rating__colour"],
                },
                "verdict_explanation": r["verdict_explanation"],
                "due_date": _date(r["due_date"]),
                "claimants": claimants[pk],
                "topics": topics[pk],
                "statements": statements[pk],
                "sources": sources[pk],
                "assignee": r["assignee_id"],
                "external_id": r["external_id"],
                "external_url": r["external_url"],
                "merged_into": r["merged_into_id"],
                "page_url": page_url(pk),
                "created_at": fmt(r["created_at"]),
                "updated_at": fmt(r["updated_at"]),
                "published_at": fmt(r["published_at"]),
                "verdict_changed_at": fmt(r["verdict_changed_at"]),
            }
        )
    return out


# ---------------------------------------------------------------------------- claims, in SQL


# The page is JSON text assembled by PostgreSQL from small pieces, so that it comes out exactly
# as DRF's JSONRenderer writes it (compact separators, the serializer's key order): these build
# the SQL text expressions. json_build_object would write ``"key" : value``.


def _value(expr: str) -> str:
    """A scalar column or expression as JSON text (``null`` for NULL)."""
    return f"coalesce(to_json({expr})::text, 'null')"


def _iso(column: str) -> str:
    """A timestamptz as DRF writes it in UTC: ISO 8601 with ``Z``, microseconds only if any."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return _value(
        f"CASE WHEN date_part('microseconds', {column})::int %% 1000000 = 0"
        f""" THEN to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
        f""" ELSE to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END"""
    )


def _object(*fields: tuple[str, str]) -> str:
    """A JSON object from (key, JSON text expression) pairs, in order."""
    members = " || ',' || ".join(f"'\"{key}\":' || {expr}" for key, expr in fields)
    return f"('{{' || {members} || '}}')"


def _nullable(test: str, expr: str) -> str:
    return f"CASE WHEN {test} IS NULL THEN 'null' ELSE {expr} END"


def _array(element: str, source: str, order: str) -> str:
    """A JSON array of ``element`` over the rows of ``source`` (FROM ... WHERE ...), ordered."""
    items = f"string_agg({element}, ',' ORDER BY {order})"
    return f"(SELECT '[' || coalesce({items}, '') || ']' {source})"


_STATEMENT_LINK_JSON = _object(
    ("id", _value("cs.id")),
    (
        "statement",
        _object(
            ("id", _value("st.id")),
            ("text", _value("st.text")),
            ("kind", _value("st.kind")),
            ("cue", _value("st.cue")),
            (
                "speaker",
                _nullable(
                    "ss.id",
                    _object(
                        ("id", _value("ss.id")),
                        ("name", _value("ss.name")),
                        ("kind", _value("ss.kind")),
                    ),
                ),
            ),
            ("speaker_mention", _value("st.speaker_mention")),
            (
                "article",
                _object(
                    ("id", _value("a.id")),
                    ("url", _value("coalesce(nullif(a.canonical_url, ''), a.url)")),
                    ("title", _value("a.title")),
                    ("outlet", _value("o.name")),
                    ("published_at", _iso("a.published_at")),
                ),
            ),
        ),
    ),
    ("relation", _value("cs.relation")),
    ("fidelity", _value("cs.fidelity")),
    ("note", _value("cs.note")),
    ("linked_at", _iso("cs.linked_at")),
)

_SOURCE_LINK_JSON = _object(
    ("id", _value("csrc.id")),
    (
        "source",
        _object(
            ("id", _value("src.id")),
            ("url", _value("src.url")),
            ("title", _value("src.title")),
            ("publisher", _value("src.publisher")),
            ("kind", _value("src.kind")),
        ),
    ),
    ("stance", _value("csrc.stance")),
    ("note", _value("csrc.note")),
    ("added_at", _iso("csrc.added_at")),
)

# ClaimSerializer's shape for each claim, with the related rows in claim_rows' orders.
_CLAIM_JSON = _object(
    ("id", _value("c.id")),
    ("etag", _value("'\"' || c.id || '-' || c.version || '\"'")),
    ("version", _value("c.version")),
    ("text", _value("c.text")),
    ("title", _value("c.title")),
    ("claim_type", _value("c.claim_type")),
    ("state", _value("c.state")),
    (
        "rating",
        _nullable(
            "r.id",
            _object(
                ("id", _value("r.id")),
                ("scale", _value("rs.slug")),
                ("slug", _value("r.slug")),
                ("label", _value("r.label")),
                ("value", _value("r.value")),
                ("colour", _value("r.colour")),
            ),
        ),
    ),
    ("verdict_explanation", _value("c.verdict_explanation")),
    ("due_date", _value("c.due_date")),
    (
        "claimants",
        _array(
            _object(
                ("id", _value("sp.id")), ("name", _value("sp.name")), ("kind", _value("sp.kind"))
            ),
            "FROM claims_claim_claimants cc JOIN claims_speaker sp ON sp.id = cc.speaker_id"
            " WHERE cc.claim_id = c.id",
            "sp.name, sp.id",
        ),
    ),
    (
        "topics",
        _array(
            _value("t.slug"),
            "FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id"
            " WHERE ct.claim_id = c.id",
            "t.name, t.id",
        ),
    ),
    (
        "statements",
        _array(
            _STATEMENT_LINK_JSON,
            "FROM claims_claimstatement cs"
            " JOIN claims_statement st ON st.id = cs.statement_id"
            " LEFT JOIN claims_speaker ss ON ss.id = st.speaker_id"
            " JOIN claims_article a ON a.id = st.article_id"
            " LEFT JOIN claims_outlet o ON o.id = a.outlet_id"
            " WHERE cs.claim_id = c.id",
            "cs.linked_at, cs.id",
        ),
    ),
    (
        "sources",
        _array(
            _SOURCE_LINK_JSON,
            "FROM claims_claimsource csrc JOIN claims_source src ON src.id = csrc.source_id"
            " WHERE csrc.claim_id = c.id",
            "csrc.added_at, csrc.id",
        ),
    ),
    ("assignee", _value("c.assignee_id")),
    ("external_id", _value("c.external_id")),
    ("external_url", _value("c.external_url")),
    ("merged_into", _value("c.merged_into_id")),
    ("page_url", _value("%(url_prefix)s || c.id || %(url_suffix)s")),
    ("created_at", _iso("c.created_at")),
    ("updated_at", _iso("c.updated_at")),
    ("published_at", _iso("c.published_at")),
    ("verdict_changed_at", _iso("c.verdict_changed_at")),
)

_CLAIM_PAGE_SQL = f"""
SELECT '[' || coalesce(string_agg({_CLAIM_JSON}, ',' ORDER BY page.position), '') || ']'
FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS page(id, position)
JOIN claims_claim c ON c.id = page.id
LEFT JOIN claims_rating r ON r.id = c.rating_id
LEFT JOIN claims_ratingscale rs ON rs.id = r.scale_id
"""


def claim_page_json_supported() -> bool:
    """``claim_page_json`` formats datetimes for UTC only (the default TIME_ZONE) and needs a
    claim URL it can template."""
    return timezone.get_current_timezone_name() == "UTC" and claim_url_parts() is not None


def claim_page_json(ids: list[int]) -> str:
    """ClaimSerializer output for the claims ``ids`` (in that order) as JSON text.

    The hot list path: PostgreSQL builds the JSON in one statement, so a page costs Python one
    query and no per-row work (about half the time of ``claim_rows``, measured by
    ``bench/bench_api.py``). Only while ``claim_page_json_supported()``.
    """
    prefix, suffix = claim_url_parts()
    with _prepared_cursor() as cursor:
        cursor.execute(_CLAIM_PAGE_SQL, {"ids": ids, "url_prefix": prefix, "url_suffix": suffix})
        (text,) = cursor.fetchone()
    return text


class _PreparedCursor(psycopg.Cursor):
    """Server-side binding, statements prepared on first use (once per connection)."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)


def _prepared_cursor():
    """A Django cursor (query logging, execute wrappers, error translation) whose statements
    PostgreSQL plans once per connection. Planning the page statement costs about as much as
    running it, and Django's own cursors bind on the client, so each page was planned anew."""
    connection.ensure_connection()
    cursor = _PreparedCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)
