"""POST /api/v1/ingest/: the same service and result object as the ingest command."""

import json

import pytest

from articles.models import Article

from .conftest import SEED

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingest/"


def test_plain_text_copy_creates_a_story(editor_api):
    response = editor_api.generic("POST", URL, SEED.read_bytes(), content_type="text/plain; charset=utf-8")

    assert response.status_code == 201
    data = response.json()
    assert data["action"] == "created" and data["parts"] == 2
    assert set(data) == {"id", "action", "url", "parts", "warnings"}
    assert Article.objects.get(pk=data["id"]).status == "draft"


def test_json_copy_with_publish(editor_api, seed_text):
    response = editor_api.post(URL, {"text": seed_text, "publish": True}, format="json")

    assert response.status_code == 201
    assert Article.objects.get().status == "published"


def test_unchanged_and_appended_answer_200(editor_api, seed_text):
    created = editor_api.post(URL, {"text": seed_text}, format="json").json()

    again = editor_api.post(URL, {"text": seed_text}, format="json")
    appended = editor_api.post(URL, {"text": "تحديث\n\nنص إضافي.", "append_to": created["id"]}, format="json")

    assert again.status_code == 200 and again.json()["action"] == "unchanged"
    assert appended.status_code == 200 and appended.json()["action"] == "appended"


def test_plain_text_options_in_the_query(editor_api):
    legacy = "عنوان قديم\n\nنص بترميز ويندوز.".encode("cp1256")

    refused = editor_api.generic("POST", URL, legacy, content_type="text/plain")
    accepted = editor_api.generic(
        "POST", f"{URL}?encoding=windows-1256&publish=true", legacy, content_type="text/plain"
    )

    assert refused.status_code == 400 and "windows-1256" in refused.json()["detail"]
    assert accepted.status_code == 201
    assert Article.objects.get().headline == "عنوان قديم"


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "  \n "},
        {"text": "عنوان\n\nنص\u0000"},
        {"text": "x", "append_to": 999},
        {"text": "x", "colour": 1},
        {"text": 5},
        {"text": "x", "encoding": "windows-1256"},
    ],
)
def test_bad_copy_is_400_with_a_message_and_writes_nothing(editor_api, body):
    response = editor_api.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert Article.objects.count() == 0


def test_ingest_needs_the_add_permission(api, django_user_model, seed_text):
    assert api.post(URL, {"text": seed_text}, format="json").status_code in (401, 403)
    api.force_authenticate(django_user_model.objects.create_user("reader"))
    assert api.post(URL, {"text": seed_text}, format="json").status_code == 403
    assert Article.objects.count() == 0


def test_query_options_beside_a_json_body_are_refused_not_ignored(editor_api):
    response = editor_api.post("/api/v1/ingest/?publish=true", {"text": "عنوان\nنص."}, format="json")

    assert response.status_code == 400
    assert "publish" in response.json()["errors"]


def test_copy_of_thousands_of_markers_answers_fifty_warnings_and_keeps_the_text(editor_api):
    text = "\n".join(["عنوان خبر بتنبيهات كثيرة", "", "بداية النص.", *(["// يتبع //"] * 4000), "نهاية النص."])

    response = editor_api.generic("POST", URL, text.encode(), content_type="text/plain; charset=utf-8")

    assert response.status_code == 201
    warnings = response.json()["warnings"]
    assert len(warnings) <= 51 and warnings[-1].startswith("and ") and warnings[-1].endswith(" more warnings")
    story = Article.objects.get(pk=response.json()["id"])
    assert "نهاية النص." in story.parts.order_by("-number").first().body


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("عنوان\n\nنص فيه\x00محرف", "NUL character (\\\\u0000) at position 13"),
        ("عنوان\n\n" + "ن" * 5000 + "\x00", "position 5007"),
    ],
)
def test_a_nul_in_copy_sent_as_json_is_refused_with_its_position(editor_api, text, needle):
    response = editor_api.post("/api/v1/ingest/", {"text": text}, format="json")
    assert response.status_code == 400
    assert needle in json.dumps(response.json(), ensure_ascii=False)
    assert not Article.objects.exists()
