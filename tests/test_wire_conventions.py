"""Wire conventions beyond the corpus: each read by rule, one table per convention (docs/wire.md, "Conventions")."""

import datetime

import pytest

from articles.models import Source
from articles.text import match_key
from articles.wire import ORIGINATING_AGENCY, WireError, parse
from articles.wire.markers import site_furniture
from articles.wire.names import is_agency
from articles.wire.resolve import from_hijri, infer_year
from articles.wire.transmission import read_envelope, read_line

UTC = datetime.UTC
# When the copy arrived, as the ingest service passes it: 10 November 2021, 09:00 UTC.
REFERENCE = datetime.datetime(2021, 11, 10, 9, 0, tzinfo=UTC)


def copy(*lines: str) -> str:
    return "\n".join(["عنوان الخبر للتجربة", "", *lines])


def paragraphs(story) -> list[str]:
    return [p for part in story.parts for p in part.paragraphs]


def names(story) -> list[str]:
    return [source.name for source in story.sources]


# --- datelines with a preposition and paired month names -------------------------------------------

# (first body line, dateline, lede, place, agency, date)
# fmt: off
DATELINES = [
    pytest.param(
        "أبوظبي في 9 نوفمبر 2021 (وام) -- أعلن المجلس", "أبوظبي في 9 نوفمبر 2021 (وام) --", "أعلن المجلس",
        "أبوظبي", "وام", datetime.date(2021, 11, 9), id="preposition-before-the-date",
    ),
    pytest.param(
        "الكويت في 3 مارس 2020 (كونا) -- قال الوزير", "الكويت في 3 مارس 2020 (كونا) --", "قال الوزير",
        "الكويت", "كونا", datetime.date(2020, 3, 3), id="preposition-kuna",
    ),
    pytest.param(
        "أبوظبي 9 نوفمبر (تشرين الثاني) 2021 (وام) -- نص", "أبوظبي 9 نوفمبر (تشرين الثاني) 2021 (وام) --", "نص",
        "أبوظبي", "وام", datetime.date(2021, 11, 9), id="other-set-in-brackets",
    ),
    pytest.param(
        "دمشق 5 (ايلول) سبتمبر 2021 (سانا) - نص", "دمشق 5 (ايلول) سبتمبر 2021 (سانا) -", "نص",
        "دمشق", "سانا", datetime.date(2021, 9, 5), id="other-set-in-brackets-first",
    ),
]
# fmt: on


@pytest.mark.parametrize(("line", "dateline", "lede", "place", "agency", "date"), DATELINES)
def test_dateline_with_a_preposition_or_paired_month_names(line, dateline, lede, place, agency, date):
    story = parse(copy(line, "فقرة ثانية."))
    assert story.dateline == dateline
    assert paragraphs(story) == [lede, "فقرة ثانية."]
    assert story.place == place
    assert names(story) == [agency]
    assert story.dateline_date == date


@pytest.mark.parametrize(
    "written",
    [
        "9 نوفمبر (تشرين الثاني) 2021",
        "9 (تشرين الثاني) نوفمبر 2021",
        "9 تشرين الثاني (نوفمبر) 2021",
        "9 نوفمبر تشرين الثاني 2021",
        "9 تشرين الثاني نوفمبر 2021",
        "9 نوفمبر/تشرين الثاني 2021",
        "9 تشرين الثاني/ نوفمبر 2021",
        "9 (تشرين الثاني) نوفمبر 2021",
        "٩ نوفمبر (تشرين الثاني) ٢٠٢١",
        "۹ تشرين الثاني/نوفمبر ۲۰۲۱",
    ],
)
def test_paired_month_names_give_the_same_date_whichever_set_comes_first(written):
    story = parse(copy(f"دمشق {written} (سانا) - نص"))
    assert story.dateline_date == datetime.date(2021, 11, 9)


