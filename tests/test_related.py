"""Related stories and the story page's budget: same section or a shared source, public only, newest first, never
the story or its language versions; a story's parts linked to each other; six queries whatever the story holds."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import selectors
from articles.models import Article, Comment, Correction
from articles.services import annotations as annotation_services
from articles.services import parts as part_services
from articles.services import stories, workflow
from articles.services import translations as translation_services
from articles.services.stories import Credit

pytestmark = pytest.mark.django_db


def story(headline, *, section="", sources=(), minutes_ago=10, publish=True, parts=("نص الخبر.",)):
    article = stories.create_story(
        headline=headline,
        section=section,
        credits=[Credit(source=slug) for slug in sources],
        parts=[part_services.NewPart(body=body) for body in parts],
        publish=publish,
    )
    if publish:
        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() - timezone.timedelta(minutes=minutes_ago)
        )
    return Article.objects.get(pk=article.pk)


def headlines(stories_):
    return [article.headline for article in stories_]


def test_related_stories_share_the_section_or_a_source_newest_first():
    main = story("الخبر", section="سياسي", sources=["reuters"])
    same_section = story("في القسم نفسه", section="سياسي", minutes_ago=30)
    same_source = story("من المصدر نفسه", section="اقتصادي", sources=["reuters"], minutes_ago=20)
    story("لا صلة له", section="رياضي", sources=["afp"])

    assert headlines(selectors.related_to(main)) == ["من المصدر نفسه", "في القسم نفسه"]
    assert same_section.pk != same_source.pk


def test_related_stories_are_public_and_not_withdrawn():
    main = story("الخبر", section="سياسي")
    story("مسودة", section="سياسي", publish=False)
    scheduled = story("مجدول", section="سياسي")
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() + timezone.timedelta(hours=2))
    retracted = story("مسحوب", section="سياسي")
    workflow.transition(article=retracted, name="retract", note="خطأ جسيم.")
    story("منشور", section="سياسي")

    assert headlines(selectors.related_to(main)) == ["منشور"]


def test_a_story_is_never_related_to_itself_or_its_language_versions():
    main = story("الخبر", section="سياسي")
    english = translation_services.create_translation(original=main, language="en", headline="The story")
    workflow.transition(article=english, name="publish")
    Article.objects.filter(pk=english.pk).update(section=main.section)
    other = story("خبر آخر", section="سياسي")

    assert headlines(selectors.related_to(main)) == [other.headline]
    assert headlines(selectors.related_to(Article.objects.get(pk=english.pk))) == [other.headline]


def test_at_most_five_related_stories_in_two_queries(django_assert_num_queries):
    main = story("الخبر", section="سياسي", sources=["reuters"])
    for n in range(8):
        story(f"خبر {n}", section="سياسي", sources=["reuters", "afp"], minutes_ago=n)

    with django_assert_num_queries(2):  # the stories, then their credited sources
        related = selectors.related_to(main)
        names = [credit.source.name for article in related for credit in article.ordered_credits]

    assert headlines(related) == [f"خبر {n}" for n in range(5)]
    assert "Reuters" in names


def test_a_story_without_section_or_sources_has_no_related_stories(client):
    main = story("وحيد")
    story("آخر", section="سياسي", sources=["afp"])

    html = client.get(main.get_absolute_url()).content.decode()

    assert selectors.related_to(main) == []
    assert 'class="related"' not in html


def test_the_story_page_lists_its_related_stories_and_links_its_section(client):
    main = story("الخبر", section="سياسي")
    other = story("خبر آخر", section="سياسي", sources=["sabq"])

    html = client.get(main.get_absolute_url()).content.decode()

    assert 'class="related"' in html and "Related stories" in html
    assert f'href="{other.get_absolute_url()}"' in html
    assert f'href="{reverse("articles:section", args=[main.section.slug])}"' in html


def test_the_story_page_loads_its_versions_and_related_stories_with_it(django_assert_num_queries):
    main = story("الخبر", section="سياسي", sources=["reuters"], parts=("أول.", "ثان."))
    english = translation_services.create_translation(original=main, language="en", headline="The story")
    workflow.transition(article=english, name="publish")
    story("خبر آخر", section="سياسي")

    with django_assert_num_queries(3):  # the stories (the story's public corrections with it), credits, parts
        page = selectors.story_page(main.pk)
        assert [part.number for part in page.article.ordered_parts] == [1, 2]
        assert list(page.article.corrections.all()) == []

    assert [version.language for version in page.versions] == ["ar", "en"]
    assert headlines(page.related) == ["خبر آخر"]
    assert selectors.story_page(english.pk).versions == page.versions
    assert selectors.story_page(10**30) is None


def test_parts_link_to_the_previous_and_next_part(client):
    main = story("خبر في ثلاثة أجزاء", parts=("الأول.", "الثاني.", "الثالث."))

    html = client.get(main.get_absolute_url()).content.decode()

    assert html.count('class="take-nav"') == 3
    assert 'aria-label="Part 2 of 3"' in html
    assert '<a href="#part-1" rel="prev">Previous part</a>' in html
    assert '<a href="#part-3" rel="next">Next part</a>' in html
    assert 'href="#part-4"' not in html and 'href="#part-0"' not in html


def test_a_story_of_one_part_has_no_part_navigation(client):
    html = client.get(story("خبر قصير").get_absolute_url()).content.decode()

    assert "take-nav" not in html


def fill(main):
    """Everything a story page shows, several times over: parts, sources, translations, annotations, comments,
    corrections and related stories."""
    for language in ["en", "ur", "fr"]:
        translation = translation_services.create_translation(original=main, language=language, headline="h")
        workflow.transition(article=translation, name="publish")
    for number in range(1, main.parts.count() + 1):
        annotation_services.create_annotation(article=main, part_number=number, exact="نص", body="ملاحظة.")
    Comment.objects.bulk_create(
        Comment(article=main, name=f"قارئ {n}", body=f"تعليق {n}", status="approved") for n in range(30)
    )
    for n in range(3):
        Correction.objects.create(article=main, note=f"تصحيح {n}")
    for n in range(8):
        story(f"خبر {n}", section="سياسي", sources=["afp"])


def warm(client):
    """A site that served a page in the last minute: the header's sections menu (test_sections.py counts its one
    query) and the page cache's own state are cached; the story page itself is not."""
    client.get("/")


def test_the_story_page_costs_six_queries_whatever_it_holds(client, page_reads):
    main = story("الخبر", section="سياسي", sources=["reuters", "afp", "sabq"], parts=("نص أول.", "نص ثان.", "نص ثالث."))
    fill(main)
    warm(client)

    with page_reads(6):
        html = client.get(main.get_absolute_url()).content.decode()

    assert html.count('class="comment"') == 30 and html.count('class="take-nav"') == 3
    assert html.count('hreflang="') >= 4 and 'class="related"' in html and "تصحيح 2" in html


def test_a_translation_s_page_costs_no_more_for_its_translators(client, page_reads):
    main = story("الخبر", section="سياسي", sources=["reuters"])
    fill(main)
    english = main.translations.get(language="en")
    warm(client)

    with page_reads(6):
        html = client.get(english.get_absolute_url()).content.decode()

    assert f'href="{main.get_absolute_url()}"' in html and 'class="related"' in html
