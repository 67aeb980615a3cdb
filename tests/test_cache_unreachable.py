"""When Redis cannot be reached (stopped, restarting, cut off), readers, partners and the desk are still answered:
pages rendered uncached with no ETag, the API's rate limits open, writes committed; and when it answers again the
pages move on before anything it kept from before the outage is served (docs/caching.md)."""

import pytest
from django.test import override_settings

from articles.models import Comment
from articles.services import pagecache, stories
from articles.services import parts as part_services

from .test_caching import get

pytestmark = pytest.mark.django_db

# Port 1: nothing listens there, so every connection is refused at once, as from a stopped Redis.
NOWHERE = "redis://127.0.0.1:1/0"
ASK_AGAIN = "max-age=0, must-revalidate"


def _on(url: str, prefix: str = "newsroom-test-down") -> dict:
    return {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }


@pytest.fixture
def redis_down():
    # Undone before the suite's own fixtures empty the cache (conftest._fresh_cache), which must reach one.
    with override_settings(CACHES=_on(NOWHERE)):
        yield
    pagecache._Owed.owed = False  # this process's debt is the test's, not the next test's


def published(committed, headline="خبر منشور", body="نص الخبر الأول."):
    with committed():
        return stories.create_story(
            headline=headline, parts=[part_services.NewPart(body=body)], publish=True, section="سياسة"
        )


def test_every_public_page_is_answered_uncached(client, committed, redis_down):
    article = published(committed)
    pages = ["/", article.get_absolute_url(), "/sections/" + article.section.slug + "/", "/feeds/"]

    for url in pages:
        for _ in range(2):
            response = get(client, url)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == ASK_AGAIN and "ETag" not in response and "X-Cache" not in response
    assert "خبر منشور" in get(client, article.get_absolute_url()).content.decode()


def test_an_old_etag_is_not_answered_304(client, committed, redis_down):
    article = published(committed)

    response = get(client, article.get_absolute_url(), **{"if-none-match": '"anything"'})

    assert response.status_code == 200


def test_the_api_answers_and_its_rate_limits_count_nothing(api, committed, redis_down, throttle_rates):
    throttle_rates(anon="1/minute")
    article = published(committed)

    statuses = [api.get(url).status_code for url in ["/api/v1/articles/", f"/api/v1/articles/{article.pk}/"] * 2]

    assert statuses == [200, 200, 200, 200]


def test_an_edit_commits_and_shows_at_once(editor_api, client, committed, redis_down):
    article = published(committed)
    etag = editor_api.get(f"/api/v1/articles/{article.pk}/")["ETag"]

    with committed():
        response = editor_api.patch(
            f"/api/v1/articles/{article.pk}/",
            {"headline": "عنوان بعد الانقطاع"},
            format="json",
            headers={"if-match": etag},
        )

    assert response.status_code == 200, response.content
    assert "عنوان بعد الانقطاع" in get(client, f"/articles/{article.pk}/", follow=True).content.decode()
    assert pagecache._Owed.owed


def test_a_reader_comments_and_an_editor_opens_the_story(client, editor, committed, redis_down):
    article = published(committed)

    with committed():
        posted = client.post(
            f"/articles/{article.pk}/comments/",
            {"name": "قارئة", "email": "r@example.org", "body": "تعليق أثناء الانقطاع"},
            headers={"origin": "http://testserver"},
        )
    assert posted.status_code == 302 and Comment.objects.filter(body="تعليق أثناء الانقطاع").exists()

    client.force_login(editor)
    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 200


def test_when_redis_answers_again_nothing_kept_from_before_is_served(client, committed, redis_cache):
    """A cut, not a restart: Redis comes back holding the pages kept before it. A change made meanwhile moved
    no page, so the first read that reaches Redis again moves every page on."""
    article = published(committed)
    url = article.get_absolute_url()
    get(client, url), get(client, url)
    assert get(client, url)["X-Cache"] == "hit"

    try:
        with override_settings(CACHES=_on(NOWHERE)):
            with committed():
                stories.edit_story(article=article, changes={"summary": "ملخص كتب أثناء الانقطاع"})
            assert "ملخص كتب أثناء الانقطاع" in get(client, url).content.decode()
        # The same Redis, the same prefix: its entries are all still there.

        back = get(client, url)
        assert back["X-Cache"] == "miss" and "ملخص كتب أثناء الانقطاع" in back.content.decode()
        assert get(client, url)["X-Cache"] in ("miss", "hit")  # kept again from here on
        assert not pagecache._Owed.owed
    finally:
        pagecache._Owed.owed = False


def test_after_a_failed_connection_none_is_tried_for_a_pause(redis_down):
    """On a host gone silent each attempt costs the connect timeout: after one fails, the calls of the next few
    seconds fail at once (newsroom.cache.PausingPool)."""
    import redis
    from django.core.cache import cache

    with pytest.raises(redis.exceptions.ConnectionError, match="refused"):
        cache.get("any")
    with pytest.raises(redis.exceptions.ConnectionError, match="not tried again yet"):
        cache.get("any")
    with pytest.raises(redis.exceptions.ConnectionError, match="not tried again yet"):
        cache.set("any", 1)


def test_a_story_page_stored_as_the_cache_goes_away_is_still_answered(committed, redis_down, settings, rf):
    """The store path (web/assembled.py) fills the page's menu for the generation: not known now, a menu is read
    for this page alone."""
    from articles.web import views

    settings.NEWSROOM_STORED_PAGES = True
    article = published(committed)
    request = rf.get(article.get_absolute_url(), headers={"accept-language": "ar"})
    request.store_page = True

    response = views.article_detail(request, article.pk, article.slug)

    assert response.status_code == 200 and "خبر منشور" in response.content.decode()