def test_august_in_brackets_is_a_month_not_the_associated_press():
    # "آب" folds to the key of "أ ب" (AP): in a dateline and at the end of a paragraph it is the month
    story = parse(copy("الرياض 17 أغسطس (آب) 2004 (وام) - نص", "وقال إنه سيعود في أغسطس (آب)"))
    assert names(story) == ["وام"]
    assert story.dateline_date == datetime.date(2004, 8, 17)
    assert paragraphs(story) == ["نص", "وقال إنه سيعود في أغسطس (آب)"]


@pytest.mark.parametrize(
    ("written", "month"),
    [("5 مارس آذار", 3), ("5 آذار مارس", 3), ("5 أيلول/سبتمبر", 9), ("5 سبتمبر/ أيلول", 9), ("5 (ايلول) سبتمبر", 9)],
)
def test_paired_month_names_without_a_year(written, month):
    story = parse(copy(f"لندن {written} (رويترز) - نص"), reference=datetime.date(2021, 12, 1))
    assert story.dateline_date == datetime.date(2021, month, 5)


# --- the agency between slashes, between dashes, in brackets ---------------------------------------

# (first body line, dateline, lede, place, agency, date)
# fmt: off
AGENCY_SHAPES = [
    pytest.param(
        "أبوظبي في 9 نوفمبر 2021 / وام / أعلن المجلس", "أبوظبي في 9 نوفمبر 2021 / وام /", "أعلن المجلس",
        "أبوظبي", "وام", datetime.date(2021, 11, 9), id="between-slashes",
    ),
    pytest.param(
        "أبوظبي في 9 نوفمبر 2021 / وام/ أعلن المجلس", "أبوظبي في 9 نوفمبر 2021 / وام/", "أعلن المجلس",
        "أبوظبي", "وام", datetime.date(2021, 11, 9), id="between-slashes-unevenly-spaced",
    ),
    pytest.param(
        "القاهرة في 5 مارس 2020 /أ ش أ/ قال المتحدث", "القاهرة في 5 مارس 2020 /أ ش أ/", "قال المتحدث",
        "القاهرة", "أ ش أ", datetime.date(2020, 3, 5), id="mena-between-slashes",
    ),
    pytest.param(
        "أبوظبي 9 نوفمبر 2021 - وام - أعلن المجلس", "أبوظبي 9 نوفمبر 2021 - وام -", "أعلن المجلس",
        "أبوظبي", "وام", datetime.date(2021, 11, 9), id="between-dashes",
    ),
    pytest.param(
        "أبوظبي 28-09-2021 - وام - أعلن المجلس", "أبوظبي 28-09-2021 - وام -", "أعلن المجلس",
        "أبوظبي", "وام", datetime.date(2021, 9, 28), id="between-dashes-after-a-date-in-digits",
    ),
    pytest.param(
        "أبوظبي / وام / أعلن المجلس", "أبوظبي / وام /", "أعلن المجلس", "أبوظبي", "وام", None,
        id="between-slashes-after-a-known-place",
    ),
    pytest.param(
        "القاهرة في 5 مارس 2020 / وكالة النجمة / قال", "القاهرة في 5 مارس 2020 / وكالة النجمة /", "قال",
        "القاهرة", "وكالة النجمة", datetime.date(2020, 3, 5), id="unknown-agency-framed-by-date-and-slashes",
    ),
    pytest.param(
        "أبوظبي 9 نوفمبر 2021 (وام) -- أعلن المجلس", "أبوظبي 9 نوفمبر 2021 (وام) --", "أعلن المجلس",
        "أبوظبي", "وام", datetime.date(2021, 11, 9), id="wam-in-brackets",
    ),
    pytest.param("الكويت 3 مارس 2020 (كونا) -- نص", "الكويت 3 مارس 2020 (كونا) --", "نص", "الكويت", "كونا",
                 datetime.date(2020, 3, 3), id="kuna"),
    pytest.param("الدوحة 3 مارس 2020 (قنا) - نص", "الدوحة 3 مارس 2020 (قنا) -", "نص", "الدوحة", "قنا",
                 datetime.date(2020, 3, 3), id="qna"),
    pytest.param("المنامة 3 مارس 2020 (بنا) - نص", "المنامة 3 مارس 2020 (بنا) -", "نص", "المنامة", "بنا",
                 datetime.date(2020, 3, 3), id="bna"),
    pytest.param("مسقط 3 مارس 2020 (العمانية) - نص", "مسقط 3 مارس 2020 (العمانية) -", "نص", "مسقط", "العمانية",
                 datetime.date(2020, 3, 3), id="ona"),
    pytest.param("عمان 3 مارس 2020 (بترا) - نص", "عمان 3 مارس 2020 (بترا) -", "نص", "عمان", "بترا",
                 datetime.date(2020, 3, 3), id="petra"),
    pytest.param("دمشق 3 مارس 2020 (سانا) - نص", "دمشق 3 مارس 2020 (سانا) -", "نص", "دمشق", "سانا",
                 datetime.date(2020, 3, 3), id="sana"),
    pytest.param("القاهرة 3 مارس 2020 (أ ش أ) - نص", "القاهرة 3 مارس 2020 (أ ش أ) -", "نص", "القاهرة", "أ ش أ",
                 datetime.date(2020, 3, 3), id="mena"),
    pytest.param("أنقرة 3 مارس 2020 (الأناضول) - نص", "أنقرة 3 مارس 2020 (الأناضول) -", "نص", "أنقرة",
                 "الأناضول", datetime.date(2020, 3, 3), id="anadolu"),
    pytest.param("برلين 3 مارس 2020 (د ب أ) - نص", "برلين 3 مارس 2020 (د ب أ) -", "نص", "برلين", "د ب أ",
                 datetime.date(2020, 3, 3), id="dpa"),
    pytest.param("واشنطن 3 مارس 2020 (يو بي آي) نص", "واشنطن 3 مارس 2020 (يو بي آي)", "نص", "واشنطن",
                 "يو بي آي", datetime.date(2020, 3, 3), id="upi-without-a-dash"),
]
# fmt: on


