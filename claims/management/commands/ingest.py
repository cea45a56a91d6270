"""Ingest articles from URLs, or one article's text from a file or stdin."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

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


def _is_url(value: str) -> bool:
    return "://" in value or value.lower().startswith(("http:", "https:", "www."))


class Command(BaseCommand):
    help = (
        "Ingest articles. `ingest URL [URL ...]` queues pages for fetching; "
        "`ingest FILE` (or `-` for stdin) stores a UTF-8 text as one article."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="URL|FILE|-")
        parser.add_argument("--title", default="", help="title of a text article (required)")
        parser.add_argument("--url", default="", help="where a text article was published")
        parser.add_argument("--outlet", default="", help="outlet domain or name")
        parser.add_argument("--published", default="", help="publication date (ISO 8601)")
        parser.add_argument("--language", default="", help="language code, e.g. en")
        parser.add_argument(
            "--sync",
            action="store_true",
            help="fetch, extract and flag in this process instead of queueing for the worker",
        )

    def handle(self, *args, sources: list[str], sync: bool, **options) -> None:
        if sync:
            from config.celery import app

            # Eager tasks run right after each commit, in this process: no worker needed.
            app.conf.task_always_eager = True
        failures = 0
        try:
            if any(not _is_url(s) for s in sources):
                if len(sources) > 1:
                    raise CommandError("Give either URLs, or exactly one text FILE (or -).")
                self._report(self._ingest_text(sources[0], options), sync=sync)
                return
            if options["title"] and len(sources) > 1:
                raise CommandError("--title applies to one article; give one URL with it.")
            outlet = self._outlet(options["outlet"])
            published = self._published(options["published"])
            for source in sources:
                try:
                    submission = submit_url(
                        url=source,
                        outlet=outlet,
                        title=options["title"],
                        published_at=published,
                        language=options["language"],
                    )
                except ValidationError as exc:
                    failures += 1
                    self.stderr.write(self.style.ERROR(f"{source}: {error_text(exc)}"))
                    continue
                self._report(submission, sync=sync)
        except DatabaseError as exc:
            raise CommandError(f"The database is not available: {exc}".strip()) from None
        if failures:
            raise CommandError(f"{failures} of {len(sources)} URL(s) could not be ingested.")

    def _ingest_text(self, source: str, options: dict) -> Submission:
        body = read_text(source, what="file (nor an http(s) URL)")
        if not options["title"].strip():
            raise CommandError("A text article needs a title: pass --title.")
        try:
            return submit_text(
                body=body,
                title=options["title"],
                url=options["url"],
                outlet=self._outlet(options["outlet"]),
                published_at=self._published(options["published"]),
                language=options["language"],
            )
        except ValidationError as exc:
            raise CommandError(error_text(exc)) from None

    def _outlet(self, value: str):
        if not value:
            return None
        try:
            return outlet_named(value)
        except ValidationError as exc:
            raise CommandError(error_text(exc)) from None

    def _published(self, value: str):
        try:
            return parse_published(value)
        except ValidationError as exc:
            raise CommandError(error_text(exc)) from None

    def _report(self, submission: Submission, *, sync: bool) -> None:
        article = Article.objects.get(pk=submission.article.pk) if sync else submission.article
        if submission.created:
            state = article.get_state_display().lower()
            line = f"Article {article.pk} ({state}): {article}"
            if article.state == Article.State.FAILED:
                line += f" ({article.failure_reason})"
            elif article.state == Article.State.EXTRACTED:
                line += f" ({article.statements.count()} statements)"
            self.stdout.write(self.style.SUCCESS(line))
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Duplicate of article {article.pk} ({article.state}): {article}"
                )
            )
