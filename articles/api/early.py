"""The public's story answered from its stored representation before the middleware and the dispatch it does not
need (docs/api.md "The public's retrieve"), as a kept public page is (articles/web/caching.KeptPageMiddleware).

A GET or HEAD of /api/v1/articles/<id>/ with no credentials (no Authorization header, no session cookie), no
query but `format`, and an Accept header that DRF's negotiation could only answer with JSON or ninjs, for a story
whose stored representation is current, is answered here: by the retrieve's own statement (replica reads
included), the anonymous rate limit counted as DRF's throttles count it (once, whichever way the request is
answered), and the headers the whole chain gives the same answer (Vary, Allow, Content-Language,
Content-Length). Anything else, and a client over its rate, goes down the chain to the view, which answers it
as before: the view is the reference, and tests/test_api_early.py holds the two to the same status, headers and
bytes.

The public's story list (GET /api/v1/articles/, JSON or ninjs, no query but `format` and `cursor`) is kept in the
pages' cache (services/pagecache), as the public list pages are: rendered once per generation (which every change
to a story readers see moves on, and a scheduled story's time), per language, host, format and cursor, with what
each listed story's page version was (annotations, which the list counts, move a story's page version and not
the generation). A kept list is answered here when its generation is current and one statement finds each listed
story at the page version it was rendered at; otherwise the view renders it and it is kept on its way back. The
rate limit is counted as for a story. tests/test_api_early_list.py holds the two answers to the same headers and
bytes, and a kept list to every change that moves what it shows."""

from __future__ import annotations

import hashlib
import time
from functools import cache

from django.contrib.messages.storage.cookie import CookieStorage
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from rest_framework.request import Request

from articles.models import Article
from articles.paths import origin
from articles.services import pagecache
from newsroom.cache import UNREACHABLE
from newsroom.prepared import NUMBERS, Prepared
from newsroom.routers import anonymous, replica_reads

from . import stored
from .conditional import matches, story_etag
from .renderers import NinjsRenderer
from .stories import PUBLIC_ANSWER, ArticleViewSet, answered, story_id

# The Accept headers DRF answers with JSON when no format is asked for ([JSONRenderer, BrowsableAPIRenderer,
# NinjsRenderer]: the first renderer that matches), and those it answers with ninjs.
_JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})
_NINJS_ACCEPTS = frozenset({NinjsRenderer.media_type})
_MEDIA_TYPES = {"json": "application/json", "ninjs": NinjsRenderer.media_type}
_DETAIL = "api:article-detail"
_LIST = "api:article-list"
# The list's own parameter, beside `format`, that a kept list is keyed by (longer values go to the view).
_CURSOR, _MAX_CURSOR = "cursor", 200
# Where a kept list is: under the pages' prefix, watched by every process as a page is (newsroom.cache.Near).
_LIST_PREFIX = "newsroom:pages:page:"
# Headers a kept list is answered without: written for each answer.
_UNKEPT = frozenset({"Content-Length", "X-Cache"})
# The listed stories' page versions, by id: what a kept list checks before it is answered.
_PAGE_VERSIONS = Prepared(
    lambda ids: Article.objects.filter(pk__any_of=ids).order_by().only("pk", "page_version"), ids=NUMBERS
)
# As the chain writes them: DRF (Accept), LocaleMiddleware (Accept-Language), SessionMiddleware (Cookie: DRF's
# session authentication reads the session, if only to find none).
_VARY = ("Accept", "Accept-Language", "Cookie")


def answered_format(request, params=frozenset({"format"})) -> str | None:
    """The format DRF's negotiation would answer this request in, when it can only be JSON or ninjs; else None
    (the browsable API, an indent, a media type with parameters, a format and an Accept header together…).
    `params`: the query parameters the request may carry."""
    if set(request.GET) - params:
        return None
    asked = request.GET.getlist("format")
    accept = request.headers.get("Accept", "").strip()
    if not asked:
        return "json" if accept in _JSON_ACCEPTS else "ninjs" if accept in _NINJS_ACCEPTS else None
    if len(asked) == 1 and asked[0] in stored.FORMATS and accept in ("", "*/*"):
        return asked[0]
    return None


@cache
def _allowed(view) -> str:
    """The Allow header DRF gives the routed view: its instance with the router's actions bound, as as_view()
    binds them."""
    instance = view.cls(**view.initkwargs)
    actions = dict(view.actions)
    if "get" in actions:
        actions.setdefault("head", actions["get"])
    for method, action in actions.items():
        setattr(instance, method, getattr(instance, action))
    return ", ".join(instance.allowed_methods)


class StoredAnswerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and request.path_info.startswith("/api/")
            and anonymous(request)
            and CookieStorage.cookie_name not in request.COOKIES
        ):
            response = self._answer(request)
            if response is not None:
                return response
        response = self.get_response(request)
        if getattr(request, "kept_list", None) is not None:
            _keep_list(request, response)
        return response

    def _answer(self, request) -> HttpResponse | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name == _LIST:
            return self._list(request, match)
        if match.view_name != _DETAIL:
            return None
        fmt = answered_format(request)
        if fmt is None:
            return None
        try:
            pk = story_id(match.kwargs["pk"])
        except Http404:
            return None  # the view answers the 404
        # Counted first, so that a client over its rate costs no statement: the view answers its 429 (counting
        # it again, which changes nothing for a client already over). A client within it is counted once: if
        # the request goes on to the view, the view's throttles know it was (throttling.FixedWindow).
        if not self._within_rate(request):
            return None
        request.rate_counted = tuple(ArticleViewSet.throttle_classes)
        with replica_reads(request):
            rows = PUBLIC_ANSWER[fmt].rows(pk=pk, now=timezone.now())
        request.public_answer = (fmt, pk, rows)  # the view reads no story twice (ArticleViewSet._public_answer)
        story = answered(pk, rows)
        if story is None:
            return None
        tag = story_etag(story, ninjs=fmt == "ninjs")
        if matches(request, tag):
            response = HttpResponse(status=304)
            del response["Content-Type"]
        else:
            text = stored.stored(story, tag)
            if text is None:
                return None
            response = HttpResponse(stored.absolute_text(text, request), content_type=_MEDIA_TYPES[fmt])
        response["ETag"] = tag
        patch_vary_headers(response, _VARY)
        response["Allow"] = _allowed(match.func)
        response["Content-Length"] = str(len(response.content))
        translation.activate(translation.get_language_from_request(request))
        response["Content-Language"] = translation.get_language()
        return response

    def _list(self, request, match) -> HttpResponse | None:
        """The public's story list as kept, when it is current; else None, the request marked for the list the
        view renders to be kept (_keep_list)."""
        fmt = answered_format(request, frozenset({"format", _CURSOR}))
        cursors = request.GET.getlist(_CURSOR)
        if fmt is None or len(cursors) > 1 or len(cursors[0] if cursors else "") > _MAX_CURSOR:
            return None
        if not self._within_rate(request):
            return None
        request.rate_counted = tuple(ArticleViewSet.throttle_classes)
        translation.activate(translation.get_language_from_request(request))
        language = translation.get_language()
        raw = f"api-list|1|{language}|{origin(request)}|{fmt}|{cursors[0] if cursors else ''}"
        key = _LIST_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
        try:
            (generation, _changed_at, next_go_live), entry = pagecache.state_with(key)
        except UNREACHABLE:
            return None  # the view answers, and nothing is kept
        if entry is not None and entry[0] == generation and _still_shown(request, entry[4]):
            _generation, content, headers, _until, _listed = entry
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["Content-Length"] = str(len(content))
            response["X-Cache"] = "hit"
            return response
        request.kept_list = (key, generation, next_go_live)
        return None

    @staticmethod
    def _within_rate(request) -> bool:
        """The view's throttles, asked as DRF asks them for a client without credentials."""
        client = Request(request, authenticators=())  # no credentials: DRF's anonymous user
        # Every throttle counts the request, as DRF's check_throttles asks each of them.
        return all([throttle().allow_request(client, None) for throttle in ArticleViewSet.throttle_classes])


def _still_shown(request, listed: tuple[tuple[int, int], ...]) -> bool:
    """Whether each story a kept list shows is still at the page version the list was rendered at (read where
    the view reads the list: the replica when there is one)."""
    if not listed:
        return True
    with replica_reads(request):
        rows = _PAGE_VERSIONS.rows(ids=[pk for pk, _version in listed])
    return {(row.pk, row.page_version) for row in rows} == set(listed)


def _keep_list(request, response) -> None:
    """Keep the public's story list the view has just rendered, for the generation that was current before it
    read anything (a change during the render moves the generation on: the list is then never answered)."""
    listed = getattr(request, "listed_versions", None)
    if listed is None or response.status_code != 200 or response.streaming or response.cookies:
        return
    key, generation, next_go_live = request.kept_list
    headers = {name: value for name, value in response.items() if name not in _UNKEPT}
    seconds = pagecache.lifetime(next_go_live)
    pagecache.keep(key, (generation, response.content, headers, time.time() + seconds, listed), seconds)
    response["X-Cache"] = "miss"
