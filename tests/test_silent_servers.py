"""Servers that go silent: a PostgreSQL whose host stops answering on a kept connection, and a Redis that accepts
connections and never answers, cost a request a bounded wait instead of gunicorn's timeout (docs/deploy.md, "When
a server goes silent"; docs/caching.md, "When Redis cannot be reached")."""

import ast
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.core.cache import caches
from django.test import override_settings

from articles.services import pagecache, stories
from newsroom.cache import UNREACHABLE, PausingPool, RedisCache, near

from .conftest import ROOT, _needed
from .test_cache_unreachable import ASK_AGAIN, published
from .test_caching import get
from .test_operations import run_django
from .test_scale_out import free_port, postgres_server

LINUX = sys.platform.startswith("linux")
POSTGRESQL = "postgres://newsroom@127.0.0.1:5432/newsroom"
BOUNDS = ("tcp_user_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count")
DEFAULT_BOUNDS = {
    "tcp_user_timeout": 10_000,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
}


def options(**env: str) -> dict:
    """Each alias's DATABASES OPTIONS and the cache's OPTIONS, as a fresh process reads them from this environment
    (no server is needed to see what psycopg and redis-py would be given)."""
    code = (
        "from django.conf import settings\n"
        "print({**{alias: db['OPTIONS'] for alias, db in settings.DATABASES.items()},"
        " 'cache': settings.CACHES['default'].get('OPTIONS', {})})"
    )
    process = run_django(code, **env)
    assert process.returncode == 0, process.stderr
    return ast.literal_eval(process.stdout)


# PostgreSQL: what the settings give libpq


def test_postgresql_and_its_replica_are_given_tcp_bounds():
    found = options(DATABASE_URL=POSTGRESQL, DATABASE_REPLICA_URL=POSTGRESQL)

    for alias in ("default", "replica"):
        assert {name: found[alias][name] for name in BOUNDS} == DEFAULT_BOUNDS


def test_each_bound_is_read_from_the_environment_and_0_is_libpqs_system_default():
    found = options(
        DATABASE_URL=POSTGRESQL,
        DJANGO_DB_TCP_USER_TIMEOUT="0",
        DJANGO_DB_KEEPALIVES_IDLE="30",
        DJANGO_DB_KEEPALIVES_INTERVAL="10",
        DJANGO_DB_KEEPALIVES_COUNT="4",
    )

    assert {name: found["default"][name] for name in BOUNDS} == {
        "tcp_user_timeout": 0,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 4,
    }


def test_a_bound_in_database_url_wins():
    found = options(DATABASE_URL=f"{POSTGRESQL}?tcp_user_timeout=3000&keepalives_idle=60")

    assert found["default"]["tcp_user_timeout"] == 3000 and found["default"]["keepalives_idle"] == 60


def test_sqlite_is_given_no_tcp_bounds():
    found = options(DATABASE_URL="sqlite:///unused.sqlite3")

    assert not set(BOUNDS) & set(found["default"])


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DB_TCP_USER_TIMEOUT", "10s", "is not an integer"),
        ("DJANGO_DB_TCP_USER_TIMEOUT", "-1", "is out of range: from 0 to 2147483647"),
        ("DJANGO_DB_KEEPALIVES_IDLE", "40000", "is out of range: from 0 to 32767"),
        ("DJANGO_DB_KEEPALIVES_INTERVAL", "-5", "is out of range: from 0 to 32767"),
        ("DJANGO_DB_KEEPALIVES_COUNT", "200", "is out of range: from 0 to 127"),
        ("NEWSROOM_REDIS_TIMEOUT", "2.5", "is not an integer"),
        ("NEWSROOM_REDIS_TIMEOUT", "-2", "is out of range: 0 or more"),
    ],
)
def test_a_bound_that_cannot_be_stops_start_up_naming_the_variable(variable, value, message):
    # Unchecked, libpq would refuse every connection (setsockopt(TCP_KEEPCNT) failed) or quietly ignore the value,
    # and redis-py would fail every cache call (ValueError, not a cache unreachable): found at the first request.
    process = run_django("", DATABASE_URL=POSTGRESQL, REDIS_URL="redis://127.0.0.1:6379/0", **{variable: value})

    assert process.returncode != 0
    assert f"ImproperlyConfigured: {variable}={value!r} {message}" in process.stderr


