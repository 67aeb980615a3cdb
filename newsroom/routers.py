"""Which database a query goes to: a read replica for the public's reads of published content, the primary for
everything else (docs/deploy.md, "Scale-out").

The rule is explicit, not guessed from the query: reads go to the replica only inside `replica_reads()`, which
only two doors enter: a public page rendered on a cache miss (articles/web/caching.py) and the API's list and
retrieve of stories for an anonymous client (articles/api/stories.py). Even there the primary answers when

- no replica is configured (`DATABASE_REPLICA_URL` unset: the usual case);
- the request carries credentials (an `Authorization` header or a session cookie): staff read their own writes;
- a transaction is open on the primary: what it reads must be what it writes;
- readers' content changed less than `NEWSROOM_REPLICA_LAG_SECONDS` ago: a replica that lags by less than
  that never serves, and the page cache never keeps, the version a change has just replaced;
- the replica could not be reached: this process then leaves it alone for `NEWSROOM_REPLICA_RETRY_SECONDS`
  and the primary serves (a lost replica slows the site down; it does not take it down).

Writes always go to the primary, whatever the context (an object read from the replica is saved there too).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD")

_public_reads: ContextVar[bool] = ContextVar("newsroom_public_reads", default=False)
# Until when (time.monotonic()) this process leaves an unreachable replica alone.
_replica_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_reachable() -> bool:
    """Whether this process may use the replica: connected (or connecting now), and not found unreachable in
    the last NEWSROOM_REPLICA_RETRY_SECONDS. A persistent connection whose server went away is found broken by
    the request that uses it, which fails; Django closes it at the end of that request, and the next one tries
    to reconnect here and falls back to the primary."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        _replica_down_until = time.monotonic() + settings.NEWSROOM_REPLICA_RETRY_SECONDS
        logger.warning(
            "the read replica is unreachable: the primary serves for the next %s s",
            settings.NEWSROOM_REPLICA_RETRY_SECONDS,
            exc_info=True,
        )
        return False
    return True


def anonymous(request) -> bool:
    """No credentials at all, read from the headers alone (never from the session, whose reading would add
    `Vary: Cookie` to a page that shared caches must be able to keep). A client DRF's test client authenticates
    with force_authenticate() carries its user on the request instead, and counts as one with credentials."""
    return (
        "Authorization" not in request.headers
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(request, "_force_auth_user", None) is None
        and getattr(request, "_force_auth_token", None) is None
    )


@contextmanager
def replica_reads(request, *, changed_at: float | None = None) -> Iterator[bool]:
    """Within the block, reads go to the replica when this request may read it (see the module's docstring).

    `changed_at` is when readers' content last changed, as a Unix time; None: look it up in the page cache
    (only when a replica is configured, so that without one this costs nothing). Yields whether the replica
    is in use."""
    use = replica_configured() and request.method in SAFE_METHODS and anonymous(request)
    if use:
        if changed_at is None:
            from articles.services import pagecache  # the page cache keeps the time of the last public change
            from newsroom.cache import UNREACHABLE

            try:
                changed_at = pagecache.state()[1]
            except UNREACHABLE:  # not known while the cache cannot be reached: never old enough, the primary
                changed_at = float("inf")
        use = time.time() - changed_at >= settings.NEWSROOM_REPLICA_LAG_SECONDS and replica_reachable()
    token = _public_reads.set(use)
    try:
        yield use
    finally:
        _public_reads.reset(token)


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS: the replica for reads inside replica_reads() outside any transaction, else the primary."""

    def db_for_read(self, model, **hints):
        if _public_reads.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block and replica_configured():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows: a story read from the replica may be linked to a part from the primary.
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        return True if {obj1._state.db, obj2._state.db} <= aliases else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica follows the primary's schema through replication; migrations run on the primary only.
        return db != REPLICA
