"""Newsroom settings: one module, every knob an environment variable with a safe default."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable; a value that is neither (DJANGO_DEBUG=ture) stops start-up rather than meaning no."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    accepted = ", ".join(f"{yes}/{no}" for yes, no in zip(_TRUE, _FALSE, strict=True))
    raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not a boolean: use one of {accepted}")


def env_int(name: str, default: int) -> int:
    """An integer variable; a typo names the variable instead of surfacing as a bare ValueError."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not an integer") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# The fallback key is for a developer's machine only; production sets DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.RejectNulInUrlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

# SQLite inside the project folder unless DATABASE_URL says otherwise (postgres://… uses psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every atomic block takes SQLite's write lock at BEGIN (Django 5.1+), so concurrent
    # read-then-write transactions queue for the lock instead of failing with "database is locked"
    # when a deferred read lock cannot be upgraded.
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Interface languages: Arabic first, then English and Urdu.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "articles" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("DJANGO_TIME_ZONE", "Asia/Riyadh")

# Languages a story may be written in (BCP 47); direction is derived from the code.
NEWSROOM_LANGUAGES = env_list("NEWSROOM_LANGUAGES", "ar,en,ur,fa,fr,tr,ru,es,de,he")
# A later take continues a story whose last part was filed at most this many hours ago.
NEWSROOM_TAKE_WINDOW_HOURS = env_int("NEWSROOM_TAKE_WINDOW_HOURS", 48)
NEWSROOM_PAGE_SIZE = env_int("NEWSROOM_PAGE_SIZE", 20)
# Readers' comments (docs/comments.md): moderation mode "pre" (every comment waits), "post" (shown at once)
# or "new" (new commenters wait until they have NEWSROOM_COMMENTS_TRUSTED_AFTER approved comments).
NEWSROOM_COMMENTS_MODERATION = env("NEWSROOM_COMMENTS_MODERATION", "pre")
NEWSROOM_COMMENTS_TRUSTED_AFTER = env_int("NEWSROOM_COMMENTS_TRUSTED_AFTER", 3)
NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = env_int("NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS", 14)
NEWSROOM_COMMENTS_MAX_LINKS = env_int("NEWSROOM_COMMENTS_MAX_LINKS", 2)
NEWSROOM_COMMENTS_RATE_IP = env("NEWSROOM_COMMENTS_RATE_IP", "5/minute")
NEWSROOM_COMMENTS_RATE_STORY = env("NEWSROOM_COMMENTS_RATE_STORY", "120/hour")
# Readers' IP addresses and e-mails are kept only as salted hashes.
NEWSROOM_COMMENTS_SALT = env("NEWSROOM_COMMENTS_SALT", SECRET_KEY)
# An annotation's edited quote is found again when at most this share of its characters differs (0–1).
NEWSROOM_ANNOTATION_MAX_ERRORS = 0.2

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))

LOGIN_URL = "admin:login"

# The REST API (/api/v1/): session and token authentication, Django model permissions for writes,
# throttling for anonymous and authenticated clients, JSON errors from one exception handler.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous write is answered 401 with WWW-Authenticate: Token.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["articles.api.permissions.ReadPublicWriteByModelPermission"],
    "DEFAULT_PARSER_CLASSES": ["articles.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("NEWSROOM_API_ANON_RATE", "120/minute"),
        "user": env("NEWSROOM_API_USER_RATE", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "articles.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Largest request body the API reads (bytes); larger ones are answered 413 with a JSON message.
NEWSROOM_API_MAX_BODY = env_int("NEWSROOM_API_MAX_BODY", 1_000_000)
NEWSROOM_API_PAGE_SIZE = env_int("NEWSROOM_API_PAGE_SIZE", 20)
NEWSROOM_API_MAX_PAGE_SIZE = env_int("NEWSROOM_API_MAX_PAGE_SIZE", 100)
# Stable identifiers of stories in ninjs documents: NEWSROOM_URI_PREFIX + id.
NEWSROOM_URI_PREFIX = env("NEWSROOM_URI_PREFIX", "urn:newsroom:article:")
# Django refuses larger bodies too (the API answers them itself, with JSON, before Django would).
DATA_UPLOAD_MAX_MEMORY_SIZE = max(NEWSROOM_API_MAX_BODY + 1024, 2_621_440)

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": (
        "Stories (articles) with their parts (takes) and sources, wire ingest, and IPTC ninjs 3.1 documents. "
        "Anonymous clients read published stories; writes follow the Django model permissions of the "
        "admin's groups. Add `?format=ninjs` (or `Accept: application/ninjs+json`) to an article or the "
        "article list for IPTC ninjs 3.1. Article, part and source responses carry an ETag: send it back "
        "in If-None-Match for a 304, and in If-Match on PUT, PATCH and DELETE so that two editors saving "
        "at once cannot overwrite each other (412 when the story changed meanwhile)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"ArticleStatusEnum": "articles.models.Article.Status"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.add_common_errors",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}
