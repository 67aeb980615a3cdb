"""System checks of the Newsroom settings (articles/checks.py)."""

import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from articles.checks import check_settings

from .conftest import ROOT


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_the_default_settings_pass():
    assert check_settings() == []


@override_settings(NEWSROOM_LANGUAGES=["ar", "xx", "en", "AR"])
def test_an_unknown_story_language_is_an_error_naming_it():
    errors = check_settings()

    assert ids(errors) == ["newsroom.E002", "newsroom.E002"]
    assert "'xx'" in errors[0].msg and errors[0].obj == "xx"
    assert errors[1].obj == "AR"  # codes are the database's lower-case subtags
    assert "ckb" in errors[0].hint  # the hint lists the codes to choose from


@override_settings(NEWSROOM_LANGUAGES=[])
def test_no_story_languages_is_an_error():
    errors = check_settings()

    assert ids(errors) == ["newsroom.E001"]
    assert "NEWSROOM_LANGUAGES" in errors[0].msg
    assert errors[0].hint


@pytest.mark.parametrize(
    "name",
    [
        "NEWSROOM_PAGE_SIZE",
        "NEWSROOM_TAKE_WINDOW_HOURS",
        "NEWSROOM_API_PAGE_SIZE",
        "NEWSROOM_API_MAX_PAGE_SIZE",
        "NEWSROOM_API_MAX_BODY",
    ],
)
@pytest.mark.parametrize("value", [0, -5, "20", True])
def test_a_size_or_window_must_be_a_positive_integer(name, value):
    with override_settings(**{name: value}):
        errors = check_settings()

    positive = [error for error in errors if error.id == "newsroom.E003"]
    assert [error.obj for error in positive] == [name]
    assert repr(value) in positive[0].msg
    assert name in positive[0].hint


@override_settings(NEWSROOM_API_PAGE_SIZE=50, NEWSROOM_API_MAX_PAGE_SIZE=20)
def test_a_default_api_page_larger_than_the_maximum_is_an_error():
    errors = check_settings()

    assert ids(errors) == ["newsroom.E004"]
    assert "50" in errors[0].msg and "20" in errors[0].msg


@override_settings(NEWSROOM_LANGUAGES=["ar", "xx"], NEWSROOM_PAGE_SIZE=0)
def test_the_check_is_registered_under_the_newsroom_tag():
    assert ids(run_checks(tags=["newsroom"])) == ["newsroom.E002", "newsroom.E003"]


def test_manage_py_check_fails_on_an_unknown_language():
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    process = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**environ, "DJANGO_DEBUG": "true", "NEWSROOM_LANGUAGES": "ar,xx"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert process.returncode != 0
    assert "newsroom.E002" in process.stderr
    assert "'xx'" in process.stderr
