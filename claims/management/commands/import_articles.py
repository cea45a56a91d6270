"""Bulk-import articles from a JSON Lines or CSV file."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from claims.management.input import read_text
from claims.models import Article
from claims.services.ingestion import (
    Submission,
    error_text,
    outlet_named,
    parse_published,
    submit_text,
    submit_url,
)

FIELDS = {"url", "text", "title", "published_at", "outlet", "language"}
# CSV fields can be as long as an article (the default limit is 128 KiB).
csv.field_size_limit(16 * 1024 * 1024)


class BadRecord(ValueError):
    """A line that cannot be imported; the message says why."""


@dataclass
class Summary:
    """What an import did, line by line."""

    created: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def _format_of(path: str, given: str | None) -> str:
    if given:
        return given
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    raise CommandError(
        f"Cannot tell the format of {path}: name it .jsonl or .csv, or pass --format."
    )


def _jsonl(lines: list[str]) -> Iterator[tuple[int, dict | None, str]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(record, dict):
            yield number, None, f"expected a JSON object, got {type(record).__name__}"
            continue
        yield number, record, ""


def _csv(text: str) -> Iterator[tuple[int, dict | None, str]]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    columns = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if "url" not in columns and not {"text", "title"} <= columns:
        raise CommandError(
            "The CSV header needs a 'url' column, or 'text' and 'title' columns "
            f"(found: {', '.join(sorted(c for c in columns if c)) or 'none'})."
        )
    try:
        for row in reader:
            # The header is line 1; a record may span several lines (quoted newlines).
            number = reader.line_num
            if None in row:
                yield number, None, f"more fields than the header has ({len(row) - 1} columns)"
                continue
            record = {(k or "").strip().lower(): v for k, v in row.items()}
            if all(not (v or "").strip() for v in record.values()):
                continue
            yield number, record, ""
    except csv.Error as exc:
        yield reader.line_num, None, f"malformed CSV ({exc})"


def _text(record: dict, name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise BadRecord(f"'{name}' must be a string, not {type(value).__name__}")
    return str(value)


class Command(BaseCommand):
    help = (
        "Import articles from a JSON Lines or CSV file. Each record has `url`, or `text` and "
        "`title`; optional `published_at` (ISO 8601), `outlet` (domain or name), `language`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .jsonl or .csv file, or - for stdin (with --format)")
        parser.add_argument("--format", choices=["jsonl", "csv"], help="override the file suffix")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, file: str, format: str | None, no_progress: bool, **options) -> None:
        if file == "-" and not format:
            raise CommandError("Reading stdin needs --format jsonl or --format csv.")
        kind = _format_of(file, format)
        text = read_text(file)
        lines = text.splitlines()
        records = _csv(text) if kind == "csv" else _jsonl(lines)
        summary = Summary()
        outlets: dict[str, object] = {}
        progress = tqdm(
            total=len(lines) - (kind == "csv"),
            unit="line",
            desc="Importing",
            # The raw stream: tqdm redraws with \r, which OutputWrapper would end with \n.
            file=getattr(self.stderr, "_out", sys.stderr),
            # None: shown on a terminal, hidden when stderr goes to a file or a pipe.
            disable=no_progress or None,
        )
        try:
            done = 1 if kind == "csv" else 0
            for number, record, problem in records:
                progress.update(number - done)
                done = number
                if record is None:
                    summary.failed.append((number, problem))
                    continue
                try:
                    submission = self._submit(record, outlets)
                except BadRecord as exc:
                    summary.failed.append((number, str(exc)))
                except ValidationError as exc:
                    summary.failed.append((number, error_text(exc)))
                else:
                    if submission.created:
                        summary.created += 1
                    else:
                        summary.duplicates.append((number, submission.duplicate_reason))
            progress.update(max(0, progress.total - progress.n))
        except DatabaseError as exc:
            raise CommandError(f"The database is not available: {exc}".strip()) from None
        finally:
            progress.close()
        self._print(summary)
        if summary.failed and not summary.created and not summary.duplicates:
            raise CommandError("Nothing was imported: every record failed (see above).")

    def _submit(self, record: dict, outlets: dict) -> Submission:
        unknown = set(record) - FIELDS
        if unknown:
            raise BadRecord(f"unknown field(s): {', '.join(sorted(unknown))}")
        url, body, title = _text(record, "url"), _text(record, "text"), _text(record, "title")
        outlet_name = _text(record, "outlet").strip()
        if outlet_name and outlet_name not in outlets:
            outlets[outlet_name] = outlet_named(outlet_name)
        common = {
            "outlet": outlets.get(outlet_name),
            "published_at": parse_published(_text(record, "published_at")),
            "language": _text(record, "language").strip(),
            "origin": Article.Origin.BULK,
        }
        if body.strip():
            if not title.strip():
                raise BadRecord("a record with 'text' needs a 'title'")
            return submit_text(body=body, title=title, url=url, **common)
        if url.strip():
            return submit_url(url=url, title=title, **common)
        raise BadRecord("needs 'url', or 'text' and 'title'")

    def _print(self, summary: Summary) -> None:
        total = summary.created + len(summary.duplicates) + len(summary.failed)
        self.stdout.write(
            f"{total} record(s): {summary.created} created, "
            f"{len(summary.duplicates)} duplicate(s), {len(summary.failed)} failed."
        )
        for number, why in summary.duplicates:
            self.stdout.write(self.style.WARNING(f"  line {number}: duplicate ({why})"))
        for number, why in summary.failed:
            self.stdout.write(self.style.ERROR(f"  line {number}: {why}"))
