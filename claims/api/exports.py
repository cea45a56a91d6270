"""Streamed exports (CSV, JSON Lines) of claims with statements, sources and verdicts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer

from claims.models import Claim
from claims.roles import READER

from .base import reject_unstorable_query
from .filters import ClaimFilter
from .permissions import RolePermission
from .views import claim_queryset

CHUNK = 2000
CSV_COLUMNS = [
    "id",
    "state",
    "claim_type",
    "title",
    "text",
    "rating",
    "rating_value",
    "scale",
    "verdict_explanation",
    "claimants",
    "topics",
    "statement_count",
    "statements",
    "source_count",
    "sources",
    "due_date",
    "published_at",
    "updated_at",
    "version",
    "external_id",
    "url",
]


def claim_record(claim: Claim) -> dict:
    """One claim as a flat-ish dict (uses only prefetched relations)."""
    rating = claim.rating
    return {
        "id": claim.pk,
        "state": claim.state,
        "claim_type": claim.claim_type,
        "title": claim.title,
        "text": claim.text,
        "rating": rating.label if rating else None,
        "rating_value": rating.value if rating else None,
        "scale": rating.scale.slug if rating else None,
        "verdict_explanation": claim.verdict_explanation,
        "claimants": [{"id": sp.pk, "name": sp.name} for sp in claim.claimants.all()],
        "topics": [t.slug for t in claim.topics.all()],
        "statements": [
            {
                "id": link.statement_id,
                "text": link.statement.text,
                "relation": link.relation,
                "fidelity": link.fidelity,
                "speaker": link.statement.speaker.name if link.statement.speaker else None,
                "article_url": link.statement.article.link,
            }
            for link in claim.statement_links.all()
        ],
        "sources": [
            {
                "id": link.source_id,
                "stance": link.stance,
                "title": link.source.title,
                "url": link.source.url,
                "note": link.note,
            }
            for link in claim.source_links.all()
        ],
        "due_date": claim.due_date.isoformat() if claim.due_date else None,
        "published_at": claim.published_at.isoformat() if claim.published_at else None,
        "updated_at": claim.updated_at.isoformat(),
        "version": claim.version,
        "external_id": claim.external_id,
        "url": claim.get_absolute_url(),
    }


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    # A leading = + - @ makes spreadsheets evaluate the cell (CSV injection): neutralise it.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_rows(claims: Iterable[Claim]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for claim in claims:
        record = claim_record(claim)
        record["claimants"] = "; ".join(c["name"] for c in record["claimants"])
        record["topics"] = "; ".join(record["topics"])
        record["statement_count"] = len(record["statements"])
        record["source_count"] = len(record["sources"])
        record["statements"] = json.dumps(record["statements"], ensure_ascii=False)
        record["sources"] = json.dumps(record["sources"], ensure_ascii=False)
        writer.writerow([_cell(record[c]) for c in CSV_COLUMNS])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_rows(claims: Iterable[Claim]) -> Iterator[str]:
    lines: list[str] = []
    for claim in claims:
        lines.append(json.dumps(claim_record(claim), ensure_ascii=False) + "\n")
        if len(lines) >= 200:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)


def export_queryset(base: QuerySet | None = None) -> Iterator[Claim]:
    """Iterate claims in id order, CHUNK rows (plus their prefetches) in memory at a time."""
    qs = (base if base is not None else claim_queryset()).order_by("id")
    return qs.iterator(chunk_size=CHUNK)


class PassthroughRenderer(BaseRenderer):
    """Lets content negotiation accept text/csv and JSON Lines; the view streams the body."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return json.dumps(data).encode()


class CSVRenderer(PassthroughRenderer):
    media_type = "text/csv"
    format = "csv"


class JSONLinesRenderer(PassthroughRenderer):
    media_type = "application/x-ndjson"
    format = "jsonl"


class _ClaimExport(GenericAPIView):
    permission_classes = [RolePermission]
    read_role = READER
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimFilter
    pagination_class = None
    renderer_classes = [JSONRenderer, CSVRenderer, JSONLinesRenderer]
    content_type = ""
    extension = ""

    def get_queryset(self) -> QuerySet:
        return claim_queryset()

    def rows(self, claims: Iterable[Claim]) -> Iterator[str]:
        raise NotImplementedError

    def get(self, request) -> StreamingHttpResponse:
        reject_unstorable_query(request)
        claims = export_queryset(self.filter_queryset(self.get_queryset()))
        response = StreamingHttpResponse(self.rows(claims), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="claims.{self.extension}"'
        return response


@extend_schema(
    tags=["exports"],
    summary="Claims as CSV (streamed)",
    description="Statements and sources are JSON arrays in their cells. Claim filters apply.",
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV file.")},
)
class ClaimCSVExport(_ClaimExport):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def rows(self, claims: Iterable[Claim]) -> Iterator[str]:
        return csv_rows(claims)


@extend_schema(
    tags=["exports"],
    summary="Claims as JSON Lines (streamed)",
    description="One JSON object per line. Claim filters apply.",
    responses={
        (200, "application/x-ndjson"): OpenApiResponse(
            OpenApiTypes.STR, description="One claim per line."
        )
    },
)
class ClaimJSONLExport(_ClaimExport):
    content_type = "application/x-ndjson; charset=utf-8"
    extension = "jsonl"

    def rows(self, claims: Iterable[Claim]) -> Iterator[str]:
        return jsonl_rows(claims)
