"""Sources through the API: list, create and edit, with aliases."""

import pytest

from articles.models import Source

pytestmark = pytest.mark.django_db

URL = "/api/v1/sources/"


def test_list_sources_with_aliases(api):
    data = api.get(URL).json()

    reuters = next(item for item in data if item["slug"] == "reuters")
    assert reuters["name"] == "Reuters" and "رويترز" in reuters["aliases"]


def test_create_a_source_with_aliases(editor_api):
    response = editor_api.post(
        URL, {"name": "Al Jazeera", "kind": "publisher", "aliases": ["الجزيرة", "الجزيره"]}, format="json"
    )

    assert response.status_code == 201, response.json()
    source = Source.objects.get(slug=response.json()["slug"])
    # ة and ه fold together: one spelling, stored once
    assert sorted(alias.alias for alias in source.aliases.all()) == ["Al Jazeera", "الجزيرة"]


def test_an_alias_that_names_another_source_is_refused(editor_api):
    response = editor_api.post(URL, {"name": "Other", "aliases": ["رويترز"]}, format="json")

    assert response.status_code == 400
    assert "Reuters" in response.json()["detail"]
    assert not Source.objects.filter(name="Other").exists()


def test_edit_replaces_aliases(editor_api):
    response = editor_api.patch(f"{URL}sputnik/", {"aliases": ["سبوتنيك", "سپوتنیک"]}, format="json")

    assert response.status_code == 200
    assert set(response.json()["aliases"]) == {"Sputnik", "سبوتنيك", "سپوتنیک"}


def test_duplicate_slug_is_refused(editor_api):
    response = editor_api.post(URL, {"name": "Reuters 2", "slug": "reuters"}, format="json")

    assert response.status_code == 400


def test_anonymous_clients_cannot_create_sources(api):
    response = api.post(URL, {"name": "X"}, format="json")

    assert response.status_code in (401, 403)
    assert "detail" in response.json()