@pytest.mark.parametrize(("line", "dateline", "lede", "place", "agency", "date"), AGENCY_SHAPES)
def test_the_agency_named_between_slashes_dashes_or_brackets_is_credited(line, dateline, lede, place, agency, date):
    story = parse(copy(line, "فقرة ثانية."))
    assert story.dateline == dateline
    assert paragraphs(story) == [lede, "فقرة ثانية."]
    assert story.place == place
    assert [(s.name, s.role) for s in story.sources] == [(agency, ORIGINATING_AGENCY)]
    assert story.dateline_date == date


@pytest.mark.parametrize(
    "line",
    [
        "قال مصدر - وام - إن الاجتماع انتهى",
        "وأضاف الوزير / وام / أن الخطة جاهزة",
        "ارتفع المؤشر - 5 - نقاط في الجلسة",
        "نقلت الصحيفة عن مصدر، قال. / وام / ذلك",
    ],
)
def test_a_sentence_with_a_name_between_dashes_or_slashes_stays_text(line):
    story = parse(copy(line, "فقرة ثانية."))
    assert story.dateline == ""
    assert story.sources == ()
    assert paragraphs(story) == [line, "فقرة ثانية."]


# (Arabic spellings, Latin spellings) of the agencies this issue adds or completes
AGENCY_SPELLINGS = [
    pytest.param(["وام", "وكالة أنباء الإمارات"], ["WAM"], "wam", id="wam"),
    pytest.param(["كونا", "وكالة الأنباء الكويتية"], ["KUNA"], "kuna", id="kuna"),
    pytest.param(["قنا", "وكالة الأنباء القطرية"], ["QNA"], "qna", id="qna"),
    pytest.param(["بنا", "وكالة أنباء البحرين"], ["BNA"], "bna", id="bna"),
    pytest.param(["العمانية", "وكالة الأنباء العمانية"], ["ONA"], "ona", id="ona"),
    pytest.param(["بترا", "وكالة الأنباء الأردنية"], ["Petra"], "petra", id="petra"),
    pytest.param(["سانا", "الوكالة العربية السورية للأنباء"], ["SANA"], "sana", id="sana"),
    pytest.param(["أ ش أ", "أ.ش.أ", "وكالة أنباء الشرق الأوسط"], ["MENA"], "mena", id="mena"),
    pytest.param(["الأناضول", "وكالة الأناضول"], ["Anadolu", "AA"], "anadolu", id="anadolu"),
    pytest.param(["د ب أ", "د.ب.أ"], ["dpa", "DPA"], "dpa", id="dpa"),
    pytest.param(["يو بي آي", "يونايتد برس إنترناشونال"], ["UPI"], "upi", id="upi"),
]


