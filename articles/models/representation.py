from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredRepresentation(models.Model):
    """A story's representations as the API answers the public (articles/api/stored.py): JSON and ninjs, with
    the site's own addresses left relative, each beside the key it was rendered for (its ETag and the code's
    revision). Written when a public story is created, and by the first anonymous read that finds none current;
    read by the anonymous retrieve in the same statement that decides whether the story is visible and computes
    its ETag, and served only when the two keys are equal. A stale row is never served; the story's deletion and
    `manage.py prune_stored` (another release's rows, a story readers cannot see) delete it."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="stored_representation"
    )
    json_key = models.CharField(_("JSON key"), max_length=200, blank=True)
    json_body = models.TextField(_("JSON"), blank=True)
    ninjs_key = models.CharField(_("ninjs key"), max_length=200, blank=True)
    ninjs_body = models.TextField(_("ninjs"), blank=True)

    class Meta:
        verbose_name = _("stored representation")
        verbose_name_plural = _("stored representations")

    def __str__(self) -> str:
        return str(self.article_id)


class StoredPage(models.Model):
    """A public story page as rendered for one interface language, with what a request supplies marked in it
    (the host, the path, the sections' menu, the times said relative to now): articles/web/assembled.py. Kept
    beside the key it was rendered for (the story's own state, the code's revision) and the related stories it
    shows, and served, the marks filled in, only while that key is the current one and those are still the
    related stories. A stale row is never served; the story's deletion and `manage.py prune_stored` (another
    release's rows, a story readers cannot see) delete it."""

    # Found by (article, language), the unique constraint's index: no index of its own.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="stored_pages", db_index=False
    )
    language = models.CharField(_("language"), max_length=15)
    key = models.CharField(_("key"), max_length=1000)
    mark = models.CharField(_("mark"), max_length=40)
    body = models.TextField(_("page"))
    # The related stories the page shows, newest first: each one's id, version and its section's and sources'
    # versions ("12.3.1.4,…"), their ids as a JSON array, and the rank of the last of them when the page shows
    # as many as it may (its publication time and id), below which no newer story may have appeared.
    related = models.TextField(_("related stories"), blank=True)
    related_ids = models.TextField(_("related stories' ids"), default="[]")
    below_at = models.DateTimeField(_("last related story's time"), null=True, blank=True)
    below_pk = models.BigIntegerField(_("last related story's id"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored page")
        verbose_name_plural = _("stored pages")
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="one_stored_page_a_language")]

    def __str__(self) -> str:
        return f"{self.article_id} ({self.language})"
