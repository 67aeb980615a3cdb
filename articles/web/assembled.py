"""Story pages assembled from their stored rendering: a public story page the page cache does not hold is
answered from one statement (the check, below) and the text it reads, without rendering a template.

Why: the page cache is exact, so every publication empties it (services/pagecache): in a breaking-news spike
each story page is rendered again after each change anywhere on the site, at about 15 ms a render. Yet most of
a story page depends on the story alone, and the rest (its related stories) rarely changes.

What is stored (models.StoredPage, one row a story and interface language): the page as the view renders it,
with what a request supplies left as marks, each the row's own random mark followed by a letter:
- `h`: the scheme and host (the canonical and structured-data addresses are absolute);
- `p`: the request's path (the language switch returns to it);
- `m`: the sections' menu, which moves with every publication (rendered once per generation and language,
  and kept in this process);
- `t<microseconds>.`: the text of a moment said relative to now ("two hours ago": related stories, comments),
  inside its <time> element, which is stored whole.
A random mark of 128 bits cannot occur in a story's text, and it survives HTML escaping and JSON unchanged.

When it is served: the check reads the row beside the story and serves it only when
- its key is the one the story gives now: the story's version (text, parts, status, corrections, comments
  open or not), the versions of its sources and section (their names), its page version (comments and
  annotations: Article.page_version), why comments are closed if they are (they close by themselves days
  after publication), its language versions' state (family_token: the check reads their rows beside the
  story's), the language, the script prefix and the revision (the templates, the code and the settings the
  page is rendered by);
- and the related stories it shows are still the related stories (the check's comment says how that is known
  without finding them again, which cost most of a render's statement; and when this process holds the heads
  of the story's ways in this generation, they answer it instead: web/heads.py).

The row is written by the page's render (the first reader after a change), never by a writer,
so an edit costs no render of its own. When the stored page is not current, the page is rendered (five
statements) and stored (one write): the check and the render stay within the page's six.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import weakref
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language

from articles.formats import translations
from articles.models import Article, ArticleSource, StoredPage
from articles.paths import origin
from articles.selectors.related import LIMIT, SOURCES_FOLLOWED, family, joined, translator_names
from articles.selectors.stories import SOURCES_VERSION, visible_to
from articles.services import comments as comment_services
from articles.services import kept
from articles.templatetags.dates import relative_texts
from newsroom.prepared import MOMENT, NUMBER, NUMBERS, Prepared

from . import heads
from .heads import HEADS

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
    host = origin(request)  # a host Django accepted has no character to escape
    said = relative_texts()
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
            filled += (said(_EPOCH + int(piece[1:end]) * _MICROSECOND), piece[end + 1 :])
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
    """A related story as the stored page has it: what its card shows can change only with these."""
    section = story.section.version if story.section_id else 0
    return f"{story.pk}.{story.version}.{section}.{story.sources_version}"


def family_token(story, family) -> str:
    """What story's page shows of its language versions, `family` being the rows of those the public sees (the
    story itself included, with their baselines): each one's id and version (its language, headline and address
    move with its version) and, for a translation, its translators' names (theirs to change, without the story's
    version moving), whether it lags behind its original and since when (the original's edits mark it so)."""
    shown: list = sorted((row.pk, row.version) for row in family)
    if story.translation_of_id is not None:
        original = next((row for row in family if row.pk == story.translation_of_id), None)
        changed = translations.original_changed_at(story, original)
        shown += [
            translations.translators(story),
            translations.is_outdated(story),
            changed.isoformat() if changed else None,
        ]
    if shown == [(story.pk, story.version)]:
        return ""  # a story alone in its language
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


def key(story, family) -> str:
    """The key of story's page in the active language, but for its related stories: `story` with its
    `sources_version` and `section_version`, `family` its language versions (family_token)."""
    closed = comment_services.closed_because(story)
    return "|".join(
        [
            revision(),
            get_script_prefix(),
            get_language(),
            f"v{story.version}.s{story.sources_version}.c{story.section_version or 0}.p{story.page_version}",
            f"k{closed}",
            f"l{family_token(story, family)}",
        ]
    )


def store(page, marks: Marks, body: str) -> None:
    """Store the page rendered from selectors.story_page's rows (each with its `sources_version`, its section
    loaded), with what its key and the check of its related stories need."""
    article, related = page.article, page.related
    article.section_version = article.section.version if article.section_id else None
    last = related[-1] if len(related) == LIMIT else None  # fewer: no other story may be related at all
    row = StoredPage(
        article_id=article.pk,
        language=get_language(),
        key=key(article, page.versions or [article]),
        mark=marks.mark,
        body=body,
        related=",".join(related_token(story) for story in related),
        related_ids=json.dumps([story.pk for story in related]),
        below_at=last.published_at if last else None,
        below_pk=last.pk if last else None,
    )
    fields = ["key", "mark", "body", "related", "related_ids", "below_at", "below_pk"]
    kept.upsert(
        row,
        unique_fields=["article", "language"],
        update_fields=fields,
        what=f"story {article.pk}: its page in {row.language}",
    )


# The check: is the stored page current? One statement, which reads the stored row beside the story and checks
# the related stories it shows instead of finding them again. They are the newest LIMIT public stories, not
# retracted, in the story's section or crediting one of its first SOURCES_FOLLOWED sources (selectors/related.py).
# The stored ones are still those when (a) each is still such a story, with the same token (its version moves
# with its section, credits, status and time; its section's and sources' versions with their names), and (b) no
# other such story ranks above the last of them, by (publication time, id), or exists at all when the page showed
# fewer than LIMIT. (b) is one probe of an index a way of being related: a story that ranks above the last shown
# is among the newest LIMIT of its own way (else LIMIT stories of that way would rank above it, and be shown). The
# story and its language versions are left out, as the walks leave them out. The stored row is joined to the
# story's once and the probes read it there (and the story's section and credits) as the outer row's: read by each
# probe as a subquery of its own, the statement had some fifty subplans, and starting them cost PostgreSQL a
# third of its time on it.


_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)


