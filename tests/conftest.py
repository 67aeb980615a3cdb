"""Shared fixtures: paths to the seed and the licensed corpus, users with the editors' permissions."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "articles" / "fixtures" / "seed" / "csto-karabakh-2020-09-28.txt"
SAMPLES = ROOT / "tests" / "fixtures" / "wire"
# The real corpus is licensed for testing only: read from ../shared beside the checkout, never copied in.
CORPUS = ROOT.parent / "shared" / "wire"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def seed_story(seed_text):
    """The seed story, ingested and published as `make run`'s demo content is (by the system)."""
    from articles.services.ingest import ingest

    return ingest(text=seed_text, publish=True).article


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "expected.json").exists():
        pytest.skip(f"the licensed wire corpus is not at {CORPUS} (CI has it beside the checkout)")
    return CORPUS


@pytest.fixture
def editor(django_user_model):
    """A staff member with every permission on stories and sources, as the demo editor has."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="editor", password="pw-editor-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _english_unless_asked(request, settings):
    """Tests read messages in English, the catalogues' source language; the product's default (Arabic) is
    tested by the tests marked `arabic_default`, and every message's Arabic by test_api_messages.py."""
    if "arabic_default" not in request.keywords:
        settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Tests log users in often; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling counts live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # DRF's own messages follow Accept-Language
    return client


@pytest.fixture
def editor_api(api, editor):
    api.force_authenticate(editor)
    return api


@pytest.fixture
def throttle_rates(monkeypatch):
    """Set the API's throttle rates for one test: throttle_rates(anon="2/minute")."""
    from rest_framework.throttling import SimpleRateThrottle

    def set_rates(**rates):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None, **rates})

    return set_rates


@pytest.fixture
def role(django_user_model):
    """role("Reporter") → a staff user in that newsroom group (as the migrations define it)."""
    from django.contrib.auth.models import Group

    def make(name, username=None):
        user = django_user_model.objects.create_user(username or name.lower(), password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        return user

    return make


@pytest.fixture
def page_reads():
    """page_reads(n): a block in which a public page reads with at most n statements, and writes at most its
    stored rendering (web/assembled.py: the first render after a change stores the page, one write beside the
    page's budget; the savepoint a test's transaction puts around it is not counted)."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def at_most(n):
        with CaptureQueriesContext(connection) as captured:
            yield
        run = [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]
        writes = [sql for sql in run if not sql.startswith("SELECT")]
        assert len(run) - len(writes) <= n, "\n\n".join(run)
        assert all(sql.startswith('INSERT INTO "articles_storedpage"') for sql in writes) and len(writes) <= 1, writes

    return at_most


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the writes inside as if their transaction committed, so the followers of the
    story-change announcement (search, stored representations, the pages' cache …) hear them; the test
    database never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def announcements(django_capture_on_commit_callbacks):
    """A test receiver of story changes: the list of (article_id, version, what) announced after commit.

    Use inside `with django_capture_on_commit_callbacks(execute=True):` (the test database never commits),
    or call announcements.flush() to run the captured callbacks."""
    from articles.services import changes

    heard = []

    def receiver(*, article_id, version, what):
        heard.append((article_id, version, what))

    changes.receiver(receiver)
    yield heard
    changes.disconnect(receiver)


def _needed(reason: str) -> None:
    """Skip with the reason on a laptop without the service; in CI (CI=true) the service must be there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_cache(settings):
    """The cache on the Redis server at 127.0.0.1:6379 (REDIS_TEST_URL), under a prefix of this test's own."""
    import uuid

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:  # any failure to reach it means "absent"
        _needed(f"no Redis at {url} ({error.__class__.__name__})")
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"newsroom-test-{uuid.uuid4().hex}",
        }
    }
    yield caches["default"]
    caches["default"].clear()
