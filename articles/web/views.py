"""Public pages: the latest stories, one story, one source's stories."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from articles import selectors
from articles.formats import shown
from articles.models import Source
from articles.services import ServiceError


def _page(request, queryset):
    paginator = Paginator(queryset, settings.NEWSROOM_PAGE_SIZE)
    # get_page answers the last page for a number past the end and the first for anything that is not a number.
    return paginator.get_page(request.GET.get("page"))


# Public pages are the anonymous reader's view whoever asks (staff included), so shared caches may keep them;
# staff see drafts through the previews.


def home(request):
    """The latest published stories, newest first."""
    page = _page(request, selectors.visible_to(None).for_list().order_by("-published_at", "-pk"))
    return render(request, "articles/home.html", {"page": page})


def article_detail(request, pk: int, slug: str):
    """One story with all its parts; a wrong slug redirects to the canonical URL."""
    article = selectors.visible_to(None).for_page().filter(pk=pk).first()
    if article is None:
        raise Http404("No such story")
    if slug != article.slug:
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", {"article": article, "text": shown(article)})


def source_detail(request, slug: str):
    """A source's published stories, newest first."""
    source = get_object_or_404(Source, slug=slug)
    stories = selectors.visible_to(None).filter(credits__source=source).for_list().order_by("-published_at", "-pk")
    return render(request, "articles/source_detail.html", {"source": source, "page": _page(request, stories)})


@staff_member_required
def preview(request, pk: int):
    """A story, whatever its status, exactly as the public page will render it; staff only."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    article = get_object_or_404(selectors.visible_to(request.user).for_page(), pk=pk)
    text = shown(article, withheld_text_visible=selectors.shows_withheld_text(request.user))
    return render(request, "articles/article_detail.html", {"article": article, "text": text, "preview": True})


@staff_member_required
def preview_revision(request, pk: int, version_id: int):
    """One revision of a story rendered as the public page would render it; staff only."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    article = get_object_or_404(selectors.visible_to(request.user), pk=pk)
    try:
        version = selectors.version_of(article, version_id)
    except ServiceError as error:
        raise Http404(error.message) from error
    story = selectors.as_story(version)
    text = shown(story, withheld_text_visible=True)  # a revision is shown as it was written, to staff only
    return render(request, "articles/article_detail.html", {"article": story, "text": text, "preview": True})
