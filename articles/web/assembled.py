"""Story pages assembled from their stored rendering: a public story page the page cache does not hold is
answered from the page's own first statement (the story with its language versions, related stories and
stored page: selectors.story_page) and the text it reads, without rendering a template.

Why: the page cache is exact, so every publication empties it (services/pagecache): in a breaking-news spike
each story page is rendered again after each change anywhere on the site, at about 15 ms a render. Yet most of
a story page depends on the story alone, and the rest on what that statement reads anyway.

What is stored (models.StoredPage, one row a story and interface language): the page as the view renders it,
with what a request supplies left as marks, each the row's own random mark followed by a letter:
- `h`: the scheme and host (the canonical and structured-data addresses are absolute);
- `p`: the request's path (the language switch returns to it);
- `m`: the sections' menu, which moves with every publication (rendered once per generation and language,
  and kept in this process);
- `t<microseconds>.`: a moment said relative to now ("two hours ago": related stories, comments).
A random mark of 128 bits cannot occur in a story's text, and it survives HTML escaping and JSON unchanged.

What it is keyed by, the key compared with the one the same statement gives now, so a stale row is never
served:
- the story: its version (text, parts, status, corrections, comments open or not), the versions of its
  sources and section (their names), its page version (comments and annotations: Article.page_version);
- whether comments are closed, and why (they close by themselves some days after publication);
- the related stories, found as the page finds them (the same statement), as their ids, versions and their
  sources' and section's versions: a publication that changes them moves the key, any other leaves it (and
  a scheduled story going live is related from its moment on, since the statement finds them at now);
- the language, the script prefix and the revision: the templates, the code and the settings the page is
  rendered by.

Stories with language versions are never stored (the versions' own states would enter the key): their pages
are rendered. The row is written by the page's render (the first reader after a change), never by a writer,
so an edit costs no render of its own. When the stored page is not current, the view goes on from the rows
already read: a page rendered costs what it did, plus the one statement that stores it.
"""

from __future__ import annotations

import hashlib
import secrets
import weakref
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.translation import get_language

from articles.models import StoredPage
from articles.selectors.related import story_page
from articles.services import comments as comment_services
from articles.services import kept
from articles.templatetags.dates import said_relative

