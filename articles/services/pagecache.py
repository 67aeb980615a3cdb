"""What the public pages' cache keys on: a generation for everything every page may show, and a clock of its own
for what only one story's page shows.

A story page shows the story, its language versions, its sources' names and the related stories (other
stories), and its own comments and annotations; a list (home, section, source, feeds) shows stories, their
sections, sources and labels. So:
- the generation moves on with every change to a story readers see, saw or will see at its scheduled time
  (the story-change announcement; a draft's changes move nothing) and every source renamed, after the change
  commits: every cached page is then one render away from current;
- a story's own clock (STORY) moves on when a comment under it is published or moderated, or an annotation on
  it written, edited or deleted: only that story's page is rendered again; lists and other stories stay
  cached. In a spike comments come every few seconds and edits every few minutes, so this keeps the rest of
  the site cached through the comments.
Exact by construction: a page is kept with the generation (and, for a story page, its clock) it was rendered
in, and served only while they are unchanged.

Scheduled stories go live with no change at all (`published_at <= now()` is the rule): the generation moves
on by itself at the next scheduled publication time, which every cached page's lifetime also ends at.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from articles.models import Article
from newsroom.cache import UNREACHABLE, Direct, advance, move_on, near

from .changes import What

# Every key under PAGES is watched by each process (newsroom.cache.Near): the generation, its time, the next
# go-live, the stories' clocks and the pages kept (articles/web/caching.py).
PAGES = "newsroom:pages:"
GENERATION = "newsroom:pages:generation"
CHANGED_AT = "newsroom:pages:changed-at"
NEXT_GO_LIVE = "newsroom:pages:next-go-live"
# A story's own clock: when its page alone last changed in the current generation, in microseconds
# (newsroom.cache.advance); no key for a story whose comments and annotations did not change since the
# generation moved on, which deletes every clock (CLOCKS lists them), so that a clock only exists when written in
# the current generation (what newsroom.cache.Near needs to know one absent without asking: `recent`).
STORY = "newsroom:pages:story:{}"
CLOCKS = "newsroom:clocks"  # outside the pages' prefix: its changes tell the processes nothing
NONE_SCHEDULED = "none"
# How long the next-go-live answer is kept when nothing moves the generation (a scheduled story is itself a
# change, so this is only a safety net).
NEXT_GO_LIVE_SECONDS = 3600


logger = logging.getLogger("newsroom.cache")


class _Owed:
    """Whether this process owes the pages a move of the generation: a change it made, or a read it could not
    make, while the cache could not be reached. A change then moved no page; and a cache that comes back with its
    entries (a network cut, not a restart) still holds pages from before it. So the first read that reaches the
    cache again moves the generation on before anything is answered from it (state_with)."""

    owed = False


def _owe(error: Exception, doing: str) -> None:
    if not _Owed.owed:
        logger.warning(
            "the cache cannot be reached (%s: %s) while %s; the public pages are answered uncached "
            "and move on when it answers again",
            error.__class__.__name__,
            error,
            doing,
        )
    _Owed.owed = True


def _fresh_start() -> int:
    # After the cache is emptied a new generation must never repeat an old one a shared cache (or a browser's
    # ETag) may still hold: start from the clock, in microseconds.
    return time.time_ns() // 1000


def bump() -> None:
    """Every cached public page is out of date from now on."""
    # One round trip on Redis; a change may have scheduled (or unscheduled) a story: the next go-live is asked again.
    try:
        move_on(
            cache,
            GENERATION,
            start=_fresh_start(),
            values={CHANGED_AT: time.time()},
            delete=[NEXT_GO_LIVE],
            clear=CLOCKS,
        )
    except UNREACHABLE as error:  # the change stands; the pages move on when the cache answers again
        _owe(error, "moving the pages on")


def public_changed() -> None:
    """Something readers see changed: the pages move on once the transaction commits (never before, so a
    reader cannot cache the old page again between the bump and the commit)."""
    transaction.on_commit(bump)


def story_page_changed(article_id: int) -> None:
    """What only this story's page shows changed (a comment, an annotation): the story's page version rises
    with the change, in its transaction (the stored page is keyed by it: articles/web/assembled.py), and the
    cached page moves on once the transaction commits."""
    Article.objects.filter(pk=article_id).update(page_version=F("page_version") + 1)
    transaction.on_commit(lambda: _advance_story(article_id))


def _advance_story(article_id: int) -> None:
    try:
        advance(caches["default"], STORY.format(article_id), registry=CLOCKS)
    except UNREACHABLE as error:  # owed as a move of every page: nothing narrower is remembered
        _owe(error, "moving a story's page on")


def follow_stories(*, article_id: int, version: int, what: What) -> None:
    """Receiver of story changes (called after commit): every page moves on, unless the story was a draft (or in
    review) before and after the change. No public page shows such a story, its language versions included, nor
    counts it (lists, the sections' menu, related stories); and it is no scheduled story, whose time the pages'
    lifetimes end at. So the wire's copy ingested for the desk to read first leaves every page cached."""
    if what.public:
        bump()


def _next_go_live(since: datetime, generation) -> datetime | None:
    """The first publication scheduled after `since` (when the generation last moved): one whose time has come
    since then (due: the pages must move on), or the next to come. Read from the database and kept with the
    generation it was read in: a scheduling that commits (and moves the generation on, deleting the kept answer)
    between this read and its write leaves an answer of the old generation, which the new one does not take."""
    found = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=since).aggregate(
        at=Min("published_at")
    )["at"]
    try:
        cache.set(NEXT_GO_LIVE, (generation, found or NONE_SCHEDULED), NEXT_GO_LIVE_SECONDS)
    except UNREACHABLE as error:  # read again next time
        _owe(error, "keeping the next scheduled publication")
    return found


