"""A story's annotations as W3C Web Annotations (JSON-LD): the collection, one annotation, writes with ETags."""

import re

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from articles.formats import w3c
from articles.models import Annotation, Article
from articles.selectors import annotations_visible_to, visible_to
from articles.services import annotations as annotation_services

from .conditional import ERROR, IF_MATCH, IF_NONE_MATCH, NOT_MODIFIED, ConditionalRetrieveMixin, etag, version_from
from .parsers import StrictJSONParser

PAGE_SIZE = 100
_PART = re.compile(r"/parts/([0-9]{1,9})/?$")
W3C_DOCUMENT = {"type": "object", "description": "W3C Web Annotation (JSON-LD)", "additionalProperties": True}
# Keys a client may send back as it read them: they are the server's to set and are ignored.
W3C_REQUEST = {"application/ld+json": W3C_DOCUMENT, "application/json": W3C_DOCUMENT}
WRITE_RESPONSES = {
    (200, w3c.MEDIA_TYPE): W3C_DOCUMENT,
    **{(code, "application/json"): ERROR for code in (400, 403, 404, 412)},
}
_READ_ONLY = {"@context", "id", "type", "created", "modified", "creator", "anchoring", "generated", "generator"}
_WRITABLE = {"motivation", "body", "bodyValue", "target", "audience"}


class AnnotationRenderer(JSONRenderer):
    media_type = w3c.MEDIA_TYPE
    format = "jsonld"
    charset = None


class JsonLdParser(StrictJSONParser):
    media_type = "application/ld+json"


class AlwaysJsonLd(BaseContentNegotiation):
    """Every annotation response is JSON-LD with the annotation profile, whatever Accept says: clients asking
    for application/ld+json (with or without the profile) or application/json all read it; never a 406."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type and request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = AnnotationRenderer()
        return renderer, renderer.media_type


def parse(data, *, partial: bool) -> dict:
    """A W3C annotation document (or the part of one a PATCH sends) as the annotation service's plain data."""
    if not isinstance(data, dict):
        raise ValidationError({"detail": [_("send one annotation as a JSON object")]})
    unknown = sorted(set(data) - _WRITABLE - _READ_ONLY)
    if unknown:
        raise ValidationError({name: [_("unknown or read-only field")] for name in unknown})
    values: dict = {}
    if "motivation" in data:
        values["purpose"] = _string(data["motivation"], "motivation")
    if "body" in data or "bodyValue" in data:
        body = data.get("body", {"value": data.get("bodyValue")})
        if isinstance(body, str):
            body = {"value": body}
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            raise ValidationError({"body": [_("the body is a TextualBody with a text value")]})
        values["body"] = body["value"]
        if "language" in body:
            values["language"] = _string(body["language"], "body.language")
    elif not partial:
        raise ValidationError({"body": [_("an annotation needs a body (a TextualBody with the note)")]})
    if "audience" in data:
        audience = data["audience"]
        audience = audience.get("schema:audienceType") if isinstance(audience, dict) else audience
        values["audience"] = _string(audience, "audience")
    if "target" in data:
        values.update(_target(data["target"]))
    elif not partial:
        raise ValidationError({"target": [_("an annotation needs a target: the part and a selector")]})
    return values


def _string(value, name: str) -> str:
    if not isinstance(value, str):
        raise ValidationError({name: [_("must be a string")]})
    return value


def _target(target) -> dict:
    if not isinstance(target, dict):
        raise ValidationError({"target": [_("the target is an object with source and selector")]})
    source = target.get("source")
    match = _PART.search(source) if isinstance(source, str) else None
    if match is None:
        raise ValidationError({"target.source": [_("the source is the API URL of one of the story's parts")]})
    selectors = target.get("selector", [])
    selectors = selectors if isinstance(selectors, list) else [selectors]
    values = {"part_number": int(match.group(1))}
    for selector in selectors:
        if not isinstance(selector, dict):
            raise ValidationError({"target.selector": [_("a selector is an object")]})
        if selector.get("type") == "TextQuoteSelector":
            for key in ("exact", "prefix", "suffix"):
                if key in selector:
                    values[key] = _string(selector[key], f"target.selector.{key}")
        elif selector.get("type") == "TextPositionSelector":
            for key in ("start", "end"):
                value = selector.get(key)
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise ValidationError({f"target.selector.{key}": [_("must be a whole number from 0")]})
                values[key] = value
        else:
            raise ValidationError({"target.selector": [_("selectors are TextQuoteSelector and TextPositionSelector")]})
    if not values.get("exact") and "start" not in values:
        raise ValidationError({"target.selector": [_("name the span: a TextQuoteSelector (exact) at least")]})
    return values


