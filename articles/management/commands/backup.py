"""`manage.py backup FILE`: a consistent copy of the whole database in its engine's own format (docs/backup.md).

SQLite through Python's sqlite3 backup API (no sqlite3 program needed), PostgreSQL through pg_dump's custom
format. `restore` reads both and shares the helpers below."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing, contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionDoesNotExist

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
ENGINES = ("sqlite", "postgresql")
# Tables every Newsroom database has once migrated: a database (or a backup) without them is someone else's, or
# an empty one that a mistyped DATABASE_URL pointed at.
NEWSROOM_TABLES = ("django_migrations", "articles_article")


def engine_of(alias: str) -> str:
    """The engine of the alias's database, SQLite or PostgreSQL; any other is refused by name."""
    try:
        vendor = connections[alias].vendor
    except ConnectionDoesNotExist:
        raise CommandError(f"there is no database {alias!r} in DATABASES") from None
    if vendor not in ENGINES:
        raise CommandError(f"backups of {vendor} databases are not supported (SQLite and PostgreSQL are)")
    return vendor


def require_program(name: str) -> str:
    """The path of a PostgreSQL client program, or a refusal that says how to get it."""
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} was not found on PATH: install PostgreSQL's client programs (Debian: postgresql-client), "
            "of the server's major version or newer"
        )
    return path


def libpq_command(program: str, alias: str, *options: str, dbname_option: bool = False) -> tuple[list[str], dict]:
    """A PostgreSQL client program's command line and environment for the alias's database, built the way
    Django's own dbshell builds psql's (password, service and TLS settings in the environment, never in argv).
    pg_restore takes the database as --dbname; pg_dump as its last argument."""
    from django.db.backends.postgresql.client import DatabaseClient

    settings_dict = connections[alias].settings_dict
    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    connection_args = args[1:]
    names_database = bool(settings_dict.get("NAME") or not settings_dict["OPTIONS"].get("service"))
    if dbname_option and names_database:
        connection_args[-1] = f"--dbname={connection_args[-1]}"
    # --no-password: a missing password fails at once instead of waiting for someone to type it.
    return [require_program(program), "--no-password", *options, *connection_args], {**os.environ, **(env or {})}


def run(command: list[str], env: dict, *, what: str) -> str:
    """Run a client program and return what it wrote; its own message (wrong password, server down, version
    mismatch) is the error."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise CommandError(f"{what} failed: {detail}")
    return result.stdout


def missing_tables(tables) -> list[str]:
    """Which of Newsroom's own tables a list of table names lacks."""
    return [name for name in NEWSROOM_TABLES if name not in set(tables)]


def require_newsroom_database(alias: str) -> None:
    """Refuse to back up a database that is not Newsroom's: an empty one, or an SQLite path with a typo in it
    (connecting would create the file, and the backup would be an empty database that restores fine)."""
    connection = connections[alias]
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        name = Path(connection.settings_dict["NAME"])
        if not name.is_file():
            raise CommandError(f"there is no SQLite database at {name}: check DATABASE_URL")
    missing = missing_tables(connection.introspection.table_names())
    if missing:
        raise CommandError(
            f"database {alias!r} has no {' or '.join(missing)} table: it is not a Newsroom database (check "
            "DATABASE_URL, or run `manage.py migrate` first); nothing was backed up"
        )


@contextmanager
def written_atomically(path: Path):
    """A temporary file beside `path`, moved over it only when the block succeeds: a failed or interrupted
    backup never leaves a truncated file under the name an operator trusts."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(descriptor)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def back_up_sqlite(alias: str, path: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    # Django's own connection: a file or an in-memory database alike, copied as one consistent snapshot.
    with written_atomically(path) as temporary, closing(sqlite3.connect(temporary)) as target:
        connection.connection.backup(target)


def back_up_postgresql(alias: str, path: Path) -> None:
    with written_atomically(path) as temporary:
        command, env = libpq_command("pg_dump", alias, "--format=custom", f"--file={temporary}")
        run(command, env, what="pg_dump")


class Command(BaseCommand):
    help = (
        "Copy the whole database to FILE: SQLite as an SQLite file (Python's backup API), PostgreSQL in pg_dump's "
        "custom format. Refuses to overwrite an existing file unless --force. `manage.py restore FILE` reads it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the DATABASES alias to back up")
        parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    def handle(self, *args, file, database, force, **options):
        engine = engine_of(database)
        path = Path(file).expanduser().absolute()
        if engine == "postgresql":
            require_program("pg_dump")
        if path.is_dir():
            raise CommandError(f"{path} is a directory; name the backup file")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} does not exist")
        if path.exists() and path.stat().st_size > 0 and not force:
            raise CommandError(f"{path} already exists; choose another name or add --force to overwrite it")
        if connections[database].in_atomic_block:
            # Called from code inside a transaction: pg_dump would not see its writes, and SQLite's backup would
            # wait for the transaction's lock forever.
            raise CommandError("a backup cannot be taken inside an open transaction; commit first")
        require_newsroom_database(database)
        if engine == "sqlite":
            back_up_sqlite(database, path)
        else:
            back_up_postgresql(database, path)
        self.stdout.write(f"backed up database {database!r} ({engine}) to {path} ({path.stat().st_size} bytes)")