def _newer(stories, *, at: str, by: str, through: str):
    """Whether `stories` (one way of being related, as rows whose time is `at` and story id `by`, the story
    reached `through`) holds a story that ranks above the last related story shown, other than those shown and
    the story and its language versions (which are never related to it). Asked of the story's row, whose
    stored page is joined as `page`."""
    since = Coalesce(OuterRef("page__below_at"), Value(_EARLIEST))
    below_pk = Coalesce(OuterRef("page__below_pk"), Value(-1))
    # Ranking above (time, id) is, for a row no older than that time, being newer or having a greater id. The
    # time's bound stands alone, so that the walk's index is read from it (an OR alone let a plan prepared in
    # advance read every credit). With no last story (the page showed fewer), the earliest time: any story.
    above = stories.filter(**{f"{at}__gte": since}).filter(Q(**{f"{at}__gt": since}) | Q(**{f"{by}__gt": below_pk}))
    # The story's language versions: those of its original when it is a translation (translations are one level
    # deep), of itself otherwise.
    root = Coalesce(OuterRef("translation_of_id"), OuterRef("pk"))
    family_rows = Q(**{f"{through}pk": root}) | Q(**{f"{through}translation_of_id": root})
    listed = OuterRef("page__related_ids")
    return Exists(above.exclude(family_rows).exclude(**{f"{by}__in_json": listed}))


def _own(pk: int, expression, field):
    """`expression` on the story's row alone: the others are its language versions, read for family_token."""
    return Case(When(pk=pk, then=expression), output_field=field)


def _story(pk: int, now, *, language: str):
    """Story pk and its language versions as readers see them at `now` (no row of pk when they may not see it),
    with what its page's key is made of, its page stored in `language` (`stored_*`) and its ways of being
    related (`source_*`, its section; web/heads.py). The stored page is joined once."""
    firsts = ArticleSource.objects.filter(article_id=OuterRef("pk")).order_by("position").values("source_id")
    ways = {f"source_{n}": _own(pk, Subquery(firsts[n : n + 1]), IntegerField()) for n in range(SOURCES_FOLLOWED)}
    return (
        visible_to(None, now=now)
        .filter(family(pk))
        .select_related("baseline")
        .alias(page=FilteredRelation("stored_pages", condition=Q(stored_pages__language=language)))
        .annotate(**ways)
        .annotate(
            sources_version=SOURCES_VERSION,
            section_version=F("section__version"),
            translator_names=translator_names(),
            stored_key=_own(pk, F("page__key"), TextField()),
            stored_mark=_own(pk, F("page__mark"), TextField()),
            stored_body=_own(pk, F("page__body"), TextField()),
            stored_related=_own(pk, F("page__related"), TextField()),
            stored_related_ids=_own(pk, F("page__related_ids"), TextField()),
            below_at=_own(pk, F("page__below_at"), DateTimeField()),
            below_pk=_own(pk, F("page__below_pk"), IntegerField()),
        )
    )