@extend_schema_view(
    list=extend_schema(
        summary="A story's annotations (W3C AnnotationCollection, its first page embedded)",
        responses={(200, w3c.MEDIA_TYPE): W3C_DOCUMENT, (404, "application/json"): ERROR},
    ),
    create=extend_schema(
        summary="Annotate a span of a part (W3C Web Annotation; a TextQuoteSelector alone is enough)",
        request={"application/ld+json": W3C_DOCUMENT, "application/json": W3C_DOCUMENT},
        responses={
            (201, w3c.MEDIA_TYPE): W3C_DOCUMENT,
            (400, "application/json"): ERROR,
            (403, "application/json"): ERROR,
            (404, "application/json"): ERROR,
        },
    ),
    retrieve=extend_schema(
        summary="One annotation",
        parameters=[IF_NONE_MATCH],
        responses={(200, w3c.MEDIA_TYPE): W3C_DOCUMENT, 304: NOT_MODIFIED, (404, "application/json"): ERROR},
    ),
    update=extend_schema(
        summary="Replace an annotation",
        parameters=[IF_MATCH],
        request=W3C_REQUEST,
        responses=WRITE_RESPONSES,
    ),
    partial_update=extend_schema(
        summary="Change an annotation",
        parameters=[IF_MATCH],
        request=W3C_REQUEST,
        responses=WRITE_RESPONSES,
    ),
    destroy=extend_schema(
        summary="Delete an annotation",
        parameters=[IF_MATCH],
        responses={204: None, (403, "application/json"): ERROR, (404, "application/json"): ERROR},
    ),
)
class AnnotationViewSet(ConditionalRetrieveMixin, viewsets.GenericViewSet):
    """Anonymous clients read the public, anchored annotations of public stories; writes need the annotation
    permissions and, for reporters, a draft of their own."""

    renderer_classes = [AnnotationRenderer]
    parser_classes = [JsonLdParser, StrictJSONParser]
    content_negotiation_class = AlwaysJsonLd
    queryset = Annotation.objects.all()
    pagination_class = None
    filter_backends = []

    def handle_exception(self, exc):
        # Errors are the API's plain JSON errors, like every other error under /api/; annotations are JSON-LD.
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response

    def article(self) -> Article:
        if not hasattr(self, "_article"):
            self._article = get_object_or_404(visible_to(self.request.user), pk=self.kwargs["article_pk"])
        return self._article

    def get_queryset(self):
        return annotations_visible_to(self.request.user, self.article())

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def etag_of(self, annotation) -> str:
        return etag("annotation", annotation.pk, annotation.version)

    def _url(self, name: str, **kwargs) -> str:
        return self.request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))

    def document(self, annotation: Annotation, *, embedded: bool = False) -> dict:
        article_pk = annotation.article_id
        number = annotation.part.number if annotation.part_id else 0
        return w3c.annotation(
            annotation,
            id_url=self._url("annotation-detail", article_pk=article_pk, pk=annotation.pk),
            part_url=self._url("part-detail", article_pk=article_pk, number=number)
            if annotation.part_id
            else self._url("part-list", article_pk=article_pk),
            embedded=embedded,
        )

    def list(self, request, *args, **kwargs):
        annotations = self.get_queryset()
        total = annotations.count()
        try:
            number = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            raise ValidationError({"page": [_("a page number is a whole number from 1")]}) from None
        collection_url = self._url("annotation-list", article_pk=self.article().pk)
        start = (number - 1) * PAGE_SIZE
        # A page past the last is refused before any offset reaches the database (one past a 64-bit integer
        # is an error there, not an empty page).
        if number > 1 and start >= total:
            raise NotFound(_("no such page of annotations"))
        items = [self.document(a, embedded=True) for a in annotations[start : start + PAGE_SIZE]]
        if number > 1 and not items:  # (the last ones deleted since they were counted)
            raise NotFound(_("no such page of annotations"))
        page = w3c.page(
            id_url=f"{collection_url}?page={number}",
            collection_url=collection_url,
            items=items,
            start_index=start,
            next_url=f"{collection_url}?page={number + 1}" if start + PAGE_SIZE < total else None,
        )
        if number > 1:
            return Response({"@context": w3c.ANNOTATION_CONTEXT, **page})
        return Response(w3c.collection(id_url=collection_url, total=total, page=page if total else None))

    def retrieve(self, request, *args, **kwargs):
        annotation = self.get_object()
        return self.conditional(request, annotation, lambda: Response(self.document(annotation)))

    def create(self, request, *args, **kwargs):
        values = parse(request.data, partial=False)
        annotation = annotation_services.create_annotation(article=self.article(), by=request.user, **values)
        annotation = Annotation.objects.select_related("author", "part").get(pk=annotation.pk)
        response = self.answer(self.document(annotation), annotation, code=status.HTTP_201_CREATED)
        response["Location"] = self._url("annotation-detail", article_pk=annotation.article_id, pk=annotation.pk)
        return response

    def update(self, request, *args, partial: bool = False, **kwargs):
        annotation = self.get_object()
        expected = version_from(request, "annotation", annotation.pk)
        values = parse(request.data, partial=partial)
        part_number = values.pop("part_number", None)
        annotation = annotation_services.update_annotation(
            annotation=annotation, changes=values, part_number=part_number, by=request.user, expected_version=expected
        )
        annotation = Annotation.objects.select_related("author", "part").get(pk=annotation.pk)
        return self.answer(self.document(annotation), annotation)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        annotation = self.get_object()
        expected = version_from(request, "annotation", annotation.pk)
        annotation_services.delete_annotation(annotation=annotation, by=request.user, expected_version=expected)
        return Response(status=status.HTTP_204_NO_CONTENT)
