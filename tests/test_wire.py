"""The pure wire parser (articles/wire/): text in, WireStory out, and bytes in, text out."""

import datetime
import json
import random
from pathlib import Path

import pytest

from articles.text import match_key
from articles.wire import (
    MAX_BYTES,
    ORIGINATING_AGENCY,
    PUBLISHER,
    Role,
    SourceRef,
    WireError,
    WireStory,
    check_size,
    decode,
    parse,
    read_dateline,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "wire"
SEED_NAME = "csto-karabakh-2020-09-28.txt"
# The real corpus is licensed for testing only: it is read from ../shared beside the checkout, never copied in.
CORPUS = SHARED / "wire"


def _seed_path() -> Path:
    for path in (ROOT / "articles" / "fixtures" / "seed" / SEED_NAME, SHARED / "seed" / SEED_NAME):
        if path.exists():
            return path
    pytest.skip(f"the seed story {SEED_NAME} is neither in articles/fixtures/seed nor in {SHARED / 'seed'}")


@pytest.fixture(scope="module")
def seed_text() -> str:
    return _seed_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text) -> WireStory:
    return parse(seed_text)


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def paragraphs(story: WireStory) -> list[str]:
    return [p for part in story.parts for p in part.paragraphs]


def names(story: WireStory) -> list[tuple[str, str]]:
    return [(s.name, s.role) for s in story.sources]


def copy(*lines: str) -> str:
    """Copy as sites publish it: headline, a blank line, the body."""
    return "\n".join(["عنوان الخبر للتجربة", "", *lines])


# --- the seed story ------------------------------------------------------------------------------

SEED_HEADLINE = "الأمين العام لمنظمة معاهدة الأمن الجماعي يعرب عن قلقه إزاء التصعيد في قره باغ"
SEED_DATELINE = "( أردو بوینت نتورك ۔ / سبوتنيك - 28 سبتمبر 2020ء)"


def test_seed_headline_is_the_first_line_once(seed):
    assert seed.headline == SEED_HEADLINE
    assert seed.section == ""
    assert "dropped the headline repeated at the head of the body" in seed.warnings
    assert all(p != SEED_HEADLINE for p in paragraphs(seed))


def test_seed_dateline_is_kept_as_written(seed):
    assert seed.dateline == SEED_DATELINE
    assert seed.dateline_date == datetime.date(2020, 9, 28)
    assert seed.place == ""
    assert seed.byline == ""


def test_seed_sources_are_the_publisher_then_the_originating_agency(seed):
    assert seed.sources == (
        SourceRef("أردو بوینت نتورك", PUBLISHER),
        SourceRef("سبوتنيك", ORIGINATING_AGENCY),
    )
    assert seed.sources[1].role == Role.ORIGINATING_AGENCY


def test_seed_lede_is_the_first_paragraph_of_part_one(seed):
    first = seed.parts[0].paragraphs
    assert first[0].startswith("اعرب الأمين العام لمنظمة معاهدة الأمن الجماعي ستانيسلاف زاس")
    assert first[0].endswith("عن قلقه الشديد إزاء تصاعد الوضع في قره باغ.")
    assert len(first) == 3
    assert first[-1].startswith("وأشار البيان، إلى أن الوضع الراهن")


def test_seed_continuation_marker_ends_part_one(seed):
    assert [part.continues for part in seed.parts] == [True, False]
    assert seed.parts[1].paragraphs[0].startswith("وشدد المتحدث بقوله")
    assert seed.parts[1].paragraphs[-1].startswith("ويذكر أيضا أن المباحثات")
    assert "removed continuation marker '(تستمر)'" in seed.warnings
    assert not seed.ended


def test_seed_comments_prompt_is_removed_with_a_warning(seed):
    assert all("أفكارك وتعليقاتك" not in part.body for part in seed.parts)
    assert "removed comments prompt 'أفكارك وتعليقاتك'" in seed.warnings


def test_seed_keeps_its_no_break_space_farsi_yeh_and_typos(seed):
    body = "\n\n".join(part.body for part in seed.parts)
    assert "وإيران،\u00a0 إلى جانب" in body
    assert "إدى إلى سقوط" in body
    assert "و لى عملية التفاوض" in body
    assert "بوینت" in seed.dateline


def test_seed_loses_no_character(seed, seed_text):
    """Headline, dateline + lede and every paragraph give back the copy's lines, minus what was removed."""
    removed = {"(تستمر)", "أفكارك وتعليقاتك"}
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    assert lines[0] == lines[1] == seed.headline  # the scraper's repetition
    expected = [lines[0], *(line for line in lines[2:] if line not in removed)]
    rebuilt = paragraphs(seed)
    rebuilt = [seed.headline, f"{seed.dateline} {rebuilt[0]}", *rebuilt[1:]]
    assert rebuilt == expected


def test_seed_key_is_the_normalised_headline(seed):
    assert seed.key == match_key(SEED_HEADLINE)
    assert seed.key == "الامين العام لمنظمه معاهده الامن الجماعي يعرب عن قلقه ازاء التصعيد في قره باغ"


# --- datelines -------------------------------------------------------------------------------------

