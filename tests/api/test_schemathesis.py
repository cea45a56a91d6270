"""Property-based API testing against our own OpenAPI document, as a reader and an editor."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import client_for, make_claim

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MIN_REQUESTS = 2000
SENT = {"requests": 0, "by_status": {}}


@pytest.fixture
def api_schema(db, django_user_model, editor, open_flag):
    from django.contrib.auth.models import Group

    from config.wsgi import application

    reader = django_user_model.objects.create_user("st-reader", password="pw-st-123456789")
    reader.groups.add(Group.objects.get(name="reader"))
    for i in range(3):
        make_claim(published=i != 1)
    # The WSGI app runs inside the test transaction; Django would close the connection at
    # the end of each request (as the test client also prevents).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    schema.tokens = {"reader": client_token(reader), "editor": client_token(editor)}
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def client_token(user) -> str:
    return client_for(user)._credentials["HTTP_AUTHORIZATION"]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, api_schema):
    for role in ("reader", "editor"):
        # Logging out would revoke the token the rest of the run uses.
        if case.path.startswith("/api/auth/logout"):
            continue
        response = case.call_and_validate(
            headers={"Authorization": api_schema.tokens[role], "Host": "testserver"},
            checks=CHECKS,
        )
        SENT["requests"] += 1
        SENT["by_status"][response.status_code] = SENT["by_status"].get(response.status_code, 0) + 1


def test_schemathesis_sent_enough_requests():
    if SENT["requests"] == 0:
        pytest.skip("run together with test_api_conforms_to_its_schema")
    print(f"\nschemathesis requests: {SENT['requests']} by status {sorted(SENT['by_status'].items())}")
    assert SENT["requests"] >= MIN_REQUESTS
