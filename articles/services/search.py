"""Arabic-aware search: each story's search document, kept current by the story-change announcement, and
the query that ranks stories and highlights where they match (PostgreSQL; SQLite falls back to substring
matching over the same normalised text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Extract, Now
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.formats import withholds
from articles.languages import direction
from articles.models import Article, ArticleSource, SearchDocument
from articles.text import search_text
from newsroom.inserts import Computed, Upsert, insert

from .changes import What

MIN_LENGTH, MAX_LENGTH = 2, 200
# Ranking is computed among the newest matches only, so that a word found in most stories costs no more
# than one found in a few: news search wants this week's story on the chosen word, not the best of years.
CANDIDATES = 1000
# The statuses a reader sees once their time has come (Article.objects.public()).
LISTED = (Article.Status.PUBLISHED, Article.Status.RETRACTED)
CONFIGS = {"ar": "arabic", "ur": "arabic", "en": "english"}
_TOKEN = re.compile(r"\w+", re.UNICODE)
# A word as readers' text has it: letters with their tashkeel, tatweel and Quranic marks inside it.
_WRITTEN_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed]+", re.UNICODE)


def config_for(language: str) -> str:
    return CONFIGS.get((language or "").split("-")[0], "simple")


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


# Indexing -----------------------------------------------------------------------------------------


def _texts(article: Article) -> tuple[str, str, str, str]:
    """(headline, summary, the rest, the text as written) of one story, its parts, credits (with their sources'
    aliases) and section loaded."""
    parts = [part.body for part in article.ordered_parts]
    sources = []
    for credit in article.ordered_credits:
        sources.append(credit.source.name)
        sources += [alias.alias for alias in credit.source.aliases.all()]
    section = article.section.name if article.section_id else ""
    rest = " ".join([*parts, article.dateline, article.byline, *sources, section])
    display = "\n\n".join([article.summary, *parts]).strip()
    return article.headline, article.summary, rest, display


def _document(article: Article) -> SearchDocument:
    """The search document of a loaded story (see _texts), its vector included on PostgreSQL."""
    headline, summary, rest, display = _texts(article)
    if withholds(article):
        # A retraction withholds the text and the summary from readers: search does not find them either.
        summary, rest, display = "", article.retraction_notice, article.retraction_notice
    config = config_for(article.language)
    document = SearchDocument(
        article_id=article.pk,
        config=config,
        headline=search_text(headline),
        summary=search_text(summary),
        body=search_text(rest),
        display=display,
        listed_at=article.published_at if article.status in LISTED else None,
    )
    if on_postgresql():
        # The normaliser's output, never raw text, is what PostgreSQL's parser and stemmer see: the vector Django's
        # SearchVector(…, config=config, weight=…) + … writes (tests/test_search.py compares the two).
        document.vector = Computed(
            _VECTOR, (config, document.headline, config, document.summary, config, document.body)
        )
    return document


_VECTOR = " || ".join(
    f"setweight(to_tsvector(%s::regconfig, COALESCE(%s, '')), '{weight}')" for weight in ("A", "B", "C")
)


def index_story(article_id: int) -> None:
    """Write (or remove) one story's search document, from the story as stored now: it replaces the one there."""
    article = Article.objects.select_related("section").filter(pk=article_id).first()
    if article is None:
        SearchDocument.objects.filter(article_id=article_id).delete()
        return
    credits = Prefetch("credits", queryset=ArticleSource.objects.select_related("source"))
    prefetch_related_objects([article], "parts", credits)
    _write(article, replace=True)


def follow_stories(*, article_id: int, version: int, what: What) -> None:
    """Receiver of story changes: the story's search document follows every change at once. A story just created
    comes as its change stored it (`what.story`, its rows in memory: only its sources' aliases are read), and a
    document already there stays: the follower of a later change wrote it, from a newer story."""
    if what.created and what.story is not None:
        _write(what.story, replace=False)
    else:
        index_story(article_id)


_WRITTEN = ["config", "headline", "summary", "body", "display", "vector", "listed_at", "updated_at"]


def _write(article: Article, *, replace: bool) -> None:
    """Insert the story's document in one statement; on a conflict with the one there, replace it or keep it."""
    prefetch_related_objects([credit.source for credit in article.ordered_credits], "aliases")
    insert([_document(article)], upsert=Upsert(("article",), tuple(_WRITTEN) if replace else ()))


def rebuild(*, batch_size: int = 500, progress=None, only: QuerySet[Article] | None = None) -> int:
    """Rebuild every story's search document, or `only` these stories' (`stories_to_reindex`); idempotent;
    `progress(done, total)` is told as it goes. The number of stories indexed."""
    if only is None:
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        SearchDocument.objects.exclude(article_id__in=Article.objects.values("pk")).delete()
    else:
        ids = list(only.order_by("pk").values_list("pk", flat=True).distinct())
    for start in range(0, len(ids), batch_size):
        for pk in ids[start : start + batch_size]:
            index_story(pk)
        if progress:
            progress(min(start + batch_size, len(ids)), len(ids))
    return len(ids)


