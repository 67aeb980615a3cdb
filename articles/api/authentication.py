"""The API's token authentication: DRF's, its lookup compiled once per process.

DRF's TokenAuthentication builds and compiles `Token.objects.select_related("user").get(key=…)` for every request
that carries a token: on an ingest (a wire's stream of POSTs) that was a tenth of the request's Python. The
statement here is the same query (newsroom.prepared), the answers the same: the user and the token, or DRF's own
messages for a key no token has and for an inactive user."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from newsroom.prepared import TEXT, Prepared

TOKEN = Prepared(lambda key: Token.objects.select_related("user").filter(key=key), key=TEXT)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        # A NUL cannot be in a key (nor sent to PostgreSQL in a text): no token has it.
        found = TOKEN.rows(key=key) if "\x00" not in key else []
        if not found:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = found[0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
