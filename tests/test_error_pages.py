"""Error pages with DEBUG off: 400, 403, 404 and 500 in the site's frame and the interface language, JSON under
/api/, and a 500 page that needs no database."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from django.urls import include, path
from django.utils import translation

import newsroom.urls
from articles.api import errors


def boom(request):
    raise RuntimeError("something broke")


def forbidden(request):
    raise PermissionDenied("staff only")


def suspicious(request):
    raise SuspiciousOperation("a forged something")


# This module is the URLconf of its tests: the project's URLs and handlers, plus views that fail.
urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("api/boom/", boom),
    path("api/forbidden/", forbidden),
    path("api/suspicious/", suspicious),
    path("", include(newsroom.urls)),
]
handler400 = newsroom.urls.handler400
handler403 = newsroom.urls.handler403
handler404 = newsroom.urls.handler404
handler500 = newsroom.urls.handler500

PAGES = {"/no-such-page/": 404, "/forbidden/": 403, "/suspicious/": 400, "/boom/": 500}


@pytest.fixture
def failing_client(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def in_the_frame(html: str) -> bool:
    """The site's own header, search and footer around the message."""
    return all(mark in html for mark in ('class="site-header"', 'class="site-search"', 'class="site-footer"'))


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status"), PAGES.items())
def test_error_pages_are_in_the_site_s_frame_in_english(failing_client, url, status):
    response = failing_client.get(url, headers={"accept-language": "en"})
    html = response.content.decode()

    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert in_the_frame(html)
    assert '<html lang="en" dir="ltr">' in html
    assert 'id="error-title"' in html and "Latest stories" in html


@pytest.mark.django_db
@pytest.mark.arabic_default
@pytest.mark.parametrize(("url", "status"), PAGES.items())
def test_error_pages_are_in_arabic_by_default(failing_client, url, status):
    response = failing_client.get(url)
    html = response.content.decode()

    assert response.status_code == status
    assert in_the_frame(html)
    assert '<html lang="ar" dir="rtl">' in html
    assert "آخر الأخبار" in html and "Latest stories" not in html


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_the_404_page_speaks_arabic(failing_client):
    html = failing_client.get("/no-such-page/").content.decode()

    assert "تعذر العثور على الصفحة" in html


@pytest.mark.django_db
def test_the_404_page_follows_the_reader_s_language(failing_client):
    html = failing_client.get("/no-such-page/", headers={"accept-language": "ur"}).content.decode()

    assert '<html lang="ur" dir="rtl">' in html


@pytest.mark.django_db
def test_the_500_page_keeps_django_s_title_and_shows_nothing_of_the_exception(failing_client):
    html = failing_client.get("/boom/", headers={"accept-language": "en"}).content.decode()

    assert "Server Error (500)" in html
    assert "something broke" not in html and "RuntimeError" not in html


def test_the_500_page_renders_without_the_database():
    """No django_db mark: any query here fails the test (pytest-django blocks database access)."""
    request = RequestFactory().get("/somewhere/")
    with translation.override("ar"):
        response = errors.server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in html and in_the_frame(html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "start"),
    [
        ("/api/no-such-endpoint/", 404, "not found"),
        ("/api/forbidden/", 403, "forbidden"),
        ("/api/suspicious/", 400, "bad request"),
        ("/api/boom/", 500, "server error"),
    ],
)
def test_errors_under_the_api_are_json(failing_client, url, status, start):
    response = failing_client.get(url, headers={"accept-language": "en"})

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(start)


def test_a_host_not_allowed_gets_the_400_page_without_a_database_query(client):
    """No django_db mark: scanners forging a Host are refused without touching the database."""
    client.raise_request_exception = False

    response = client.get("/", headers={"host": "evil.example", "accept-language": "en"})

    assert response.status_code == 400
    assert in_the_frame(response.content.decode())


@pytest.mark.arabic_default
def test_a_failed_csrf_check_gets_the_sites_own_403_page_in_the_readers_language(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    page = client.post("/admin/login/", {"username": "x", "password": "y"}, headers={"accept-language": "ar"})
    api = errors.csrf_failure(RequestFactory().post("/api/v1/articles/"), reason="CSRF cookie not set.")

    html = page.content.decode()
    assert page.status_code == 403 and 'lang="ar" dir="rtl"' in html and "site-header" in html
    assert "CSRF" not in html and "تعذّر إرسال النموذج" in html
    assert api.status_code == 403 and api["Content-Type"].startswith("application/json")


# Too many fields: refused while the middleware reads the query, before LocaleMiddleware has chosen a language.
TOO_MANY = "&".join(f"f{n}=1" for n in range(1100))


@pytest.mark.parametrize(
    ("asked", "left_active", "said"),
    [
        ({"headers": {"accept-language": "en"}}, "ur", "Bad request"),
        ({"headers": {"accept-language": "ur"}}, "en", "غلط درخواست"),
        ({"headers": {"accept-language": "en", "cookie": "django_language=ar"}}, "ur", "طلب غير صالح"),
    ],
)
def test_too_many_fields_is_refused_in_the_language_the_reader_asks_for(client, asked, left_active, said):
    """No django_db mark: nothing is read from the database. `left_active`: the language this thread's previous
    request left active, which the refusal used to be said in."""
    client.raise_request_exception = False
    translation.activate(left_active)
    try:
        response = client.get(f"/?{TOO_MANY}", **asked)
    finally:
        translation.deactivate()

    html = response.content.decode()
    assert response.status_code == 400 and in_the_frame(html)
    assert said in html


def test_too_many_fields_under_the_api_is_json_in_the_language_asked_for(client):
    client.raise_request_exception = False
    translation.activate("ar")
    try:
        response = client.get(f"/api/v1/articles/?{TOO_MANY}", headers={"accept-language": "en"})
    finally:
        translation.deactivate()

    assert response.status_code == 400
    assert response.json()["detail"] == "bad request: the request could not be read"
