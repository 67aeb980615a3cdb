"""The production profile: the secret key, check --deploy, security headers, the Content-Security-Policy with no
inline code on any page, hashed static files through whitenoise, and the client's address behind proxies."""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Comment
from newsroom.security import client_ip
from newsroom.settings import DEVELOPMENT_SECRET_KEY

from .conftest import ROOT

KEY = "a-production-key-for-the-tests-only-" + "x7Qp2Lm9Zr4Tk8Wd3Vb6Nh1Jc5Gf0Sy" * 2
DEPLOY = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": KEY,
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.org",
}


def run(args: list[str], env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with exactly this environment (nothing inherited from the test run)."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def settings_in(env: dict[str, str], *expressions: str) -> list[str]:
    """The repr of each expression (over `settings`) as a fresh process with this environment reads it."""
    code = "import django; django.setup()\nfrom django.conf import settings\n" + "".join(
        f"print(repr({expression}))\n" for expression in expressions
    )
    process = run(["-c", code], {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **env})
    assert process.returncode == 0, process.stderr
    return process.stdout.splitlines()


PROFILE = (
    "settings.SECURE_SSL_REDIRECT",
    "settings.SESSION_COOKIE_SECURE",
    "settings.CSRF_COOKIE_SECURE",
    "settings.SECURE_HSTS_SECONDS",
    "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "settings.SECURE_HSTS_PRELOAD",
    "settings.SECURE_PROXY_SSL_HEADER",
    "settings.STORAGES['staticfiles']['BACKEND']",
    "'whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE",
    "settings.NEWSROOM_LOG_FORMAT",
    "settings.REST_FRAMEWORK['NUM_PROXIES']",
)


# The secret key


def test_check_deploy_reports_nothing_with_only_the_four_production_variables():
    process = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DEPLOY)

    assert process.returncode == 0, process.stdout + process.stderr
    assert "System check identified no issues (0 silenced)." in process.stdout
    assert process.stderr == ""


@pytest.mark.parametrize("key", [None, "", "   ", DEVELOPMENT_SECRET_KEY])
def test_production_refuses_to_start_without_a_key_of_its_own(key):
    env = {name: value for name, value in DEPLOY.items() if name != "DJANGO_SECRET_KEY"}
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key

    server = run(["-c", "import newsroom.wsgi"], env)  # what gunicorn and runserver load first
    deploy = run(["manage.py", "check", "--deploy"], env)

    assert server.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set" in server.stderr
    assert "DJANGO_DEBUG=true" in server.stderr
    assert deploy.returncode != 0 and "newsroom.E010" in deploy.stderr


def test_unset_debug_is_production_too():
    process = run(["-c", "import newsroom.wsgi"], {"DJANGO_ALLOWED_HOSTS": "news.example.org"})

    assert process.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in process.stderr


def test_commands_that_need_no_key_run_in_any_environment():
    process = run(["manage.py", "makemigrations", "--check", "--dry-run"], {})

    assert process.returncode == 0, process.stdout + process.stderr


def test_a_developer_s_machine_starts_with_the_development_key():
    assert settings_in({"DJANGO_DEBUG": "true"}, *PROFILE[:2], "settings.SECRET_KEY") == [
        "False",
        "False",
        repr(DEVELOPMENT_SECRET_KEY),
    ]


# What production turns on, and how each is switched off


def test_production_defaults_are_hardened():
    values = settings_in(DEPLOY, *PROFILE)

    assert values == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "True",
        "None",
        "'whitenoise.storage.CompressedManifestStaticFilesStorage'",
        "True",
        "'json'",
        "0",
    ]


