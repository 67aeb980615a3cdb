"""URLs of the public pages."""

from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, {"slug": ""}, name="detail-short"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="detail"),
    path("sources/<str:slug>/", views.source_detail, name="source"),
    path("preview/articles/<int:pk>/", views.preview, name="preview"),
    path("preview/articles/<int:pk>/revisions/<int:version_id>/", views.preview_revision, name="preview-revision"),
]
