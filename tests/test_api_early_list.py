"""The public's story list kept in the pages' cache (articles/api/early.py): answered with the view's headers and
bytes, before the view, for exactly the requests the view would answer alike, and never once anything it shows
has changed."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from articles.api.stories import ArticleViewSet
from articles.models import Article, Source
from articles.services import annotations as annotation_services
from articles.services import pagecache, stories, workflow
from articles.services import parts as part_services
from articles.services import sources as source_services
from articles.services.stories import Credit

from .test_api_early import REQUESTS  # the same kinds of request the story is answered early for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
WITHOUT_EARLY = [name for name in settings.MIDDLEWARE if name != "articles.api.early.StoredAnswerMiddleware"]
UNCOMPARED = {"X-Request-ID", "Date", "X-Cache"}


@pytest.fixture
def published(committed):
    def publish(headline="استئناف المحادثات", body="الفقرة الأولى عن المحادثات.", **extra):
        if not Source.objects.filter(slug="sputnik").exists():
            source_services.create_source(name="سبوتنيك", kind="agency", slug="sputnik")
        with committed():
            return stories.create_story(
                headline=headline,
                section="سياسة",
                credits=[Credit(source="sputnik")],
                parts=[part_services.NewPart(body=body)],
                publish=True,
                **extra,
            )

    return publish


@pytest.fixture
def listed(published):
    """Three public stories and a draft."""
    shown = [published(headline=f"الخبر رقم {n}", body=f"نص الخبر رقم {n}.") for n in range(3)]
    stories.create_story(headline="مسودة لا تظهر", parts=[part_services.NewPart(body="نص.")])
    return shown


@pytest.fixture
def view_not_reached(monkeypatch):
    def reached(*args, **kwargs):
        raise AssertionError("the view answered")

    monkeypatch.setattr(ArticleViewSet, "dispatch", reached)


def whole(response) -> tuple:
    headers = {name: value for name, value in response.headers.items() if name not in UNCOMPARED}
    if response.get("Content-Type", "").startswith("text/html"):  # the browsable API: a new token each time
        return response.status_code, headers
    return response.status_code, headers, response.content


def view_answer(path, **headers):
    """The view's own answer to the request (the early middleware left out), from a client of its own."""
    with override_settings(MIDDLEWARE=WITHOUT_EARLY):
        return Client().get(path, headers=headers)


def headlines(response) -> list[str]:
    body = response.json()
    if isinstance(body, list):  # ninjs: a plain array
        return [story["headlines"][0]["value"] for story in body]
    return [story["headline"] for story in body["results"]]


@pytest.mark.parametrize(("query", "headers"), REQUESTS)
def test_a_kept_list_is_the_view_s_answer_in_one_statement(client, listed, query, headers, django_assert_num_queries):
    first = client.get(LIST + query, headers=headers)
    with django_assert_num_queries(1):  # the listed stories' page versions
        kept = client.get(LIST + query, headers=headers)

    assert (first["X-Cache"], kept["X-Cache"]) == ("miss", "hit")
    assert whole(kept) == whole(first) == whole(view_answer(LIST + query, **headers))
    assert kept.status_code == 200 and len(headlines(kept)) == 3
    assert not kept.cookies and "Cookie" in kept["Vary"]  # as the view says it: DRF reads the session


def test_a_kept_list_is_answered_before_the_view(client, listed, monkeypatch):
    client.get(LIST)
    monkeypatch.setattr(ArticleViewSet, "dispatch", mock.Mock(side_effect=AssertionError("the view answered")))
    assert client.get(LIST)["X-Cache"] == "hit"


def test_each_page_of_the_list_is_kept_with_its_own_links(client, published, settings):
    settings.NEWSROOM_API_PAGE_SIZE = 2
    for n in range(5):
        published(headline=f"قصة {n}", body=f"نص القصة {n}.")
    first = client.get(LIST)
    second_page = first.json()["next"]
    assert second_page.startswith("http://testserver/api/v1/articles/?cursor=")

    following = client.get(second_page)
    assert following["X-Cache"] == "miss" and client.get(second_page)["X-Cache"] == "hit"
    assert headlines(following) != headlines(first)
    assert whole(client.get(second_page)) == whole(view_answer(second_page))
    ninjs = client.get(LIST + "?format=ninjs")
    assert client.get(LIST + "?format=ninjs")["Link"] == ninjs["Link"] and 'rel="next"' in ninjs["Link"]


