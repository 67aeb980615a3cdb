"""System checks for the Newsroom settings, so a bad value stops `manage.py check` and start-up, not a request."""

import os

from django.conf import settings
from django.core.checks import Error, register

from newsroom.secret import check_secret_key

from .formats.dates import DIGITS, MONTH_NAMES
from .languages import KNOWN_LANGUAGES

# Settings that count something (rows per page, hours, bytes): zero or less would make pages empty,
# turn off take matching or refuse every request body, so they must be positive.
POSITIVE_SETTINGS = (
    "NEWSROOM_PAGE_SIZE",
    "NEWSROOM_TAKE_WINDOW_HOURS",
    "NEWSROOM_API_PAGE_SIZE",
    "NEWSROOM_API_MAX_PAGE_SIZE",
    "NEWSROOM_API_MAX_BODY",
)


register(check_secret_key, "newsroom", deploy=True)


@register("newsroom", deploy=True)
def check_allowed_hosts_named(app_configs=None, **kwargs) -> list[Error]:
    """`check --deploy` (newsroom.E011): production names the hosts it answers to, rather than falling back to a
    developer's loopback names (which a server behind a proxy would then answer for, and nothing else)."""
    if settings.DEBUG or os.environ.get("DJANGO_ALLOWED_HOSTS", "").strip():
        return []
    return [
        Error(
            "DJANGO_ALLOWED_HOSTS is not set, so the site answers only to a developer's host names "
            "(127.0.0.1, localhost, testserver); set it to the host names the site is served under.",
            id="newsroom.E011",
        )
    ]


@register("newsroom")
def check_settings(app_configs=None, **kwargs) -> list[Error]:
    """The story languages are known to the database, the sizes and windows are positive, and the date
    settings name a month-name set and digits that the date formats know."""
    return [*_language_errors(), *_positive_errors(), *_page_size_errors(), *_date_errors()]


def _language_errors() -> list[Error]:
    languages = list(getattr(settings, "NEWSROOM_LANGUAGES", []))
    if not languages:
        return [
            Error(
                "NEWSROOM_LANGUAGES is empty: no story could be written in any language.",
                hint="Set NEWSROOM_LANGUAGES to comma-separated BCP 47 codes, for example ar,en,ur.",
                id="newsroom.E001",
            )
        ]
    return [
        Error(
            f"NEWSROOM_LANGUAGES names {code!r}, which is not a language the product knows.",
            # The database refuses any other code (constraint article_language_known).
            hint=f"Use codes from articles.languages.KNOWN_LANGUAGES: {', '.join(KNOWN_LANGUAGES)}.",
            obj=code,
            id="newsroom.E002",
        )
        for code in languages
        if code not in KNOWN_LANGUAGES
    ]


def _positive_errors() -> list[Error]:
    errors = []
    for name in POSITIVE_SETTINGS:
        value = getattr(settings, name, None)
        # bool is an int to Python; True would pass as 1 and hide a mistake.
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(
                Error(
                    f"{name} is {value!r}; it must be a whole number of at least 1.",
                    hint=f"Set {name} in the environment to a positive integer, or unset it for the default.",
                    obj=name,
                    id="newsroom.E003",
                )
            )
    return errors


def _page_size_errors() -> list[Error]:
    size = getattr(settings, "NEWSROOM_API_PAGE_SIZE", None)
    largest = getattr(settings, "NEWSROOM_API_MAX_PAGE_SIZE", None)
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (size, largest)):
        return []  # already reported by _positive_errors
    if size > largest:
        return [
            Error(
                f"NEWSROOM_API_PAGE_SIZE ({size}) is larger than NEWSROOM_API_MAX_PAGE_SIZE ({largest}).",
                hint="Lower NEWSROOM_API_PAGE_SIZE or raise NEWSROOM_API_MAX_PAGE_SIZE.",
                id="newsroom.E004",
            )
        ]
    return []


def _date_errors() -> list[Error]:
    # The environment helper already refuses a typo; this catches a value set in code (a settings override)
    # and keeps the settings' list of choices in step with the formats' (docs/dates.md).
    choices = {"NEWSROOM_MONTH_NAMES": MONTH_NAMES, "NEWSROOM_DIGITS": DIGITS}
    errors = [
        Error(
            f"{name} is {getattr(settings, name, None)!r}, which is not one of {', '.join(known)}.",
            hint=f"Set {name} to one of {', '.join(known)}, or unset it for the default.",
            obj=name,
            id="newsroom.E005",
        )
        for name, known in choices.items()
        if getattr(settings, name, None) not in known
    ]
    if not isinstance(getattr(settings, "NEWSROOM_HIJRI_DATE", None), bool):
        errors.append(
            Error(
                f"NEWSROOM_HIJRI_DATE is {getattr(settings, 'NEWSROOM_HIJRI_DATE', None)!r}; it must be true or false.",
                hint="Set NEWSROOM_HIJRI_DATE to true or false, or unset it for the default (false).",
                obj="NEWSROOM_HIJRI_DATE",
                id="newsroom.E005",
            )
        )
    return errors
