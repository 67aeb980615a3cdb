"""Who has a story open in the admin right now: a notice for other editors, never a lock.

Kept in the cache with a short lifetime: an editor's page refreshes its entry every
HEARTBEAT seconds and removes it when left, so the notice clears by itself when they go, even
if their browser never says goodbye."""

from django.core.cache import cache
from django.utils import timezone

from newsroom.cache import UNREACHABLE

HEARTBEAT = 30  # seconds between an open page's refreshes
EXPIRES = 90  # an entry not refreshed for this long is gone


def _key(article_id) -> str:
    return f"presence:article:{article_id}"


def _fresh(entries: dict, now) -> dict:
    return {uid: e for uid, e in entries.items() if (now - e["seen"]).total_seconds() < EXPIRES}


def touch(*, article_id, user) -> list[dict]:
    """Record that user has the story open; return the others who have it open ({name, since}); nobody while
    the cache cannot be reached (the notice is a courtesy, never a lock)."""
    try:
        return _touch(article_id=article_id, user=user)
    except UNREACHABLE:
        return []


def _touch(*, article_id, user) -> list[dict]:
    now = timezone.now()
    entries = _fresh(cache.get(_key(article_id), {}), now)
    previous = entries.get(user.pk)
    entries[user.pk] = {
        "name": user.get_full_name() or user.get_username(),
        "since": previous["since"] if previous else now,
        "seen": now,
    }
    cache.set(_key(article_id), entries, EXPIRES)
    return [{"name": e["name"], "since": e["since"]} for uid, e in entries.items() if uid != user.pk]


def leave(*, article_id, user) -> None:
    try:
        entries = cache.get(_key(article_id), {})
        if entries.pop(user.pk, None) is not None:
            cache.set(_key(article_id), entries, EXPIRES)
    except UNREACHABLE:
        pass  # the entry ends by itself (EXPIRES)