def state(now: datetime | None = None) -> tuple[int, float, datetime | None]:
    """(generation, when it last moved as a Unix time, the next scheduled publication or None), in one round
    trip to the cache when nothing is due; a scheduled story whose time has come moves the generation on."""
    return state_with(None, now)[0]


def lifetime(next_go_live: datetime | None) -> int:
    """How long a page rendered now is kept: NEWSROOM_PAGE_CACHE_SECONDS, and no longer than until the next
    scheduled story goes live (no stale hour)."""
    seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
    if next_go_live is not None:
        seconds = min(seconds, max(1, int((next_go_live - timezone.now()).total_seconds()) + 1))
    return seconds


def keep(key: str, entry: tuple, seconds: int) -> None:
    """Store a page rendered in the current generation, (generation, content, headers, until as a Unix time),
    for every server, and in this process's memory for as long."""
    try:
        cache.set(key, entry, seconds)
    except UNREACHABLE as error:  # answered, not kept
        _owe(error, "keeping a page")
        return
    _near().remember(key, entry, size=len(entry[1]), seconds=seconds)


class _AssembledOnce:
    """The story pages this process assembled from their stored rendering and did not keep (admit()): each one's
    hash(key) and what it was current for, all of one generation. Bounded (a few MB at most)."""

    MAX = 20_000

    def __init__(self):
        self.generation, self.pages = None, {}

    def second(self, key: str, current) -> bool:
        generation = current[0] if isinstance(current, tuple) else current
        if generation != self.generation:
            self.generation, self.pages = generation, {}  # an older generation's are never current again
        seen = hash(key)
        if self.pages.get(seen) == current:
            del self.pages[seen]
            return True
        if len(self.pages) >= self.MAX:
            self.pages = {}
        self.pages[seen] = current
        return False


_assembled_once = _AssembledOnce()


