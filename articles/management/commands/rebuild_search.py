"""`manage.py rebuild_search`: rebuild every story's search document (after an upgrade or a change of the
normalisation table), or only some stories' (after a failed follower, or a source's or section's new name);
idempotent, with progress."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from articles.models import Section, Source
from articles.services import search


class Command(BaseCommand):
    help = (
        "Rebuild the search documents of all stories, or of those the options name (safe to run again). "
        "Options together name every story any of them names."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="stories per batch (default 500)")
        parser.add_argument(
            "--changed-since",
            metavar="WHEN",
            help="only stories changed at or after WHEN (ISO 8601: 2026-12-08T09:30+03:00, or a date; without a "
            "zone, the site's TIME_ZONE), and stories without a document: after a process stopped between a "
            "change's commit and its followers, give the moment before",
        )
        parser.add_argument("--missing", action="store_true", help="only stories without a search document")
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            metavar="SLUG",
            help="only stories crediting this source (after its new name or spellings); may be repeated",
        )
        parser.add_argument(
            "--section",
            action="append",
            default=[],
            metavar="SLUG",
            help="only stories in this section (after its new name); may be repeated",
        )

    def handle(self, *args, batch_size: int, changed_since, missing, source, section, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        selective = changed_since is not None or missing or source or section
        only = None
        if selective:
            only = search.stories_to_reindex(
                changed_since=None if changed_since is None else _moment(changed_since),
                missing=missing,
                sources=_named(Source, source, "--source"),
                sections=_named(Section, section, "--section"),
            )

        def progress(done, total):
            self.stdout.write(f"{done} of {total} stories indexed")

        total = search.rebuild(batch_size=batch_size, progress=progress, only=only)
        if selective:
            self.stdout.write(self.style.SUCCESS(f"search documents rewritten for {total} stories"))
        else:
            self.stdout.write(self.style.SUCCESS(f"search documents rebuilt for {total} stories"))


def _moment(text: str) -> datetime.datetime:
    """A moment from the command line: an ISO 8601 date and time, or a date (its midnight), in the site's time zone
    when it names none."""
    try:
        moment = None if not text.isprintable() else parse_datetime(text.strip())
        if moment is None and text.isprintable() and (day := parse_date(text.strip())) is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:  # well formed but impossible: 2026-02-30
        moment = None
    if moment is None:
        raise CommandError(f"--changed-since: {text!r} is not a date and time (ISO 8601: 2026-12-08T09:30+03:00)")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _named(model, slugs: list[str], option: str) -> list:
    """The rows these slugs name; a slug that names none stops the command, before anything is written."""
    found = []
    for slug in slugs:
        row = None if "\x00" in slug else model.objects.filter(slug=slug).first()
        if row is None:
            raise CommandError(f"{option}: there is no {model._meta.model_name} with the slug {slug!r}")
        found.append(row)
    return found