def test_each_host_keeps_its_own_addresses(client, listed):
    with override_settings(ALLOWED_HOSTS=["news.example", "testserver"]):
        here = client.get(LIST, headers={"Host": "news.example"})
        kept = client.get(LIST, headers={"Host": "news.example"})
        other = client.get(LIST)
    assert kept["X-Cache"] == "hit" and other["X-Cache"] == "miss"
    assert kept.json()["results"][0]["url"].startswith("http://news.example/")
    assert other.json()["results"][0]["url"].startswith("http://testserver/")
    assert here.content == kept.content


# Exact: every change the list shows is in the next answer


def test_a_new_story_an_edit_and_a_retraction_show_at_once(client, listed, published, committed):
    client.get(LIST)
    new = published(headline="خبر عاجل جديد")
    assert headlines(client.get(LIST))[0] == "خبر عاجل جديد"

    with committed():
        stories.edit_story(article=new, changes={"headline": "عنوان معدل"})
    assert headlines(client.get(LIST))[0] == "عنوان معدل"

    with committed():
        workflow.transition(article=new.pk, name="retract", note="خطأ في الخبر")
    answer = client.get(LIST).json()["results"][0]
    assert answer["status"] == "retracted" and answer["parts"] == [] and client.get(LIST)["X-Cache"] == "hit"


def test_an_annotation_moves_the_list_on_though_the_generation_stays(client, listed, committed, editor):
    """An annotation moves its story's page version, not the pages' generation: the kept list checks it."""
    shown = listed[0]
    counted = {story["id"]: story["annotations"]["count"] for story in client.get(LIST).json()["results"]}
    assert counted[shown.pk] == 0 and client.get(LIST)["X-Cache"] == "hit"
    generation = pagecache.state()[0]

    with committed():
        note = annotation_services.create_annotation(
            article=shown, part_number=1, exact="نص الخبر", body="ملاحظة المحرر", by=editor
        )
    assert pagecache.state()[0] == generation
    after = client.get(LIST)
    assert after["X-Cache"] == "miss"
    assert {story["id"]: story["annotations"]["count"] for story in after.json()["results"]}[shown.pk] == 1
    assert whole(client.get(LIST)) == whole(view_answer(LIST))

    with committed():
        annotation_services.delete_annotation(annotation=note, by=editor)
    gone = client.get(LIST).json()["results"]
    assert {story["id"]: story["annotations"]["count"] for story in gone}[shown.pk] == 0


def test_a_source_renamed_shows_at_once(client, listed, committed):
    client.get(LIST)
    source = Source.objects.get(slug="sputnik")
    with committed():
        source_services.update_source(source=source, changes={"name": "وكالة سبوتنيك"})
    names = [credit["name"] for credit in client.get(LIST).json()["results"][0]["sources"]]
    assert names == ["وكالة سبوتنيك"]


def test_a_deleted_story_leaves_the_list_at_once(client, listed, committed):
    client.get(LIST)
    with committed():
        stories.delete_story(article=listed[-1])
    assert len(headlines(client.get(LIST))) == 2


