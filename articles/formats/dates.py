"""Dates as a reader of each interface language writes them: CLDR patterns through Babel, the newsroom's
Arabic month names and digits, the Umm al-Qura date beside the Gregorian one, and «منذ ساعتين» on lists.

Everything here is a pure function of a value, an interface language and a DateStyle; only site_style()
reads Django's settings. docs/dates.md shows what each setting prints.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel import dates as cldr
from hijridate import Gregorian

MONTH_NAMES = ("egyptian", "levantine", "both", "maghreb")
DIGITS = ("latn", "arab")

# Each Arabic month-name set is CLDR's for one region, read from Babel rather than kept by hand:
# Egypt and the Gulf (CLDR's default Arabic), the Levant and Iraq (Syria's data; Lebanon, Jordan, Iraq and
# Palestine have the same names), Morocco (ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر). Algeria and Tunisia
# (جانفي، فيفري، أفريل، جوان، جويلية، أوت) are CLDR's ar_DZ/ar_TN: another entry here if a site needs them.
_MONTH_LOCALES = {"egyptian": "ar", "levantine": "ar_SY", "maghreb": "ar_MA"}

# "arab" means the interface language's own Arabic-script digits, CLDR's "native" numbering system:
# Eastern Arabic for Arabic, Extended (Persian/Urdu shapes of ٤ ٥ ٦ ٧) for Urdu; English keeps 0-9.
_DIGIT_TABLES = {
    "arab": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "arabext": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
}

# Arabic news sites write «منذ ساعتين» where CLDR has «قبل ساعتين»; both prepositions take the genitive, so
# CLDR's plural forms (ساعة واحدة، ساعتين، 3 ساعات، 11 ساعة) stay exact with the newsroom's word.
_PAST_WORDS = {"ar": ("قبل ", "منذ ")}

# Hijri month names: hijridate's for Arabic and English; Urdu from CLDR's Islamic calendar (its
# abbreviated set: the wide one carries a stray space in «ر بیع»), era from CLDR as well.
_URDU_HIJRI_MONTHS = (
    "محرم",
    "صفر",
    "ربیع الاوّل",
    "ربیع الثانی",
    "جمادی الاوّل",
    "جمادی الثانی",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذوالقعدۃ",
    "ذوالحجۃ",
)
_URDU_HIJRI_ERA = "ہجری"

# Lists say "منذ ساعتين" for this long after the moment, then give the date.
RELATIVE_WITHIN = datetime.timedelta(days=7)


@dataclass(frozen=True, kw_only=True)
class DateStyle:
    """How this site writes dates: the zone times are shown in, the Arabic month names, the digits, Hijri or not."""

    zone: datetime.tzinfo
    month_names: str = "egyptian"
    digits: str = "latn"
    hijri: bool = False

    def __post_init__(self):
        if self.month_names not in MONTH_NAMES:
            raise ValueError(f"month names {self.month_names!r}: use one of {', '.join(MONTH_NAMES)}")
        if self.digits not in DIGITS:
            raise ValueError(f"digits {self.digits!r}: use one of {', '.join(DIGITS)}")


def site_style() -> DateStyle:
    """The style the settings ask for, in the current time zone (DJANGO_TIME_ZONE unless a view changed it)."""
    from django.conf import settings
    from django.utils import timezone

    return _style(
        timezone.get_current_timezone(),
        settings.NEWSROOM_MONTH_NAMES,
        settings.NEWSROOM_DIGITS,
        settings.NEWSROOM_HIJRI_DATE,
    )


@lru_cache(maxsize=64)
def _style(zone, month_names: str, digits: str, hijri: bool) -> DateStyle:
    # One style object for each combination: a page asks for it at every date it writes.
    return DateStyle(zone=zone, month_names=month_names, digits=digits, hijri=hijri)


def local(value: datetime.date, zone: datetime.tzinfo) -> datetime.date:
    """A moment in the site's zone (a date stays as it is). A naive datetime is refused: which day it falls on
    depends on a zone it does not name, and guessing would move stories across midnight."""
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()}: give an aware one (USE_TZ stores them so)")
        return value.astimezone(zone)
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"not a date or datetime: {value!r}")


def iso(value: datetime.date, *, style: DateStyle) -> str:
    """The machine-readable form for <time datetime>: a date, or a moment to the second with its offset."""
    shown = local(value, style.zone)
    if isinstance(shown, datetime.datetime):
        return shown.isoformat(timespec="seconds")
    return shown.isoformat()


# A list page says the date of twenty stories, each through a CLDR pattern Babel reads anew every time; the
# same stories come back on every page rendered until they leave the list, so the texts are kept (pure
# functions of their arguments, a bounded number of them).
@lru_cache(maxsize=4096)
def format_date(value: datetime.date, *, language: str, style: DateStyle) -> str:
    """The long date: «30 نوفمبر 2026», «٣٠ تشرين الثاني ٢٠٢٦», «November 30, 2026», «30 نومبر، 2026»."""
    day = _day(value, style.zone)
    locale = _locale(language)
    pattern = _date_pattern(locale, style.month_names, day.month)
    return _digits(cldr.format_date(day, pattern, locale=locale), locale, style)


@lru_cache(maxsize=4096)
def format_datetime(value: datetime.datetime, *, language: str, style: DateStyle) -> str:
    """The long date and the short time joined as the language joins them: «30 نوفمبر 2026، 2:23 م»."""
    moment = local(value, style.zone)
    if not isinstance(moment, datetime.datetime):
        return format_date(moment, language=language, style=style)
    locale = _locale(language)
    date_pattern = _date_pattern(locale, style.month_names, moment.month)
    time_pattern = locale.time_formats["short"].pattern
    pattern = locale.datetime_formats["long"].replace("{1}", date_pattern).replace("{0}", time_pattern)
    return _digits(cldr.format_datetime(moment, pattern, tzinfo=style.zone, locale=locale), locale, style)


def format_exact(value: datetime.date, *, language: str, style: DateStyle) -> str:
    """A moment with its time, a day without one: what a <time> element says in full."""
    if isinstance(value, datetime.datetime):
        return format_datetime(value, language=language, style=style)
    return format_date(value, language=language, style=style)


def format_hijri(value: datetime.date, *, language: str, style: DateStyle) -> str | None:
    """The Umm al-Qura date of the day: «20 جمادى الآخرة 1448 هـ»; None outside the calendar's table
    (1924–2077), where no official date exists to print."""
    day = _day(value, style.zone)
    try:
        hijri = Gregorian.fromdate(day).to_hijri()
    except OverflowError:
        return None
    locale = _locale(language)
    if locale.language == "ur":
        month, era = _URDU_HIJRI_MONTHS[hijri.month - 1], _URDU_HIJRI_ERA
    else:
        tongue = "ar" if locale.language == "ar" else "en"
        month, era = hijri.month_name(tongue), hijri.notation(tongue)
    # The language's own Gregorian long pattern gives the order and punctuation of day, month and year.
    text = _fill(locale.date_formats["long"].pattern, day=hijri.day, month=hijri.month, name=month, year=hijri.year)
    return _digits(f"{text} {era}", locale, style)


def format_relative(
    value: datetime.date,
    *,
    now: datetime.datetime,
    language: str,
    style: DateStyle,
    within: datetime.timedelta = RELATIVE_WITHIN,
) -> str:
    """«منذ ساعتين», «2 hours ago», «2 گھنٹے پہلے» for a moment less than `within` ago, with CLDR's plural
    forms; the long date for anything older, for a day without a time, and for a moment still to come."""
    if not isinstance(value, datetime.datetime):
        return format_date(value, language=language, style=style)
    elapsed = local(now, style.zone) - local(value, style.zone)
    if not datetime.timedelta(0) <= elapsed < within:
        return format_date(value, language=language, style=style)
    locale = _locale(language)
    if elapsed < datetime.timedelta(minutes=1):
        text = locale._data["date_fields"]["second"]["relative"][0]  # CLDR's "now": الآن، now، اب
    else:
        text = _ago(elapsed, locale)
    return _digits(text, locale, style)


# The words for "so long ago" by (language, unit, count): what Babel says depends on nothing else, and there
# are about a hundred of them a language (1–60 minutes, 1–24 hours, 1–7 days).
_AGO: dict[tuple[str, str, int], str] = {}


def _ago(elapsed: datetime.timedelta, locale: Locale) -> str:
    """Babel's format_timedelta(-elapsed, threshold=1, add_direction=True) with the newsroom's word for "ago",
    kept by the unit and count Babel picks (its own unit table and rounding)."""
    seconds = elapsed.total_seconds()
    for unit, per_unit in cldr.TIMEDELTA_UNITS:
        value = seconds / per_unit
        if value >= 1 or unit == "second":
            key = (str(locale), unit, round(max(1, value) if unit == "second" else value))
            break
    text = _AGO.get(key)
    if text is None:
        # threshold=1: 21 hours stay «21 ساعة», not Babel's default rounding up to «يوم واحد».
        text = cldr.format_timedelta(-elapsed, threshold=1, add_direction=True, locale=locale)
        cldr_word, newsroom_word = _PAST_WORDS.get(locale.language, ("", ""))
        if cldr_word and text.startswith(cldr_word):
            text = newsroom_word + text.removeprefix(cldr_word)
        _AGO[key] = text
    return text


def month_names(month_set: str) -> tuple[str, ...]:
    """The twelve Arabic month names of a set, January first; "both" pairs them as «تشرين الثاني/نوفمبر»."""
    if month_set == "both":
        return tuple(f"{old}/{new}" for old, new in zip(month_names("levantine"), month_names("egyptian"), strict=True))
    return _cldr_months(_MONTH_LOCALES[month_set])


@lru_cache
def _cldr_months(locale_id: str) -> tuple[str, ...]:
    wide = Locale.parse(locale_id).months["format"]["wide"]
    return tuple(wide[number] for number in range(1, 13))


@lru_cache
def _locale(language: str) -> Locale:
    """Babel's locale for an interface language (Django's "ar", "en", "ur", or a tag such as "en-us")."""
    return Locale.parse(language, sep="-" if "-" in language else "_")


def _day(value: datetime.date, zone: datetime.tzinfo) -> datetime.date:
    shown = local(value, zone)
    return shown.date() if isinstance(shown, datetime.datetime) else shown


def _date_pattern(locale: Locale, month_set: str, month: int) -> str:
    """The language's long date pattern; for Arabic, the chosen month name written in as literal text."""
    pattern = locale.date_formats["long"].pattern
    if locale.language != "ar":
        return pattern
    name = month_names(month_set)[month - 1]
    tokens = [
        ("chars", name) if kind == "field" and value[0] in "ML" and value[1] >= 3 else (kind, value)
        for kind, value in cldr.tokenize_pattern(pattern)
    ]
    return cldr.untokenize_pattern(tokens)


