"""Property-based API testing against our own OpenAPI document, as a reader and an editor."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
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


# schemathesis' pytest plugin (from_fixture) breaks on pytest 9 (Function._nodeid), so the
# test drives one Hypothesis run per operation itself, with the same strategies and checks.
EXAMPLES_PER_OPERATION = 25


def test_api_conforms_to_its_schema(api_schema):
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50
    for operation in operations:
        if operation.path.startswith("/api/auth/logout"):
            continue  # logging out would revoke the tokens the rest of the run uses

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy())
        def run(case):
            for role in ("reader", "editor"):
                response = case.call_and_validate(
                    headers={"Authorization": api_schema.tokens[role]}, checks=CHECKS
                )
                SENT["requests"] += 1
                SENT["by_status"][response.status_code] = (
                    SENT["by_status"].get(response.status_code, 0) + 1
                )

        try:
            run()
        except Exception as exc:
            lines = [ln for ln in str(exc).splitlines() if ln.strip()]
            failures.append(
                f"{operation.method.upper()} {operation.path}: " + "\n".join(lines[:25])
            )
    assert not failures, "\n\n".join(failures)
    print(
        f"\nschemathesis: {SENT['requests']} requests, by status {sorted(SENT['by_status'].items())}"
    )
    assert SENT["requests"] >= MIN_REQUESTS
