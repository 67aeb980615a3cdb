"""What the public pages' cache keys on: one generation number for everything readers can see.

A story page shows the story, its language versions, its sources' names, its comments and annotations and the
related stories (other stories); a list shows stories, their labels and comment counts. So any change that a
reader could see anywhere — a story change (the story-change announcement), a comment published or
moderated, an annotation, a source renamed — moves the generation on after it commits, and every cached page
is then one render away from current. Exact by construction; coarse by design: in a spike readers ask for a
few pages thousands of times between two edits, and each edit costs one render per page then asked for.

Scheduled stories go live with no change at all (`published_at <= now()` is the rule): the generation moves
on by itself at the next scheduled publication time, which every cached page's lifetime also ends at.
"""

from __future__ import annotations

import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from articles.models import Article
from newsroom.cache import Direct, near

from .changes import What

GENERATION = "newsroom:pages:generation"
CHANGED_AT = "newsroom:pages:changed-at"
NEXT_GO_LIVE = "newsroom:pages:next-go-live"
NONE_SCHEDULED = "none"
# How long the next-go-live answer is kept when nothing moves the generation (a scheduled story is itself a
# change, so this is only a safety net).
NEXT_GO_LIVE_SECONDS = 3600


def _fresh_start() -> int:
    # After the cache is emptied a new generation must never repeat an old one a shared cache (or a browser's
    # ETag) may still hold: start from the clock, in microseconds.
    return time.time_ns() // 1000


def bump() -> None:
    """Every cached public page is out of date from now on."""
    try:
        cache.incr(GENERATION)
    except ValueError:  # not in the cache (first start, eviction, flush)
        cache.add(GENERATION, _fresh_start())
    cache.set(CHANGED_AT, time.time(), None)
    cache.delete(NEXT_GO_LIVE)  # a change may have scheduled (or unscheduled) a story


def public_changed() -> None:
    """Something readers see changed: the pages move on once the transaction commits (never before, so a
    reader cannot cache the old page again between the bump and the commit)."""
    transaction.on_commit(bump)


def follow_stories(*, article_id: int, version: int, what: What) -> None:
    """Receiver of story changes (called after commit)."""
    bump()


def _next_go_live(now: datetime) -> datetime | None:
    found = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now).aggregate(
        at=Min("published_at")
    )["at"]
    cache.set(NEXT_GO_LIVE, found or NONE_SCHEDULED, NEXT_GO_LIVE_SECONDS)
    return found


def state(now: datetime | None = None) -> tuple[int, float, datetime | None]:
    """(generation, when it last moved as a Unix time, the next scheduled publication or None), in one round
    trip to the cache when nothing is due; a scheduled story whose time has come moves the generation on."""
    return state_with(None, now)[0]


def keep(key: str, entry: tuple, seconds: int) -> None:
    """Store a page rendered in the current generation, (generation, content, headers, until as a Unix time),
    for every server, and in this process's memory for as long."""
    cache.set(key, entry, seconds)
    _near().remember(key, entry, size=len(entry[1]), seconds=seconds)


def _near() -> Direct:
    return near(caches["default"], "newsroom:pages:", max_bytes=settings.NEWSROOM_PAGE_MEMORY_MB * 1_000_000)


def state_with(key: str | None, now: datetime | None = None) -> tuple[tuple[int, float, datetime | None], object]:
    """The state and the cache's value at `key`, read in the same round trip (a cached page is one trip); on
    Redis the state is known in this process (newsroom.cache.Near), and a page this process read or rendered
    in the current generation too, so a page asked for again is no trip at all."""
    now = now or timezone.now()
    kept = _near()
    values = kept.get_many([GENERATION, CHANGED_AT, NEXT_GO_LIVE], also=[key] if key else [])
    generation, changed_at, next_go_live = (values.get(k) for k in (GENERATION, CHANGED_AT, NEXT_GO_LIVE))
    if generation is None:
        cache.add(GENERATION, _fresh_start())
        generation = cache.get(GENERATION)
        changed_at = time.time()
        cache.add(CHANGED_AT, changed_at, None)
    if next_go_live is None:
        next_go_live = _next_go_live(now)
    elif next_go_live == NONE_SCHEDULED:
        next_go_live = None
    if next_go_live is not None and next_go_live <= now:
        bump()
        return state_with(key, now)
    entry = values.get(key) if key else None
    if entry is not None and entry[0] == generation:  # (from memory already, or read now: kept from now on)
        kept.remember(key, entry, size=len(entry[1]), seconds=entry[3] - time.time())
    return (generation, float(changed_at or time.time()), next_go_live), entry
