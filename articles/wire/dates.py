"""Dates as Arabic datelines write them: both Gregorian month sets, the Maghreb's, Hijri pairs, any digits."""

import datetime
import re
from dataclasses import dataclass

from articles.text import match_key

from .notes import note

_GREGORIAN = {
    1: ("كانون الثاني", "يناير", "جانفي", "ينير"),
    2: ("شباط", "فبراير", "فيفري", "فبرير"),
    3: ("آذار", "مارس"),
    4: ("نيسان", "أبريل", "إبريل", "ابريل", "أفريل", "ابرايل"),
    5: ("أيار", "مايو", "ماي"),
    6: ("حزيران", "يونيو", "يونية", "يونيه", "جوان"),
    7: ("تموز", "يوليو", "يولية", "يوليه", "يوليوز", "جويلية", "جويلة"),
    8: ("آب", "أغسطس", "اغسطس", "أغسطوس", "غشت", "أوت"),
    9: ("أيلول", "سبتمبر", "سيبتمبر", "شتنبر"),
    10: ("تشرين الأول", "أكتوبر", "اكتوبر", "أكتوبر"),
    11: ("تشرين الثاني", "نوفمبر", "نونبر"),
    12: ("كانون الأول", "ديسمبر", "دجنبر", "ديسيمبر"),
}

_HIJRI = {
    1: ("محرم",),
    2: ("صفر",),
    3: ("ربيع الأول",),
    4: ("ربيع الثاني", "ربيع الآخر"),
    5: ("جمادى الأولى", "جمادى الأول"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}

_ORDINAL_DAYS = {
    1: ("أول", "الأول", "غرة"),
    2: ("ثاني", "الثاني"),
    3: ("ثالث", "الثالث"),
    4: ("رابع", "الرابع"),
    5: ("خامس", "الخامس"),
    6: ("سادس", "السادس"),
    7: ("سابع", "السابع"),
    8: ("ثامن", "الثامن"),
    9: ("تاسع", "التاسع"),
    10: ("عاشر", "العاشر"),
}


def _index(table: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {match_key(name): number for number, names in table.items() for name in names}


GREGORIAN_MONTHS = _index(_GREGORIAN)
HIJRI_MONTHS = _index(_HIJRI)
ORDINAL_DAYS = _index(_ORDINAL_DAYS)
HIJRI_ONLY = note("hijri-only")
_CORRESPONDING = {match_key(w) for w in ("الموافق", "لموافق", "موافق", "وافق")}
_GREGORIAN_ERA = {"م", "ء", "ميلادي", "ميلاديه"}
_HIJRI_ERA = {"ه", "هجري", "هجريه"}

_NUMERIC = re.compile(
    r"(?<!\d)(?:(?P<day>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4})"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2}))(?!\d)"
)
_LETTER = r"(?:[^\W\d_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED])"
_TOKEN = re.compile(rf"\d+|{_LETTER}+")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True)
class DateReading:
    """Where a date begins in a dateline, the Gregorian date it names, and what went wrong.

    When the date is incomplete as written, what was read is kept for the parser to complete against the
    time of filing (`resolve.py`): `day` and `month` of a Gregorian date without a year, or `hijri`
    (year, month, day) when only a Hijri date is given. `written` is the date as the dateline writes it.
    """

    start: int | None = None
    date: datetime.date | None = None
    problem: str = ""
    day: int | None = None
    month: int | None = None
    hijri: tuple[int, int, int] | None = None
    written: str = ""


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    calendar: str  # "gregorian" | "hijri"
    day: int | None
    month: int
    year: int | None
    corresponding: bool  # follows "الموافق"


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(), match_key(m.group())) for m in _TOKEN.finditer(text)]


def _month_at(tokens: list[_Token], i: int) -> tuple[str, int, int] | None:
    """(calendar, month, number of tokens) of a month name starting at token i."""
    if i + 1 < len(tokens):
        pair = f"{tokens[i].key} {tokens[i + 1].key}"
        if pair in GREGORIAN_MONTHS:
            return "gregorian", GREGORIAN_MONTHS[pair], 2
        if pair in HIJRI_MONTHS:
            return "hijri", HIJRI_MONTHS[pair], 2
    if i < len(tokens):
        key = tokens[i].key
        if key in GREGORIAN_MONTHS:
            return "gregorian", GREGORIAN_MONTHS[key], 1
        if key in HIJRI_MONTHS:
            return "hijri", HIJRI_MONTHS[key], 1
    return None


