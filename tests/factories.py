"""factory_boy factories for the domain."""

import factory

from claims.models import Article, Claim, Outlet, Rating, Source, Speaker, Statement

BODY = (
    "Syria's President Ahmed al-Sharaa met Vladimir Putin in Moscow. "
    '"We respect all agreements made with it," al-Sharaa said. '
    "The Syrian leader assured that Damascus would honour all past agreements with Moscow."
)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    url = factory.Sequence(lambda n: f"https://news.example/story-{n}")
    canonical_url = factory.SelfAttribute("url")
    title = factory.Sequence(lambda n: f"Story {n}")
    body = BODY
    content_hash = factory.LazyAttributeSequence(lambda o, n: f"{n:064x}")
    state = Article.State.FETCHED


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    verified = True


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    article = factory.SubFactory(ArticleFactory)
    start = factory.LazyAttribute(lambda o: o.article.body.index("We respect"))
    end = factory.LazyAttribute(lambda o: o.start + len("We respect all agreements made with it,"))
    text = factory.LazyAttribute(lambda o: o.article.body[o.start : o.end])
    kind = Statement.Kind.DIRECT
    cue = "said"
    speaker = factory.SubFactory(SpeakerFactory, name="Ahmed al-Sharaa")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Claim number {n} about the economy")
    claim_type = Claim.Type.FACTUAL


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report {n}")
    url = factory.Sequence(lambda n: f"https://evidence.example/report-{n}")


def rating(slug: str, scale: str = "truth") -> Rating:
    return Rating.objects.get(scale__slug=scale, slug=slug)
