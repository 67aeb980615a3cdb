"""Top-level URLs: public pages, the editors' admin, the language switch."""

from django.contrib import admin
from django.urls import include, path

from articles.admin.tokens import my_token_view

urlpatterns = [
    # Before the admin's own URLs, which would otherwise answer 404 for it.
    path("admin/my-token/", admin.site.admin_view(my_token_view), name="my-token"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(("articles.api.urls", "api"), namespace="api")),
    path("", include("articles.web.urls")),
]

handler400 = "articles.api.errors.bad_request"
handler404 = "articles.api.errors.not_found"
handler500 = "articles.api.errors.server_error"
