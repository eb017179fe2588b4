import pytest

from haven.audit.models import AuditEvent
from haven.directory.models import FocalPoint
from haven.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _token(client, username="caseworker-a", password=PASSWORD):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def _assert_error_shape(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    return body["error"]


def _password_only(personas):
    # Two-factor sign-in is on by default; tests/security covers the token with a code.
    personas.org_a.two_factor_required = False
    personas.org_a.save(update_fields=["two_factor_required"])


def test_token_then_bearer_requests(client, personas):
    _password_only(personas)
    response = _token(client)
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "caseworker-a"
    assert me.json()["organisation"]["country"] == "ES"
    assert me.json()["roles"] == ["caseworker"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_ISSUED).count() == 1


def test_only_a_hash_of_the_token_is_stored(client, personas):
    _password_only(personas)
    token = _token(client).json()["token"]
    from haven.accounts.models import ApiToken

    stored = ApiToken.objects.get()
    assert token not in stored.key_hash


def test_wrong_password_is_a_json_401(client, personas):
    error = _assert_error_shape(_token(client, password="nope"), 401, "invalid_credentials")
    assert "username or password" in error["message"]


def test_missing_or_bad_token_is_a_json_401(client, personas):
    _assert_error_shape(client.get("/api/v1/me"), 401, "unauthenticated")
    _assert_error_shape(
        client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer not-a-token"), 401, "unauthenticated"
    )


def test_session_auth_works_for_the_browser(client_for, personas):
    response = client_for(personas.analyst_a).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["roles"] == ["analyst"]


def test_validation_errors_name_the_field(client, personas):
    response = client.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    error = _assert_error_shape(response, 400, "invalid")
    assert "password" in error["fields"]


def test_malformed_json_is_a_400_not_a_500(client, personas):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_unknown_api_path_is_a_json_404(client, personas):
    _assert_error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_openapi_schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/token" in schema["paths"]
    assert "/api/v1/directory/focal-points" in schema["paths"]


def test_directory_api_filters(client_for, personas):
    FocalPoint.objects.create(
        organisation=personas.org_b,
        name="Wang",
        role_title="Liaison",
        languages=["zh"],
        channel=FocalPoint.Channel.DIPLOMATIC,
        contact="x@y.invalid",
    )
    client = client_for(personas.caseworker_a)
    body = client.get("/api/v1/directory/focal-points", {"country": "cn"}).json()
    assert body["count"] == 1
    assert body["items"][0]["organisation"]["kind"] == "police"
    assert client.get("/api/v1/directory/focal-points", {"country": "ES"}).json()["count"] == 0
    _assert_error_shape(
        client.get("/api/v1/directory/focal-points", {"kind": "pirates"}), 400, "invalid"
    )
    _assert_error_shape(
        client.get("/api/v1/directory/focal-points", {"page": "abc"}), 400, "invalid"
    )
