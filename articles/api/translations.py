"""Translations through the API: a story's language versions, a new translation, staleness, mark current."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from articles.models import Article, AuditEntry
from articles.selectors import visible_to
from articles.services import parts as part_services
from articles.services import translations as translation_services

from .conditional import ERROR, IF_MATCH, version_from
from .serializers import (
    ArticleSerializer,
    LanguageVersionSerializer,
    PartSerializer,
    StrictSerializer,
    language_field,
)


class TranslationCreateSerializer(StrictSerializer):
    """A new translation: its language, headline, summary and parts (by position, as the original's)."""

    language = language_field()
    headline = serializers.CharField(max_length=500)
    summary = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, default="")
    parts = PartSerializer(many=True, required=False, help_text="omitted: prefilled with the original's text")


class ParagraphStateSerializer(serializers.Serializer):
    part = serializers.IntegerField(help_text="the original's part now (the translation's, for removed ones)")
    paragraph = serializers.IntegerField(help_text="index of the paragraph in that part, from 0")
    state = serializers.ChoiceField(choices=["changed", "removed", "new"])
    original_then = serializers.CharField(allow_null=True)
    original_now = serializers.CharField(allow_null=True)


class StalenessSerializer(serializers.Serializer):
    outdated = serializers.BooleanField()
    source_version = serializers.IntegerField(allow_null=True, help_text="the original's version rendered")
    original_version = serializers.IntegerField()
    headline_changed = serializers.BooleanField()
    summary_changed = serializers.BooleanField()
    corrections_changed = serializers.BooleanField()
    paragraphs = ParagraphStateSerializer(many=True, help_text="every paragraph that is not current")


def paragraph_state(state) -> dict:
    where = state.original or state.translated
    return {
        "part": where.part,
        "paragraph": where.paragraph,
        "state": state.state,
        "original_then": state.original_then,
        "original_now": state.original_now,
    }


class TranslationActions:
    """The translation routes of the story viewset."""

    @extend_schema(
        methods=["GET"],
        summary="List a story's language versions",
        responses={200: LanguageVersionSerializer(many=True), 404: ERROR},
    )
    @extend_schema(
        methods=["POST"],
        summary="Translate a story (a draft translation, credited to you)",
        description=(
            "Parts and paragraphs map to the original's by position (part n, paragraph i); without `parts`, "
            "each part is prefilled with the original's text for the translator to replace. 409 when the "
            "language exists (the message and `existing` name the translation to whoever may see it), 400 for "
            "the original's own language, an unknown language, or a story that is itself a translation (the "
            "message names the original)."
        ),
        request=TranslationCreateSerializer,
        responses={201: ArticleSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    @action(detail=True, methods=["get", "post"], url_path="translations", pagination_class=None, filter_backends=[])
    def translations(self, request, pk=None):
        article = self.get_object()
        if request.method == "GET":
            return Response(self.get_serializer().get_translations(article))
        serializer = TranslationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        parts = data.get("parts")
        translation = translation_services.create_translation(
            original=article.pk,
            language=data["language"],
            headline=data["headline"],
            summary=data["summary"],
            parts=None if parts is None else [part_services.NewPart(**part) for part in parts],
            by=request.user,
            via=AuditEntry.Via.API,
        )
        response = self.respond(translation.pk, code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"/api/v1/articles/{translation.pk}/")
        return response

    @extend_schema(
        summary="What changed in a translation's original since it was translated",
        responses={200: StalenessSerializer, 404: ERROR},
    )
    @action(detail=True, methods=["get"], url_path="staleness", filter_backends=[])
    def staleness(self, request, pk=None):
        translation = self._translation()
        original = visible_to(request.user).filter(pk=translation.translation_of_id).first()
        if original is None:
            return Response({"detail": _("the original of this translation is not visible to you")}, status=404)
        # Its paragraphs "now" are the original's text: a retracted one's is withdrawn (403 to all but editors).
        translation_services.check_not_withheld(original, request.user)
        measured = translation_services.measure(translation, original=original)
        return Response(
            {
                "outdated": measured.outdated,
                "source_version": measured.source_version,
                "original_version": measured.original_version,
                "headline_changed": measured.headline_changed,
                "summary_changed": measured.summary_changed,
                "corrections_changed": measured.corrections_changed,
                "paragraphs": [paragraph_state(state) for state in measured.not_current],
            }
        )

    @extend_schema(
        summary="Mark a translation current: it renders its original as the original is now",
        request=None,
        parameters=[IF_MATCH],
        responses={200: ArticleSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 412: ERROR},
    )
    @action(detail=True, methods=["post"], url_path="mark-current", permission_classes=[IsAuthenticated])
    def mark_current(self, request, pk=None):
        translation = self._translation()
        translation_services.mark_current(
            translation=translation.pk,
            by=request.user,
            via=AuditEntry.Via.API,
            expected_version=version_from(request, "article", translation.pk),
        )
        return self.respond(translation.pk)

    def _translation(self) -> Article:
        article = self.get_object()
        if article.translation_of_id is None:
            raise NotFound(_("story %(id)s is not a translation") % {"id": article.pk})
        return article
