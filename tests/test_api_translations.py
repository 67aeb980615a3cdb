"""Translations through the API: language versions, creating one, staleness, mark current, ninjs, visibility."""

import json

import pytest
from jsonschema import Draft202012Validator

from articles.models import Article
from articles.services import parts as part_services
from articles.services import stories, workflow
from articles.services import translations as translation_services

from .conftest import ROOT

pytestmark = pytest.mark.django_db

ORIGINAL = ["قال الوزير إن المحادثات ستستأنف.\n\nوأضاف أن الوفدين اتفقا.", "ورحبت الأمم المتحدة بالاتفاق."]


@pytest.fixture
def original():
    return stories.create_story(
        headline="استئناف المحادثات",
        parts=[part_services.NewPart(body=body) for body in ORIGINAL],
        publish=True,
    )


@pytest.fixture
def english(original, editor):
    return translation_services.create_translation(
        original=original,
        language="en",
        headline="Talks to resume",
        parts=[
            part_services.NewPart(body="The minister said talks would resume.\n\nBoth agreed."),
            part_services.NewPart(body="The UN welcomed it."),
        ],
        by=editor,
    )


@pytest.fixture
def validator():
    schema = json.loads((ROOT / "tests" / "fixtures" / "ninjs-schema_3.1.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def url(article, tail=""):
    return f"/api/v1/articles/{article.pk}/{tail}"


def test_an_editor_translates_a_story(editor_api, original):
    response = editor_api.post(
        url(original, "translations/"),
        {"language": "ur", "headline": "مذاکرات دوبارہ شروع", "parts": [{"body": "وزیر نے کہا۔"}]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["translation_of"] == original.pk and data["language"] == "ur" and data["status"] == "draft"
    assert data["translated_by"] == ["editor"]
    assert data["outdated"] is True  # the original's second paragraph and part have no counterpart yet
    assert data["source_version"] == original.version
    assert response["Location"].endswith(f"/api/v1/articles/{data['id']}/")


def test_without_parts_the_translation_is_prefilled(editor_api, original):
    data = editor_api.post(
        url(original, "translations/"), {"language": "ur", "headline": "مذاکرات"}, format="json"
    ).json()

    assert [part["body"] for part in data["parts"]] == ORIGINAL
    assert data["outdated"] is False


@pytest.mark.parametrize(
    ("language", "status", "words"),
    [("en", 409, "already has a translation into en"), ("ar", 400, "another language"), ("xx", 400, "language")],
)
def test_refusals(editor_api, original, english, language, status, words):
    response = editor_api.post(url(original, "translations/"), {"language": language, "headline": "x"}, format="json")

    assert response.status_code == status
    assert words in json.dumps(response.json(), ensure_ascii=False)
    if status == 409:
        assert response.json()["existing"] == english.pk


def test_translating_a_translation_names_the_original(editor_api, original, english):
    response = editor_api.post(url(english, "translations/"), {"language": "ur", "headline": "x"}, format="json")

    assert response.status_code == 400
    assert f"story {original.pk}" in response.json()["detail"]


def test_anonymous_clients_see_only_public_language_versions(client, editor_api, original, english):
    api = client  # not editor_api's client, which is signed in
    assert api.get(url(original, "translations/")).json() == []
    assert api.get(url(original)).json()["translations"] == []
    assert [v["language"] for v in editor_api.get(url(original, "translations/")).json()] == ["en"]
    assert editor_api.get(url(original, "translations/")).json()[0]["url"] is None

    workflow.transition(article=english, name="publish")

    [version] = api.get(url(original, "translations/")).json()
    assert version["id"] == english.pk and version["outdated"] is False
    assert version["url"].endswith(english.get_absolute_url())
    assert api.get(url(english)).json()["translation_of"] == original.pk


def test_staleness_lists_every_paragraph_that_is_not_current(
    editor_api, original, english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        part_services.edit_part(
            article=original,
            number=1,
            body="قال الوزير إن المحادثات ستستأنف غدا.\n\nوأضاف أن الوفدين اتفقا.",
            continues=False,
        )

    data = editor_api.get(url(english, "staleness/")).json()

    assert data["outdated"] is True and data["source_version"] == 1 and data["original_version"] == 2
    assert data["paragraphs"] == [
        {
            "part": 1,
            "paragraph": 0,
            "state": "changed",
            "original_then": "قال الوزير إن المحادثات ستستأنف.",
            "original_now": "قال الوزير إن المحادثات ستستأنف غدا.",
        }
    ]
    assert editor_api.get("/api/v1/articles/", {"outdated": "true"}).json()["results"][0]["id"] == english.pk

    marked = editor_api.post(url(english, "mark-current/"))

    assert marked.status_code == 200 and marked.json()["outdated"] is False
    assert marked.json()["source_version"] == 2
    assert editor_api.get("/api/v1/articles/", {"outdated": "true"}).json()["results"] == []


def test_staleness_of_a_story_that_is_not_a_translation_is_404(editor_api, original):
    assert editor_api.get(url(original, "staleness/")).status_code == 404


def test_ninjs_of_both_ends_link_each_other_and_stay_valid(api, original, english, validator):
    workflow.transition(article=english, name="publish")

    original_doc = api.get(url(original), {"format": "ninjs"}).json()
    english_doc = api.get(url(english), {"format": "ninjs"}).json()

    validator.validate(original_doc)
    validator.validate(english_doc)
    assert original_doc["associations"] == [
        {"name": "translation-en", "rel": "translation", "uri": f"urn:newsroom:article:{english.pk}", "language": "en"}
    ]
    assert english_doc["associations"][0]["rel"] == "translation-of"
    assert english_doc["associations"][0]["language"] == "ar"


def test_a_draft_translation_leaks_nowhere(api, client, original, english):
    assert api.get(url(english)).status_code == 404
    assert api.get(url(english, "staleness/")).status_code == 404
    assert "associations" not in api.get(url(original), {"format": "ninjs"}).json()
    assert english.get_absolute_url() not in client.get(original.get_absolute_url()).content.decode()


def test_a_translations_change_changes_its_originals_etag(editor_api, original, english):
    before = editor_api.get(url(original))["ETag"]

    stories.edit_story(article=english, changes={"headline": "Talks will resume"})

    assert editor_api.get(url(original))["ETag"] != before
    assert editor_api.get(url(original), headers={"if-none-match": before}).status_code == 200


@pytest.mark.parametrize("client_name", ["api", "editor_api"])
def test_a_translator_renamed_changes_the_translations_json_etag(request, client_name, english, editor):
    client = request.getfixturevalue(client_name)
    workflow.transition(article=english.pk, name="publish", by=editor)
    before = client.get(url(english))
    assert before.status_code == 200 and before.json()["translated_by"]

    editor.first_name, editor.last_name = "سلمى", "حداد"
    editor.save()

    after = client.get(url(english), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200 and after.json()["translated_by"] == ["سلمى حداد"]
    assert client.get(url(english), headers={"if-none-match": after["ETag"]}).status_code == 304


def test_query_counts_do_not_grow_with_translations(editor_api, original, django_assert_max_num_queries):
    for language in ["en", "ur", "fr", "tr", "de"]:
        translation_services.create_translation(original=original, language=language, headline=f"h {language}")

    with django_assert_max_num_queries(8):
        assert len(editor_api.get(url(original, "translations/")).json()) == 5
    with django_assert_max_num_queries(8):
        assert len(editor_api.get(url(original)).json()["translations"]) == 5
    with django_assert_max_num_queries(8):
        assert len(editor_api.get("/api/v1/articles/", {"translation_of": original.pk}).json()["results"]) == 5


def test_the_language_filter_finds_language_versions(editor_api, original, english):
    ids = [item["id"] for item in editor_api.get("/api/v1/articles/", {"language": "en"}).json()["results"]]

    assert ids == [english.pk]
    assert Article.objects.count() == 2
