"""The heads of the ways of being related: for a section, or a source, its newest public stories (not retracted)
with their tokens, as each process last read them in the current generation of the pages.

Why: the check of a stored page (web/assembled.py) asks whether the related stories it shows are still the
related stories, and finding that out was half of PostgreSQL's work for each answer (some 0.2 of 0.4 ms): the
shown stories' tokens and one probe for each way of being related. Yet within one generation of the pages
nothing a head holds can change: every change to a story readers see, every section or source renamed and every
scheduled story going live moves the generation on (services/pagecache). So a process that has read the heads
of a page's ways in this generation answers those questions itself, for every page that shares them (a section,
a wire agency: most pages share some), and PostgreSQL is asked only for the story, its language versions and
its stored row.

The check decides, row by row, whether it may leave the related stories to the heads: it is given the ways whose
heads this process holds (`warm`), and it computes the related stories' tokens and probes only for a story with
a way outside them (and the answer is as before). After such an answer, when the page was current, the heads of
its ways are read in one more statement (`fill`). A page whose heads cannot tell (its language versions and
shown stories fill a head above the last story shown) is rendered, never guessed. A story whose ways this
process remembers (`learn`, from its last read) and holds (`holds`) is read by a lighter statement that asks
nothing about related stories (assembled.LOOKS): PostgreSQL starts every subplan of a statement, whether its
branch runs or not.

Exact as the page cache is: a head is kept with the generation it was read in and never used in another.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.db.models import OuterRef, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat

from articles.models import Article, ArticleSource
from articles.selectors.related import LIMIT, SOURCES_FOLLOWED, joined
from articles.selectors.stories import SOURCES_VERSION

# A head's length: the related stories shown and the story's language versions are left out of the probes, so a
# head must be longer than LIMIT plus the language versions a story has as a rule.
LENGTH = 24
# Ways held at most in a generation (their ids are the check's parameters).
MAX_WAYS = 400


class Heads:
    """This process's heads, all of one generation: (kind, id) → [(time, id, translation_of_id, token), …],
    newest first, at most LENGTH."""

    # Stories whose ways are remembered at most (their ids and ways: a few MB).
    MAX_KNOWN = 20_000

    def __init__(self):
        self.generation: object = None
        self.ways: dict[tuple[str, int], list[tuple]] = {}
        # Each story's ways as this process last read them, whatever the generation: they change only with the
        # story's version (its section, its credits), and the statement that follows reads them again.
        self.known: dict[int, tuple[tuple[str, int], ...]] = {}

    def _in(self, generation) -> dict:
        if generation != self.generation:
            self.generation, self.ways = generation, {}
        return self.ways

    def warm(self, generation) -> tuple[list[int], list[int]]:
        """(the sections, the sources) whose heads are held for `generation`."""
        ways = self._in(generation)
        return [i for kind, i in ways if kind == "section"], [i for kind, i in ways if kind == "source"]

    def holds(self, pk: int, generation) -> bool:
        """Whether the ways story pk had when this process last read it are all held for `generation`: its page's
        check may then leave the related stories out (assembled.LOOKS), and the heads answer them (verdict()),
        from the ways the story has now (if they changed, so did its version, and its stored page is stale)."""
        known = self.known.get(pk)
        if known is None:
            return False
        ways = self._in(generation)
        return all(way in ways for way in known)

    def learn(self, story) -> None:
        """Remember story's ways (a row of the check's, with its `source_*`)."""
        if len(self.known) >= self.MAX_KNOWN and story.pk not in self.known:
            self.known = {}
        self.known[story.pk] = tuple(ways_of(story))

    def verdict(self, story, generation) -> bool | None:
        """Whether the related stories story's stored page shows are still its related stories (the probes' and
        tokens' question, web/assembled.py), from the heads of its ways; None when they cannot tell."""
        ways = self._in(generation)
        listed = set(json.loads(story.stored_related_ids or "[]"))
        root = story.translation_of_id or story.pk
        mark = (story.below_at or _EARLIEST, story.below_pk if story.below_pk is not None else -1)
        tokens = {}
        for way in ways_of(story):
            head = ways.get(way)
            if head is None:
                return None
            below = False
            for at, pk, original, token in head:
                tokens[pk] = token
                if (at, pk) <= mark:
                    below = True
                    break
                if pk == root or original == root or pk in listed:
                    continue
                return False  # a story ranks above the last one shown: it would be shown
            if not below and len(head) >= LENGTH:
                return None  # every story the head holds ranks above the mark, and is left out
        if any(pk not in tokens for pk in listed):
            return None
        shown = story.stored_related.split(",") if story.stored_related else []
        return sorted(tokens[pk] for pk in listed) == sorted(shown)

    def fill(self, story, generation, now: datetime) -> None:
        """Read the heads of story's ways this process does not hold yet, in one statement."""
        ways = self._in(generation)
        wanted = [way for way in ways_of(story) if way not in ways]
        if not wanted or len(ways) + len(wanted) > MAX_WAYS:
            return
        # The one rule of visibility, less retracted stories (as the related stories' own walks have it).
        published = Article.objects.public(now).exclude(status=Article.Status.RETRACTED)
        walks = Q()
        for kind, ident in wanted:
            if kind == "section":
                # A range of one value, as the related stories' own walk has it (docs/pages.md): with an equality
                # PostgreSQL may walk every story newest first, probing each one's section.
                section = published.filter(section_id__gte=ident, section_id__lte=ident)
                walk = section.order_by("section_id", "-published_at", "-pk").values("pk")[:LENGTH]
            else:
                walk = (
                    ArticleSource.objects.filter(
                        source_id=ident, published_at__lte=now, article__status=Article.Status.PUBLISHED
                    )
                    .order_by("-published_at", "-article_id")
                    .values("article_id")[:LENGTH]
                )
            walks |= Q(pk__in_list=walk)
        credits = ArticleSource.objects.filter(article_id=OuterRef("pk"))
        credits = credits.annotate(id_text=Cast("source_id", TextField()))
        rows = list(
            published.filter(walks)
            .annotate(token=token(), credited=joined(credits, "id_text", ","))
            .values_list("published_at", "pk", "translation_of_id", "token", "section_id", "credited")
        )
        rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
        for way in wanted:
            kind, ident = way
            if kind == "section":
                members = [row for row in rows if row[4] == ident]
            else:
                members = [row for row in rows if str(ident) in (row[5] or "").split(",")]
            ways[way] = [row[:4] for row in members[:LENGTH]]


def token():
    """A story's token as its card on a stored page depends on it (assembled.related_token), as a column."""
    return Concat(
        Cast("pk", TextField()),
        Value("."),
        Cast("version", TextField()),
        Value("."),
        Cast(Coalesce("section__version", 0), TextField()),
        Value("."),
        Cast(SOURCES_VERSION, TextField()),
        output_field=TextField(),
    )


def ways_of(story) -> list[tuple[str, int]]:
    """The ways story's related stories are found by: its section, its first sources (the check's `source_*`)."""
    ways = [("section", story.section_id)] if story.section_id is not None else []
    sources = (getattr(story, f"source_{n}") for n in range(SOURCES_FOLLOWED))
    return ways + [("source", source) for source in sources if source is not None]


_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
HEADS = Heads()
assert LENGTH > LIMIT