def stories_to_reindex(*, changed_since=None, missing: bool = False, sources=(), sections=()) -> QuerySet[Article]:
    """The stories a selective rebuild rewrites, each option naming some (together, all they name): those changed
    at or after `changed_since` and those without a document (a follower that failed, or a process that stopped
    between a change's commit and its followers: `changed_since` the moment before), those without a document
    (`missing`), those crediting any of `sources` or in any of `sections` (after a source's or a section's new
    name, which the documents of the stories already crediting it do not follow: docs/search.md)."""
    chosen = Q(pk__in=[])
    if changed_since is not None:
        chosen |= Q(updated_at__gte=changed_since)
    if changed_since is not None or missing:
        chosen |= Q(search_document__isnull=True)
    if sources:
        chosen |= Q(pk__in=ArticleSource.objects.filter(source__in=sources).values("article_id"))
    if sections:
        chosen |= Q(section__in=sections)
    return Article.objects.filter(chosen)


# Querying -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A reader's query, parsed: words, "phrases in quotes", -excluded words; the last word also matches as a
    prefix (search as you type)."""

    text: str
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def direction(self) -> str:
        """The query's own direction: right to left when it is written in an Arabic-script language."""
        arabic = any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in self.text)
        return direction("ar" if arabic else "en")

    @property
    def isolated(self) -> str:
        """The query as a sentence quotes it: between U+2068 and U+2069 (first strong isolate, pop directional
        isolate), so that its own direction, or a U+202E it carries, cannot turn the sentence round it."""
        return f"\u2068{self.text}\u2069"

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases)


