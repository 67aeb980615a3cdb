"""The secret key in production: never missing, never the public development key.

Refused where a server starts (newsroom/wsgi.py and asgi.py, which gunicorn and runserver load) and reported by
`manage.py check --deploy` (newsroom.E010) — not in the settings module itself, so that commands needing no key
(makemigrations, help) work in any environment."""

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "insecure-development-key-change-me-in-production-0123456789"
MESSAGE = (
    "DJANGO_SECRET_KEY must be set to a long random value of your own when DJANGO_DEBUG is off "
    "(production); the built-in development key is public. Generate one with: "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
    "On a developer's machine, set DJANGO_DEBUG=true instead (make run does)."
)


def refuse_a_public_key() -> None:
    """Raise ImproperlyConfigured when DEBUG is off and the key is missing or the public development key."""
    if not settings.DEBUG and str(getattr(settings, "SECRET_KEY", "")).strip() in ("", DEVELOPMENT_SECRET_KEY):
        raise ImproperlyConfigured(MESSAGE)


def check_secret_key(app_configs=None, **kwargs) -> list:
    """The deploy check (`check --deploy`): the same rule, reported."""
    try:
        refuse_a_public_key()
    except ImproperlyConfigured as refused:
        return [Error(str(refused), id="newsroom.E010")]
    return []
