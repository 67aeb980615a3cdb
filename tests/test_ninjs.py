"""IPTC ninjs 3.1 documents validate against the schema in ../shared/ninjs (or the copy in tests/)."""

import json

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from articles.services.ingest import ingest

from .conftest import ROOT
from .factories import ArticleFactory, PartFactory

pytestmark = pytest.mark.django_db

SCHEMA_PATHS = [
    ROOT.parent / "shared" / "ninjs" / "ninjs-schema_3.1.json",
    ROOT / "tests" / "fixtures" / "ninjs-schema_3.1.json",
]


@pytest.fixture(scope="module")
def validator():
    path = next((p for p in SCHEMA_PATHS if p.exists()), None)
    if path is None:
        pytest.skip("the ninjs 3.1 schema is not available")
    schema = json.loads(path.read_text(encoding="utf-8"))
    # The schema refers to GeoJSON by URL; there is no network here, and we never send geoJSON.
    registry = Registry().with_resource(
        "https://geojson.org/schema/GeoJSON.json", Resource.from_contents({}, default_specification=DRAFT202012)
    )
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def fetch(api, article):
    response = api.get(f"/api/v1/articles/{article.pk}/?format=ninjs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ninjs+json")
    return response.json()


def test_the_seed_story_is_valid_ninjs(api, seed_text, validator):
    article = ingest(text=seed_text, publish=True).article

    document = fetch(api, article)

    validator.validate(document)
    assert document["uri"] == f"urn:newsroom:article:{article.pk}"
    assert document["type"] == "text" and document["version"] == str(article.version)
    assert document["pubStatus"] == "usable" and document["language"] == "ar"
    assert document["headlines"][0]["value"] == article.headline
    assert [s["name"] for s in document["infoSources"]] == ["UrduPoint Network", "Sputnik"]
    assert [s["role"] for s in document["infoSources"]] == ["publisher", "originating agency"]
    html = document["bodies"][0]["value"]
    assert html.count('<section class="part"') == 2 and 'data-continues="true"' in html
    assert [body["role"] for body in document["bodies"][1:]] == ["part-1", "part-2"]
    assert "edNote" not in document
    for key in ["firstCreated", "versionCreated", "contentCreated", "altIds"]:
        assert document[key]


def test_a_developing_story_says_more_parts_are_expected(editor_api, validator):
    article = ArticleFactory(published=True, dateline_place="بيروت", dateline="بيروت (رويترز) -")
    PartFactory(article=article, number=1, continues=True)

    document = fetch(editor_api, article)

    validator.validate(document)
    assert "(تستمر)" in document["edNote"] and "أجزاء" in document["edNote"]  # in the story's language
    assert document["located"] == "بيروت"


def test_ednote_follows_the_storys_language(editor_api, validator):
    article = ArticleFactory(published=True, language="en")
    PartFactory(article=article, number=1, continues=True)

    assert "more parts will follow" in fetch(editor_api, article)["edNote"]


def test_a_draft_is_withheld(editor_api, seed_text, validator):
    article = ingest(text=seed_text).article

    document = fetch(editor_api, article)

    validator.validate(document)
    assert document["pubStatus"] == "withheld"


def test_the_list_in_ninjs_is_an_array_of_valid_items(api, seed_text, validator):
    ingest(text=seed_text, publish=True)
    for _ in range(3):
        article = ArticleFactory(published=True)
        PartFactory(article=article, number=1)

    response = api.get("/api/v1/articles/?format=ninjs&page_size=2")

    items = response.json()
    assert isinstance(items, list) and len(items) == 2
    for item in items:
        validator.validate(item)
    assert 'rel="next"' in response["Link"]


def test_ninjs_by_content_negotiation(api, seed_text):
    article = ingest(text=seed_text, publish=True).article

    response = api.get(f"/api/v1/articles/{article.pk}/", headers={"accept": "application/ninjs+json"})

    assert response["Content-Type"].startswith("application/ninjs+json")
    assert response.json()["uri"].endswith(str(article.pk))


def test_a_translation_links_to_its_original(api, validator):
    original = ArticleFactory(published=True)
    translation = ArticleFactory(published=True, language="en", translation_of=original)
    PartFactory(article=translation, number=1, body="Translated text.")

    document = fetch(api, translation)

    validator.validate(document)
    assert document["associations"][0]["uri"] == f"urn:newsroom:article:{original.pk}"
