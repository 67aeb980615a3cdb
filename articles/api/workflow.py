"""Workflow steps through the API: POST /api/v1/articles/{id}/workflow/."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from articles.models import AuditEntry
from articles.services import workflow

from .conditional import ERROR, IF_MATCH, version_from
from .serializers import ArticleSerializer, TransitionSerializer


class WorkflowAction:
    """The workflow route of the story viewset."""

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
        expected = version_from(request, "article", article.pk)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        workflow.transition(
            article=article.pk,
            name=data["action"],
            by=request.user,
            via=AuditEntry.Via.API,
            at=data.get("at"),
            note=data.get("note", ""),
            expected_version=expected,
        )
        return self.respond(article.pk)
