"""A story's revisions through the API: list, retrieve one, restore one (editors and the story's own reporter)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from articles import selectors
from articles.models import AuditEntry
from articles.services import ServiceError, revisions

from .conditional import ERROR, IF_MATCH, version_from
from .serializers import ArticleSerializer, RevisionDetailSerializer, RevisionSerializer


class RevisionActions:
    """The revisions routes of the story viewset, for those who may read the story's history
    (selectors.may_read_history): a revision may hold text a retraction or an edit withdrew. Anyone else
    gets the 404 of a story they cannot see."""

    def _revision_story(self, pk):
        user = self.request.user
        article = get_object_or_404(selectors.visible_to(user), pk=pk)
        if not selectors.may_read_history(user, article):
            raise NotFound("no such story")
        return article

    def _version(self, article, version_id):
        try:
            return selectors.version_of(article, int(version_id))
        except ServiceError as error:
            raise NotFound(error.message) from error

    @extend_schema(summary="List a story's revisions", responses={200: RevisionSerializer(many=True), 404: ERROR})
    @action(
        detail=True,
        methods=["get"],
        url_path="revisions",
        pagination_class=None,
        filter_backends=[],
    )
    def revisions(self, request, pk=None):
        article = self._revision_story(pk)
        return Response(RevisionSerializer(selectors.history(article), many=True).data)

    @extend_schema(
        summary="Retrieve one revision: the story's fields, parts and credits as they were",
        responses={200: RevisionDetailSerializer, 404: ERROR},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"revisions/(?P<version_id>[0-9]{1,18})",
        filter_backends=[],
    )
    def revision(self, request, pk=None, version_id=None):
        article = self._revision_story(pk)
        version = self._version(article, version_id)
        return Response(RevisionDetailSerializer({"version": version, **selectors.snapshot(version)}).data)

    @extend_schema(
        summary="Restore a revision (the restore is itself a new revision)",
        request=None,
        parameters=[IF_MATCH],
        responses={200: ArticleSerializer, 403: ERROR, 404: ERROR, 412: ERROR},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"revisions/(?P<version_id>[0-9]{1,18})/restore",
        permission_classes=[IsAuthenticated],
        filter_backends=[],
    )
    def restore(self, request, pk=None, version_id=None):
        article = self._revision_story(pk)
        self._version(article, version_id)
        revisions.restore(
            article=article.pk,
            version_id=int(version_id),
            by=request.user,
            via=AuditEntry.Via.API,
            expected_version=version_from(request, "article", article.pk),
        )
        return self.respond(article.pk)
