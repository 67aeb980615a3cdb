"""Servers that go silent: a PostgreSQL whose host stops answering on a kept connection costs a request a bounded
wait instead of gunicorn's timeout (docs/deploy.md, "When a server goes silent")."""

import ast
import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from .conftest import ROOT, _needed
from .test_operations import run_django
from .test_scale_out import postgres_server

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
    """Each alias's DATABASES OPTIONS, as a fresh process reads them from this environment (no server is needed to
    see what psycopg would be given)."""
    code = "from django.conf import settings\nprint({alias: db['OPTIONS'] for alias, db in settings.DATABASES.items()})"
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
    ],
)
def test_a_bound_that_cannot_be_stops_start_up_naming_the_variable(variable, value, message):
    # Unchecked, libpq would refuse every connection (setsockopt(TCP_KEEPCNT) failed) or quietly ignore the value:
    # found at the first request.
    process = run_django("", DATABASE_URL=POSTGRESQL, **{variable: value})

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
