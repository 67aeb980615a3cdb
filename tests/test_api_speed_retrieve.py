"""A story's retrieve reads it in a fixed, small number of queries and writes its JSON by hand: the answer must be
the one the general path gives (get_queryset's shape, DRF walking the declared fields), byte for byte."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework import serializers

from articles.api.serializers import ArticleSerializer
from articles.api.stories import ArticleViewSet
from articles.formats import shown
from articles.models import Source
from articles.selectors import visible_to, with_annotation_counts, with_language_versions
from articles.services import parts as part_services
from articles.services import stories, workflow
from articles.services import translations as translation_services
from articles.services.stories import Credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(editor):
    """A published original (section, dateline date, two credits, a labelled part after a continuing one, a public
    correction) with a published English translation credited to the editor, a draft Urdu one, and a retracted
    developing story beside them."""
    for slug, name in [("reuters", "Reuters"), ("afp", "AFP")]:
        Source.objects.get_or_create(slug=slug, defaults={"name": name})
    original = stories.create_story(
        headline="استئناف المحادثات",
        section="سياسة",
        summary="ملخص الخبر",
        byline="مراسلنا",
        dateline="القاهرة - 5 مايو",
        dateline_date=datetime.date(2024, 5, 5),
        dateline_place="القاهرة",
        credits=[Credit(source="afp", role="publisher"), Credit(source="reuters", role="originating_agency")],
        parts=[part_services.NewPart(body="الفقرة الأولى.\n\nالثانية.", continues=True)],
        publish=True,
    )
    part_services.append_part(article=original.pk, body="الجزء الثاني.", label="إضافة أولى")
    workflow.transition(article=original.pk, name="correct", note="صُحح اسم الوزير")
    english = translation_services.create_translation(
        original=original.pk,
        language="en",
        headline="Talks to resume",
        parts=[part_services.NewPart(body="First."), part_services.NewPart(body="Second.")],
        by=editor,
    )
    workflow.transition(article=english.pk, name="publish")
    urdu = translation_services.create_translation(original=original.pk, language="ur", headline="مذاکرات", by=editor)
    withheld = part_services.NewPart(body="نص محجوب", continues=True)
    retracted = stories.create_story(headline="خبر مسحوب", summary="لا يقرأ", parts=[withheld], publish=True)
    workflow.transition(article=retracted.pk, name="retract", note="سحب الخبر")
    return {"original": original, "english": english, "urdu": urdu, "retracted": retracted}


@pytest.fixture(params=["anonymous", "editor"])
def api_client(request, api):
    if request.param == "editor":
        return request.getfixturevalue("editor_api")
    return api


@pytest.mark.parametrize("name", ["original", "english", "urdu", "retracted"])
@pytest.mark.parametrize("format", ["json", "ninjs"])
def test_retrieve_answers_as_the_general_path_does(api_client, family, name, format):
    article = family[name]
    url = f"/api/v1/articles/{article.pk}/?format={format}"

    fast = api_client.get(url)
    general = api_client.get(f"{url}&language={article.language}")  # a filter takes get_queryset's path

    assert (fast.status_code, fast.get("ETag"), fast.content) == (
        general.status_code,
        general.get("ETag"),
        general.content,
    )


def test_an_anonymous_retrieve_of_a_story_with_language_versions_costs_one_statement_once_stored(api, family):
    """A story with language versions is stored as any other (articles/api/stored.py): its first reader's
    answer costs the statement that finds no current stored representation, the family with its translators'
    names, credits, parts, public corrections and the store; every later one the statement alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v1/articles/{family['original'].pk}/"
    for address, listed in [(url, "translations"), (f"{url}?format=ninjs", "associations")]:
        for cost in (6, 1):
            with CaptureQueriesContext(connection) as captured:
                assert len(api.get(address).json()[listed]) == 1
            # The savepoint the test's transaction puts around the store is not counted (a server runs none).
            run = [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]
            assert len(run) == cost, "\n\n".join(run)


@pytest.mark.parametrize("format", ["json", "ninjs"])
def test_the_public_list_answers_as_the_general_path_does(api, family, format, monkeypatch):
    """The anonymous list reads its page's credits, parts, corrections and translations by prepared statements
    (selectors.public); page after page, it answers byte for byte what prefetching answers."""
    for n in range(3):
        stories.create_story(headline=f"خبر {n}", parts=[part_services.NewPart(body="نص.")], publish=True)

    def pages():
        answers, url = [], f"/api/v1/articles/?format={format}&page_size=2"
        while url:
            response = api.get(url)
            answers.append((response.status_code, response.content))
            if format == "json":
                url = response.json()["next"]
            else:
                links = [link.split(">;") for link in response.get("Link", "").split(", ") if link]
                url = next((target.removeprefix("<") for target, rel in links if rel.strip() == 'rel="next"'), None)
        return answers

    fast = pages()
    cache.clear()  # the anonymous rate limit counted the first pass
    monkeypatch.setattr(ArticleViewSet, "_public_list", lambda self: False)
    general = pages()

    assert fast == general
    assert len(fast) >= 3 and all(code == 200 for code, _ in fast)


def test_the_public_list_costs_five_statements_whatever_the_page_size(api, family, django_assert_num_queries):
    for n in range(30):
        stories.create_story(headline=f"خبر {n}", parts=[part_services.NewPart(body="نص.")], publish=True)
    for size in (2, 25):
        with django_assert_num_queries(5):  # the page, then its credits, parts, corrections and translations
            assert len(api.get(f"/api/v1/articles/?page_size={size}").json()["results"]) == size


def declared_fields(serializer, article) -> dict:
    """What DRF's walk of ArticleSerializer's declared fields gives, as the serializer answered before it wrote
    its representation by hand."""
    data = serializers.ModelSerializer.to_representation(serializer, article)
    view = shown(article, withheld_text_visible=bool(serializer.context.get("show_retracted_text")))
    if view.withheld:
        data["parts"], data["summary"] = [], ""
    data["translation_of"] = view.original_id
    return data


@pytest.mark.parametrize("editors_view", [False, True])
def test_the_hand_written_representation_is_the_declared_fields(family, editor, editors_view):
    user = editor if editors_view else None
    loaded = with_annotation_counts(with_language_versions(visible_to(user).for_page(), user), user)
    request = RequestFactory().get("/")
    for article in loaded.filter(pk__in=[story.pk for story in family.values()]):
        serializer = ArticleSerializer(article, context={"request": request, "show_retracted_text": editors_view})

        by_hand, by_drf = serializer.to_representation(article), declared_fields(serializer, article)

        assert json.dumps(by_hand, ensure_ascii=False) == json.dumps(by_drf, ensure_ascii=False)
