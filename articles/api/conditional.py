"""ETags, If-None-Match (304) and If-Match (412) for the API's resources, and their OpenAPI parameters."""

import hashlib
import re

from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from articles.formats import translations

from .errors import PreconditionFailed

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read; the write is refused with 412 when the resource changed since.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="An ETag you hold; 304 when unchanged."
)
ERROR = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    description="A JSON error with a clear message.",
)
NOT_MODIFIED = OpenApiResponse(description="not modified")


def etag(kind: str, pk, version: int) -> str:
    return f'"{kind}-{pk}-v{version}"'


def _sources_version(article) -> int:
    """SOURCES_VERSION as the fast 304 path reads it, or from the credits loaded with the story."""
    known = getattr(article, "sources_version", None)
    if known is not None:
        return known
    return sum(credit.source.version for credit in article.credits.all())


def _section_version(article) -> int | None:
    """The version of the story's section (None without one), as the fast 304 path reads it, or from the section
    loaded with the story."""
    if hasattr(article, "section_version"):
        return article.section_version
    return article.section.version if article.section_id else None


def language_family(article) -> tuple:
    """What of a story's language versions its representation shows (loaded by with_language_versions)."""
    family = [(t.pk, t.version, translations.is_outdated(t)) for t in getattr(article, "visible_translations", [])]
    if article.translation_of_id is not None:
        baseline = translations.baseline_of(article)
        original = article.translation_of
        family.append((original.pk, original.version, baseline.source_version if baseline else None))
        family.append(("outdated", translations.is_outdated(article)))
    return tuple(family)


def story_etag(article, *, ninjs: bool) -> str:
    """Everything the representation shows that can change: the story's version; the versions of the
    sources it credits (a source renamed shows its new name) and of its section (renamed, likewise); in
    JSON, the number of annotations this client sees (an annotation is a resource of its own, and does not
    move the story's version) and a translation's translators' names (a user's name is theirs to change);
    and for a story with language versions a token of theirs: a translation changing, or its original
    changing under it, changes what the representation shows."""
    suffix = f"-s{_sources_version(article)}"
    section = _section_version(article)
    if section is not None:
        suffix += f"-c{section}"
    family = language_family(article)
    if ninjs:
        suffix += "-ninjs"
    else:
        suffix += f"-a{article.annotation_count}"
        if article.translation_of_id is not None:  # JSON credits the translators by name, which they edit
            family = (*family, ("translated by", tuple(translations.translators(article))))
    if family:
        suffix += "-l" + hashlib.sha256(repr(family).encode()).hexdigest()[:12]
    return etag("article", article.pk, article.version)[:-1] + suffix + '"'


def version_from(request, kind: str, pk) -> int | None:
    """The version an If-Match header names for this resource; None when there is no If-Match."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return None
    # The version, and after it, for a story, what else its representation shows ("-s…-a…-l…", "-ninjs"):
    # a write is refused on the version alone, the one thing the write would overwrite.
    named = re.compile(rf"{re.escape(kind)}-{re.escape(str(pk))}-v([0-9]+)(?:-[^\s]*)?")
    for tag in parse_etags(header):
        found = named.fullmatch(tag.removeprefix("W/").strip('"'))
        if found:
            return int(found.group(1))
    raise PreconditionFailed(_("If-Match does not name the current version of this resource"))


def conditional_writes(serializer, replaced: str, changed: str) -> dict:
    """The schema of PUT and PATCH with If-Match (the common errors are added to every operation by
    articles.api.schema)."""
    responses = {200: serializer, 412: ERROR}
    return {
        "update": extend_schema(summary=f"Replace {replaced}", parameters=[IF_MATCH], responses=responses),
        "partial_update": extend_schema(summary=f"Change {changed}", parameters=[IF_MATCH], responses=responses),
    }


def matches(request, tag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return header.strip() == "*" or tag in parse_etags(header)


class ConditionalRetrieveMixin:
    """GET with ETag and If-None-Match → 304."""

    def etag_of(self, obj) -> str:
        raise NotImplementedError

    def conditional(self, request, obj, data_response) -> Response:
        tag = self.etag_of(obj)
        if matches(request, tag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        response = data_response()
        response["ETag"] = tag
        return response

    def answer(self, data, obj, *, code=status.HTTP_200_OK) -> Response:
        """A write's answer: the resource as it is now, with its new ETag."""
        return Response(data, status=code, headers={"ETag": self.etag_of(obj)})
