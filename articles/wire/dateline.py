"""The opening dateline of wire copy: the shapes Arabic agencies and sites write, read into parts."""

import datetime
import itertools
import re
from dataclasses import dataclass

from .dates import DateReading, read_date
from .model import ORIGINATING_AGENCY, PUBLISHER, SourceRef
from .names import is_agency, is_byline_word, is_desk_word, is_place, name_key
from .notes import note

# bidi controls, zero-width space and BOM: invisible, kept inside text, trimmed at the edges of names
BIDI_CHARS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff\u200b"
BIDI = BIDI_CHARS  # none of them is special inside a regex character class
_EDGE = f" \t\u00a0{BIDI_CHARS}"
DASHES = "-–—ـ"
_DASH = r"\-–—ـ"  # for character classes
_DASH_RUN = rf"[{_DASH}](?:\s*[{_DASH}])*"
_TRIM_CHARS = f"{_EDGE}۔.,،:;{DASHES}«»\"'“”"
_SEPARATOR = re.compile(rf"[\s{BIDI}]*(?P<sep>{_DASH_RUN}|:)?[\s{BIDI}]*")
# a dash between segments; a tatweel counts only when it stands apart from letters
_SEGMENT_SPLIT = re.compile(r"\s*[-–—]+\s*|\s+ـ+\s*|\s*ـ+\s+")
# a full stop ends a sentence when a space follows it; inside "د.ب.أ" it does not
_SENTENCE_PUNCT = re.compile(r"[!?؟\"“”]|\.(?=\s|$)")
_QUOTED = re.compile(r"^[«\"“](?P<name>[^«»\"“”]+)[»\"”]$")
# one level of brackets may nest inside: "(سبوتنيك - 5 نوفمبر (تشرين الثاني) 2019)"
_BRACKETED = re.compile(rf"[\s{BIDI}]*\((?P<inner>(?:[^()]|\([^()]{{0,40}}\)){{1,160}})\)")
_MAX_OWN_LINE = 200  # a dateline standing on its own line is short; longer lines are text
_AGENCY_IN_BRACKETS = re.compile(r"\((?P<inner>[^()]{1,40})\)")
# "أبوظبي في 9 نوفمبر", "الكويت في 3 مارس": the preposition between place and date is neither
_PREPOSITION = re.compile(r"\s+(?:في|فى|فـي)$")
# the agency between two slashes or two dashes: "… 2021 / وام / lede", "… /أ ش أ/ lede", "… - وام - lede"
_SLASH_OR_DASH = re.compile(rf"/|{_DASH_RUN}")
_HEAD = 100  # a dateline's separators stand within the first 100 characters of the line
_HAS_WORD = re.compile(r"[^\W_]")


_UNREAD = DateReading()


@dataclass(frozen=True)
class Dateline:
    """An opening dateline as written, the lede that follows it on its line, and what it names."""

    text: str
    lede: str = ""
    place: str = ""
    byline: str = ""
    sources: tuple[SourceRef, ...] = ()
    date: datetime.date | None = None
    warnings: tuple[str, ...] = ()
    reading: DateReading = _UNREAD  # the date as read, for the parser to complete (resolve.py)


def clean_name(text: str) -> str:
    """Trim spaces, bidi marks, quotes, dashes and trailing punctuation (the Urdu full stop ۔ too)."""
    previous = None
    while text != previous:
        previous, text = text, text.strip().strip(_TRIM_CHARS)
    return text


def source_refs(names: list[str]) -> tuple[SourceRef, ...]:
    """A single name is the originating agency; in a list, the last one is, and the earlier ones published."""
    unique: list[str] = []
    for name in names:
        if name and name_key(name) not in {name_key(n) for n in unique}:
            unique.append(name)
    return tuple(
        SourceRef(name, ORIGINATING_AGENCY if i == len(unique) - 1 else PUBLISHER) for i, name in enumerate(unique)
    )


def place_name(text: str) -> str:
    """The place before a date, without the preposition some agencies write there ("أبوظبي في 9 نوفمبر")."""
    return _PREPOSITION.sub("", clean_name(text)).strip() or clean_name(text)


def _words(text: str) -> int:
    return len(text.split())


def _words_with_date(text: str) -> int:
    """Words before an agency that follows a date: a slash standing between spaces in a paired month
    ("كانون الثاني / يناير") is no word."""
    return sum(1 for token in text.split() if _HAS_WORD.search(token))


def _date_warnings(reading: DateReading) -> tuple[str, ...]:
    return (reading.problem,) if reading.problem else ()


def _edges(text: str) -> str:
    """Trim whitespace and invisible marks at both ends; the inside stays as written."""
    return text.strip().strip(_EDGE).strip()


def _split_rest(line: str, end: int) -> tuple[str, str]:
    """Cut the line after the dateline's closing bracket: (dateline with its separator, lede)."""
    m = _SEPARATOR.match(line, end)
    sep_end = m.end("sep") if m.group("sep") else end
    return _edges(line[:sep_end]), line[m.end() :].strip()


