"""What a translation renders: the original as it stood when the translation was made or marked current."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranslationBaseline(models.Model):
    """One translation's record of its original then: version, headline, summary, public corrections, and for
    each translated paragraph the original paragraph it renders (digest and text). `outdated` is kept in
    step with the original by the story-change announcement (services/translations.py)."""

    translation = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="baseline",
        verbose_name=_("translation"),
    )
    source_version = models.PositiveIntegerField(_("original's version"))
    headline = models.TextField(_("original's headline then"))
    summary = models.TextField(_("original's summary then"), blank=True)
    corrections = models.JSONField(_("original's public corrections then"), default=list, blank=True)
    # [{"part", "paragraph", "digest", "text", "source_part", "source_paragraph"}], one per translated paragraph
    paragraphs = models.JSONField(_("paragraphs rendered"), default=list, blank=True)
    outdated = models.BooleanField(_("outdated"), default=False, db_index=True)
    original_changed_at = models.DateTimeField(_("original changed at"), null=True, blank=True)
    marked_at = models.DateTimeField(_("marked current at"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("translation baseline")
        verbose_name_plural = _("translation baselines")

    def __str__(self) -> str:
        return f"{self.translation_id} ← v{self.source_version}"
