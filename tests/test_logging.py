"""Structured logs: one JSON object a line, the request id on every record of a request and in the X-Request-ID
response header; plain text on a developer's machine."""

import io
import json
import logging
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.urls import include, path
from pythonjsonlogger.json import JsonFormatter

import newsroom.urls
from newsroom.logging import RequestIdFilter

from .conftest import ROOT

logger = logging.getLogger("newsroom.tests")


def chatty(request):
    logger.warning("قبل الرد")
    logger.info("details", extra={"story": 7})
    return HttpResponse("ok")


def boom(request):
    raise RuntimeError("something broke")


urlpatterns = [
    path("chatty/", chatty),
    path("boom/", boom),
    path("", include(newsroom.urls)),
]
handler404 = newsroom.urls.handler404
handler500 = newsroom.urls.handler500


@pytest.fixture
def json_lines(settings):
    """What the production handler writes, one parsed line each: the JSON formatter and the request-id
    filter exactly as LOGGING configures them, on a handler of our own that writes to memory."""
    settings.ROOT_URLCONF = __name__
    stream = io.StringIO()
    options = {key: value for key, value in django_settings.LOGGING["formatters"]["json"].items() if key != "()"}
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestIdFilter())
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_response_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


@pytest.mark.parametrize("incoming", ["abc-123", "7f1e2d3c.4b5a_69", "a" * 128])
def test_a_sane_incoming_request_id_is_kept(client, incoming):
    assert client.get("/healthz", headers={"x-request-id": incoming})["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["", "a" * 129, "two words", 'quote"d', "line\nbreak", "ü-nicode", "a;b"])
def test_an_unsafe_incoming_request_id_is_replaced(client, incoming):
    answered = client.get("/healthz", headers={"x-request-id": incoming})["X-Request-ID"]

    assert answered != incoming and len(answered) == 32


@pytest.mark.django_db
def test_every_record_of_a_request_carries_its_id(client, json_lines):
    response = client.get("/chatty/", headers={"x-request-id": "req-42"})

    lines = json_lines()
    assert [line["message"] for line in lines] == ["قبل الرد", "details"]
    assert all(line["request_id"] == "req-42" == response["X-Request-ID"] for line in lines)
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "newsroom.tests"
    assert next(iter(lines[0])) == "time" and lines[0]["time"].endswith("+00:00")  # ISO 8601, UTC, first
    assert lines[1]["story"] == 7


@pytest.mark.django_db
def test_django_s_not_found_warning_written_after_the_middleware_carries_the_id(client, json_lines):
    response = client.get("/no-such-page/")

    (line,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_crash_is_one_line_with_its_traceback_and_id(client, json_lines):
    client.raise_request_exception = False

    response = client.get("/boom/")

    (line,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["level"] == "ERROR" and line["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: something broke" in line["exc_info"]


@pytest.mark.django_db
def test_records_after_the_request_carry_no_id(client, json_lines):
    client.get("/chatty/")
    logger.warning("between requests")

    assert json_lines()[-1]["request_id"] is None


def test_the_text_format_shows_the_id_in_brackets():
    formatter = logging.Formatter(django_settings.LOGGING["formatters"]["text"]["format"])
    record = logging.LogRecord("newsroom.tests", logging.WARNING, __file__, 1, "hello", None, None)
    record.request_id = "req-42"

    assert formatter.format(record).endswith("WARNING newsroom.tests [req-42] hello")


LOG_PROBE = """
import logging
import django
django.setup()
log = logging.getLogger("newsroom.probe")
log.warning("خبر عاجل")
try:
    1 / 0
except ZeroDivisionError:
    log.exception("failed")
"""


def run_probe(**env: str) -> str:
    process = subprocess.run(
        [sys.executable, "-c", LOG_PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "newsroom.settings", "DJANGO_SECRET_KEY": "k" * 60, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr
    return process.stderr


def test_production_writes_one_json_object_a_line_to_standard_error():
    lines = run_probe(DJANGO_DEBUG="false").splitlines()

    first, second = (json.loads(line) for line in lines)
    assert len(lines) == 2
    assert first["message"] == "خبر عاجل" and first["level"] == "WARNING" and first["request_id"] is None
    assert "ZeroDivisionError" in second["exc_info"]


def test_a_developer_s_machine_writes_plain_text():
    output = run_probe(DJANGO_DEBUG="true")

    assert "WARNING newsroom.probe [None] خبر عاجل" in output
    assert "Traceback" in output


def test_the_format_can_be_chosen_either_way():
    assert json.loads(run_probe(DJANGO_DEBUG="true", NEWSROOM_LOG_FORMAT="json").splitlines()[0])["level"] == "WARNING"
    assert "[None]" in run_probe(DJANGO_DEBUG="false", NEWSROOM_LOG_FORMAT="text")
