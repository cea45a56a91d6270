"""API test fixtures: users per role, knox tokens, clients, and a small published dataset."""

from __future__ import annotations

# Django models are imported inside fixtures: this conftest loads before Django is set up.
import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Login throttling counts in the cache; start each test with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("reader1", password="pw-reader-12345")
    user.groups.add(Group.objects.get(name="reader"))
    return user


@pytest.fixture
def api_admin(db, django_user_model):
    """An admin by group membership (not a superuser)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("admin1", password="pw-admin-12345")
    user.groups.add(Group.objects.get(name="admin"))
    return user


def token_for(user) -> str:
    from knox.models import AuthToken

    return AuthToken.objects.create(user=user)[1]


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def reader_client(reader) -> APIClient:
    return client_for(reader)


@pytest.fixture
def editor_client(editor) -> APIClient:
    return client_for(editor)


@pytest.fixture
def admin_client_api(api_admin) -> APIClient:
    return client_for(api_admin)


def make_claim(*, published: bool = False, statements: int = 1, sources: int = 1, editor=None):
    """A claim with linked statements and sources, optionally rated and published."""
    from claims import services
    from claims.models import ClaimSource
    from tests.factories import (
        ArticleFactory,
        ClaimFactory,
        SourceFactory,
        SpeakerFactory,
        StatementFactory,
        rating,
    )

    claim = services.create_claim(text=ClaimFactory.build().text, by=editor)
    speaker = SpeakerFactory()
    for _ in range(statements):
        statement = StatementFactory(speaker=speaker, article=ArticleFactory())
        services.link_statement(claim=claim, statement=statement, by=editor)
    for _ in range(sources):
        services.attach_source(
            claim=claim, source=SourceFactory(), stance=ClaimSource.Stance.SUPPORTS, by=editor
        )
    if published:
        services.change_verdict(claim=claim, rating=rating("false"), explanation="No.", by=editor)
        claim = services.publish_claim(claim=claim, by=editor)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def published_claim(db):
    return make_claim(published=True, statements=2, sources=2)


@pytest.fixture
def draft_claim(db):
    return make_claim(published=False)


@pytest.fixture
def open_flag(db):
    from claims.models import Flag
    from tests.factories import ArticleFactory, StatementFactory

    statement = StatementFactory(article=ArticleFactory())
    return Flag.objects.create(statement=statement, reason=Flag.Reason.CHECK_WORTHY, score=0.9)
