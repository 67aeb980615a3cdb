"""API views: thin adapters that check conditions, call the services and shape the answer."""

from __future__ import annotations

from django.conf import settings
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable, NotFound, PermissionDenied
from rest_framework.generics import get_object_or_404  # 404 (not 500) for ids that are not numbers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Article, AuditEntry, Part, Source
from articles.services import ServiceError, revisions, workflow
from articles.services import articles as story_services
from articles.services import ingest as ingest_services
from articles.services import parts as part_services
from articles.services import sources as source_services

from .errors import PreconditionFailed
from .filters import ArticleFilter
from .ninjs import article_to_ninjs
from .pagination import StoryCursorPagination
from .parsers import PlainTextParser, StrictJSONParser
from .permissions import can_see_unpublished
from .renderers import NinjsRenderer
from .serializers import (
    ArticleSerializer,
    IngestQuerySerializer,
    IngestResultSerializer,
    IngestSerializer,
    PartSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    SourceSerializer,
    TransitionSerializer,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read; the write is refused with 412 when the resource changed since.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="An ETag you hold; 304 when unchanged."
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "ninjs"],
    description="`ninjs` answers IPTC ninjs 3.1 (one object, or an array for the list).",
)
ERROR = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    description="A JSON error with a clear message.",
)
NINJS_OBJECT = {"type": "object", "description": "IPTC ninjs 3.1 news item", "additionalProperties": True}


def _etag(kind: str, pk, version: int) -> str:
    return f'"{kind}-{pk}-v{version}"'


