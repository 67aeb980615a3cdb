"""Errors: the API's exception handler (every error JSON with a clear `detail` message) and the project's
400/403/404/500 handlers (JSON under /api/, the site's error pages elsewhere)."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from django.views.defaults import permission_denied as default_permission_denied
from django.views.defaults import server_error as default_server_error
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from articles.services import (
    Conflict,
    NotAllowed,
    ServiceError,
    StaleVersion,
    StoryGone,
    StoryNotFound,
    TranslationExists,
)
from articles.web.caching import ask_again

from .parsers import BodyTooLarge


class PreconditionFailed(Exception):
    """If-Match named a version that is not the current one."""


def exception_handler(exc, context):
    if isinstance(exc, StaleVersion):
        return Response(
            {"detail": exc.message, "current_version": exc.current}, status=status.HTTP_412_PRECONDITION_FAILED
        )
    if isinstance(exc, PreconditionFailed):
        return Response({"detail": str(exc)}, status=status.HTTP_412_PRECONDITION_FAILED)
    if isinstance(exc, NotAllowed):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, TranslationExists):
        return Response({"detail": exc.message, "existing": exc.existing}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StoryGone):
        return Response({"detail": exc.message}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, StoryNotFound):
        return Response({"detail": exc.message, "errors": {"append_to": [exc.message]}}, status=400)
    if isinstance(exc, ServiceError):
        return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=exc.messages)
    if isinstance(exc, Http404):
        # get_object_or_404's message is Django's English ("No Article matches the given query."), in every
        # language; the same sentence as a URL no route matches, in the reader's.
        exc = NotFound(_("not found: no such endpoint or resource"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        response.data = {"detail": _summary(response.data), "errors": response.data}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(response.data)}
    return response


def _summary(errors) -> str:
    """One sentence naming what is wrong, for clients that show only `detail`."""
    if isinstance(errors, dict):
        parts = []
        for field, messages in errors.items():
            first = messages[0] if isinstance(messages, list) and messages else messages
            if isinstance(first, dict):
                first = _summary(first)
            parts.append(f"{field}: {first}")
        return _("invalid input: %(errors)s") % {"errors": "; ".join(parts)}
    if isinstance(errors, list) and errors:
        return _("invalid input: %(errors)s") % {"errors": errors[0]}
    return _("invalid input")


def is_api(request) -> bool:
    """Errors under /api/ are JSON for the API's clients; everywhere else they are pages for readers."""
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """404 for URLs no route matches: JSON under /api/, templates/404.html in the site's frame elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": _("not found: no such endpoint or resource")}, status=404)
    return ask_again(request, page_not_found(request, exception))


def permission_denied(request, exception=None):
    """403 for a PermissionDenied outside DRF's views: JSON under /api/, templates/403.html elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": _("forbidden: you may not do this")}, status=403)
    return ask_again(request, default_permission_denied(request, exception))


def csrf_failure(request, reason=""):
    """403 for a form post that failed Django's CSRF check (CSRF_FAILURE_VIEW): the site's own 403 page, saying
    what to do, instead of Django's bare English one; JSON under /api/."""
    if is_api(request):
        return JsonResponse({"detail": _("forbidden: the request failed the CSRF check")}, status=403)
    page = loader.get_template("403.html").render({"csrf_failure": True}, request)
    return HttpResponseForbidden(page)


def server_error(request):
    """500 for uncaught exceptions: JSON under /api/, templates/500.html elsewhere. Django renders that
    template without the request, so no context processor runs: the page needs no database, which may be
    what failed."""
    if is_api(request):
        return JsonResponse(
            {"detail": _("server error: the request failed on our side and has been logged")}, status=500
        )
    return ask_again(request, default_server_error(request))


def bad_request(request, exception=None, *, reason: str = ""):
    """400 that Django answers before any view (too many fields, a host not allowed): JSON under /api/,
    templates/400.html elsewhere. Rendered without the request, as the 500 page is: most of these come from
    scanners forging a Host, which should cost no database query, and nothing on the page may read a request
    that is not sound (its host, for one).

    In the language the request asks for (its language cookie, else Accept-Language, as LocaleMiddleware decides),
    set here: a refusal raised before LocaleMiddleware ran (too many fields, read by the middleware before it)
    would otherwise be said in whatever language this thread's previous request left active. `reason`: why, when
    the refusal knows (a callable, said in that language), in place of the general sentence."""
    with translation.override(translation.get_language_from_request(request)):
        said = str(reason()) if reason else ""
        if is_api(request):
            return JsonResponse({"detail": said or _("bad request: the request could not be read")}, status=400)
        page = loader.get_template("400.html").render({"reason": said})
        return ask_again(request, HttpResponseBadRequest(page))
