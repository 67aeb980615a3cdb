"""URLs of the public pages."""

from django.urls import path

from . import comments, search, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search.search_page, name="search"),
    path("articles/<int:pk>/", views.article_detail, {"slug": ""}, name="detail-short"),
    # Before the story route, so that a story whose slug is "comments" still opens (this one is POST only).
    path("articles/<int:pk>/comments/", comments.post_comment, name="comment"),
    path("articles/<int:pk>/comments/<int:comment_id>/report/", comments.report_comment, name="comment-report"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="detail"),
    path("sources/<str:slug>/", views.source_detail, name="source"),
    path("preview/articles/<int:pk>/", views.preview, name="preview"),
    path("preview/articles/<int:pk>/revisions/<int:version_id>/", views.preview_revision, name="preview-revision"),
]
