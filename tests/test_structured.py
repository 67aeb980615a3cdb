"""What a story page tells machines: NewsArticle JSON-LD, OpenGraph and Twitter tags, the canonical link
(formats/structured.py, and its embedding by the story_meta tag)."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.formats import structured
from articles.models import Article, Source
from articles.services import parts as part_services
from articles.services import stories, workflow
from articles.services import translations as translation_services

pytestmark = pytest.mark.django_db

PUBLISHER = structured.Publisher(name="صحيفة الاختبار", url="https://news.example/")
LEDE = "وصل وزير الخارجية إلى الرياض صباح اليوم في زيارة رسمية تستمر ثلاثة أيام."


def loaded(article) -> Article:
    """The story as the page loads it (every relation prefetched), so the formats need no query."""
    return Article.objects.for_page().get(pk=article.pk)


def publish(headline="وزير الخارجية يصل إلى الرياض", **fields):
    fields.setdefault("parts", [part_services.NewPart(body=f"{LEDE}\n\nوقال إن المحادثات ستستأنف.")])
    return stories.create_story(headline=headline, publish=True, **fields)


def document_of(article, **extra):
    return structured.news_article(
        loaded(article),
        url="https://news.example/a/1/",
        uri_prefix="urn:newsroom:article:",
        publisher=PUBLISHER,
        **extra,
    )


def json_ld_in(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    return [json.loads(block) for block in blocks]


def test_the_seed_story_is_a_news_article_with_its_agencies_and_dates(seed_story):
    document = document_of(seed_story)

    assert document["@context"] == "https://schema.org" and document["@type"] == "NewsArticle"
    assert document["headline"] == seed_story.headline
    assert document["inLanguage"] == "ar"
    assert document["identifier"] == f"urn:newsroom:article:{seed_story.pk}"
    assert document["url"] == document["mainEntityOfPage"] == "https://news.example/a/1/"
    assert document["datePublished"] == seed_story.published_at.isoformat().replace("+00:00", "Z")
    assert document["dateModified"] >= document["datePublished"]
    assert document["publisher"] == {"@type": "NewsMediaOrganization", "name": "صحيفة الاختبار", "url": PUBLISHER.url}
    assert [org["url"] for org in document["sourceOrganization"]] == [
        "https://www.urdupoint.com",
        "https://sputniknews.com",
    ]
    assert "author" not in document and "isBasedOn" not in document and "correction" not in document


def test_agencies_are_named_in_the_language_of_the_story():
    spa = Source.objects.create(name="SPA", name_ar="واس", name_en="Saudi Press Agency", slug="spa-test")
    original = publish(credits=[stories.Credit(source=spa.slug)])
    translation = translation_services.create_translation(original=original, language="en", headline="Minister")
    urdu = translation_services.create_translation(original=original, language="ur", headline="وزیر")

    names = [
        [org["name"] for org in document_of(story)["sourceOrganization"]] for story in (original, translation, urdu)
    ]

    assert names == [["واس"], ["Saudi Press Agency"], ["SPA"]]


def test_the_byline_is_the_author_and_the_section_the_article_section():
    document = document_of(publish(byline="أحمد الشمالي", section="سياسي"))

    assert document["author"] == [{"@type": "Person", "name": "أحمد الشمالي"}]
    assert document["articleSection"] == "سياسي"


def test_the_summary_is_the_description_else_the_lede_shortened():
    with_summary = document_of(publish(summary="ملخص الزيارة"))
    long_lede = "كلمة " * 100
    without = document_of(publish("خبر بلا ملخص", parts=[part_services.NewPart(body=long_lede)]))

    assert with_summary["description"] == "ملخص الزيارة"
    assert len(without["description"]) == structured.DESCRIPTION_LENGTH
    assert without["description"].endswith("…") and long_lede.startswith(without["description"][:-1])


def test_public_corrections_are_correction_comments():
    article = publish()
    workflow.transition(article=article, name="correct", note="صُحح اسم المدينة.")

    document = document_of(article)

    [correction] = document["correction"]
    assert correction["@type"] == "CorrectionComment" and correction["text"] == "صُحح اسم المدينة."
    assert correction["datePublished"]


def test_a_retracted_story_tells_its_notice_never_its_text():
    article = publish(summary="ملخص سيسحب")
    workflow.transition(article=article, name="retract", note="سحب الخبر لخطأ في المصدر.")

    story = loaded(article)
    document = document_of(article)
    tags = structured.social_meta(story, url="https://news.example/a/1/", site_name="x")

    text = json.dumps(document, ensure_ascii=False) + repr(tags) + structured.full_text(story)
    assert "ملخص سيسحب" not in text and LEDE[:20] not in text
    assert document["description"] == "سحب الخبر لخطأ في المصدر."
    assert document["correction"][-1]["text"] == "سحب الخبر لخطأ في المصدر."


def test_a_translation_is_based_on_its_original():
    original = publish()
    translation = translation_services.create_translation(original=original, language="en", headline="Minister arrives")

    document = document_of(translation, original_url="https://news.example/articles/1/")

    assert document["isBasedOn"] == "https://news.example/articles/1/"
    assert document["inLanguage"] == "en"


def test_the_formats_ask_the_database_nothing(django_assert_num_queries):
    article = publish(byline="أحمد", section="سياسي", credits=[stories.Credit(source="reuters")])
    workflow.transition(article=article, name="correct", note="تصحيح.")
    story = loaded(article)

    with django_assert_num_queries(0):
        structured.news_article(story, url="u", uri_prefix="p:", publisher=PUBLISHER, original_url="o")
        structured.social_meta(story, url="u", site_name="s")
        structured.full_text(story)


def test_modified_is_never_before_published():
    story = Article(
        published_at=timezone.now(), updated_at=timezone.now() - timedelta(hours=5), status=Article.Status.PUBLISHED
    )

    assert structured.modified_at(story) == story.published_at


def test_the_identifier_is_the_ninjs_uri(api, seed_story):
    ninjs = api.get(f"/api/v1/articles/{seed_story.pk}/?format=ninjs").json()

    document = document_of(seed_story)

    assert document["identifier"] == ninjs["uri"]
    assert document["inLanguage"] == ninjs["language"] and document["headline"] == ninjs["headlines"][0]["value"]


def test_the_story_page_embeds_the_json_ld_and_the_canonical_link(client, seed_story, settings):
    settings.NEWSROOM_PUBLICATION_NAME = "صحيفة الاختبار"

    html = client.get(seed_story.get_absolute_url()).content.decode()

    [document] = json_ld_in(html)
    url = f"http://testserver{seed_story.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert document["url"] == url and "%D8" in url  # the Arabic slug, percent-encoded as a URI
    assert document["headline"] == seed_story.headline
    assert document["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": "صحيفة الاختبار",
        "url": "http://testserver/",
    }


def test_the_story_page_has_opengraph_and_twitter_tags(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{seed_story.headline}">' in html
    assert '<meta property="og:site_name" content="Newsroom">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta property="og:description" content="اعرب' in html
    assert '<meta name="description" content="اعرب' in html
    assert '<meta property="article:published_time" content="' in html


def test_a_headline_cannot_break_out_of_the_json_ld(client):
    headline = 'عاجل </script><script>alert("x")</script> & <!-- تعليق'
    article = publish(headline)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    [document] = json_ld_in(html)
    assert document["headline"] == headline
    assert 'content="عاجل &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)' in html  # OpenGraph: escaped too


def test_a_translation_page_names_its_original_in_the_json_ld(client):
    original = publish()
    translation = translation_services.create_translation(original=original, language="en", headline="Minister arrives")
    workflow.transition(article=translation, name="publish")

    [document] = json_ld_in(client.get(translation.get_absolute_url()).content.decode())

    assert document["isBasedOn"].startswith(f"http://testserver/articles/{original.pk}/")
    assert document["inLanguage"] == "en"


def test_a_translation_of_an_unpublished_original_names_none(client):
    original = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body=LEDE)])
    translation = translation_services.create_translation(original=original, language="en", headline="Draft")
    workflow.transition(article=translation, name="publish")

    [document] = json_ld_in(client.get(translation.get_absolute_url()).content.decode())

    assert "isBasedOn" not in document and "مسودة" not in json.dumps(document, ensure_ascii=False)


def test_a_preview_has_no_canonical_link_and_no_structured_data(editor_client):
    draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body=LEDE)])

    html = editor_client.get(f"/preview/articles/{draft.pk}/").content.decode()

    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "application/ld+json" not in html and 'rel="canonical"' not in html and "og:title" not in html
