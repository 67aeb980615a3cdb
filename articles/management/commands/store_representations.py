"""`manage.py store_representations`: store the public's API representations of every public story
(articles/api/stored.py) after stories were loaded in bulk, restored from a backup or written before the upgrade
that brought them; idempotent, with progress. Without it each story is stored by its first anonymous reader."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.api.stories import store_public_representations
from articles.models import Article


class Command(BaseCommand):
    help = "Store the API representations of every public story (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="stories between reports (default 500)")

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        now = timezone.now()
        ids = list(Article.objects.public(now).order_by("pk").values_list("pk", flat=True))
        stored = 0
        for done, pk in enumerate(ids, start=1):
            stored += store_public_representations(pk, now=now)
            if done % batch_size == 0:
                self.stdout.write(f"{done} of {len(ids)} public stories")
        self.stdout.write(self.style.SUCCESS(f"representations stored for {stored} of {len(ids)} public stories"))
