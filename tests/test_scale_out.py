"""Two application servers on one PostgreSQL and one Redis, as docs/deploy.md ("Scale-out") deploys them: an edit
through one is visible at once through the other, cached pages included, and a rate limit counts the requests
to both. Each server reads the public's pages from a replica alias (the same database under another name).

The servers are gunicorn in the production profile (plain http) on a throwaway database of their own, migrated
for the test, and a key prefix of their own in Redis; nothing of the test run's own database is shared."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest

from .conftest import ROOT, SEED, _needed

KEY = "a-scale-out-key-for-the-tests-only-" + "Rk3Tq9Lm2Vz7Wd5Pb8Nh1Jc4Gf6Sy0X" * 2
REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
SETUP = """
import json
from pathlib import Path
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from articles.services.ingest import ingest
editor = User.objects.create_superuser("scale-editor", password="unused-password-1")
story = ingest(text=Path(%r).read_text(encoding="utf-8"), publish=True).article
print(json.dumps({"token": Token.objects.create(user=editor).key, "id": story.pk}))
"""


def postgres_server() -> str:
    """The PostgreSQL server the test run uses, else the one on 127.0.0.1:5432; as a URL without a database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def database():
    """A database of the test's own on the PostgreSQL server, dropped afterwards."""
    server = postgres_server()
    name = f"newsroom_scale_out_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        _needed(f"no PostgreSQL at {server} ({error.__class__.__name__})")
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield f"{server}/{name}"
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def redis_prefix():
    """A key prefix in the Redis the servers share, emptied afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        _needed(f"no Redis at {REDIS} ({error.__class__.__name__})")
    prefix = f"newsroom-scale-out-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def environment(database: str, prefix: str) -> dict[str, str]:
    """The production profile over plain http, with Redis and a low comment limit (each server adds its
    replica alias)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "NEWSROOM_STATIC_MANIFEST": "false",
        "DJANGO_CONN_MAX_AGE": "60",
        "DATABASE_URL": f"{database}?application_name=newsroom-primary",
        # The replica is the primary itself here: no lag to wait out.
        "NEWSROOM_REPLICA_LAG_SECONDS": "0",
        "REDIS_URL": REDIS,
        "NEWSROOM_CACHE_PREFIX": prefix,
        "NEWSROOM_COMMENTS_RATE_IP": "2/minute",
    }


def manage(env: dict[str, str], *args: str) -> str:
    process = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return process.stdout


def call(port: int, method: str, path: str, *, body: bytes | None = None, headers=None, follow: bool = True):
    """(status, headers, text) of one request; a GET follows one redirect (a story's slug follows its headline)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode("utf-8")
    finally:
        connection.close()
    if follow and method == "GET" and response.status in (301, 302):
        return call(port, "GET", urlsplit(response.headers["Location"]).path, headers=headers, follow=False)
    return response.status, response.headers, text


def wait_until_healthy(port: int, server: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            if call(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn on port {port} was not healthy within a minute:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def servers(database, redis_prefix, tmp_path_factory):
    """Two gunicorn servers (2 workers each) on one database and one Redis; yields their ports and the setup."""
    env = environment(database, redis_prefix)
    ports, processes = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = tmp_path_factory.mktemp("scale-out") / f"{name}.log"
            # Each server's replica connections carry its name, so the test can tell who read the replica.
            replica = f"{database}?application_name=newsroom-replica-{name}"
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
                cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "DATABASE_REPLICA_URL": replica},
                stdout=subprocess.DEVNULL,
                stderr=log.open("w"),
            )
            ports.append(port)
            processes.append((process, log))
        manage(env, "migrate", "--noinput", "--verbosity", "0")  # while the servers start
        setup = json.loads(manage(env, "shell", "--no-imports", "-c", SETUP % str(SEED)))
        for port, (process, log) in zip(ports, processes, strict=True):
            wait_until_healthy(port, process, log)
        yield ports, setup
    finally:
        for process, _log in processes:
            process.terminate()
        for process, _log in processes:
            process.wait(timeout=30)


def replica_readers(database: str) -> set[str]:
    """The servers holding a connection to the database under their replica alias's name."""
    server, name = database.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", connect_timeout=3) as probe:
        rows = probe.execute(
            "SELECT application_name FROM pg_stat_activity WHERE datname = %s AND application_name LIKE %s",
            [name, "newsroom-replica-%"],
        ).fetchall()
    return {row[0].removeprefix("newsroom-replica-") for row in rows}


def test_an_edit_through_one_server_is_seen_at_once_through_the_other_cached_pages_included(servers, database):
    (a, b), setup = servers
    story, token = f"/articles/{setup['id']}/", setup["token"]
    # A renders the story page and the home page, and B serves A's copies: one cache for both. Both are asked
    # under one address, as behind a load balancer (each host keeps its own copy: the pages' links are absolute).
    host = {"Host": "127.0.0.1"}
    assert [call(a, "GET", path, headers=host)[1]["X-Cache"] for path in (story, "/")] == ["miss", "miss"]
    assert [call(b, "GET", path, headers=host)[1]["X-Cache"] for path in (story, "/")] == ["hit", "hit"]

    headline = f"عنوان جديد للخبر {uuid.uuid4().hex[:6]}"
    status, _, text = call(
        a,
        "PATCH",
        f"/api/v1/articles/{setup['id']}/",
        body=json.dumps({"headline": headline}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    assert status == 200, text

    status, headers, page = call(b, "GET", story, headers=host)
    assert status == 200 and headline in page and headers["X-Cache"] == "miss"
    assert headline in call(b, "GET", "/", headers=host)[2]
    status, _, document = call(b, "GET", f"/api/v1/articles/{setup['id']}/")
    assert status == 200 and json.loads(document)["headline"] == headline
    # The pages were rendered and the API read from the replica alias, on both servers.
    assert replica_readers(database) == {"a", "b"}


def test_a_rate_limit_counts_the_requests_to_both_servers(servers):
    (a, b), setup = servers
    path = f"/articles/{setup['id']}/comments/"

    def comment(port: int) -> int:
        form = urlencode({"name": "قارئ", "body": "تعليق قصير على الخبر من قارئ متابع."}).encode()
        headers = {"Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/x-www-form-urlencoded"}
        return call(port, "POST", path, body=form, headers=headers)[0]

    # NEWSROOM_COMMENTS_RATE_IP=2/minute: one comment through each server, then neither takes a third.
    assert [comment(a), comment(b), comment(a), comment(b)] == [302, 302, 429, 429]
