"""What a story page offers beside the story: its language versions and its related stories (same section or a
source in common, newest first), and the page's one statement that loads all three."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    BigIntegerField,
    Case,
    Field,
    ForeignObject,
    Lookup,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone

from articles.formats.translations import NAMES_SEPARATOR
from articles.models import Article, ArticleQuerySet, ArticleSource
from newsroom.prepared import MOMENT, NUMBER, Prepared

from . import public
from .stories import SOURCES_VERSION, visible_to

LIMIT = 5


@Field.register_lookup
class InList(Lookup):
    """`pk__in_list=<subquery>`: `IN (subquery)` on SQLite; on PostgreSQL `= ANY(ARRAY(subquery))`, which the
    planner evaluates once and can OR with other indexed conditions (a bitmap OR), where an `IN (subquery)`
    beside an OR makes it read the whole table (a story page cost a second at 100,000 stories)."""

    lookup_name = "in_list"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]


class InJSON(Lookup):
    """`field__in_json=<a JSON array of integers, as text>`: the field is one of them (none for NULL); a stored
    page's related stories (web/assembled.py)."""

    lookup_name = "in_json"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            # = ANY(ARRAY(…)): the array is made once, and the ids are looked up in the index (an IN (subquery)
            # let a plan prepared in advance join it against the whole table).
            ids = f"ARRAY(SELECT CAST(jsonb_array_elements_text(CAST({rhs} AS jsonb)) AS bigint))"
            return f"{lhs} = ANY({ids})", [*lhs_params, *rhs_params]
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", [*lhs_params, *rhs_params]


Field.register_lookup(InJSON)
ForeignObject.register_lookup(InJSON)  # a foreign key's lookups are its own, not Field's


def family(pk: int, *, through: str = "") -> Q:
    """Story pk's language versions, itself included: itself, its translations, and — when it is a translation —
    its original and the original's other translations (translations are one level deep: services.stories).
    `through`: the path to the story from the rows filtered ("article__" for credits)."""
    # Never NULL (the story's own id when it translates nothing): excluding a family must not meet SQL's
    # unknown, which would exclude every story.
    root = Coalesce(_field(pk, "translation_of_id"), Value(pk), output_field=BigIntegerField())
    return Q(**{f"{through}pk": root}) | Q(**{f"{through}translation_of_id": root})


def _field(pk: int, name: str) -> Subquery:
    return Subquery(Article.objects.filter(pk=pk).order_by().values(name)[:1])


# How many of a story's credited sources (in dateline order) related stories are looked for by: the originating
# agency and the next two; a fourth credit on one story is rare, and each one looked for is a walk of its own.
SOURCES_FOLLOWED = 3


def related_candidates(pk: int, *, limit: int = LIMIT, now=None):
    """A subquery of the ids of the stories that may be story pk's `limit` related stories: public, in the same
    section or crediting one of the first SOURCES_FOLLOWED sources it credits; never the story or one of its
    language versions, and never a retracted story (what to read next does not offer withdrawn copy; it stays in
    the section and source lists with its label). The related stories are the newest `limit` of them
    (_newest_first). `now`: the moment public is decided at (Article.objects.public).

    Each way to be related is its own walk down an index, newest first, stopping at `limit`: the section's
    stories down (section, published_at), each source's down the credits' (source, published_at), a copy of
    the story's time kept by the change unit. So at most `limit` candidates a walk are read, whatever the archive
    holds: a walk of every public story newest first, probing each, read thousands of rows for a story whose
    section and sources had published nothing lately (a wire burst of other copy). The candidates are not cut
    to `limit` here: ORDER BY published_at with a LIMIT lets PostgreSQL choose that very walk again, probing
    each story for being a candidate, and it does on tables of some thousands of rows."""
    now = now or timezone.now()
    published = Article.Status.PUBLISHED
    # The section as a range of one value, ordered by it too: an equality would let PostgreSQL drop section_id
    # from the order and walk every story newest first by published_at alone, probing each one's section (its
    # estimate for an average section), which for a rare section is the whole archive.
    section = _field(pk, "section_id")
    by_section = (
        Article.objects.filter(section_id__gte=section, section_id__lte=section, status=published)
        .filter(published_at__lte=now)
        .exclude(family(pk))
        .order_by("section_id", "-published_at")
        .values("pk")[:limit]
    )
    walks = Q(pk__in_list=by_section)
    credited = ArticleSource.objects.filter(article_id=pk).order_by("position").values("source_id")
    for n in range(SOURCES_FOLLOWED):
        by_source = (
            ArticleSource.objects.filter(
                source_id=Subquery(credited[n : n + 1]), published_at__lte=now, article__status=published
            )
            .exclude(family(pk, through="article__"))
            .order_by("-published_at")
            .values("article_id")[:limit]
        )
        walks |= Q(pk__in_list=by_source)
    # The walks' candidates are held to the one rule of visibility (the story's own row, not the credits' copy).
    return Article.objects.public(now).exclude(status=Article.Status.RETRACTED).filter(walks).order_by().values("pk")