# (first line of the body, dateline, lede, place, byline, sources, date)
# fmt: off
DATELINES = [
    pytest.param(
        "( أردو بوینت نتورك ۔ / سبوتنيك - 3 مارس 2021ء) قال المتحدث",
        "( أردو بوینت نتورك ۔ / سبوتنيك - 3 مارس 2021ء)", "قال المتحدث", "", "",
        [("أردو بوینت نتورك", PUBLISHER), ("سبوتنيك", ORIGINATING_AGENCY)], datetime.date(2021, 3, 3),
        id="seed-shape",
    ),
    pytest.param(
        "(الموقع / وكالة أ / رويترز - 1 يناير 2020) نص",
        "(الموقع / وكالة أ / رويترز - 1 يناير 2020)", "نص", "", "",
        [("الموقع", PUBLISHER), ("وكالة أ", PUBLISHER), ("رويترز", ORIGINATING_AGENCY)],
        datetime.date(2020, 1, 1),
        id="several-publishers",
    ),
    pytest.param(
        "مانيلا، 3 ديسمبر (رويترز) - قال مسؤولون إن الإعصار ضعف",
        "مانيلا، 3 ديسمبر (رويترز) -", "قال مسؤولون إن الإعصار ضعف", "مانيلا", "",
        [("رويترز", ORIGINATING_AGENCY)], None,
        id="reuters-no-year",
    ),
    pytest.param(
        "مانيلا، 3 ديسمبر (وكالة النجمة) - أمطار غزيرة",
        "مانيلا، 3 ديسمبر (وكالة النجمة) -", "أمطار غزيرة", "مانيلا", "",
        [("وكالة النجمة", ORIGINATING_AGENCY)], None,
        id="unknown-agency-framed-by-place-date-and-dash",
    ),
    pytest.param(
        "سانت دينيس (أ ف ب) - أعلنت السلطات المحلية",
        "سانت دينيس (أ ف ب) -", "أعلنت السلطات المحلية", "سانت دينيس", "",
        [("أ ف ب", ORIGINATING_AGENCY)], None,
        id="afp",
    ),
    pytest.param(
        "بكين اول سبتمبر 2008 (شينخوا) -- ذكرت الصحيفة",
        "بكين اول سبتمبر 2008 (شينخوا) --", "ذكرت الصحيفة", "بكين", "",
        [("شينخوا", ORIGINATING_AGENCY)], datetime.date(2008, 9, 1),
        id="xinhua-ordinal-day",
    ),
    pytest.param(
        "شنغهاي أول أكتوبر 2010 (شينخوا) -- نص",
        "شنغهاي أول أكتوبر 2010 (شينخوا) --", "نص", "شنغهاي", "",
        [("شينخوا", ORIGINATING_AGENCY)], datetime.date(2010, 10, 1),
        id="xinhua-hamza-ordinal",
    ),
    pytest.param(
        "الكويت 2 أغسطس 2019 (كونا) — نص",
        "الكويت 2 أغسطس 2019 (كونا) —", "نص", "الكويت", "",
        [("كونا", ORIGINATING_AGENCY)], datetime.date(2019, 8, 2),
        id="em-dash",
    ),
    pytest.param(
        "الرباط 2 يوليو 2019 (و م ع) ـ نص",
        "الرباط 2 يوليو 2019 (و م ع) ـ", "نص", "الرباط", "",
        [("و م ع", ORIGINATING_AGENCY)], datetime.date(2019, 7, 2),
        id="tatweel-dash",
    ),
    pytest.param(
        "تونس 7 مارس 2017 (وات) - أكد الوزير",
        "تونس 7 مارس 2017 (وات) -", "أكد الوزير", "تونس", "",
        [("وات", ORIGINATING_AGENCY)], datetime.date(2017, 3, 7),
        id="tap",
    ),
    pytest.param(
        "أبوظبي، الإمارات العربية المتحدة (CNN)-- أعلنت الشركة",
        "أبوظبي، الإمارات العربية المتحدة (CNN)--", "أعلنت الشركة", "أبوظبي، الإمارات العربية المتحدة", "",
        [("CNN", ORIGINATING_AGENCY)], None,
        id="cnn",
    ),
    pytest.param(
        "(CNN) - قالت الوزارة", "(CNN) -", "قالت الوزارة", "", "", [("CNN", ORIGINATING_AGENCY)], None,
        id="cnn-no-place",
    ),
    pytest.param(
        "(CNN)-قالت الوزارة", "(CNN)-", "قالت الوزارة", "", "", [("CNN", ORIGINATING_AGENCY)], None,
        id="cnn-dash-glued",
    ),
    pytest.param(
        "القاهرة، مصر (CNN)- -شهدت البورصة", "القاهرة، مصر (CNN)- -", "شهدت البورصة", "القاهرة، مصر", "",
        [("CNN", ORIGINATING_AGENCY)], None,
        id="cnn-broken-double-dash",
    ),
    pytest.param(
        "القاهرة، مصر (CNN)\u00a0-- شهدت البورصة", "القاهرة، مصر (CNN)\u00a0--", "شهدت البورصة",
        "القاهرة، مصر", "", [("CNN", ORIGINATING_AGENCY)], None,
        id="cnn-no-break-space",
    ),
    pytest.param(
        "دبي (CNN) قالت الوزارة", "دبي (CNN)", "قالت الوزارة", "دبي", "", [("CNN", ORIGINATING_AGENCY)], None,
        id="cnn-no-dash",
    ),
    pytest.param(
        "الدوحة، قطر - (CNN) يستمر التراجع", "الدوحة، قطر - (CNN)", "يستمر التراجع", "الدوحة، قطر", "",
        [("CNN", ORIGINATING_AGENCY)], None,
        id="cnn-reversed",
    ),
    pytest.param(
        "واس- جدة: التقى الأمير", "واس- جدة:", "التقى الأمير", "جدة", "", [("واس", ORIGINATING_AGENCY)], None,
        id="agency-first-colon",
    ),
    pytest.param(
        "أ ف ب- أبو ظبي: أعلنت الشرطة", "أ ف ب- أبو ظبي:", "أعلنت الشرطة", "أبو ظبي", "",
        [("أ ف ب", ORIGINATING_AGENCY)], None,
        id="afp-first-colon",
    ),
    pytest.param(
        "د.ب.أ - برلين: قال المستشار", "د.ب.أ - برلين:", "قال المستشار", "برلين", "",
        [("د.ب.أ", ORIGINATING_AGENCY)], None,
        id="dotted-abbreviation",
    ),
    pytest.param(
        "رويترز- طرابلس (ليبيا): قال متحدث", "رويترز- طرابلس (ليبيا):", "قال متحدث", "طرابلس (ليبيا)", "",
        [("رويترز", ORIGINATING_AGENCY)], None,
        id="place-with-country",
    ),
    pytest.param(
        "منصور الفهد- سبق- الرياض: تشهد الأسواق", "منصور الفهد- سبق- الرياض:", "تشهد الأسواق", "الرياض",
        "منصور الفهد", [("سبق", ORIGINATING_AGENCY)], None,
        id="reporter-agency-place",
    ),
    pytest.param(
        "كتب - سعيد المالكي: بدأت الجامعة", "كتب - سعيد المالكي:", "بدأت الجامعة", "", "سعيد المالكي", [], None,
        id="kataba-byline",
    ),
]

