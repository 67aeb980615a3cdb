"""`manage.py ingest_wire PATH [PATH ...]`: wire copy from files or standard input into stories."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DataError

from articles import wire
from articles.models import AuditEntry
from articles.services import ServiceError
from articles.services.ingest import ingest_bytes


class Command(BaseCommand):
    help = (
        "Ingest wire copy: each PATH (or - for standard input) becomes a new story or the next take of one. "
        "Prints one JSON object a line: id, action (created, appended, unchanged), url, parts, warnings."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a file of wire copy, or - for standard input")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the story now (default: draft); copy already stored in a draft publishes that draft",
        )
        parser.add_argument("--append-to", type=int, metavar="ID", help="append the copy to this story")
        parser.add_argument(
            "--encoding",
            metavar="NAME",
            help="legacy encoding of the copy: windows-1256 or iso-8859-6 (default UTF-8)",
        )

    def handle(self, *paths, **options):
        failures = 0
        for path in options["paths"]:
            try:
                data = self._read(path)
                result = ingest_bytes(
                    data=data,
                    encoding=options["encoding"],
                    publish=options["publish"],
                    append_to=options["append_to"],
                    via=AuditEntry.Via.COMMAND,
                )
            except (ServiceError, OSError, DataError) as error:  # each file alone: the batch goes on
                # DataError: a value this copy holds that a column cannot (its transaction was rolled back whole)
                failures += 1
                reason = getattr(error, "message", None) or getattr(error, "strerror", None) or str(error).strip()
                self.stderr.write(f"{path}: {reason}")
                continue
            self.stdout.write(json.dumps({**result.as_dict(), "path": path}, ensure_ascii=False))
        if failures:
            raise CommandError(f"{failures} of {len(options['paths'])} inputs failed; nothing was written for them")

    def _read(self, path: str) -> bytes:
        # Read one byte past the limit so an oversize file is refused without loading all of it.
        if path == "-":
            return sys.stdin.buffer.read(wire.MAX_BYTES + 1)
        with Path(path).open("rb") as handle:
            return handle.read(wire.MAX_BYTES + 1)
