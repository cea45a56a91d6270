"""Every API route × every role: allowed operations pass authorisation, the rest are refused."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from .conftest import client_for, make_claim

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "editor", "admin"]
RANK = {role: i for i, role in enumerate(ROLES)}

# The weakest role allowed for each operation. A route missing here fails the test.
MATRIX = {
    ("GET", "/api/articles/"): "reader",
    ("POST", "/api/articles/"): "editor",
    ("GET", "/api/articles/{id}/"): "reader",
    ("POST", "/api/articles/{id}/retry/"): "editor",
    ("POST", "/api/auth/login/"): "anonymous",
    ("POST", "/api/auth/logout/"): "reader",
    ("POST", "/api/auth/logoutall/"): "reader",
    ("GET", "/api/auth/me/"): "reader",
    ("GET", "/api/claimreviews/"): "anonymous",
    ("GET", "/api/claims/"): "anonymous",
    ("POST", "/api/claims/"): "editor",
    ("GET", "/api/claims/{id}/"): "anonymous",
    ("PUT", "/api/claims/{id}/"): "editor",
    ("PATCH", "/api/claims/{id}/"): "editor",
    ("GET", "/api/claims/{id}/claimreview/"): "anonymous",
    ("POST", "/api/claims/{id}/merge/"): "editor",
    ("POST", "/api/claims/{id}/publish/"): "editor",
    ("POST", "/api/claims/{id}/retract/"): "editor",
    ("POST", "/api/claims/{id}/review/"): "editor",
    ("POST", "/api/claims/{id}/sources/"): "editor",
    ("POST", "/api/claims/{id}/statements/"): "editor",
    ("POST", "/api/claims/{id}/verdict/"): "editor",
    ("GET", "/api/claims/similar/"): "anonymous",
    ("GET", "/api/exports/claims.csv"): "reader",
    ("GET", "/api/exports/claims.jsonl"): "reader",
    ("GET", "/api/feeds/"): "reader",
    ("POST", "/api/feeds/"): "admin",
    ("GET", "/api/feeds/{id}/"): "reader",
    ("PUT", "/api/feeds/{id}/"): "admin",
    ("PATCH", "/api/feeds/{id}/"): "admin",
    ("DELETE", "/api/feeds/{id}/"): "admin",
    ("GET", "/api/flags/"): "reader",
    ("GET", "/api/flags/{id}/"): "reader",
    ("POST", "/api/flags/{id}/create-claim/"): "editor",
    ("POST", "/api/flags/{id}/dismiss/"): "editor",
    ("POST", "/api/flags/{id}/link/"): "editor",
    ("GET", "/api/outlets/"): "reader",
    ("GET", "/api/outlets/{id}/"): "reader",
    ("GET", "/api/rating-scales/"): "anonymous",
    ("GET", "/api/rating-scales/{id}/"): "anonymous",
    ("GET", "/api/ratings/"): "anonymous",
    ("GET", "/api/ratings/{id}/"): "anonymous",
    ("GET", "/api/sources/"): "anonymous",
    ("GET", "/api/sources/{id}/"): "anonymous",
    ("GET", "/api/speakers/"): "reader",
    ("GET", "/api/speakers/{id}/"): "reader",
    ("GET", "/api/statements/"): "anonymous",
    ("GET", "/api/statements/{id}/"): "anonymous",
    ("GET", "/api/topics/"): "anonymous",
    ("GET", "/api/topics/{id}/"): "anonymous",
    ("GET", "/api/webhook-deliveries/"): "editor",
    ("GET", "/api/webhook-deliveries/{id}/"): "editor",
    ("GET", "/api/webhooks/"): "admin",
    ("POST", "/api/webhooks/"): "admin",
    ("GET", "/api/webhooks/{id}/"): "admin",
    ("PUT", "/api/webhooks/{id}/"): "admin",
    ("PATCH", "/api/webhooks/{id}/"): "admin",
    ("DELETE", "/api/webhooks/{id}/"): "admin",
}
# Routes outside the OpenAPI document (the document itself, the docs page and its assets).
UNDOCUMENTED = {"schema/", "docs/", "docs/assets/<path:path>", "^.*$"}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}


def api_route_patterns() -> set[str]:
    """Every route string under /api/ in the URL resolver."""
    api = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and str(p.pattern) == "api/"
    )

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return set(walk(api.url_patterns))


def test_every_route_is_in_the_matrix():
    assert schema_operations() == set(MATRIX)
    documented = {path.removeprefix("/api/").replace("{id}", "") for _, path in MATRIX}
    for route in api_route_patterns() - UNDOCUMENTED:
        normalised = route.replace("(?P<pk>[^/.]+)", "").removeprefix("^").removesuffix("$")
        assert normalised in documented, f"route {route} is not in the authorisation matrix"


@pytest.fixture
def objects(db, editor, open_flag):
    from claims.models import (
        Article,
        Feed,
        Outlet,
        Rating,
        RatingScale,
        Source,
        Speaker,
        Statement,
        Topic,
        Webhook,
        WebhookDelivery,
    )

    claim = make_claim(published=True)
    hook = Webhook.objects.create(url="https://hooks.example/x", events=["claim.published"])
    return {
        "articles": Article.objects.first().pk,
        "claims": claim.pk,
        "feeds": Feed.objects.create(url="https://feeds.example/rss").pk,
        "flags": open_flag.pk,
        "outlets": Outlet.objects.create(name="O", domain="o.example").pk,
        "rating-scales": RatingScale.objects.first().pk,
        "ratings": Rating.objects.first().pk,
        "sources": Source.objects.first().pk,
        "speakers": Speaker.objects.first().pk,
        "statements": Statement.objects.first().pk,
        "topics": Topic.objects.create(name="Economy", slug="economy").pk,
        "webhook-deliveries": WebhookDelivery.objects.create(
            webhook=hook, event="claim.published", payload={}
        ).pk,
        "webhooks": hook.pk,
    }


def users(django_user_model):
    from django.contrib.auth.models import Group

    made = {"anonymous": None}
    for role in ROLES[1:]:
        user = django_user_model.objects.create_user(f"matrix-{role}", password="pw-x-123456789")
        user.groups.add(Group.objects.get(name=role))
        made[role] = user
    return made


def test_authorisation_matrix(objects, django_user_model):
    people = users(django_user_model)
    failures = []
    # Destructive operations last, so the objects exist for every other check.
    for (method, path), weakest in sorted(MATRIX.items(), key=lambda kv: kv[0][0] == "DELETE"):
        resource = path.split("/")[2]
        url = path.replace("{id}", str(objects.get(resource, 1)))
        for role in ROLES:
            client = client_for(people[role])
            response = client.generic(method, url, "{}", content_type="application/json")
            allowed = RANK[role] >= RANK[weakest]
            refused = response.status_code in (401, 403)
            if allowed == refused:
                failures.append(
                    f"{role} {method} {url}: {response.status_code} (want allowed={allowed})"
                )
            if allowed:
                assert response.status_code < 500, (method, url, role)
    assert not failures, "\n".join(failures)
