"""A public page the cache holds is answered by KeptPageMiddleware, before sessions, CSRF, authentication, two
factors, messages and axes: with every header the full chain gives it, and only to a request those middleware
would add nothing to."""

import pytest

from articles.services import parts as part_services
from articles.services import stories

pytestmark = pytest.mark.django_db

# Every header a page carries whichever way it was answered (the request id differs per request; X-Cache says
# which way it went).
SAME = (
    "Content-Type",
    "Content-Language",
    "Content-Length",
    "Vary",
    "Cache-Control",
    "ETag",
    "Last-Modified",
    "X-Frame-Options",
    "Content-Security-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
)


@pytest.fixture
def article(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return stories.create_story(
            headline="خبر عن القمة", parts=[part_services.NewPart(body="نص الخبر.")], publish=True
        )


def early(response) -> bool:
    """Answered before AuthenticationMiddleware (which gives every request it sees a `user`)."""
    return not hasattr(response.wsgi_request, "user")


def get(client, url, **headers):
    return client.get(url, headers={"accept-language": "ar", **headers})


@pytest.mark.parametrize("page", ["/", "story", "/sources/sputnik/", "/feeds/"])
def test_a_kept_page_is_answered_early_with_the_headers_a_render_gives_it(client, article, seed_story, page):
    url = article.get_absolute_url() if page == "story" else page

    rendered = get(client, url)
    kept = get(client, url)

    assert rendered["X-Cache"] == "miss" and not early(rendered)
    assert kept["X-Cache"] == "hit" and early(kept)
    assert kept.content == rendered.content
    for name in SAME:
        assert kept.get(name) == rendered.get(name), name
    assert kept["Content-Length"] == str(len(kept.content))
    assert kept["X-Request-ID"] and kept["X-Request-ID"] != rendered["X-Request-ID"]
    assert not kept.cookies and "Cookie" not in kept["Vary"]


def test_a_304_is_answered_early(client, article):
    first = get(client, article.get_absolute_url())

    again = get(client, article.get_absolute_url(), if_none_match=first["ETag"])

    assert again.status_code == 304 and early(again) and again["ETag"] == first["ETag"]


def test_the_language_is_decided_as_locale_middleware_decides_it(client, article):
    for language in ("en", "ar"):
        get(client, article.get_absolute_url(), accept_language=language)

    english = get(client, article.get_absolute_url(), accept_language="en-GB,en;q=0.9")
    arabic = get(client, article.get_absolute_url(), accept_language="ar-EG")
    client.cookies["django_language"] = "en"
    chosen = get(client, article.get_absolute_url(), accept_language="ar")

    assert all(early(r) and r["X-Cache"] == "hit" for r in (english, arabic, chosen))
    assert english["Content-Language"] == "en" and 'lang="en"' in english.content.decode()[:200]
    assert arabic["Content-Language"] == "ar" and 'dir="rtl"' in arabic.content.decode()[:200]
    # The cookie wins over the header, and shared caches do not vary on it: private.
    assert chosen["Content-Language"] == "en" and "private" in chosen["Cache-Control"]


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_reader_with_a_session_or_messages_goes_the_whole_way(client, article, cookie):
    get(client, article.get_absolute_url())
    client.cookies[cookie] = "anything"

    response = get(client, article.get_absolute_url())

    assert not early(response) and response["X-Cache"] == "hit"
    if cookie == "sessionid":
        assert "private" in response["Cache-Control"]


def test_a_signed_in_editor_goes_the_whole_way(client, article, editor):
    get(client, article.get_absolute_url())
    client.force_login(editor)

    response = get(client, article.get_absolute_url())

    assert not early(response) and response.wsgi_request.user == editor
    assert "private" in response["Cache-Control"]


def test_only_kept_pages_read_requests_are_answered_early(client, article):
    get(client, article.get_absolute_url())

    posted = client.post(article.get_absolute_url(), headers={"accept-language": "ar"})
    missing = get(client, "/articles/999999/x/")
    admin = get(client, "/admin/login/")
    api = get(client, "/api/v1/articles/")

    assert posted.status_code == 405 and not early(posted)
    assert missing.status_code == 404 and not early(missing)
    assert admin.status_code == 200 and not early(admin) and "csrftoken" in admin.cookies
    assert api.status_code == 200 and not early(api)


def test_a_changed_story_is_never_answered_early_from_the_old_page(client, article, django_capture_on_commit_callbacks):
    get(client, article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        stories.edit_story(article=article, changes={"byline": "مراسلنا في القاهرة"})

    response = get(client, article.get_absolute_url())

    assert response["X-Cache"] == "miss" and "مراسلنا في القاهرة" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/articles/1/%ff%fe/",  # invalid UTF-8
        "/articles/1/" + "ع" * 600 + "/",
        "/articles/99999999999999999999999/x/",  # past any integer column
        "/sources/%00/",
    ],
)
def test_hostile_paths_are_answered_without_an_error(client, article, path):
    get(client, article.get_absolute_url())

    response = get(client, path)

    assert response.status_code in (301, 400, 404)


def test_a_host_not_allowed_is_a_400_on_a_kept_page_too(client, article, settings):
    get(client, article.get_absolute_url())

    response = client.get(article.get_absolute_url(), headers={"host": "evil.example"})

    assert response.status_code == 400
