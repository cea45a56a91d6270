"""Import tracked claims from a JSON-lines file, idempotent by external_id."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.matching.importing import import_claims


class Command(BaseCommand):
    help = (
        'Import claims from lines {"external_id", "text", "title"?, "speaker"?, "rating"?, '
        '"url"?}; re-running updates text and title and creates nothing twice.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON-lines file, or - for standard input")
        parser.add_argument("--reason", default="Imported", help="Change reason for history")
        parser.add_argument(
            "--no-embed",
            action="store_true",
            help="Skip sentence embeddings (matching falls back to lexical features for these)",
        )
        parser.add_argument(
            "--embed-missing",
            action="store_true",
            help="Also compute the embedding of every other claim that lacks one",
        )

    def handle(self, *args, file: str, reason: str, no_embed: bool, embed_missing: bool, **options):
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        with stream, tqdm(unit=" claims", file=sys.stderr, disable=None) as bar:
            report = import_claims(
                stream,
                reason=reason,
                progress=bar,
                embed=not no_embed,
                embed_missing=embed_missing,
            )
        self.stderr.write(report.summary())
