"""Conditional requests: ETag, If-None-Match → 304, If-Match on writes → 412 and nothing written."""

import pytest

from articles.models import Source
from articles.services.ingest import ingest

pytestmark = pytest.mark.django_db


def test_article_etag_and_304(api, seed_story):
    first = api.get(f"/api/v1/articles/{seed_story.pk}/")
    etag = first["ETag"]

    again = api.get(f"/api/v1/articles/{seed_story.pk}/", headers={"if-none-match": etag})

    assert etag == f'"article-{seed_story.pk}-v{seed_story.version}"'
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
