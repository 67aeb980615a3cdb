"""Wire ingest through the API: POST /api/v1/ingest/ with text/plain copy or JSON."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Article, AuditEntry
from articles.services import ingest as ingest_services

from .conditional import ERROR
from .parsers import PlainTextParser, StrictJSONParser
from .serializers import IngestQuerySerializer, IngestResultSerializer, IngestSerializer


@extend_schema(
    summary="Ingest wire copy",
    description=(
        "Send raw wire copy as `text/plain` (query parameters `publish`, `append_to`, `encoding`, `language`) "
        "or as JSON. The answer is the object `manage.py ingest_wire` prints: 201 when a story was created, "
        "200 when the copy was appended to a developing story, was already stored (`unchanged`), or was already "
        "stored in a draft that `publish` now published (`published`). Copy already held by a story you may not "
        "see is `unchanged` with `id`, `url` and `parts` null and a warning saying so: it is not stored twice, "
        "that story is not named, and nothing is published."
    ),
    request={"text/plain": {"type": "string", "minLength": 1}, "application/json": IngestSerializer},
    parameters=[IngestQuerySerializer],
    responses={201: IngestResultSerializer, 200: IngestResultSerializer, 400: ERROR, 403: ERROR, 413: ERROR},
    examples=[OpenApiExample("JSON", value={"text": "عنوان الخبر\n\nنص الخبر.", "publish": False}, request_only=True)],
)
class IngestView(APIView):
    """POST wire copy; the same service as the ingest command and the admin's paste page."""

    parser_classes = [StrictJSONParser, PlainTextParser]
    queryset = Article.objects.all()  # for the model permission: ingest needs articles.add_article

    def post(self, request):
        if isinstance(request.data, bytes):
            query = IngestQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            options = query.validated_data
            result = ingest_services.ingest_bytes(
                data=request.data,
                encoding=options.get("encoding"),
                publish=options["publish"],
                append_to=options.get("append_to"),
                language=options["language"],
                by=request.user,
                via=AuditEntry.Via.API,
            )
        else:
            misplaced = sorted(set(request.query_params) - {"format"})
            if misplaced:
                # A JSON body carries its own options: query parameters beside it would be silently ignored.
                message = _("the options of JSON copy go in its body, not in the query string")
                raise ValidationError({name: [message] for name in misplaced})
            serializer = IngestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            options = serializer.validated_data
            result = ingest_services.ingest(
                text=options["text"],
                publish=options["publish"],
                append_to=options.get("append_to"),
                language=options["language"],
                by=request.user,
                via=AuditEntry.Via.API,
            )
        code = status.HTTP_201_CREATED if result.action == ingest_services.CREATED else status.HTTP_200_OK
        return Response(result.as_dict(), status=code)
