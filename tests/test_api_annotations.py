"""Annotations through the API as W3C Web Annotations, validated against the W3C test suite's MUST assertions."""

import json

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from articles.models import Annotation
from articles.services import annotations as annotation_services
from articles.services import parts as part_services
from articles.services import stories, workflow

from .conftest import ROOT

pytestmark = pytest.mark.django_db

SUITE = ROOT.parent / "shared" / "w3c-annotation"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
TEXT = "قالَ الأمينُ العام\u00a0للمنظمة إن الوضع في قره باغ یثیر القلق الشديد.\n\nودعا إلى وقف إطلاق النار."
QUOTE = "الوضع في قره باغ یثیر القلق"


@pytest.fixture(scope="module")
def must():
    """Every MUST assertion of the W3C Web Annotation test suite, as validators."""
    if not (SUITE / "annotations" / "annotationMusts.test").exists():
        pytest.skip(f"the W3C Web Annotation test suite is not at {SUITE} (CI has it beside the checkout)")
    registry = Registry()
    for path in (SUITE / "definitions").glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(path.name, Resource(contents=schema, specification=DRAFT4))
    listed = json.loads((SUITE / "annotations" / "annotationMusts.test").read_text(encoding="utf-8"))
    validators = []
    for assertion in listed["assertions"]:
        schema = json.loads((SUITE / assertion).read_text(encoding="utf-8"))
        validators.append((assertion, Draft4Validator(schema, registry=registry)))
    return validators


def check(document: dict, must) -> None:
    failures = [name for name, validator in must if not validator.is_valid(document)]
    assert failures == [], failures


@pytest.fixture
def story():
    return stories.create_story(
        headline="قلق إزاء التصعيد",
        parts=[part_services.NewPart(body=TEXT)],
        publish=True,
    )


def url(story, pk=None):
    base = f"/api/v1/articles/{story.pk}/annotations/"
    return f"{base}{pk}/" if pk else base


def document(story, **overrides):
    body = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "describing",
        "body": {"type": "TextualBody", "value": "بدأ النزاع عام 1988.", "format": "text/plain", "language": "ar"},
        "target": {
            "source": f"http://testserver/api/v1/articles/{story.pk}/parts/1/",
            "selector": {"type": "TextQuoteSelector", "exact": QUOTE},
        },
    }
    body.update(overrides)
    return body


def post(client, story, body, content_type="application/ld+json"):
    return client.post(url(story), json.dumps(body, ensure_ascii=False), content_type=content_type)


@pytest.mark.parametrize("content_type", ["application/ld+json", MEDIA_TYPE, "application/json"])
def test_an_editor_annotates_with_a_quote_alone(editor_api, story, must, content_type):
    response = post(editor_api, story, document(story), content_type)

    assert response.status_code == 201, response.content
    assert response["Content-Type"] == MEDIA_TYPE
    data = response.json()
    check(data, must)
    quote, position = data["target"]["selector"]
    assert quote["exact"] == QUOTE and TEXT[position["start"] : position["end"]] == QUOTE
    assert data["target"]["source"] == f"http://testserver/api/v1/articles/{story.pk}/parts/1/"
    assert data["audience"] == {"type": "schema:Audience", "schema:audienceType": "public"}
    assert data["anchoring"] == "anchored" and data["creator"]["name"] == "editor"
    assert response["Location"] == data["id"]


