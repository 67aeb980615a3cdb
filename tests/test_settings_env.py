"""Environment helpers in newsroom/settings.py: typos stop start-up, and SQLite takes its write lock at BEGIN."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.settings import env_bool, env_int

from .conftest import ROOT

VAR = "NEWSROOM_TEST_VARIABLE"


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python code after django.setup() in a fresh process with these environment variables (and a
    developer's DEBUG unless they say otherwise: with DEBUG off the settings want a DJANGO_SECRET_KEY)."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    environ.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_DEBUG="true")
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("value", ["1", "true", "True", "TRUE", "yes", "Yes", "on", "ON", " true ", "\tyes\n"])
def test_env_bool_reads_yes_in_its_spellings(monkeypatch, value):
    monkeypatch.setenv(VAR, value)
    assert env_bool(VAR, False) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "NO", "off", "Off", " off "])
def test_env_bool_reads_no_in_its_spellings(monkeypatch, value):
    monkeypatch.setenv(VAR, value)
    assert env_bool(VAR, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_or_empty_means_the_default(monkeypatch, default):
    monkeypatch.delenv(VAR, raising=False)
    assert env_bool(VAR, default) is default
    monkeypatch.setenv(VAR, "")
    assert env_bool(VAR, default) is default
    monkeypatch.setenv(VAR, "   ")
    assert env_bool(VAR, default) is default


@pytest.mark.parametrize("value", ["ture", "flase", "2", "y", "enabled", "true false"])
def test_env_bool_refuses_a_typo_naming_the_variable_and_the_accepted_values(monkeypatch, value):
    monkeypatch.setenv(VAR, value)
    with pytest.raises(ImproperlyConfigured) as error:
        env_bool(VAR, False)
    message = str(error.value)
    assert VAR in message
    assert repr(value) in message
    for accepted in ("1/0", "true/false", "yes/no", "on/off"):
        assert accepted in message


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("48", 48), (" 600 ", 600), ("-1", -1)])
def test_env_int_reads_an_integer(monkeypatch, value, expected):
    monkeypatch.setenv(VAR, value)
    assert env_int(VAR, 7) == expected


def test_env_int_unset_or_empty_means_the_default(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env_int(VAR, 7) == 7
    monkeypatch.setenv(VAR, "")
    assert env_int(VAR, 7) == 7


@pytest.mark.parametrize("value", ["twenty", "2O", "1.5", "1e3", "20 rows"])
def test_env_int_refuses_a_non_integer_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv(VAR, value)
    with pytest.raises(ImproperlyConfigured, match=f"^{VAR}=") as error:
        env_int(VAR, 7)
    assert not isinstance(error.value, ValueError)
    assert error.value.__suppress_context__  # the bare ValueError is not chained onto the message


def test_a_misspelt_boolean_stops_start_up():
    process = run_django("print('started')", DJANGO_DEBUG="ture")

    assert process.returncode != 0
    assert "ImproperlyConfigured" in process.stderr
    assert "DJANGO_DEBUG='ture'" in process.stderr
    assert "started" not in process.stdout


def test_a_non_integer_size_stops_start_up():
    process = run_django("print('started')", NEWSROOM_PAGE_SIZE="twenty")

    assert process.returncode != 0
    assert "NEWSROOM_PAGE_SIZE='twenty'" in process.stderr


def test_valid_values_start_up():
    process = run_django(
        "from django.conf import settings; print(settings.DEBUG, settings.NEWSROOM_API_PAGE_SIZE)",
        DJANGO_DEBUG=" Yes ",
        NEWSROOM_API_PAGE_SIZE="50",
    )

    assert process.returncode == 0, process.stderr
    assert process.stdout.split() == ["True", "50"]


LOCK_PROBE = """
import sqlite3
from django.db import connection, transaction
with transaction.atomic():
    connection.cursor().execute("SELECT 1")
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        print("free")
    except sqlite3.OperationalError as error:
        print(error)
"""


def test_sqlite_atomic_blocks_take_the_write_lock_at_begin(tmp_path):
    # Without IMMEDIATE a read-only start takes no write lock, and another writer gets in first.
    process = run_django(LOCK_PROBE, DATABASE_URL=f"sqlite:///{tmp_path / 'lock.sqlite3'}")

    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "database is locked"


def test_postgresql_gets_no_sqlite_transaction_mode():
    # Only settings are read: no server is needed to see what options psycopg would be given.
    process = run_django(
        "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))",
        DATABASE_URL="postgres://newsroom@127.0.0.1:5432/newsroom",
    )

    assert process.returncode == 0, process.stderr
    assert "transaction_mode" not in process.stdout