@pytest.mark.parametrize(("arabic", "latin", "slug"), AGENCY_SPELLINGS)
def test_the_parser_knows_each_agency_in_arabic_and_latin(arabic, latin, slug):
    assert all(is_agency(name) for name in [*arabic, *latin])


@pytest.mark.django_db
@pytest.mark.parametrize(("arabic", "latin", "slug"), AGENCY_SPELLINGS)
def test_the_known_sources_hold_each_agency_with_arabic_and_latin_aliases(arabic, latin, slug):
    source = Source.objects.get(slug=slug)
    keys = set(source.aliases.values_list("key", flat=True))
    assert {match_key(name) for name in [*arabic, *latin]} <= keys


# --- a dateline without a year ---------------------------------------------------------------------

# (dateline, reference, the date it names)
# fmt: off
YEARLESS = [
    pytest.param("لندن 5 مارس آذار (رويترز) -", datetime.datetime(2021, 3, 5, 10, 0, tzinfo=UTC),
                 datetime.date(2021, 3, 5), id="same-day"),
    pytest.param("لندن 5 مارس آذار (رويترز) -", datetime.datetime(2021, 3, 4, 22, 0, tzinfo=UTC),
                 datetime.date(2021, 3, 5), id="one-day-ahead-of-filing"),
    pytest.param("لندن 5 مارس آذار (رويترز) -", datetime.datetime(2021, 3, 3, 22, 0, tzinfo=UTC),
                 datetime.date(2020, 3, 5), id="two-days-ahead-is-last-year"),
    pytest.param("سيدني 1 يناير (رويترز) -", datetime.datetime(2021, 12, 31, 14, 0, tzinfo=UTC),
                 datetime.date(2022, 1, 1), id="new-year-in-the-east"),
    pytest.param("باريس 31 ديسمبر (أ ف ب) -", datetime.datetime(2022, 1, 2, 9, 0, tzinfo=UTC),
                 datetime.date(2021, 12, 31), id="ingested-after-new-year"),
    pytest.param("لندن 29 فبراير (رويترز) -", datetime.date(2023, 3, 1),
                 datetime.date(2020, 2, 29), id="leap-day-goes-back-to-a-leap-year"),
    pytest.param("الكويت في 3 مارس (كونا) --", datetime.date(2021, 11, 10),
                 datetime.date(2021, 3, 3), id="preposition-without-a-year"),
    pytest.param("بكين اول سبتمبر (شينخوا) --", datetime.date(2021, 11, 10),
                 datetime.date(2021, 9, 1), id="ordinal-day-without-a-year"),
    pytest.param("لندن ٥ مارس آذار (رويترز) -", datetime.date(2021, 11, 10),
                 datetime.date(2021, 3, 5), id="eastern-arabic-digits"),
]
# fmt: on


@pytest.mark.parametrize(("dateline", "reference", "date"), YEARLESS)
def test_a_dateline_without_a_year_takes_the_latest_such_date_not_more_than_a_day_after_filing(
    dateline, reference, date
):
    story = parse(copy(f"{dateline} نص الخبر"), reference=reference)
    assert story.dateline_date == date
    assert any(w.startswith("inferred the year of the dateline date") and str(date) in w for w in story.warnings)


def test_the_warning_says_which_year_was_inferred_and_from_what():
    story = parse(copy("لندن 5 مارس آذار (رويترز) - نص"), reference=datetime.date(2021, 3, 6))
    assert story.warnings == (
        "inferred the year of the dateline date '5 مارس آذار' from the reference time (2021-03-06): 2021-03-05",
    )


def test_without_a_reference_or_filing_time_no_year_is_guessed():
    story = parse(copy("لندن 5 مارس آذار (رويترز) - نص"))
    assert story.dateline_date is None
    assert story.warnings == ()


