"""The public's story answered early from its stored representation (articles/api/early.py): the same status,
headers and bytes as the view gives, in one statement, for exactly the requests the view would answer alike."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from articles.api.stories import ArticleViewSet
from articles.models import StoredRepresentation
from articles.services import parts as part_services
from articles.services import stories

pytestmark = pytest.mark.django_db

WITHOUT_EARLY = [name for name in settings.MIDDLEWARE if name != "articles.api.early.StoredAnswerMiddleware"]
UNCOMPARED = {"X-Request-ID", "Date"}


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return stories.create_story(
            headline="استئناف المحادثات",
            section="سياسة",
            parts=[part_services.NewPart(body="الفقرة الأولى عن المحادثات.")],
            publish=True,
        )


def answered_early(response) -> bool:
    """Answered before SessionMiddleware, which gives every request it sees a `session`."""
    return not hasattr(response.wsgi_request, "session")


def whole(response) -> tuple:
    headers = {name: value for name, value in response.headers.items() if name not in UNCOMPARED}
    if response.get("Content-Type", "").startswith(
        "text/html"
    ):  # the browsable API: its form carries a new token each time
        return response.status_code, headers
    return response.status_code, headers, response.content


def both(client, method, path, **headers):
    """(the early answer, the view's answer) to the same request, the rate limits emptied before each. The
    view's comes from a client of its own: a client builds its middleware chain once, at its first request."""
    cache.clear()
    early = getattr(client, method)(path, headers=headers)
    cache.clear()
    with override_settings(MIDDLEWARE=WITHOUT_EARLY):
        other = Client()
        other.cookies = client.cookies
        view = getattr(other, method)(path, headers=headers)
    return early, view


@pytest.fixture
def early_only(monkeypatch):
    """Fail the test if the view is reached."""

    def reached(*args, **kwargs):
        raise AssertionError("the view answered")

    monkeypatch.setattr(ArticleViewSet, "dispatch", reached)


REQUESTS = [
    ("", {}),
    ("", {"Accept": "*/*"}),
    ("", {"Accept": "application/json"}),
    ("", {"Accept": "application/ninjs+json"}),
    ("?format=json", {}),
    ("?format=ninjs", {}),
    ("?format=ninjs", {"Accept": "*/*"}),
    ("", {"Accept-Language": "ar"}),
    ("", {"Accept-Language": "en-GB,en;q=0.8"}),
]


@pytest.mark.parametrize(("query", "headers"), REQUESTS)
@pytest.mark.parametrize("method", ["get", "head"])
def test_the_early_answer_is_the_view_s_in_one_statement(
    client, story, query, headers, method, django_assert_num_queries
):
    path = f"/api/v1/articles/{story.pk}/{query}"
    early, view = both(client, method, path, **headers)
    assert answered_early(early) and not answered_early(view)
    assert whole(early) == whole(view)
    assert early.status_code == 200 and early["Content-Language"]
    cache.clear()
    with django_assert_num_queries(1):
        getattr(client, method)(path, headers=headers)


@pytest.mark.parametrize("query", ["", "?format=ninjs"])
def test_not_modified_is_answered_early_as_the_view_answers_it(client, story, query, early_only):
    path = f"/api/v1/articles/{story.pk}/{query}"
    tag = client.get(path)["ETag"]
    early = client.get(path, headers={"If-None-Match": tag})
    assert (early.status_code, early["ETag"], early.content) == (304, tag, b"")


def test_not_modified_matches_the_view_s_headers(client, story):
    path = f"/api/v1/articles/{story.pk}/"
    tag = client.get(path)["ETag"]
    early, view = both(client, "get", path, **{"If-None-Match": tag})
    assert whole(early) == whole(view) and early.status_code == 304


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", {"Accept": "text/html"}),  # the browsable API
        ("?format=api", {}),
        ("", {"Accept": "application/json; indent=4"}),
        ("?format=ninjs", {"Accept": "application/json"}),  # DRF refuses this pair: 406
        ("?format=xml", {}),
        ("?language=ar", {}),  # a filter: the general path
        ("?format=json&format=ninjs", {}),
        ("", {"Authorization": "Token not-a-token"}),  # credentials, even bad ones: DRF answers 401
        ("", {"Cookie": f"{settings.SESSION_COOKIE_NAME}=stale"}),
    ],
)
def test_what_the_view_could_answer_otherwise_goes_to_the_view(client, story, query, headers):
    path = f"/api/v1/articles/{story.pk}/{query}"
    cookie = headers.pop("Cookie", None)
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = "stale"
    early, view = both(client, "get", path, **headers)
    assert not answered_early(early)
    assert whole(early) == whole(view)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/0/",
        "/api/v1/articles/99999999999999999999999/",
        "/api/v1/articles/-1/",
        "/api/v1/articles/abc/",
        "/api/v1/articles/%D9%A1/",  # an Arabic-Indic digit one
        "/api/v1/articles/1/parts/",
    ],
)
def test_hostile_ids_are_answered_by_the_view(client, story, path):
    early, view = both(client, "get", path)
    assert whole(early) == whole(view)
    assert early.status_code < 500


