"""Stories (articles), their takes (parts), their sections and the sources they credit."""

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from articles.languages import KNOWN_LANGUAGES, direction
from articles.paths import story_path

from .source import Source


class Section(models.Model):
    """A desk or category of the paper (عام، سياسي، اقتصادي…), read from a wire headline's slug."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    # Rises with every change to the section (services/sections.py): the API's ETags of its stories carry it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name


def _last_part_continues() -> Subquery:
    last_part = Part.objects.filter(article=OuterRef("pk")).order_by("-number")
    return Subquery(last_part.values("continues")[:1], output_field=models.BooleanField())


class ArticleQuerySet(models.QuerySet):
    """The named reads of stories: visibility and what each screen needs loaded."""

    def public(self, now=None) -> "ArticleQuerySet":
        """The one rule of visibility for readers: published or retracted, and published_at not in the future.

        A future published_at means scheduled: nothing else (no job, no flag) makes a story appear on time.
        A retracted story stays at its address, showing its retraction notice instead of its text. `now`: the
        moment to decide at (a prepared statement's value, newsroom.prepared), the present by default."""
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.RETRACTED], published_at__lte=now or timezone.now()
        )

    def with_part_stats(self) -> "ArticleQuerySet":
        """Annotate part_count and last_continues (is the story developing) in the same query.

        Both are correlated subqueries rather than a join with GROUP BY, so a page of a long list
        (LIMIT 20) computes them for its twenty stories only."""
        counted = Part.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk"))
        return self.annotate(
            part_count=Coalesce(Subquery(counted.values("n")[:1]), 0), last_continues=_last_part_continues()
        )

    def developing(self, value: bool = True) -> "ArticleQuerySet":
        """Stories whose last part continues (value=True), or those whose last part ends them."""
        return self.alias(is_developing=_last_part_continues()).filter(is_developing=value)

    def for_list(self) -> "ArticleQuerySet":
        """What a list of stories shows: sources and section, without the bodies."""
        return (
            self.with_part_stats()
            .select_related("section")
            .prefetch_related(models.Prefetch("credits", queryset=ArticleSource.objects.select_related("source")))
        )

    def for_page(self) -> "ArticleQuerySet":
        """What a story page shows: everything in list form plus every part in order and the corrections."""
        return self.for_list().prefetch_related(
            models.Prefetch("parts", queryset=Part.objects.order_by("number")),
            models.Prefetch("corrections", queryset=Correction.objects.filter(public=True).order_by("created_at")),
        )