@pytest.mark.skipif(not LINUX, reason="the socket options are read by their Linux names")
def test_a_connection_to_postgresql_carries_the_bounds_on_its_socket():
    server = f"{postgres_server()}/postgres"
    try:
        psycopg.connect(server, connect_timeout=3).close()
    except psycopg.Error as error:
        _needed(f"no PostgreSQL at {server} ({error.__class__.__name__})")
    code = (
        "import os, socket\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        "with socket.socket(fileno=os.dup(connection.connection.fileno())) as sock:\n"
        "    tcp = [socket.TCP_USER_TIMEOUT, socket.TCP_KEEPIDLE, socket.TCP_KEEPINTVL, socket.TCP_KEEPCNT]\n"
        "    found = [sock.getsockopt(socket.IPPROTO_TCP, option) for option in tcp]\n"
        "    print([found[0], sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), *found[1:]])"
    )

    default = run_django(code, DATABASE_URL=server)
    chosen = run_django(code, DATABASE_URL=server, DJANGO_DB_TCP_USER_TIMEOUT="2500", DJANGO_DB_KEEPALIVES_IDLE="7")

    assert default.returncode == 0 and chosen.returncode == 0, default.stderr + chosen.stderr
    assert ast.literal_eval(default.stdout) == [10_000, 1, 5, 2, 3]
    assert ast.literal_eval(chosen.stdout)[:3] == [2_500, 1, 7]


# PostgreSQL: a host that goes silent under a kept connection (its packets dropped), in a network of the test's own

# Run inside a new network namespace: a throwaway PostgreSQL listening on the namespace's own 127.0.0.1, then the
# Django code, which drops every packet on that loopback ("tc qdisc … blackhole") as a host gone silent would.
SILENT_HOST = r"""
set -e
ip link set lo up
runuser -u postgres -- "$INITDB" -N -A trust -U postgres -D "$DIR/data" >/dev/null
SERVER="-k $DIR -c listen_addresses=127.0.0.1 -c fsync=off"
runuser -u postgres -- "$PG_CTL" -D "$DIR/data" -l "$DIR/log" -w -o "$SERVER" start >/dev/null
trap 'runuser -u postgres -- "$PG_CTL" -D "$DIR/data" -m immediate stop >/dev/null' EXIT
"$PYTHON" -c "$CODE"
"""

CUT_OFF = r"""
import django
django.setup()
import subprocess, threading, time
from django.db import OperationalError, connection
from django.test import Client

def silence():
    subprocess.run(["tc", "qdisc", "add", "dev", "lo", "root", "blackhole"], check=True)

def restore():
    subprocess.run(["tc", "qdisc", "del", "dev", "lo", "root"], capture_output=True)

def took(call, *, silent_after):
    # Unbounded, the request would wait for the path's return: it comes back after 20 s, and the test fails on time.
    if silent_after:
        threading.Timer(silent_after, silence).start()
    else:
        silence()
    back = threading.Timer(20, restore)
    back.start()
    started = time.monotonic()
    try:
        outcome = call()
    except OperationalError:
        outcome = "OperationalError"
    elapsed = time.monotonic() - started
    back.cancel()
    restore()
    return outcome, elapsed

client = Client()
assert client.get("/healthz").status_code == 200  # the connection is opened, and kept (DJANGO_CONN_MAX_AGE)
sending = took(lambda: client.get("/healthz").status_code, silent_after=0)
connection.close()
connection.ensure_connection()
waiting = took(lambda: connection.cursor().execute("SELECT pg_sleep(1.5)") and "answered", silent_after=0.3)
print([sending, waiting])
"""


