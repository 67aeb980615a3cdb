"""sitemap.xml (stories with hreflang alternates, sources, paged), the Google News sitemap and robots.txt."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from articles.services import parts as part_services
from articles.services import stories, workflow
from articles.services import translations as translation_services
from articles.web import sitemaps

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def story(headline="وزير الخارجية يصل إلى الرياض", *, publish=True, at=None, **fields):
    article = stories.create_story(headline=headline, parts=[part_services.NewPart(body="نص الخبر.")], **fields)
    if publish:
        workflow.transition(article=article, name="publish", at=at)
    return article


def xml(client, url) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def absolute(article) -> str:
    return f"http://testserver{article.get_absolute_url()}"


def urls_of(root) -> dict[str, ElementTree.Element]:
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.findall("sm:url", NS)}


def test_the_index_lists_the_pages_stories_sections_and_sources_sitemaps(client):
    story()

    root = xml(client, "/sitemap.xml")

    locations = [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]
    assert locations == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-stories.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-sources.xml",
    ]


def test_the_stories_sitemap_lists_public_stories_only(client):
    published = story()
    draft = story("مسودة", publish=False)
    scheduled = story("مجدول", at=timezone.now() + timedelta(hours=3))
    retracted = story("مسحوب")
    workflow.transition(article=retracted, name="retract", note="سحب.")

    listed = urls_of(xml(client, "/sitemap-stories.xml"))

    assert absolute(published) in listed and absolute(retracted) in listed
    assert absolute(draft) not in listed and absolute(scheduled) not in listed
    assert "%D9%88%D8%B2%D9%8A%D8%B1" in absolute(published)  # the Arabic slug, percent-encoded
    assert listed[absolute(published)].findtext("sm:lastmod", namespaces=NS) == timezone.localdate().isoformat()


def test_language_versions_are_hreflang_alternates_of_each_other(client):
    original = story()
    english = translation_services.create_translation(original=original, language="en", headline="Minister arrives")
    urdu = translation_services.create_translation(original=original, language="ur", headline="وزیر خارجہ")
    workflow.transition(article=english, name="publish")  # the Urdu translation stays a draft
    lonely = story("خبر بلا ترجمة")

    listed = urls_of(xml(client, "/sitemap-stories.xml"))

    expected = {"ar": absolute(original), "en": absolute(english), "x-default": absolute(original)}
    for version in (original, english):
        links = listed[absolute(version)].findall("xhtml:link", NS)
        assert {link.get("hreflang"): link.get("href") for link in links} == expected
        assert all(link.get("rel") == "alternate" for link in links)
    assert absolute(urdu) not in listed
    assert listed[absolute(lonely)].findall("xhtml:link", NS) == []


def test_the_stories_sitemap_is_paged_and_the_index_lists_each_page(client, monkeypatch):
    monkeypatch.setattr(sitemaps.StorySitemap, "limit", 2)
    made = [story(f"خبر رقم {number}") for number in range(5)]

    index = [loc.text for loc in xml(client, "/sitemap.xml").findall("sm:sitemap/sm:loc", NS)]
    pages = [urls_of(xml(client, f"/sitemap-stories.xml?p={page}")) for page in (1, 2, 3)]

    assert "http://testserver/sitemap-stories.xml?p=3" in index
    assert [len(page) for page in pages] == [2, 2, 1]
    assert set().union(*pages) == {absolute(article) for article in made}
    assert client.get("/sitemap-stories.xml?p=4").status_code == 404
    assert client.get("/sitemap-stories.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_page_of_the_stories_sitemap_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(12):
        original = story(f"خبر رقم {number}")
        translation = translation_services.create_translation(original=original, language="en", headline=f"S{number}")
        workflow.transition(article=translation, name="publish")

    with django_assert_max_num_queries(3):
        listed = urls_of(xml(client, "/sitemap-stories.xml"))

    assert len(listed) == 24


def test_the_sources_sitemap_lists_sources_of_public_stories(client):
    story(credits=[stories.Credit(source="reuters")])
    story("مسودة", publish=False, credits=[stories.Credit(source="afp")])

    listed = urls_of(xml(client, "/sitemap-sources.xml"))

    assert list(listed) == ["http://testserver/sources/reuters/"]


def test_the_sections_sitemap_lists_sections_of_public_stories(client):
    story(section="اقتصادي")
    story("مسودة", publish=False, section="رياضة")

    listed = urls_of(xml(client, "/sitemap-sections.xml"))

    slug = stories.section_named("اقتصادي").slug
    assert list(listed) == [f"http://testserver/sections/{iri_to_uri(slug)}/"]


def test_the_news_sitemap_lists_the_last_48_hours_with_publication_and_language(client, settings):
    settings.NEWSROOM_PUBLICATION_NAME = "صحيفة الاختبار"
    fresh = story("وزير الخارجية & الرياض", at=timezone.now() - timedelta(hours=47))
    english = story("Talks resume", language="en")
    old = story("خبر قديم", at=timezone.now() - timedelta(hours=49))
    retracted = story("مسحوب")
    workflow.transition(article=retracted, name="retract", note="سحب.")
    story("مسودة", publish=False)

    listed = urls_of(xml(client, "/news-sitemap.xml"))

    assert list(listed) == [absolute(english), absolute(fresh)]
    news = listed[absolute(fresh)].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "صحيفة الاختبار"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "ar"
    assert news.findtext("news:title", namespaces=NS) == "وزير الخارجية & الرياض"
    fresh.refresh_from_db()
    assert news.findtext("news:publication_date", namespaces=NS) == fresh.published_at.isoformat().replace(
        "+00:00", "Z"
    )
    assert listed[absolute(english)].findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    assert absolute(old) not in listed


def test_robots_names_both_sitemaps_and_keeps_crawlers_out_of_the_back_office(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    for path in ("/admin/", "/api/", "/preview/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
