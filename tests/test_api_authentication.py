"""The API's token authentication (articles/api/authentication.py): DRF's answers, in one compiled statement."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingest/"


@pytest.fixture
def editor():
    return User.objects.create_superuser("desk", password="pw-desk-123456")


def ingest(api, key, *, language="en", n=0):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=language)
    return api.post(URL, {"text": f"عنوان {n}\n\nنص الخبر."}, format="json")


def test_a_token_signs_its_user_in_with_one_statement(api, editor):
    token = Token.objects.create(user=editor)
    ingest(api, token.key)  # the process's first use compiles the statement
    with CaptureQueriesContext(connection) as statements:
        response = ingest(api, token.key, n=1)
    assert response.status_code == 201, response.content
    assert "authtoken_token" in statements.captured_queries[0]["sql"]
    assert sum("authtoken_token" in query["sql"] for query in statements.captured_queries) == 1


@pytest.mark.parametrize(
    "key",
    ["0" * 40, "not-a-token", "x" * 600, "key\x00with-nul", "'OR--1=1", '"\\', "%00"],
)
def test_a_key_no_token_has_is_refused_with_drfs_message(api, editor, key):
    Token.objects.create(user=editor)
    response = ingest(api, key)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
    assert response["WWW-Authenticate"] == "Token"


def test_an_inactive_users_token_is_refused_in_the_readers_language(api, editor):
    token = Token.objects.create(user=editor)
    editor.is_active = False
    editor.save()
    assert ingest(api, token.key).json()["detail"] == "User inactive or deleted."
    arabic = ingest(api, token.key, language="ar").json()["detail"]
    assert arabic != "User inactive or deleted." and any("\u0600" <= ch <= "\u06ff" for ch in arabic)
