"""Top-level URLs: public pages, the editors' admin, the language switch."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(("articles.api.urls", "api"), namespace="api")),
    path("", include("articles.web.urls")),
]

handler404 = "articles.api.errors.not_found"
