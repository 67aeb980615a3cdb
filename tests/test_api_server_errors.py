"""A crash is a JSON 500 under /api/ and Django's error page elsewhere."""

import pytest
from django.urls import include, path

import newsroom.urls


def boom(request):
    raise RuntimeError("something broke")


# This module is the URLconf of its tests: the project's URLs and handler500, plus two views that crash.
urlpatterns = [
    path("api/boom/", boom),
    path("boom/", boom),
    path("", include(newsroom.urls)),
]
handler404 = newsroom.urls.handler404
handler500 = newsroom.urls.handler500


@pytest.fixture
def crashing_client(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def test_an_api_crash_is_a_json_500(crashing_client):
    response = crashing_client.get("/api/boom/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("server error: ")


def test_an_api_crash_does_not_show_the_exception(crashing_client):
    response = crashing_client.get("/api/boom/")

    assert "something broke" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()


def test_a_crash_elsewhere_is_django_s_error_page(crashing_client):
    response = crashing_client.get("/boom/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"Server Error (500)" in response.content


def test_the_project_s_urls_still_answer_through_the_test_urlconf(crashing_client):
    assert crashing_client.get("/api/v1/nowhere/").json()["detail"].startswith("not found")


def test_a_request_django_refuses_before_any_view_is_json_under_the_api(client):
    client.raise_request_exception = False

    api = client.get("/api/v1/articles/", headers={"host": "evil.example"})
    page = client.get("/", headers={"host": "evil.example"})

    assert api.status_code == 400 and api.json()["detail"].startswith("bad request")
    assert page.status_code == 400 and "text/html" in page["Content-Type"]
