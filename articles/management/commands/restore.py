"""`manage.py restore FILE`: put a backup made by `manage.py backup` into the configured database (docs/backup.md).

Only into an empty database unless --force: a restore over live data is a decision, not a default."""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from .backup import PG_DUMP_HEADER, SQLITE_HEADER, engine_of, libpq_command, require_program, run

FORMATS = {
    "sqlite": (SQLITE_HEADER, "an SQLite backup"),
    "postgresql": (PG_DUMP_HEADER, "a pg_dump custom-format backup"),
}


def format_of(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    return next((engine for engine, (header, _name) in FORMATS.items() if head.startswith(header)), None)


def restore_sqlite(alias: str, path: Path) -> None:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as source:
        (verdict,) = source.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise CommandError(f"{path} is damaged (SQLite's quick_check: {verdict}); nothing was restored")
        connection = connections[alias]
        connection.ensure_connection()
        # The backup API replaces the whole target database, page by page, in one step.
        source.backup(connection.connection)


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
