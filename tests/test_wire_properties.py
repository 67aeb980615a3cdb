"""Properties of the wire parser on generated copy: what it keeps, what it reports, and that it never breaks.

Hypothesis runs derandomised with no deadline (the profile below), so CI sees the same examples every time;
speed is measured in bench/wire.py, never here.
"""

import datetime
import itertools
import re
from functools import cache
from pathlib import Path

import pytest
from hijridate import Gregorian
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.text import match_key
from articles.wire import MAX_BYTES, ORIGINATING_AGENCY, SourceRef, WireError, decode, parse
from articles.wire.dates import _GREGORIAN, _HIJRI, GREGORIAN_MONTHS, HIJRI_MONTHS, ORDINAL_DAYS
from articles.wire.names import PLACES, is_agency, is_byline_word, is_desk_word

settings.register_profile(
    "wire",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
WIRE = settings.get_profile("wire")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "wire"
UTC = datetime.UTC

# --- the pieces generated copy is made of ------------------------------------------------------------

DIGITS = {"western": "0123456789", "eastern": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}
# fmt: off
AGENCIES = [
    "وام", "كونا", "قنا", "بنا", "العمانية", "بترا", "سانا", "أ ش أ", "الأناضول", "د ب أ", "يو بي آي",
    "رويترز", "أ ف ب", "شينخوا", "واس", "WAM", "KUNA", "QNA", "MENA", "UPI", "وكالة أنباء الإمارات",
    "وكالة الأنباء القطرية",
]
# fmt: on
DASHES = ["-", "--", "–", "—", "ـ"]
CONTINUATION_MARKERS = ["(يتبع)", "// يتبع //", "-يتبع-", "(تستمر)", "(تتمة)"]
END_MARKERS = ["// انتهى //", "-انتهى-", "(انتهى)", "ـ انتهى ـ", "(النهاية)", "/انتهى/"]
STAMPS = ["11:53 ت م", "08:10 ت غ", "08:10 بتوقيت غرينتش", "19:22 ت.م"]
INITIALS = ["م ع / ح س", "ع ب ج", "hc/ao"]
ENVELOPE = ["ZCZC", "QNA0123 3 GEN 0245", "PRIORITY: 3", "Gulf-Oil-Prices", "0456 words", "CATEGORY: POL"]
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_NOT_A_PLACE = {*GREGORIAN_MONTHS, *HIJRI_MONTHS, *ORDINAL_DAYS, "في", "فى", "م", "ء", "ه", "الموافق", "وافق"}


def _is_plain_word(word: str) -> bool:
    key = match_key(word)
    return not (
        key in _NOT_A_PLACE
        or is_agency(word)
        or is_desk_word(word)
        or is_byline_word(word)
        or any(key.startswith(k) or k.startswith(key) for k in ("اضاف", "يتبع", "تستمر", "انتهي", "النهايه"))
    )


words = st.text(alphabet=LETTERS, min_size=3, max_size=7).filter(_is_plain_word)
unknown_places = (
    st.lists(words, min_size=1, max_size=2)
    .map(" ".join)
    .filter(lambda p: match_key(p) not in GREGORIAN_MONTHS and match_key(p) not in HIJRI_MONTHS)
)
places = st.one_of(st.sampled_from([p for p in PLACES if len(p.split()) <= 2]), unknown_places)
headlines = st.lists(words, min_size=2, max_size=8).map(" ".join)


def _digits(number: int, digit_set: str, width: int = 1) -> str:
    return str(number).zfill(width).translate(str.maketrans("0123456789", DIGITS[digit_set]))


def _hijri_parts(date: datetime.date) -> tuple[int, int, int]:
    hijri = Gregorian(date.year, date.month, date.day).to_hijri()
    return hijri.year, hijri.month, hijri.day


@st.composite
def month_names(draw, month: int) -> str:
    """A month as datelines write it: one name, or a pair from the two sets in any of their shapes."""
    names = _GREGORIAN[month]
    first = draw(st.sampled_from(names))
    if draw(st.booleans()):
        return first
    other = draw(st.sampled_from([n for n in names if match_key(n) != match_key(first)]))
    shape = draw(st.sampled_from(["{a}/{b}", "{a}/ {b}", "{a} / {b}", "{a} ({b})", "({b}) {a}", "{a} {b}"]))
    return shape.format(a=first, b=other)


@st.composite
def written_dates(draw, date: datetime.date, *, with_year: bool) -> str:
    """`date` in words and digits of any set, with or without its year."""
    digit_set = draw(st.sampled_from(sorted(DIGITS)))
    day = _digits(date.day, digit_set, draw(st.sampled_from([1, 2])))
    text = f"{day} {draw(month_names(date.month))}"
    if with_year:
        era = draw(st.sampled_from(["", "م", " م", "ء"]))
        text += f" {_digits(date.year, digit_set)}{era}"
    return text


@st.composite
def hijri_dates(draw, date: datetime.date) -> str:
    year, month, day = _hijri_parts(date)
    digit_set = draw(st.sampled_from(sorted(DIGITS)))
    name = draw(st.sampled_from(_HIJRI[month]))
    era = draw(st.sampled_from(["هـ", " هـ", " ه"]))
    return f"{_digits(day, digit_set)} {name} {_digits(year, digit_set)}{era}"


@cache
def paragraph_pool() -> tuple[str, ...]:
    """Paragraphs of the real corpus that are story text wherever they stand (middle, end, after a dateline)."""
    if not (CORPUS / "expected.json").exists():
        return ()
    found = []
    for path in sorted(CORPUS.glob("*.txt")):
        for part in parse(path.read_text(encoding="utf-8")).parts:
            found += [p for p in part.paragraphs if 20 <= len(p) <= 1200]
    return tuple(p for p in dict.fromkeys(found) if _stays_text(p))


def _paragraphs(text: str) -> list[str]:
    return [p for part in parse(text).parts for p in part.paragraphs]


def _stays_text(paragraph: str) -> bool:
    middle = f"عنوان للتجربة\nنص أول.\n{paragraph}\nنص أخير."
    last = f"عنوان للتجربة\nنص أول.\n{paragraph}"
    lede = f"عنوان للتجربة\nالرياض 3 مارس 2021 (واس) - {paragraph}\nنص أخير."
    slashes = f"عنوان للتجربة\nالرياض 3 مارس 2021 / واس / {paragraph}\nنص أخير."
    return (
        _paragraphs(middle) == ["نص أول.", paragraph, "نص أخير."]
        and _paragraphs(last) == ["نص أول.", paragraph]
        and _paragraphs(lede)[0] == paragraph
        and _paragraphs(slashes)[0] == paragraph
    )


@st.composite
def generated_copy(draw) -> dict:
    """A story as an agency the corpus does not hold might file it, with what the parser must recover."""
    pool = paragraph_pool()
    date = draw(st.dates(datetime.date(1995, 1, 1), datetime.date(2035, 12, 31)))
    calendar = draw(st.sampled_from(["with year", "without year", "hijri", "hijri and gregorian"]))
    # when it arrived: a day to a year after the date, so the latest such date is the date itself
    reference = datetime.datetime.combine(date, datetime.time(12), tzinfo=UTC) + datetime.timedelta(
        days=draw(st.integers(1, 360)), minutes=draw(st.integers(-600, 600))
    )
    agency = draw(st.sampled_from(AGENCIES))
    place = draw(places)
    shape = draw(st.sampled_from(["brackets", "slashes", "dashes", "seed", "own line"]))
    if calendar == "hijri":
        written = draw(hijri_dates(date))
    elif calendar == "hijri and gregorian":
        written = f"{draw(hijri_dates(date))} الموافق {draw(written_dates(date, with_year=True))}"
    else:
        written = draw(written_dates(date, with_year=calendar == "with year"))
    if calendar == "hijri and gregorian":
        shape = "own line"  # SPA's: "جدة 25 شوال 1436هـ الموافق 10 أغسطس 2015م واس"
    if shape == "own line" and len(agency.split()) > 3:
        agency = "واس"

    paragraphs = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=6, unique=True))
    prep = draw(st.sampled_from(["", " في"]))
    lede = paragraphs[0]
    if shape == "brackets":
        dateline = f"{place}{prep} {written} ({agency}) {draw(st.sampled_from(DASHES))}"
    elif shape == "slashes":
        dateline = draw(st.sampled_from(["{h} / {a} /", "{h} /{a}/", "{h} / {a}/"])).format(
            h=f"{place}{prep} {written}", a=agency
        )
    elif shape == "dashes":
        dateline = f"{place}{prep} {written} - {agency} -"
    elif shape == "seed":
        dateline, place = f"({agency} - {written})", ""
    else:
        dateline = f"{place} {written} {agency}"
    dateline_lines = [dateline, lede] if shape == "own line" else [f"{dateline} {lede}"]

    # takes, split by continuation markers, perhaps with a filing time beside the marker
    cuts = sorted(draw(st.sets(st.integers(1, len(paragraphs) - 1), max_size=2))) if len(paragraphs) > 1 else []
    bounds = [0, *cuts, len(paragraphs)]
    takes = [paragraphs[a:b] for a, b in itertools.pairwise(bounds)]
    body: list[str] = []
    for index, take in enumerate(takes):
        body += take[1:] if index == 0 else take
        if index < len(takes) - 1:
            stamp = draw(st.sampled_from(["", *STAMPS]))
            body.append(f"{draw(st.sampled_from(CONTINUATION_MARKERS))} {stamp}".strip())
    ending = draw(st.sampled_from(["none", "continues", "ends"]))
    if ending == "continues":
        body.append(draw(st.sampled_from(CONTINUATION_MARKERS)))
    elif ending == "ends":
        body.append(draw(st.sampled_from(END_MARKERS)))
        body += draw(st.lists(st.sampled_from(STAMPS), max_size=1))
        body += draw(st.lists(st.sampled_from(INITIALS), max_size=1))
    else:
        body += draw(st.lists(st.sampled_from(STAMPS), max_size=1))
    body += draw(st.lists(st.just("NNNN"), max_size=1))

    envelope = draw(st.lists(st.sampled_from(ENVELOPE), max_size=3, unique=True))
    if envelope and draw(st.booleans()):
        envelope.append((date + datetime.timedelta(days=draw(st.integers(0, 20)))).isoformat())
    headline = draw(headlines)
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n"]))
    text = separator.join([*envelope, headline, *dateline_lines, *body])
    return {
        "text": text,
        "reference": reference,
        "date": date,
        "agency": agency,
        "place": place,
        "dateline": dateline,
        "headline": headline,
        "takes": takes,
        "continues": ending == "continues",
        "ended": ending == "ends",
    }


