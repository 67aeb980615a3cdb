"""What readers are shown of stories beside their rows, read by statements compiled once per process
(newsroom.prepared) and held on the stories as prefetch_related would hold them: the public story page, an
anonymous client's API retrieve and the API's public story list.

ArticleQuerySet.for_page() and with_language_versions() prefetch the same for everyone else: keep them in
step. Each statement takes any number of stories (the `any_of` lookup), so a list costs what one story does."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

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
    ids = [story.pk for story in stories]
    parts = _by_story(PARTS.rows(ids=ids), "article_id", stories)
    corrections = _by_story(CORRECTIONS.rows(ids=ids), "article_id", stories)
    for story in stories:
        prefetched.hold(story, "parts", parts[story.pk])
        prefetched.hold(story, "corrections", corrections[story.pk])


def hold_translations(stories: Sequence[Article], *, now=None) -> None:
    """`visible_translations`: each story's translations readers may see, by language (one statement)."""
    found = TRANSLATIONS.rows(ids=[story.pk for story in stories], now=now or timezone.now())
    translations = _by_story(found, "translation_of_id", stories)
    for story in stories:
        story.visible_translations = translations[story.pk]
