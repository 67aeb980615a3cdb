"""A story's address, as `reverse("articles:detail", …)` writes it, without reversing it each time.

reverse() walks the URL configuration, matches its candidate against the pattern's regular expression and
quotes the result: about 60 µs a call, and a story's address is written for each related story a page lists,
each story of an API list or a feed, each entry of a sitemap, and three times an ingest. The address is the
same text around the story's id and slug for every story, so the text around them is found once per URL
configuration and script prefix (by reverse() itself, with marker values) and each address is that text with
the id and the quoted slug put in, quoted as reverse() quotes it. Anything reverse() would refuse (no slug, a
slash in it, a negative id) is left to reverse(), which refuses it as before; tests/test_paths.py holds the two
to the same answers."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.http.request import split_domain_port
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.regex_helper import _lazy_re_compile

_NAME = "articles:detail"
_PK, _SLUG = 7_654_321_987, "slugmarker"
# reverse()'s own quoting of a path (django.urls.resolvers, _reverse_with_prefix).
_SAFE = "!$&'()*+,;=" + "/~:@"
_SLUG_PATTERN = _lazy_re_compile(r"[^/]+\Z")  # the path converter `str`

_frames: dict[tuple, tuple[str, str, str] | None] = {}


def _frame() -> tuple[str, str, str] | None:
    """(before the id, between the id and the slug, after the slug) for the current URL configuration and
    script prefix; None when the address is not that simple (reverse() is then asked each time)."""
    found = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if found not in _frames:
        path = reverse(_NAME, kwargs={"pk": _PK, "slug": _SLUG})
        parts = re.fullmatch(rf"(.*?){_PK}(.*?){_SLUG}(.*)", path)
        frame = parts.groups() if parts and str(_PK) not in parts[1] + parts[2] + parts[3] else None
        if len(_frames) >= 16:
            _frames.clear()
        _frames[found] = frame
    return _frames[found]


def story_path(pk, slug) -> str:
    """reverse("articles:detail", kwargs={"pk": pk, "slug": slug})."""
    frame = _frame()
    if frame is None or type(pk) is not int or pk < 0 or type(slug) is not str or not _SLUG_PATTERN.match(slug):
        return reverse(_NAME, kwargs={"pk": pk, "slug": slug})
    before, between, after = frame
    return f"{before}{pk}{between}{_quoted(slug)}{after}"


@lru_cache(maxsize=4096)
def _quoted(slug: str) -> str:
    # Percent-encoding an Arabic slug is most of the remaining cost, and the same stories are listed again and again.
    return quote(slug, safe=_SAFE)


_DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin(request) -> str:
    """The request's scheme and host, worked out once a request (get_host() checks the host against
    ALLOWED_HOSTS at each call; the caches' keys and a stored page's filling all need them). The host written
    one way, as ALLOWED_HOSTS matches it: in lower case, without a trailing dot or the scheme's own port, so
    that `EXAMPLE.org.:443` is not a cache entry of its own."""
    found = getattr(request, "newsroom_origin", None)
    if found is None:
        scheme = request.scheme
        domain, port = split_domain_port(request.get_host())
        host = domain if not port or port == _DEFAULT_PORTS.get(scheme) else f"{domain}:{port}"
        found = request.newsroom_origin = f"{scheme}://{host}"
    return found
