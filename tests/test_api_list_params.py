"""The story list refuses query parameters it does not read, naming them, as it refuses unknown body fields."""

import pytest

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"


@pytest.mark.parametrize("name", ["search", "query", "p", "limit", "Language", "status__in"])
def test_an_unknown_list_parameter_is_400_naming_it(api, name):
    response = api.get(URL, {name: "x"})

    assert response.status_code == 400
    assert response.json()["errors"] == {name: ["unknown query parameter"]}
    assert name in response.json()["detail"]


def test_the_detail_names_the_parameter(api):
    response = api.get(URL, {"search": "x"})

    assert response.json()["detail"] == "invalid input: search: unknown query parameter"


def test_every_unknown_parameter_is_named(api):
    response = api.get(URL, {"search": "x", "offset": "2", "language": "ar"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"search", "offset"}


def test_unknown_parameters_are_named_beside_bad_filter_values(api):
    response = api.get(URL, {"query": "x", "status": "lost"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"query", "status"}


def test_an_unknown_parameter_without_a_value_is_refused(api):
    response = api.get(URL + "?debug")

    assert response.status_code == 400
    assert response.json()["errors"] == {"debug": ["unknown query parameter"]}


@pytest.mark.parametrize(
    "query",
    [
        {"language": "ar", "source": "agency", "status": "published", "developing": "false"},
        {"published_after": "2020-01-01T00:00:00Z", "published_before": "2030-01-01T00:00:00Z"},
        {"translation_of": "1"},
        {"ordering": "-updated_at", "page_size": "5"},
        {"format": "json"},
        {"format": "ninjs"},
    ],
)
def test_filters_pagination_and_format_are_accepted(api, query):
    ArticleFactory(published=True)

    response = api.get(URL, query)

    assert response.status_code == 200, response.content


def test_the_next_page_link_is_accepted(api):
    for _ in range(3):
        ArticleFactory(published=True)

    url = api.get(URL, {"page_size": 2, "language": "ar"}).json()["next"]
    response = api.get(url)

    assert "cursor=" in url
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_a_single_story_is_not_checked_for_list_parameters(api):
    article = ArticleFactory(published=True)

    assert api.get(f"{URL}{article.pk}/", {"utm_source": "feed"}).status_code == 200


def test_the_sources_list_is_left_as_it_was(api):
    assert api.get("/api/v1/sources/", {"search": "x"}).status_code == 200
