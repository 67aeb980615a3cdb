"""Transmission lines and envelopes: what the wire wraps around a story, never story text.

Two kinds, each read by a table of named rules:

- *envelope lines* (`ENVELOPE`) stand before the headline: IPTC 7901 and ANPA 1312 headers, priority
  and category codes, Latin slug and keyword lines, word counts, a date, the agency's code;
- *transmission pieces* (`read_line`) stand on a line of their own in the body or after it, one or
  several to a line: continuation and end markers, filing-time stamps in their zones (`11:53 ت م`,
  `08:10 ت غ`, `08:10 بتوقيت غرينتش`, `091345 GMT NOV 21`), `NNNN` (end of message), and the desk's
  initials (`م ع / ح س`) after an end marker.

Both are metadata: the parser cuts them from the text and reports each in `warnings`. A date or an
agency they carry serves where the dateline lacks one.
"""

import datetime
import functools
import re
from dataclasses import dataclass

from articles.text import match_key

from .dateline import BIDI_CHARS
from .dates import GREGORIAN_MONTHS, read_date
from .markers import CONTINUES, MARKER_LETTERS, Marker, marker_at
from .names import is_agency

_SHORT_LINE = 100  # transmission lines are short; longer lines are text
_MAX_ENVELOPE = 20  # an envelope is a handful of lines before the headline
_INVISIBLE = BIDI_CHARS
_SPACE = re.compile(rf"[\s\u00a0{_INVISIBLE}]*")
_NO_LETTER_AFTER = r"(?![^\W\d_])"


@dataclass(frozen=True)
class Zone:
    """A time zone as filing stamps name it."""

    pattern: str
    offset_hours: int
    name: str


# Longest spellings first: the first that matches is taken.
ZONES = (
    Zone(r"ب?توقيت\s+مك[ةه](?:\s+المكرم[ةه])?", 3, "Mecca time"),
    Zone(r"ب?توقيت\s+[غج]رين[ي]?تش", 0, "GMT"),
    Zone(r"[غج]رين[ي]?تش", 0, "GMT"),
    Zone(r"ت\s*\.?\s*م", 3, "Mecca time"),  # توقيت مكة, SPA's and KUNA's
    Zone(r"ت\s*\.?\s*غ", 0, "GMT"),  # توقيت غرينتش
    Zone(r"جمت|GMT|UTC", 0, "GMT"),
)
_ZONE = "|".join(f"(?:{zone.pattern})" for zone in ZONES)
_ZONE_OFFSETS = tuple((re.compile(zone.pattern), zone.offset_hours) for zone in ZONES)

