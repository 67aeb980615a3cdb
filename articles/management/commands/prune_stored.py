"""`manage.py prune_stored`: delete the stored renderings no reader can be answered from any more.

A story's stored page (articles/web/assembled.py) and its stored API representations (articles/api/stored.py) are
served only while their key is current, so a stale row is never served; it is rewritten by the story's next
reader. What no reader will rewrite stays: the rows of a release's code after the next release (each key begins
with the revision of the code and settings that rendered it), and those of stories readers can no longer see
(unpublished, or scheduled again). This command deletes both kinds, and leaves every row this release could still
serve. Run it after a release, with the production settings (the revision is worked out from them), or from
cron; it is safe to run at any time and again.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.api import stored
from articles.models import Article, StoredPage, StoredRepresentation
from articles.web import assembled


def prunable_pages():
    """Stored pages rendered by another revision, or of a story readers cannot see now."""
    visible = Article.objects.public(timezone.now()).values("pk")
    return StoredPage.objects.filter(~Q(key__startswith=f"{assembled.revision()}|") | ~Q(article__in=visible))


def prunable_representations():
    """Stored representations neither of whose formats this revision rendered, or of a story readers cannot see."""
    visible = Article.objects.public(timezone.now()).values("pk")
    current = f"{stored.revision()}:"
    return StoredRepresentation.objects.filter(
        (~Q(json_key__startswith=current) & ~Q(ninjs_key__startswith=current)) | ~Q(article__in=visible)
    )


class Command(BaseCommand):
    help = "Delete stored pages and API representations no reader can be answered from (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")

    def handle(self, *args, dry_run: bool, **options):
        with transaction.atomic():
            pages, representations = prunable_pages(), prunable_representations()
            if dry_run:
                counts = pages.count(), representations.count()
            else:
                counts = pages.delete()[0], representations.delete()[0]
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(
            self.style.SUCCESS(f"stored pages {verb}: {counts[0]}; stored representations {verb}: {counts[1]}")
        )
