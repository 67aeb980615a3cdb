"""Dates as readers write them (articles/formats/dates.py, articles/templatetags/dates.py): CLDR patterns per
interface language, the Arabic month-name sets and digits, the Hijri date, relative times, the pages."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation
from hijridate import Hijri

from articles.checks import check_settings
from articles.formats.dates import (
    DateStyle,
    format_date,
    format_datetime,
    format_hijri,
    format_relative,
    iso,
    month_names,
)
from articles.models import Comment, Correction
from newsroom.settings import env_choice

from .factories import ArticleFactory, PartFactory

RIYADH = ZoneInfo("Asia/Riyadh")
DAY = datetime.date(2026, 11, 30)
# 11:23 in UTC is 14:23 in Riyadh.
MOMENT = datetime.datetime(2026, 11, 30, 11, 23, tzinfo=datetime.UTC)
# An Arabic month name, then a day and a comma: the English pattern with Arabic words this replaces.
ENGLISH_PATTERN = re.compile(r"[\u0621-\u064a]+ [0-9٠-٩]{1,2}, [0-9٠-٩]{4}")


def style(**options) -> DateStyle:
    return DateStyle(zone=RIYADH, **options)


@pytest.mark.parametrize(
    ("language", "months", "digits", "expected"),
    [
        ("ar", "egyptian", "latn", "30 نوفمبر 2026"),
        ("ar", "egyptian", "arab", "٣٠ نوفمبر ٢٠٢٦"),
        ("ar", "levantine", "latn", "30 تشرين الثاني 2026"),
        ("ar", "levantine", "arab", "٣٠ تشرين الثاني ٢٠٢٦"),
        ("ar", "both", "latn", "30 تشرين الثاني/نوفمبر 2026"),
        ("ar", "both", "arab", "٣٠ تشرين الثاني/نوفمبر ٢٠٢٦"),
        ("ar", "maghreb", "latn", "30 نونبر 2026"),
        ("ar", "maghreb", "arab", "٣٠ نونبر ٢٠٢٦"),
        # The month set is Arabic's; English and Urdu keep their own names whatever it says.
        ("en", "egyptian", "latn", "November 30, 2026"),
        ("en", "levantine", "arab", "November 30, 2026"),  # English digits stay 0-9
        ("ur", "egyptian", "latn", "30 نومبر، 2026"),
        ("ur", "both", "arab", "۳۰ نومبر، ۲۰۲۶"),  # Urdu's own (Extended) digits, not ٣٠ ٢٠٢٦
    ],
)
def test_a_date_in_each_language_month_set_and_digits(language, months, digits, expected):
    assert format_date(DAY, language=language, style=style(month_names=months, digits=digits)) == expected


@pytest.mark.parametrize(
    ("language", "digits", "expected"),
    [
        ("ar", "latn", "30 نوفمبر 2026، 2:23 م"),
        ("ar", "arab", "٣٠ نوفمبر ٢٠٢٦، ٢:٢٣ م"),
        ("en", "latn", "November 30, 2026, 2:23\u202fPM"),  # CLDR: a narrow no-break space before PM
        ("ur", "latn", "30 نومبر، 2026 2:23 PM"),
        ("ur", "arab", "۳۰ نومبر، ۲۰۲۶ ۲:۲۳ PM"),
    ],
)
def test_a_moment_is_the_long_date_and_the_short_time_in_the_site_zone(language, digits, expected):
    assert format_datetime(MOMENT, language=language, style=style(digits=digits)) == expected


def test_no_arabic_date_follows_the_english_pattern():
    for months in ("egyptian", "levantine", "both", "maghreb"):
        for digits in ("latn", "arab"):
            text = format_datetime(MOMENT, language="ar", style=style(month_names=months, digits=digits))
            assert not ENGLISH_PATTERN.search(text), text


@pytest.mark.parametrize(
    ("months", "names"),
    [
        ("egyptian", "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"),
        (
            "levantine",
            "كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني كانون_الأول",
        ),
        ("maghreb", "يناير فبراير مارس أبريل ماي يونيو يوليوز غشت شتنبر أكتوبر نونبر دجنبر"),
    ],
)
def test_each_month_set_has_its_twelve_names(months, names):
    assert month_names(months) == tuple(name.replace("_", " ") for name in names.split())


def test_both_pairs_the_levantine_name_with_the_egyptian_one():
    assert month_names("both")[0] == "كانون الثاني/يناير"
    assert month_names("both")[7] == "آب/أغسطس"
    assert month_names("both")[10] == "تشرين الثاني/نوفمبر"


@pytest.mark.parametrize(
    ("moment", "zone", "day", "shown_iso"),
    [
        # 20:59 UTC is 23:59 in Riyadh: still the 30th; a minute later it is 1 December there.
        (datetime.datetime(2026, 11, 30, 20, 59, tzinfo=datetime.UTC), "Asia/Riyadh", "30 نوفمبر 2026", None),
        (
            datetime.datetime(2026, 11, 30, 21, 0, tzinfo=datetime.UTC),
            "Asia/Riyadh",
            "1 ديسمبر 2026",
            "2026-12-01T00:00:00+03:00",
        ),
        # Shown in UTC, half past one on New Year's night in Riyadh is still 2026 there.
        (
            datetime.datetime(2027, 1, 1, 1, 30, tzinfo=RIYADH),
            "UTC",
            "31 ديسمبر 2026",
            "2026-12-31T22:30:00+00:00",
        ),
        (datetime.datetime(2026, 12, 1, 3, 0, tzinfo=datetime.UTC), "America/New_York", "30 نوفمبر 2026", None),
    ],
)
def test_the_day_is_the_day_in_the_site_zone(moment, zone, day, shown_iso):
    site = DateStyle(zone=ZoneInfo(zone))
    assert format_date(moment, language="ar", style=site) == day
    assert format_hijri(moment, language="ar", style=site).endswith("هـ")
    if shown_iso:
        assert iso(moment, style=site) == shown_iso


def test_iso_is_a_date_for_a_day_and_a_moment_with_its_offset_for_a_moment():
    assert iso(DAY, style=style()) == "2026-11-30"
    assert iso(MOMENT, style=style()) == "2026-11-30T14:23:00+03:00"


@pytest.mark.parametrize("call", [format_date, format_datetime, format_hijri])
def test_a_naive_datetime_is_refused(call):
    with pytest.raises(ValueError, match="naive"):
        call(datetime.datetime(2026, 11, 30, 11, 23), language="ar", style=style())


def test_a_naive_now_or_moment_is_refused_by_relative_times():
    with pytest.raises(ValueError, match="naive"):
        format_relative(MOMENT, now=datetime.datetime(2026, 11, 30, 12), language="ar", style=style())


def test_unknown_style_values_are_refused():
    with pytest.raises(ValueError, match="month names 'syrian'"):
        style(month_names="syrian")
    with pytest.raises(ValueError, match="digits 'eastern'"):
        style(digits="eastern")


@pytest.mark.parametrize(
    ("language", "digits", "expected"),
    [
        ("ar", "latn", "20 جمادى الآخرة 1448 هـ"),
        ("ar", "arab", "٢٠ جمادى الآخرة ١٤٤٨ هـ"),
        ("en", "latn", "Jumada al-Akhirah 20, 1448 AH"),
        ("ur", "latn", "20 جمادی الثانی، 1448 ہجری"),
        ("ur", "arab", "۲۰ جمادی الثانی، ۱۴۴۸ ہجری"),
    ],
)
def test_the_hijri_date_in_each_language(language, digits, expected):
    assert Hijri(1448, 6, 20).to_gregorian() == DAY  # Umm al-Qura: 30 November 2026 is 20 Jumada al-Akhirah
    assert format_hijri(DAY, language=language, style=style(digits=digits)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # As the Saudi Press Agency dates its copy: «25 شوال 1436هـ الموافق 10 أغسطس 2015م».
        (datetime.date(2015, 8, 10), "25 شوال 1436 هـ"),
        (datetime.date(2015, 8, 11), "26 شوال 1436 هـ"),
    ],
)
def test_the_hijri_date_agrees_with_wire_copy(day, expected):
    assert format_hijri(day, language="ar", style=style()) == expected


def test_no_hijri_date_outside_the_umm_al_qura_table():
    assert format_hijri(datetime.date(2090, 1, 1), language="ar", style=style()) is None
    assert format_hijri(datetime.date(1900, 1, 1), language="ar", style=style()) is None


@pytest.mark.parametrize(
    ("elapsed", "language", "digits", "expected"),
    [
        (datetime.timedelta(hours=1), "ar", "latn", "منذ ساعة واحدة"),
        (datetime.timedelta(hours=2), "ar", "latn", "منذ ساعتين"),
        (datetime.timedelta(hours=3), "ar", "latn", "منذ 3 ساعات"),
        (datetime.timedelta(hours=11), "ar", "latn", "منذ 11 ساعة"),
        (datetime.timedelta(hours=3), "ar", "arab", "منذ ٣ ساعات"),
        (datetime.timedelta(hours=11), "ar", "arab", "منذ ١١ ساعة"),
        (datetime.timedelta(hours=21), "ar", "latn", "منذ 21 ساعة"),  # not rounded up to a day
        (datetime.timedelta(days=2), "ar", "latn", "منذ يومين"),
        (datetime.timedelta(days=4), "ar", "latn", "منذ 4 أيام"),
        (datetime.timedelta(minutes=2), "ar", "latn", "منذ دقيقتين"),
        (datetime.timedelta(seconds=20), "ar", "latn", "الآن"),
        (datetime.timedelta(hours=1), "en", "latn", "1 hour ago"),
        (datetime.timedelta(hours=2), "en", "arab", "2 hours ago"),
        (datetime.timedelta(seconds=20), "en", "latn", "now"),
        (datetime.timedelta(hours=1), "ur", "latn", "1 گھنٹہ پہلے"),
        (datetime.timedelta(hours=3), "ur", "latn", "3 گھنٹے پہلے"),
        (datetime.timedelta(hours=11), "ur", "arab", "۱۱ گھنٹے پہلے"),
    ],
)
def test_relative_times_with_the_languages_plural_forms(elapsed, language, digits, expected):
    text = format_relative(MOMENT - elapsed, now=MOMENT, language=language, style=style(digits=digits))
    assert text == expected


@pytest.mark.parametrize("language", ["ar", "en", "ur"])
def test_kept_relative_words_are_babels_for_every_elapsed_time_of_the_week(language):
    """format_relative keeps Babel's words by the unit and count Babel picks (formats.dates._ago): across a
    week, second by second at the unit boundaries and every 37 s between, they are what Babel says of that very
    time, so a Babel that picked or rounded otherwise fails here."""
    from babel import dates as cldr

    from articles.formats import dates

    boundaries = [60, 89.5, 90, 90.5, 3570, 3600, 5399.5, 5400, 84600, 86400, 129600, 561600, 604799]
    times = sorted({*range(60, 7 * 86400, 37), *boundaries, *(b + d for b in boundaries for d in (-1, 1))})
    dates._AGO.clear()
    for seconds in times:
        elapsed = datetime.timedelta(seconds=seconds)
        kept = dates._ago(elapsed, dates._locale(language))
        said = cldr.format_timedelta(-elapsed, threshold=1, add_direction=True, locale=dates._locale(language))
        assert kept == said.replace("قبل ", "منذ ", 1), seconds
    assert len(dates._AGO) < 150  # a bounded number of words, not one per second


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (MOMENT - datetime.timedelta(days=7), "23 نوفمبر 2026"),  # a week old: the date
        (MOMENT - datetime.timedelta(days=400), "26 أكتوبر 2025"),
        (MOMENT + datetime.timedelta(hours=2), "30 نوفمبر 2026"),  # still to come: never "in 2 hours"
        (DAY, "30 نوفمبر 2026"),  # a day has no time to count from
    ],
)
def test_relative_times_fall_back_to_the_date(moment, expected):
    assert format_relative(moment, now=MOMENT, language="ar", style=style()) == expected


def test_env_choice_reads_a_choice_in_any_case_and_refuses_a_typo(monkeypatch):
    name = "NEWSROOM_TEST_CHOICE"
    monkeypatch.delenv(name, raising=False)
    assert env_choice(name, "latn", ("latn", "arab")) == "latn"
    monkeypatch.setenv(name, " Arab ")
    assert env_choice(name, "latn", ("latn", "arab")) == "arab"
    monkeypatch.setenv(name, "arabic")
    with pytest.raises(ImproperlyConfigured) as error:
        env_choice(name, "latn", ("latn", "arab"))
    assert name in str(error.value) and "'arabic'" in str(error.value) and "latn, arab" in str(error.value)


def test_the_default_date_settings_pass_the_checks(settings):
    assert (settings.NEWSROOM_MONTH_NAMES, settings.NEWSROOM_DIGITS, settings.NEWSROOM_HIJRI_DATE) == (
        "egyptian",
        "latn",
        False,
    )
    assert [error for error in check_settings() if error.id == "newsroom.E005"] == []


@pytest.mark.parametrize(
    ("setting", "value"),
    [("NEWSROOM_MONTH_NAMES", "syrian"), ("NEWSROOM_DIGITS", "eastern"), ("NEWSROOM_HIJRI_DATE", "yes")],
)
def test_a_date_setting_outside_its_choices_fails_the_checks(setting, value):
    with override_settings(**{setting: value}):
        errors = [error for error in check_settings() if error.id == "newsroom.E005"]
    assert len(errors) == 1 and errors[0].obj == setting and repr(value) in errors[0].msg


# The tags, in templates


def render(source: str, language: str = "ar", **context) -> str:
    with translation.override(language):
        return Template("{% load dates %}" + source).render(Context(context))


@override_settings(TIME_ZONE="Asia/Riyadh")
def test_story_date_is_a_time_element_with_the_exact_date():
    html = render("{% story_date when %}", when=MOMENT)
    assert html == ('<time lang="ar" dir="rtl" datetime="2026-11-30T14:23:00+03:00">30 نوفمبر 2026، 2:23 م</time>')
    assert render("{% story_date when %}", "en", when=DAY) == (
        '<time lang="en" dir="ltr" datetime="2026-11-30">November 30, 2026</time>'
    )


@override_settings(TIME_ZONE="Asia/Riyadh")
def test_relative_time_says_how_long_ago_with_the_exact_date_in_its_title():
    two_hours_ago = timezone.now() - datetime.timedelta(hours=2)
    html = render("{% relative_time when %}", when=two_hours_ago)
    assert ">منذ ساعتين</time>" in html
    assert f'datetime="{two_hours_ago.astimezone(RIYADH).isoformat(timespec="seconds")}"' in html
    exact = format_datetime(two_hours_ago, language="ar", style=style())
    assert f'title="{exact}"' in html


def test_relative_texts_say_each_moment_once_a_second_as_at_the_seconds_end(monkeypatch):
    """A moment is said as at the end of the current second (a moment of this very second is "now", never still
    to come), once a second per language and date style: a page's related stories, shared by most pages, are
    not said again for each."""
    from articles.formats import dates as formats
    from articles.templatetags import dates as tags

    said = []
    real = formats.format_relative
    monkeypatch.setattr(formats, "format_relative", lambda *a, **k: said.append(k["now"]) or real(*a, **k))
    start = datetime.datetime(2026, 11, 30, 11, 23, 5, 250_000, tzinfo=datetime.UTC)
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    posted = start - datetime.timedelta(microseconds=100_000)  # earlier in the same second
    hours_ago = start - datetime.timedelta(hours=2)
    with translation.override("ar"):
        assert tags.relative_texts()(posted) == "الآن"
        clock["now"] = start + datetime.timedelta(microseconds=600_000)  # later in the same second
        assert tags.relative_texts()(hours_ago) == tags.relative_texts()(hours_ago) == "منذ ساعتين"
        assert said == [start.replace(microsecond=0) + datetime.timedelta(seconds=1)] * 2
        with override_settings(NEWSROOM_DIGITS="arab"):  # another date style: said again
            assert tags.relative_texts()(hours_ago) == "منذ ساعتين"
        with translation.override("en"):  # another language: said again
            assert tags.relative_texts()(hours_ago) == "2 hours ago"
        assert len(said) == 4
        clock["now"] = start + datetime.timedelta(seconds=1)  # the next second: said again
        assert tags.relative_texts()(hours_ago) == "منذ ساعتين"
        assert len(said) == 5 and said[-1] == start.replace(microsecond=0) + datetime.timedelta(seconds=2)
    # A whole second is its own end.
    assert tags._second_end(start.replace(microsecond=0)) == start.replace(microsecond=0)


def test_the_tags_render_nothing_for_no_date():
    for tag in ("story_date", "relative_time", "hijri_date"):
        assert render(f"{{% {tag} when %}}", when=None) == ""
    assert render("{{ when|exact_date }}", when="") == ""


@override_settings(NEWSROOM_HIJRI_DATE=True, NEWSROOM_DIGITS="arab")
def test_hijri_date_renders_only_when_the_setting_asks_for_it():
    assert render("{% hijri_date when %}", when=DAY) == (
        '<time class="hijri" lang="ar" dir="rtl" datetime="2026-11-30">٢٠ جمادى الآخرة ١٤٤٨ هـ</time>'
    )
    with override_settings(NEWSROOM_HIJRI_DATE=False):
        assert render("{% hijri_date when %}", when=DAY) == ""


@override_settings(NEWSROOM_MONTH_NAMES="both")
def test_exact_date_is_plain_text_for_sentences():
    assert render("{{ when|exact_date }}", when=DAY) == "30 تشرين الثاني/نوفمبر 2026"


# The pages


def times(html: str) -> list[str]:
    return re.findall(r"<time[^>]*>[^<]*</time>", html)


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_the_arabic_home_page_says_how_long_ago_a_story_was_published(client):
    published_at = timezone.now() - datetime.timedelta(hours=2)
    ArticleFactory(published=True, headline="خبر قبل ساعتين", published_at=published_at)

    html = client.get("/").content.decode()

    [card] = [time for time in times(html) if "منذ" in time]
    assert card.endswith(">منذ ساعتين</time>")
    assert f'datetime="{published_at.astimezone(RIYADH).isoformat(timespec="seconds")}"' in card
    assert 'lang="ar" dir="rtl"' in card
    assert not ENGLISH_PATTERN.search(html)


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_an_older_story_shows_its_date_in_the_site_zone_across_midnight(client):
    # 21:30 UTC on 4 March is 00:30 on 5 March in Riyadh.
    ArticleFactory(published=True, published_at=datetime.datetime(2025, 3, 4, 21, 30, tzinfo=datetime.UTC))

    html = client.get("/").content.decode()

    assert (
        '<time title="5 مارس 2025، 12:30 ص" lang="ar" dir="rtl" datetime="2025-03-05T00:30:00+03:00">5 مارس 2025</time>'
    ) in html
    assert not ENGLISH_PATTERN.search(html)


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_the_story_page_shows_the_datelines_date_as_the_copys_date(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert seed_story.dateline_date == datetime.date(2020, 9, 28)
    assert '<time lang="ar" dir="rtl" datetime="2020-09-28">28 سبتمبر 2020</time>' in html
    published = seed_story.published_at.astimezone(RIYADH)
    assert f'datetime="{published.isoformat(timespec="seconds")}"' in html
    assert format_datetime(seed_story.published_at, language="ar", style=style()) in html
    assert 'class="hijri"' not in html
    assert not ENGLISH_PATTERN.search(html)


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_the_story_page_follows_the_month_digit_and_hijri_settings(client, seed_story, settings):
    settings.NEWSROOM_MONTH_NAMES, settings.NEWSROOM_DIGITS, settings.NEWSROOM_HIJRI_DATE = "levantine", "arab", True

    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert '<time lang="ar" dir="rtl" datetime="2020-09-28">٢٨ أيلول ٢٠٢٠</time>' in html
    # 28 September 2020 was 11 Safar 1442 (Umm al-Qura).
    assert '<time class="hijri" lang="ar" dir="rtl" datetime="2020-09-28">١١ صفر ١٤٤٢ هـ</time>' in html
    assert not ENGLISH_PATTERN.search(html)


@pytest.mark.django_db
def test_the_story_page_in_english_and_urdu_uses_their_patterns(client, seed_story, settings):
    english = client.get(seed_story.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert '<time lang="en" dir="ltr" datetime="2020-09-28">September 28, 2020</time>' in english

    settings.NEWSROOM_DIGITS = "arab"
    urdu = client.get(seed_story.get_absolute_url(), headers={"accept-language": "ur"}).content.decode()
    assert '<time lang="ur" dir="rtl" datetime="2020-09-28">۲۸ ستمبر، ۲۰۲۰</time>' in urdu


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_a_story_without_a_dateline_date_shows_its_publication_with_the_hijri_date(client, settings):
    settings.NEWSROOM_HIJRI_DATE = True
    article = ArticleFactory(published=True, published_at=datetime.datetime(2026, 11, 30, 11, 23, tzinfo=datetime.UTC))
    PartFactory(article=article, number=1)

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<time lang="ar" dir="rtl" datetime="2026-11-30T14:23:00+03:00">30 نوفمبر 2026، 2:23 م</time>' in html
    assert '<time class="hijri" lang="ar" dir="rtl" datetime="2026-11-30">20 جمادى الآخرة 1448 هـ</time>' in html


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_corrections_and_comments_are_dated_in_arabic(client, seed_story):
    Correction.objects.create(
        article=seed_story, note="صُحّح الاسم.", created_at=datetime.datetime(2026, 11, 30, 11, 23, tzinfo=datetime.UTC)
    )
    Comment.objects.create(article=seed_story, name="قارئ", body="تعليق.", status=Comment.Status.APPROVED)

    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert (
        '<p class="correction"><time lang="ar" dir="rtl" datetime="2026-11-30T14:23:00+03:00">'
        "30 نوفمبر 2026، 2:23 م</time>: صُحّح الاسم.</p>"
    ) in html
    assert any(time.endswith(">الآن</time>") and "title=" in time for time in times(html))
    assert not ENGLISH_PATTERN.search(html)


@pytest.mark.django_db
@pytest.mark.arabic_default
def test_search_results_say_how_long_ago(client, django_capture_on_commit_callbacks, seed_text):
    from articles.services.ingest import ingest

    with django_capture_on_commit_callbacks(execute=True):
        story = ingest(text=seed_text, publish=True).article

    html = client.get("/search/", {"q": story.headline.split()[0]}).content.decode()

    assert story.headline in html
    assert any(time.endswith(">الآن</time>") for time in times(html))
    assert not ENGLISH_PATTERN.search(html)
