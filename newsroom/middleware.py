"""Project-wide middleware: a request id for every request's logs, URLs with NUL characters refused, and the
Content-Security-Policy."""

import functools
import re
import uuid
from http import HTTPStatus

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import request_finished, setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from newsroom.logging import request_id

REQUEST_ID_HEADER = "X-Request-ID"
# An id a proxy or load balancer assigned is kept, so one request can be followed across their logs and
# ours; anything else (too long, spaces, quotes, control characters) could forge or break a log line.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


class RequestIdMiddleware:
    """Gives the request an id (the incoming X-Request-ID when it is safe, else a new uuid4 hex), puts it on
    every log record written while the request is handled, and returns it in the X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.id = incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Not reset when the response leaves the middleware: Django logs "Not Found: …" after the whole
        # chain has returned. It is cleared when the request is finished (below).
        request_id.set(request.id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.id
        return response


def _forget_request_id(**kwargs) -> None:
    """Log lines written between requests (a worker's own) must not carry the last request's id."""
    request_id.set(None)


request_finished.connect(_forget_request_id, dispatch_uid="newsroom.middleware.forget_request_id")


class RejectNulInUrlMiddleware:
    """Refuse URLs that carry NUL characters: no database can look them up (PostgreSQL raises), and no
    legitimate link contains one. Request bodies are left to the forms and serializers, which answer with
    a message next to the field, so nothing typed is lost. The refusal is the site's 400 page (JSON under /api/),
    in the language the request asks for, as any request refused before a view is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", "") or _nul_in_query(request):
            from articles.api.errors import bad_request

            if request.path.startswith("/api/"):
                return bad_request(request, reason=lambda: _("the address contains a NUL character"))
            return bad_request(request, reason=lambda: _("The address contains a NUL character."))
        return self.get_response(request)


def _nul_in_query(request) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


# The response attributes by which django-csp's decorators give one view a policy of its own.
_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, the policy of the settings built once per process rather than twice a response.

    django-csp builds both headers (the policy and the report-only one) from the settings for every response:
    on a page answered from the cache, or the bare view of `make bench`, that was a sixth of the request's
    Python. A response whose view changed nothing of the policy (no decorator) and whose page used no nonce gets
    the same two strings every time; they are kept, and forgotten when a test overrides either setting. Any
    other response (Swagger UI's nonce, a decorated view) is built by django-csp as before; tests/test_production.py
    holds both ways to django-csp's own headers."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.NOT_FOUND) and settings.DEBUG:
            return response  # Django's debug pages carry inline code (as django-csp exempts them)
        for header, exempt, setting, policy in _settings_policies():
            if policy and header not in response and not getattr(response, exempt, False):
                prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
                if not request.path_info.startswith(tuple(prefixes)):
                    response[header] = policy
        # As django-csp does: a nonce asked for after the header was written would be in no header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _settings_policies() -> tuple[tuple[str, str, str, str], ...]:
    """(header, exemption attribute, setting, policy) of the policy and the report-only policy of the settings."""
    return (
        (HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY", build_policy()),
        (HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY", build_policy(report_only=True)),
    )


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs) -> None:
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        _settings_policies.cache_clear()
