import pytest

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert isinstance(error["message"], str)
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


def test_malformed_json_is_400(editor_client):
    response = editor_client.generic(
        "POST", "/api/claims/", '{"text": "x"', content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_nan_is_not_json(editor_client):
    response = editor_client.generic(
        "POST", "/api/claims/", '{"text": NaN}', content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_wrong_type_is_400_with_field(editor_client):
    error = assert_error(
        editor_client.post("/api/claims/", {"text": "x", "claimants": "nope"}, format="json"),
        400,
        "validation_error",
    )
    assert "claimants" in error["fields"]


def test_non_object_body_is_400(editor_client):
    assert_error(editor_client.post("/api/claims/", [1, 2], format="json"), 400)


def test_unknown_field_is_400(editor_client):
    error = assert_error(
        editor_client.post("/api/claims/", {"text": "x", "colour": "red"}, format="json"), 400
    )
    assert error["fields"] == {"colour": ["Unknown or read-only field; it cannot be set."]}


def test_body_over_one_mib_is_413(editor_client):
    body = '{"text": "' + "a" * (1024 * 1024 + 10) + '"}'
    response = editor_client.generic("POST", "/api/claims/", body, content_type="application/json")
    assert_error(response, 413, "payload_too_large")


def test_unsupported_media_type_is_415(editor_client):
    response = editor_client.generic("POST", "/api/claims/", "text=x", content_type="text/plain")
    assert_error(response, 415)


@pytest.mark.parametrize("size", ["0", "101", "-1", "abc", "100000000000000000000"])
def test_absurd_page_size_is_400(reader_client, size):
    error = assert_error(reader_client.get("/api/claims/", {"page_size": size}), 400)
    assert "page_size" in error["fields"]


@pytest.mark.parametrize("ordering", ["text", "-search_vector", "id,created_at", "rating__label"])
def test_unknown_ordering_is_400(reader_client, ordering):
    error = assert_error(reader_client.get("/api/claims/", {"ordering": ordering}), 400)
    assert "ordering" in error["fields"]


def test_bad_filter_value_is_400(reader_client):
    assert_error(reader_client.get("/api/claims/", {"state": "nonsense"}), 400, "validation_error")
    assert_error(reader_client.get("/api/claims/", {"created_after": "yesterday"}), 400)


def test_nul_in_query_is_400(reader_client):
    assert_error(reader_client.get("/api/claims/", {"search": "a\x00b"}), 400)


def test_lone_surrogate_in_body_is_400(editor_client):
    response = editor_client.generic(
        "POST", "/api/claims/", '{"text": "\\ud800"}', content_type="application/json"
    )
    assert_error(response, 400)


def test_bad_cursor_is_404_json(reader_client):
    assert_error(reader_client.get("/api/claims/", {"cursor": "garbage"}), 404)


def test_unknown_api_path_is_json_404(anon_client):
    assert_error(anon_client.get("/api/nothing-here/"), 404, "not_found")


def test_missing_object_is_404(reader_client):
    assert_error(reader_client.get("/api/claims/999999999/"), 404, "not_found")
    assert_error(reader_client.get("/api/claims/99999999999999999999999/"), 404)


def test_anonymous_write_is_401_and_reader_write_is_403(anon_client, reader_client):
    assert_error(anon_client.post("/api/claims/", {"text": "x"}, format="json"), 401)
    assert_error(reader_client.post("/api/claims/", {"text": "x"}, format="json"), 403)


def test_invalid_token_is_401(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(anon_client.get("/api/claims/"), 401)


def test_service_validation_error_is_400(editor_client, open_flag):
    error = assert_error(
        editor_client.post(f"/api/flags/{open_flag.pk}/dismiss/", {"reason": " "}, format="json"),
        400,
    )
    assert error["code"] == "validation_error"


def test_invalid_transition_is_409(editor_client, draft_claim):
    assert_error(
        editor_client.post(f"/api/claims/{draft_claim.pk}/retract/", {}, format="json"),
        409,
        "invalid_transition",
    )