def _check(pk: int, now, sections: list, sources: list, *, language: str):
    """_story's rows, with the current tokens of the related stories its stored page shows (`related_now`) and
    whether another story now ranks among them (`newer`), both NULL when the story's ways are all among
    `sections` and `sources`, those whose heads this process holds (web/heads.py). What is asked of the stored
    page alone is asked of the story's row alone."""
    related = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__lte=now)
    token = heads.token()
    # The section as a range of one value, as the related stories' own walk has it (selectors/related.py).
    section = OuterRef("section_id")
    newer = _newer(
        related.filter(section_id__gte=section, section_id__lte=section), at="published_at", by="pk", through=""
    )
    credited = ArticleSource.objects.filter(article_id=OuterRef(OuterRef("pk"))).order_by("position")
    credited = credited.values("source_id")
    for n in range(SOURCES_FOLLOWED):
        credits = ArticleSource.objects.filter(
            source_id=Subquery(credited[n : n + 1]),
            published_at__lte=now,
            article__status=Article.Status.PUBLISHED,
        )
        newer |= _newer(credits, at="published_at", by="article_id", through="article__")
    related_now = joined(related.filter(pk__in_json=OuterRef("page__related_ids")).annotate(token=token), "token", ",")

    # The story's ways of being related (web/heads.py): when this process holds the heads of them all, the
    # related stories are left to them, and the probes and tokens are not computed (a CASE's branch not taken
    # is not run).
    followed = ArticleSource.objects.filter(article_id=OuterRef(OuterRef("pk"))).order_by("position")
    not_held = ArticleSource.objects.filter(pk__in=followed.values("pk")[:SOURCES_FOLLOWED])
    not_held = not_held.exclude(source_id__any_of=sources)
    held = (Q(section_id__isnull=True) | Q(section_id__any_of=sections)) & ~Exists(not_held)

    def unless_held(expression, field):
        return _own(pk, Case(When(held, then=Value(None)), default=expression, output_field=field), field)

    return (
        _story(pk, now, language=language)
        .annotate(
            related_now=unless_held(related_now, TextField()),
            newer=unless_held(newer, BooleanField()),
        )
        .only(*_CHECKED)
        .order_by()
    )


def _look(pk: int, now, *, language: str):
    """_story's rows alone, `related_now` and `newer` NULL: for a story whose ways this process remembers and
    holds the heads of (web/heads.py), which answer its related stories. PostgreSQL starts every subplan of a
    statement, its CASE's branch run or not: without the related stories' probes and tokens it does half the
    work, and the statement has a tenth of the check's parameters."""
    return (
        _story(pk, now, language=language)
        .annotate(related_now=Value(None, output_field=TextField()), newer=Value(None, output_field=BooleanField()))
        .only(*_CHECKED)
        .order_by()
    )


# What the key reads of the story's row (its comments' state included) and of its language versions' rows.
_CHECKED = (
    "pk",
    "slug",
    "version",
    "page_version",
    "status",
    "published_at",
    "comments_open",
    "section",
    "translation_of",
    "updated_at",
    "baseline__outdated",
    "baseline__original_changed_at",
)


CHECKS = {
    code: Prepared(partial(_check, language=code), pk=NUMBER, now=MOMENT, sections=NUMBERS, sources=NUMBERS)
    for code, _name in settings.LANGUAGES
}
LOOKS = {code: Prepared(partial(_look, language=code), pk=NUMBER, now=MOMENT) for code, _name in settings.LANGUAGES}


def answer(request, pk: int, slug: str, generation) -> str | None:
    """Story pk's page for this request from its stored rendering, in the active language (one statement: the
    check above; and, the first time in `generation` this process meets one of the story's ways, the heads of
    them, web/heads.py); None when the view must render it: readers may not see the story, the slug is not its
    own, no current page is stored, or the heads cannot tell. Whether the view may store what it renders is left
    on the request (`store_page`): only a request that came this way may (no query string, such as a reply's form
    or a comment's notice, and no session)."""
    language = get_language()
    low, high = connection.ops.integer_field_range(Article._meta.pk.get_internal_type())
    if language not in CHECKS or not low <= pk <= high:
        return None  # no story has such an id, and the database could not even compare it with one
    now = timezone.now()
    if HEADS.holds(pk, generation):  # its ways as last read, all held: the heads answer its related stories
        rows = LOOKS[language].rows(pk=pk, now=now)
    else:
        sections, sources = HEADS.warm(generation)
        rows = CHECKS[language].rows(pk=pk, now=now, sections=sections, sources=sources)
    story = next((row for row in rows if row.pk == pk), None)
    if story is None:
        return None
    HEADS.learn(story)
    request.store_page = True
    if story.stored_body is None or story.slug != slug or story.stored_key != key(story, rows):
        return None
    if story.newer is None:  # left to this process's heads of the story's ways (web/heads.py)
        if not HEADS.verdict(story, generation):
            return None
    else:
        shown = story.stored_related.split(",") if story.stored_related else []
        if story.newer or sorted(story.related_now.split(",") if story.related_now else []) != sorted(shown):
            return None
        HEADS.fill(story, generation, now)
    return fill(story.stored_body, story.stored_mark, request, menu=menu(generation))