def _version_from(request, kind: str, pk) -> int | None:
    """The version an If-Match header names for this resource; None when there is no If-Match."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return None
    prefix = f"{kind}-{pk}-v"
    for tag in parse_etags(header):
        tag = tag.removeprefix("W/").strip('"')
        if tag.startswith(prefix) and tag[len(prefix) :].isdigit():
            return int(tag[len(prefix) :])
    raise PreconditionFailed("If-Match does not name the current version of this resource")


def conditional_writes(serializer, replaced: str, changed: str) -> dict:
    """The schema of PUT and PATCH with If-Match (the common errors are added to every operation by
    articles.api.schema)."""
    responses = {200: serializer, 412: ERROR}
    return {
        "update": extend_schema(summary=f"Replace {replaced}", parameters=[IF_MATCH], responses=responses),
        "partial_update": extend_schema(summary=f"Change {changed}", parameters=[IF_MATCH], responses=responses),
    }


class ConditionalRetrieveMixin:
    """GET with ETag and If-None-Match → 304."""

    def etag_of(self, obj) -> str:
        raise NotImplementedError

    def conditional(self, request, obj, data_response) -> Response:
        etag = self.etag_of(obj)
        if etag in parse_etags(request.headers.get("If-None-Match", "")) or request.headers.get("If-None-Match") == "*":
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        response = data_response()
        response["ETag"] = etag
        return response


@extend_schema_view(
    list=extend_schema(
        summary="List stories",
        parameters=[FORMAT],
        responses={
            (200, "application/json"): ArticleSerializer(many=True),
            (200, "application/ninjs+json"): {"type": "array", "items": NINJS_OBJECT},
            400: ERROR,
        },
    ),
    retrieve=extend_schema(
        summary="Retrieve a story",
        parameters=[FORMAT, IF_NONE_MATCH],
        responses={
            (200, "application/json"): ArticleSerializer,
            (200, "application/ninjs+json"): NINJS_OBJECT,
            304: OpenApiResponse(description="not modified"),
            404: ERROR,
        },
    ),
    create=extend_schema(summary="Create a story", responses={201: ArticleSerializer, 400: ERROR, 403: ERROR}),
    **conditional_writes(ArticleSerializer, "a story's fields", "some of a story's fields"),
    destroy=extend_schema(
        summary="Delete a story",
        parameters=[IF_MATCH],
        responses={204: None, 403: ERROR, 404: ERROR, 412: ERROR},
    ),
)
class ArticleViewSet(ConditionalRetrieveMixin, viewsets.ModelViewSet):
    """Stories: anonymous clients see published ones; drafts are 404 to them, never 403."""

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    pagination_class = StoryCursorPagination
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, NinjsRenderer]
    queryset = Article.objects.all()

    def visible(self):
        """The stories this client may see, nothing loaded yet."""
        return Article.objects.all() if can_see_unpublished(self.request.user) else Article.objects.public()

    def get_queryset(self):
        return self.visible().for_page()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "show_retracted_text": can_see_unpublished(self.request.user)}

    def perform_content_negotiation(self, request, force=False):
        requested = request.query_params.get("format")
        if requested is not None and requested not in {"json", "ninjs", "api"} and not force:
            raise NotAcceptable("format must be json or ninjs")
        renderer, media_type = super().perform_content_negotiation(request, force)
        if renderer.format == "ninjs" and request.method not in ("GET", "HEAD"):
            return JSONRenderer(), JSONRenderer.media_type  # ninjs is a read format; writes answer JSON
        return renderer, media_type

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if getattr(self.request, "accepted_renderer", None) and self.request.accepted_renderer.format == "ninjs":
            self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response

    def etag_of(self, article) -> str:
        suffix = "-ninjs" if self._wants_ninjs() else ""
        return _etag("article", article.pk, article.version)[:-1] + suffix + '"'

    def _wants_ninjs(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) == "ninjs"

    def _ninjs(self, article) -> dict:
        url = self.request.build_absolute_uri(article.get_absolute_url())
        return article_to_ninjs(
            article,
            uri_prefix=settings.NEWSROOM_URI_PREFIX,
            public_url=url,
            show_retracted_text=can_see_unpublished(self.request.user),
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if self._wants_ninjs():
            response = Response([self._ninjs(article) for article in page])
            links = [(self.paginator.get_next_link(), "next"), (self.paginator.get_previous_link(), "prev")]
            header = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
            if header:
                response["Link"] = header
            return response
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        if request.headers.get("If-None-Match"):
            # A client polling for changes learns "not modified" from the version alone, in one small query.
            try:
                version = self.visible().filter(pk=kwargs["pk"]).values_list("version", flat=True).first()
            except (ValueError, TypeError):
                version = None
            if version is not None:
                etag = self.etag_of(Article(pk=int(kwargs["pk"]), version=version))
                if etag in parse_etags(request.headers["If-None-Match"]):
                    return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        article = self.get_object()
        if self._wants_ninjs():
            return self.conditional(request, article, lambda: Response(self._ninjs(article)))
        return self.conditional(request, article, lambda: Response(self.get_serializer(article).data))

    def _credits(self, validated) -> list | None:
        if "ordered_credits" not in validated:
            return None
        return [(credit["source"], credit["role"]) for credit in validated["ordered_credits"]]

    def _changes(self, validated) -> dict:
        changes = {k: v for k, v in validated.items() if k not in {"ordered_credits", "ordered_parts", "section"}}
        if "section" in validated:
            name = (validated["section"] or {}).get("name") or ""
            changes["section"] = story_services.section_named(name)
        return changes

    def _reload(self, pk) -> Article:
        return Article.objects.for_page().get(pk=pk)

    def create(self, request, *args, **kwargs):
        with revisions.recording("created through the API", by=request.user):
            return self._create(request)

    def _create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = self._changes(data)
        headline = changes.pop("headline")
        article = story_services.create_article(headline=headline, by=request.user)
        if changes:
            article = story_services.update_article(article=article, changes=changes, by=request.user)
        credits = self._credits(data)
        if credits:
            story_services.credit_sources(article=article, credits=credits, by=request.user)
        parts = [part_services.NewPart(**part) for part in data.get("ordered_parts", [])]
        if parts:
            part_services.append_parts(article=article, parts=parts, by=request.user)
        article = self._reload(article.pk)
        response = Response(self.get_serializer(article).data, status=status.HTTP_201_CREATED)
        response["ETag"] = self.etag_of(article)
        response["Location"] = request.build_absolute_uri(f"/api/v1/articles/{article.pk}/")
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        article = self.get_object()
        if not workflow.can_edit(request.user, article):
            raise PermissionDenied("you may edit only your own drafts")
        expected = _version_from(request, "article", article.pk)
        serializer = self.get_serializer(article, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        story_services.update_article(
            article=article,
            changes=self._changes(data),
            credits=self._credits(data),
            by=request.user,
            expected_version=expected,
        )
        article = self._reload(article.pk)
        response = Response(self.get_serializer(article).data)
        response["ETag"] = self.etag_of(article)
        return response

    def destroy(self, request, *args, **kwargs):
        article = self.get_object()
        expected = _version_from(request, "article", article.pk)
        workflow.delete(article=article, by=request.user, via=AuditEntry.Via.API, expected_version=expected)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _revision_story(self, pk) -> Article:
        if not can_see_unpublished(self.request.user):
            raise PermissionDenied("revisions are for staff with the view permission")
        return get_object_or_404(Article, pk=pk)

    @extend_schema(summary="List a story's revisions", responses={200: RevisionSerializer(many=True), 403: ERROR})
    @action(
        detail=True,
        methods=["get"],
        url_path="revisions",
        permission_classes=[IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def revisions(self, request, pk=None):
        article = self._revision_story(pk)
        return Response(RevisionSerializer(revisions.history(article), many=True).data)

    @extend_schema(
        summary="Retrieve one revision: the story's fields, parts and credits as they were",
        responses={200: RevisionDetailSerializer, 403: ERROR, 404: ERROR},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"revisions/(?P<version_id>[0-9]{1,18})",
        permission_classes=[IsAuthenticated],
    )
    def revision(self, request, pk=None, version_id=None):
        article = self._revision_story(pk)
        try:
            version = revisions.version_of(article, int(version_id))
        except ServiceError as error:
            raise NotFound(error.message) from error
        return Response(RevisionDetailSerializer({"version": version, **revisions.snapshot(version)}).data)

    @extend_schema(
        summary="Restore a revision (the restore is itself a new revision)",
        request=None,
        responses={200: ArticleSerializer, 403: ERROR, 404: ERROR},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"revisions/(?P<version_id>[0-9]{1,18})/restore",
        permission_classes=[IsAuthenticated],
    )
    def restore(self, request, pk=None, version_id=None):
        article = self._revision_story(pk)
        if not (request.user.has_perm("articles.change_article") and workflow.can_edit(request.user, article)):
            raise PermissionDenied("you may not restore revisions of this story")
        try:
            revisions.version_of(article, int(version_id))
        except ServiceError as error:
            raise NotFound(error.message) from error
        revisions.restore(article=article, version_id=int(version_id), by=request.user, via=AuditEntry.Via.API)
        article = self._reload(article.pk)
        response = Response(self.get_serializer(article).data)
        response["ETag"] = self.etag_of(article)
        return response

    @extend_schema(
        summary="Move a story through the workflow",
        description=(
            "`submit` (draft → in review), `return` (in review → draft), `publish` (now, or at `at`: a future "
            "time schedules it), `unpublish` (→ draft), `correct` (adds the dated public `note`), `retract` "
            "(replaces the public text with the `note`). Each needs its permission; a step the story's "
            "state does not allow is a 409 with the reason."
        ),
        request=TransitionSerializer,
        parameters=[IF_MATCH],
        responses={200: ArticleSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 412: ERROR},
    )
    @action(detail=True, methods=["post"], url_path="workflow", permission_classes=[IsAuthenticated])
    def workflow(self, request, pk=None):
        article = self.get_object()
        expected = _version_from(request, "article", article.pk)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        workflow.transition(
            article=article,
            name=data["action"],
            by=request.user,
            via=AuditEntry.Via.API,
            at=data.get("at"),
            note=data.get("note", ""),
            expected_version=expected,
        )
        article = self._reload(article.pk)
        response = Response(self.get_serializer(article).data)
        response["ETag"] = self.etag_of(article)
        return response


class EditableResourceViewSet(
    ConditionalRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve (with ETags), create and edit; no delete."""


