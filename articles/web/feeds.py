"""RSS 2.0 and Atom feeds of the latest public stories: the whole site, a section, a source, a language.

Each item carries its story's language (one feed mixes languages), its publication and last-change dates,
and a GUID that never changes (the story's URI, as in ninjs), so an edited headline or slug is an update of
the same item, not a new one. Full text or a summary, by NEWSROOM_FEED_FULL_TEXT; a retracted story shows
its notice only (formats.structured, through story.shown())."""

from html import escape

from django.conf import settings
from django.contrib.syndication.views import Feed, FeedDoesNotExist
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles import selectors
from articles.formats import structured
from articles.formats.sources import source_name
from articles.languages import KNOWN_LANGUAGES
from articles.models import Section, Source

# How many stories a feed lists: the newest ones, as the home page's first page.
LENGTH = 20
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"


class StoryRss(Rss201rev2Feed):
    """RSS 2.0 with each item's language (dc:language) and, for full text, content:encoded beside the
    description that readers show in lists."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE, "xmlns:content": CONTENT}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language"])
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])


class StoryAtom(Atom1Feed):
    """Atom with each entry's language (xml:lang) and, for full text, a <content> beside the <summary>."""

    def item_attributes(self, item):
        return {**super().item_attributes(item), "xml:lang": item["language"]}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["content"]:
            handler.addQuickElement("content", item["content"], {"type": "html"})


class StoryFeed(Feed):
    """The latest public stories (drafts and scheduled stories never: selectors.visible_to(None)); a
    subclass narrows them to a section, a source or a language. One instance answers RSS, another Atom."""

    def __init__(self, *, atom: bool = False):
        self.feed_type = StoryAtom if atom else StoryRss

    def title(self, obj) -> str:
        return _("%(publication)s: latest stories") % {"publication": settings.NEWSROOM_PUBLICATION_NAME}

    def description(self, obj) -> str:
        return _("The latest stories published by %(publication)s.") % {
            "publication": settings.NEWSROOM_PUBLICATION_NAME
        }

    def subtitle(self, obj) -> str:
        return self.description(obj)  # Atom's name for it

    def link(self, obj) -> str:
        return reverse("articles:home")

    def author_name(self, obj) -> str:
        return settings.NEWSROOM_PUBLICATION_NAME  # Atom wants an author for entries without a byline

    def narrow(self, stories, obj):
        return stories

    def feed_language(self, obj) -> str | None:
        """The language the feed's stories are written in, when there is one (else the interface's)."""
        return None

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Atom's <id> would be the page the feed links to, the home page for the site's and the language feeds
        # alike: the feed's own address is unique to it and never changes.
        feed.feed["id"] = feed.feed["feed_url"]
        feed.feed["language"] = self.feed_language(obj) or feed.feed["language"]
        return feed

    def items(self, obj):
        # for_page loads credits, section, parts and corrections in a fixed number of queries, whatever LENGTH is.
        stories = self.narrow(selectors.visible_to(None), obj).for_page()
        return list(stories.order_by("-published_at", "-pk")[:LENGTH])

    def item_title(self, item) -> str:
        return item.headline

    def item_description(self, item) -> str:
        # Readers render descriptions (and Atom's type="html" summary) as HTML: the plain text is escaped once
        # for that, besides the XML escaping of the feed itself.
        return escape(structured.description(item), quote=False)

    def item_guid(self, item) -> str:
        return structured.story_uri(item, uri_prefix=settings.NEWSROOM_URI_PREFIX)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return structured.modified_at(item)

    def item_author_name(self, item) -> str | None:
        return item.byline or None

    def item_categories(self, item) -> list[str]:
        return [item.section.name] if item.section_id else []

    def item_extra_kwargs(self, item) -> dict:
        content = structured.full_text(item) if settings.NEWSROOM_FEED_FULL_TEXT else ""
        return {"language": item.language, "content": content}


class SectionFeed(StoryFeed):
    """A section's latest stories: /feeds/sections/<slug>/."""

    def get_object(self, request, slug: str):
        return Section.objects.get(slug=slug)

    def narrow(self, stories, section):
        return stories.filter(section=section)

    def title(self, section) -> str:
        return f"{settings.NEWSROOM_PUBLICATION_NAME}: {section.name}"

    def description(self, section) -> str:
        return _("The latest stories in %(section)s.") % {"section": section.name}

    def link(self, section) -> str:
        return reverse("articles:section", kwargs={"slug": section.slug})


class SourceFeed(StoryFeed):
    """The latest stories crediting one source: /feeds/sources/<slug>/, as its page /sources/<slug>/."""

    def get_object(self, request, slug: str):
        return Source.objects.get(slug=slug)

    def narrow(self, stories, source):
        return stories.filter(credits__source=source)

    # The source is named as its page names it, in the interface language the feed's title is written in.
    def title(self, source) -> str:
        return _("%(publication)s: stories from %(source)s") % {
            "publication": settings.NEWSROOM_PUBLICATION_NAME,
            "source": source_name(source, get_language()),
        }

    def description(self, source) -> str:
        return _("The latest stories crediting %(source)s.") % {"source": source_name(source, get_language())}

    def link(self, source) -> str:
        return source.get_absolute_url()


class LanguageFeed(StoryFeed):
    """The latest stories written in one language: /feeds/languages/<code>/; the feed itself says that
    language, whatever the interface language of its title."""

    def get_object(self, request, code: str):
        if code not in KNOWN_LANGUAGES:
            raise FeedDoesNotExist(code)
        return code

    def narrow(self, stories, code):
        return stories.filter(language=code)

    def title(self, code) -> str:
        return _("%(publication)s: stories in %(language)s") % {
            "publication": settings.NEWSROOM_PUBLICATION_NAME,
            "language": KNOWN_LANGUAGES[code],
        }

    def description(self, code) -> str:
        return _("The latest stories written in %(language)s.") % {"language": KNOWN_LANGUAGES[code]}

    def feed_language(self, code) -> str:
        return code
