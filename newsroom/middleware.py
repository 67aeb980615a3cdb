"""Project-wide middleware: a request id for every request's logs, and URLs with NUL characters refused."""

import re
import uuid

from django.core.signals import request_finished
from django.http import HttpResponseBadRequest, JsonResponse

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
    a message next to the field, so nothing typed is lost."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", "") or _nul_in_query(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "the URL contains a NUL character"}, status=400)
            return HttpResponseBadRequest("The address contains a NUL character.", content_type="text/plain")
        return self.get_response(request)


def _nul_in_query(request) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())