def test_a_date_in_the_envelope_wins_over_the_reference():
    story = parse("2020-03-06\n" + copy("لندن 5 مارس آذار (رويترز) - نص"), reference=REFERENCE)
    assert story.dateline_date == datetime.date(2020, 3, 5)
    assert (
        "inferred the year of the dateline date '5 مارس آذار' from the transmission envelope (2020-03-06): 2020-03-05"
        in story.warnings
    )


def test_a_dated_filing_stamp_wins_over_the_reference():
    story = parse(copy("الكويت في 9 نوفمبر (كونا) -- نص", "(النهاية)", "كونا091530 جمت نوف 19"), reference=REFERENCE)
    assert story.dateline_date == datetime.date(2019, 11, 9)


def test_a_time_only_filing_stamp_is_read_on_the_reference_day():
    # ingested ten minutes after midnight UTC; the stamp says 23:50 GMT, so the copy was filed on 31 December
    reference = datetime.datetime(2022, 1, 1, 0, 10, tzinfo=UTC)
    with_stamp = parse(copy("لندن 2 يناير (رويترز) - نص", "23:50 ت غ"), reference=reference)
    without = parse(copy("لندن 2 يناير (رويترز) - نص"), reference=reference)
    assert with_stamp.dateline_date == datetime.date(2021, 1, 2)
    assert without.dateline_date == datetime.date(2022, 1, 2)


def test_an_impossible_day_without_a_year_is_ignored_with_a_warning():
    story = parse(copy("لندن 31 فبراير (رويترز) - نص"), reference=REFERENCE)
    assert story.dateline_date is None
    assert "invalid date in the dateline, ignored: 31 فبراير" in story.warnings


@pytest.mark.parametrize(
    ("day", "month", "filed", "expected"),
    [
        (5, 3, datetime.date(2021, 3, 5), datetime.date(2021, 3, 5)),
        (6, 3, datetime.date(2021, 3, 5), datetime.date(2021, 3, 6)),
        (7, 3, datetime.date(2021, 3, 5), datetime.date(2020, 3, 7)),
        (29, 2, datetime.date(2021, 6, 1), datetime.date(2020, 2, 29)),
        (31, 4, datetime.date(2021, 6, 1), None),
    ],
)
def test_infer_year(day, month, filed, expected):
    assert infer_year(day, month, filed) == expected


def test_a_reference_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="reference must be a datetime or a date"):
        parse(copy("نص"), reference="2021-11-10")


# --- Hijri-only datelines ------------------------------------------------------------------------------

# fmt: off
HIJRI = [
    pytest.param("جدة 25 شوال 1436 هـ واس", "25 شوال 1436 هـ", datetime.date(2015, 8, 10), id="spa-line"),
    pytest.param("الرياض 1 رمضان 1442هـ (واس) - نص", "1 رمضان 1442هـ", datetime.date(2021, 4, 13),
                 id="bracketed-agency"),
    pytest.param("(واس - 15 / 8 / 1436هـ) نص", "15 / 8 / 1436هـ", datetime.date(2015, 6, 2), id="digits"),
    pytest.param("مكة المكرمة ١٠ ذو الحجة ١٤٤٢ هـ واس", "١٠ ذو الحجة ١٤٤٢ هـ", datetime.date(2021, 7, 20),
                 id="eastern-digits-two-word-month"),
]
# fmt: on


@pytest.mark.parametrize(("line", "written", "date"), HIJRI)
def test_a_hijri_only_dateline_is_converted_with_umm_al_qura(line, written, date):
    story = parse(copy(line, "فقرة."), reference=REFERENCE)
    assert story.dateline_date == date
    assert f"converted the Hijri dateline date '{written}' to {date} (Umm al-Qura)" in story.warnings
    assert not any("only a Hijri date" in w for w in story.warnings)


def test_a_hijri_date_beside_a_gregorian_one_is_not_converted():
    story = parse(copy("جدة 25 شوال 1436هـ الموافق 10 أغسطس 2015م واس", "فقرة."), reference=REFERENCE)
    assert story.dateline_date == datetime.date(2015, 8, 10)
    assert story.warnings == ()


