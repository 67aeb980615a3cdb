"""The story endpoints: list with filters and cursor pages, retrieve, create, update, delete."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, ArticleSourceFactory, PartFactory, SourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"


def story(**kwargs):
    parts = kwargs.pop("parts", 1)
    continues = kwargs.pop("continues", False)
    article = ArticleFactory(**kwargs)
    for number in range(1, parts + 1):
        PartFactory(article=article, number=number, continues=continues and number == parts)
    return article


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_story_representation_has_sources_roles_dateline_parts_and_url(api, seed_story):
    data = api.get(f"{URL}{seed_story.pk}/").json()

    assert data["headline"] == seed_story.headline
    assert data["dateline"] == "( أردو بوینت نتورك ۔ / سبوتنيك - 28 سبتمبر 2020ء)"
    assert data["dateline_date"] == "2020-09-28"
    assert [(s["source"], s["name"], s["role"], s["position"]) for s in data["sources"]] == [
        ("urdupoint", "UrduPoint Network", "publisher", 1),
        ("sputnik", "Sputnik", "originating_agency", 2),
    ]
    assert [(p["number"], p["continues"]) for p in data["parts"]] == [(1, True), (2, False)]
    assert all(p["body"] and p["filed_at"] for p in data["parts"])
    assert data["developing"] is False
    assert data["url"] == f"http://testserver{seed_story.get_absolute_url()}"
    assert data["language"] == "ar" and data["status"] == "published"


def test_anonymous_list_shows_published_stories_only(api):
    public = story(published=True)
    story()  # a draft
    story(status="published", published_at=timezone.now() + timedelta(hours=1))  # scheduled

    assert ids(api.get(URL)) == [public.pk]


def test_an_editor_lists_drafts_too(editor_api):
    draft, public = story(), story(published=True)

    assert set(ids(editor_api.get(URL))) == {draft.pk, public.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"language": "en"}, ["english"]),
        ({"status": "draft"}, ["draft"]),
        ({"developing": "true"}, ["developing"]),
        ({"developing": "false"}, ["english", "draft", "old"]),
        ({"published_after": "2020-01-01T00:00:00Z"}, ["english", "developing"]),
        ({"published_before": "2020-01-01T00:00:00Z"}, ["old"]),
        ({"source": "reuters-test"}, ["developing"]),
    ],
)
def test_list_filters(editor_api, query, expected):
    made = {
        "english": story(published=True, language="en"),
        "draft": story(),
        "developing": story(published=True, continues=True, parts=2),
        "old": story(status="published", published_at=timezone.now().replace(year=2019)),
    }
    ArticleSourceFactory(article=made["developing"], source=SourceFactory(slug="reuters-test"))

    got = set(ids(editor_api.get(URL, query)))

    assert got == {made[name].pk for name in expected}


def test_translation_of_filter(editor_api):
    original = story(published=True)
    translation = story(published=True, language="en", translation_of=original)

    assert ids(editor_api.get(URL, {"translation_of": original.pk})) == [translation.pk]


def test_invalid_filter_values_are_json_errors(api):
    for query in [
        {"published_after": "yesterday"},
        {"developing": "perhaps"},
        {"status": "lost"},
        {"translation_of": "x"},
        {"ordering": "headline"},
        {"page_size": "0"},
    ]:
        response = api.get(URL, query)
        assert response.status_code == 400, query
        assert response.json()["detail"], query


def test_cursor_pages_cover_every_story_once_newest_first(api):
    now = timezone.now()
    made = [story(status="published", published_at=now - timedelta(minutes=i)) for i in range(7)]

    seen, url = [], f"{URL}?page_size=3"
    while url:
        data = api.get(url).json()
        seen += [item["id"] for item in data["results"]]
        url = data["next"]

    assert seen == [article.pk for article in made]


def test_drafts_are_paginated_by_creation_time_for_editors(editor_api):
    made = [story() for _ in range(5)]

    seen, url = [], f"{URL}?page_size=2"
    while url:
        data = editor_api.get(url).json()
        seen += [item["id"] for item in data["results"]]
        url = data["next"]

    assert sorted(seen) == sorted(article.pk for article in made)


def test_ordering_by_updated_at(api):
    first, second = story(published=True), story(published=True)
    Article.objects.filter(pk=first.pk).update(updated_at=timezone.now() + timedelta(minutes=1))

    assert ids(api.get(URL, {"ordering": "-updated_at"})) == [first.pk, second.pk]
    assert ids(api.get(URL, {"ordering": "updated_at"})) == [second.pk, first.pk]


def test_page_size_is_capped(api, settings):
    settings.NEWSROOM_API_MAX_PAGE_SIZE = 3
    for _ in range(5):
        story(published=True)

    assert len(api.get(URL, {"page_size": 1000}).json()["results"]) == 3


@pytest.mark.parametrize("shape", [(2, 1, 1), (20, 4, 3)], ids=["few", "many"])
def test_list_query_count_is_constant(api, django_assert_num_queries, shape):
    stories, parts, sources = shape
    for _ in range(stories):
        article = story(published=True, parts=parts)
        for position in range(1, sources + 1):
            ArticleSourceFactory(article=article, position=position)

    # stories (with their baselines and translators' names); credits with sources; parts; corrections; language
    # versions (selectors.public)
    with django_assert_num_queries(5):
        response = api.get(URL, {"page_size": 50})

    assert len(response.json()["results"]) == stories


def test_a_draft_is_404_for_anonymous_clients(api):
    draft = story()

    response = api.get(f"{URL}{draft.pk}/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_create_a_story_with_sources_and_parts(editor_api):
    response = editor_api.post(
        URL,
        {
            "headline": "  زلزال قوي يضرب الساحل  ",
            "language": "ar",
            "section": "دولي",
            "dateline": "مانيلا (رويترز) -",
            "sources": [{"source": "reuters", "role": "originating_agency"}],
            "parts": [{"body": "الفقرة الأولى.\n\nالفقرة الثانية.", "continues": True}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["headline"] == "زلزال قوي يضرب الساحل"
    assert data["section"] == "دولي"
    assert data["sources"][0]["name"] == "Reuters"
    assert data["parts"][0]["number"] == 1 and data["developing"] is True
    assert data["status"] == "draft"
    assert response["ETag"] and response["Location"].endswith(f"/api/v1/articles/{data['id']}/")
    assert Article.objects.get(pk=data["id"]).created_by.username == "editor"


def test_create_refuses_unknown_fields_and_wrong_types(editor_api):
    for body in [
        {"headline": "x", "colour": "red"},
        {"headline": 5},
        {"headline": "x", "language": "xx"},
        {"headline": ""},
        {"headline": "x", "sources": [{"source": "no-such-source"}]},
        {"headline": "x", "parts": [{"body": "   "}]},
        {"headline": "x", "status": "published"},
        {"headline": "x", "version": 7},
    ]:
        response = editor_api.post(URL, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["detail"].startswith("invalid input"), body
    assert Article.objects.count() == 0


def test_patch_changes_fields_and_raises_the_version(editor_api, seed_story):
    response = editor_api.patch(f"{URL}{seed_story.pk}/", {"summary": "خلاصة الخبر"}, format="json")

    assert response.status_code == 200
    seed_story.refresh_from_db()
    assert seed_story.summary == "خلاصة الخبر"
    assert response.json()["version"] == seed_story.version


def test_put_replaces_credits(editor_api, seed_story):
    data = editor_api.get(f"{URL}{seed_story.pk}/").json()
    body = {key: data[key] for key in ["headline", "language", "dateline"]}
    body["sources"] = [{"source": "afp", "role": "originating_agency"}]

    response = editor_api.put(f"{URL}{seed_story.pk}/", body, format="json")

    assert response.status_code == 200, response.json()
    assert [s["source"] for s in response.json()["sources"]] == ["afp"]


def test_parts_cannot_be_replaced_through_the_story(editor_api, seed_story):
    response = editor_api.patch(f"{URL}{seed_story.pk}/", {"parts": [{"body": "x"}]}, format="json")

    assert response.status_code == 400
    assert seed_story.parts.count() == 2


def test_headline_change_moves_an_automatic_slug(editor_api, seed_story):
    response = editor_api.patch(f"{URL}{seed_story.pk}/", {"headline": "عنوان جديد"}, format="json")

    assert response.json()["slug"] == "عنوان-جديد"


def test_delete_a_story(editor_api, seed_story):
    assert editor_api.delete(f"{URL}{seed_story.pk}/").status_code == 204
    assert not Article.objects.filter(pk=seed_story.pk).exists()
