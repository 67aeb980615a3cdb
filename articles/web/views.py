"""Public pages: the latest stories, one story, one source's stories."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from articles import selectors
from articles.formats import marks, shown, translations
from articles.models import Article, CommentReport, Source
from articles.selectors import comments as comment_selectors
from articles.services import ServiceError, pagecache
from articles.services import comments as comment_services
from newsroom.cache import UNREACHABLE

from . import assembled


def _page(request, queryset):
    paginator = Paginator(queryset, settings.NEWSROOM_PAGE_SIZE)
    # get_page answers the last page for a number past the end and the first for anything that is not a number
    # (the cache has kept only a page number of 2 or more as the request's `page`: web/caching.py).
    return paginator.get_page(request.GET.get("page"))


def past_the_end(request, page):
    """A redirect to the last page when the request asked for a page past it (an old link after stories left
    the list), else None: the last page answered at every number past it would be one cache entry a number."""
    asked = request.GET.get("page", "")
    if asked.isascii() and asked.isdigit() and int(asked) > page.number:
        return redirect(f"{request.path}?page={page.number}" if page.number > 1 else request.path)
    return None


# Public pages are the anonymous reader's view whoever asks (staff included), so shared caches may keep them;
# staff see drafts through the previews.


def home(request):
    """The latest published stories, newest first. A retracted story leaves this list (it stays at its address,
    and in its section's and sources' lists with its label: docs/pages.md)."""
    stories = selectors.visible_to(None).exclude(status=Article.Status.RETRACTED)
    page = _page(request, stories.for_list().order_by("-published_at", "-pk"))
    return past_the_end(request, page) or render(request, "articles/home.html", {"page": page})


def article_detail(request, pk: int, slug: str):
    """One story with all its parts, its language versions and related stories (one statement:
    selectors.story_page); a wrong slug redirects to the canonical URL."""
    page = selectors.story_page(pk)
    # Stored when the request came by the stored page's check (web/assembled.py).
    store = getattr(request, "store_page", False) and settings.NEWSROOM_STORED_PAGES
    if page is None:
        raise Http404("No such story")
    article = page.article
    if slug != article.slug:
        # The query goes along (a reply's form, a comment's notice), written again as the page reads it.
        query = request.GET.urlencode()
        return redirect(article.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
    context = _story_context(
        article,
        None,
        versions=page.versions,
        related=page.related,
        text=shown(article),
        comment_form=None,
        request=request,
    )
    if not store:
        return render(request, "articles/article_detail.html", context)
    # Rendered to be stored, what the request supplies marked, then filled in for this reader (web/assembled.py).
    marks = assembled.Marks()
    marked = render(request, "articles/article_detail.html", {**context, "marks": marks})
    body = marked.content.decode()
    assembled.store(page, marks, body)
    try:
        generation = pagecache.state()[0]
    except UNREACHABLE:  # the cache went away since the request came in: a menu read for this page alone
        generation = object()
    marked.content = assembled.fill(body, marks.mark, request, menu=assembled.menu(generation))
    return marked


def _marked_parts(article, text, *, annotated: bool = True) -> list:
    """Each part shown with its public annotations marked and numbered (in reading order, story-wide)."""
    by_part = selectors.public_annotations_by_part(article) if annotated and text.parts else {}
    marked, number = [], 1
    for part in text.parts:
        result = marks.mark(part.body, by_part.get(part.pk, []), first_number=number)
        number += len(result.notes)
        marked.append((part, result))
    return marked


def _story_context(article, user, *, versions=None, related=None, **extra) -> dict:
    """A story page's context: the story, its language versions this visitor may see, its translators, whether
    it lags behind its original, and the public stories related to it. `versions` and `related` are loaded here
    unless the caller loaded them already (the public page does, with the story)."""
    if "text" in extra:
        extra.setdefault("text_parts", _marked_parts(article, extra["text"], annotated=article.pk is not None))
    if "comment_form" in extra:
        extra.update(_comments_context(article, extra.pop("comment_form"), extra.pop("request", None)))
    if versions is None:
        versions = selectors.language_versions_of(article, user) if _has_family(article) else []
    if related is None:
        related = selectors.related_to(article)
    original = next((v for v in versions if v.pk == article.translation_of_id), None)
    return {
        "article": article,
        "versions": versions if len(versions) > 1 else [],
        "original": original,
        "translators": ", ".join(translations.translators(article)) if article.translation_of_id else "",
        "outdated": bool(translations.is_outdated(article)) and original is not None,
        "original_changed_at": translations.original_changed_at(article, original),
        "related": related,
        **extra,
    }


NOTICES = {
    "pending": gettext_lazy("Thank you: your comment will appear once a moderator has read it."),
    "published": gettext_lazy("Thank you: your comment is published."),
    "reported": gettext_lazy("Thank you: the moderators will look at this comment."),
}


def _comments_context(article, form, request) -> dict:
    """The comments under a story: approved threads (featured first), the form or why there is none."""
    from . import comments

    featured, rest = comment_selectors.threads(article)
    reply = request.GET.get("reply", "") if request is not None else ""
    if form is None:
        form = comments.CommentForm(initial={"parent": reply if reply.isdigit() else None})
    notice = NOTICES.get(request.GET.get("comment", "")) if request is not None else None
    parent = str(form["parent"].value() or "")
    answered = next((thread.comment for thread in (*featured, *rest) if str(thread.comment.pk) == parent), None)
    return {
        "featured_comments": featured,
        "comment_threads": rest,
        "comments_closed": comment_services.closed_because(article),
        "comment_form": form,
        "comment_notice": notice,
        "report_reasons": CommentReport.Reason.choices,
        # The name of the comment a reply answers (one the page shows), isolated (U+2068 … U+2069) so that its own
        # direction cannot turn the sentence that names it round.
        "reply_to": f"\u2068{answered.name}\u2069" if answered is not None else "",
    }


def _has_family(article) -> bool:
    if article.translation_of_id is not None:
        return True
    known = getattr(article, "has_translations", None)
    return article.translations.exists() if known is None else known


def _story_query(user):
    """A story page's query: the page's loads, the translation baseline, and whether it has translations."""
    translated = Exists(Article.objects.filter(translation_of=OuterRef("pk")))
    return selectors.visible_to(user).for_page().select_related("baseline").annotate(has_translations=translated)


def source_detail(request, slug: str):
    """A source's published stories, newest first."""
    source = get_object_or_404(Source, slug=slug)
    stories = selectors.visible_to(None).filter(credits__source=source).for_list().order_by("-published_at", "-pk")
    page = _page(request, stories)
    context = {"source": source, "page": page}
    return past_the_end(request, page) or render(request, "articles/source_detail.html", context)


@never_cache  # a draft: never kept by a browser or a shared cache
@staff_member_required
def preview(request, pk: int):
    """A story, whatever its status, exactly as the public page will render it; staff only."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    article = get_object_or_404(_story_query(request.user), pk=pk)
    text = shown(article, withheld_text_visible=selectors.shows_withheld_text(request.user))
    context = _story_context(article, request.user, text=text, preview=True)
    return render(request, "articles/article_detail.html", context)


@never_cache
@staff_member_required
def preview_revision(request, pk: int, version_id: int):
    """One revision of a story rendered as the public page would render it, to those who may read the story's
    history (selectors.may_read_history); anyone else gets a 404."""
    article = get_object_or_404(selectors.visible_to(request.user), pk=pk)
    if not selectors.may_read_history(request.user, article):
        raise Http404("No such story")
    try:
        version = selectors.version_of(article, version_id)
    except ServiceError as error:
        raise Http404(error.message) from error
    story = selectors.as_story(version)
    text = shown(story, withheld_text_visible=True)  # as it was written: may_read_history guards withheld text
    context = {"article": story, "text": text, "text_parts": _marked_parts(story, text, annotated=False)}
    return render(request, "articles/article_detail.html", {**context, "preview": True})
