"""Export claims with statements, sources and verdicts as CSV or JSON Lines (streamed)."""

import contextlib
import sys

from django.core.management.base import BaseCommand

from claims.api.exports import csv_rows, export_queryset, jsonl_rows


class Command(BaseCommand):
    help = "Write all claims as CSV or JSON Lines to a file or stdout, in constant memory."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["csv", "jsonl"], default="jsonl")
        parser.add_argument("--output", "-o", help="File to write (default: stdout)")
        parser.add_argument("--published", action="store_true", help="Only published claims")

    def handle(self, *args, format: str, output: str | None, published: bool, **options) -> None:
        from claims.api.views import claim_queryset

        qs = claim_queryset()
        if published:
            qs = qs.published()
        rows = (csv_rows if format == "csv" else jsonl_rows)(export_queryset(qs))
        with contextlib.ExitStack() as stack:
            out = (
                stack.enter_context(open(output, "w", encoding="utf-8", newline=""))
                if output
                else sys.stdout
            )
            for chunk in rows:
                out.write(chunk)
