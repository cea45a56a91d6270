"""Match statements from a JSON-lines file against the tracked claims."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.matching import similar_claims_batch
from claims.models import Claim


class Command(BaseCommand):
    help = (
        'Read lines {"id", "text"} and print lines {"id", "matches": [{"external_id", '
        '"claim_id", "score"}, ...]}, best first.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON-lines file, or - for standard input")
        parser.add_argument("--limit", type=int, default=5, help="Matches per statement")

    def handle(self, *args, file: str, limit: int, **options):
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        with stream:
            items = []
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    items.append((obj["id"], str(obj.get("text") or "")))
                except (json.JSONDecodeError, KeyError, TypeError):
                    self.stderr.write(f"line {number}: skipped, not a JSON object with an id")
        out = self.stdout
        for chunk_start in tqdm(
            range(0, len(items), 64), unit=" batches", file=sys.stderr, disable=None
        ):
            chunk = items[chunk_start : chunk_start + 64]
            results = similar_claims_batch([text for _, text in chunk], limit=limit)
            ids = {m.claim_id for matches in results for m in matches}
            external = dict(Claim.objects.filter(pk__in=ids).values_list("pk", "external_id"))
            for (item_id, _), matches in zip(chunk, results, strict=True):
                payload = [
                    {
                        "external_id": external.get(m.claim_id),
                        "claim_id": m.claim_id,
                        "score": m.score,
                    }
                    for m in matches
                ]
                out.write(json.dumps({"id": item_id, "matches": payload}) + "\n")
