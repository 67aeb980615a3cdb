from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredRepresentation(models.Model):
    """A story's representations as the API answers the public (articles/api/stored.py): JSON and ninjs, with
    the site's own addresses left relative, each beside the key it was rendered for (its ETag and the code's
    revision). Written when a public story is created, and by the first anonymous read that finds none current;
    read by the anonymous retrieve in the same statement that decides whether the story is visible and computes
    its ETag, and served only when the two keys are equal. A stale row is never served, so nothing deletes one
    (the story's deletion does)."""

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
