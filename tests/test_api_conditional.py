"""Conditional requests: ETag, If-None-Match → 304, If-Match on writes → 412 and nothing written."""

import pytest

from articles.models import Source
from articles.services import annotations as annotation_services
from articles.services import sources as source_services
from articles.services.ingest import ingest

pytestmark = pytest.mark.django_db


def test_article_etag_and_304(api, seed_story):
    first = api.get(f"/api/v1/articles/{seed_story.pk}/")
    etag = first["ETag"]

    again = api.get(f"/api/v1/articles/{seed_story.pk}/", headers={"if-none-match": etag})

    credited = sum(credit.source.version for credit in seed_story.credits.all())
    assert etag == f'"article-{seed_story.pk}-v{seed_story.version}-s{credited}-a0"'
    assert again.status_code == 304 and again["ETag"] == etag


def test_etag_changes_with_every_change(editor_api, seed_story):
    before = editor_api.get(f"/api/v1/articles/{seed_story.pk}/")["ETag"]
    editor_api.post(f"/api/v1/articles/{seed_story.pk}/parts/", {"body": "جديد"}, format="json")

    response = editor_api.get(f"/api/v1/articles/{seed_story.pk}/", headers={"if-none-match": before})

    assert response.status_code == 200 and response["ETag"] != before


def test_ninjs_has_its_own_etag(api, seed_story):
    json_etag = api.get(f"/api/v1/articles/{seed_story.pk}/")["ETag"]
    ninjs = api.get(f"/api/v1/articles/{seed_story.pk}/?format=ninjs")

    assert ninjs["ETag"] != json_etag
    assert (
        api.get(f"/api/v1/articles/{seed_story.pk}/?format=ninjs", headers={"if-none-match": ninjs["ETag"]}).status_code
        == 304
    )


def test_two_editors_saving_at_once_cannot_overwrite_each_other(editor_api, seed_story):
    url = f"/api/v1/articles/{seed_story.pk}/"
    etag = editor_api.get(url)["ETag"]

    first = editor_api.patch(url, {"summary": "نسخة المحرر الأول"}, format="json", headers={"if-match": etag})
    second = editor_api.patch(url, {"summary": "نسخة المحرر الثاني"}, format="json", headers={"if-match": etag})

    assert first.status_code == 200
    assert second.status_code == 412
    assert "changed meanwhile" in second.json()["detail"]
    seed_story.refresh_from_db()
    assert seed_story.summary == "نسخة المحرر الأول"


@pytest.mark.parametrize("header", ['"nonsense"', '"article-1-vX"', 'W/"article-999-v1"'])
def test_an_if_match_that_names_no_current_version_is_412(editor_api, seed_story, header):
    response = editor_api.patch(
        f"/api/v1/articles/{seed_story.pk}/", {"summary": "x"}, format="json", headers={"if-match": header}
    )

    assert response.status_code == 412
    seed_story.refresh_from_db()
    assert seed_story.summary == ""


def test_delete_with_a_stale_etag_is_412_and_deletes_nothing(editor_api, seed_story):
    url = f"/api/v1/articles/{seed_story.pk}/"
    etag = editor_api.get(url)["ETag"]
    editor_api.patch(url, {"summary": "تغيير"}, format="json")

    assert editor_api.delete(url, headers={"if-match": etag}).status_code == 412
    assert editor_api.get(url).status_code == 200


def test_part_etag_304_and_412(editor_api, seed_story):
    url = f"/api/v1/articles/{seed_story.pk}/parts/1/"
    etag = editor_api.get(url)["ETag"]
    assert editor_api.get(url, headers={"if-none-match": etag}).status_code == 304

    editor_api.patch(f"/api/v1/articles/{seed_story.pk}/parts/2/", {"body": "تعديل"}, format="json")
    response = editor_api.patch(url, {"body": "قديم"}, format="json", headers={"if-match": etag})

    assert response.status_code == 412
    assert seed_story.parts.get(number=1).body != "قديم"


