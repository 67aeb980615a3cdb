"""`manage.py rebuild_search`: rebuild every story's search document (after an upgrade or a change of the
normalisation table); idempotent, with progress."""

from django.core.management.base import BaseCommand, CommandError

from articles.services import search


class Command(BaseCommand):
    help = "Rebuild the search documents of all stories (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="stories per batch (default 500)")

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")

        def progress(done, total):
            self.stdout.write(f"{done} of {total} stories indexed")

        total = search.rebuild(batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"search documents rebuilt for {total} stories"))