class Article(models.Model):
    """One story in one language, told in one or more parts (takes)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        RETRACTED = "retracted", _("retracted")

    headline = models.CharField(_("headline"), max_length=500)
    # Never looked up: a story is found by its id, the slug only checked against it (a wrong one redirects). No
    # index, then (SlugField has two on PostgreSQL, one for LIKE), written for nothing on every story's insert.
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, db_index=False)
    language = models.CharField(_("language"), max_length=15, default="ar")
    # Not indexed alone: the (section, published_at) index starts with it.
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("section"),
        db_index=False,
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("The standfirst shown under the headline."))
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    sources = models.ManyToManyField(
        Source, through="ArticleSource", related_name="articles", blank=True, verbose_name=_("sources")
    )
    dateline = models.CharField(_("dateline"), max_length=500, blank=True, help_text=_("As written in the copy."))
    dateline_date = models.DateField(_("dateline date"), null=True, blank=True)
    dateline_place = models.CharField(_("dateline place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    retraction_notice = models.TextField(
        _("retraction notice"), blank=True, help_text=_("Shown to readers instead of the text of a retracted story.")
    )
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    # Rises on every change to the story, its parts or its sources (the services do it).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Rises when what only the story's page shows beside the story changes: a comment published or moderated, an
    # annotation written, edited or deleted (services/pagecache.story_page_changed). The page's stored fragment
    # is keyed by it (articles/web/assembled.py); the story's version and ETag are not.
    page_version = models.PositiveBigIntegerField(_("page version"), default=0, editable=False)
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    comments_open = models.BooleanField(
        _("comments open"), default=True, help_text=_("Readers may comment (until the automatic closing).")
    )
    comment_moderation = models.CharField(
        _("comment moderation"),
        max_length=10,
        blank=True,
        choices=[("pre", _("pre-moderation")), ("post", _("post-moderation")), ("new", _("new commenters first"))],
        help_text=_("Empty: the newsroom's setting."),
    )
    translated_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("translated by")
    )
    # The headline through articles.text.match_key: how a later take finds its story.
    headline_key = models.CharField(max_length=500, editable=False, default="")  # indexed: Meta.indexes

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            # Compared for equality only: a plain index, without the text-pattern twin db_index adds on PostgreSQL.
            models.Index(fields=["headline_key"], name="article_headline_key"),
            # The API's story list in its two orders (api/pagination.py): read newest first down the index to
            # the page's end, not the whole table sorted for every page.
            models.Index(Coalesce("published_at", "created_at"), "id", name="article_listed"),
            models.Index(fields=["updated_at", "id"], name="article_updated"),
            # A section's stories newest first (related stories: selectors/related.py), read down the index.
            models.Index(fields=["section", "-published_at"], name="article_section_published"),
        ]
        permissions = [
            ("submit_article", _("Can submit stories for review")),
            ("publish_article", _("Can publish, schedule and unpublish stories")),
            ("correct_article", _("Can add corrections to published stories")),
            ("retract_article", _("Can retract published stories")),
            ("edit_any_article", _("Can edit stories written by others")),
            ("view_unpublished_article", _("Can see every draft, scheduled and embargoed story")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(condition=Q(language__in=list(KNOWN_LANGUAGES)), name="article_language_known"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published", "retracted"]), name="article_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "retracted"]) | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="retracted") | (Q(retracted_at__isnull=False) & ~Q(retraction_notice="")),
                name="article_retracted_has_notice",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="article_version_positive"),
            models.CheckConstraint(
                condition=~Q(translation_of=models.F("pk")), name="article_not_translation_of_itself"
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(translation_of__isnull=False),
                name="article_one_translation_per_language",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return story_path(self.pk, self.slug)  # reverse("articles:detail", …), without reversing each time

    @property
    def direction(self) -> str:
        return direction(self.language)

    @property
    def language_name(self) -> str:
        """The language's own name for itself (العربية, English, اردو …), for language switchers."""
        return KNOWN_LANGUAGES.get(self.language, self.language)

    @property
    def developing(self) -> bool:
        """A story is developing while its last part continues."""
        if hasattr(self, "last_continues"):
            return bool(self.last_continues)
        last = self.ordered_parts[-1:] if self.ordered_parts else []
        return bool(last and last[0].continues)

    @property
    def ordered_parts(self) -> list["Part"]:
        """The parts in order, from the prefetch cache when the query loaded them."""
        return sorted(self.parts.all(), key=lambda part: part.number)

    @property
    def ordered_credits(self) -> list["ArticleSource"]:
        return sorted(self.credits.all(), key=lambda credit: credit.position)

    @property
    def is_public(self) -> bool:
        return (
            self.status in (self.Status.PUBLISHED, self.Status.RETRACTED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_retracted(self) -> bool:
        return self.status == self.Status.RETRACTED

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


class SourceRole(models.TextChoices):
    ORIGINATING_AGENCY = "originating_agency", _("originating agency")
    PUBLISHER = "publisher", _("publisher")
    CONTRIBUTOR = "contributor", _("contributor")


class ArticleSource(models.Model):
    """A source credited on a story, in dateline order, with the role it played."""

    # Not indexed alone: the unique constraints below start with it, and every insert pays for each index.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="credits", verbose_name=_("story"), db_index=False
    )
    # Not indexed alone: the (source, published_at) index starts with it.
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="credits", verbose_name=_("source"), db_index=False
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    role = models.CharField(_("role"), max_length=30, choices=SourceRole.choices, default=SourceRole.ORIGINATING_AGENCY)
    # The story's published_at, copied here so that a source's stories are read newest first down one index
    # (related stories: selectors/related.py) instead of every story crediting a wire agency being read and
    # sorted. Written by the change unit (services/changes.py) whenever the story's time or its credits change;
    # readers' visibility is still decided by the story's own row (Article.objects.public).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("credited source")
        verbose_name_plural = _("credited sources")
        indexes = [models.Index(fields=["source", "-published_at"], name="credit_source_published")]
        constraints = [
            models.UniqueConstraint(fields=["article", "source"], name="article_source_once"),
            models.UniqueConstraint(fields=["article", "position"], name="article_source_position_unique"),
            models.CheckConstraint(condition=Q(role__in=SourceRole.values), name="article_source_role_known"),
            models.CheckConstraint(condition=Q(position__gte=1), name="article_source_position_positive"),
        ]

    def __str__(self) -> str:
        # The role's label as get_role_display() gives it (the value itself when unknown), without rebuilding
        # the choices' dictionary on every call: a revision names each credit so.
        role = SourceRole(self.role).label if self.role in _ROLES else self.role
        return f"{self.source} ({role})"


_ROLES = frozenset(SourceRole.values)


class Part(models.Model):
    """A take: one instalment of a story's text, numbered 1..n without gaps."""

    # Not indexed alone: the unique (article, number) constraint starts with it.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="parts", verbose_name=_("story"), db_index=False
    )
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("take label"), max_length=100, blank=True, help_text=_("e.g. إضافة أولى"))
    body = models.TextField(_("body"), help_text=_("Plain text; paragraphs separated by a blank line."))
    continues = models.BooleanField(_("continues"), default=False, help_text=_("The story goes on in a later part."))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    # SHA-256 of the normalised wire copy this part came from (empty for parts typed in the admin):
    # copy already stored answers "unchanged".
    copy_digest = models.CharField(max_length=64, blank=True, editable=False)  # indexed: Meta.indexes

    class Meta:
        ordering = ["article", "number"]
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="part_number_unique_per_article"),
            models.CheckConstraint(condition=Q(number__gte=1), name="part_number_positive"),
        ]
        # Compared for equality only: a plain index, without the text-pattern twin db_index adds on PostgreSQL.
        indexes = [models.Index(fields=["copy_digest"], name="part_copy_digest")]

    def __str__(self) -> str:
        """How the admin names a part after its kind («جزء: 2», "Part: 2"): its number; "new" before it has one.
        (It was "story/number", which read as "1 of 2", and "None/1" for a part of a story not yet saved.)"""
        return str(self.number) if self.number is not None else pgettext("part", "new")

    @property
    def paragraphs(self) -> list[str]:
        return [paragraph for paragraph in self.body.split("\n\n") if paragraph.strip()]


class Correction(models.Model):
    """A dated correction note on a published story, shown to readers under the story."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("story"))
    note = models.TextField(_("note"))
    public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["article", "created_at"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty")]

    def __str__(self) -> str:
        return self.note[:80]
