"""The parts (takes) of one story, addressed by number: list, retrieve, append, edit."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from articles.formats import shown
from articles.models import Article, AuditEntry, Part
from articles.selectors import shows_withheld_text, visible_to
from articles.services import parts as part_services

from .conditional import (
    ERROR,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    ConditionalRetrieveMixin,
    conditional_writes,
    etag,
    version_from,
)
from .serializers import PartSerializer


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
        responses={200: PartSerializer, 304: NOT_MODIFIED, 404: ERROR},
    ),
    create=extend_schema(
        summary="Append the next part (the server assigns its number)",
        responses={201: PartSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    ),
    **conditional_writes(PartSerializer, "a part's text", "a part"),
)
class PartViewSet(EditableResourceViewSet):
    """The parts of a story the client may see; a retracted story's parts are withheld from readers."""

    serializer_class = PartSerializer
    lookup_field = "number"
    lookup_value_regex = r"[0-9]{1,9}"
    pagination_class = None
    filter_backends = []
    queryset = Part.objects.all()

    def article(self) -> Article:
        if not hasattr(self, "_article"):
            self._article = get_object_or_404(visible_to(self.request.user), pk=self.kwargs["article_pk"])
        return self._article

    def get_queryset(self):
        article = self.article()
        if shown(article, withheld_text_visible=shows_withheld_text(self.request.user)).withheld:
            return Part.objects.none()
        return article.parts.order_by("number")

    def etag_of(self, part) -> str:
        # A part's representation changes only with the story's version (every part edit raises it).
        return etag(f"part-{part.article_id}", part.number, self.article().version)

    def retrieve(self, request, *args, **kwargs):
        part = self.get_object()
        return self.conditional(request, part, lambda: Response(self.get_serializer(part).data))

    def _written(self, number: int, *, code=status.HTTP_200_OK) -> Response:
        self.article().refresh_from_db(fields=["version"])
        part = self.article().parts.get(number=number)
        return self.answer(self.get_serializer(part).data, part, code=code)

    def create(self, request, *args, **kwargs):
        article = self.article()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        part = part_services.append_part(
            article=article.pk, by=request.user, via=AuditEntry.Via.API, **serializer.validated_data
        )
        return self._written(part.number, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        part = self.get_object()
        expected = version_from(request, f"part-{part.article_id}", part.number)
        serializer = self.get_serializer(part, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        part_services.edit_part(
            article=part.article_id,
            number=part.number,
            body=data.get("body", part.body),
            continues=data.get("continues", part.continues),
            label=data.get("label", part.label),
            by=request.user,
            via=AuditEntry.Via.API,
            expected_version=expected,
        )
        return self._written(part.number)

    def get_object(self):
        try:
            return super().get_object()
        except Part.DoesNotExist as error:  # pragma: no cover - get_object_or_404 answers 404 already
            raise NotFound() from error
