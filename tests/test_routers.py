"""The database router: the public's reads of published content from the replica alias, everything else from the
primary. The replica here is a second alias on the test database (DATABASES["replica"] with TEST MIRROR
"default", as DATABASE_REPLICA_URL makes it), so each test sees which alias answered."""

import time

import pytest
from django.db import connections, router, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from articles.models import Article
from newsroom.routers import REPLICA, replica_reads

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """DATABASES["replica"] on the test database, unless the environment configured one (DATABASE_REPLICA_URL)."""
    if REPLICA in connections.settings:
        yield
        return
    primary = connections["default"].settings_dict
    connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def _no_lag(settings):
    """The lag rule is tested on its own; elsewhere the replica may answer right after a change."""
    settings.NEWSROOM_REPLICA_LAG_SECONDS = 0


def get(path="/", **headers):
    return RequestFactory().get(path, headers=headers)


class Queries:
    """The statements each alias ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    def on(self, alias: str, table: str) -> int:
        captured = self.replica if alias == REPLICA else self.primary
        return sum(table in query["sql"] for query in captured.captured_queries)


# The rule


def test_reads_go_to_the_primary_outside_replica_reads():
    assert Article.objects.all().db == "default"


def test_an_anonymous_get_inside_replica_reads_reads_the_replica():
    with replica_reads(get(), changed_at=0) as used:
        assert used
        assert Article.objects.all().db == REPLICA
    assert Article.objects.all().db == "default"


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(get(Authorization="Token abc"), id="a token"),
        pytest.param(get(Cookie="sessionid=abc"), id="a session cookie"),
        pytest.param(RequestFactory().post("/"), id="a POST"),
    ],
)
def test_a_request_with_credentials_or_a_write_reads_the_primary(request_):
    with replica_reads(request_, changed_at=0) as used:
        assert not used
        assert Article.objects.all().db == "default"


def test_reads_inside_a_transaction_go_to_the_primary():
    with replica_reads(get(), changed_at=0), transaction.atomic():
        assert Article.objects.all().db == "default"


def test_writes_go_to_the_primary_even_from_an_object_read_on_the_replica(seed_story):
    with replica_reads(get(), changed_at=0):
        article = Article.objects.get(pk=seed_story.pk)
        assert article._state.db == REPLICA
        assert router.db_for_write(Article, instance=article) == "default"
        with Queries() as queries:
            Article.objects.filter(pk=article.pk).update(byline="x")
    assert queries.on("default", "UPDATE") == 1 and queries.on(REPLICA, "UPDATE") == 0


def test_reads_stay_on_the_primary_for_the_replicas_lag_after_a_change(settings):
    settings.NEWSROOM_REPLICA_LAG_SECONDS = 5
    with replica_reads(get(), changed_at=time.time() - 1) as used:
        assert not used
    with replica_reads(get(), changed_at=time.time() - 6) as used:
        assert used


def test_the_lag_is_measured_from_the_page_caches_record_of_the_last_change(settings, seed_story):
    settings.NEWSROOM_REPLICA_LAG_SECONDS = 60
    with replica_reads(get()) as used:  # seed_story was just published
        assert not used


def test_without_a_replica_every_read_goes_to_the_primary(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA)
    with replica_reads(get(), changed_at=0) as used:
        assert not used
        assert Article.objects.all().db == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "articles", model_name="article")
    assert not router.allow_migrate(REPLICA, "articles", model_name="article")


# The doors that enter it


def test_a_public_page_is_rendered_from_the_replica_on_a_cache_miss_and_a_hit_reads_no_database(client, seed_story):
    with Queries() as miss:
        assert client.get(seed_story.get_absolute_url()).headers["X-Cache"] == "miss"
    assert miss.on(REPLICA, "articles_part") >= 1
    assert miss.on("default", "articles_part") == 0
    with Queries() as hit:
        assert client.get(seed_story.get_absolute_url()).headers["X-Cache"] == "hit"
    assert hit.replica.captured_queries == []


def test_a_page_asked_with_a_session_cookie_is_rendered_from_the_primary(client, seed_story):
    client.cookies["sessionid"] = "an-editors-session"
    with Queries() as queries:
        assert client.get(seed_story.get_absolute_url()).status_code == 200
    assert queries.replica.captured_queries == []
    assert queries.on("default", "articles_part") >= 1


def test_the_anonymous_api_reads_the_replica(api, seed_story):
    with Queries() as queries:
        assert api.get("/api/v1/articles/").status_code == 200
        assert api.get(f"/api/v1/articles/{seed_story.pk}/?format=ninjs").status_code == 200
    assert queries.on(REPLICA, "articles_part") >= 2  # the stories' parts, for the list and for the story
    assert queries.on("default", "articles_part") == 0  # the primary only says when the next story goes live


def test_a_client_with_a_token_reads_and_writes_the_primary(api, editor, seed_story):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    with Queries() as queries:
        assert api.get(f"/api/v1/articles/{seed_story.pk}/").status_code == 200
        assert api.patch(f"/api/v1/articles/{seed_story.pk}/", {"byline": "x"}, format="json").status_code == 200
    assert queries.replica.captured_queries == []
    assert queries.on("default", "UPDATE") >= 1


# A lost replica


@pytest.fixture
def unreachable_replica(monkeypatch, settings):
    """The replica alias unreachable, the process not having given up on it yet; yields the connection
    attempts. On PostgreSQL it points at a closed port; SQLite's in-memory test database cannot be closed
    (Django ignores the request), so there connecting fails as a lost server makes it fail."""
    import socket

    from django.db import OperationalError

    from newsroom import routers

    connection = connections[REPLICA]
    attempts = []
    if connection.vendor == "postgresql":
        connection.close()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]  # free once the socket closes: nothing listens there
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", str(port))
        monkeypatch.setitem(connection.settings_dict, "OPTIONS", {"connect_timeout": 2})
        real = connection.ensure_connection
        monkeypatch.setattr(connection, "ensure_connection", lambda: attempts.append(1) or real())
    else:

        def refused():
            attempts.append(1)
            raise OperationalError("unable to open database file")

        monkeypatch.setattr(connection, "ensure_connection", refused)
    monkeypatch.setattr(routers, "_replica_down_until", 0.0)
    settings.NEWSROOM_REPLICA_RETRY_SECONDS = 30
    yield attempts
    monkeypatch.undo()
    connection.close()


def test_an_unreachable_replica_is_left_alone_and_the_primary_serves(unreachable_replica, seed_story):
    """The public's reads go to the primary, and the process does not try the replica again until the retry
    time is up."""
    from newsroom import routers

    with replica_reads(get(), changed_at=0) as used, CaptureQueriesContext(connections["default"]) as primary:
        assert not used
        assert Article.objects.filter(pk=seed_story.pk).exists()
    assert sum("articles_article" in query["sql"] for query in primary.captured_queries) == 1
    assert len(unreachable_replica) == 1
    with replica_reads(get(), changed_at=0) as used:
        assert not used
    assert len(unreachable_replica) == 1  # not tried again within the retry time
    routers._replica_down_until = time.monotonic() - 1
    with replica_reads(get(), changed_at=0) as used:
        assert not used
    assert len(unreachable_replica) == 2  # tried again once it was up


def test_a_public_page_is_served_from_the_primary_while_the_replica_is_lost(client, unreachable_replica, seed_story):
    response = client.get(seed_story.get_absolute_url())
    assert response.status_code == 200
    assert seed_story.headline in response.content.decode()


def test_healthz_reports_the_replica(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "replica": "ok"}


def test_a_lost_replica_is_reported_but_the_server_stays_in_the_balancer(client, unreachable_replica):
    """Without its replica a server still serves, from the primary: taking it out of the load balancer for
    that would take every server out at once."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "replica": "failed"}


def test_while_the_cache_cannot_be_reached_the_anonymous_api_reads_the_primary(api, seed_story):
    """The replica's lag is judged by the time of the last change, which the cache keeps: not known, so the
    primary answers (docs/caching.md, "When Redis cannot be reached")."""
    from django.test import override_settings

    from articles.services import pagecache

    nowhere = {"default": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    try:
        with override_settings(CACHES=nowhere), Queries() as queries:
            assert api.get(f"/api/v1/articles/{seed_story.pk}/?format=ninjs").status_code == 200
    finally:
        pagecache._Owed.owed = False
    assert queries.on(REPLICA, "articles_") == 0 and queries.on("default", "articles_") >= 1
