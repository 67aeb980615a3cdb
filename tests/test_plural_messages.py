"""Messages that count something agree the noun with the number: Arabic has six plural forms (zero, one,
two, 3–10, 11–99, 100 and up), Urdu two; a message built without ngettext reads one form for every number."""

import html
import re
from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import search, stories

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'<p class="search-count" role="status">(.*?)</p>', re.S)
BACK_AR = "تُعرض أحدثها؛ اختر تواريخ للبحث في ما هو أقدم."
BACK_UR = "تازہ ترین دکھائی گئی ہیں؛ مزید پیچھے دیکھنے کے لیے تاریخیں منتخب کریں۔"
BACK_EN = "the newest are shown; choose dates to look further back."


@pytest.fixture
def story():
    return stories.create_story(headline="قلق", parts=[part_services.NewPart(body="نص الخبر.")], publish=True)


def refusal(story, language: str, **fields) -> str:
    """The reason a comment is refused, in `language`."""
    comment = {"name": "ليلى", "body": "تعليق.", **fields}
    with translation.override(language), pytest.raises(comment_services.CommentRefused) as refused:
        comment_services.post_comment(article=story, **comment)
    return refused.value.message


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("ar", 0, "تُغلق التعليقات فور نشر الخبر."),
        ("ar", 1, "تُغلق التعليقات بعد يوم واحد من نشر الخبر."),
        ("ar", 2, "تُغلق التعليقات بعد يومين من نشر الخبر."),
        ("ar", 3, "تُغلق التعليقات بعد 3 أيام من نشر الخبر."),
        ("ar", 11, "تُغلق التعليقات بعد 11 يومًا من نشر الخبر."),
        ("ar", 100, "تُغلق التعليقات بعد 100 يوم من نشر الخبر."),
        ("ar", 103, "تُغلق التعليقات بعد 103 أيام من نشر الخبر."),
        ("ur", 1, "خبر شائع ہونے کے 1 دن بعد تبصرے بند ہو جاتے ہیں۔"),
        ("ur", 2, "خبر شائع ہونے کے 2 دن بعد تبصرے بند ہو جاتے ہیں۔"),
        ("en", 1, "Comments close 1 day after a story is published."),
        ("en", 2, "Comments close 2 days after a story is published."),
    ],
)
def test_comments_close_after_days(story, settings, language, days, expected):
    settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = days
    later = story.published_at + timedelta(days=days + 1)

    with translation.override(language):
        assert comment_services.closed_because(story, now=later) == expected


@pytest.mark.parametrize(
    ("language", "limit", "expected"),
    [
        ("ar", 1, "الحد الأقصى لطول الاسم محرف واحد."),
        ("ar", 2, "الحد الأقصى لطول الاسم محرفان."),
        ("ar", 3, "الحد الأقصى لطول الاسم 3 محارف."),
        ("ar", 11, "الحد الأقصى لطول الاسم 11 محرفًا."),
        ("ar", 100, "الحد الأقصى لطول الاسم 100 محرف."),
        ("ur", 1, "نام زیادہ سے زیادہ 1 حرف کا ہو سکتا ہے۔"),
        ("ur", 2, "نام زیادہ سے زیادہ 2 حروف کا ہو سکتا ہے۔"),
        ("en", 1, "A name has at most 1 character."),
        ("en", 2, "A name has at most 2 characters."),
    ],
)
def test_a_long_name_is_refused_with_the_limit(story, monkeypatch, language, limit, expected):
    monkeypatch.setattr(comment_services, "MAX_NAME", limit)

    assert refusal(story, language, name="ب" * (limit + 1)) == expected


@pytest.mark.parametrize(
    ("language", "limit", "expected"),
    [
        ("ar", 1, "الحد الأقصى لطول التعليق محرف واحد؛ وفي هذا 2."),
        ("ar", 2, "الحد الأقصى لطول التعليق محرفان؛ وفي هذا 3."),
        ("ar", 3, "الحد الأقصى لطول التعليق 3 محارف؛ وفي هذا 4."),
        ("ar", 11, "الحد الأقصى لطول التعليق 11 محرفًا؛ وفي هذا 12."),
        ("ar", 100, "الحد الأقصى لطول التعليق 100 محرف؛ وفي هذا 101."),
        ("ar", 5000, "الحد الأقصى لطول التعليق 5000 محرف؛ وفي هذا 5001."),
        ("ur", 1, "تبصرہ زیادہ سے زیادہ 1 حرف کا ہو سکتا ہے؛ اس میں 2 ہیں۔"),
        ("ur", 2, "تبصرہ زیادہ سے زیادہ 2 حروف کا ہو سکتا ہے؛ اس میں 3 ہیں۔"),
        ("en", 1, "A comment has at most 1 character; this one has 2."),
        ("en", 2, "A comment has at most 2 characters; this one has 3."),
    ],
)
def test_a_long_comment_is_refused_with_the_limit_and_its_length(story, monkeypatch, language, limit, expected):
    monkeypatch.setattr(comment_services, "MAX_BODY", limit)

    assert refusal(story, language, body="ب" * (limit + 1)) == expected