def admit(key: str, current) -> bool:
    """Whether a story page just assembled from its stored rendering (web/assembled.py), current for `current`
    (state_with's), is to be kept in the cache: on its second read in this process while it stays current, not
    its first (NEWSROOM_PAGE_KEEP_ON="second"). After a publication empties the cache most story pages are read
    once before the next publication (the long tail), and keeping each (a 25 kB write to Redis, and its place
    in every process's memory) costs more than assembling it again would; a page read again is kept then, and
    served from the cache from its third read. CDNs admit objects on their second request for the same reason
    ("one-hit wonders"). A page rendered (tens of milliseconds) is kept at once; with "first", every page."""
    return settings.NEWSROOM_PAGE_KEEP_ON == "first" or _assembled_once.second(key, current)


def _near() -> Direct:
    return near(
        caches["default"],
        PAGES,
        max_bytes=settings.NEWSROOM_PAGE_MEMORY_MB * 1_000_000,
        resets=[GENERATION],
    )


def state_with(
    key: str | None, now: datetime | None = None, *, story: int | None = None, _moved: bool = False
) -> tuple[tuple[object, float, datetime | None], object]:
    """((what the page is current for, when that last changed as a Unix time, the next scheduled publication or
    None), the cache's value at `key`), read in one round trip. What the page is current for: the generation,
    or for a story's page (`story`, its id) the generation and the story's own clock.

    On Redis the generation and the clocks are known in this process (newsroom.cache.Near), and a page this
    process read or rendered while they hold too, so a page asked for again costs no round trip at all."""
    now = now or timezone.now()
    kept = _near()
    if _moved:  # this process just moved the generation on: read it back, whether or not it was told yet
        kept.forget()
    clock = [STORY.format(story)] if story is not None else []
    watched = [GENERATION, CHANGED_AT, NEXT_GO_LIVE, *clock]
    also = [key] if key else []
    # The story's clock and the page: each exists only when written in the current generation (CLOCKS; a page kept
    # in an earlier one is of no use), so that Near, told of every write since the generation moved on, asks for
    # neither when it was not told of one. A story page's first read in the generation then costs no round trip.
    try:
        values = kept.get_many(watched, also=also, recent=[*clock, *also])
    except UNREACHABLE as error:  # the caller answers without the cache
        _owe(error, "reading the pages' generation")
        raise
    if _Owed.owed and not _moved:
        # Back after the cache could not be reached: nothing it holds from before is taken (see _Owed).
        _Owed.owed = False
        bump()
        return state_with(key, now, story=story, _moved=True)
    generation, changed_at, scheduled = (values.get(k) for k in (GENERATION, CHANGED_AT, NEXT_GO_LIVE))
    if generation is None:
        # First start, or its lifetime ended: a new generation, the clocks of the last one deleted (as above), and
        # a page kept before it of no use.
        bump()
        generation, changed_at, values = cache.get(GENERATION), time.time(), {}
    if isinstance(scheduled, tuple) and len(scheduled) == 2 and scheduled[0] == generation:
        next_go_live = None if scheduled[1] == NONE_SCHEDULED else scheduled[1]
    else:  # not known in this generation: read from when it moved on (a story due since then moves it again)
        since = datetime.fromtimestamp(float(changed_at), UTC) if changed_at is not None else now
        next_go_live = _next_go_live(min(since, now), generation)
    if next_go_live is not None and next_go_live <= now and not _moved:
        # Its time has come: the pages move on, once (read back from the cache itself, not from what this process
        # holds, which its own move's notice may not have reached yet).
        bump()
        return state_with(key, now, story=story, _moved=True)
    changed_at = float(changed_at or time.time())
    current = generation
    if story is not None:
        clock = values.get(STORY.format(story), 0)
        current = (generation, clock)
        changed_at = max(changed_at, clock / 1_000_000)
    entry = values.get(key) if key else None
    if entry is not None and entry[0] == current:  # (from memory already, or read now: kept from now on)
        kept.remember(key, entry, size=len(entry[1]), seconds=entry[3] - time.time())
    return (current, changed_at, next_go_live), entry
