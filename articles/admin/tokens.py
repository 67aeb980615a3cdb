"""The signed-in editor's own API token: see whether there is one, create or replace it in the admin."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

SHOWN = 6  # characters of a stored key the page shows: enough to recognise it, too few to use it


@require_http_methods(["GET", "POST"])
def my_token_view(request):
    """GET says whether the user has a token (never creates one); POST creates or replaces it and shows the
    whole key, this once."""
    new_key = replace_token(user=request.user).key if request.method == "POST" else None
    token = Token.objects.filter(user=request.user).first()
    return TemplateResponse(
        request,
        "admin/articles/token.html",
        {
            **admin.site.each_context(request),
            "title": _("My API token"),
            "token": token,
            "prefix": token.key[:SHOWN] if token else "",
            "new_key": new_key,
        },
    )


@transaction.atomic
def replace_token(*, user) -> Token:
    """A new key for the user; the old one, if any, stops working at once."""
    # Locking the user row makes two clicks at once replace the token twice rather than fail.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