OWN_LINE_DATELINES = [
    pytest.param(
        "جدة 3 رمضان 1440هـ الموافق 8 مايو 2019م واس", "جدة", [("واس", ORIGINATING_AGENCY)],
        datetime.date(2019, 5, 8),
        id="spa",
    ),
    pytest.param(
        "مكة المكرمة 3 رمضان 1440 هـ الموافق 8 مايو 2019 م واس", "مكة المكرمة", [("واس", ORIGINATING_AGENCY)],
        datetime.date(2019, 5, 8),
        id="spa-spaced-eras",
    ),
    pytest.param(
        "جدة 3 رمضان 1440هـ لموافق 8 اغسطس 2019 مواس", "جدة", [("واس", ORIGINATING_AGENCY)],
        datetime.date(2019, 8, 8),
        id="spa-typos",
    ),
    pytest.param(
        "جدة 3 رمضان 1440هـ الموافق 8 أغسطس 2019م .واس", "جدة", [("واس", ORIGINATING_AGENCY)],
        datetime.date(2019, 8, 8),
        id="spa-dot-before-agency",
    ),
    pytest.param(
        "جدة\u00a03 رمضان 1440هـ\u00a0الموافق 8 أغسطس 2019م\u00a0واس", "جدة", [("واس", ORIGINATING_AGENCY)],
        datetime.date(2019, 8, 8),
        id="spa-no-break-spaces",
    ),
    pytest.param(
        "الخبر8 رمضان 1440هـ الموافق 013 مايو 2019 م واس", "الخبر", [("واس", ORIGINATING_AGENCY)],
        datetime.date(2019, 5, 13),
        id="spa-digits-glued-to-place",
    ),
    pytest.param(
        "\u200fأبهــا 3 رمضان 1440 ه الموافق 8 مايو 2019 م واس\u200f", "أبهــا", [("واس", ORIGINATING_AGENCY)],
        datetime.date(2019, 5, 8),
        id="spa-bidi-marks-and-tatweel",
    ),
    pytest.param(
        "كابول (أفغانستان) 3 رمضان 1440 هـ الموافق 8 مايو 2019 م واس", "كابول (أفغانستان)",
        [("واس", ORIGINATING_AGENCY)], datetime.date(2019, 5, 8),
        id="spa-place-with-country",
    ),
    pytest.param("الرياض - واس", "الرياض", [("واس", ORIGINATING_AGENCY)], None, id="place-dash-agency"),
    pytest.param(
        "عواصم العالم - رويترز", "عواصم العالم", [("رويترز", ORIGINATING_AGENCY)], None, id="world-capitals"
    ),
    pytest.param(
        "سيدني 20 يوليو تموز (رويترز) -", "سيدني", [("رويترز", ORIGINATING_AGENCY)], None,
        id="reuters-on-its-own-line",
    ),
]
# fmt: on


@pytest.mark.parametrize(("line", "dateline", "lede", "place", "byline", "sources", "date"), DATELINES)
def test_dateline_is_cut_from_the_lede(line, dateline, lede, place, byline, sources, date):
    story = parse(copy(line, "فقرة ثانية."))
    assert story.dateline == dateline
    assert paragraphs(story) == [lede, "فقرة ثانية."]
    assert story.place == place
    assert story.byline == byline
    assert names(story) == sources
    assert story.dateline_date == date


@pytest.mark.parametrize(("line", "place", "sources", "date"), OWN_LINE_DATELINES)
def test_dateline_on_a_line_of_its_own(line, place, sources, date):
    story = parse(copy(line, " الفقرة الأولى.", " الفقرة الثانية."))
    assert story.dateline == line.strip().strip("\u200f")
    assert story.place == place
    assert names(story) == sources
    assert story.dateline_date == date
    assert paragraphs(story) == ["الفقرة الأولى.", "الفقرة الثانية."]


@pytest.mark.parametrize(
    ("line", "place", "byline"),
    [
        ("الرياض - أحمد الشمالي", "الرياض", "أحمد الشمالي"),
        ("سالم العتيبي – الباحة", "الباحة", "سالم العتيبي"),
    ],
)
def test_a_reporter_where_an_agency_would_stand_is_a_byline(line, place, byline):
    story = parse(copy(line, "الفقرة الأولى."))
    assert story.byline == byline
    assert story.place == place
    assert story.sources == ()
    assert paragraphs(story) == ["الفقرة الأولى."]


@pytest.mark.parametrize(
    "line",
    [
        "اتفاق مصري - سوداني على تنظيم مياه النهر",
        "قالت الوكالة الرسمية (واس) اليوم إن الاجتماع انتهى",
        "وقال المتحدث (رويترز) إن الموعد تأجل",
        "قال الوزير (الجديد) - وهو أصغر الوزراء سنا",
        "أعلنت الحكومة اليوم خطة جديدة",
        "(1) البند الأول",
        "الفقرة الأولى: تمهيد",
    ],
)
def test_text_that_only_looks_like_a_dateline_stays_text(line):
    story = parse(copy(line, "فقرة ثانية."))
    assert story.dateline == ""
    assert story.sources == ()
    assert paragraphs(story) == [line, "فقرة ثانية."]


def test_only_the_opening_dateline_counts():
    story = parse(copy("قالت الشركة إن الأرباح ارتفعت.", "دبي، الإمارات العربية المتحدة (CNN)-- تقرير آخر."))
    assert story.dateline == ""
    assert story.sources == ()
    assert paragraphs(story)[1] == "دبي، الإمارات العربية المتحدة (CNN)-- تقرير آخر."


def test_read_dateline_reads_a_stored_dateline_again():
    found = read_dateline("( أردو بوینت نتورك ۔ / سبوتنيك - 28 سبتمبر 2020ء)")
    assert [s.name for s in found.sources] == ["أردو بوینت نتورك", "سبوتنيك"]
    assert found.date == datetime.date(2020, 9, 28)
    assert found.lede == ""
    assert read_dateline("قال المتحدث إن الاجتماع انتهى") is None


# --- dates ------------------------------------------------------------------------------------------

