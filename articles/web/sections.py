"""Section pages: a desk's public stories, as the home page lists them."""

from django.shortcuts import get_object_or_404, render

from articles import selectors
from articles.models import Section

from .views import _page, past_the_end


def section_detail(request, slug: str):
    """A section's public stories, newest first, paginated; a retracted story stays, labelled (docs/pages.md)."""
    section = get_object_or_404(Section, slug=slug)
    stories = selectors.visible_to(None).filter(section=section).for_list().order_by("-published_at", "-pk")
    page = _page(request, stories)
    context = {"section": section, "current_section": section, "page": page}
    return past_the_end(request, page) or render(request, "articles/section_detail.html", context)