def test_a_hijri_date_is_not_converted_without_a_filing_time():
    story = parse(copy("جدة 25 شوال 1436 هـ واس", "فقرة."))
    assert story.dateline_date is None
    assert "the dateline gives only a Hijri date; no Gregorian date was read" in story.warnings


@pytest.mark.parametrize(
    ("line", "warning"),
    [
        ("جدة 25 شوال 1450 هـ واس", "the Hijri date '25 شوال 1450 هـ' (2029-03-10) is after the reference time"),
        ("جدة 25 شوال 1200 هـ واس", "invalid Hijri date in the dateline, ignored: 25 شوال 1200 هـ"),
        ("جدة 31 شوال 1436 هـ واس", "invalid Hijri date in the dateline, ignored: 31 شوال 1436 هـ"),
    ],
)
def test_a_hijri_date_that_cannot_be_right_is_not_used(line, warning):
    story = parse(copy(line, "فقرة."), reference=REFERENCE)
    assert story.dateline_date is None
    assert any(w.startswith(warning) for w in story.warnings)


def test_from_hijri_refuses_years_outside_the_umm_al_qura_table():
    assert from_hijri(1436, 10, 25) == datetime.date(2015, 8, 10)
    with pytest.raises(ValueError, match="1343-1500"):
        from_hijri(1200, 1, 1)


# --- transmission lines ---------------------------------------------------------------------------

# (lines after the story text, warnings, ended)
# fmt: off
TRANSMISSION = [
    pytest.param(["11:53 ت م"], ["removed filing time '11:53 ت م'"], False, id="mecca-time"),
    pytest.param(["08:10 ت غ"], ["removed filing time '08:10 ت غ'"], False, id="gmt"),
    pytest.param(["08:10 ت.غ"], ["removed filing time '08:10 ت.غ'"], False, id="gmt-with-a-dot"),
    pytest.param(["08:10 بتوقيت غرينتش"], ["removed filing time '08:10 بتوقيت غرينتش'"], False, id="gmt-in-words"),
    pytest.param(["0810 GMT"], ["removed filing time '0810 GMT'"], False, id="gmt-in-latin"),
    pytest.param(["11:53 بتوقيت مكة المكرمة"], ["removed filing time '11:53 بتوقيت مكة المكرمة'"], False,
                 id="mecca-time-in-words"),
    pytest.param(["-انتهى-"], ["removed end marker '-انتهى-'"], True, id="end-between-dashes"),
    pytest.param(["(انتهى)"], ["removed end marker '(انتهى)'"], True, id="end-in-brackets"),
    pytest.param(["ـ انتهى ـ"], ["removed end marker 'ـ انتهى ـ'"], True, id="end-between-tatweels"),
    pytest.param(["-انتهى- 11:53 ت م"], ["removed end marker '-انتهى-'", "removed filing time '11:53 ت م'"], True,
                 id="end-and-filing-time"),
    pytest.param(["08:10 ت غ (انتهى)"], ["removed filing time '08:10 ت غ'", "removed end marker '(انتهى)'"], True,
                 id="filing-time-then-end"),
    pytest.param(["NNNN"], ["removed end-of-message line 'NNNN'"], False, id="end-of-message"),
    pytest.param(["(النهاية)", "م ع / ح س"], ["removed end marker '(النهاية)'", "removed desk initials 'م ع / ح س'"],
                 True, id="desk-initials-after-the-end"),
    pytest.param(["(النهاية) م ع / ح س"], ["removed end marker '(النهاية)'", "removed desk initials 'م ع / ح س'"],
                 True, id="desk-initials-beside-the-end"),
    pytest.param(["(النهاية)", "11:53 ت م", "ع ب ج"],
                 ["removed end marker '(النهاية)'", "removed filing time '11:53 ت م'", "removed desk initials 'ع ب ج'"],
                 True, id="desk-initials-after-a-filing-time"),
    pytest.param(["-انتهى-", "091345 GMT NOV 21"],
                 ["removed end marker '-انتهى-'", "removed filing time '091345 GMT NOV 21'"], True,
                 id="dated-stamp"),
    pytest.param(["(النهاية)", "م ع / ح س كونا091530 جمت نوف 21"],
                 ["removed end marker '(النهاية)'", "removed desk initials 'م ع / ح س'",
                  "removed filing time 'كونا091530 جمت نوف 21'"], True, id="initials-and-dated-stamp"),
    pytest.param(["(يتبع)", "11:02 ت م"], ["removed continuation marker '(يتبع)'", "removed filing time '11:02 ت م'"],
                 False, id="continues-then-filing-time"),
]
# fmt: on


