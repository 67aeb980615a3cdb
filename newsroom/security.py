"""Who the client is: the one rule for reading a request's address behind the proxies we trust."""

from rest_framework.throttling import BaseThrottle


def client_ip(request) -> str:
    """The address limits count a request under: REMOTE_ADDR, or with NEWSROOM_TRUSTED_PROXIES = n > 0 the
    n-th address from the end of X-Forwarded-For (the one our outermost proxy saw).

    Anyone can send X-Forwarded-For, so with no trusted proxy it is ignored; behind n proxies each appends
    the address it was connected from, and only the last n entries were written by machines we run. This is
    DRF's own rule (its throttles read REST_FRAMEWORK["NUM_PROXIES"], set from the same variable), called
    rather than copied so that the API's throttle and the comment limits can never count differently."""
    return BaseThrottle().get_ident(request) or ""