DATES = [
    ("28 سبتمبر 2020ء", datetime.date(2020, 9, 28)),
    ("28 سبتمبر 2020 ء", datetime.date(2020, 9, 28)),
    ("28 سبتمبر 2020م", datetime.date(2020, 9, 28)),
    ("٢٨ سبتمبر ٢٠٢٠", datetime.date(2020, 9, 28)),
    ("۲۸ سبتمبر ۲۰۲۰ء", datetime.date(2020, 9, 28)),
    ("28 أيلول/سبتمبر 2020", datetime.date(2020, 9, 28)),
    ("28 سبتمبر/ أيلول 2020", datetime.date(2020, 9, 28)),
    ("5 نوفمبر (تشرين الثاني) 2019", datetime.date(2019, 11, 5)),
    ("5 تشرين الثاني/نوفمبر 2019", datetime.date(2019, 11, 5)),
    ("9 كانون الأول 2017", datetime.date(2017, 12, 9)),
    ("9 كانون الثاني 2017", datetime.date(2017, 1, 9)),
    ("9 ديسمبر /كانون الأول 2016", datetime.date(2016, 12, 9)),
    ("14 شباط 2018", datetime.date(2018, 2, 14)),
    ("1 آذار 2018", datetime.date(2018, 3, 1)),
    ("1 نيسان 2018", datetime.date(2018, 4, 1)),
    ("1 أيار 2018", datetime.date(2018, 5, 1)),
    ("1 حزيران 2018", datetime.date(2018, 6, 1)),
    ("1 تموز 2018", datetime.date(2018, 7, 1)),
    ("1 آب 2018", datetime.date(2018, 8, 1)),
    ("1 تشرين الأول 2018", datetime.date(2018, 10, 1)),
    ("3 يناير 2018", datetime.date(2018, 1, 3)),
    ("3 فبراير 2018", datetime.date(2018, 2, 3)),
    ("3 مارس 2018", datetime.date(2018, 3, 3)),
    ("3 أبريل 2018", datetime.date(2018, 4, 3)),
    ("3 إبريل 2018", datetime.date(2018, 4, 3)),
    ("3 مايو 2018", datetime.date(2018, 5, 3)),
    ("3 يونيو 2018", datetime.date(2018, 6, 3)),
    ("3 يونية 2018", datetime.date(2018, 6, 3)),
    ("3 يوليو 2018", datetime.date(2018, 7, 3)),
    ("3 يولية 2018", datetime.date(2018, 7, 3)),
    ("3 أغسطس 2018", datetime.date(2018, 8, 3)),
    ("3 اغسطس 2018", datetime.date(2018, 8, 3)),
    ("3 أكتوبر 2018", datetime.date(2018, 10, 3)),
    ("3 اكتوبر 2018", datetime.date(2018, 10, 3)),
    ("3 ديسمبر 2018", datetime.date(2018, 12, 3)),
    # Morocco
    ("4 ماي 2018", datetime.date(2018, 5, 4)),
    ("4 يوليوز 2018", datetime.date(2018, 7, 4)),
    ("4 غشت 2018", datetime.date(2018, 8, 4)),
    ("4 شتنبر 2018", datetime.date(2018, 9, 4)),
    ("4 نونبر 2018", datetime.date(2018, 11, 4)),
    ("4 دجنبر 2018", datetime.date(2018, 12, 4)),
    # Algeria and Tunisia
    ("6 جانفي 2017", datetime.date(2017, 1, 6)),
    ("6 فيفري 2017", datetime.date(2017, 2, 6)),
    ("6 أفريل 2017", datetime.date(2017, 4, 6)),
    ("6 جوان 2017", datetime.date(2017, 6, 6)),
    ("6 جويلية 2017", datetime.date(2017, 7, 6)),
    ("6 أوت 2017", datetime.date(2017, 8, 6)),
    # Hijri paired with Gregorian: the Gregorian wins
    ("26 شوال 1436 هـ الموافق 11 أغسطس 2015 م", datetime.date(2015, 8, 11)),
    ("3 رمضان 1440هـ الموافق 8 مايو 2019م", datetime.date(2019, 5, 8)),
    # digits, day first, and ISO
    ("28/09/2020", datetime.date(2020, 9, 28)),
    ("28 / 9 / 2020م", datetime.date(2020, 9, 28)),
    ("٢٨-٠٩-٢٠٢٠", datetime.date(2020, 9, 28)),
    ("2020-09-28", datetime.date(2020, 9, 28)),
    # no year
    ("3 ديسمبر", None),
    ("20 يوليو تموز", None),
]


@pytest.mark.parametrize(("written", "expected"), DATES)
def test_dateline_dates(written, expected):
    story = parse(copy(f"(وكالة المثال - {written}) نص الخبر"))
    assert story.dateline_date == expected
    assert not [w for w in story.warnings if "date" in w]


@pytest.mark.parametrize(
    ("written", "warning"),
    [
        ("31 فبراير 2020", "invalid date in the dateline, ignored: 31 فبراير 2020"),
        ("30 فبراير 2019م", "invalid date in the dateline, ignored: 30 فبراير 2019م"),
        ("26 شوال 1436 هـ", "the dateline gives only a Hijri date; no Gregorian date was read"),
        ("15 / 8 / 1436هـ", "the dateline gives only a Hijri date; no Gregorian date was read"),
        ("12:30", "dateline not understood, kept as written: (رويترز - 12:30)"),
    ],
)
def test_a_date_that_cannot_be_read_is_left_empty_with_a_warning(written, warning):
    story = parse(copy(f"(رويترز - {written}) نص الخبر"))
    assert story.dateline_date is None
    assert story.dateline == f"(رويترز - {written})"
    assert warning in story.warnings


@pytest.mark.parametrize(
    "body",
    [
        "قال زعيم تحالف 14 آذار 2018 إن الانتخابات جرت بهدوء.",
        "ستحفر الشركة 9 آبار جديدة في الصحراء.",
        "تتناول الدراسة 5 جوانب من الأزمة.",
        "تقام المباراة على ملعب 5 جويلية 1962 في العاصمة.",
        "وقعت الحادثة في 12 سبتمبر 2001 في نيويورك.",
    ],
)
def test_a_month_name_outside_the_dateline_never_gives_a_date(body):
    story = parse(copy(body))
    assert story.dateline_date is None
    assert story.dateline == ""
    assert paragraphs(story) == [body]


