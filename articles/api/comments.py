"""Comments through the API: readers' approved comments of a public story; the moderators' queue and actions."""

import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, get_object_or_404
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from articles.models import AuditEntry, Comment
from articles.selectors import comments as comment_selectors
from articles.selectors import visible_to
from articles.services import comments as comment_services

from .conditional import ERROR
from .serializers import StrictSerializer

_STORY_ID = re.compile(r"[0-9]{1,18}")


class PublicCommentSerializer(serializers.ModelSerializer):
    """A comment as readers see it: never the e-mail address."""

    created = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Comment
        fields = ["id", "parent", "name", "body", "created", "featured", "staff"]


class ModeratedCommentSerializer(serializers.ModelSerializer):
    """A comment as moderators see it: status, why it was held, reports, the e-mail, and where its story stands."""

    created = serializers.DateTimeField(source="created_at")
    story_state = serializers.ChoiceField(
        choices=[comment_selectors.PUBLIC, comment_selectors.RETRACTED, comment_selectors.UNPUBLISHED],
        read_only=True,
        help_text="public, retracted, or unpublished (taken back to a draft or scheduled again: readers see "
        "neither the story nor its comments)",
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "article",
            "parent",
            "name",
            "email",
            "body",
            "created",
            "status",
            "held_for",
            "reports",
            "featured",
            "staff",
            "moderated_at",
            "story_state",
        ]


class ModerationSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=["approve", "reject", "spam", "feature", "unfeature"])


class CanModerate(BasePermission):
    """401 to anonymous clients (IsAuthenticated before it), 403 to anyone without the moderation right."""

    def has_permission(self, request, view):
        return comment_services.may_moderate(request.user)


@extend_schema(
    summary="A public story's approved comments", responses={200: PublicCommentSerializer(many=True), 404: ERROR}
)
class StoryCommentsView(ListAPIView):
    serializer_class = PublicCommentSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        article = get_object_or_404(visible_to(None), pk=self.kwargs["article_pk"])
        return Comment.objects.filter(article=article, status=Comment.Status.APPROVED).order_by("created_at", "pk")


class QueuePagination(PageNumberPagination):
    page_size = 50


class CommentModerationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The moderators' queue: comments on public stories (by default), filtered by status and story; one action at
    a time, on any comment."""

    pagination_class = QueuePagination
    serializer_class = ModeratedCommentSerializer
    permission_classes = [IsAuthenticated, CanModerate]
    queryset = Comment.objects.all()
    filter_backends = []

    def get_queryset(self):
        story = comment_selectors.ON_ANY  # a comment is moderated whatever its story's state
        if self.action == "list":
            story = self.request.query_params.get("story", comment_selectors.ON_PUBLIC)
            if story not in comment_selectors.STORY_CHOICES:
                raise ValidationError({"story": [_("story is public, unpublished or all")]})
        comments = comment_selectors.moderation_queue(
            Comment.objects.order_by("-created_at", "-pk"), by=self.request.user, story=story
        )
        status = self.request.query_params.get("status")
        if status is not None:
            if status not in Comment.Status.values:
                raise ValidationError({"status": [_("status is pending, approved, rejected or spam")]})
            comments = comments.filter(status=status)
        article = self.request.query_params.get("article")
        if article is not None:
            # ASCII digits only, and few enough for a bigint: str.isdigit() takes "²" and "①", which int() refuses
            if not _STORY_ID.fullmatch(article):
                raise ValidationError({"article": [_("must be a story's id")]})
            comments = comments.filter(article_id=int(article))
        return comments

    @extend_schema(
        summary="The moderation queue",
        parameters=[
            OpenApiParameter("status", str, enum=Comment.Status.values),
            OpenApiParameter("article", int, description="a story's id"),
            OpenApiParameter(
                "story",
                str,
                enum=list(comment_selectors.STORY_CHOICES),
                description="comments on public stories (the default; retracted ones included), on stories taken "
                "back from readers (unpublished), or all",
            ),
        ],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Moderate a comment: approve, reject, spam, feature, unfeature",
        request=ModerationSerializer,
        responses={200: ModeratedCommentSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    @action(detail=True, methods=["post"], url_path="moderate")
    def moderate(self, request, pk=None):
        comment = self.get_object()
        serializer = ModerationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moderated = comment_services.moderate(
            comment=comment, action=serializer.validated_data["action"], by=request.user, via=AuditEntry.Via.API
        )
        # read back as the queue lists it (where its story stands), whatever the query string filters
        listed = comment_selectors.moderation_queue(
            Comment.objects.filter(pk=moderated.pk), by=request.user, story=comment_selectors.ON_ANY
        )
        return Response(ModeratedCommentSerializer(listed.get()).data)
