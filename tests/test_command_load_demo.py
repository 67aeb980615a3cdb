"""`manage.py load_demo`: the links it prints point where `make run` serves."""

import io
import subprocess

import pytest
from django.core.management import call_command

from articles.models import Article

from .conftest import ROOT

pytestmark = pytest.mark.django_db


def load_demo(*args, **options) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out, **options)
    return out.getvalue()


def test_links_use_the_host_and_port_given(monkeypatch):
    monkeypatch.setenv("HOST", "ignored.example")

    output = load_demo("--host", "0.0.0.0", "--port", "8123")

    article = Article.objects.get(translation_of=None)
    assert f"http://0.0.0.0:8123/articles/{article.pk}/" in output
    assert "http://0.0.0.0:8123/admin/" in output
    assert ":8000" not in output


def test_links_follow_the_environment_host_and_port(monkeypatch):
    monkeypatch.setenv("HOST", "newsroom.test")
    monkeypatch.setenv("PORT", "9000")

    output = load_demo()

    assert "Seed story created: http://newsroom.test:9000/articles/" in output
    assert "log in at http://newsroom.test:9000/admin/" in output


@pytest.mark.parametrize("empty", [None, ""])
def test_links_default_to_port_8000_on_localhost(monkeypatch, empty):
    for name in ("HOST", "PORT"):
        if empty is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, empty)

    output = load_demo()

    assert "http://127.0.0.1:8000/articles/" in output
    assert "http://127.0.0.1:8000/admin/" in output


def test_running_it_again_reports_the_story_unchanged_at_the_same_address():
    load_demo(host="localhost", port="8765")

    output = load_demo(host="localhost", port="8765")

    assert "Seed story unchanged: http://localhost:8765/articles/" in output
    assert "Editor account editor exists" in output


def test_make_demo_passes_its_host_and_port():
    process = subprocess.run(
        ["make", "--dry-run", "--always-make", "demo", "HOST=192.0.2.7", "PORT=8321"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert process.returncode == 0, process.stderr
    assert "manage.py load_demo --host 192.0.2.7 --port 8321" in process.stdout
