"""Operations: the client's address behind proxies, database time-outs, the demo account, start-up refusals of
hosts and origins, and the API's 404 in the reader's language."""

import ast
import gettext
import io
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from newsroom.security import client_ip

from .conftest import ROOT


def run_django(code: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    """Python code after django.setup() in a fresh process, with a developer's environment plus these variables."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    environ.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_DEBUG="true", **env)
    command = [sys.executable, "-c", f"import django; django.setup()\n{code}"]
    return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=timeout)


def forwarded(entry: str, remote: str = "10.0.0.2"):
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers={"x-forwarded-for": f"198.51.100.1, {entry}"})


@pytest.fixture
def one_trusted_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("203.0.113.9:51234", "203.0.113.9"),  # Azure's address:port
        (" 203.0.113.9 ", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("not-an-ip", "10.0.0.2"),
        ("unknown", "10.0.0.2"),
        ("203.0.113.9:port", "10.0.0.2"),
        ("999.0.113.9", "10.0.0.2"),
        ("[2001:db8::1", "10.0.0.2"),
        ("", "10.0.0.2"),
    ],
)
def test_client_ip_reads_the_trusted_entry_as_an_address(one_trusted_proxy, entry, expected):
    assert client_ip(forwarded(entry)) == expected


def test_client_ip_is_empty_when_nothing_names_an_address(one_trusted_proxy):
    assert client_ip(forwarded("not-an-ip", remote="")) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "recorded"),
    [("203.0.113.9:51234", "203.0.113.9"), ("[2001:db8::1]:443", "2001:db8::1"), ("not-an-ip", "127.0.0.1")],
)
def test_a_failed_admin_login_behind_a_proxy_that_writes_ports_is_counted_under_the_address(
    client, editor, one_trusted_proxy, entry, recorded
):
    # django-axes writes the address to an inet column on PostgreSQL: a port or a word there was a 500.
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "wrong", "next": "/admin/"},
        headers={"x-forwarded-for": entry},
    )

    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == [
        ("editor", recorded, 1)
    ]


# Database time-outs: a server that accepts connections and never answers


@pytest.mark.parametrize(("variable", "expected"), [(None, 5), ("2", 2), ("0", 0)])
def test_the_connect_timeout_reaches_postgresqls_options(variable, expected):
    # Only settings are read: no server is needed to see what options psycopg would be given.
    env = {"DATABASE_URL": "postgres://newsroom@127.0.0.1:5432/newsroom"}
    if variable is not None:
        env["DJANGO_DB_CONNECT_TIMEOUT"] = variable
    process = run_django("from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])", **env)

    assert process.returncode == 0, process.stderr
    assert ast.literal_eval(process.stdout)["connect_timeout"] == expected


def test_a_connect_timeout_in_database_url_wins():
    process = run_django(
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        DATABASE_URL="postgres://newsroom@127.0.0.1:5432/newsroom?connect_timeout=9",
    )

    assert ast.literal_eval(process.stdout)["connect_timeout"] == 9


def test_healthz_answers_503_soon_when_postgresql_accepts_and_never_answers():
    # The kernel completes each connection into the listen backlog; nothing ever reads or writes on it.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        started = time.monotonic()
        process = run_django(
            "from django.test import Client; response = Client().get('/healthz'); "
            "print(response.status_code, response.json())",
            DATABASE_URL=f"postgres://newsroom@127.0.0.1:{port}/newsroom",
            DJANGO_DB_CONNECT_TIMEOUT="1",
            DJANGO_LOG_LEVEL="CRITICAL",
            timeout=20,
        )

    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "503 {'database': 'failed', 'cache': 'ok'}"
    assert time.monotonic() - started < 15


# The demo account: the README's password on a developer's machine only


def load_demo(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def printed_password(output: str) -> str:
    return re.search(r"log in at \S+ as editor / (\S+)", output)[1]


@pytest.mark.django_db
def test_with_debug_off_the_demo_editor_gets_a_random_password_shown_once(settings, monkeypatch):
    monkeypatch.delenv("NEWSROOM_DEMO_PASSWORD", raising=False)
    settings.DEBUG = False  # `make serve`, production

    first = load_demo()
    again = load_demo()

    password = printed_password(first)
    assert password != "newsroom-editor" and len(password) >= 16
    assert "shown only this once" in first
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(password) and not editor.check_password("newsroom-editor")
    assert password not in again and "exists; its password is unchanged" in again


@pytest.mark.django_db
def test_with_debug_off_even_the_published_password_asked_for_by_name_is_not_used(settings):
    settings.DEBUG = False

    password = printed_password(load_demo(password="newsroom-editor"))

    assert password != "newsroom-editor"
    assert not get_user_model().objects.get(username="editor").check_password("newsroom-editor")


@pytest.mark.django_db
def test_with_debug_off_a_password_of_ones_own_is_used(settings):
    settings.DEBUG = False

    output = load_demo(password="a-password-of-my-own")

    assert printed_password(output) == "a-password-of-my-own" and "random" not in output


@pytest.mark.django_db
def test_with_debug_on_the_demo_editor_has_the_readmes_password(settings, monkeypatch):
    monkeypatch.delenv("NEWSROOM_DEMO_PASSWORD", raising=False)
    settings.DEBUG = True  # `make run`

    output = load_demo()

    assert printed_password(output) == "newsroom-editor" and "random" not in output
    assert get_user_model().objects.get(username="editor").check_password("newsroom-editor")


# Hosts and origins: a value Django would quietly never match stops start-up; production names its hosts

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-key-for-the-tests-only-" + "x7Qp2Lm9Zr4Tk8Wd3Vb6Nh1Jc5Gf0Sy" * 2,
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.org",
}


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    environ = {"PATH": os.environ["PATH"], **{key: value for key, value in env.items() if value is not None}}
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_ALLOWED_HOSTS", "https://news.example.org", "'https://news.example.org' is not a host name"),
        ("DJANGO_ALLOWED_HOSTS", "news.example.org,news.example.org/", "e.g. 'news.example.org'"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "https://news.example.org/", "no path or trailing slash"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "https://news.example.org/admin/", "e.g. 'https://news.example.org'"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "news.example.org", "'news.example.org' is not an origin"),
    ],
)
def test_a_url_for_a_host_or_a_path_on_an_origin_stops_start_up(variable, value, message):
    process = check_deploy(**{**PRODUCTION, variable: value})

    assert process.returncode != 0
    assert f"ImproperlyConfigured: {variable}: " in process.stderr and message in process.stderr


def test_production_without_allowed_hosts_fails_the_deploy_check():
    process = check_deploy(**{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": None})

    assert process.returncode != 0
    assert "newsroom.E011" in process.stderr and "DJANGO_ALLOWED_HOSTS is not set" in process.stderr


def test_origins_with_a_port_or_a_wildcard_and_several_hosts_pass_the_deploy_check():
    process = check_deploy(
        **{
            **PRODUCTION,
            "DJANGO_ALLOWED_HOSTS": "news.example.org,.example.org,[2001:db8::1]",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.org,https://*.example.org:8443",
        }
    )

    assert process.returncode == 0, process.stderr
    assert "System check identified no issues (0 silenced)." in process.stdout


# The API's 404 for a story or a source that is not there, in the reader's language


def arabic_catalogue(message: str) -> str:
    path = ROOT / "articles" / "locale" / "ar" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as catalogue:
        return gettext.GNUTranslations(catalogue).gettext(message)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/articles/999999/", "/api/v1/sources/no-such-agency/"])
def test_a_missing_story_or_source_is_not_found_in_the_readers_language(client, path):
    english = client.get(path, headers={"accept-language": "en"})
    arabic = client.get(path, headers={"accept-language": "ar"})

    assert english.status_code == arabic.status_code == 404
    assert english.json() == {"detail": "not found: no such endpoint or resource"}
    translated = arabic_catalogue("not found: no such endpoint or resource")
    assert translated != "not found: no such endpoint or resource"  # the catalogue has it
    assert arabic.json() == {"detail": translated}


# make backup / make restore on a production host: the virtual environment's Python, never `make install`


@pytest.fixture
def venv(tmp_path):
    """A virtual environment as a production host has one: its Python, and no mark that `make install` ran."""
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    # A script that runs this interpreter, not a symlink to it: a symlinked Python looks for its pyvenv.cfg beside
    # the link, finds none, and (on some machines) starts as the base installation, without Django.
    python = tmp_path / "venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    return tmp_path / "venv"


def make(*args: str, **env: str) -> subprocess.CompletedProcess:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=ROOT, env={**environ, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize("target", ["backup", "restore"])
def test_make_backup_and_restore_install_nothing(venv, tmp_path, target):
    planned = make("-n", target, "FILE=newsroom.backup", f"VENV={venv}")
    missing = tmp_path / "typo.sqlite3"
    ran = make(target, f"FILE={tmp_path / 'newsroom.backup'}", f"VENV={venv}", DATABASE_URL=f"sqlite:///{missing}")

    assert planned.returncode == 0, planned.stderr
    assert "pip" not in planned.stdout and "venv" not in planned.stdout.replace(str(venv), "")
    assert f'{venv}/bin/python manage.py {target} "newsroom.backup"' in planned.stdout
    assert not (venv / ".installed").exists()
    assert "pip" not in ran.stdout + ran.stderr, ran.stdout + ran.stderr
    assert "CommandError:" in ran.stderr, ran.stdout + ran.stderr  # manage.py ran, and refused what is not there


def test_make_backup_without_the_virtual_environment_says_to_create_it(tmp_path):
    process = make("backup", "FILE=newsroom.backup", f"VENV={tmp_path / 'none'}")

    assert process.returncode != 0
    assert f"{tmp_path / 'none'}/bin/python not found: create the virtual environment first (make install)" in (
        process.stderr
    )