def parse(text: str) -> Query:
    """Split a query into words, phrases and exclusions, each through the search normaliser; say what is
    wrong with it (empty, too short, too long) in the reader's language."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return Query(text, problems=(_("Type a word or two to search for."),))
    if len(text) > MAX_LENGTH:
        too_long = ngettext(
            "A search has at most %(limit)s character.", "A search has at most %(limit)s characters.", MAX_LENGTH
        )
        return Query(text, problems=(too_long % {"limit": MAX_LENGTH},))
    phrases = tuple(p for p in (search_text(m) for m in re.findall(r'"([^"]+)"', text)) if p)
    rest = re.sub(r'"[^"]*"', " ", text)
    words, excluded = [], []
    for token in rest.split():
        target = excluded if token.startswith("-") and len(token) > 1 else words
        target += _TOKEN.findall(search_text(token.lstrip("-") if target is excluded else token))
    query = Query(text, tuple(words), phrases, tuple(excluded))
    if not query.empty and len(" ".join(query.words + query.phrases)) < MIN_LENGTH:
        return Query(text, problems=(_("Type at least %(limit)s letters to search.") % {"limit": MIN_LENGTH},))
    if query.empty:
        return Query(text, problems=(_("Type a word or two to search for."),))
    return query


def _raw_tsquery(query: Query) -> str:
    """The query as to_tsquery text: words ANDed (the last also as a prefix), phrases as <->, exclusions !."""
    terms = list(query.words)
    parts = []
    for index, word in enumerate(terms):
        parts.append(f"({word} | {word}:*)" if index == len(terms) - 1 else word)
    parts += ["(" + " <-> ".join(_TOKEN.findall(phrase)) + ")" for phrase in query.phrases]
    parts += [f"!{word}" for word in query.excluded]
    return " & ".join(parts)


class Found(list):
    """The matching stories' ids in rank order, at most `CANDIDATES`; `more` says that older matches were
    left out (the page says "more than …" and the reader narrows by date)."""

    more: bool = False


def matching(stories: QuerySet, query: Query) -> QuerySet:
    """`stories` that match the query, unranked and uncapped (the admin's story list filters by it)."""
    if on_postgresql():
        return stories.filter(_vector_matches(query, "search_document__"))
    return stories.filter(_text_matches(query, "search_document__"))


def search(stories: QuerySet | None, query: Query, *, public: bool = False) -> Found:
    """The ids of `stories` (already limited to what the user may see, and filtered) that match, best first,
    among the `CANDIDATES` newest matches. `public` says that `stories` are public stories only (a reader's
    search): the candidates are then found in the search documents alone, by their listing time; with
    `stories` None (every public story, no filter) they need no other table at all."""
    if stories is None and not public:
        raise ValueError("only a public search may leave out the stories it searches")
    documents = SearchDocument.objects.all()
    if stories is not None:
        documents = documents.filter(article_id__in=stories.values("pk"))
    if public:
        documents = documents.filter(listed_at__lte=timezone.now())
        newest = ("-listed_at", "-pk")
    else:
        documents = documents.annotate(dated=Coalesce("article__published_at", "article__created_at"))
        newest = ("-dated", "-pk")
    documents = documents.filter(_vector_matches(query) if on_postgresql() else _text_matches(query))
    newest_first = documents.order_by(*newest)
    if on_postgresql():
        # Ranked as they are found, in the same scan: the newest matches with their rank, sorted here.
        rows = list(_with_rank(newest_first, query).values_list("pk", "rank")[: CANDIDATES + 1])
        more, rows = len(rows) > CANDIDATES, rows[:CANDIDATES]
        ids = [pk for pk, _rank in sorted(rows, key=lambda row: -row[1])]  # stable: newest first among equals
    else:  # no ranking in the fallback: newest first
        ids = list(newest_first.values_list("pk", flat=True)[: CANDIDATES + 1])
        more, ids = len(ids) > CANDIDATES, ids[:CANDIDATES]
    found = Found(ids)
    found.more = more
    return found


def _tsqueries(query: Query):
    raw = _raw_tsquery(query)
    configs = sorted({*CONFIGS.values(), "simple"})
    return [(config, SearchQuery(raw, search_type="raw", config=config)) for config in configs]


def _vector_matches(query: Query, prefix: str = "") -> Q:
    matches = Q()
    for config, tsquery in _tsqueries(query):
        matches |= Q(**{f"{prefix}config": config, f"{prefix}vector": tsquery})
    return matches


def _with_rank(documents: QuerySet, query: Query) -> QuerySet:
    """The documents with `rank`: PostgreSQL's weighted rank (headline above summary above the rest) times a
    recency boost — a week-old story weighs half as much as today's news, a month-old one about a fifth."""
    ranks = [When(config=config, then=SearchRank(F("vector"), tsquery)) for config, tsquery in _tsqueries(query)]
    age_days = Extract(Now() - Coalesce("listed_at", "updated_at"), "epoch") / 86400.0
    boost = Value(1.0) + Value(7.0) / (Value(7.0) + age_days)
    return documents.annotate(rank=Case(*ranks, default=Value(0.0), output_field=FloatField()) * boost)


def _text_matches(query: Query, prefix: str = "") -> Q:
    """The small-installation fallback: every word (and phrase) found in the normalised text, none of the
    excluded words."""

    def found(term: str) -> Q:
        return (
            Q(**{f"{prefix}headline__contains": term})
            | Q(**{f"{prefix}summary__contains": term})
            | Q(**{f"{prefix}body__contains": term})
        )

    text = Q()
    for term in (*query.words, *query.phrases):
        text &= found(term)
    for word in query.excluded:
        text &= ~found(word)
    return text


def load_page(ids, stories: QuerySet) -> list[Article]:
    """The stories of one page of results (`ids` in rank order), loaded by `stories` (with what the page
    shows) and with `search_headline`, the text their snippet is cut from."""
    ids = list(ids)
    loaded = stories.filter(pk__in=ids).annotate(search_headline=F("search_document__display"))
    by_id = {article.pk: article for article in loaded}
    return [by_id[pk] for pk in ids if pk in by_id]


def snippet(article: Article, query: Query) -> str:
    """Escaped HTML of where the story matches, the matched words in <mark>. Highlighting is ours on both
    databases, not PostgreSQL's ts_headline: its parser would not see our folding (hamza seats, the glued
    article), so it would leave unmarked the very words the search matched."""
    return _snippet(getattr(article, "search_headline", "") or "", query)


# Words recur (a few very often): each is folded once per process, not once per occurrence.
_fold = lru_cache(maxsize=65536)(search_text)


def _snippet(text: str, query: Query, width: int = 160) -> str:
    """A window of the text around the first word that matches after normalisation, escaped, words marked."""
    terms = [*query.words, *query.phrases]
    heads = [term.split(" ")[0] for term in terms]
    words = ((m.start(), _fold(m.group())) for m in _WRITTEN_WORD.finditer(text))
    first = next((start for start, word in words if any(head in word for head in heads)), 0)
    start = max(0, first - width // 3)
    window = text[start : start + width]
    out, position = [], 0
    for match in _WRITTEN_WORD.finditer(window):
        word = _fold(match.group())
        in_phrase = any(word in t.split(" ") for t in query.phrases)
        if in_phrase or any(t in word for t in query.words):
            out += [escape(window[position : match.start()]), "<mark>", escape(match.group()), "</mark>"]
            position = match.end()
    out.append(escape(window[position:]))
    return ("…" if start else "") + "".join(out) + ("…" if start + width < len(text) else "")
