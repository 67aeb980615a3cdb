"""The API's rate limits: DRF's anonymous and per-user rates, counted in fixed windows.

DRF's own rate throttles keep the time of every request of the last period in one cache entry per client,
read and written whole on each request. At an API's real rates that entry holds thousands of timestamps: under
load (one address making 900 requests a second, a partner behind one NAT) it costs milliseconds and half a
megabyte to and from Redis per request, more than answering. Here each client has one counter per window of
the period (`60/minute`: a counter per clock minute), added to with one round trip (newsroom/cache.py).

What this gives up: a client may make up to twice its rate across the boundary of two windows (the end of one,
the start of the next), as GitHub's and most APIs' limits allow. What it keeps: the rates, the scopes, the
client's address as DRF reads it (NUM_PROXIES), the 429 with Retry-After (the seconds left in the window)."""

from __future__ import annotations

import logging

from rest_framework import throttling

from newsroom.cache import UNREACHABLE, count
from newsroom.security import client_ip

logger = logging.getLogger("newsroom.cache")


class FixedWindow:
    """Mixed into one of DRF's SimpleRateThrottle classes: its rate, scope and key; a counter per window."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        if type(self) in getattr(getattr(request, "_request", None), "rate_counted", ()):
            return True  # counted, and within the rate, by articles/api/early.py before it passed the request on
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        # The counter outlives its window by a second, so that a clock a little behind still finds it.
        try:
            made = count(self.cache, f"{self.key}:{window}", timeout=self.duration + 1)
        except UNREACHABLE as error:
            # Counted nowhere while the cache cannot be reached: the API stays open rather than refusing everyone.
            logger.warning("the cache cannot be reached (%s): the API's rate limits count nothing", error)
            return True
        return made <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_ends_at - self.timer())

    def get_ident(self, request) -> str:
        # DRF's rule (NUM_PROXIES), the entry read as an address (a port dropped, a forged entry REMOTE_ADDR's):
        # the same address the comment limits and the log-in lockout count (newsroom/security.py).
        return client_ip(request)


class AnonRateThrottle(FixedWindow, throttling.AnonRateThrottle):
    """Clients without credentials, by address: NEWSROOM_API_ANON_RATE."""


class UserRateThrottle(FixedWindow, throttling.UserRateThrottle):
    """Clients with a token or a session, by user: NEWSROOM_API_USER_RATE. Anonymous clients are the anonymous
    rate's alone (DRF's own would count them a second time, by address, at the users' rate)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
