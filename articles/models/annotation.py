"""Annotations on spans of a story's text (W3C Web Annotation), anchored so that they survive edits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Annotation(models.Model):
    """A note on a span of one part: a TextQuoteSelector and a TextPositionSelector (code points into
    Part.body as stored), a body, a W3C motivation, an audience and where its anchoring stands."""

    class Purpose(models.TextChoices):
        COMMENTING = "commenting", _("comment")
        DESCRIBING = "describing", _("context")
        ASSESSING = "assessing", _("fact-check")
        CLASSIFYING = "classifying", _("glossary")
        EDITING = "editing", _("correction")
        TRANSLATING = "translating", _("translator's note")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("public")
        INTERNAL = "internal", _("internal")

    class Anchoring(models.TextChoices):
        ANCHORED = "anchored", _("anchored")
        REANCHORED = "reanchored", _("re-anchored")
        ORPHANED = "orphaned", _("orphaned")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="annotations", verbose_name=_("story")
    )
    # The part: its row (null once deleted: the annotation is orphaned) and its id, so that a restored
    # revision, which brings the part back with the same id, brings the annotation back too.
    part = models.ForeignKey(
        "articles.Part", null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    part_ref = models.PositiveBigIntegerField(_("part id"))
    exact = models.TextField(_("quote"))
    prefix = models.CharField(_("text before"), max_length=32, blank=True)
    suffix = models.CharField(_("text after"), max_length=32, blank=True)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    body = models.TextField(_("note"))
    language = models.CharField(_("language of the note"), max_length=15, default="ar")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.DESCRIBING)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    anchoring = models.CharField(
        _("anchoring"), max_length=12, choices=Anchoring.choices, default=Anchoring.ANCHORED, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modified"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["article", "part_ref", "start", "pk"]
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        permissions = [("annotate_any_article", _("Can annotate any story"))]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="annotation_span_not_empty"),
            models.CheckConstraint(condition=~Q(exact=""), name="annotation_quote_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="annotation_body_not_empty"),
            models.CheckConstraint(
                condition=Q(
                    purpose__in=["commenting", "describing", "assessing", "classifying", "editing", "translating"]
                ),
                name="annotation_purpose_known",
            ),
            models.CheckConstraint(condition=Q(audience__in=["public", "internal"]), name="annotation_audience_known"),
            models.CheckConstraint(
                condition=Q(anchoring__in=["anchored", "reanchored", "orphaned"]), name="annotation_anchoring_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.exact[:40]}"

    @property
    def is_shown_to_readers(self) -> bool:
        return self.audience == self.Audience.PUBLIC and self.anchoring != self.Anchoring.ORPHANED