_ROOT = Path(__file__).resolve().parents[2]
_ARTICLES = _ROOT / "articles"
# What a stored page is rendered by: a release that changes one of these (or Django, or a setting below)
# renders the pages anew, the stored ones being stale from its first request.
_RENDERED_BY = (
    "templates/**/*.html",
    "articles/templatetags/*.py",
    "articles/formats/*.py",
    "articles/web/*.py",
    "articles/selectors/*.py",
    "articles/services/comments.py",
    "articles/models/*.py",
    "articles/languages.py",
    "newsroom/urls.py",
    "articles/locale*/**/*.mo",
)
_STATIC = ("fonts/fonts.css", "css/newsroom.css", "js/notes.js")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@cache
def _code() -> str:
    digest = hashlib.sha256(django.__version__.encode())
    for pattern in _RENDERED_BY:
        for path in sorted(_ROOT.glob(pattern)):
            digest.update(path.relative_to(_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_revisions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def revision() -> str:
    """The code's, the settings' and the static files' names' part of every key; worked out once for each
    settings object (a test's override_settings makes a new one)."""
    current = settings._wrapped
    found = _revisions.get(current)
    if found is None:
        names = sorted(name for name in dir(settings) if name.startswith("NEWSROOM_"))
        shown = [getattr(settings, name) for name in names]
        shown += [settings.LANGUAGE_CODE, settings.LANGUAGES, settings.TIME_ZONE, settings.USE_TZ]
        shown += [static(path) for path in _STATIC]
        found = _revisions[current] = hashlib.sha256(f"{_code()}{shown!r}".encode()).hexdigest()[:16]
    return found


class Marks:
    """What a page rendered to be stored leaves to its reader's request (the module's docstring)."""

    def __init__(self, mark: str | None = None):
        self.mark = mark or secrets.token_hex(16)
        self.host, self.path, self.menu = self.mark + "h", self.mark + "p", self.mark + "m"

    def absolute(self, location: str) -> str:
        """request.build_absolute_uri(location) for a path of the site's own."""
        return self.host + location

    def moment(self, value: datetime) -> str:
        return f"{self.mark}t{(value - _EPOCH) // _MICROSECOND}."


def fill(body: str, mark: str, request, *, menu: str) -> str:
    """The stored page for this request: each mark replaced by what the template would have written."""
    pieces = body.split(mark)
    filled = [pieces[0]]
    host = f"{request.scheme}://{request.get_host()}"  # a host Django accepted has no character to escape
    for piece in pieces[1:]:
        code = piece[:1]
        if code == "h":
            filled += (host, piece[1:])
        elif code == "p":
            filled += (escape(request.path), piece[1:])
        elif code == "m":
            filled += (menu, piece[1:])
        else:  # "t<microseconds>."
            end = piece.index(".")
            filled += (said_relative(_EPOCH + int(piece[1:end]) * _MICROSECOND), piece[end + 1 :])
    return "".join(filled)


_menus: dict[tuple, str] = {}


def menu(generation) -> str:
    """The sections' menu as the frame writes it, for this generation of the pages and the active language."""
    found = (get_language(), generation, get_script_prefix())
    html = _menus.get(found)
    if html is None:
        html = render_to_string("_site_sections.html", {})
        if len(_menus) >= 32:  # generations only move on: the old ones are never asked for again
            _menus.clear()
        _menus[found] = html
    return html


def related_token(story) -> str:
    """A related story as the key has it: what its card shows can change only with these."""
    section = story.section.version if story.section_id else 0
    return f"{story.pk}.{story.version}.{section}.{story.sources_version}"


def key(story, *, related: list[str]) -> str:
    """The key of story's page in the active language: `story` with its `sources_version` and
    `section_version`, `related` its related stories' tokens (related_token)."""
    closed = comment_services.closed_because(story)
    return "|".join(
        [
            revision(),
            get_script_prefix(),
            get_language(),
            f"v{story.version}.s{story.sources_version}.c{story.section_version or 0}.p{story.page_version}",
            f"k{closed}",
            "r" + ",".join(sorted(related)),
        ]
    )


def key_of_rendered(article, related) -> str:
    """The key of a page from selectors.story_page's rows, read with a stored page (each with its
    `sources_version`, its section loaded)."""
    article.section_version = article.section.version if article.section_id else None
    return key(article, related=[related_token(story) for story in related])


def store(article_id: int, page_key: str, marks: Marks, body: str) -> None:
    row = StoredPage(article_id=article_id, language=get_language(), key=page_key, mark=marks.mark, body=body)
    kept.upsert(
        row,
        unique_fields=["article", "language"],
        update_fields=["key", "mark", "body"],
        what=f"story {article_id}: its page in {row.language}",
    )


def answer(request, pk: int, slug: str, generation) -> str | None:
    """Story pk's page for this request from its stored rendering, in the active language (one statement: the
    page's own, selectors.story_page, with the stored page); None when the view must
    render it: readers may not see the story, the slug is not its own, it has a translation, or no current page
    is stored. The statements' rows are then left on the request for the view to go on from (`story_page`),
    and whether the view may store what it renders (`store_page`): only a request answered here may, one with
    no query string (a reply's form, a comment's notice) and no session."""
    page = story_page(pk, stored_in=get_language(), rest=False)
    if page is None:
        return None
    article = page.article
    storable = not (article.translated or article.translation_of_id or page.versions)
    current = storable and slug == article.slug and article.stored_body is not None
    if current and article.stored_key == key_of_rendered(article, page.related):
        return fill(article.stored_body, article.stored_mark, request, menu=menu(generation))
    request.story_page, request.store_page = page, storable
    return None