def _fill(pattern: str, *, day: int, month: int, name: str, year: int) -> str:
    """A CLDR date pattern filled with another calendar's day, month and year (Babel knows only the Gregorian)."""
    parts = []
    for kind, value in cldr.tokenize_pattern(pattern):
        if kind == "chars":
            parts.append(value)
            continue
        field, width = value
        if field == "d":
            parts.append(str(day).zfill(width))
        elif field in "ML":
            parts.append(name if width >= 3 else str(month).zfill(width))
        elif field in "yY":
            parts.append(str(year))
        # Weekday and era fields are not in the long patterns of the interface languages.
    return "".join(parts).strip()


def numbering(language: str, style: DateStyle) -> str:
    """The digits the interface writes numbers in: CLDR's native numbering system of the language ("arab",
    "arabext") when the site writes Arabic-script digits (NEWSROOM_DIGITS=arab), else "latn"."""
    if style.digits == "latn":
        return "latn"
    native = _locale(language).other_numbering_systems.get("native", "latn")
    return native if native in _DIGIT_TABLES else "latn"


def number(value, *, language: str, style: DateStyle) -> str:
    """A number (or a text of ASCII digits) in the interface's digits, as its dates are written: «٣» in Arabic
    and «۳» in Urdu when the site writes Arabic-script digits, «3» otherwise and always in English."""
    text = str(value)
    table = _DIGIT_TABLES.get(numbering(language, style))
    return text.translate(table) if table else text


def _digits(text: str, locale: Locale, style: DateStyle) -> str:
    if style.digits == "latn":
        return text
    table = _DIGIT_TABLES.get(locale.other_numbering_systems.get("native", "latn"))
    return text.translate(table) if table else text