def network_of_our_own() -> dict[str, str]:
    """What SILENT_HOST needs, or a skip saying what is missing: root (a network namespace, tc), PostgreSQL's
    server programs and the postgres account to run them (the server refuses root)."""
    if not LINUX or os.geteuid() != 0:
        pytest.skip("a silent host is simulated in a network namespace of the test's own: Linux and root only")
    programs = {name: shutil.which(name) for name in ("unshare", "tc", "runuser", "initdb", "pg_ctl")}
    missing = [name for name, path in programs.items() if path is None]
    if missing:
        pytest.skip(f"a silent host needs {', '.join(missing)} (util-linux, iproute2, PostgreSQL's server programs)")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no postgres account to run a throwaway PostgreSQL server as")
    probe = subprocess.run(
        [programs["unshare"], "--net", programs["tc"], "qdisc", "add", "dev", "lo", "root", "blackhole"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"no network namespace with tc's blackhole here: {probe.stderr.strip()}")
    return {"INITDB": programs["initdb"], "PG_CTL": programs["pg_ctl"], "UNSHARE": programs["unshare"]}


def stop_left_over(directory: str) -> None:
    """Stop the throwaway server if the shell that started it was killed first (the test's own timeout)."""
    with contextlib.suppress(OSError, ValueError):
        pid = int(Path(directory, "data", "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGQUIT)  # PostgreSQL's immediate shutdown


def test_a_kept_connection_to_a_host_gone_silent_fails_in_seconds():
    """Sending: a request's statement goes unacknowledged (tcp_user_timeout). Waiting: the host falls silent while
    PostgreSQL works on a statement already received (keepalives). Before the bounds both waited for the path's
    return, or for the kernel to give up (retransmissions: about 15 minutes; the system's keepalive: over two hours):
    gunicorn's timeout killed the worker first."""
    found = network_of_our_own()
    directory = tempfile.mkdtemp(prefix="newsroom-silent-host-")
    shutil.chown(directory, user="postgres")
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    environ.update(
        DIR=directory,
        INITDB=found["INITDB"],
        PG_CTL=found["PG_CTL"],
        PYTHON=sys.executable,
        CODE=CUT_OFF,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="true",
        DJANGO_LOG_LEVEL="CRITICAL",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_DB_TCP_USER_TIMEOUT="1000",
        DJANGO_DB_KEEPALIVES_IDLE="1",
        DJANGO_DB_KEEPALIVES_INTERVAL="1",
        DJANGO_DB_KEEPALIVES_COUNT="1",
    )
    try:
        process = subprocess.run(
            [found["UNSHARE"], "--net", "sh", "-c", SILENT_HOST],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        stop_left_over(directory)
        shutil.rmtree(directory, ignore_errors=True)

    assert process.returncode == 0, process.stderr[-3000:]
    (sending, sent_for), (waiting, waited_for) = ast.literal_eval(process.stdout.strip().splitlines()[-1])
    assert sending == 503 and sent_for < 5, (sending, sent_for)
    assert waiting == "OperationalError" and waited_for < 5, (waiting, waited_for)


# Redis: the read timeout the settings give the cache


def test_the_cache_is_given_a_read_timeout():
    default = options(REDIS_URL="redis://127.0.0.1:6379/0")["cache"]
    chosen = options(REDIS_URL="redis://127.0.0.1:6379/0", NEWSROOM_REDIS_TIMEOUT="7")["cache"]
    forever = options(REDIS_URL="redis://127.0.0.1:6379/0", NEWSROOM_REDIS_TIMEOUT="0")["cache"]

    assert default == {"socket_connect_timeout": 2, "socket_timeout": 2}
    assert chosen["socket_timeout"] == 7
    assert forever["socket_timeout"] is None  # not 0, which would make every socket non-blocking


def test_a_connect_timeout_of_0_waits_for_ever_rather_than_never_connecting():
    """redis-py takes a connect timeout of 0 as a non-blocking connect, which fails every time (EINPROGRESS): the
    site would have run without its cache for good."""
    forever = options(REDIS_URL="redis://127.0.0.1:6379/0", NEWSROOM_REDIS_CONNECT_TIMEOUT="0")["cache"]

    assert forever["socket_connect_timeout"] is None


# Redis: a server that accepts connections and never answers

TIMEOUT = 0.5  # the cache's read timeout in these tests, in seconds


def _cache_on(url: str, timeout: float = TIMEOUT) -> dict:
    return {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "newsroom-test-silent",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": timeout},
        }
    }


@pytest.fixture
def never_answers():
    """The URL of a server on 127.0.0.1 that accepts every connection and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    held, done = [], threading.Event()

    def accept():
        while not done.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    done.set()
    thread.join()
    for connection in [*held, server]:
        connection.close()


@pytest.fixture
def silent_redis(never_answers):
    # Undone before the suite's own fixtures empty the cache (conftest._fresh_cache), which must reach one.
    with override_settings(CACHES=_cache_on(never_answers)):
        yield
    pagecache._Owed.owed = False  # this process's debt is the test's, not the next test's


def test_a_cache_call_fails_as_unreachable_within_the_read_timeout(silent_redis):
    from django.core.cache import cache

    started = time.monotonic()
    with pytest.raises(UNREACHABLE):
        cache.get("any")

    assert time.monotonic() - started < TIMEOUT + 0.5


@pytest.mark.django_db
def test_a_page_waits_out_one_timeout_then_none_while_the_cache_is_paused(client, committed, never_answers):
    # Each of a page's cache calls (the kept page, the generation, the menu, each Near's listening connection) used
    # to wait out the timeout again: about 6 timeouts a page, at redis-py's default of 5 s gunicorn's 30.
    article = published(committed)
    timeout = 1.0
    with override_settings(CACHES=_cache_on(never_answers, timeout)):
        try:
            times = []
            for _ in range(4):
                started = time.monotonic()
                response = get(client, article.get_absolute_url())
                times.append(time.monotonic() - started)
                assert response.status_code == 200 and response["Cache-Control"] == ASK_AGAIN
        finally:
            pagecache._Owed.owed = False

    assert times[0] < 2 * timeout + 0.5, times
    assert max(times[1:]) < timeout, times


@pytest.mark.django_db
def test_pages_are_answered_uncached_and_the_api_unlimited(client, api, committed, silent_redis, throttle_rates):
    throttle_rates(anon="1/minute")
    article = published(committed)

    page = get(client, article.get_absolute_url(), **{"if-none-match": '"anything"'})
    statuses = [api.get(url).status_code for url in ["/api/v1/articles/", f"/api/v1/articles/{article.pk}/"] * 2]

    assert page.status_code == 200 and "خبر منشور" in page.content.decode()
    assert page["Cache-Control"] == ASK_AGAIN and "ETag" not in page and "X-Cache" not in page
    assert statuses == [200, 200, 200, 200]


@pytest.mark.django_db
def test_an_edit_commits_shows_at_once_and_leaves_the_pages_a_move_owed(editor_api, client, committed, silent_redis):
    article = published(committed)
    etag = editor_api.get(f"/api/v1/articles/{article.pk}/")["ETag"]

    with committed():
        response = editor_api.patch(
            f"/api/v1/articles/{article.pk}/",
            {"headline": "عنوان والخادم صامت"},
            format="json",
            headers={"if-match": etag},
        )

    assert response.status_code == 200, response.content
    assert "عنوان والخادم صامت" in get(client, f"/articles/{article.pk}/", follow=True).content.decode()
    assert pagecache._Owed.owed


@pytest.mark.django_db
def test_healthz_says_the_cache_failed_within_the_timeout(client, silent_redis):
    started = time.monotonic()
    response = client.get("/healthz")

    assert response.status_code == 503 and response.json() == {"database": "ok", "cache": "failed"}
    assert time.monotonic() - started < TIMEOUT + 1


# Redis: a real server paused (SIGSTOP) under connections already open, as a hung Redis looks


@pytest.fixture
def paused_redis_server(monkeypatch):
    """A throwaway redis-server of the test's own (no persistence) and a function that pauses it (SIGSTOP) and
    another that lets it go on (SIGCONT); the cache pauses for 1 s after a failure instead of 5."""
    program = shutil.which("redis-server")
    if program is None:
        _needed("redis-server is not installed: a paused Redis is not tested")
    port = free_port()
    server = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    try:
        for _ in range(100):
            try:
                redis.Redis(port=port, socket_connect_timeout=0.2).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        monkeypatch.setattr(PausingPool, "PAUSE", 1.0)
        yield (
            f"redis://127.0.0.1:{port}/0",
            lambda: server.send_signal(signal.SIGSTOP),
            lambda: server.send_signal(signal.SIGCONT),
        )
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db
def test_a_paused_redis_fails_one_call_then_none_is_tried_until_the_pause_ends(client, committed, paused_redis_server):
    url, pause, go_on = paused_redis_server
    article = published(committed)
    address = article.get_absolute_url()
    with override_settings(CACHES=_cache_on(url)):
        try:
            cache = caches["default"]
            cache.set("before", 1)
            get(client, address), get(client, address)
            assert get(client, address)["X-Cache"] == "hit"  # kept, the listening connection and the pool open

            pause()
            started = time.monotonic()
            with pytest.raises(UNREACHABLE):
                cache.get("before")  # on a connection already open: no answer within the read timeout
            timed_out = time.monotonic() - started
            with pytest.raises(UNREACHABLE, match="not tried again yet"):
                cache.get("before")
            with committed():
                stories.edit_story(article=article, changes={"summary": "ملخص كتب وRedis متوقف"})
            during = get(client, address)
            go_on()
            time.sleep(PausingPool.PAUSE)

            assert TIMEOUT <= timed_out < TIMEOUT + 0.5
            assert during.status_code == 200 and "X-Cache" not in during
            assert "ملخص كتب وRedis متوقف" in during.content.decode()
            assert cache.get("before") == 1
            back = get(client, address)
            assert back["X-Cache"] == "miss" and "ملخص كتب وRedis متوقف" in back.content.decode()
        finally:
            pagecache._Owed.owed = False


# Redis: the listening connection of newsroom.cache.Near waits for notices on purpose


def test_a_quiet_listening_connection_outlives_the_read_timeout(redis_cache):
    """Notices are read only when they have come (a read that does not wait): the listener is never given up for
    having heard nothing for longer than the cache's read timeout, and it keeps no health check and no retry."""
    server, prefix = redis_cache._servers[0], redis_cache.key_prefix
    quick = RedisCache(server, {"KEY_PREFIX": prefix, "OPTIONS": {"socket_timeout": 0.2}})
    other = RedisCache(server, {"KEY_PREFIX": prefix})
    quick.set("p:generation", 1)
    kept = near(quick, "p:", max_bytes=1000)
    assert kept.get_many(["p:generation"]) == {"p:generation": 1}
    listener = kept._listener

    time.sleep(0.6)
    other.set("p:generation", 2)

    assert kept.get_many(["p:generation"]) == {"p:generation": 2}
    assert kept._listener is listener and listener.socket_timeout == 0.2
    assert listener.health_check_interval == 0 and listener.retry.get_retries() == 0