def test_each_hardening_is_switched_off_or_tuned_from_the_environment():
    env = {
        **DEPLOY,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "no",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "300",
        "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "off",
        "DJANGO_SECURE_HSTS_PRELOAD": "false",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
        "NEWSROOM_STATIC_MANIFEST": "false",
        "NEWSROOM_LOG_FORMAT": "text",
        "NEWSROOM_TRUSTED_PROXIES": "1",
    }

    values = settings_in(env, *PROFILE)

    assert values == [
        "False",
        "False",
        "False",
        "300",
        "False",
        "False",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
        "'django.contrib.staticfiles.storage.StaticFilesStorage'",
        "False",
        "'text'",
        "1",
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_SECURE_SSL_REDIRECT", "sometimes"),
        ("DJANGO_SECURE_HSTS_SECONDS", "a year"),
        ("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"),
        ("NEWSROOM_TRUSTED_PROXIES", "one"),
        ("NEWSROOM_LOG_FORMAT", "xml"),
    ],
)
def test_a_typo_in_a_production_variable_stops_start_up_naming_it(name, value):
    process = run(["manage.py", "check"], {**DEPLOY, name: value})

    assert process.returncode != 0
    assert f"{name}={value!r}" in process.stderr


def test_the_test_run_is_production_less_the_redirect_and_collectstatic(settings):
    assert not settings.DEBUG and settings.SESSION_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS == 31_536_000
    assert not settings.SECURE_SSL_REDIRECT
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


# Headers


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/")

    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_hsts_is_sent_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/")
    assert client.get("/", secure=True)["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/sources/x/?a=1").headers["Location"] == "https://testserver/sources/x/?a=1"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_behind_a_tls_proxy_its_forwarded_proto_counts_as_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/", headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_the_content_security_policy_allows_no_inline_code(client):
    policy = csp(client.get("/"))

    assert "'unsafe-inline'" not in client.get("/")["Content-Security-Policy"]
    assert "'unsafe-eval'" not in client.get("/")["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no nonce where the page used none
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


# No inline code on any page (the browser would refuse it)


class InlineCode(HTMLParser):
    """Collects what the policy would block: scripts without src or a matching nonce (JSON data blocks are not
    run, so they are allowed), <style> elements, style attributes and on* event-handler attributes."""

    DATA_TYPES = ("application/json", "application/ld+json")

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.blocked: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        runs_inline = tag == "script" and "src" not in found and found.get("type") not in self.DATA_TYPES
        if runs_inline and (self.nonce is None or found.get("nonce") != self.nonce):
            self.blocked.append(f"<script {found}>")
        if tag == "style":
            self.blocked.append("<style>")
        for name in found:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"<{tag} {name}={found[name]!r}>")


def blocked_inline_code(response) -> list[str]:
    nonces = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    parser = InlineCode(nonces[0] if nonces else None)
    parser.feed(response.content.decode())
    return parser.blocked


@pytest.fixture
def story_pages(seed_story):
    source = seed_story.sources.first()
    return [
        "/",
        seed_story.get_absolute_url(),
        source.get_absolute_url(),
        "/search/?q=" + "قره باغ",
        "/no-such-page/",
    ]


