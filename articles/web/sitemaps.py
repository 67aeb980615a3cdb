"""Sitemaps for search engines, through django.contrib.sitemaps and its paging: every public story with its
language versions as hreflang alternates, the sections' and sources' pages, and the Google News sitemap (the
stories of the last 48 hours with publication name, language, title and date)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from articles.formats import structured
from articles.models import Article, Section, Source

# Google News reads stories published in the last two days, at most 1,000 per news sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class PageSitemap(Sitemap):
    """The pages that are not a story or a source: the home page."""

    def items(self):
        return ["articles:home"]

    def location(self, item) -> str:
        return reverse(item)


class StorySitemap(Sitemap):
    """Every public story, newest first. Retracted stories stay: their page now shows the notice, and a
    crawler that comes back (lastmod moved) drops the withheld text from its index."""

    limit = 5000  # a page of the sitemap; /sitemap.xml lists one entry per page (?p=2 …)

    def items(self):
        translated = Article.objects.public().filter(translation_of=OuterRef("pk"))
        return (
            Article.objects.public()
            .only("pk", "slug", "language", "translation_of", "published_at", "updated_at")
            .annotate(has_translations=Exists(translated))
            .order_by("-published_at", "-pk")
        )

    def location(self, item) -> str:
        return iri_to_uri(item.get_absolute_url())  # <loc> is a URI: the Arabic slug percent-encoded

    def lastmod(self, item):
        return structured.modified_at(item)

    def get_latest_lastmod(self):
        # The index's <lastmod>, in one aggregate (Django's default would call lastmod on every story).
        return Article.objects.public().aggregate(latest=Max(Greatest("updated_at", "published_at")))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        families = _families([url["item"] for url in urls])
        for url in urls:
            url["alternates"] = _alternates(url["item"], families, origin)
        return urls


def _root(story: Article) -> int:
    return story.translation_of_id or story.pk


def _families(stories: list[Article]) -> dict[int, list[Article]]:
    """The public language versions of this page's stories that have any, by original (one query)."""
    roots = {_root(story) for story in stories if story.translation_of_id or story.has_translations}
    if not roots:
        return {}
    versions = (
        Article.objects.public()
        .filter(Q(pk__in=roots) | Q(translation_of__in=roots))
        .only("pk", "slug", "language", "translation_of")
        .order_by("language", "pk")
    )
    families: dict[int, list[Article]] = {}
    for version in versions:
        families.setdefault(_root(version), []).append(version)
    return families


def _alternates(story: Article, families: dict[int, list[Article]], origin: str) -> list[dict]:
    """hreflang alternates, as on the story's page: every public version (the story too), and the original
    as x-default."""
    root = _root(story)
    versions = families.get(root, [])
    if len(versions) < 2:
        return []
    alternates = [
        {"lang_code": version.language, "location": origin + iri_to_uri(version.get_absolute_url())}
        for version in versions
    ]
    original = next((version for version in versions if version.pk == root), None)
    if original is not None:
        alternates.append({"lang_code": "x-default", "location": origin + iri_to_uri(original.get_absolute_url())})
    return alternates


class SectionSitemap(Sitemap):
    """The pages of sections with at least one public story, lastmod their latest story."""

    def items(self):
        latest = Article.objects.public().filter(section=OuterRef("pk")).order_by("-published_at")
        return (
            Section.objects.annotate(latest=Subquery(latest.values("published_at")[:1]))
            .filter(latest__isnull=False)
            .order_by("slug")
        )

    def location(self, item) -> str:
        return iri_to_uri(reverse("articles:section", kwargs={"slug": item.slug}))

    def lastmod(self, item):
        return item.latest


class SourceSitemap(Sitemap):
    """The pages of sources credited on at least one public story, lastmod their latest story."""

    limit = 5000

    def items(self):
        latest = Article.objects.public().filter(credits__source=OuterRef("pk")).order_by("-published_at")
        return (
            Source.objects.annotate(latest=Subquery(latest.values("published_at")[:1]))
            .filter(latest__isnull=False)
            .order_by("slug")
        )

    def location(self, item) -> str:
        return iri_to_uri(item.get_absolute_url())

    def lastmod(self, item):
        return item.latest


class NewsSitemap(Sitemap):
    """The Google News sitemap: published stories of the last 48 hours (retracted ones left out), each with
    the publication's name, the story's language, title and publication date."""

    limit = NEWS_LIMIT

    def items(self):
        return (
            Article.objects.public()
            .filter(status=Article.Status.PUBLISHED, published_at__gte=timezone.now() - NEWS_WINDOW)
            .only("pk", "slug", "language", "headline", "published_at")
            .order_by("-published_at", "-pk")
        )

    def location(self, item) -> str:
        return iri_to_uri(item.get_absolute_url())

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            story = url["item"]
            url["news"] = {
                "publication": settings.NEWSROOM_PUBLICATION_NAME,
                "language": story.language,
                "title": story.headline,
                "published": structured.iso_date(story.published_at),
            }
        return urls


SITEMAPS = {"pages": PageSitemap, "stories": StorySitemap, "sections": SectionSitemap, "sources": SourceSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}
