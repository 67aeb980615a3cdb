"""The story resource: list, retrieve (JSON or ninjs, with ETags), create, edit, delete."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from articles.formats.ninjs import article_to_ninjs
from articles.models import Article, ArticleSource, AuditEntry, Correction, Part, StoredRepresentation
from articles.selectors import (
    public,
    related,
    sees_only_public,
    shows_withheld_text,
    visible_to,
    with_annotation_counts,
    with_language_versions,
)
from articles.selectors.stories import SOURCES_VERSION
from articles.services import parts as part_services
from articles.services import search
from articles.services import stories as story_services
from newsroom.prepared import MOMENT, NUMBER, Prepared
from newsroom.routers import replica_reads

from . import stored
from .conditional import (
    ERROR,
    IF_MATCH,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    ConditionalRetrieveMixin,
    conditional_writes,
    matches,
    story_etag,
    version_from,
)
from .filters import ArticleFilter
from .pagination import StoryCursorPagination
from .renderers import NinjsRenderer
from .revisions import RevisionActions
from .serializers import ArticleSerializer
from .translations import TranslationActions
from .workflow import WorkflowAction

FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "ninjs"],
    description="`ninjs` answers IPTC ninjs 3.1 (one object, or an array for the list).",
)
NINJS_OBJECT = {"type": "object", "description": "IPTC ninjs 3.1 news item", "additionalProperties": True}


def no_such_story() -> Http404:
    """A missing story's 404, worded as Django's get_object_or_404 words it."""
    return Http404(f"No {Article._meta.object_name} matches the given query.")


def story_id(value) -> int:
    """The story id a URL names, as the ORM reads it; 404 as DRF's get_object_or_404 answers for one no story
    can have (articles/api/early.py asks the same)."""
    try:
        pk = Article._meta.pk.get_prep_value(value)
    except (TypeError, ValueError):
        raise Http404 from None
    low, high = connection.ops.integer_field_range(Article._meta.pk.get_internal_type())
    if not low <= pk <= high:  # SQLite could not even compare translation_of with it
        raise no_such_story()
    return pk


def story_prefetches() -> list:
    """What a story's representation shows besides its row, as ArticleQuerySet.for_page() prefetches it (keep
    them in step), for the one story a retrieve reads. Credits and parts are read unsorted: ordered_credits and
    ordered_parts sort them. New objects each time: a prefetch's queryset takes hints from what it loads."""
    return [
        Prefetch("credits", queryset=ArticleSource.objects.select_related("source").order_by()),
        Prefetch("parts", queryset=Part.objects.order_by()),
        Prefetch("corrections", queryset=Correction.objects.filter(public=True).order_by("created_at")),
    ]


def _family(pk: int) -> Q:
    return Q(pk=pk) | Q(translation_of_id=pk)


def _with_language_versions(pk: int, rows: list[Article]) -> Article:
    """Story pk from its family's rows, holding the others as its visible translations; 404 without it."""
    article = answered(pk, rows)
    if article is None:
        raise no_such_story()
    return article


def answered(pk: int, rows: list[Article]) -> Article | None:
    """Story pk from its family's rows (the general path's, or the answer statement's), holding the others as its
    visible translations, so that story_etag computes the same tag from either; None without it (the public
    may not see it)."""
    article = next((row for row in rows if row.pk == pk), None)
    if article is None:
        return None
    # In with_language_versions' order: language codes are lowercase ASCII letters (a check constraint), which
    # sort the same in Python as in any collation.
    versions = (row for row in rows if row is not article)
    article.visible_translations = sorted(versions, key=lambda row: (row.language, row.pk))
    return article


def _public_family(pk: int, now, *, counted: bool):
    """Story pk and its translations as readers see them at `now`, with its translators' names (and, `counted`,
    its public annotations' count): the anonymous retrieve's first statement."""
    stories = visible_to(None, now=now)
    stories = with_annotation_counts(stories, None) if counted else stories
    stories = stories.select_related("section", "baseline", "translation_of").annotate(
        translator_names=related.translator_names()
    )
    return stories.filter(_family(pk)).order_by()


PUBLIC_FAMILY = {
    counted: Prepared(partial(_public_family, counted=counted), pk=NUMBER, now=MOMENT) for counted in (True, False)
}


def _public_story(pk: int, *, counted: bool) -> Article:
    """What the public's retrieve shows of story pk, in four statements compiled once per process
    (newsroom.prepared): the family, then the story's credits, parts and public corrections (selectors.public,
    as the story page reads them)."""
    article = _with_language_versions(pk, PUBLIC_FAMILY[counted].rows(pk=pk, now=timezone.now()))
    public.hold_credits([article])
    public.hold_text([article])
    return article