@pytest.mark.django_db
def test_public_pages_have_no_inline_code(client, story_pages):
    for url in story_pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert blocked_inline_code(response) == [], url


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_admin_screens_have_no_inline_code(admin_client, seed_story, seed_text):
    pk = seed_story.pk
    urls = [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{pk}/change/",
        f"/admin/articles/article/{pk}/revisions/",
        f"/admin/articles/article/{pk}/translate/en/",
        "/admin/articles/source/",
        reverse("my-token"),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert blocked_inline_code(response) == [], url
    preview = admin_client.post(
        reverse("admin:articles_article_paste"), {"text": seed_text, "language": "ar", "preview": "1"}
    )
    assert 'class="preview-part"' in preview.content.decode()
    assert blocked_inline_code(preview) == []


@pytest.mark.django_db
def test_the_admin_login_page_has_no_inline_code(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert blocked_inline_code(response) == []
    assert "css/admin.css" in response.content.decode()


@pytest.mark.django_db
def test_swagger_ui_starts_under_the_request_s_nonce(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    policy = csp(response)

    assert response.status_code == 200
    nonce = re.search(r'<script nonce="([^"]+)">', html).group(1)
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert blocked_inline_code(response) == []
    assert "SwaggerUIBundle(" in html and "/api/schema/" in html
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "css/swagger.css" in html and "<style>" not in html


@pytest.mark.django_db
def test_each_swagger_ui_page_gets_a_new_nonce(client):
    first, second = (csp(client.get("/api/docs/"))["script-src"][1] for _ in range(2))

    assert first != second


# Static files in production: collected under hashed names, compressed, served by whitenoise

STATIC_PROBE = """
import re
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
client = Client()
page = client.get("/api/docs/", headers={"host": "news.example.org"}, secure=True)
print(page.status_code)
css = re.search(r'href="(/static/css/swagger\\.[0-9a-f]{12}\\.css)"', page.content.decode()).group(1)
served = client.get(css, headers={"host": "news.example.org", "accept-encoding": "gzip"}, secure=True)
print(served.status_code, served["Content-Encoding"], served["Cache-Control"])
"""


def test_static_files_are_collected_hashed_compressed_and_served_by_whitenoise(tmp_path):
    env = {**DEPLOY, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DJANGO_STATIC_ROOT": str(tmp_path)}

    process = run(["-c", STATIC_PROBE], env, timeout=300)

    assert process.returncode == 0, process.stderr
    page, served = process.stdout.splitlines()
    assert page == "200"
    status, encoding, cache_control = served.split(" ", 2)
    assert (status, encoding) == ("200", "gzip")
    assert "immutable" in cache_control and "max-age=315360000" in cache_control
    assert (tmp_path / "staticfiles.json").exists()


# The client's address: X-Forwarded-For is the client's word unless our own proxies wrote it


def request_from(remote: str, forwarded: str | None = None):
    headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_ip(request_from("203.0.113.9")) == "203.0.113.9"


def test_behind_one_trusted_proxy_its_entry_is_the_client(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    # The client forged the first entry; our proxy appended the address it saw.
    assert client_ip(request_from("10.0.0.2", "198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


@pytest.mark.django_db
def test_a_spoofed_x_forwarded_for_does_not_escape_the_api_throttle(api, throttle_rates):
    throttle_rates(anon="2/minute")

    statuses = [
        api.get("/api/v1/articles/", headers={"x-forwarded-for": f"198.51.100.{n}"}).status_code for n in range(3)
    ]

    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_a_spoofed_x_forwarded_for_does_not_escape_the_comment_limit(client, seed_story, settings):
    settings.NEWSROOM_COMMENTS_RATE_IP = "1/minute"
    url = f"/articles/{seed_story.pk}/comments/"
    data = {"name": "ليلى", "email": "", "body": "تعليق مفيد على الخبر.", "parent": "", "website": ""}

    statuses = [
        client.post(
            url, data, headers={"origin": "http://testserver", "x-forwarded-for": f"198.51.100.{n}"}
        ).status_code
        for n in range(2)
    ]

    assert statuses == [302, 429]
    assert Comment.objects.count() == 1


# gunicorn with gunicorn.conf.py, as `make serve` runs it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_the_production_profile_with_two_workers_and_json_logs(tmp_path):
    port = free_port()
    env = {
        **DEPLOY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "NEWSROOM_STATIC_MANIFEST": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        response = None
        deadline = time.monotonic() + 60
        while response is None and time.monotonic() < deadline:
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            except OSError:
                time.sleep(0.2)
        assert response is not None, "gunicorn did not answer within a minute"
        assert response.status == 200 and json.load(response) == {"database": "ok", "cache": "ok"}
        assert len(response.headers["X-Request-ID"]) == 32
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines()]
    assert {line["logger"] for line in lines} == {"gunicorn.error"}
    assert sum(line["message"].startswith("Booting worker") for line in lines) == 2
    assert any(line["message"] == f"Listening at: http://127.0.0.1:{port} ({server.pid})" for line in lines)
