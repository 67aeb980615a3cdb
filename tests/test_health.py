"""/healthz: database and cache reachable → 200, else 503 naming what failed; no login, never cached."""

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_all_well_is_200_with_each_check_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_it_needs_no_login_and_sets_no_cookie(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_it_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]

    assert "no-store" in cache_control and "no-cache" in cache_control and "max-age=0" in cache_control


def test_a_broken_database_is_503_naming_it(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "failed", "cache": "ok"}
    assert "connection refused" not in response.content.decode()


def test_a_broken_cache_is_503_naming_it(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(cache, "set", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "failed"}
    assert "6379" not in response.content.decode()


def test_a_cache_that_forgets_is_a_failure(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "failed"


def test_the_failure_is_logged_with_its_reason(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    client.get("/healthz")

    record = next(record for record in caplog.records if record.name == "newsroom.health")
    assert record.levelname == "ERROR" and "connection refused" in record.exc_text


def test_only_reading_methods_are_answered(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
