"""NEWSROOM_DIGITS=arab writes every number of the Arabic-script interfaces in their own digits, as their dates
are: part and page numbers, the notes' numbers, the search's counts (docs/dates.md, "Digits"). A reader's own
text (a query, a comment) is never changed, and the English interface keeps 0-9."""

import pytest
from django.template import Context, Template
from django.utils import translation

from articles.services import parts as part_services
from articles.services import stories

pytestmark = pytest.mark.django_db


def rendered(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load dates %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("digits", "language", "expected"),
    [
        ("arab", "ar", "١٢٠٣٤٥٦٧٨٩"),
        ("arab", "ur", "۱۲۰۳۴۵۶۷۸۹"),
        ("arab", "en", "1203456789"),
        ("latn", "ar", "1203456789"),
        ("latn", "ur", "1203456789"),
    ],
)
def test_the_digits_filter_writes_the_interfaces_own_digits(settings, digits, language, expected):
    settings.NEWSROOM_DIGITS = digits

    assert rendered("{{ n|digits }}", language, n=1203456789) == expected


@pytest.mark.parametrize(
    ("digits", "language", "expected"),
    [("arab", "ar", "arab"), ("arab", "ur", "arabext"), ("arab", "en", "latn"), ("latn", "ar", "latn")],
)
def test_the_numbering_names_the_system_a_list_s_markers_follow(settings, digits, language, expected):
    settings.NEWSROOM_DIGITS = digits

    assert rendered("{% numbering %}", language) == expected


def test_nothing_is_written_for_no_number(settings):
    settings.NEWSROOM_DIGITS = "arab"

    assert rendered("[{{ none|digits }}][{{ empty|digits }}]", "ar", none=None, empty="") == "[][]"


@pytest.fixture
def story_in_parts():
    return stories.create_story(
        headline="قمة إقليمية في الدوحة",
        parts=[part_services.NewPart(body="الجزء الأول من الخبر."), part_services.NewPart(body="الجزء الثاني.")],
        publish=True,
    )


@pytest.mark.arabic_default
def test_a_story_s_parts_are_numbered_in_arabic_digits(client, settings, story_in_parts):
    settings.NEWSROOM_DIGITS = "arab"

    html = client.get(story_in_parts.get_absolute_url()).content.decode()

    assert "الجزء ٢ من ٢" in html
    assert 'id="part-2"' in html  # addresses keep their ASCII digits


def test_a_story_s_parts_keep_0_9_in_the_english_interface(client, settings, story_in_parts):
    settings.NEWSROOM_DIGITS = "arab"

    html = client.get(story_in_parts.get_absolute_url(), headers={"accept-language": "en"}).content.decode()

    assert "Part 2 of 2" in html


@pytest.mark.arabic_default
def test_the_search_count_is_in_arabic_digits_and_the_query_as_typed(client, settings):
    settings.NEWSROOM_DIGITS = "arab"
    for n in range(3):
        stories.create_story(
            headline=f"خبر 2026 رقم {n}", parts=[part_services.NewPart(body="كلمةنادرة 2026")], publish=True
        )
    from articles.services import search

    for article in stories.Article.objects.all():
        search.index_story(article.pk)

    html = client.get("/search/", {"q": "كلمةنادرة 2026"}).content.decode()

    assert "٣ أخبار عن «\u2068كلمةنادرة 2026\u2069»." in html


@pytest.mark.arabic_default
def test_the_pages_of_a_list_are_numbered_in_arabic_digits(client, settings):
    settings.NEWSROOM_DIGITS = "arab"
    section = None
    for n in range(25):
        article = stories.create_story(
            headline=f"خبر اقتصادي {n}", section="اقتصاد", parts=[part_services.NewPart(body="نص.")], publish=True
        )
        section = article.section

    html = client.get(f"/sections/{section.slug}/").content.decode()

    assert "الصفحة ١ من ٢" in html


@pytest.mark.arabic_default
def test_a_note_s_reference_and_its_marker_follow_the_digits(client, settings, story_in_parts):
    from articles.services import annotations as annotation_services

    settings.NEWSROOM_DIGITS = "arab"
    annotation_services.create_annotation(
        article=story_in_parts, part_number=1, exact="الجزء الأول", body="ملاحظة.", purpose="describing"
    )

    html = client.get(story_in_parts.get_absolute_url()).content.decode()

    assert 'aria-describedby="note-1">١</a>' in html
    assert '<ol class="notes notes--arab"' in html
    assert '<li id="note-1" value="1"' in html  # the marker's value and the address stay ASCII; CSS draws ١