@pytest.mark.parametrize("accept", ["application/ld+json", MEDIA_TYPE, "application/json", "text/html", "*/*"])
def test_every_accept_gets_the_annotation_media_type(api, story, accept, must):
    annotation_services.create_annotation(article=story, part_number=1, exact=QUOTE, body="ملاحظة")

    response = api.get(url(story), headers={"accept": accept})

    assert response.status_code == 200 and response["Content-Type"] == MEDIA_TYPE
    data = response.json()
    assert data["type"] == "AnnotationCollection" and data["total"] == 1
    assert data["first"]["type"] == "AnnotationPage"
    for item in data["first"]["items"]:
        check({"@context": "http://www.w3.org/ns/anno.jsonld", **item}, must)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": QUOTE}}}, "target.source"),
        (
            {
                "target": {
                    "source": "/api/v1/articles/1/parts/1/",
                    "selector": {"type": "TextQuoteSelector", "exact": "غائب"},
                }
            },
            "not in this part",
        ),
        ({"body": {"type": "TextualBody"}}, "body"),
        ({"motivation": "joking"}, "purpose"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_annotations_are_400s_saying_why(editor_api, story, change, field):
    body = document(story, **change)
    if "target" in change and change["target"]["source"].startswith("/api"):
        body["target"]["source"] = f"/api/v1/articles/{story.pk}/parts/1/"

    response = post(editor_api, story, body)

    assert response.status_code == 400
    assert field in json.dumps(response.json(), ensure_ascii=False)
    assert Annotation.objects.count() == 0


def test_an_ambiguous_quote_is_a_400_until_the_context_chooses(editor_api):
    story = stories.create_story(
        headline="خبر", parts=[part_services.NewPart(body="وقف إطلاق النار ثم وقف إطلاق النار")], publish=True
    )
    selector = {"type": "TextQuoteSelector", "exact": "وقف إطلاق النار"}
    body = document(story, target={"source": f"/api/v1/articles/{story.pk}/parts/1/", "selector": selector})

    assert "2 times" in post(editor_api, story, body).json()["detail"]
    body["target"]["selector"] = [{**selector, "prefix": "ثم "}]
    assert post(editor_api, story, body).status_code == 201


def test_etags_and_if_match_on_one_annotation(editor_api, story):
    created = post(editor_api, story, document(story)).json()
    pk = created["id"].rstrip("/").rsplit("/", 1)[1]
    first = editor_api.get(url(story, pk))
    tag = first["ETag"]

    assert editor_api.get(url(story, pk), headers={"if-none-match": tag}).status_code == 304
    changed = editor_api.patch(
        url(story, pk),
        json.dumps({"body": {"value": "ملاحظة معدلة"}}),
        content_type="application/ld+json",
        headers={"if-match": tag},
    )
    assert changed.status_code == 200 and changed.json()["body"]["value"] == "ملاحظة معدلة"
    stale = editor_api.delete(url(story, pk), headers={"if-match": tag})
    assert stale.status_code == 412
    assert editor_api.delete(url(story, pk), headers={"if-match": changed["ETag"]}).status_code == 204


def test_readers_see_public_anchored_annotations_of_public_stories_only(client, story, editor_api):
    annotation_services.create_annotation(article=story, part_number=1, exact=QUOTE, body="عامة")
    annotation_services.create_annotation(article=story, part_number=1, exact="وقف", body="داخلية", audience="internal")
    orphan = annotation_services.create_annotation(article=story, part_number=1, exact="النار", body="يتيمة")
    Annotation.objects.filter(pk=orphan.pk).update(anchoring="orphaned")
    draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body=TEXT)])
    annotation_services.create_annotation(article=draft, part_number=1, exact=QUOTE, body="على مسودة")

    public = client.get(url(story)).json()
    assert [item["body"]["value"] for item in public["first"]["items"]] == ["عامة"]
    assert client.get(f"/api/v1/articles/{story.pk}/").json()["annotations"]["count"] == 1
    assert client.get(url(draft)).status_code == 404
    assert editor_api.get(url(story)).json()["total"] == 3

    workflow.transition(article=story, name="retract", note="سحب")
    assert client.get(url(story)).json()["total"] == 0


def test_anonymous_clients_cannot_write(client, story):
    assert post(client, story, document(story)).status_code == 401


def test_the_w3c_assertions_do_catch_a_broken_document(must):
    broken = {"@context": "http://example.org/other", "id": "x", "type": "Note", "target": 5}

    assert [name for name, validator in must if not validator.is_valid(broken)]