def test_a_month_name_in_the_body_does_not_date_a_dateline_without_a_date():
    story = parse(copy("واس- جدة: ستحفر الشركة 9 آبار في 5 جوانب من 14 آذار 2018."))
    assert story.sources == (SourceRef("واس", ORIGINATING_AGENCY),)
    assert story.dateline_date is None


# --- markers -----------------------------------------------------------------------------------------

CONTINUATION_MARKERS = ["(تستمر)", "(يتبع)", "-يتبع-", "(تتمة)", "// يتبع //", "//يتبع//", " // يتبع // "]
END_MARKERS = ["// انتهى //", "//انتهى//", "// انتهى//", "// انتهـــى //", "// إنتهى //", "(النهاية)", "/انتهى/"]


@pytest.mark.parametrize("marker", CONTINUATION_MARKERS)
def test_continuation_marker_ends_a_part(marker):
    story = parse(copy("الجزء الأول.", marker, "الجزء الثاني.", marker))
    assert [(p.body, p.continues) for p in story.parts] == [("الجزء الأول.", True), ("الجزء الثاني.", True)]
    assert f"removed continuation marker '{marker.strip()}'" in story.warnings
    assert not story.ended


@pytest.mark.parametrize("marker", END_MARKERS)
def test_end_marker_ends_the_story(marker):
    story = parse(copy("النص كاملا.", marker))
    assert [(p.body, p.continues) for p in story.parts] == [("النص كاملا.", False)]
    assert story.ended
    assert f"removed end marker '{marker.strip()}'" in story.warnings


def test_marker_sharing_its_line_with_a_filing_time():
    story = parse(copy("النص.", " // يتبع // 11:02 ت م"))
    assert story.parts[-1].continues
    assert story.parts[-1].body == "النص."
    assert "removed continuation marker '// يتبع //'" in story.warnings
    assert "removed filing time '11:02 ت م'" in story.warnings


def test_filing_time_on_its_own_line_is_removed():
    story = parse(copy("النص.", "// انتهى //", " 19:22 ت م"))
    assert paragraphs(story) == ["النص."]
    assert "removed filing time '19:22 ت م'" in story.warnings


def test_slashes_inside_a_sentence_are_a_quotation_not_a_marker():
    line = "وأطلق المعرض مسابقة // أصدقاء الكتاب // التي تعرف الزوار بالعلوم."
    story = parse(copy(line, "// يتبع //"))
    assert paragraphs(story) == [line]
    assert story.parts[0].continues


def test_text_after_a_continuation_marker_that_is_only_a_trailer_makes_no_part():
    story = parse(copy("النص.", "(يتبع)", "مقالات أخرى للكاتبعنوان أول..!عنوان ثان..!"))
    assert [(p.body, p.continues) for p in story.parts] == [("النص.", True)]
    assert any(w.startswith("removed link list 'مقالات أخرى للكاتب") for w in story.warnings)


def test_markers_with_nothing_between_them_make_no_empty_part():
    story = parse(copy("النص.", "(يتبع)", "(يتبع)", "تكملة."))
    assert [(p.body, p.continues) for p in story.parts] == [("النص.", True), ("تكملة.", False)]
    assert "skipped an empty part before continuation marker '(يتبع)'" in story.warnings


def test_text_after_the_end_marker_stays_in_the_last_part():
    story = parse(copy("النص.", "// انتهى //", "سطر لاحق."))
    assert [(p.body, p.continues) for p in story.parts] == [("النص.\n\nسطر لاحق.", False)]
    assert "kept the text that follows the end marker in the last part" in story.warnings


# --- headline, section and take labels --------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "headline", "section", "label"),
    [
        ("عام / افتتاح المعرض", "افتتاح المعرض", "عام", ""),
        ("اقتصادي/  ارتفاع المؤشر", "ارتفاع المؤشر", "اقتصادي", ""),
        ("رياضي /الفريق يفوز", "الفريق يفوز", "رياضي", ""),
        ("عام / افتتاح المعرض        إضافة أولى", "افتتاح المعرض", "عام", "إضافة أولى"),
        ("عام / افتتاح المعرض  / إضافة ثانية", "افتتاح المعرض", "عام", "إضافة ثانية"),
        ("عام / افتتاح المعرض / إضافة ثالثة  واخيرة", "افتتاح المعرض", "عام", "إضافة ثالثة  واخيرة"),
        ("سياسي / لقاء الوزيرين   إضافة أولى وأخيرة", "لقاء الوزيرين", "سياسي", "إضافة أولى وأخيرة"),
        ("ثقافي / افتتاح السوق   اضافة اولى واخيرة", "افتتاح السوق", "ثقافي", "اضافة اولى واخيرة"),
        ("عام / افتتاح المعرض إضافة ثانية وأخيرة", "افتتاح المعرض", "عام", "إضافة ثانية وأخيرة"),
        ("افتتاح  المعرض\u00a0الدولي", "افتتاح  المعرض\u00a0الدولي", "", ""),
        ("مقال الأسبوع..! 1/2", "مقال الأسبوع..! 1/2", "", ""),
        ('"الصحة" المحلية:إطلاق 3 حملات', '"الصحة" المحلية:إطلاق 3 حملات', "", ""),
    ],
)
def test_headline_section_and_take_label(first_line, headline, section, label):
    story = parse(f"{first_line}\n\nالنص.")
    assert story.headline == headline
    assert story.section == section
    assert story.parts[0].label == label
    if label:
        assert f"removed take label '{label}' from the headline" in story.warnings


@pytest.mark.parametrize("label", ["إضافة خامسة وأخيرة", "/ إضافة ثانية", "اضافة اولى"])
def test_take_label_at_the_head_of_the_body_is_removed(label):
    story = parse(f"عام / افتتاح المعرض\n\n {label}\n \n النص.")
    assert story.headline == "افتتاح المعرض"
    assert paragraphs(story) == ["النص."]
    assert story.parts[0].label == label.strip("/ ")


