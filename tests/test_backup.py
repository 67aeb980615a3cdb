"""`manage.py backup` / `restore`: a backup restored into a fresh database holds everything; refusals say why.

Runs on the configured engine: SQLite (a new file) in the SQLite run, PostgreSQL (a new database on the same
server, pg_dump and pg_restore) in the PostgreSQL run."""

import copy
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend
from reversion.models import Version

from articles.management.commands.backup import libpq_command
from articles.models import Article, ArticleSource, Comment, Part
from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import sources as source_services
from articles.services import stories

ROOT = Path(__file__).resolve().parents[1]
ALIAS = "restored"


def _needed(reason: str) -> None:
    """Skip with the reason on a laptop without the tool; in CI (CI=true) it must be there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@contextmanager
def database_alias(alias: str, name: str, **overrides):
    """A connection to another database with the default's settings, for the test's length. Made as Django makes
    connections, but not added to DATABASES: the test runner allows such connections in any test."""
    settings_dict = {**copy.deepcopy(connections.settings["default"]), "NAME": name, **overrides}
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


@contextmanager
def fresh_postgresql_database():
    """A new, empty database on the test database's server (CREATE DATABASE through psycopg), dropped after."""
    import psycopg
    from psycopg import sql

    for program in ("pg_dump", "pg_restore"):
        if shutil.which(program) is None:
            _needed(f"{program} is not installed (Debian: postgresql-client); the PostgreSQL backup is not tested")
    default = connections.settings["default"]
    params = {key: default[key] for key in ("HOST", "PORT", "USER", "PASSWORD") if default[key]}
    conninfo = {"host": params.get("HOST"), "port": params.get("PORT"), "user": params.get("USER")}
    conninfo = {key: str(value) for key, value in conninfo.items() if value}
    if "PASSWORD" in params:
        conninfo["password"] = params["PASSWORD"]
    name = f"{default['NAME']}_restored"[:63]
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    try:
        server = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **conninfo)
    except psycopg.OperationalError as error:
        _needed(f"the PostgreSQL server cannot be reached for a fresh database: {error}")
    with server:
        server.execute(statement)
        try:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as error:
            _needed(f"cannot create a fresh database on the PostgreSQL server: {error}")
        try:
            yield name
        finally:
            server.execute(statement)


@pytest.fixture
def fresh_database(transactional_db, tmp_path):
    """A new, empty database of the configured engine, as the DATABASES alias "restored"."""
    if connection.vendor == "sqlite":
        with database_alias(ALIAS, str(tmp_path / "restored.sqlite3")) as alias:
            yield alias
    else:
        with fresh_postgresql_database() as name, database_alias(ALIAS, name) as alias:
            yield alias


@pytest.fixture
def newsroom_content(transactional_db):
    """Stories with parts, sources and several revisions each (written through the services, so
    django-reversion stores versions), and readers' comments, one a reply."""
    # Its own source: a transactional test empties the tables the migrations filled (the known agencies).
    agency = source_services.create_source(name="وكالة الأنباء", slug="agency", aliases=["الوكالة"])
    first = stories.create_story(
        headline="قمة الرياض تبحث الأمن الإقليمي",
        parts=[part_services.NewPart(body="الرياض (الوكالة) - بدأت اليوم القمة.", continues=True)],
        credits=[stories.Credit(agency.slug)],
        publish=True,
    )
    part_services.append_part(article=first, body="وأضاف البيان أن القادة اتفقوا.", label="إضافة أولى")
    stories.edit_story(article=first, changes={"summary": "ملخص القمة"})
    second = stories.create_story(
        headline="Floods close the coast road",
        language="en",
        parts=[part_services.NewPart(body="Heavy rain closed the road."), part_services.NewPart(body="More later.")],
        publish=True,
    )
    draft = stories.create_story(headline="مسودة لم تنشر", parts=[part_services.NewPart(body="نص المسودة.")])
    comment = comment_services.post_comment(article=first, name="قارئ", body="شكرا على التغطية").comment
    comment_services.moderate(comment=comment, action="approve")
    comment_services.post_comment(article=first, name="قارئة", body="رد على التعليق", parent=comment.pk)
    comment_services.post_comment(article=second, name="Reader", body="Stay safe, everyone.")
    return [first, second, draft]


def snapshot(alias: str) -> dict[str, set]:
    """What must survive a restore, read from the given database."""
    return {
        "stories": set(Article.objects.using(alias).values_list("pk", "headline", "status", "version", "summary")),
        "credits": set(ArticleSource.objects.using(alias).values_list("article_id", "source__slug", "role")),
        "parts": set(Part.objects.using(alias).values_list("article_id", "number", "body", "label", "continues")),
        "revisions": set(
            Version.objects.using(alias).values_list(
                "revision_id", "content_type__model", "object_id", "serialized_data"
            )
        ),
        "comments": set(
            Comment.objects.using(alias).values_list("pk", "article_id", "parent_id", "name", "body", "status")
        ),
    }


