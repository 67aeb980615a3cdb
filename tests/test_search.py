"""Search across stories: the index follows every change; variant spellings and digits find the same stories;
phrases, exclusions, prefixes; escaped snippets; nothing unpublished reaches the public."""

import pytest
from django.db import connection

from articles.models import SearchDocument
from articles.services import parts as part_services
from articles.services import search, stories, workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run writes as if they committed, so the search index (a receiver of story changes) follows them."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def seed(seed_text, indexed):
    from articles.services.ingest import ingest

    with indexed():
        return ingest(text=seed_text, publish=True).article


def found(client, q, **params):
    response = client.get("/search/", {"q": q, **params}, headers={"accept-language": "en"})
    return response, response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["التصعيد", "التّصعيد", "التصــعيد", "قره باغ", "قرة باغ", "أذربيجان", "اذربيجان", "1994", "١٩٩٤", "۱۹۹۴", "مینسک"],
)
def test_variant_spellings_and_digits_find_the_seed(client, seed, query):
    response, html = found(client, query)

    assert response.status_code == 200
    assert seed.get_absolute_url() in html, query


def test_farsi_and_arabic_letters_are_one(client, indexed):
    with indexed():
        article = stories.create_story(
            headline="کتاب ی", parts=[part_services.NewPart(body="مسؤول كبير ومستشفى ميداني.")], publish=True
        )

    for query in ["كتاب", "مسئول", "مستشفي"]:
        assert article.get_absolute_url() in found(client, query)[1], query


def test_phrases_exclusions_and_prefixes(client, indexed):
    with indexed():
        one = stories.create_story(
            headline="وقف إطلاق النار",
            parts=[part_services.NewPart(body="دعوة إلى وقف إطلاق النار فورا.")],
            publish=True,
        )
        two = stories.create_story(
            headline="إطلاق سراح", parts=[part_services.NewPart(body="النار اشتعلت ثم وقف المطر.")], publish=True
        )

    phrase = found(client, '"وقف إطلاق النار"')[1]
    excluded = found(client, "النار -المطر")[1]
    prefix = found(client, "إطلا")[1]

    assert one.get_absolute_url() in phrase and two.get_absolute_url() not in phrase
    assert one.get_absolute_url() in excluded and two.get_absolute_url() not in excluded
    assert one.get_absolute_url() in prefix and two.get_absolute_url() in prefix


def test_snippets_are_escaped_with_the_match_marked(client, indexed):
    with indexed():
        stories.create_story(
            headline="خبر",
            parts=[part_services.NewPart(body="نص فيه <script>alert(1)</script> والتصعيد هنا.")],
            publish=True,
        )

    html = found(client, "التصعيد")[1]

    assert "<script>alert(1)</script>" not in html
    assert "<mark>" in html


def test_a_snippet_is_escaped_before_the_marks_go_in():
    class Found:
        search_headline = "نص <script>x</script> والتّصعيد هنا"

    html = search.snippet(Found(), search.parse("التصعيد"))

    assert "<script>" not in html and "&lt;script&gt;" in html and "<mark>والتّصعيد</mark>" in html


def test_unpublished_and_retracted_text_never_reaches_the_public(client, indexed, editor):
    with indexed():
        draft = stories.create_story(headline="مسودة سرية", parts=[part_services.NewPart(body="كلمةسرية")])
        retracted = stories.create_story(headline="مسحوب", parts=[part_services.NewPart(body="نصمسحوب")], publish=True)
        workflow.transition(article=retracted, name="retract", note="سحب")

    assert draft.get_absolute_url() not in found(client, "كلمةسرية")[1]
    assert retracted.get_absolute_url() not in found(client, "نصمسحوب")[1]


def test_the_index_follows_an_edit_an_appended_part_and_a_deletion(client, indexed):
    with indexed():
        article = stories.create_story(headline="عنوان أول", parts=[part_services.NewPart(body="نص.")], publish=True)
        stories.edit_story(article=article, changes={"headline": "عنوان مختلف"})
        part_services.append_part(article=article, body="كلمةمضافة")

    assert f"/articles/{article.pk}/" in found(client, "مختلف")[1]
    assert f"/articles/{article.pk}/" in found(client, "كلمةمضافة")[1]
    with indexed():
        stories.delete_story(article=article)
    assert not SearchDocument.objects.filter(article_id=article.pk).exists()


@pytest.mark.parametrize(("query", "message"), [("", "Type a word"), ("ا", "at least 2"), ("ب" * 201, "at most 200")])
def test_a_bad_query_gets_a_clear_message(client, query, message):
    response, html = found(client, query)

    assert response.status_code == 400 and message in html