def test_later_takes_share_the_key_of_the_first():
    takes = [parse(sample(f"spa_take{n}.txt")) for n in (1, 2, 3)]
    assert {take.key for take in takes} == {match_key("افتتاح معرض الكتاب الدولي في المدينة")}
    assert [take.section for take in takes] == ["اقتصادي"] * 3
    first, second, third = takes
    assert first.dateline == "المدينة المنورة 3 رمضان 1440هـ الموافق 8 مايو 2019م واس"
    assert first.dateline_date == datetime.date(2019, 5, 8)
    assert first.place == "المدينة المنورة"
    assert names(first) == [("واس", ORIGINATING_AGENCY)]
    assert [(take.dateline, take.sources) for take in (second, third)] == [("", ()), ("", ())]
    assert [take.parts[0].label for take in takes] == ["", "إضافة أولى", "إضافة ثانية وأخيرة"]
    assert [take.parts[-1].continues for take in takes] == [True, True, False]
    assert [take.ended for take in takes] == [False, False, True]
    assert third.parts[0].body == "وتستمر فعاليات المعرض حتى نهاية الشهر الجاري من العاشرة صباحا حتى العاشرة مساء."


def test_repeated_headline_before_the_lede_is_dropped():
    story = parse("خبر عاجل عن الطقس\n\n خبر عاجل عن الطقس\nالنص.")
    assert paragraphs(story) == ["النص."]
    assert "dropped the headline repeated at the head of the body" in story.warnings


def test_lede_that_begins_with_the_headline_is_kept():
    story = parse("الرئيس يفوز بولاية ثانية\n\nالرئيس يفوز بولاية ثانية بفارق كبير.\nالنص.")
    assert paragraphs(story) == ["الرئيس يفوز بولاية ثانية بفارق كبير.", "النص."]
    assert story.warnings == ()


# --- web remnants and site trailers ---------------------------------------------------------------


def test_html_character_references_are_decoded_with_a_warning():
    story = parse("توزيع &#8220;الموسوعة&#8221; على &quot;الخطباء&quot;\n\nالنص &amp; الهوامش&nbsp;هنا.")
    assert story.headline == 'توزيع “الموسوعة” على "الخطباء"'
    assert paragraphs(story) == ["النص & الهوامش\u00a0هنا."]
    assert "decoded 6 HTML character references" in story.warnings


def test_other_web_remnants_are_kept():
    story = parse(copy("Next Previous", "النص [email\u00a0protected] /* */"))
    assert paragraphs(story) == ["Next Previous", "النص [email\u00a0protected] /* */"]


# (body lines, paragraphs left, a warning that must be present, sources)
# fmt: off
TRAILERS = [
    pytest.param(
        ["النص.", "أفكارك وتعليقاتك", "تعليق قارئ"], ["النص."],
        "removed comments prompt 'أفكارك وتعليقاتك' and the 1 line after it", [],
        id="comments-prompt",
    ),
    pytest.param(
        ["النص.", "مقالات أخرى للكاتبعنوان..!عنوان آخر..!"], ["النص."],
        "removed link list 'مقالات أخرى للكاتبعنوان..!عنوان آخر..!'", [],
        id="link-list",
    ),
    pytest.param(
        ["النص. رابط الخبر بصحيفة المثال: عنوان الخبر"], ["النص."],
        "removed site trailer 'رابط الخبر بصحيفة المثال: عنوان الخبر'", [],
        id="article-link-ending-the-last-paragraph",
    ),
    pytest.param(
        ["النص.", "writer@example.comللتواصل مع الكاتب ارسل رسالة SMS إلى 8000"],
        ["النص.", "writer@example.com"],
        "removed site trailer 'للتواصل مع الكاتب ارسل رسالة SMS إلى 8000'", [],
        id="sms-prompt",
    ),
    pytest.param(
        ["النص.", "------", "يمكنكم استلام إشعارات بأهم الموضوعات عبر موقعنا."], ["النص."],
        "removed app notice 'يمكنكم استلام إشعارات بأهم الموضوعات عبر موقعنا.'", [],
        id="app-notice-and-rule",
    ),
    pytest.param(
        ["النص. المصدر (وات)"], ["النص."], "recorded closing credit 'المصدر (وات)' as source 'وات'",
        [("وات", ORIGINATING_AGENCY)],
        id="source-credit-ending-the-paragraph",
    ),
    pytest.param(
        ["النص.", "المصدر: وكالة المثال"], ["النص."],
        "recorded closing credit 'المصدر: وكالة المثال' as source 'وكالة المثال'",
        [("وكالة المثال", ORIGINATING_AGENCY)],
        id="source-credit-line",
    ),
    pytest.param(
        ["النص. (أ ف ب)"], ["النص."], "recorded closing credit '(أ ف ب)' as source 'أ ف ب'",
        [("أ ف ب", ORIGINATING_AGENCY)],
        id="final-agency-in-brackets",
    ),
    pytest.param(
        ["النص.", "(رويترز)"], ["النص."], "recorded closing credit '(رويترز)' as source 'رويترز'",
        [("رويترز", ORIGINATING_AGENCY)],
        id="agency-line",
    ),
    pytest.param(
        ["النص.", "*نقلا عن صحيفة المثال", "** الآراء المنشورة تعبر عن رأي أصحابها."], ["النص."],
        "removed site disclaimer '** الآراء المنشورة تعبر عن رأي أصحابها.'",
        [("صحيفة المثال", ORIGINATING_AGENCY)],
        id="reprint-credit-and-disclaimer",
    ),
    pytest.param(
        ["النص. سمات الطقس الأمطار جدة"], ["النص."], "removed tag list 'سمات الطقس الأمطار جدة'", [],
        id="tag-list",
    ),
    pytest.param(
        ["النص. (صورة أرشيفية)"], ["النص."], "removed photo note '(صورة أرشيفية)'", [],
        id="photo-note",
    ),
]
# fmt: on


@pytest.mark.parametrize(("lines", "left", "warning", "sources"), TRAILERS)
def test_site_trailers_are_removed(lines, left, warning, sources):
    story = parse(copy(*lines))
    assert paragraphs(story) == left
    assert warning in story.warnings
    assert names(story) == sources


@pytest.mark.parametrize(
    "line",
    [
        "وقال إن المصدر الرئيسي للدخل هو النفط",
        "وتستمر سمات الطقس الحار حتى الأسبوع المقبل",
        "وأكد المتحدث (رويترز) ذلك في بيان",
        "وانتهى الاجتماع (الذي دام ساعتين)",
    ],
)
def test_story_text_that_resembles_a_trailer_is_kept(line):
    story = parse(copy("النص.", line))
    assert paragraphs(story) == ["النص.", line]
    assert story.sources == ()


