"""`manage.py restore FILE`: put a backup made by `manage.py backup` into the configured database (docs/backup.md).

Only into an empty database unless --force: a restore over live data is a decision, not a default."""

import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from .backup import PG_DUMP_HEADER, SQLITE_HEADER, engine_of, libpq_command, missing_tables, require_program, run

FORMATS = {
    "sqlite": (SQLITE_HEADER, "an SQLite backup"),
    "postgresql": (PG_DUMP_HEADER, "a pg_dump custom-format backup"),
}


def format_of(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    return next((engine for engine, (header, _name) in FORMATS.items() if head.startswith(header)), None)


def not_newsroom(path: Path, missing: list[str]) -> CommandError:
    return CommandError(
        f"{path} is not a backup of a Newsroom database (it has no {' or '.join(missing)} table); nothing was restored"
    )


def check_sqlite(path: Path) -> None:
    """The backup is an intact SQLite database with Newsroom's tables."""
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as source:
            (verdict,) = source.execute("PRAGMA quick_check").fetchone()
            tables = [name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    except sqlite3.DatabaseError as error:  # a truncated file: "database disk image is malformed"
        raise CommandError(f"{path} is damaged ({error}); nothing was restored") from None
    if verdict != "ok":
        raise CommandError(f"{path} is damaged (SQLite's quick_check: {verdict}); nothing was restored")
    if missing := missing_tables(tables):
        raise not_newsroom(path, missing)


def check_postgresql(path: Path) -> None:
    """The backup's table of contents (pg_restore --list, which reads the file and no database) names Newsroom's
    tables."""
    listing = run([require_program("pg_restore"), "--list", str(path)], {**os.environ}, what="pg_restore --list")
    tables = re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+)", listing, flags=re.MULTILINE)
    if missing := missing_tables(tables):
        raise not_newsroom(path, missing)


def restore_sqlite(alias: str, path: Path) -> None:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as source:
        connection = connections[alias]
        connection.ensure_connection()
        # The backup API replaces the whole target database, page by page, in one step.
        try:
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise CommandError(f"{path} could not be read to the end ({error})") from None


def restore_postgresql(alias: str, path: Path, *, force: bool) -> None:
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if force:
        options += ["--clean", "--if-exists"]  # drop what the backup holds before re-creating it
    command, env = libpq_command("pg_restore", alias, *options, dbname_option=True)
    connections[alias].close()  # pg_restore --clean must not wait behind our own open transaction
    run([*command, str(path)], env, what="pg_restore")


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (SQLite or PostgreSQL, as the "
        "backup was made). Refuses a database that already has tables unless --force; stop the application "
        "servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup to restore")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the DATABASES alias to restore into")
        parser.add_argument(
            "--force", action="store_true", help="restore even though the database has tables (they are replaced)"
        )

    def handle(self, *args, file, database, force, **options):
        engine = engine_of(database)
        if engine == "postgresql":
            require_program("pg_restore")
        path = Path(file).expanduser().absolute()
        if not path.is_file():
            raise CommandError(f"there is no backup file at {path}")
        found = format_of(path)
        if found is None:
            raise CommandError(f"{path} is not a backup made by `manage.py backup` (neither SQLite nor pg_dump's)")
        if found != engine:
            raise CommandError(
                f"{path} is {FORMATS[found][1]}, and database {database!r} is {engine}: "
                "restore it into the same engine it was made from"
            )
        if engine == "sqlite":
            check_sqlite(path)
        else:
            check_postgresql(path)
        tables = connections[database].introspection.table_names()
        if tables and not force:
            raise CommandError(
                f"database {database!r} is not empty ({len(tables)} tables); restore into a new, empty database, "
                "or add --force to replace its contents"
            )
        if engine == "sqlite":
            restore_sqlite(database, path)
        else:
            restore_postgresql(database, path, force=force)
        self.stdout.write(f"restored {path} into database {database!r} ({engine})")
