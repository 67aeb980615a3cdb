"""Every client error is JSON with a clear message, never a 500, on SQLite and PostgreSQL."""

import json

import pytest

from articles.models import Article, Source

pytestmark = pytest.mark.django_db


def send(client, method, url, raw: bytes, content_type="application/json"):
    return client.generic(method, url, raw, content_type=content_type)


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        (b'{"headline": ', "not valid JSON"),
        (b"[1, 2", "not valid JSON"),
        (b'{"headline": NaN}', "not valid JSON"),
        (b'{"headline": "\xff\xfe"}', "not valid UTF-8"),
        (b'{"headline": "\\ud800"}', "unpaired surrogate"),
        (b'{"headline": "nul \\u0000 here"}', "body.headline contains a NUL character"),
        (b'{"headline": "x", "unknown": 1}', "unknown"),
        (b'{"headline": ["a list"]}', "headline"),
        (b'"just a string"', "invalid input"),
        (b"[]", "invalid input"),
    ],
)
def test_bad_json_bodies_are_400_with_a_message(editor_api, raw, needle):
    response = send(editor_api, "POST", "/api/v1/articles/", raw)

    assert response.status_code == 400, response.content
    assert needle in json.dumps(response.json(), ensure_ascii=False)
    assert Article.objects.count() == 0


def test_a_body_over_the_limit_is_413(editor_api, settings):
    settings.NEWSROOM_API_MAX_BODY = 1000
    body = json.dumps({"text": "أ" * 2000}).encode()

    response = send(editor_api, "POST", "/api/v1/ingest/", body)

    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_the_default_body_limit_is_one_megabyte(editor_api):
    body = b'{"text": "' + b"a" * 1_000_001 + b'"}'

    response = send(editor_api, "POST", "/api/v1/ingest/", body)

    assert response.status_code == 413


def test_plain_text_ingest_over_the_limit_is_413(editor_api):
    response = send(editor_api, "POST", "/api/v1/ingest/", b"x" * 1_000_001, content_type="text/plain")

    assert response.status_code == 413


def test_unsupported_media_type_is_415_json(editor_api):
    response = send(editor_api, "POST", "/api/v1/articles/", b"<xml/>", content_type="application/xml")

    assert response.status_code == 415
    assert "detail" in response.json()


def test_nul_in_a_part_body_is_400(editor_api, seed_story):
    response = send(editor_api, "POST", f"/api/v1/articles/{seed_story.pk}/parts/", b'{"body": "a\\u0000b"}')

    assert response.status_code == 400
    assert seed_story.parts.count() == 2


def test_nul_in_a_source_alias_is_400(editor_api):
    response = send(editor_api, "POST", "/api/v1/sources/", b'{"name": "X", "aliases": ["a\\u0000"]}')

    assert response.status_code == 400
    assert not Source.objects.filter(name="X").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/99999999999999999999/",
        "/api/v1/articles/abc/",
        "/api/v1/articles/1/parts/99999999999/",
        "/api/v1/sources/%00/",
        "/api/v1/articles/?translation_of=99999999999999999999",
        "/api/v1/articles/?published_after=0001-01-01T00:00:00%2B14:00",
        "/api/v1/articles/?cursor=garbage",
    ],
)
def test_odd_urls_are_4xx_json(api, url):
    response = api.get(url)

    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert "detail" in response.json()


def test_wrong_types_in_a_patch_are_400(editor_api, seed_story):
    for body in [
        {"published_at": "not a date"},
        {"dateline_date": "2020-13-45"},
        {"status": 3},
        {"translation_of": seed_story.pk + 1000},
        {"sources": "reuters"},
    ]:
        response = editor_api.patch(f"/api/v1/articles/{seed_story.pk}/", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["detail"], body


def test_a_story_cannot_be_its_own_translation(editor_api, seed_story):
    response = editor_api.patch(f"/api/v1/articles/{seed_story.pk}/", {"translation_of": seed_story.pk}, format="json")

    assert response.status_code == 400


def test_offsets_postgresql_cannot_store_are_taken_in_utc(api):
    response = api.get("/api/v1/articles/", {"published_before": "1463-01-25T09:26:03+18:12"})

    assert response.status_code == 200