def _day(token: _Token) -> int | None:
    if token.key.isdigit():
        return int(token.key) if len(token.key) <= 3 else None
    return ORDINAL_DAYS.get(token.key)


def _candidates(tokens: list[_Token]) -> list[_Candidate]:
    found = []
    corresponding = False
    i = 0
    while i < len(tokens):
        if tokens[i].key in _CORRESPONDING:
            corresponding = True
            i += 1
            continue
        month = _month_at(tokens, i)
        if month is None:
            i += 1
            continue
        calendar, number, width = month
        day = _day(tokens[i - 1]) if i > 0 else None
        start = tokens[i - 1].start if day is not None else tokens[i].start
        j = i + width
        # a paired name ("أيلول/سبتمبر", "نوفمبر (تشرين الثاني)", "(ايلول) سبتمبر", "مارس آذار") names the
        # same month in the other set; a different month after it is no pair
        paired = _month_at(tokens, j) if j < len(tokens) else None
        if paired and paired[0] == calendar and paired[1] == number:
            j += paired[2]
        year = None
        if j < len(tokens) and tokens[j].key.isdigit() and len(tokens[j].key) == 4:
            year = int(tokens[j].key)
            era = tokens[j + 1].key if j + 1 < len(tokens) else ""
            if era in _HIJRI_ERA and calendar == "gregorian":
                year = None  # a Hijri year after a Gregorian month: not a date we can trust
            j += 1
            if era in _GREGORIAN_ERA or era in _HIJRI_ERA:
                j += 1
        found.append(_Candidate(start, tokens[j - 1].end, calendar, day, number, year, corresponding))
        i = j
    return found


def _numeric(text: str, tokens: list[_Token]) -> list[_Candidate]:
    """Dates in digits, day first as Arabic copy writes them: "28/9/2020", "28-09-2020", also ISO "2020-09-28"."""
    found = []
    for m in _NUMERIC.finditer(text):
        if m.group("iso_year"):
            year, month, day = int(m.group("iso_year")), int(m.group("iso_month")), int(m.group("iso_day"))
        else:
            year, month, day = int(m.group("year")), int(m.group("month")), int(m.group("day"))
        era = _tokens(text[m.end() : m.end() + 4])
        calendar = "hijri" if era and era[0].key in _HIJRI_ERA else "gregorian"
        end = m.end() + era[0].end if era and era[0].key in _HIJRI_ERA | _GREGORIAN_ERA else m.end()
        corresponding = any(t.key in _CORRESPONDING for t in tokens if t.end <= m.start())
        found.append(_Candidate(m.start(), end, calendar, day, month, year, corresponding))
    return found


def read_date(text: str) -> DateReading:
    """Read the date of a dateline; only ever call this on the dateline, never on body text."""
    tokens = _tokens(text)
    candidates = sorted(_candidates(tokens) + _numeric(text, tokens), key=lambda c: c.start)
    if not candidates:
        return DateReading()
    start = candidates[0].start
    gregorian = [c for c in candidates if c.calendar == "gregorian"]
    if not gregorian:
        hijri = candidates[0]
        complete = (hijri.year, hijri.month, hijri.day) if hijri.day is not None and hijri.year else None
        return DateReading(
            start,
            None,
            HIJRI_ONLY,
            hijri=complete,
            written=text[hijri.start : hijri.end],
        )
    chosen = next((c for c in gregorian if c.corresponding), gregorian[0])
    written = text[chosen.start : chosen.end]
    if chosen.day is None or chosen.year is None:
        return DateReading(start, day=chosen.day, month=chosen.month, written=written)
    try:
        date = datetime.date(chosen.year, chosen.month, chosen.day)
    except ValueError:
        return DateReading(start, None, note("date-invalid", text=written), written=written)
    return DateReading(start, date, day=chosen.day, month=chosen.month, written=written)
