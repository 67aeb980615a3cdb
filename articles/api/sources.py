"""The source resource: news organisations and their aliases, addressed by slug."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from articles.models import Source
from articles.services import sources as source_services

from .conditional import ERROR, IF_NONE_MATCH, NOT_MODIFIED, conditional_writes, etag, version_from
from .parts import EditableResourceViewSet
from .serializers import SourceSerializer


@extend_schema_view(
    list=extend_schema(summary="List sources", responses={200: SourceSerializer(many=True)}),
    retrieve=extend_schema(
        summary="Retrieve a source",
        parameters=[IF_NONE_MATCH],
        responses={200: SourceSerializer, 304: NOT_MODIFIED, 404: ERROR},
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
        return etag("source", source.pk, source.version)

    def retrieve(self, request, *args, **kwargs):
        source = self.get_object()
        return self.conditional(request, source, lambda: Response(self.get_serializer(source).data))

    def _written(self, pk, *, code=status.HTTP_200_OK) -> Response:
        source = self.get_queryset().get(pk=pk)
        return self.answer(self.get_serializer(source).data, source, code=code)

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
        return self._written(source.pk, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        source = self.get_object()
        expected = version_from(request, "source", source.pk)
        serializer = self.get_serializer(source, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        aliases = data.pop("aliases", None)
        source_services.update_source(source=source, changes=data, aliases=aliases, expected_version=expected)
        return self._written(source.pk)
