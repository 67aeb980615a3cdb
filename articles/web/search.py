"""The readers' search page: ranked stories with highlighted snippets, filters and pages."""

from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.safestring import mark_safe

from articles import selectors
from articles.languages import KNOWN_LANGUAGES
from articles.models import Section, Source
from articles.services import search


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def search_page(request):
    """`/search/?q=…` with `language`, `source`, `section`, `from`, `to`, `page`."""
    query = search.parse(request.GET.get("q", ""))
    # Each language by its own name, as the story pages' language switch names it (not its code).
    languages = [(code, KNOWN_LANGUAGES.get(code, code)) for code in settings.NEWSROOM_LANGUAGES]
    context = {"search_query": query, "sections": Section.objects.all(), "languages": languages}
    filters = {name: request.GET.get(name, "") for name in ("language", "source", "section", "from", "to")}
    context["filters"] = filters
    if query.problems and "q" in request.GET:
        context["problems"] = query.problems
    if query.problems:
        return render(request, "articles/search.html", context, status=400 if "q" in request.GET else 200)
    stories = selectors.visible_to(None)
    if filters["language"]:
        stories = stories.filter(language=filters["language"])
    if filters["source"]:
        stories = stories.filter(credits__source__slug=filters["source"])
    if filters["section"]:
        stories = stories.filter(section__slug=filters["section"])
    if since := _date(filters["from"]):
        stories = stories.filter(published_at__date__gte=since)
    if until := _date(filters["to"]):
        stories = stories.filter(published_at__date__lte=until)
    # Unfiltered, a reader's search reads the search documents alone (their listing time is the public rule).
    found = search.search(stories if any(filters.values()) else None, query, public=True)
    page = Paginator(found, settings.NEWSROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    results = search.load_page(page.object_list, stories.for_list())
    for article in results:
        article.snippet = mark_safe(search.snippet(article, query))  # escaped by search.snippet, <mark> added
    source = Source.objects.filter(slug=filters["source"]).first() if filters["source"] else None
    context.update(page=page, results=results, count=len(found), more=found.more, source=source)
    return render(request, "articles/search.html", context)
