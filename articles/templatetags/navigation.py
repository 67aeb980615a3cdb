"""What the public pages' header and lists need: the sections menu, a source's name in the reader's language
and the retraction label."""

from contextlib import suppress

from django import template
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import get_language

from articles import selectors
from articles.formats import withholds
from articles.formats.sources import source_name as name_for
from articles.models import Section
from articles.services import pagecache
from newsroom.cache import UNREACHABLE

register = template.Library()

# ":2": the menu's sections carry their address (menu_url); a menu kept by an earlier release has none.
SECTIONS_KEY = "newsroom:navigation:sections:2"
# The menu changes when a story in a new section is published. It is kept per generation of the public pages
# (services/pagecache: every change readers see moves it on), so a page rendered anew never carries an older
# menu; the minute is the safety net for what moves no generation. One query per generation and minute, not
# one per page (the pages' query budgets: docs/pages.md).
SECTIONS_SECONDS = 60


@register.simple_tag
def site_sections() -> list[Section]:
    """The sections that have a public story, by name: the header's menu."""
    try:
        key = f"{SECTIONS_KEY}:{pagecache.state()[0]}"  # the generation: known in this process on Redis
        sections = cache.get(key)
    except UNREACHABLE:  # read for this page alone
        key, sections = None, None
    if sections is None:
        public = selectors.visible_to(None).filter(section=OuterRef("pk"))
        sections = list(Section.objects.filter(Exists(public)).order_by("name"))
        for section in sections:  # kept with the menu: a page render then reverses no URL for it
            section.menu_url = reverse("articles:section", kwargs={"slug": section.slug})
        if key is not None:
            with suppress(*UNREACHABLE):
                cache.set(key, sections, SECTIONS_SECONDS)
    return sections


@register.filter
def source_name(source) -> str:
    """The source's name in the interface language (formats.sources.source_name)."""
    return name_for(source, get_language())


@register.filter
def withheld(article) -> bool:
    """Whether the story's reader is shown its retraction instead of its text (formats.withholds): lists label it."""
    return withholds(article)