def test_closing_credit_after_the_dateline_source_is_appended():
    story = parse(copy("سانت دينيس (أ ف ب) - النص.", "الفقرة الأخيرة. (رويترز)"))
    assert names(story) == [("أ ف ب", ORIGINATING_AGENCY), ("رويترز", ORIGINATING_AGENCY)]


def test_closing_credit_naming_the_dateline_agency_is_not_repeated():
    story = parse(copy("سانت دينيس (أ ف ب) - النص.", "الفقرة الأخيرة. (أ ف ب)"))
    assert names(story) == [("أ ف ب", ORIGINATING_AGENCY)]
    assert paragraphs(story) == ["النص.", "الفقرة الأخيرة."]


def test_site_copy_sample():
    story = parse(sample("site_copy.txt"))
    assert story.headline == 'افتتاح "متحف البحر" في المدينة الساحلية'
    assert story.dateline == "واس- الدمام:"
    assert story.place == "الدمام"
    assert paragraphs(story) == [
        "افتتح المحافظ اليوم متحف البحر الذي يعرض مقتنيات الصيادين القدامى.",
        "ويضم المتحف قاعات للسفن الخشبية وأدوات الغوص على اللؤلؤ & الشباك.",
        "وقال مدير المتحف إن الزيارة مجانية طوال الشهر الأول.",
    ]
    assert len(story.warnings) == 4


def test_closing_credit_sample():
    story = parse(sample("closing_credit.txt"))
    assert story.sources == (SourceRef("أ ف ب", ORIGINATING_AGENCY),)
    assert paragraphs(story)[-1] == "وقال الصياد إنه يبحث عن كاتب الرسالة لإعادتها إليه."


# --- paragraphs ---------------------------------------------------------------------------------------


def test_single_and_blank_line_separation_give_the_same_paragraphs():
    tight = parse("العنوان\n الأولى.\n  الثانية.\n\t الثالثة. ")
    loose = parse("العنوان\n\n\nالأولى.\n\n\nالثانية.\n \u00a0\nالثالثة.")
    crlf = parse("العنوان\r\n\r\nالأولى.\r\nالثانية.\r\n\r\nالثالثة.\r\n")
    assert paragraphs(tight) == paragraphs(loose) == paragraphs(crlf) == ["الأولى.", "الثانية.", "الثالثة."]
    assert tight.parts[0].body == "الأولى.\n\nالثانية.\n\nالثالثة."


def test_inside_of_a_paragraph_is_verbatim():
    line = "\u200fنص\u00a0 فيه  مسافات وتطويـــل و\u200cعلامات"
    story = parse(copy(line))
    assert paragraphs(story) == [line]


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the copy is empty"),
        ("   \n\t\n \u00a0 \n", "the copy is empty"),
        ("\u200f\n\u200e", "the copy is empty"),
        ("(يتبع)\nالنص", "no headline: the first non-blank line is a marker"),
        ("// انتهى //", "no headline: the first non-blank line is a marker"),
        ("19:22 ت م\nالنص", "no headline: the first non-blank line is a marker"),
        ("إضافة أولى\nالنص", "no headline: the first line holds only a section slug or a take label"),
        ("العنوان وحده", "no body: the copy has a headline but no story text"),
        ("العنوان\n\n(يتبع)\n// انتهى //", "no body: the copy has a headline but no story text"),
        ("العنوان\nأفكارك وتعليقاتك\nتعليق", "no body: the copy has a headline but no story text"),
    ],
)
def test_copy_without_a_story_is_refused_with_a_clear_message(text, message):
    with pytest.raises(WireError, match=f"^{message}$"):
        parse(text)


def test_parse_refuses_bytes():
    with pytest.raises(WireError, match="must be text"):
        parse(b"headline\nbody")


def test_nul_and_lone_surrogates_are_replaced_with_warnings():
    story = parse("العنوان\nالنص\x00 هنا \ud800.")
    assert paragraphs(story) == ["النص هنا \ufffd."]
    assert "removed 1 NUL character" in story.warnings
    assert "replaced 1 unpaired surrogate with U+FFFD" in story.warnings


ARABIC = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة"


def test_decode_utf8():
    assert decode(ARABIC.encode("utf-8")) == (ARABIC, [])


def test_decode_drops_a_bom_with_a_warning():
    assert decode(b"\xef\xbb\xbf" + ARABIC.encode("utf-8")) == (ARABIC, ["dropped the UTF-8 byte order mark"])


@pytest.mark.parametrize(
    ("encoding", "codec"),
    [("windows-1256", "cp1256"), ("cp1256", "cp1256"), ("iso-8859-6", "iso-8859-6"), ("utf-8", "utf-8")],
)
def test_decode_legacy_encodings(encoding, codec):
    assert decode(ARABIC.encode(codec), encoding) == (ARABIC, [])


def test_invalid_utf8_names_the_byte_and_suggests_windows_1256():
    data = "العنوان: ".encode() + ARABIC.encode("cp1256")
    offset = len("العنوان: ".encode())
    with pytest.raises(WireError) as error:
        decode(data)
    assert str(error.value).startswith(f"invalid UTF-8 at byte {offset};")
    assert "--encoding windows-1256" in str(error.value)


def test_invalid_utf8_suggests_iso_8859_6_when_only_it_reads_arabic():
    data = ARABIC.replace("ى", "ي").encode("iso-8859-6")
    with pytest.raises(WireError, match=r"^invalid UTF-8 at byte 0;.*--encoding iso-8859-6$"):
        decode(data)


def test_invalid_utf8_counts_the_bom_in_the_offset():
    with pytest.raises(WireError, match=r"^invalid UTF-8 at byte 6"):
        decode(b"\xef\xbb\xbfabc\xff")


def test_invalid_utf8_that_is_not_arabic_gets_no_hint():
    with pytest.raises(WireError, match=r"^invalid UTF-8 at byte 3$"):
        decode(b"abc\xff\xfe rest of it")


def test_invalid_bytes_in_a_legacy_encoding_are_refused():
    with pytest.raises(WireError, match=r"^invalid iso-8859-6 at byte 1$"):
        decode(b"a\xa1b", "iso-8859-6")


