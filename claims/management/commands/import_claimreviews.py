"""Import ClaimReview JSON-LD files from other fact-checkers (idempotent by review URL)."""

import json

from django.core.management.base import BaseCommand, CommandError

from claims.services.claimreview_import import import_claim_reviews


class Command(BaseCommand):
    help = "Import schema.org ClaimReview JSON-LD (object, list, @graph or DataFeed) files."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", help="JSON-LD files")

    def handle(self, *args, files: list[str], **options) -> None:
        for name in files:
            try:
                with open(name, encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError) as exc:
                raise CommandError(f"{name}: {exc}") from exc
            result = import_claim_reviews(data)
            self.stdout.write(json.dumps({"file": name, **result.as_dict()}))
