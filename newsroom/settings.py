"""Newsroom settings: one module, every knob an environment variable with a safe default."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from newsroom import logging as newsroom_logging
from newsroom.secret import DEVELOPMENT_SECRET_KEY

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


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer variable; a typo names the variable instead of surfacing as a bare ValueError, and so does a
    value outside what the setting can be (a negative timeout), which would otherwise fail at the first request."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not an integer") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        allowed = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
        raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is out of range: {allowed}")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_hosts(name: str, default: str) -> list[str]:
    """Host names (DJANGO_ALLOWED_HOSTS); a URL in their place (https://news.example.org) would match no request
    and stops start-up, naming the host to write instead."""
    hosts = env_list(name, default)
    for host in hosts:
        if "://" in host or "/" in host:
            bare = urlsplit(host if "://" in host else f"//{host}").netloc or host
            raise ImproperlyConfigured(f"{name}: {host!r} is not a host name; list host names only, e.g. {bare!r}")
    return hosts


def env_origins(name: str) -> list[str]:
    """Origins (DJANGO_CSRF_TRUSTED_ORIGINS): scheme and host, nothing after. Django compares them whole with the
    request's Origin header, which never has a path or a trailing slash: such an entry would trust nothing."""
    origins = env_list(name)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
            example = f"{parts.scheme or 'https'}://{parts.netloc or origin.split('/')[0]}"
            raise ImproperlyConfigured(
                f"{name}: {origin!r} is not an origin; write scheme and host only, no path or trailing slash, "
                f"e.g. {example!r}"
            )
    return origins


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of a fixed set of words; a typo (NEWSROOM_DIGITS=arabic) stops start-up naming the choices."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in choices:
        return value
    raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not one of {', '.join(choices)}")


DEBUG = env_bool("DJANGO_DEBUG", False)
# The fallback key is public (it is in this file): for a developer's machine only. With DEBUG off it is
# refused, as is a missing DJANGO_SECRET_KEY (see "Production profile" at the end).
# An empty or blank key counts as none: the development key, which production refuses (newsroom/secret.py).
SECRET_KEY = env("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY).strip() or DEVELOPMENT_SECRET_KEY
# Unset, a developer's machine (and `make serve`, on 127.0.0.1); production names its hosts, or check --deploy
# fails (newsroom.E011, articles/checks.py).
ALLOWED_HOSTS = env_hosts("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_origins("DJANGO_CSRF_TRUSTED_ORIGINS")
# A form post that fails the CSRF check gets the site's own 403 page, in the reader's language (articles/api/errors.py).
CSRF_FAILURE_VIEW = "articles.api.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    # Staff accounts (docs/staff.md): login throttling and lockout, and TOTP as a second factor.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "articles",
]

MIDDLEWARE = [
    # First, so that every response (a redirect to https included) carries the id its log lines carry.
    "newsroom.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.RejectNulInUrlMiddleware",
    # Only a response header: outside KeptPageMiddleware, so that a page answered from the cache carries it too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A public page the cache holds is answered here, before the middleware only a render or a signed-in user
    # needs (articles/web/caching.py, docs/caching.md).
    # Likewise the public's story from the API, answered from its stored representation (articles/api/early.py);
    # before KeptPageMiddleware, which has nothing under /api/ and need not resolve those paths.
    "articles.api.early.StoredAnswerMiddleware",
    "articles.web.caching.KeptPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "newsroom.staff.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a login its backend refused into the lockout page.
    "axes.middleware.AxesMiddleware",
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
# A read replica of DATABASE_URL (docs/deploy.md, "Scale-out"): the public's reads of published content go to
# it, writes and staff reads to the primary (newsroom/routers.py). Tests read it as a mirror of the primary.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"), conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0)
    ) | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["newsroom.routers.PrimaryReplicaRouter"]
# Parameters bound by the server and statements prepared on their third run, per connection: a story page's
# statements are the same text every time, and PostgreSQL then plans them once instead of on every request
# (planning cost more than running them). Off (NEWSROOM_PG_PREPARED=false) behind a pooler that hands a
# connection to another client between transactions (PgBouncer in transaction mode): docs/deploy.md.
# A server that accepts connections and never answers (overloaded, half-failed over) fails a connection after
# DJANGO_DB_CONNECT_TIMEOUT seconds instead of holding the worker until gunicorn kills it (/healthz then says
# 503 rather than nothing). 0: wait for ever (libpq's default).
DB_CONNECT_TIMEOUT = env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
# A server that goes silent under a connection already open (its host down or cut off: packets dropped) fails the
# statement waiting on it in about 11 s instead of holding the worker until gunicorn kills it: TCP_USER_TIMEOUT
# (ms) ends a connection whose sent data stays unacknowledged that long, and keepalive probes, sent after
# DJANGO_DB_KEEPALIVES_IDLE seconds without a word from the server, end one waiting for an answer that will not
# come. Neither kills a long command (backup, rebuild_search, a migration): a live host acknowledges and answers
# probes however long its server works. A server process that hangs on a host that still answers for it (stopped,
# stuck) is bounded by neither: docs/deploy.md, "When a server goes silent". 0: the system's default (libpq's).
DB_TCP_BOUNDS = {
    "tcp_user_timeout": env_int("DJANGO_DB_TCP_USER_TIMEOUT", 10_000, minimum=0, maximum=2_147_483_647),
    "keepalives": 1,
    # Linux's limits for TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT: libpq would fail every connection beyond them.
    "keepalives_idle": env_int("DJANGO_DB_KEEPALIVES_IDLE", 5, minimum=0, maximum=32_767),
    "keepalives_interval": env_int("DJANGO_DB_KEEPALIVES_INTERVAL", 2, minimum=0, maximum=32_767),
    "keepalives_count": env_int("DJANGO_DB_KEEPALIVES_COUNT", 3, minimum=0, maximum=127),
}
for _database in DATABASES.values():
    if _database["ENGINE"] != "django.db.backends.postgresql":
        continue
    _database["OPTIONS"] = {"connect_timeout": DB_CONNECT_TIMEOUT, **DB_TCP_BOUNDS, **_database.get("OPTIONS", {})}
    if env_bool("NEWSROOM_PG_PREPARED", True):
        _database["OPTIONS"] = {**_database["OPTIONS"], "server_side_binding": True, "prepare_threshold": 2}
# For this long after a change readers can see, their reads stay on the primary: longer than the replica lags.
NEWSROOM_REPLICA_LAG_SECONDS = env_int("NEWSROOM_REPLICA_LAG_SECONDS", 5)
# A replica found unreachable is left alone (the primary serves) for this long before it is tried again.
NEWSROOM_REPLICA_RETRY_SECONDS = env_int("NEWSROOM_REPLICA_RETRY_SECONDS", 30)
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
# Our catalogues first (makemessages writes into the first entry; ours win over everyone's), then the Urdu
# for Django's and the installed packages' strings that their own catalogues lack (docs/glossary.md).
LOCALE_PATHS = [BASE_DIR / "articles" / "locale", BASE_DIR / "articles" / "locale_vendor"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("DJANGO_TIME_ZONE", "Asia/Riyadh")
# How public pages write dates (docs/dates.md): the Arabic month names, the digits of Arabic-script
# interfaces (Eastern Arabic for Arabic, Extended for Urdu) and a Hijri (Umm al-Qura) date beside the story's.
NEWSROOM_MONTH_NAMES = env_choice("NEWSROOM_MONTH_NAMES", "egyptian", ("egyptian", "levantine", "both", "maghreb"))
NEWSROOM_DIGITS = env_choice("NEWSROOM_DIGITS", "latn", ("latn", "arab"))
NEWSROOM_HIJRI_DATE = env_bool("NEWSROOM_HIJRI_DATE", False)

# Languages a story may be written in (BCP 47); direction is derived from the code.
NEWSROOM_LANGUAGES = env_list("NEWSROOM_LANGUAGES", "ar,en,ur,fa,fr,tr,ru,es,de,he")
# A later take continues a story whose last part was filed at most this many hours ago.
NEWSROOM_TAKE_WINDOW_HOURS = env_int("NEWSROOM_TAKE_WINDOW_HOURS", 48)
NEWSROOM_PAGE_SIZE = env_int("NEWSROOM_PAGE_SIZE", 20)
# Public pages are cached until anything readers see changes (docs/caching.md): at most this long in the
# server's cache, and this long in shared caches and browsers (0: they revalidate with the ETag each time).
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 600)
NEWSROOM_PAGE_MAX_AGE = env_int("NEWSROOM_PAGE_MAX_AGE", 0)
# On Redis each process also keeps the pages it last served in its own memory, at most this many MB (10^6
# bytes), exact all the same (newsroom/cache.py, Near); 0 turns that off.
NEWSROOM_PAGE_MEMORY_MB = env_int("NEWSROOM_PAGE_MEMORY_MB", 8)
# A story page the cache does not hold is assembled from its stored rendering when that is current
# (articles/web/assembled.py); false: every such page is rendered, and none is stored.
NEWSROOM_STORED_PAGES = env_bool("NEWSROOM_STORED_PAGES", True)
# A story page assembled from its stored rendering is kept in the cache on its second read in a process while it
# stays current ("second"), or on its first ("first"): articles/services/pagecache.admit.
NEWSROOM_PAGE_KEEP_ON = env_choice("NEWSROOM_PAGE_KEEP_ON", "second", ("first", "second"))
# bench/serve.py's ceiling: /bench/ceiling answers "ok" through the whole middleware (never on in production).
NEWSROOM_BENCH_CEILING = env_bool("NEWSROOM_BENCH_CEILING", False)

# The cache (pages, presence notices, rate limits, throttles, sessions) is shared by every application server
# through Redis when REDIS_URL is set; without it each process keeps its own in memory (one process only).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("NEWSROOM_CACHE_PREFIX", "newsroom"),
            "TIMEOUT": 600,
            # A Redis that cannot be reached is known within the connect timeout, and one that accepts connections
            # and never answers (hung, paused) within the read timeout of a command, in seconds; the site goes on
            # without it (docs/caching.md, "When Redis cannot be reached"). A read timeout of 0 waits for ever.
            "OPTIONS": {
                # 0 waits for ever, as for the read timeout: redis-py would take a 0 as a non-blocking connect,
                # which fails every time (EINPROGRESS), and the site would run without its cache for good.
                "socket_connect_timeout": env_int("NEWSROOM_REDIS_CONNECT_TIMEOUT", 2, minimum=0) or None,
                "socket_timeout": env_int("NEWSROOM_REDIS_TIMEOUT", 2, minimum=0) or None,
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsroom"}}
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

# Staff accounts (docs/staff.md). Failed log-ins are counted by django-axes in the database, which every
# application server shares whether or not Redis is configured, per user name and client address together:
# a guesser is stopped without anyone being able to lock a colleague out from elsewhere.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.staff.client_address"
AXES_LOCKOUT_CALLABLE = "newsroom.staff.lockout_response"
# A second factor (TOTP) after the password: asked of every user who has a device, and of every superuser
# when NEWSROOM_REQUIRE_2FA is on (newsroom/staff.py). Devices: manage.py add_totp_device <username>.
NEWSROOM_REQUIRE_2FA = env_bool("NEWSROOM_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = env("NEWSROOM_PUBLICATION_NAME", "Newsroom")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions are staff's alone (readers get none): a log-in lasts a working shift from the moment it is made.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# The REST API (/api/v1/): session and token authentication, Django model permissions for writes,
# throttling for anonymous and authenticated clients, JSON errors from one exception handler.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous write is answered 401 with WWW-Authenticate: Token.
        "articles.api.authentication.TokenAuthentication",
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
        "articles.api.throttling.AnonRateThrottle",
        "articles.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("NEWSROOM_API_ANON_RATE", "120/minute"),
        "user": env("NEWSROOM_API_USER_RATE", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "articles.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # How many proxies of ours append to X-Forwarded-For; 0: the header is the client's word and is ignored.
    # The comment limits read the client's address by the same rule (newsroom/security.py).
    "NUM_PROXIES": env_int("NEWSROOM_TRUSTED_PROXIES", 0),
}
# Largest request body the API reads (bytes); larger ones are answered 413 with a JSON message.
NEWSROOM_API_MAX_BODY = env_int("NEWSROOM_API_MAX_BODY", 1_000_000)
NEWSROOM_API_PAGE_SIZE = env_int("NEWSROOM_API_PAGE_SIZE", 20)
NEWSROOM_API_MAX_PAGE_SIZE = env_int("NEWSROOM_API_MAX_PAGE_SIZE", 100)
# Stable identifiers of stories in ninjs documents: NEWSROOM_URI_PREFIX + id.
NEWSROOM_URI_PREFIX = env("NEWSROOM_URI_PREFIX", "urn:newsroom:article:")
# The newsroom's name as publisher in feeds, the Google News sitemap and JSON-LD (a proper name: not translated).
NEWSROOM_PUBLICATION_NAME = env("NEWSROOM_PUBLICATION_NAME", "Newsroom")
# Feeds carry each story's full text (true) or its summary, else its lede shortened (false).
NEWSROOM_FEED_FULL_TEXT = env_bool("NEWSROOM_FEED_FULL_TEXT", False)
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

# Logs go to standard error, one JSON object a line in production (for a log shipper) or plain text on a
# developer's machine, each record with the id of the request it belongs to (newsroom/logging.py).
NEWSROOM_LOG_FORMAT = env_choice("NEWSROOM_LOG_FORMAT", "text" if DEBUG else "json", ("json", "text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.logging.RequestIdFilter"}},
    "formatters": newsroom_logging.formatters(),
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": NEWSROOM_LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    # gunicorn's own lines (workers starting, timeouts) in the same format: with preload_app the settings
    # are loaded before gunicorn writes its first line (gunicorn.conf.py).
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Production profile (docs/deploy.md). DJANGO_DEBUG=false (the default) is production: every hardening
# below is on unless switched off by name. `make serve` switches off what plain http on 127.0.0.1 cannot
# have (the redirect to https, secure cookies); the test run, the redirect and the hashed static names
# (pyproject.toml).
PRODUCTION = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# Load balancers probe over plain http, from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", PRODUCTION)
# HSTS (sent on https responses only): a year, subdomains included, preloadable, as check --deploy asks.
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips any the client sent): trust it to
# say the request came over https. Never on without such a proxy: any client could claim https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), in every profile so that inline code is caught on a developer's
# machine too (Django's debug pages are exempt). No 'unsafe-inline': scripts and styles are files under
# static/; the one inline script (Swagger UI's start-up, templates/drf_spectacular/) carries the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Swagger UI's and the admin's icons are data: URIs in their stylesheets.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Static files. In production whitenoise serves what `collectstatic` gathered into STATIC_ROOT, under
# hashed names (cached for ten years: whitenoise's max-age for them) and compressed; elsewhere Django's plain
# storage, with nothing to collect.
NEWSROOM_STATIC_MANIFEST = env_bool("NEWSROOM_STATIC_MANIFEST", PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if NEWSROOM_STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if NEWSROOM_STATIC_MANIFEST:
    # Right after SecurityMiddleware: static files skip the rest of the stack (sessions, locale, CSRF).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("newsroom.middleware.ContentSecurityPolicyMiddleware"),
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
# With DEBUG off, a missing key or the public development key stops the server's start-up (newsroom/wsgi.py and
# asgi.py: gunicorn, runserver) and fails `check --deploy` (newsroom/secret.py). Commands that need no key
# (makemigrations, help) still run with these settings.
