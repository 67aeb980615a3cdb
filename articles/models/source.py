"""News organisations that stories come from, and the spellings datelines use for them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    AGENCY = "agency", _("news agency")
    PUBLISHER = "publisher", _("publisher")


class Source(models.Model):
    """A news organisation: an agency that files copy or a publisher that prints it."""

    name = models.CharField(_("name"), max_length=200)
    # What the public pages call the source in each interface language (formats.sources.source_name): a reader
    # of the Arabic pages reads «وكالة الأنباء السعودية», not "Saudi Press Agency". Empty: `name` stands in.
    name_ar = models.CharField(
        _("Arabic name"), max_length=200, blank=True, help_text=_("Shown on the Arabic pages; empty: the name.")
    )
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, help_text=_("Shown on the English pages; empty: the name.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices, default=SourceKind.AGENCY)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Rises on every change to the source or its aliases (the services do it); ETags derive from it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="source_name_not_empty"),
            models.CheckConstraint(condition=models.Q(kind__in=SourceKind.values), name="source_kind_known"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})


class SourceAlias(models.Model):
    """One spelling of a source as it appears in datelines (Arabic, Urdu or Latin)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("source"))
    alias = models.CharField(_("alias"), max_length=200)
    # The alias through articles.text.match_key: Urdu/Persian letter forms, hamzas and spacing
    # fold together, so "أردو بوینت نتورك" and "اردو بوينت نتورك" are one source. Kept by the services.
    key = models.CharField(_("matching key"), max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["alias"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [models.CheckConstraint(condition=~models.Q(key=""), name="source_alias_key_not_empty")]

    def __str__(self) -> str:
        return self.alias