def count_sentence(language: str, count: int, *, more: bool) -> str:
    """The search page's sentence counting what was found, as rendered in `language` for a search for قلق."""
    context = {
        "search_query": search.parse("قلق"),
        "filters": {},
        "page": Paginator([1], 20).get_page(1),
        "results": [],
        "count": count,
        "more": more,
    }
    with translation.override(language):
        page = render_to_string("articles/search.html", context, request=RequestFactory().get("/search/"))
    return html.unescape(COUNT.search(page).group(1))


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("ar", 1, f"عُثر على أكثر من خبر واحد عن «\u2068قلق\u2069»: {BACK_AR}"),
        ("ar", 2, f"عُثر على أكثر من خبرين عن «\u2068قلق\u2069»: {BACK_AR}"),
        ("ar", 3, f"عُثر على أكثر من 3 أخبار عن «\u2068قلق\u2069»: {BACK_AR}"),
        ("ar", 11, f"عُثر على أكثر من 11 خبرًا عن «\u2068قلق\u2069»: {BACK_AR}"),
        ("ar", 100, f"عُثر على أكثر من 100 خبر عن «\u2068قلق\u2069»: {BACK_AR}"),
        ("ar", 1000, f"عُثر على أكثر من 1000 خبر عن «\u2068قلق\u2069»: {BACK_AR}"),
        ("ur", 1, f"“\u2068قلق\u2069” کے لیے 1 سے زیادہ خبریں ملیں: {BACK_UR}"),
        ("ur", 2, f"“\u2068قلق\u2069” کے لیے 2 سے زیادہ خبریں ملیں: {BACK_UR}"),
        ("en", 1, f"More than 1 story found for “\u2068قلق\u2069”: {BACK_EN}"),
        ("en", 2, f"More than 2 stories found for “\u2068قلق\u2069”: {BACK_EN}"),
    ],
)
def test_the_search_page_says_more_than_how_many_stories(language, count, expected):
    assert count_sentence(language, count, more=True) == expected


def test_the_search_page_says_more_than_two_stories_in_arabic(client, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            stories.create_story(headline=f"خبر {n}", parts=[part_services.NewPart(body="كلمةمشتركة")], publish=True)
    monkeypatch.setattr(search, "CANDIDATES", 2)

    page = client.get("/search/", {"q": "كلمةمشتركة"}, headers={"accept-language": "ar"}).content.decode()

    assert html.unescape(COUNT.search(page).group(1)) == f"عُثر على أكثر من خبرين عن «\u2068كلمةمشتركة\u2069»: {BACK_AR}"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "لا خبر عن «\u2068قلق\u2069»."),
        (1, "خبر واحد عن «\u2068قلق\u2069»."),
        (2, "خبران عن «\u2068قلق\u2069»."),
        (3, "3 أخبار عن «\u2068قلق\u2069»."),
        (11, "11 خبرًا عن «\u2068قلق\u2069»."),
        (100, "100 خبر عن «\u2068قلق\u2069»."),
    ],
)
def test_the_search_page_counts_the_stories_found_as_arabic_counts(count, expected):
    """Written as the language counts, never with the number in brackets (docs/glossary.md, point 5)."""
    assert count_sentence("ar", count, more=False) == expected


@pytest.mark.parametrize(
    ("language", "limit", "expected"),
    [
        ("ar", 2, "الحد الأقصى لطول البحث محرفان."),
        ("ar", 3, "الحد الأقصى لطول البحث 3 محارف."),
        ("ar", 11, "الحد الأقصى لطول البحث 11 محرفًا."),
        ("ar", 200, "الحد الأقصى لطول البحث 200 محرف."),
        ("ur", 200, "تلاش زیادہ سے زیادہ 200 حروف کی ہو سکتی ہے۔"),
        ("en", 200, "A search has at most 200 characters."),
    ],
)
def test_a_search_too_long_is_refused_with_its_limit_counted(monkeypatch, language, limit, expected):
    monkeypatch.setattr(search, "MAX_LENGTH", limit)

    with translation.override(language):
        problems = search.parse("ق" * (limit + 1)).problems

    assert problems == (expected,)
