"""Who the client is: the one rule for reading a request's address behind the proxies we trust."""

import ipaddress
import re

from rest_framework.throttling import BaseThrottle


def client_ip(request) -> str:
    """The address limits count a request under: REMOTE_ADDR, or with NEWSROOM_TRUSTED_PROXIES = n > 0 the
    n-th address from the end of X-Forwarded-For (the one our outermost proxy saw).

    Anyone can send X-Forwarded-For, so with no trusted proxy it is ignored; behind n proxies each appends
    the address it was connected from, and only the last n entries were written by machines we run. This is
    DRF's own rule (its throttles read REST_FRAMEWORK["NUM_PROXIES"], set from the same variable), called
    rather than copied so that the API's throttle and the comment limits can never count differently.

    What that entry says is read as an address: some proxies write the port too ("203.0.113.9:51234", Azure's;
    "[2001:db8::1]:443"), which is dropped; an entry that is no address at all (a forged header passed through
    by a proxy that appends rather than replaces) counts as REMOTE_ADDR. django-axes stores the result in an
    address column (PostgreSQL's inet), which refuses anything else."""
    found = address(BaseThrottle().get_ident(request) or "")
    if found is None:
        found = address(request.META.get("REMOTE_ADDR") or "")
    return found or ""


def address(text: str) -> str | None:
    """The IP address an X-Forwarded-For entry names, in its canonical form, without a port; None if none."""
    text = text.strip()
    if bracketed := re.fullmatch(r"\[([^\]]+)\](?::\d{1,5})?", text):  # [v6] or [v6]:port
        text = bracketed[1]
    elif with_port := re.fullmatch(r"([^:]+):\d{1,5}", text):  # v4:port; a bare IPv6 address has two colons or more
        text = with_port[1]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.scope_id:
        parsed = ipaddress.IPv6Address(text.partition("%")[0])  # a zone means nothing beyond this host
    return str(parsed)