@pytest.mark.parametrize(("tail", "warnings", "ended"), TRANSMISSION)
def test_transmission_lines_are_cut_from_the_text_and_reported(tail, warnings, ended):
    story = parse(copy("الكويت (كونا) -- نص الخبر.", "فقرة أخيرة.", *tail))
    assert paragraphs(story) == ["نص الخبر.", "فقرة أخيرة."]
    assert [w for w in story.warnings if w.startswith("removed")] == warnings
    assert story.ended == ended


@pytest.mark.parametrize("line", ["م ع / ح س", "ع ب ج"])
def test_desk_initials_count_only_after_an_end_marker(line):
    story = parse(copy("نص الخبر.", line, "فقرة أخيرة."))
    assert paragraphs(story) == ["نص الخبر.", line, "فقرة أخيرة."]


@pytest.mark.parametrize(
    "line",
    ["في الساعة 08:10 بتوقيت غرينتش وصل الوفد", "هو من هنا", "سطر لاحق.", "ص ب 1234", "NNNN وصل"],
)
def test_text_after_an_end_marker_that_is_no_transmission_line_stays(line):
    story = parse(copy("نص الخبر.", "(النهاية)", line))
    assert paragraphs(story) == ["نص الخبر.", line]
    assert "kept the text that follows the end marker in the last part" in story.warnings


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("11:53 ت م", ["filing time"]),
        ("// يتبع // 11:02 ت م", ["continuation marker", "filing time"]),
        ("(النهاية) م ع / ح س", ["end marker", "desk initials"]),
        ("NNNN", ["end-of-message line"]),
        ("م ع / ح س", None),
        ("يتبع الخبر", None),
        ("(يتبع) (يتبع)", None),
    ],
)
def test_read_line(line, what):
    pieces = read_line(line)
    assert (None if pieces is None else [piece.what for piece in pieces]) == what


# --- envelopes -------------------------------------------------------------------------------------

# (envelope line, rule)
# fmt: off
ENVELOPE_LINES = [
    pytest.param("ZCZC", "start of message", id="zczc"),
    pytest.param("ZCZC QNA0123 3 GEN 0245", "start of message", id="zczc-with-header"),
    pytest.param("QNA0123 3 GEN 0245", "message header", id="iptc-7901-header"),
    pytest.param("a0432 u i BC-Gulf-Oil 11-09 0456", "message header", id="anpa-1312-header"),
    pytest.param("PRIORITY: 3", "priority", id="priority"),
    pytest.param("URGENT", "priority", id="urgent"),
    pytest.param("CATEGORY: POL", "category", id="category"),
    pytest.param("0456 words", "word count", id="word-count"),
    pytest.param("(456 كلمة)", "word count", id="word-count-in-arabic"),
    pytest.param("KEYWORDS: GULF, OIL, PRICES", "keyword line", id="keywords"),
    pytest.param("Gulf-Oil-Prices", "slug", id="slug"),
    pytest.param("BC-Mideast-Talks", "slug", id="anpa-slug"),
    pytest.param("2021-11-09T08:10Z", "date", id="iso-date"),
    pytest.param("DATE: 09/11/2021", "date", id="date-line"),
    pytest.param("WAM", "agency", id="agency-code"),
]
# fmt: on