@extend_schema_view(
    list=extend_schema(summary="List a story's parts", responses={200: PartSerializer(many=True), 404: ERROR}),
    retrieve=extend_schema(
        summary="Retrieve one part",
        parameters=[IF_NONE_MATCH],
        responses={200: PartSerializer, 304: OpenApiResponse(description="not modified"), 404: ERROR},
    ),
    create=extend_schema(
        summary="Append the next part (the server assigns its number)",
        responses={201: PartSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    ),
    **conditional_writes(PartSerializer, "a part's text", "a part"),
)
class PartViewSet(EditableResourceViewSet):
    """The parts (takes) of one story, addressed by number."""

    serializer_class = PartSerializer
    lookup_field = "number"
    lookup_value_regex = r"[0-9]{1,9}"
    pagination_class = None
    filter_backends = []
    queryset = Part.objects.all()

    def article(self) -> Article:
        if not hasattr(self, "_article"):
            stories = Article.objects.all() if can_see_unpublished(self.request.user) else Article.objects.public()
            self._article = get_object_or_404(stories, pk=self.kwargs["article_pk"])
        return self._article

    def get_queryset(self):
        return self.article().parts.order_by("number")

    def etag_of(self, part) -> str:
        # A part's representation changes only with the story's version (every part edit raises it).
        return _etag(f"part-{part.article_id}", part.number, self.article().version)

    def retrieve(self, request, *args, **kwargs):
        part = self.get_object()
        return self.conditional(request, part, lambda: Response(self.get_serializer(part).data))

    def create(self, request, *args, **kwargs):
        article = self.article()
        if not workflow.can_edit(request.user, article):
            raise PermissionDenied("you may add parts only to your own drafts")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        part = part_services.append_part(article=article, by=request.user, **serializer.validated_data)
        article.refresh_from_db(fields=["version"])
        response = Response(self.get_serializer(part).data, status=status.HTTP_201_CREATED)
        response["ETag"] = self.etag_of(part)
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        part = self.get_object()
        if not workflow.can_edit(request.user, self.article()):
            raise PermissionDenied("you may edit only your own drafts")
        expected = _version_from(request, f"part-{part.article_id}", part.number)
        serializer = self.get_serializer(part, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        part = part_services.edit_part(
            part=part,
            body=data.get("body", part.body),
            continues=data.get("continues", part.continues),
            label=data.get("label", part.label),
            by=request.user,
            expected_version=expected,
        )
        self.article().refresh_from_db(fields=["version"])
        response = Response(self.get_serializer(part).data)
        response["ETag"] = self.etag_of(part)
        return response


@extend_schema_view(
    list=extend_schema(summary="List sources", responses={200: SourceSerializer(many=True)}),
    retrieve=extend_schema(
        summary="Retrieve a source",
        parameters=[IF_NONE_MATCH],
        responses={200: SourceSerializer, 304: OpenApiResponse(description="not modified"), 404: ERROR},
    ),
    create=extend_schema(summary="Create a source", responses={201: SourceSerializer, 400: ERROR, 403: ERROR}),
    **conditional_writes(SourceSerializer, "a source", "a source"),
)
class SourceViewSet(EditableResourceViewSet):
    """News organisations and their aliases, addressed by slug."""

    serializer_class = SourceSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    queryset = Source.objects.prefetch_related("aliases").order_by("name")
    pagination_class = None

    def etag_of(self, source) -> str:
        return _etag("source", source.pk, source.version)

    def retrieve(self, request, *args, **kwargs):
        source = self.get_object()
        return self.conditional(request, source, lambda: Response(self.get_serializer(source).data))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        source = source_services.create_source(
            name=data["name"],
            kind=data.get("kind", "agency"),
            website=data.get("website", ""),
            slug=data.get("slug", ""),
            aliases=data.get("aliases", []),
        )
        source = self.get_queryset().get(pk=source.pk)
        response = Response(self.get_serializer(source).data, status=status.HTTP_201_CREATED)
        response["ETag"] = self.etag_of(source)
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        source = self.get_object()
        expected = _version_from(request, "source", source.pk)
        serializer = self.get_serializer(source, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        aliases = data.pop("aliases", None)
        source_services.update_source(source=source, changes=data, aliases=aliases, expected_version=expected)
        source = self.get_queryset().get(pk=source.pk)
        response = Response(self.get_serializer(source).data)
        response["ETag"] = self.etag_of(source)
        return response


@extend_schema(
    summary="Ingest wire copy",
    description=(
        "Send raw wire copy as `text/plain` (query parameters `publish`, `append_to`, `encoding`, `language`) "
        "or as JSON. The answer is the object `manage.py ingest_wire` prints: 201 when a story was created, "
        "200 when the copy was appended to a developing story or was already stored (`unchanged`)."
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
