"""What readers are shown of stories beside their rows, read by statements compiled once per process
(newsroom.prepared) and held on the stories as prefetch_related would hold them: the public story page, an
anonymous client's API retrieve and the API's public story list.

ArticleQuerySet.for_page() and with_language_versions() prefetch the same for everyone else: keep them in
step. Each statement takes any number of stories (the `any_of` lookup), so a list costs what one story does."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC

from django.db.models import Aggregate, F, Func, Subquery, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import prefetched
from articles.models import Article, ArticleSource, Correction, Part
from newsroom.prepared import MOMENT, NUMBERS, Prepared

from .stories import visible_to

CREDITS = Prepared(
    lambda ids: ArticleSource.objects.select_related("source").filter(article_id__any_of=ids), ids=NUMBERS
)
PARTS = Prepared(lambda ids: Part.objects.filter(article_id__any_of=ids).order_by("article_id", "number"), ids=NUMBERS)
CORRECTIONS = Prepared(
    lambda ids: Correction.objects.filter(article_id__any_of=ids, public=True).order_by("created_at", "pk"),
    ids=NUMBERS,
)
# with_language_versions() for a reader: each story's translations readers may see at `now`, by language.
TRANSLATIONS = Prepared(
    lambda ids, now: (
        visible_to(None, now=now)
        .select_related("baseline")
        .filter(translation_of_id__any_of=ids)
        .order_by("language", "pk")
    ),
    ids=NUMBERS,
    now=MOMENT,
)


def _by_story(rows, key: str, stories: Sequence[Article]) -> dict[int, list]:
    found: dict[int, list] = {story.pk: [] for story in stories}
    for row in rows:
        found[getattr(row, key)].append(row)
    return found


def hold_credits(stories: Sequence[Article]) -> None:
    """Each story's credits with their sources (one statement)."""
    credits = _by_story(CREDITS.rows(ids=[story.pk for story in stories]), "article_id", stories)
    for story in stories:
        prefetched.hold(story, "credits", credits[story.pk])


def hold_text(stories: Sequence[Article]) -> None:
    """Each story's parts in order and its public corrections, oldest first (two statements)."""
    hold_parts(stories)
    corrections = _by_story(CORRECTIONS.rows(ids=[story.pk for story in stories]), "article_id", stories)
    for story in stories:
        prefetched.hold(story, "corrections", corrections[story.pk])


def hold_parts(stories: Sequence[Article]) -> None:
    """Each story's parts in order (one statement)."""
    parts = _by_story(PARTS.rows(ids=[story.pk for story in stories]), "article_id", stories)
    for story in stories:
        prefetched.hold(story, "parts", parts[story.pk])


class _JSONList(Aggregate):
    """The values as a JSON array, in text: JSON_AGG on PostgreSQL, JSON_GROUP_ARRAY on SQLite."""

    template = "CAST(JSON_AGG(%(expressions)s) AS text)"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="JSON_GROUP_ARRAY(%(expressions)s)", **extra_context)


class _JSONRow(Func):
    """A JSON object of name, value pairs: JSON_BUILD_OBJECT on PostgreSQL, JSON_OBJECT on SQLite (Django's
    JSONObject asks SQLite whether it has the function, a statement of its own on a connection's first use)."""

    function = "JSON_BUILD_OBJECT"
    output_field = TextField()

    def __init__(self, **fields):
        # The names cast: a statement prepared on PostgreSQL cannot tell a variadic function's parameter's type.
        names = {name: Cast(Value(name), output_field=TextField()) for name in fields}
        super().__init__(*(part for name, value in fields.items() for part in (names[name], F(value))))

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_OBJECT", **extra_context)


def public_corrections(pk) -> Subquery:
    """Story pk's public corrections as one JSON text (NULL when it has none), for corrections_from: a column of
    the story's own row, where a statement of their own would cost a round trip."""
    rows = Correction.objects.filter(article_id=pk, public=True).order_by().values("article_id")
    fields = _JSONRow(id="id", note="note", created_at="created_at", created_by_id="created_by_id")
    return Subquery(rows.annotate(corrections=_JSONList(fields)).values("corrections"), output_field=TextField())


def corrections_from(story: Article, text: str | None) -> None:
    """Hold on `story` the public corrections public_corrections read, oldest first, as CORRECTIONS reads them."""
    corrections = []
    for row in json.loads(text) if text else []:
        moment = parse_datetime(row["created_at"])
        if timezone.is_naive(moment):  # SQLite writes the stored UTC time without its offset
            moment = timezone.make_aware(moment, UTC)
        corrections.append(
            Correction(
                id=row["id"],
                article_id=story.pk,
                note=row["note"],
                public=True,
                created_at=moment,
                created_by_id=row["created_by_id"],
            )
        )
    for correction in corrections:
        correction._state.adding, correction._state.db = False, story._state.db
    prefetched.hold(story, "corrections", sorted(corrections, key=lambda c: (c.created_at, c.pk)))


def hold_translations(stories: Sequence[Article], *, now=None) -> None:
    """`visible_translations`: each story's translations readers may see, by language (one statement)."""
    found = TRANSLATIONS.rows(ids=[story.pk for story in stories], now=now or timezone.now())
    translations = _by_story(found, "translation_of_id", stories)
    for story in stories:
        story.visible_translations = translations[story.pk]
