"""Top-level URLs: public pages, the admin, the language switch, the API, the health check; error handlers."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from articles.admin.tokens import my_token_view
from newsroom.health import healthz
from newsroom.staff import second_factor_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before the admin's own URLs, which would otherwise answer 404 for it.
    path("admin/my-token/", admin.site.admin_view(my_token_view), name="my-token"),
    # The second step of a staff log-in (newsroom/staff.py, docs/staff.md).
    path("admin/verify/", admin.site.admin_view(second_factor_view), name="second-factor"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The public pages' language switch, without a CSRF token: a page that carries no per-reader token can be
    # kept by shared caches, and a forged switch changes nothing but the reader's interface language.
    path("language/", csrf_exempt(set_language), name="language"),
    path("api/", include(("articles.api.urls", "api"), namespace="api")),
    path("", include("articles.web.urls")),
]

if settings.NEWSROOM_BENCH_CEILING:

    def ceiling(request):
        """bench/serve.py's ceiling: the cheapest answer through the same middleware as every page."""
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.insert(0, path("bench/ceiling", ceiling, name="bench-ceiling"))

handler400 = "articles.api.errors.bad_request"
handler403 = "articles.api.errors.permission_denied"
handler404 = "articles.api.errors.not_found"
handler500 = "articles.api.errors.server_error"