def test_a_scheduled_story_joins_the_list_on_time(client, listed, committed):
    with committed():
        article = stories.create_story(headline="خبر مجدول للنشر", parts=[part_services.NewPart(body="نص.")])
        workflow.transition(article=article, name="publish", at=timezone.now() + timedelta(hours=1))
    assert "خبر مجدول للنشر" not in headlines(client.get(LIST))
    assert client.get(LIST)["X-Cache"] == "hit"

    later = timezone.now() + timedelta(hours=1, seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert headlines(client.get(LIST))[0] == "خبر مجدول للنشر"


def test_a_list_rendered_while_a_story_changed_is_never_answered(client, listed, published, monkeypatch):
    """The generation is read before the render: a change committed during it leaves the list kept under a
    generation that is no longer current."""
    render = ArticleViewSet.list

    def list_then_publish(self, request, *args, **kwargs):
        response = render(self, request, *args, **kwargs)
        monkeypatch.setattr(ArticleViewSet, "list", render)
        published(headline="نشر أثناء العرض")
        return response

    monkeypatch.setattr(ArticleViewSet, "list", list_then_publish)
    stale = client.get(LIST)
    assert "نشر أثناء العرض" not in headlines(stale)
    fresh = client.get(LIST)
    assert fresh["X-Cache"] == "miss" and headlines(fresh)[0] == "نشر أثناء العرض"


# What the view answers otherwise, the rate limit, hostile requests


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", {"Accept": "text/html"}),  # the browsable API
        ("?format=api", {}),
        ("", {"Accept": "application/json; indent=4"}),
        ("?language=ar", {}),  # a filter
        ("?q=المحادثات", {}),  # a search
        ("?page_size=2", {}),
        ("?ordering=-updated_at", {}),
        ("?cursor=a&cursor=b", {}),
        ("?cursor=" + "x" * 201, {}),
        ("?cursor=not-a-cursor", {}),
        ("?cursor=%3Cscript%3Ealert(1)%3C/script%3E", {}),
        ("?cursor=%E2%80%AEcba", {}),  # a right-to-left override
        ("?cursor=%00", {}),  # a NUL: refused before the list is looked for
        ("?cursor=%FF%FE", {}),  # not UTF-8
        ("?format=json&format=ninjs", {}),
        ("", {"Authorization": "Token not-a-token"}),
    ],
)
def test_what_the_view_answers_otherwise_is_never_kept(client, listed, query, headers):
    for _ in range(2):
        answer = client.get(LIST + query, headers=headers)
        assert "X-Cache" not in answer and answer.status_code < 500
    assert whole(answer) == whole(view_answer(LIST + query, **headers))


def test_a_reader_with_a_session_or_an_editor_is_answered_by_the_view(client, listed, editor, committed):
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale"
    assert "X-Cache" not in client.get(LIST) and "X-Cache" not in client.get(LIST)

    draft = Article.objects.get(headline="مسودة لا تظهر")
    client.force_login(editor)
    shown = [story["id"] for story in client.get(LIST).json()["results"]]
    assert draft.pk in shown and "X-Cache" not in client.get(LIST)
    client.logout()
    assert draft.pk not in [story["id"] for story in Client().get(LIST).json()["results"]]


def test_the_rate_limit_counts_each_request_once_kept_or_not(client, listed, throttle_rates):
    throttle_rates(anon="3/minute")
    cache.clear()
    assert client.get(LIST)["X-Cache"] == "miss"
    assert client.get(LIST)["X-Cache"] == "hit"
    assert client.get(LIST + "?language=ar").status_code == 200  # the view
    refused = client.get(LIST)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0 and refused.json()["detail"]


def test_a_client_over_its_rate_costs_no_statement(client, listed, throttle_rates, django_assert_num_queries):
    throttle_rates(anon="1/minute")
    cache.clear()
    assert client.get(LIST).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(LIST).status_code == 429


def test_an_empty_list_is_kept_and_left_by_the_first_story(client, published, django_assert_num_queries):
    assert client.get(LIST).json()["results"] == []
    with django_assert_num_queries(0):
        assert client.get(LIST)["X-Cache"] == "hit"
    published(headline="أول خبر")
    assert headlines(client.get(LIST)) == ["أول خبر"]


def test_on_redis_a_list_kept_by_one_server_is_answered_by_another_and_stays_exact(
    redis_cache, client, listed, committed, editor
):
    """Kept lists are in the shared cache: another server (another process's memory) answers the list one server
    rendered, and an annotation made through either moves it on for both."""
    from newsroom.cache import RedisCache

    pagecache.bump()
    assert client.get(LIST)["X-Cache"] == "miss"
    key = next(iter(redis_cache._cache.get_client().keys(f"{redis_cache.key_prefix}*newsroom:pages:page:*")))
    another_server = RedisCache(redis_cache._servers[0], {"KEY_PREFIX": redis_cache.key_prefix})
    kept_there = another_server.get(key.decode().split(":", 2)[2])
    assert {pk for pk, _page_version in kept_there[4]} == {story.pk for story in listed}  # what it checks
    assert client.get(LIST)["X-Cache"] == "hit"

    with committed():
        annotation_services.create_annotation(
            article=listed[1], part_number=1, exact="نص الخبر", body="ملاحظة", by=editor
        )
    after = client.get(LIST)
    assert after["X-Cache"] == "miss"
    assert {story["id"]: story["annotations"]["count"] for story in after.json()["results"]}[listed[1].pk] == 1