@pytest.mark.parametrize("encoding", ["klingon", "latin-1", "utf-16"])
def test_unknown_or_unsupported_encoding_is_refused(encoding):
    with pytest.raises(WireError, match=encoding):
        decode(b"abc", encoding)


def test_check_size():
    check_size(b"x" * MAX_BYTES)
    with pytest.raises(WireError, match=r"^the copy is 1\.2 MB; the limit is 1 MB$"):
        check_size(b"x" * 1_200_000)
    with pytest.raises(WireError, match=r"^the copy is 1,000,001 bytes; the limit is 1 MB$"):
        check_size(b"x" * (MAX_BYTES + 1))


# --- parse is total --------------------------------------------------------------------------------

# fmt: off
_PIECES = [
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآءئؤیکہے۔0123456789٠١٢٣٤٥٦٧٨٩۰۱۲()/-–—ـ:.،؛؟«»\"'&#; \t\u00a0",
    "\n", "\n", "\n", "\r", "\x00", "\ud800", "\udfff", "\u200f", "\u202b", "\u200c",
    "// يتبع //", "(تستمر)", "// انتهى //", "(النهاية)", "/انتهى/", "19:22 ت م", "إضافة أولى", "عام / ",
    "واس", "(رويترز) - ", "(CNN)--", "أفكارك وتعليقاتك", "المصدر (وات)", "(أ ف ب)", "&quot;", "&#8220;",
    "&#0;", "الموافق", "25 شوال 1436هـ", "10 أغسطس 2015م", "31 فبراير 2020", "مقالات أخرى للكاتب",
    "رابط الخبر بصحيفة", " سمات ", "-----", "(صورة أرشيفية)", "كتب - ", "( أردو / سبوتنيك - ",
]
# fmt: on


def _random_copy(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 80)))


@pytest.mark.parametrize(
    "text",
    [
        "\x00",
        "\ud800",
        "\n" * 50,
        "(يتبع)\n" * 20,
        "// انتهى //\n(تستمر)",
        "&",
        "&#99999999;",
        "(" * 500,
        "ـ" * 100,
        "/",
        "عام /",
        "عام / إضافة أولى",
        "\u200f\u200e\u202b",
        "a\rb\x0bc\x0cd\x1ce\x85f\u2028g",
    ],
)
def test_parse_is_total_on_odd_input(text):
    try:
        story = parse(text)
    except WireError as error:
        assert str(error)
    else:
        assert story.headline and story.parts


def test_parse_is_total_on_random_copy():
    rng = random.Random(20200928)
    for _ in range(3000):
        text = _random_copy(rng)
        try:
            story = parse(text)
        except WireError as error:
            assert str(error)
            continue
        assert story.headline.strip()
        assert story.parts
        assert all(part.body and not part.body.startswith(("\n", " ")) for part in story.parts)
        assert all("\x00" not in part.body for part in story.parts)
        assert all(isinstance(w, str) and w for w in story.warnings)


def test_decode_is_total_on_random_bytes():
    rng = random.Random(1256)
    for _ in range(2000):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))
        for encoding in (None, "windows-1256", "iso-8859-6"):
            try:
                text, _ = decode(data, encoding)
            except WireError as error:
                assert str(error).startswith("invalid ")
            else:
                assert isinstance(text, str)


# --- the real corpus -------------------------------------------------------------------------------


def _corpus_entries() -> list:
    expected = CORPUS / "expected.json"
    if not expected.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"the licensed wire corpus is not at {CORPUS}"))]
    entries = json.loads(expected.read_text(encoding="utf-8"))
    return [pytest.param(name, entry, id=name) for name, entry in entries.items()]


def _corpus_story(name: str) -> WireStory:
    return parse((CORPUS / name).read_text(encoding="utf-8"))


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "entry"), _corpus_entries())
def test_corpus(name, entry):
    story = _corpus_story(name)
    assert story.headline.strip()
    assert all(part.body.strip() for part in story.parts)
    if "headline" in entry:
        assert story.headline == entry["headline"]
    if "headline_contains" in entry:
        assert entry["headline_contains"] in story.headline
    if "section" in entry:
        assert story.section == entry["section"]
    if "date" in entry:
        expected = entry["date"] and datetime.date.fromisoformat(entry["date"])
        assert story.dateline_date == expected
    # the sources the opening dateline names, exactly; closing credits may follow them
    from_dateline = [s.name for s in read_dateline(story.dateline).sources] if story.dateline else []
    if "source_aliases" in entry:
        assert from_dateline == entry["source_aliases"]
        assert [s.name for s in story.sources][: len(from_dateline)] == from_dateline
    elif "after" not in entry:
        assert from_dateline == []  # "the key is absent where no dateline names a source"
    for text in entry.get("not_in_body", []):
        assert all(text not in part.body for part in story.parts), text
    assert story.parts[-1].continues == entry["last_continues"]
    if "after" in entry:
        assert story.dateline == ""
        assert story.sources == ()
        assert story.key == _corpus_story(entry["after"]).key
    else:
        assert len(story.parts) == entry["parts"]


# --- a flood of lines to remove ----------------------------------------------------------------------


def test_copy_of_thousands_of_lines_to_remove_reports_fifty_warnings_and_how_many_more():
    from articles.wire.parser import MAX_WARNINGS

    lines = ["نص الخبر الأول.", *(["// يتبع //"] * 3000), "نص الخبر الأخير."]
    story = parse(copy(*lines))

    assert len(story.warnings) == MAX_WARNINGS == 50
    last = story.warnings[-1]
    assert last.code == "more-warnings" and last == f"and {last.params['count']} more warnings"
    assert last.params["count"] > 2900 and all(w.code != "more-warnings" for w in story.warnings[:-1])
    assert "نص الخبر الأخير." in story.parts[-1].body  # the text itself is all kept


def test_fifty_warnings_are_reported_as_they_are():
    from articles.wire.parser import MAX_WARNINGS

    story = parse(copy("نص الخبر.", *(["// يتبع //"] * 20), "نص آخر."))

    assert 20 <= len(story.warnings) <= MAX_WARNINGS and all(w.code != "more-warnings" for w in story.warnings)
