import pytest

from claims.models import Article, ClaimStatement, Flag

pytestmark = pytest.mark.django_db

TEXT = 'The minister said: "Prices will fall by half next year," in Parliament on Monday.'


def test_submit_text_then_duplicate(editor_client):
    response = editor_client.post("/api/articles/", {"text": TEXT, "title": "Budget"})
    assert response.status_code == 201, response.json()
    assert response.json()["duplicate"] is False
    again = editor_client.post("/api/articles/", {"text": TEXT})
    assert again.status_code == 200
    assert again.json() == {"duplicate": True, "article": again.json()["article"]}
    assert again.json()["article"]["id"] == response.json()["article"]["id"]


def test_submit_url_then_duplicate(editor_client):
    first = editor_client.post("/api/articles/", {"url": "https://news.example/a?utm_source=x"})
    assert first.status_code == 201, first.json()
    assert first.json()["article"]["state"] == "queued"
    second = editor_client.post("/api/articles/", {"url": "https://news.example/a"})
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert Article.objects.count() == 1


@pytest.mark.parametrize("url", ["not a url", "ftp://x.example/a", "javascript:alert(1)"])
def test_submit_bad_url_is_400_with_message(editor_client, url):
    response = editor_client.post("/api/articles/", {"url": url})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "url" in error["fields"]
    assert "valid" in error["message"].lower()


def test_submit_nothing_is_400(editor_client):
    assert editor_client.post("/api/articles/", {}).status_code == 400


def test_reader_cannot_submit(reader_client):
    assert reader_client.post("/api/articles/", {"text": TEXT}).status_code == 403


def test_flag_link(editor_client, open_flag, draft_claim):
    response = editor_client.post(f"/api/flags/{open_flag.pk}/link/", {"claim": draft_claim.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "resolved"
    assert ClaimStatement.objects.filter(claim=draft_claim, statement=open_flag.statement).exists()
    again = editor_client.post(f"/api/flags/{open_flag.pk}/link/", {"claim": draft_claim.pk})
    assert again.status_code == 400


def test_flag_create_claim(editor_client, open_flag):
    response = editor_client.post(f"/api/flags/{open_flag.pk}/create-claim/", {})
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "draft"
    assert response.json()["statements"][0]["statement"]["id"] == open_flag.statement_id


def test_flag_dismiss(editor_client, open_flag):
    response = editor_client.post(f"/api/flags/{open_flag.pk}/dismiss/", {"reason": "Opinion"})
    assert response.status_code == 200
    open_flag.refresh_from_db()
    assert open_flag.state == Flag.State.DISMISSED


def test_webhooks_admin_crud_and_deliveries_for_editors(admin_client_api, editor_client):
    created = admin_client_api.post(
        "/api/webhooks/", {"url": "https://hooks.example/in", "events": ["claim.published"]}
    )
    assert created.status_code == 201, created.json()
    assert created.json()["secret"]
    hook = created.json()["id"]
    patched = admin_client_api.patch(f"/api/webhooks/{hook}/", {"active": False})
    assert patched.json()["active"] is False
    assert editor_client.get("/api/webhooks/").status_code == 403
    assert editor_client.get("/api/webhook-deliveries/").status_code == 200
    assert admin_client_api.delete(f"/api/webhooks/{hook}/").status_code == 204


def test_publishing_records_a_webhook_delivery(admin_client_api, editor_client, draft_claim):
    from tests.factories import rating

    admin_client_api.post(
        "/api/webhooks/", {"url": "https://hooks.example/in", "events": ["claim.published"]}
    )
    editor_client.post(
        f"/api/claims/{draft_claim.pk}/verdict/", {"rating": rating("true").pk, "explanation": "."}
    )
    editor_client.post(f"/api/claims/{draft_claim.pk}/publish/", {})
    deliveries = editor_client.get("/api/webhook-deliveries/").json()["results"]
    assert [d["event"] for d in deliveries] == ["claim.published"]
