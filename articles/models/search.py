"""The search document of a story: its texts as search sees them, and (on PostgreSQL) their weighted vector."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One per story, kept current by the story-change announcement (services/search.py). `headline`,
    `summary` and `body` hold the text through articles.text.search_text (SQLite searches them directly);
    `vector` is their tsvector on PostgreSQL (headline weighted A, summary B, the rest C), GIN-indexed;
    `display` keeps the text as written, for highlighted snippets; `listed_at` is the story's publication time
    when it is published or retracted (else empty), so that readers' searches find and order their candidates
    from this table alone (`listed_at <= now()` is `Article.objects.public()`)."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    config = models.CharField(_("text search configuration"), max_length=20, default="simple")
    headline = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    display = models.TextField(blank=True)
    vector = SearchVectorField(null=True, blank=True)
    listed_at = models.DateTimeField(_("listed at"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.article_id} ({self.config})"
