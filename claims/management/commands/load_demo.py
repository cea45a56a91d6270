"""Load the demo desk: two sample articles, their speakers, claims with sources and verdicts, logins."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand
from django.db import transaction
from django.utils import timezone

from claims import roles, services
from claims.models import Article, Claim, Outlet, Rating, Speaker, SpeakerRole, Statement
from claims.services.extraction import extract_statements
from claims.services.flagging import flag_article_statements
from claims.services.ingestion import submit_text

DEMO = Path(__file__).resolve().parents[2] / "demo"
PASSWORD = "claimdesk-demo"


def _speaker(
    name: str, kind: str = Speaker.Kind.PERSON, aliases=(), role=None, external_id: str = ""
) -> Speaker:
    speaker = Speaker.objects.filter(name=name, verified=True).first()
    if speaker is None:
        speaker = Speaker.objects.create(
            name=name, kind=kind, aliases=list(aliases), external_id=external_id, verified=True
        )
    if role:
        SpeakerRole.objects.get_or_create(speaker=speaker, office=role[0], organisation=role[1])
    return speaker


def _statement(article: Article, words: str) -> Statement | None:
    return article.statements.filter(text__icontains=words).order_by("start").first()


class Command(BaseCommand):
    help = "Load demo articles, speakers, claims, sources and verdicts, and demo logins."

    @transaction.atomic
    def handle(self, *args, **options):
        user_model = get_user_model()
        editor, _ = user_model.objects.get_or_create(
            username="editor", defaults={"is_staff": True, "email": "editor@example.org"}
        )
        editor.set_password(PASSWORD)
        editor.save()
        editor.groups.add(Group.objects.get(name=roles.EDITOR))
        admin, _ = user_model.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"},
        )
        admin.set_password(PASSWORD)
        admin.save()

        Outlet.objects.get_or_create(
            domain="demo.claimdesk.example",
            defaults={"name": "Claimdesk demo wire", "country": "GB"},
        )
        sharaa = _speaker(
            "Ahmed al-Sharaa",
            aliases=["Abu Mohammed al-Julani"],
            role=("President", "Syria"),
            external_id="Q4707979",
        )
        putin = _speaker("Vladimir Putin", role=("President", "Russia"), external_id="Q7747")
        _speaker("Dmitry Peskov", role=("Spokesman", "Kremlin"), external_id="Q4179224")
        _speaker("Kremlin", kind=Speaker.Kind.ORGANISATION)
        lopez = _speaker("Maria Lopez", role=("Mayor", "Riverton"))

        # A tracked claim rated false, so the second article's repeat opens an urgent flag.
        false_rating = Rating.objects.get(scale__slug="truth", slug="false")
        crime = services.create_claim(
            text="Crime in Riverton has doubled since 2020", claimants=[lopez], by=editor
        )
        services.change_verdict(
            claim=crime,
            rating=false_rating,
            by=editor,
            explanation="Riverton police figures show reported crime fell in 2021, 2022 and 2023.",
        )
        services.attach_source(
            claim=crime,
            stance="refutes",
            by=editor,
            url="https://demo.claimdesk.example/riverton-police-annual-report",
            title="Riverton police annual crime report",
            publisher="Riverton police",
            kind="official",
        )
        services.publish_claim(claim=crime, by=editor)

        articles = []
        for filename, title, days_ago in [
            (
                "sharaa_moscow.txt",
                "Syria's al-Sharaa meets Putin in Moscow, pledges to respect past agreements",
                2,
            ),
            ("riverton_budget.txt", "Riverton council raises police budget after heated debate", 1),
        ]:
            submission = submit_text(
                body=(DEMO / filename).read_text(encoding="utf-8"),
                title=title,
                by=editor,
                url=f"https://demo.claimdesk.example/{filename.removesuffix('.txt')}",
                published_at=timezone.now() - timedelta(days=days_ago),
                language="en",
            )
            article = submission.article
            # The worker is not running yet: extract and flag now; the queued tasks find nothing left to do.
            extract_statements(article_id=article.pk)
            flag_article_statements(article_id=article.pk)
            articles.append(article)

        moscow = articles[0]
        promise = services.create_claim(
            text="Syria will honour all past agreements with Russia",
            claim_type=Claim.Type.PROMISE,
            claimants=[sharaa],
            due_date=timezone.localdate() + timedelta(days=365),
            by=editor,
        )
        for words, fidelity in [
            ("respect all agreements", "paraphrase"),
            ("honour all past agreements", "paraphrase"),
        ]:
            statement = _statement(moscow, words)
            if statement:
                services.link_statement(
                    claim=promise,
                    statement=statement,
                    relation="asserts",
                    fidelity=fidelity,
                    by=editor,
                )
        services.attach_source(
            claim=promise,
            stance="context",
            by=editor,
            url="https://demo.claimdesk.example/kremlin-transcript",
            title="Transcript of the talks (Kremlin)",
            publisher="Kremlin press service",
            kind="official",
        )
        services.change_verdict(
            claim=promise,
            rating=Rating.objects.get(scale__slug="promise", slug="in-the-works"),
            by=editor,
            explanation="Damascus has restated the commitment; no agreement has been revised or cancelled so far.",
        )
        services.publish_claim(claim=promise, by=editor)

        help_claim = services.create_claim(
            text="Russia is ready to help rebuild the Syrian economy",
            claim_type=Claim.Type.PROMISE,
            claimants=[putin],
            by=editor,
        )
        statement = _statement(moscow, "help rebuild")
        if statement:
            services.link_statement(
                claim=help_claim, statement=statement, fidelity="paraphrase", by=editor
            )
        services.assign_claim(claim=help_claim, assignee=editor, by=editor)

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {Article.objects.count()} articles, {Statement.objects.count()} statements, "
                f"{Claim.objects.count()} claims.\nLog in at /admin/ as editor / {PASSWORD} (or admin / {PASSWORD})."
            )
        )