# --- generated copy: everything recovered, nothing lost -----------------------------------------------

_REMOVED = re.compile(r"^removed [^']*'(?P<text>.*)'$")


def unaccounted(text: str, story) -> list[str]:
    """The non-blank lines of the input that the story's headline, dateline, paragraphs and reported removals
    do not account for, character by character (whitespace aside)."""
    pieces = [story.headline, story.dateline]
    pieces += [p for part in story.parts for p in part.paragraphs]
    pieces += [m.group("text") for w in story.warnings if (m := _REMOVED.match(w))]
    pieces = sorted((p for p in pieces if p), key=len, reverse=True)
    left = []
    for line in text.splitlines():
        rest = line
        for piece in pieces:
            rest = rest.replace(piece, " ", 1)
        if rest.strip():
            left.append(rest.strip())
    return left


needs_corpus = [
    pytest.mark.corpus,
    pytest.mark.skipif(not (CORPUS / "expected.json").exists(), reason=f"the licensed wire corpus is not at {CORPUS}"),
]


@needs_corpus[0]
@needs_corpus[1]
@settings(WIRE, max_examples=500)
@given(generated_copy())
def test_generated_copy_gives_back_its_date_agency_and_every_paragraph(case):
    story = parse(case["text"], reference=case["reference"])
    assert story.headline == case["headline"]
    assert story.dateline == case["dateline"]
    assert story.dateline_date == case["date"]
    assert story.sources == (SourceRef(case["agency"], ORIGINATING_AGENCY),)
    assert story.place == case["place"]
    assert [part.paragraphs for part in story.parts] == case["takes"]
    assert [part.continues for part in story.parts] == [True] * (len(case["takes"]) - 1) + [case["continues"]]
    assert story.ended == case["ended"]