def test_a_backup_restored_into_a_fresh_database_holds_every_story_part_revision_and_comment(
    newsroom_content, fresh_database, tmp_path, capsys
):
    backup = tmp_path / "newsroom.backup"
    before = snapshot("default")
    assert len(before["stories"]) == 3 and len(before["parts"]) == 5 and len(before["comments"]) == 3
    assert {model for _rev, model, _id, _data in before["revisions"]} >= {"article", "part"}
    assert len({rev for rev, *_rest in before["revisions"]}) >= 5  # created, part appended, edited, …

    last_group = Group.objects.create(name="made before the backup")

    call_command("backup", str(backup))
    call_command("restore", str(backup), database=fresh_database)

    assert snapshot(fresh_database) == before
    out = capsys.readouterr().out
    assert f"to {backup}" in out and f"restored {backup} into database 'restored'" in out
    # The restored database goes on where the old one stopped (PostgreSQL's sequences come back too).
    assert Group.objects.using(fresh_database).create(name="made after the restore").pk > last_group.pk


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(newsroom_content, fresh_database, tmp_path):
    backup = tmp_path / "newsroom.backup"
    call_command("backup", str(backup))
    call_command("restore", str(backup), database=fresh_database)
    Comment.objects.using(fresh_database).update(body="changed after the restore")

    with pytest.raises(CommandError, match=r"database 'restored' is not empty \(\d+ tables\).*--force"):
        call_command("restore", str(backup), database=fresh_database)
    with pytest.raises(CommandError, match="database 'default' is not empty"):
        call_command("restore", str(backup))

    call_command("restore", str(backup), database=fresh_database, force=True)
    assert snapshot(fresh_database) == snapshot("default")


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_to_overwrite_a_file_unless_forced(tmp_path):
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        _needed("pg_dump is not installed (Debian: postgresql-client)")
    backup = tmp_path / "newsroom.backup"
    backup.write_bytes(b"last night's backup")

    with pytest.raises(CommandError, match="already exists; choose another name or add --force"):
        call_command("backup", str(backup))
    assert backup.read_bytes() == b"last night's backup"

    call_command("backup", str(backup), force=True)
    assert backup.read_bytes()[:5] in (b"SQLit", b"PGDMP")
    assert [path.name for path in tmp_path.iterdir()] == ["newsroom.backup"]  # no temporary file left behind


@pytest.mark.django_db
def test_backup_refuses_to_run_inside_a_transaction(tmp_path):
    with pytest.raises(CommandError, match="inside an open transaction"):
        call_command("backup", str(tmp_path / "newsroom.backup"))


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup_of_this_engine(tmp_path):
    missing = tmp_path / "nothing-here.backup"
    with pytest.raises(CommandError, match="there is no backup file at"):
        call_command("restore", str(missing))

    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    with pytest.raises(CommandError, match=r"is not a backup made by `manage\.py backup`"):
        call_command("restore", str(junk))

    other = tmp_path / "other-engine.backup"
    other.write_bytes((b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00") + bytes(100))
    with pytest.raises(CommandError, match="restore it into the same engine it was made from"):
        call_command("restore", str(other))


@pytest.mark.parametrize("command, program", [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_without_the_postgresql_programs_the_commands_say_what_to_install(command, program, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on it
    elsewhere = database_alias("elsewhere", "newsroom", ENGINE="django.db.backends.postgresql", HOST="127.0.0.1")
    refused = pytest.raises(CommandError, match=rf"{program} was not found on PATH: install .*postgresql-client")
    with elsewhere, refused:
        call_command(command, str(tmp_path / "newsroom.backup"), database="elsewhere")


def test_a_refusal_exits_non_zero_with_the_reason(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "missing.backup")],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "there is no backup file at" in result.stderr


# A database, or a backup, that is not Newsroom's


def test_backup_refuses_a_database_without_newsrooms_tables(fresh_database, tmp_path):
    backup = tmp_path / "newsroom.backup"
    name = Path(connections[fresh_database].settings_dict["NAME"])

    if connection.vendor == "sqlite":
        # A typo in the path: connecting would have created an empty file, and backed it up.
        with pytest.raises(CommandError, match=f"there is no SQLite database at {name}: check DATABASE_URL"):
            call_command("backup", str(backup), database=fresh_database)
        assert not name.exists()
        sqlite3.connect(name).close()  # an empty file, as the typo used to leave behind
    with pytest.raises(CommandError, match="has no django_migrations or articles_article table: it is not a Newsroom"):
        call_command("backup", str(backup), database=fresh_database)
    assert not backup.exists()


def foreign_backup(alias: str, path: Path) -> None:
    """A backup of someone else's database, made with the engine's own tool rather than `manage.py backup`."""
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE notes (id integer PRIMARY KEY, body text)")
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(path)) as target:
            connections[alias].connection.backup(target)
    else:
        command, env = libpq_command("pg_dump", alias, "--format=custom", f"--file={path}")
        subprocess.run(command, env=env, check=True)


def test_restore_refuses_a_backup_of_another_database(fresh_database, tmp_path):
    backup = tmp_path / "someone-else.backup"
    foreign_backup(fresh_database, backup)

    with pytest.raises(CommandError, match=r"is not a backup of a Newsroom database .*; nothing was restored"):
        call_command("restore", str(backup), database=fresh_database, force=True)
    assert connections[fresh_database].introspection.table_names() == ["notes"]


def test_restore_refuses_a_truncated_backup(newsroom_content, fresh_database, tmp_path):
    backup = tmp_path / "newsroom.backup"
    call_command("backup", str(backup))
    size = backup.stat().st_size
    with backup.open("r+b") as handle:
        handle.truncate(size // 2)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup), database=fresh_database)
    if connection.vendor == "sqlite":
        assert "is damaged" in str(refused.value) and "nothing was restored" in str(refused.value)
    assert "articles_article" not in connections[fresh_database].introspection.table_names()