def test_filters_and_the_count(client, seed, indexed):
    assert "1 story found" in found(client, "التصعيد")[1]
    assert seed.get_absolute_url() not in found(client, "التصعيد", language="en")[1]
    assert seed.get_absolute_url() in found(client, "التصعيد", source="sputnik")[1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL's arabic configuration")
def test_stemming_finds_the_definite_form_on_postgresql(client, seed):
    assert seed.get_absolute_url() in found(client, "تصعيد")[1]


def test_rebuild_search_is_idempotent(seed):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_search", "--batch-size", "1", stdout=out)
    call_command("rebuild_search", stdout=out)

    assert SearchDocument.objects.count() == 1 and "1 of 1 stories indexed" in out.getvalue()
    assert search.parse("x").problems


def test_the_api_searches_with_q_and_a_snippet(api, seed):
    response = api.get("/api/v1/articles/", {"q": "قرة باغ", "language": "ar"})

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == seed.pk and "<mark>" in item["snippet"]
    assert api.get("/api/v1/articles/", {"q": ""}).status_code == 400
    assert api.get("/api/v1/articles/", {"page": "2"}).status_code == 400


def test_the_admin_search_box_finds_drafts_by_variant_spelling(editor_client, indexed):
    with indexed():
        draft = stories.create_story(headline="مسودة عن أذربيجان", parts=[part_services.NewPart(body="نص.")])

    html = editor_client.get("/admin/articles/article/", {"q": "اذربيجان"}).content.decode()

    assert f"/admin/articles/article/{draft.pk}/change/" in html


def test_a_scheduled_story_is_found_once_its_time_has_come_without_reindexing(client, indexed):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    with indexed():
        article = stories.create_story(headline="خبر مجدول", parts=[part_services.NewPart(body="كلمةمجدولة")])
        workflow.transition(article=article, name="publish", at=timezone.now() + timedelta(hours=1))

    assert article.get_absolute_url() not in found(client, "كلمةمجدولة")[1]
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert article.get_absolute_url() in found(client, "كلمةمجدولة")[1]


def test_ranking_is_among_the_newest_matches_and_says_when_older_ones_were_left_out(client, indexed, monkeypatch):
    with indexed():
        made = [
            stories.create_story(headline=f"خبر {n}", parts=[part_services.NewPart(body="كلمةمشتركة")], publish=True)
            for n in range(3)
        ]
    monkeypatch.setattr(search, "CANDIDATES", 2)

    result = search.search(search_stories(), search.parse("كلمةمشتركة"), public=True)
    html = found(client, "كلمةمشتركة")[1]
    api = client.get("/api/v1/articles/", {"q": "كلمةمشتركة"}).json()

    assert sorted(result) == sorted(a.pk for a in made[1:]) and result.more
    assert "More than 2 stories found" in html and made[0].get_absolute_url() not in html
    assert api["count"] == 2 and api["more"] is True


def test_staff_search_through_the_api_finds_drafts_and_readers_do_not(client, editor_api, indexed):
    with indexed():
        draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body="كلمةالمسودة")])

    staff = editor_api.get("/api/v1/articles/", {"q": "كلمةالمسودة"}).json()
    public = client.get("/api/v1/articles/", {"q": "كلمةالمسودة"}).json()

    assert [item["id"] for item in staff["results"]] == [draft.pk] and staff["more"] is False
    assert public["results"] == [] and public["count"] == 0


def search_stories():
    from articles.models import Article

    return Article.objects.public()


def test_a_retracted_story_found_by_its_headline_is_labelled(client, indexed):
    with indexed():
        article = stories.create_story(headline="خبرمسحوبمعلن", parts=[part_services.NewPart(body="نص.")], publish=True)
        workflow.transition(article=article, name="retract", note="خطأ في المصدر")

    html = found(client, "خبرمسحوبمعلن")[1]

    assert article.get_absolute_url() in html and "Retracted" in html


def test_the_api_search_keeps_its_filters(client, seed):
    unfiltered = client.get("/api/v1/articles/", {"q": "التصعيد"}).json()
    english = client.get("/api/v1/articles/", {"q": "التصعيد", "language": "en"}).json()

    assert [item["id"] for item in unfiltered["results"]] == [seed.pk]
    assert english["results"] == [] and english["count"] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors exist on PostgreSQL only")
def test_the_stored_vector_is_the_one_djangos_search_vector_computes(seed):
    """The document's vector is written by the INSERT itself (newsroom.inserts.Computed): the same tsvector, weights
    and configuration as Django's SearchVector expression over the same texts."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import TextField, Value

    document = SearchDocument.objects.get(article=seed)

    def vector(text, weight):
        return SearchVector(Value(text, output_field=TextField()), config=document.config, weight=weight)

    expected = SearchDocument.objects.annotate(
        expected=vector(document.headline, "A") + vector(document.summary, "B") + vector(document.body, "C")
    ).values_list("expected", flat=True)[:1]
    assert document.vector and str(document.vector) == str(expected.get())