def _answer_statement(pk: int, now, *, fmt: str):
    """The anonymous retrieve's one statement: story pk and its translations as the public sees them at `now`
    (_public_family's rows: none of pk when the public may not see it), with what the ETag is made of (version,
    sources' and section's versions, the language versions' state, in JSON the public annotations' count and a
    translation's translators) and, on each row, its stored representation in `fmt` (articles/api/stored.py):
    `stored_key`, `stored_body`. The rows are the family's only: the story's text is in its stored body."""
    # The story's row alone carries its stored body (its translations' own are theirs to answer).
    representation = StoredRepresentation.objects.filter(article=OuterRef("pk"), article_id=pk)
    json = fmt == "json"
    stories = visible_to(None, now=now)
    stories = with_annotation_counts(stories, None) if json else stories
    if json:  # a translation's JSON credits its translators by name
        stories = stories.annotate(translator_names=related.translator_names())
    return (
        stories.filter(_family(pk))
        .select_related("baseline", "translation_of")
        .annotate(
            sources_version=SOURCES_VERSION,
            section_version=F("section__version"),
            stored_key=Subquery(representation.values(f"{fmt}_key")[:1]),
            stored_body=Subquery(representation.values(f"{fmt}_body")[:1]),
        )
        .only(*_ANSWER_FIELDS)
        .order_by()
    )


# What story_etag reads of the family's rows: the story's and each language version's id, version and language,
# a translation's baseline (outdated, and the original's version it was measured against) and its original's
# version.
_ANSWER_FIELDS = (
    "pk",
    "version",
    "language",
    "translation_of",
    "baseline__outdated",
    "baseline__source_version",
    "translation_of__version",
)


PUBLIC_ANSWER = {fmt: Prepared(partial(_answer_statement, fmt=fmt), pk=NUMBER, now=MOMENT) for fmt in stored.FORMATS}


class SearchPagination(PageNumberPagination):
    """A search's results are ranked, so they page by number (the story list pages by cursor). Ranking is
    among the newest matches (services/search.CANDIDATES): `more` is true when older matches were left out,
    which a client finds by narrowing the dates."""

    page_size = settings.NEWSROOM_API_PAGE_SIZE
    more = False

    def paginate_queryset(self, queryset, request, view=None):
        self.more = getattr(queryset, "more", False)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["more"] = self.more
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["more"] = {"type": "boolean", "description": "older matches were left out"}
        return schema


def changes_from(validated: dict) -> dict:
    """The serializer's validated data as the plain values the story services take."""
    changes = {k: v for k, v in validated.items() if k not in {"ordered_credits", "ordered_parts", "section"}}
    if "translation_of_id" in changes:
        changes["translation_of"] = changes.pop("translation_of_id")
    if "section" in validated:
        changes["section"] = (validated["section"] or {}).get("name") or ""
    return changes


def credits_from(validated: dict) -> list | None:
    if "ordered_credits" not in validated:
        return None
    return [story_services.Credit(source=c["source"], role=c["role"]) for c in validated["ordered_credits"]]