@needs_corpus[0]
@needs_corpus[1]
@settings(WIRE, max_examples=500)
@given(generated_copy())
def test_the_kept_text_and_the_reported_removals_account_for_every_line(case):
    story = parse(case["text"], reference=case["reference"])
    assert unaccounted(case["text"], story) == []


# --- any text: a story or a clear error, never an exception ----------------------------------------

# fmt: off
SPECIAL = [
    "\x00", "\n", "\r\n", "\r", "\u2028", "\u0085", "\u200e", "\u200f", "\u202a", "\u202b", "\u202e", "\u2066",
    "\u2069", "\u061c", "\ufeff", "\u200b", "\u200c", "\u200d", "\u00a0", "ـ", "ً", "(", ")", "/", "-", "—", ":",
    "&#8220;", "&amp;", "// يتبع //", "(النهاية)", "-انتهى-", "NNNN", "ZCZC", "11:53 ت م", "091345 GMT NOV 21",
    "م ع / ح س", "(وام) --", "/ وام /", " - وام - ", "25 شوال 1436 هـ", "9 نوفمبر (تشرين الثاني) 2021",
    "أيلول/سبتمبر", "الموافق", "إضافة أولى", "عام / ", "QNA0123 3 GEN 0245", "Gulf-Oil", "2021-11-09",
]
# fmt: on
pieces = st.one_of(st.text(max_size=30), st.sampled_from(SPECIAL), st.text(alphabet=LETTERS + " ", max_size=20))
texts = st.lists(pieces, max_size=60).map("".join)
with_surrogates = st.text(alphabet=st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=200)
long_lines = st.builds(
    lambda chunk, count, tail: (chunk * count)[: MAX_BYTES // 4] + tail,
    st.one_of(st.sampled_from(SPECIAL), st.text(min_size=1, max_size=40)),
    st.integers(1_000, 200_000),
    texts,
)


def _parses_or_refuses(text: str, reference=None) -> None:
    try:
        story = parse(text, reference=reference)
    except WireError as error:
        assert str(error)
    else:
        assert story.headline.strip()
        assert story.parts and all(part.body.strip() for part in story.parts)
        assert all(isinstance(w, str) and w for w in story.warnings)


@settings(WIRE, max_examples=1000)
@given(texts, st.one_of(st.none(), st.datetimes(timezones=st.just(UTC)), st.dates()))
def test_any_text_parses_to_a_story_or_a_clear_error(text, reference):
    _parses_or_refuses(text, reference)


@settings(WIRE, max_examples=300)
@given(with_surrogates)
def test_bidi_controls_nul_and_lone_surrogates_never_raise(text):
    _parses_or_refuses(text)


@settings(WIRE, max_examples=300)
@given(st.one_of(st.binary(max_size=300), with_surrogates.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_bytes_decode_and_parse_or_refuse_clearly(data):
    try:
        text, _ = decode(data)
    except WireError as error:
        assert str(error).startswith("invalid UTF-8 at byte ")
        return
    _parses_or_refuses(text)


@settings(WIRE, max_examples=20)
@given(long_lines)
def test_very_long_lines_parse_or_refuse_clearly(text):
    _parses_or_refuses(text)