def _bracketed(line: str) -> Dateline | None:
    """Bracketed at the head of the line: "( أردو بوینت نتورك ۔ / سبوتنيك - 28 سبتمبر 2020ء) lede", "(CNN)-- lede"."""
    m = _BRACKETED.match(line)
    if not m:
        return None
    inner = m.group("inner")
    reading = read_date(inner)
    names_text = inner[: reading.start] if reading.start is not None else inner
    # "(سبوتنيك - 12:30)": after the dash stands something with digits that is no date we can read
    unread = re.search(rf"\s*[{_DASH}]+\s*(?=[^/]*\d)", names_text)
    if unread:
        names_text = names_text[: unread.start()]
    names = [n for n in (clean_name(n) for n in names_text.split("/")) if n]
    # digits are no part of a name: what holds them is a date we could not read
    understood = [n for n in names if not re.search(r"\d", n)]
    if len(names) > 4 or any(_words(n) > 5 for n in names):
        return None
    if not (reading.start is not None or len(names) > 1 or (names and all(is_agency(n) for n in names))):
        return None
    text, lede = _split_rest(line, m.end())
    warnings = _date_warnings(reading)
    if unread or len(understood) < len(names):
        warnings += (note("dateline-not-understood", text=text),)
    return Dateline(text, lede, "", "", source_refs(understood), reading.date, warnings, reading)


def _agency_in_brackets(line: str) -> Dateline | None:
    """Agency in brackets after place and date: "مانيلا، 3 ديسمبر (رويترز) - lede", "دبي - (CNN) lede"."""
    for m in _AGENCY_IN_BRACKETS.finditer(line):
        if m.start() > 100:
            return None
        inner = m.group("inner")
        names = [clean_name(n) for n in inner.split("/")]
        known = bool(names) and all(is_agency(n) for n in names)
        if not known and (re.search(r"\d", inner) or _words(inner) > 4 or read_date(inner).start is not None):
            continue  # a country after a place, a month paired in brackets: not an agency
        pre = line[: m.start()].strip(_EDGE)
        if _SENTENCE_PUNCT.search(pre):
            return None
        reversed_dash = bool(pre) and pre[-1] in DASHES  # "دبي، الإمارات العربية المتحدة - (CNN) lede"
        core = clean_name(pre)
        reading = read_date(pre)  # not core: a tatweel closing "هـ" is the date's, not a dash
        after = _SEPARATOR.match(line, m.end())
        has_sep = after.group("sep") is not None
        if not known and not (reading.start is not None and has_sep):
            continue  # an agency we do not know only where place, date and dash frame it
        words = _words(core) if reading.start is None else _words_with_date(core)
        if (reading.start is None and words > 5) or words > 9:
            return None
        # no dash at all ("دبي (CNN) lede"): only after a known place or a "city، country" pair
        bare = core and reading.start is None and not has_sep and not reversed_dash
        if bare and not (is_place(core) or "،" in core or "," in core):
            return None
        place = place_name(pre[: reading.start]) if reading.start is not None else core
        text, lede = _split_rest(line, m.end())
        return Dateline(text, lede, place, "", source_refs(names), reading.date, _date_warnings(reading), reading)
    return None


def _agency_between(line: str) -> Dateline | None:
    """The agency between two slashes or two dashes after place and date: "أبوظبي في 9 نوفمبر 2021 / وام / lede",
    "القاهرة في 5 مارس /أ ش أ/ lede", "أبوظبي 9 نوفمبر 2021 - وام - lede"."""
    separators = [m for m in _SLASH_OR_DASH.finditer(line, 0, _HEAD + 40) if m.start() <= _HEAD]
    for opening, closing in itertools.pairwise(separators):
        slashes = opening.group() == "/"
        if slashes != (closing.group() == "/"):
            continue
        between = line[opening.end() : closing.start()]
        name = clean_name(between)
        # a month paired after a slash ("9 نوفمبر/تشرين الثاني") is no agency
        if not name or _words(name) > 4 or re.search(r"[\d()]", name) or read_date(name).start is not None:
            continue
        pre = line[: opening.start()].strip(_EDGE)
        if _SENTENCE_PUNCT.search(pre):
            return None
        reading = read_date(pre)
        # an agency the table does not know only between slashes, after a place and a date
        if not is_agency(name) and not (slashes and reading.start is not None and reading.start > 0):
            continue
        words = _words(pre) if reading.start is None else _words_with_date(pre)
        if (reading.start is None and words > 5) or words > 9:
            return None
        # without a date, what stands before the agency must be a place (or nothing): "قال مصدر - وام -" is text
        if reading.start is None and pre and not (is_place(pre) or is_desk_word(pre) or "،" in pre or "," in pre):
            return None
        place = place_name(pre[: reading.start]) if reading.start is not None else clean_name(pre)
        text, lede = _edges(line[: closing.end()]), line[closing.end() :].strip()
        return Dateline(text, lede, place, "", source_refs([name]), reading.date, _date_warnings(reading), reading)
    return None


