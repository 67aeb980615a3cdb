"""URLs of the REST API, version 1, and of its OpenAPI schema and documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .annotations import AnnotationViewSet
from .comments import CommentModerationViewSet, StoryCommentsView
from .ingest import IngestView
from .parts import PartViewSet
from .sources import SourceViewSet
from .stories import ArticleViewSet

router = DefaultRouter(trailing_slash=True)
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("comments", CommentModerationViewSet, basename="comment")

parts = PartViewSet
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/articles/<int:article_pk>/parts/", parts.as_view({"get": "list", "post": "create"}), name="part-list"),
    path(
        "v1/articles/<int:article_pk>/parts/<int:number>/",
        parts.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="part-detail",
    ),
    path(
        "v1/articles/<int:article_pk>/annotations/",
        AnnotationViewSet.as_view({"get": "list", "post": "create"}),
        name="annotation-list",
    ),
    path(
        "v1/articles/<int:article_pk>/annotations/<int:pk>/",
        AnnotationViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}),
        name="annotation-detail",
    ),
    path("v1/articles/<int:article_pk>/comments/", StoryCommentsView.as_view(), name="story-comments"),
    path("v1/ingest/", IngestView.as_view(), name="ingest"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