def test_a_draft_a_stale_or_a_missing_representation_is_the_view_s(client, story, django_capture_on_commit_callbacks):
    draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body="نص.")])
    early, view = both(client, "get", f"/api/v1/articles/{draft.pk}/")
    assert whole(early) == whole(view) and early.status_code == 404

    StoredRepresentation.objects.all().delete()
    early, view = both(client, "get", f"/api/v1/articles/{story.pk}/")
    assert whole(early) == whole(view) and early.status_code == 200


def test_the_rate_limit_counts_both_ways_alike(client, story, throttle_rates):
    throttle_rates(anon="3/minute")
    cache.clear()
    path = f"/api/v1/articles/{story.pk}/"
    assert client.get(path).status_code == 200  # early
    assert client.get(f"{path}?language=ar").status_code == 200  # the view
    assert client.get(path).status_code == 200  # early
    refused = client.get(path)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["detail"]


def test_each_host_gets_its_own_addresses_early(client, story):
    with override_settings(ALLOWED_HOSTS=["news.example"]):
        early, view = both(client, "get", f"/api/v1/articles/{story.pk}/", **{"Host": "news.example"})
    assert whole(early) == whole(view)
    assert early.json()["url"].startswith("http://news.example/")


def test_a_request_the_view_answers_after_all_is_counted_once(client, story, throttle_rates):
    throttle_rates(anon="2/minute")
    cache.clear()
    path = f"/api/v1/articles/{story.pk}/"
    StoredRepresentation.objects.all().delete()
    first = client.get(path)  # counted early, then answered by the view (nothing stored yet), which stores it
    assert first.status_code == 200 and not answered_early(first)
    second = client.get(path)
    assert second.status_code == 200 and answered_early(second)
    assert client.get(path).status_code == 429


def test_a_client_over_its_rate_costs_no_statement(client, story, throttle_rates, django_assert_num_queries):
    throttle_rates(anon="1/minute")
    cache.clear()
    path = f"/api/v1/articles/{story.pk}/"
    assert client.get(path).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 429


def test_a_client_with_credentials_is_answered_by_the_view(story, editor, django_capture_on_commit_callbacks):
    """An editor sees a retracted story's withheld text; the public's stored representation never answers them,
    whether they sign their requests with a token or are authenticated by DRF's test client."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from articles.services import workflow

    body = "الفقرة الأولى عن المحادثات."
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article=story.pk, name="retract", note="سحب الخبر")
    path = f"/api/v1/articles/{story.pk}/"
    assert APIClient().get(path).json()["parts"] == []

    forced = APIClient()
    forced.force_authenticate(editor)
    signed = APIClient()
    signed.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    for client in (forced, signed):
        response = client.get(path)
        assert not answered_early(response)
        assert response.json()["parts"][0]["body"] == body
