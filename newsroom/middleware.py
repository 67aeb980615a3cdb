"""Refuse URLs that carry NUL characters: no database can look them up (PostgreSQL raises), and no
legitimate link contains one. Request bodies are left to the forms and serializers, which answer with
a message next to the field, so nothing typed is lost."""

from django.http import HttpResponseBadRequest, JsonResponse


class RejectNulInUrlMiddleware:
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
