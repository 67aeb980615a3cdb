"""Parts through the API: list, append (the server numbers), retrieve, edit."""

import pytest

from articles.services.ingest import ingest

pytestmark = pytest.mark.django_db


def url(article, number=None):
    base = f"/api/v1/articles/{article.pk}/parts/"
    return f"{base}{number}/" if number else base


def test_list_parts_in_order(api, seed_story):
    data = api.get(url(seed_story)).json()

    assert [part["number"] for part in data] == [1, 2]


def test_append_assigns_the_next_number_and_raises_the_version(editor_api, seed_story):
    version = seed_story.version

    response = editor_api.post(url(seed_story), {"body": "تحديث جديد.", "continues": True}, format="json")

    assert response.status_code == 201
    assert response.json()["number"] == 3
    seed_story.refresh_from_db()
    assert seed_story.version == version + 1 and seed_story.developing


def test_a_client_cannot_choose_the_number(editor_api, seed_story):
    response = editor_api.post(url(seed_story), {"body": "نص", "number": 9}, format="json")

    assert response.status_code == 400
    assert seed_story.parts.count() == 2


def test_retrieve_and_edit_one_part(editor_api, seed_story):
    assert editor_api.get(url(seed_story, 2)).json()["number"] == 2

    response = editor_api.patch(url(seed_story, 2), {"body": "نص  معدل\u00a0بدقة"}, format="json")

    assert response.status_code == 200
    assert seed_story.parts.get(number=2).body == "نص  معدل\u00a0بدقة"


def test_missing_part_and_missing_story_are_404(api, seed_story):
    assert api.get(url(seed_story, 9)).status_code == 404
    assert api.get("/api/v1/articles/999/parts/").status_code == 404


def test_parts_of_a_draft_are_404_to_anonymous_clients(api, seed_text):
    draft = ingest(text=seed_text).article

    assert api.get(url(draft)).status_code == 404
    assert api.get(url(draft, 1)).status_code == 404


def test_appending_needs_permission(api, seed_story, django_user_model):
    api.force_authenticate(django_user_model.objects.create_user("reader"))

    response = api.post(url(seed_story), {"body": "نص"}, format="json")

    assert response.status_code == 403
    assert seed_story.parts.count() == 2