def _agency_last(line: str) -> Dateline | None:
    """SPA's line of its own: "جدة 25 شوال 1436هـ الموافق 10 أغسطس 2015م واس" (also "2015 مواس", ".واس")."""
    text = _edges(line)
    if len(text) > _MAX_OWN_LINE or _words(text) > 20:
        return None
    words = list(re.finditer(r"\S+", text))
    for k in range(1, min(3, len(words) - 1) + 1):
        start = words[-k].start()
        candidate = text[start:].lstrip(".")
        prefix = text[:start]
        if not is_agency(candidate):
            # the year's "م" glued to the agency: "2015 مواس"
            if k == 1 and candidate.startswith("م") and is_agency(candidate[1:]) and re.search(r"\d\s*$", prefix):
                candidate, prefix = candidate[1:], text[: start + 1]
            else:
                continue
        reading = read_date(prefix)
        if reading.start is None:
            return None
        place = place_name(prefix[: reading.start])
        return Dateline(text, "", place, "", source_refs([candidate]), reading.date, _date_warnings(reading), reading)
    return None


def _segments(pre: str) -> tuple[str, str, tuple[SourceRef, ...]] | None:
    """Read "واس- جدة", "فلان- سبق- جدة", "الرياض - أحمد الشمالي", "كتب - فلان": (place, byline, sources)."""
    parts = [p for p in _SEGMENT_SPLIT.split(pre.strip(_EDGE)) if clean_name(p)]
    if not parts or len(parts) > 3:
        return None
    kinds = []
    for raw in parts:
        part = raw.strip(_EDGE)
        if _words(part) > 5 or len(part) > 40 or re.search(r"\d", part):
            return None
        quoted = _QUOTED.match(part)
        if quoted:
            kinds.append(("source", clean_name(quoted.group("name"))))
        elif is_agency(clean_name(part)):
            kinds.append(("source", clean_name(part)))
        elif is_byline_word(part):
            kinds.append(("by", part))
        elif is_desk_word(part):
            kinds.append(("desk", part))
        elif is_place(part):
            kinds.append(("place", clean_name(part)))
        else:
            kinds.append(("unknown", clean_name(part)))
    sources = [name for kind, name in kinds if kind == "source"]
    place = next((name for kind, name in kinds if kind == "place"), "")
    byline = ""
    unknown = [i for i, (kind, _) in enumerate(kinds) if kind == "unknown"]
    by = next((i for i, (kind, _) in enumerate(kinds) if kind == "by"), None)
    if by is not None:
        if by + 1 >= len(kinds) or kinds[by + 1][0] not in ("unknown", "place"):
            return None
        byline = kinds[by + 1][1]
        unknown = [i for i in unknown if i != by + 1]
        if kinds[by + 1][0] == "place":
            place = next((name for i, (kind, name) in enumerate(kinds) if kind == "place" and i != by + 1), "")
    if unknown and not place and sources and (unknown[-1] == len(kinds) - 1 or len(kinds) == 2):
        # "رويترز- طرابلس (ليبيا)", "بيروت - د.ب.أ": beside an agency stands the place
        place = kinds[unknown.pop()][1]
    if len(unknown) > 1 or (unknown and byline):
        return None
    if unknown:
        byline = kinds[unknown[0]][1]
    if not (sources or by is not None or (place and byline)):
        return None
    if len(parts) == 1 and not sources:
        return None
    return place, byline, source_refs(sources)


def _colon(line: str) -> Dateline | None:
    """Dash-separated names before a colon: "واس- جدة: lede", "أ ف ب- أبو ظبي: lede", "كتب - فلان: lede"."""
    m = re.match(r"(?P<pre>[^:\n]{1,60}?)\s*:", line)
    if not m or _SENTENCE_PUNCT.search(m.group("pre")) or _words(m.group("pre")) > 8:
        return None
    read = _segments(m.group("pre"))
    if read is None:
        return None
    place, byline, sources = read
    return Dateline(_edges(line[: m.end()]), line[m.end() :].strip(), place, byline, sources)


def _own_line(line: str) -> Dateline | None:
    """Dash-separated names on a line of their own: "عواصم العالم - رويترز", "الرياض - أحمد الشمالي"."""
    if len(line) > _MAX_OWN_LINE or _words(line) > 6 or _SENTENCE_PUNCT.search(line):
        return None
    if not _SEGMENT_SPLIT.search(line.strip()):
        return None
    read = _segments(line)
    if read is None:
        return None
    place, byline, sources = read
    return Dateline(_edges(line), "", place, byline, sources)


def read_dateline(line: str) -> Dateline | None:
    """The dateline at the head of this line (the first line of the body), or None when it has none."""
    for shape in (_bracketed, _agency_in_brackets, _agency_between, _agency_last, _colon, _own_line):
        found = shape(line)
        if found is not None:
            return found
    return None