def _newest_first(stories) -> list[Article]:
    return sorted(stories, key=lambda story: (story.published_at, story.pk), reverse=True)


def related_to(article: Article, *, limit: int = LIMIT) -> list[Article]:
    """The stories related to `article`, loaded for a list: two queries (the stories with their sections, then
    their credited sources)."""
    if article.pk is None:
        return []
    candidates = visible_to(None).filter(pk__in=related_candidates(article.pk, limit=limit)).for_list()
    return _newest_first(candidates)[:limit]


class _Joined(Aggregate):
    """Strings joined with a separator: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def joined(stories, field: str, separator: str) -> Subquery:
    """The values of `field` over all of `stories` joined by `separator`, in no order, as a subquery (NULL when
    there are none)."""
    every = stories.order_by().annotate(every=Value(1)).values("every")  # a constant: one group, of them all
    return Subquery(every.annotate(joined=_Joined(field, Value(separator))).values("joined"), output_field=TextField())


def translator_names() -> Subquery:
    """The names a story's translators are credited with (formats.translations.NAMES_SEPARATOR between them),
    as a column of the story's own row: a translation's page needs no query of its own for them."""
    through = Article.translated_by.through
    full = Trim(Concat("user__first_name", Value(" "), "user__last_name", output_field=TextField()))
    name = Coalesce(NullIf(full, Value("")), "user__username", output_field=TextField())
    names = (
        through.objects.filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(names=_Joined(name, Value(NAMES_SEPARATOR)))
        .values("names")
    )
    return Subquery(names, output_field=TextField())


@dataclass(frozen=True)
class StoryPage:
    """A public story page's stories."""

    article: Article
    versions: list[Article]  # its public language versions, itself included, by language; [] when it has none
    related: list[Article]  # newest first


def _page_stories(pk: int, now) -> ArticleQuerySet:
    """The story page's statement: story pk, its language versions and its related stories, as readers see them
    at `now`, each with its sources' `sources_version` (a stored page's key: web/assembled.py), the story with
    its public corrections (`corrections_json`, public.corrections_from)."""
    return (
        visible_to(None, now=now)
        .select_related("section", "baseline")
        .annotate(
            translator_names=translator_names(),
            corrections_json=Case(When(pk=pk, then=public.public_corrections(pk)), output_field=TextField()),
            sources_version=SOURCES_VERSION,
        )
        .filter(family(pk) | Q(pk__in_list=related_candidates(pk, now=now)))
    )


# Compiled once per process (newsroom.prepared): building and compiling the page's statement cost ten times
# what running it does.
PAGE_STORIES = Prepared(_page_stories, pk=NUMBER, now=MOMENT)


def story_page(pk: int) -> StoryPage | None:
    """Public story pk with its language versions, related stories and public corrections, in one statement,
    then its stories' credited sources, and the story's parts (three statements, each compiled once per
    process). None when readers may not see the story."""
    low, high = connection.ops.integer_field_range(Article._meta.pk.get_internal_type())
    if not low <= pk <= high:
        return None  # no story has such an id, and the database could not even compare it with one
    rows = PAGE_STORIES.rows(pk=pk, now=timezone.now())
    article = next((row for row in rows if row.pk == pk), None)
    if article is None:
        return None
    root = article.translation_of_id or article.pk
    versions = sorted(
        (row for row in rows if root in (row.pk, row.translation_of_id)), key=lambda row: (row.language, row.pk)
    )
    # The newest of the candidates (related_candidates: at most LIMIT a walk).
    related = _newest_first(row for row in rows if row not in versions)[:LIMIT]
    # What for_page() prefetches, narrowed to the stories shown: credited sources for all, parts and public
    # corrections for the story alone (the other stories are links, and their bodies are not read).
    public.hold_credits([*versions, *related])  # versions: the story itself among them
    public.hold_parts([article])
    public.corrections_from(article, article.corrections_json)  # read with the story
    return StoryPage(article=article, versions=versions if len(versions) > 1 else [], related=related)
