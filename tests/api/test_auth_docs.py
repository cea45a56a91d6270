import base64

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken

pytestmark = pytest.mark.django_db


def test_login_with_json_returns_expiring_hashed_token(anon_client, reader):
    response = anon_client.post(
        "/api/auth/login/", {"username": "reader1", "password": "pw-reader-12345"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["user"]["role"] == "reader"
    token = AuthToken.objects.get(user=reader)
    assert token.digest != body["token"]  # stored hashed
    assert token.expiry > timezone.now() + timezone.timedelta(days=29)
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert anon_client.get("/api/auth/me/").json()["role"] == "reader"


def test_login_with_basic_auth(anon_client, editor):
    creds = base64.b64encode(b"ed:pw-ed-12345").decode()
    response = anon_client.post("/api/auth/login/", HTTP_AUTHORIZATION=f"Basic {creds}")
    assert response.status_code == 200
    assert response.json()["user"]["role"] == "editor"


def test_wrong_password_is_401(anon_client, reader):
    response = anon_client.post(
        "/api/auth/login/", {"username": "reader1", "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_logout_revokes_token(reader_client):
    assert reader_client.post("/api/auth/logout/").status_code == 204
    assert reader_client.get("/api/auth/me/").status_code == 401


def test_expired_token_is_refused(reader, anon_client):
    _instance, token = AuthToken.objects.create(user=reader, expiry=timezone.timedelta(seconds=-1))
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anon_client.get("/api/claims/").status_code == 401


def test_session_auth_works_for_browsers(client, editor):
    client.force_login(editor)
    assert client.get("/api/flags/").status_code == 200


def test_user_without_role_is_treated_as_anonymous(db, django_user_model):
    from .conftest import client_for

    nobody = client_for(django_user_model.objects.create_user("nobody", password="pw-x-1234567"))
    assert nobody.get("/api/speakers/").status_code == 403
    assert nobody.get("/api/claims/").status_code == 200


def test_knox_tokens_are_in_the_admin():
    from django.contrib import admin

    assert AuthToken in admin.site._registry


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_schema_and_offline_docs_are_served(anon_client):
    schema = anon_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/claims/{id}/verdict/" in schema.content
    docs = anon_client.get("/api/docs/")
    assert docs.status_code == 200
    bundle = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert f"/static/{bundle}".encode() in docs.content
    # The page loads its scripts from our own static files, never from a CDN.
    assert b"cdn.jsdelivr.net" not in docs.content
    assert finders.find(bundle)