def test_source_etag_304_and_412(editor_api):
    url = "/api/v1/sources/reuters/"
    etag = editor_api.get(url)["ETag"]
    assert editor_api.get(url, headers={"if-none-match": etag}).status_code == 304

    ok = editor_api.patch(url, {"website": "https://www.reuters.com/ar/"}, format="json", headers={"if-match": etag})
    stale = editor_api.patch(url, {"website": "https://example.org/"}, format="json", headers={"if-match": etag})

    assert ok.status_code == 200 and stale.status_code == 412
    assert Source.objects.get(slug="reuters").website == "https://www.reuters.com/ar/"


def test_a_304_costs_one_small_query(api, seed_story, django_assert_num_queries):
    etag = api.get(f"/api/v1/articles/{seed_story.pk}/")["ETag"]

    with django_assert_num_queries(1):
        response = api.get(f"/api/v1/articles/{seed_story.pk}/", headers={"if-none-match": etag})

    assert response.status_code == 304


def test_a_draft_is_404_even_with_a_guessed_etag(api, seed_text):
    draft = ingest(text=seed_text).article

    response = api.get(f"/api/v1/articles/{draft.pk}/", headers={"if-none-match": f'"article-{draft.pk}-v1"'})

    assert response.status_code == 404


@pytest.mark.parametrize("fmt", ["", "?format=ninjs"])
def test_a_credited_source_renamed_changes_the_story_s_etag(api, seed_story, fmt):
    """The representation names the sources it credits: a renamed one is a changed story for its readers,
    though the story's own version stays (the fast 304 path and the full one alike)."""
    url = f"/api/v1/articles/{seed_story.pk}/{fmt}"
    before = api.get(url)
    source = seed_story.credits.first().source

    source_services.update_source(source=source, changes={"name": "وكالة سبوتنيك الدولية"})
    after = api.get(url, headers={"if-none-match": before["ETag"]})

    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "وكالة سبوتنيك الدولية" in after.content.decode()
    assert api.get(url, headers={"if-none-match": after["ETag"]}).status_code == 304


def test_an_annotation_changes_the_json_etag_which_counts_them_but_not_the_ninjs_one(api, seed_story):
    json_before = api.get(f"/api/v1/articles/{seed_story.pk}/")
    ninjs_before = api.get(f"/api/v1/articles/{seed_story.pk}/?format=ninjs")["ETag"]

    opening = seed_story.parts.get(number=1).body[:40]  # the story's first words: found once
    annotation_services.create_annotation(article=seed_story, part_number=1, exact=opening, body="سياق")
    json_after = api.get(f"/api/v1/articles/{seed_story.pk}/", headers={"if-none-match": json_before["ETag"]})
    ninjs_after = api.get(f"/api/v1/articles/{seed_story.pk}/?format=ninjs", headers={"if-none-match": ninjs_before})

    assert json_after.status_code == 200 and json_after.json()["annotations"]["count"] == 1
    assert json_after["ETag"] != json_before["ETag"] and json_before.json()["annotations"]["count"] == 0
    assert ninjs_after.status_code == 304


@pytest.mark.parametrize(
    "header",
    ['"article-5-v3"', '"article-5-v3-s2-a0"', '"article-5-v3-s2-ninjs-l0a1b2c3d4e5f"', 'W/"article-5-v3-s9-a1"'],
)
def test_if_match_reads_the_version_whatever_else_the_etag_carries(header):
    """A story's ETag carries its sources', annotations' and language versions' tokens after the version; a
    write is checked against the version alone (what the write would overwrite)."""
    from django.test import RequestFactory

    from articles.api.conditional import version_from

    assert version_from(RequestFactory().patch("/", headers={"if-match": header}), "article", 5) == 3


@pytest.mark.parametrize("header", ['"article-5-v3x"', '"article-55-v3"', '"article-5-v"', '"part-5-v3"'])
def test_if_match_naming_another_resource_or_no_version_is_412(header):
    from django.test import RequestFactory

    from articles.api.conditional import PreconditionFailed, version_from

    with pytest.raises(PreconditionFailed):
        version_from(RequestFactory().patch("/", headers={"if-match": header}), "article", 5)
