"""/healthz: can this process reach its database and its cache? For load balancers and orchestrators."""

import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from newsroom.routers import REPLICA, replica_configured

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"


def database(alias: str = DEFAULT_DB_ALIAS) -> str:
    """The database answers a trivial query."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: the database %r is unreachable", alias)
        return FAILED
    return OK


def shared_cache() -> str:
    """The default cache stores and returns a value: a key of our own, so concurrent probes never collide."""
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, OK, timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.exception("health check: the cache is unreachable")
        return FAILED
    if found != OK:
        logger.error("health check: the cache did not return what was stored")
        return FAILED
    return OK


@never_cache
@require_safe
def healthz(request):
    """200 with {"database": "ok", "cache": "ok"}, or 503 naming what failed (details go to the log, not to
    whoever asks: the endpoint needs no login). Never cached, so a probe always sees now.

    A read replica, when there is one, is reported ("replica": "ok" or "failed") but does not make the answer
    503: without it this server still serves, from the primary (newsroom/routers.py), and a replica shared by
    every server would otherwise take them all out of the balancer at once."""
    checks = {"database": database(), "cache": shared_cache()}
    status = 200 if all(value == OK for value in checks.values()) else 503
    if replica_configured():
        checks["replica"] = database(REPLICA)
    return JsonResponse(checks, status=status)