@pytest.mark.parametrize(("line", "rule"), ENVELOPE_LINES)
def test_envelope_lines_before_the_headline_are_cut_and_reported(line, rule):
    story = parse(f"{line}\nعنوان الخبر\nنص الخبر.")
    assert story.headline == "عنوان الخبر"
    assert paragraphs(story) == ["نص الخبر."]
    assert story.warnings[0] == f"removed envelope {rule} '{line}'"


def test_a_whole_envelope_is_cut_and_lends_its_date_and_agency():
    text = "\n".join(
        [
            "ZCZC",
            "QNA0123 3 GEN 0245",
            "Qatar-Economy",
            "2021-11-09",
            "0245 words",
            "عنوان الخبر",
            "نص بلا دلالة.",
            "NNNN",
        ]
    )
    story = parse(text)
    assert story.headline == "عنوان الخبر"
    assert paragraphs(story) == ["نص بلا دلالة."]
    assert names(story) == ["QNA"]
    assert story.dateline_date == datetime.date(2021, 11, 9)
    assert "took the source 'QNA' from the transmission envelope" in story.warnings
    assert "took the date 2021-11-09 from the transmission envelope, as the dateline gives none" in story.warnings


def test_the_dateline_wins_over_the_envelope():
    story = parse("ZCZC QNA0123 3 GEN 0245\n2021-11-09\n" + copy("الدوحة 3 مارس 2020 (قنا) - نص."))
    assert names(story) == ["قنا"]
    assert story.dateline_date == datetime.date(2020, 3, 3)


@pytest.mark.parametrize(
    "first",
    ["Next Previous", "COVID 19 في العالم", "عنوان الخبر", "19:22 ت م", "Gulf Oil Prices", "XYZ"],
)
def test_a_first_line_that_is_no_envelope_line_stays(first):
    assert read_envelope([first, "نص"]).lines == ()


def test_a_filing_stamp_counts_as_envelope_only_after_another_envelope_line():
    assert read_envelope(["ZCZC", "08:10 ت غ", "عنوان", "نص"]).lines == (
        ("start of message", "ZCZC"),
        ("filing time", "08:10 ت غ"),
    )
    with pytest.raises(WireError, match=r"^no headline: the first non-blank line is a marker$"):
        parse("08:10 ت غ\nعنوان\nنص")


def test_the_envelope_leaves_the_last_line_for_the_headline():
    with pytest.raises(WireError, match=r"^no body"):
        parse("ZCZC\nQNA0123 3 GEN 0245")


# --- words that look like dates, with a reference ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "قال زعيم تحالف 14 آذار إن الانتخابات جرت بهدوء.",
        "ستحفر الشركة 9 آبار جديدة في الصحراء.",
        "تتناول الدراسة 5 جوانب من الأزمة.",
        "تقام المباراة على ملعب 5 جويلية في العاصمة.",
        "وصل الوفد في 3 مارس إلى العاصمة.",
        "وقعت الحادثة في 25 شوال 1436 هـ في مكة.",
    ],
)
def test_words_that_look_like_dates_stay_text_even_with_a_reference(body):
    story = parse(copy(body), reference=REFERENCE)
    assert story.dateline_date is None
    assert story.dateline == ""
    assert paragraphs(story) == [body]
    assert story.warnings == ()


def test_a_dateline_without_a_date_takes_none_from_the_reference():
    story = parse(copy("واس- جدة: ستحفر الشركة 9 آبار في 5 جوانب."), reference=REFERENCE)
    assert story.dateline_date is None


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("أفكارك وتعليقاتك", "comments prompt"),
        ("أفكـارك وتعليقـاتك", "comments prompt"),
        ("\u200fافكارك وتعليقاتك", "comments prompt"),
        ("ﺃﻓﻜﺎﺭﻙ ﻭﺗﻌﻠﻴﻘﺎﺗﻚ", "comments prompt"),
        ("* مقـالات ذات صلة", "link list"),
        ("ﻣﻘﺎﻻت ذات صلة", "link list"),
        ("يمكنكم استلام إشعارات بأهم الأخبار", "app notice"),
        ("قال المتحدث إن التعليقات كثيرة", ""),
    ],
)
def test_site_furniture_is_found_in_every_spelling_its_matching_key_folds(line, what):
    assert site_furniture(line) == what
