"""URLs of the public pages."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from . import comments, feeds, search, sections, sitemaps, views
from .caching import asked_again, public_page


class StoryId:
    """A story's id as its address writes it: no leading zero (`/articles/007/…` would be the same story at an
    address of its own, a page and a cache entry apart), at most 19 digits."""

    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(StoryId, "story")

# A story page reads `reply` (the comment form's "reply to") and `comment` (the notice after posting); it is
# kept by the story's own clock too (its comments and annotations: services/pagecache).
story_page = public_page("reply", "comment", story="pk")

app_name = "articles"

urlpatterns = [
    path("", public_page("page")(views.home), name="home"),
    path("search/", asked_again(search.search_page), name="search"),
    path("articles/<story:pk>/", story_page(views.article_detail), {"slug": ""}, name="detail-short"),
    # Before the story route, so that a story whose slug is "comments" still opens (this one is POST only).
    path("articles/<story:pk>/comments/", comments.post_comment, name="comment"),
    path("articles/<story:pk>/comments/<int:comment_id>/report/", comments.report_comment, name="comment-report"),
    path("articles/<story:pk>/<str:slug>/", story_page(views.article_detail), name="detail"),
    path("sources/<str:slug>/", public_page("page")(views.source_detail), name="source"),
    path("sections/<str:slug>/", public_page("page")(sections.section_detail), name="section"),
    path("preview/articles/<int:pk>/", views.preview, name="preview"),
    path("preview/articles/<int:pk>/revisions/<int:version_id>/", views.preview_revision, name="preview-revision"),
    # For machines (docs/feeds.md): feeds, sitemaps, robots.txt.
    path("feeds/", public_page()(feeds.StoryFeed()), name="feed"),
    path("feeds/atom/", public_page()(feeds.StoryFeed(atom=True)), name="feed-atom"),
    path("feeds/sections/<str:slug>/", public_page()(feeds.SectionFeed()), name="feed-section"),
    path("feeds/sections/<str:slug>/atom/", public_page()(feeds.SectionFeed(atom=True)), name="feed-section-atom"),
    path("feeds/sources/<str:slug>/", public_page()(feeds.SourceFeed()), name="feed-source"),
    path("feeds/sources/<str:slug>/atom/", public_page()(feeds.SourceFeed(atom=True)), name="feed-source-atom"),
    path("feeds/languages/<str:code>/", public_page()(feeds.LanguageFeed()), name="feed-language"),
    path("feeds/languages/<str:code>/atom/", public_page()(feeds.LanguageFeed(atom=True)), name="feed-language-atom"),
    path(
        "sitemap.xml",
        asked_again(require_safe(sitemap_views.index)),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        asked_again(require_safe(sitemap_views.sitemap)),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml",
        asked_again(require_safe(sitemap_views.sitemap)),
        {"sitemaps": sitemaps.NEWS_SITEMAPS, "template_name": "articles/sitemap_news.xml"},
        name="news-sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
]
