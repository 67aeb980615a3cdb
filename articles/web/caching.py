"""The public pages' cache: each page rendered once per generation (services/pagecache), per language and per
query parameter it reads; served with an ETag and Last-Modified, answered 304 when the reader's copy is
current; never a cookie, and `Vary: Accept-Language` only (docs/caching.md)."""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language

from articles.paths import origin
from articles.services import pagecache
from newsroom.cache import UNREACHABLE
from newsroom.routers import replica_reads

from . import assembled

PREFIX = "newsroom:pages:page:"  # under pagecache.PAGES: watched by every process (newsroom.cache.Near)
# Headers a cached page is served with again; the rest (security headers, the request id) are added per
# request by the middleware.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


NOTHING = QueryDict()  # immutable: what a page reads from a request with no query string


def _number(value: str, *, least: int = 1) -> str | None:
    """A whole number as the page reads it, in ASCII digits and written one way ("007" and "٧" are "7"); None for
    anything else or less than `least`. A number of more than 18 digits is no page or comment of ours: it is
    read as 10^18, past any end (a list redirects to its last page)."""
    if not value.isdecimal():  # the digits int() reads, Arabic-Indic ones included; not "²" or "-1"
        return None
    number = int(value) if len(value) <= 18 else 10**18
    return str(number) if number >= least else None


def _notice(value: str) -> str | None:
    from .views import NOTICES

    return value if value in NOTICES else None


# The parameters pages read, each written as the page would read it, or None for a value it would ignore: so
# that two addresses a page answers alike are one entry (`?page=a1`, `?page=x` and none at all are the first
# page), and a made-up value cannot fill the cache. `page`: a page of a list from the second on; `reply`: the
# comment a reader answers; `comment`: the notice after posting. Any other: its first 100 characters.
_READS = {"page": lambda value: _number(value, least=2), "reply": _number, "comment": _notice}


def _read(request, params: tuple[str, ...]) -> QueryDict:
    """The query parameters the page depends on, as the key has them: the view renders from these alone, so
    that nothing else a request carries (utm_source=…) can reach the cached page, through a pagination link's
    {% querystring %} say, and be served to the next reader."""
    if not params or not request.META.get("QUERY_STRING"):
        return NOTHING
    read = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            value = request.GET[name]
            value = _READS[name](value) if name in _READS else value[:100]
            if value is not None:
                read[name] = value
    read._mutable = False
    return read


def _key(request, read: QueryDict) -> str:
    # Only the parameters the view reads (`read`, from _read): a made-up query string is the same page, not a
    # new cache entry; "2|" is the entries' format (with the time they end). The scheme and host too: feeds
    # and canonical links are absolute, built from the request
    # (each allowed host keeps its own copy).
    # Encoded, so that no value can pass for two parameters ("7&comment=x" is not "7" and "x").
    query = read.urlencode()
    raw = f"2|{get_language()}|{origin(request)}|{request.path}|{query}"
    return PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _etag(key: str, generation) -> str:
    return '"' + hashlib.sha256(f"{generation}|{key}".encode()).hexdigest()[:32] + '"'


def stored_key(request, params: tuple[str, ...]) -> str:
    """Where this request's page is kept (tests and operators look entries up by it)."""
    return _key(request, _read(request, params))


def _headers(response, *, etag: str, changed_at: float, request) -> None:
    response["ETag"] = etag
    # As LocaleMiddleware says it, which an answer from KeptPageMiddleware does not pass through.
    response.headers.setdefault("Content-Language", get_language())
    response["Last-Modified"] = http_date(changed_at)
    if response.has_header("Vary"):
        patch_vary_headers(response, ["Accept-Language"])
    else:  # a page from the cache: the header written at once (the same as patch_vary_headers would)
        response["Vary"] = "Accept-Language"
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES or settings.SESSION_COOKIE_NAME in request.COOKIES:
        # This reader chose the language by cookie, which the shared caches do not vary on; or carries a
        # session (staff, or a log-in long expired), to which the answer may say Set-Cookie and Vary: Cookie.
        control = {"private": True, "max_age": 0, "must_revalidate": True}
    else:
        control = {"public": True, "max_age": settings.NEWSROOM_PAGE_MAX_AGE, "must_revalidate": True}
    if response.has_header("Cache-Control"):
        patch_cache_control(response, **control)
    else:  # as patch_cache_control writes it
        first = "private" if "private" in control else "public"
        response["Cache-Control"] = f"{first}, max-age={control['max_age']}, must-revalidate"


def ask_again(request, response):
    """Cache-Control for an answer to a public address that is not kept here (a redirect, an error page, a
    search): any cache must ask again before each use. A 301 with no header may be kept by a browser for as
    long as it likes, and a slug changed back would then send its readers round in a loop; a 404 would outlive
    the story's publication. Privately for a reader who carries the language or session cookie."""
    if not response.has_header("Cache-Control"):
        private = settings.LANGUAGE_COOKIE_NAME in request.COOKIES or settings.SESSION_COOKIE_NAME in request.COOKIES
        response["Cache-Control"] = ("private, " if private else "") + "max-age=0, must-revalidate"
    return response


def asked_again(view):
    """ask_again() on every answer of `view`."""

    @wraps(view)
    def answered(request, *args, **kwargs):
        return ask_again(request, view(request, *args, **kwargs))

    return answered