@extend_schema_view(
    list=extend_schema(
        summary="List stories, or search them (q)",
        description=(
            "With `q`, the stories matching it, best first (Arabic-aware: spelling variants and digits fold; "
            '"a phrase", -excluded, the last word as a prefix), paged by `page`, each with an escaped '
            "`snippet` in which `<mark>` wraps the matches."
        ),
        parameters=[
            FORMAT,
            OpenApiParameter(
                "q", OpenApiTypes.STR, OpenApiParameter.QUERY, description="search words (2–200 characters)"
            ),
            OpenApiParameter("page", OpenApiTypes.INT, OpenApiParameter.QUERY, description="a page of search results"),
        ],
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
            304: NOT_MODIFIED,
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
class ArticleViewSet(
    RevisionActions, WorkflowAction, TranslationActions, ConditionalRetrieveMixin, viewsets.ModelViewSet
):
    """Stories: each client sees what selectors.visible_to allows; the rest is 404, never 403."""

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    pagination_class = StoryCursorPagination
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, NinjsRenderer]
    queryset = Article.objects.all()

    def dispatch(self, request, *args, **kwargs):
        # An anonymous client's list and retrieve read from the read replica when there is one
        # (newsroom/routers.py); writes, the other actions and every client with credentials read the primary.
        if self.action_map.get(request.method.lower()) not in ("list", "retrieve"):
            return super().dispatch(request, *args, **kwargs)
        with replica_reads(request):
            return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        if self._public_list():
            # The rows alone: what the page shows beside them is read once the page is cut (list()).
            stories = visible_to(None).with_part_stats().select_related("section", "baseline", "translation_of")
            return with_annotation_counts(stories.annotate(translator_names=related.translator_names()), None)
        return with_annotation_counts(with_language_versions(visible_to(user).for_page(), user), user)

    def _public_list(self) -> bool:
        """The public's story list (an anonymous client, no search): its page's credits, parts, corrections and
        translations are read by statements compiled once per process (selectors.public), where prefetching
        builds and compiles five querysets a page."""
        return self.action == "list" and not self.request.user.is_authenticated and "q" not in self.request.query_params

    def get_object(self):
        """A retrieve reads its story in five queries (four for ninjs) where get_queryset's shape takes six and
        compiles much more; an anonymous client's (the public's, the hot path) in four statements compiled once
        per process (_public_story). A filter in the query string takes the general path: it may hide the
        story, and must not hide its translations."""
        if self.action != "retrieve" or set(self.request.query_params) & set(self.filterset_class.base_filters):
            return super().get_object()
        if not self.request.user.is_authenticated:
            article = _public_story(self._requested_pk(), counted=not self._wants_ninjs())
            self.check_object_permissions(self.request, article)
            return article
        article = self._story_and_language_versions(self._requested_pk())
        self.check_object_permissions(self.request, article)
        translators = [] if self._wants_ninjs() else ["translated_by"]  # JSON credits them; ninjs does not
        prefetch_related_objects([article], *story_prefetches(), *translators)
        return article

    def _requested_pk(self) -> int:
        return story_id(self.kwargs["pk"])

    def _story_and_language_versions(self, pk: int) -> Article:
        """Story pk and the translations this client may see, in one statement: the rows of visible_to whose pk or
        translation_of is pk (with the annotation count, which only the JSON representation shows)."""
        user = self.request.user
        stories = visible_to(user) if self._wants_ninjs() else with_annotation_counts(visible_to(user), user)
        rows = list(stories.select_related("section", "baseline", "translation_of").filter(_family(pk)).order_by())
        return _with_language_versions(pk, rows)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "show_retracted_text": shows_withheld_text(self.request.user)}

    def perform_content_negotiation(self, request, force=False):
        requested = request.query_params.get("format")
        if requested is not None and requested not in {"json", "ninjs", "api"} and not force:
            raise NotAcceptable(_("format must be json or ninjs"))
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
        return story_etag(article, ninjs=self._wants_ninjs())

    def _wants_ninjs(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) == "ninjs"

    def _ninjs(self, article) -> dict:
        return article_to_ninjs(
            article,
            uri_prefix=settings.NEWSROOM_URI_PREFIX,
            public_url=self.request.build_absolute_uri(article.get_absolute_url()),
            show_retracted_text=shows_withheld_text(self.request.user),
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if "q" in request.query_params:
            return self._search(request, queryset)
        if "page" in request.query_params:
            raise ValidationError({"page": [_("page goes with a search (q); the story list pages with cursor")]})
        page = self.paginate_queryset(queryset)
        if self._public_list():
            # What the list shows that no generation move announces (an annotation's count): the stories' page
            # versions, which a list kept for the public is checked against (articles/api/early.py).
            request._request.listed_versions = tuple((article.pk, article.page_version) for article in page or ())
        if self._public_list() and page:
            public.hold_credits(page)
            public.hold_text(page)
            public.hold_translations(page)
        if self._wants_ninjs():
            return self._ninjs_page([self._ninjs(article) for article in page], self.paginator)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @staticmethod
    def _ninjs_page(documents: list, paginator) -> Response:
        response = Response(documents)
        links = [(paginator.get_next_link(), "next"), (paginator.get_previous_link(), "prev")]
        header = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
        if header:
            response["Link"] = header
        return response

    def _search(self, request, queryset):
        """Stories matching `q`, best first, each with an escaped `snippet` (<mark> around the matches)."""
        query = search.parse(request.query_params["q"])
        if query.problems:
            raise ValidationError({"q": list(query.problems)})
        paginator = SearchPagination()
        lean = self.filter_queryset(visible_to(request.user))  # rank over the bare stories; load the page after
        public = sees_only_public(request.user)
        if public and not set(request.query_params) - {"q", "page", "format"}:
            lean = None  # every public story: the search documents alone say which (services/search)
        found = paginator.paginate_queryset(search.search(lean, query, public=public), request, view=self)
        page = search.load_page(found, queryset)
        if self._wants_ninjs():  # ninjs lists are plain arrays; the pages are in the Link header
            return self._ninjs_page([self._ninjs(article) for article in page], paginator)
        data = self.get_serializer(page, many=True).data
        for item, article in zip(data, page, strict=True):
            item["snippet"] = search.snippet(article, query)
        return paginator.get_paginated_response(data)

    def _public_retrieve(self) -> bool:
        """An anonymous client's retrieve of a story as JSON or ninjs, unfiltered: the public's hot path."""
        return (
            not self.request.user.is_authenticated
            and not set(self.request.query_params) & set(self.filterset_class.base_filters)
            and self.request.accepted_renderer.format in stored.FORMATS
        )

    def _public_answer(self, request) -> Response:
        """The public's retrieve: one statement decides whether the story is visible, computes its ETag and reads
        its stored representation (articles/api/stored.py), which answers when it was rendered for that ETag.
        Otherwise the story is read and rendered, and its representation stored for the next client."""
        fmt = "ninjs" if self._wants_ninjs() else "json"
        pk = self._requested_pk()
        # The statement articles/api/early.py ran before it passed the request on: no story is read twice.
        known = getattr(request._request, "public_answer", None)
        rows = known[2] if known and known[:2] == (fmt, pk) else PUBLIC_ANSWER[fmt].rows(pk=pk, now=timezone.now())
        row = answered(pk, rows)
        if row is not None:
            tag = self.etag_of(row)
            if matches(request, tag):
                return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
            text = stored.stored(row, tag)
            if text is not None:
                return stored.StoredResponse(text, request, headers={"ETag": tag})
        article = self.get_object()
        tag = self.etag_of(article)
        if matches(request, tag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        document = stored.render(article, fmt)
        if row is not None:  # visible: stored for the next client
            stored.store(pk, {fmt: (tag, document)})
        return Response(stored.absolute(document, fmt, request), headers={"ETag": tag})

    def retrieve(self, request, *args, **kwargs):
        if self._public_retrieve():
            return self._public_answer(request)
        if request.headers.get("If-None-Match"):
            # A client polling for changes learns "not modified" from the version alone, in one small query.
            try:
                stories = with_annotation_counts(visible_to(request.user), request.user)
                row = (
                    stories.filter(pk=kwargs["pk"], translation_of__isnull=True)
                    .exclude(Exists(Article.objects.filter(translation_of=OuterRef("pk"))))
                    .annotate(sources_version=SOURCES_VERSION, section_version=F("section__version"))
                    .values("version", "sources_version", "section_version", "annotation_count")
                    .first()
                )
            except (ValueError, TypeError):
                row = None
            if row is not None:  # a story without language versions: these columns are its whole ETag
                known = Article(pk=int(kwargs["pk"]), version=row["version"])
                known.sources_version, known.annotation_count = row["sources_version"], row["annotation_count"]
                known.section_version = row["section_version"]
                tag = self.etag_of(known)
                if matches(request, tag):
                    return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        article = self.get_object()
        if self._wants_ninjs():
            return self.conditional(request, article, lambda: Response(self._ninjs(article)))
        return self.conditional(request, article, lambda: Response(self.get_serializer(article).data))

    def reloaded(self, pk) -> Article:
        return self.get_queryset().get(pk=pk)

    def respond(self, pk, *, code=status.HTTP_200_OK) -> Response:
        article = self.reloaded(pk)
        return self.answer(self.get_serializer(article).data, article, code=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = changes_from(data)
        article = story_services.create_story(
            **changes,
            credits=credits_from(data) or (),
            parts=[part_services.NewPart(**part) for part in data.get("ordered_parts", [])],
            by=request.user,
            via=AuditEntry.Via.API,
            comment="created through the API",
        )
        response = self.respond(article.pk, code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"/api/v1/articles/{article.pk}/")
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        article = self.get_object()
        expected = version_from(request, "article", article.pk)
        serializer = self.get_serializer(article, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        story_services.edit_story(
            article=article.pk,
            changes=changes_from(serializer.validated_data),
            credits=credits_from(serializer.validated_data),
            by=request.user,
            via=AuditEntry.Via.API,
            expected_version=expected,
        )
        return self.respond(article.pk)

    def destroy(self, request, *args, **kwargs):
        article = self.get_object()
        expected = version_from(request, "article", article.pk)
        story_services.delete_story(
            article=article.pk, by=request.user, via=AuditEntry.Via.API, expected_version=expected
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def store_public_representations(pk: int, *, now=None) -> bool:
    """Render and store the public's representations of story pk (articles/api/stored.py), as its first
    anonymous reader would: only a story the public may see at `now` (the retrieve's statement decides). Whether
    they were stored."""
    now = now or timezone.now()
    if answered(pk, PUBLIC_ANSWER["json"].rows(pk=pk, now=now)) is None:
        return False
    try:
        article = _public_story(pk, counted=True)  # ninjs shows no annotations: the count is the JSON's alone
    except Http404:  # unpublished or deleted since the statement above
        return False
    documents = {
        fmt: (story_etag(article, ninjs=fmt == "ninjs"), stored.render(article, fmt)) for fmt in stored.FORMATS
    }
    stored.store(pk, documents)
    return True