# Three-letter month abbreviations of dated stamps (`091345 GMT NOV 21`, `091345 جمت نوف 21`);
# full Gregorian month names are read too.
_MONTH_ABBREVIATIONS = {
    **{
        name: number
        for number, name in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
    **{
        match_key(n): number
        for number, n in enumerate(
            ["ينا", "فبر", "مار", "ابر", "ماي", "يون", "يول", "اغس", "سبت", "اكت", "نوف", "ديس"], 1
        )
    },
}

_NUMERIC_DATE = r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{4}-\d{1,2}-\d{1,2}"
_CLOCK_STAMP = re.compile(
    rf"(?:(?P<before>{_NUMERIC_DATE})\s+)?"
    rf"(?:(?P<hour>\d{{1,2}})\s*[:.]\s*(?P<minute>\d{{2}})|(?P<hhmm>\d{{4}}))\s*(?P<zone>{_ZONE}){_NO_LETTER_AFTER}"
    rf"(?:\s+(?P<after>{_NUMERIC_DATE}))?(?!\d)"
)
_DATED_STAMP = re.compile(
    r"(?P<agency>[^\W\d_]{2,8}\s?)?(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})\s*(?P<zone>GMT|UTC|جمت)\s*"
    r"(?P<month>[^\W\d_]{3,9})\.?\s*(?P<year>\d{4}|\d{2})(?!\d)",
    re.IGNORECASE,
)
_END_OF_MESSAGE = re.compile(r"NNNN(?![\w])")
# how a line that is no transmission line is told cheaply: no piece but desk initials can start otherwise
# (a wrapping mark or digit, `NNNN`, a word of marker letters, an agency glued to a dated stamp)
_MAY_BE_TRANSMISSION = re.compile(
    rf"[\s\u00a0{_INVISIBLE}]*(?:[()\[\]/\\*.\-–—ـ\d]|N|[{MARKER_LETTERS}]+(?![^\W\d_])"
    r"|[^\W\d_]{2,8}\s?\d)"
)
_INITIAL = r"[^\W\d_]{1,3}"
_INITIALS = re.compile(rf"{_INITIAL}(?:(?:\s*/\s*|\s+){_INITIAL}){{1,8}}{_NO_LETTER_AFTER}")


@dataclass(frozen=True)
class Stamp:
    """A filing-time stamp: the time in its zone, and the date and agency when the stamp writes them."""

    text: str
    time: datetime.time
    offset_hours: int
    date: datetime.date | None = None
    agency: str = ""


@dataclass(frozen=True)
class Piece:
    """One transmission piece of a line, as written."""

    what: str  # for the warning: "continuation marker", "end marker", "filing time", …
    text: str
    marker: Marker | None = None
    stamp: Stamp | None = None


def _zone_offset(written: str) -> int:
    return next(offset for pattern, offset in _ZONE_OFFSETS if pattern.fullmatch(written))


def _time(hour: str, minute: str) -> datetime.time | None:
    try:
        return datetime.time(int(hour), int(minute))
    except ValueError:
        return None


def clock_stamp(line: str, pos: int = 0) -> tuple[Stamp, int] | None:
    """A filing time in its zone: `11:53 ت م` (Mecca), `08:10 ت غ`, `08:10 بتوقيت غرينتش`, `0810 GMT`,
    perhaps with a date in digits before or after it (`09/11/2021 08:10 ت غ`)."""
    m = _CLOCK_STAMP.match(line, pos)
    if not m:
        return None
    hhmm = m.group("hhmm")
    time = _time(hhmm[:2], hhmm[2:]) if hhmm else _time(m.group("hour"), m.group("minute"))
    if time is None:
        return None
    written = m.group("before") or m.group("after")
    date = read_date(written).date if written else None
    return Stamp(m.group().strip(), time, _zone_offset(m.group("zone")), date), m.end()


def dated_stamp(line: str, pos: int = 0) -> tuple[Stamp, int] | None:
    """A day-hour-minute stamp with month and year, in GMT: `091345 GMT NOV 21`, `كونا091530 جمت نوف 21`;
    a word glued before it must be a known agency."""
    m = _DATED_STAMP.match(line, pos)
    if not m:
        return None
    agency = (m.group("agency") or "").strip()
    if agency and not is_agency(agency):
        return None
    key = match_key(m.group("month"))
    month = _MONTH_ABBREVIATIONS.get(key) or GREGORIAN_MONTHS.get(key)
    year = int(m.group("year"))
    year += 2000 if year < 100 else 0
    time = _time(m.group("hour"), m.group("minute"))
    if month is None or time is None:
        return None
    try:
        date = datetime.date(year, month, int(m.group("day")))
    except ValueError:
        return None
    return Stamp(m.group().strip(), time, 0, date, agency), m.end()


def desk_initials(line: str, pos: int = 0) -> tuple[str, int] | None:
    """The desk's initials after an end marker: `م ع / ح س`, `hc/ao/nm`, `ع ب ج` — groups of one to three
    letters, with a slash between them or every group a single letter."""
    m = _INITIALS.match(line, pos)
    if not m:
        return None
    groups = re.split(r"[\s/]+", m.group())
    if "/" not in m.group() and any(len(group) > 1 for group in groups):
        return None
    if is_agency(m.group()):  # "و م ع" is Morocco's agency, not a desk
        return None
    return m.group(), m.end()


def end_of_message(line: str, pos: int = 0) -> tuple[str, int] | None:
    """`NNNN`: the end of a transmitted message (IPTC 7901, ANPA 1312)."""
    m = _END_OF_MESSAGE.match(line, pos)
    return (m.group(), m.end()) if m else None


def _piece_at(line: str, pos: int, *, initials_allowed: bool, marker_allowed: bool) -> tuple[Piece, int] | None:
    """The transmission piece that starts at pos: the rules in order, the first that matches."""
    if marker_allowed and (found := marker_at(line, pos)):
        found_marker, end = found
        what = "continuation marker" if found_marker.kind == CONTINUES else "end marker"
        return Piece(what, found_marker.text, marker=found_marker), end
    for rule in (dated_stamp, clock_stamp):
        if stamp := rule(line, pos):
            return Piece("filing time", stamp[0].text, stamp=stamp[0]), stamp[1]
    if found := end_of_message(line, pos):
        return Piece("end-of-message line", found[0]), found[1]
    if initials_allowed and (found := desk_initials(line, pos)):
        return Piece("desk initials", found[0].strip()), found[1]
    return None


@functools.lru_cache(maxsize=4096)  # the same markers and stamps recur take after take; the answer is immutable
def read_line(line: str, *, after_end: bool = False) -> tuple[Piece, ...] | None:
    """The transmission pieces a line consists of (a marker, stamps, `NNNN`, desk initials), or None when
    anything else stands on it. Desk initials count only after an end marker: earlier on the line, or on
    an earlier line (`after_end`) with nothing but transmission lines since."""
    if len(line) > _SHORT_LINE or not (after_end or _MAY_BE_TRANSMISSION.match(line)):
        return None
    pieces: list[Piece] = []
    pos = _SPACE.match(line).end()
    while pos < len(line):
        ended = after_end or any(p.what == "end marker" for p in pieces)
        has_marker = any(p.marker for p in pieces)
        found = _piece_at(line, pos, initials_allowed=ended, marker_allowed=not has_marker)
        if found is None:
            return None
        pieces.append(found[0])
        pos = _SPACE.match(line, found[1]).end()
    return tuple(pieces) or None


# --- envelopes -------------------------------------------------------------------------------------

_LATIN_WORDS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class EnvelopeRule:
    """One kind of envelope line: its name (for the warning), the pattern the whole line matches, and why."""

    name: str
    pattern: re.Pattern[str]
    why: str


_I = re.IGNORECASE
ENVELOPE = (
    EnvelopeRule("start of message", re.compile(r"ZCZC(?:\s+.*)?"), "IPTC 7901 / ANPA 1312 start-of-message"),
    EnvelopeRule(
        "message header",
        re.compile(r"[A-Z]{2,6}\d{2,6}\s+\d\s+[A-Z]{1,3}\s+\d{1,5}(?:\s+.*)?"),
        "IPTC 7901: source and message number, priority, category, word count (`QNA0123 3 GEN 0245`)",
    ),
    EnvelopeRule(
        "message header",
        re.compile(r"[a-z]\d{4}\s+[a-z0-9]\s+[a-z]\s+\S.*", _I),
        "ANPA 1312: selector and number, priority, category, slug (`a0432 u i BC-Gulf-Oil 11-09 0456`)",
    ),
    EnvelopeRule(
        "priority",
        re.compile(r"(?:priority|prio|pri)\s*[:=]?\s*\w{1,8}|flash|bulletin|urgent|advisory|routine|regular", _I),
        "a priority code on its own line (`PRIORITY: 3`, `URGENT`)",
    ),
    EnvelopeRule(
        "category",
        re.compile(r"(?:category|cat)\s*[:=]?\s*[a-z]{1,8}(?:\s*[,/]\s*[a-z]{1,8})*", _I),
        "a category code on its own line (`CATEGORY: POL`)",
    ),
    EnvelopeRule(
        "word count",
        re.compile(r"\(?\s*\d{1,5}\s*(?:words?|wds?|كلمة|كلمات)\s*\)?|(?:words?|word count|wc)\s*[:=]?\s*\d{1,5}", _I),
        "a word count (`0456 words`, `WORDS: 456`, `456 كلمة`)",
    ),
    EnvelopeRule(
        "keyword line",
        re.compile(r"(?:keywords?|slug|topics?)\s*[:=]\s*[^\u0600-\u06ff]{1,120}", _I),
        "a keyword or slug line in Latin letters (`KEYWORDS: GULF, OIL`)",
    ),
    EnvelopeRule(
        "slug",
        re.compile(r"(?:(?:BC|AM|PM)-)?[A-Za-z][A-Za-z0-9]*(?:[-_/][A-Za-z0-9]+)+"),
        "a Latin slug, words joined by hyphens (`Gulf-Oil-Prices`, `BC-Mideast-Talks`)",
    ),
    EnvelopeRule(
        "date",
        re.compile(
            rf"(?:date\s*[:=]?\s*)?(?P<date>{_NUMERIC_DATE})(?:[T\s]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*(?:Z|GMT|UTC)?",
            _I,
        ),
        "the date of transmission in digits (`2021-11-09T08:10Z`, `DATE: 09/11/2021`)",
    ),
    EnvelopeRule(
        "agency",
        re.compile(r"[A-Za-z][A-Za-z. ]{0,30}"),
        "the agency's Latin code or name on its own line (`WAM`, `KUNA`) — only a known agency",
    ),
)


@dataclass(frozen=True)
class Envelope:
    """The envelope lines at the head of the copy, and the date and agency they carry."""

    lines: tuple[tuple[str, str], ...] = ()  # (rule name, line as written)
    date: datetime.date | None = None
    agency: str = ""
    stamps: tuple[Stamp, ...] = ()  # filing stamps among the envelope lines


def envelope_line(line: str) -> tuple[str, datetime.date | None, str] | None:
    """(rule name, date, agency) of an envelope line, or None when the line is no envelope line."""
    if len(line) > _SHORT_LINE:
        return None
    for rule in ENVELOPE:
        m = rule.pattern.fullmatch(line)
        if not m:
            continue
        agency = ""
        if rule.name in ("start of message", "message header"):  # `QNA0123 3 GEN 0245`, `… AFP /AFP-RW39`
            agency = next((word for word in _LATIN_WORDS.findall(line) if is_agency(word)), "")
        if rule.name == "agency":
            if not is_agency(line):
                continue
            agency = line
        date = read_date(m.group("date")).date if "date" in rule.pattern.groupindex else None
        return rule.name, date, agency
    return None


def read_envelope(lines: list[str]) -> Envelope:
    """The envelope at the head of the copy: consecutive envelope lines, and after the first of them filing
    stamps too (a stamp first in the copy is no envelope). At least one line is left for the headline."""
    found: list[tuple[str, str]] = []
    stamps: list[Stamp] = []
    date, agency = None, ""
    for line in lines[: min(len(lines) - 1, _MAX_ENVELOPE)]:
        read = envelope_line(line)
        if read is None and found and (pieces := read_line(line)) and all(p.stamp for p in pieces):
            stamps += [p.stamp for p in pieces]
            read = ("filing time", stamps[-1].date, stamps[-1].agency)
        if read is None:
            break
        name, line_date, line_agency = read
        found.append((name, line))
        date = date or line_date
        agency = agency or line_agency
    return Envelope(tuple(found), date, agency, tuple(stamps))