class Kept:
    """What a public page's cache entry depends on besides the language and the path: the query parameters the
    view reads, and the URL argument naming the story a story page shows (its own clock keys it too)."""

    __slots__ = ("params", "story")

    def __init__(self, params: tuple[str, ...], story: str | None):
        self.params, self.story = params, story


def _served(request, kept: Kept, kwargs: dict):
    """This request's page as the cache holds it: (the response, or None when it must be rendered; what a render
    needs: the parameters read, the key, the generation, the ETag, the next go-live). One round trip at most: the
    generation and the page, kept with the generation it was rendered in."""
    read = _read(request, kept.params)
    key = _key(request, read)
    shown = kwargs.get(kept.story) if kept.story else None
    shown = shown if isinstance(shown, int) else None
    (generation, changed_at, next_go_live), entry = pagecache.state_with(key, story=shown)
    etag = _etag(key, generation)
    response = None
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    elif entry is not None and entry[0] == generation:
        _generation, content, headers, _until = entry
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["Content-Length"] = str(len(content))
        response["X-Cache"] = "hit"
    if response is not None:
        _headers(response, etag=etag, changed_at=changed_at, request=request)
    return response, (read, key, generation, changed_at, next_go_live, etag)


def _kept_now(response, request, render, *, keep: bool = True):
    """A page just made (rendered, or assembled from its stored rendering), kept in the cache for the next
    reader (unless `keep` is false) and answered with the headers a kept page is answered with."""
    _read, key, generation, changed_at, next_go_live, etag = render
    if keep:
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        seconds = pagecache.lifetime(next_go_live)
        pagecache.keep(key, (generation, response.content, headers, time.time() + seconds), seconds)
    response["X-Cache"] = "miss"
    _headers(response, etag=etag, changed_at=changed_at, request=request)
    return response


def _assembled(request, kept: Kept, kwargs: dict, render):
    """A story page the cache does not hold, assembled from its stored rendering (web/assembled.py), kept in
    the cache from its second read (pagecache.admit) and answered; None when the view must render it. A request
    with a query string (a reply's form, a comment's notice) is rendered."""
    pk, slug = kwargs.get(kept.story), kwargs.get("slug")
    if request.META.get("QUERY_STRING") or not isinstance(pk, int) or not isinstance(slug, str):
        return None
    _read, key, current, changed_at, _next, _etag = render
    with replica_reads(request, changed_at=changed_at):
        content = assembled.answer(request, pk, slug, current[0] if isinstance(current, tuple) else current)
    if content is None:
        return None
    # Kept on its second read (pagecache.admit).
    return _kept_now(HttpResponse(content), request, render, keep=pagecache.admit(key, current))


def _uncached(request, view, kept: Kept, args, kwargs):
    """The page rendered for this request alone, while the cache cannot be reached (pagecache._Owed): from the
    parameters the page reads, as a kept page is; from the primary (a replica's lag is judged by the time of the
    last change, which the cache holds); with no ETag, and every cache told to ask again."""
    request.GET = _read(request, kept.params)
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response.render()
    return ask_again(request, response)


def public_page(*params: str, story: str | None = None):
    """Cache a public page (200 answers only) that reads the query parameters `params`; GET and HEAD only.
    `story`: the URL's argument that names the story a story page shows (its own clock keys it too). A page the
    cache holds is usually answered before the view is reached, by KeptPageMiddleware."""
    kept = Kept(params, story)

    def decorate(view):
        @wraps(view)
        def cached(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                # A page is read, never posted to; and any other method would render it on every call, round
                # the cache, for whoever holds a CSRF token (the admin's log-in page hands one out).
                return HttpResponseNotAllowed(["GET", "HEAD"])
            try:
                response, (read, key, generation, changed_at, next_go_live, etag) = _served(request, kept, kwargs)
            except UNREACHABLE:
                return _uncached(request, view, kept, args, kwargs)
            if response is not None:
                return response
            # Rendered from the read replica when there is one and this reader may read it (newsroom/routers.py).
            with replica_reads(request, changed_at=changed_at):
                request.GET = read
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return ask_again(request, response)
                if hasattr(response, "render") and callable(response.render):
                    response.render()
            return _kept_now(response, request, (read, key, generation, changed_at, next_go_live, etag))

        cached.kept = kept
        return cached

    return decorate


class KeptPageMiddleware:
    """Answers a request for a public page the cache holds (or a 304 for it) before the middleware that only a
    render or a signed-in user needs: sessions, CSRF, authentication, two factors, messages, axes. Those add
    nothing to such an answer (a public page reads no session, sets no cookie and carries no token), and on a
    hit they were most of its cost. Only a GET or HEAD that carries neither a session nor a message cookie is
    answered here (a reader with the language cookie is, privately, as the page itself would answer); anything
    else, and every miss, goes on down the chain to the view, whose decorator (public_page) renders and keeps
    the page. Placed after the request id, security, CSP and NUL middleware, so that every answer carries their
    headers as a rendered page does; the interface language is decided as LocaleMiddleware decides it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.skip_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not any(name in request.COOKIES for name in self.skip_cookies):
            response = self._kept(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _kept(self, request):
        if request.path_info.startswith("/api/"):  # no public page there: the API's own answers are its own
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        kept = getattr(match.func, "kept", None)
        if kept is None:
            return None
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response, render = _served(request, kept, match.kwargs)
        except UNREACHABLE:
            return None  # the view renders it, uncached (public_page)
        if response is None and kept.story is not None and settings.NEWSROOM_STORED_PAGES:
            response = _assembled(request, kept, match.kwargs, render)
        return response
