"""Public pages: the latest stories, a story, a source; visibility and canonical URLs."""

import re

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services.ingest import ingest

from .factories import ArticleFactory, ArticleSourceFactory, PartFactory

pytestmark = pytest.mark.django_db


@pytest.mark.arabic_default
def test_story_page_has_arabic_lang_and_rtl_dir(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="story" lang="ar" dir="rtl">' in html


def test_english_story_is_ltr_inside_an_arabic_interface(client):
    article = ArticleFactory(published=True, language="en", headline="Quake hits coast", slug="quake")
    PartFactory(article=article, number=1, body="A strong quake hit the coast.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<article class="story" lang="en" dir="ltr">' in html


def test_story_page_shows_every_part_in_order_with_boundaries(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert html.index('id="part-1"') < html.index('id="part-2"')
    assert html.count('class="part__boundary"') == 1
    assert seed_story.headline in html
    assert "( أردو بوینت نتورك ۔ / سبوتنيك - 28 سبتمبر 2020ء)" in html
    assert "أفكارك وتعليقاتك" in html  # the comments heading, once, outside the story
    assert html.count("أفكارك وتعليقاتك") == 1


def test_the_dateline_is_printed_before_the_lede(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()

    lede = seed_story.parts.get(number=1).paragraphs[0]
    assert html.index('<span class="dateline">') < html.index(lede[:30], html.index("<article"))


def test_developing_story_shows_the_continues_notice(client):
    article = ArticleFactory(published=True)
    PartFactory(article=article, number=1, continues=True)

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'class="continues"' in html and "(تستمر)" in html


def test_finished_story_has_no_continues_notice(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert 'class="continues"' not in html


def test_a_wrong_slug_redirects_permanently_to_the_canonical_url(client, seed_story):
    response = client.get(f"/articles/{seed_story.pk}/wrong-slug/")

    assert response.status_code == 301
    assert response["Location"] == seed_story.get_absolute_url()


def test_a_wrong_or_missing_slug_keeps_the_query(client, seed_story):
    """A reply's form or a comment's notice asked at an old or short address still opens; what the page does
    not read (utm_source=…, anything hostile) is left behind, as the page itself ignores it."""
    wrong = client.get(f"/articles/{seed_story.pk}/wrong-slug/", {"reply": "7"})
    short = client.get(f"/articles/{seed_story.pk}/?comment=pending&x=%0D%0ALocation:%20evil")

    assert wrong.status_code == 301 and wrong["Location"] == f"{seed_story.get_absolute_url()}?reply=7"
    assert short.status_code == 301
    assert short["Location"] == f"{seed_story.get_absolute_url()}?comment=pending"


def test_a_missing_slug_redirects_permanently(client, seed_story):
    response = client.get(f"/articles/{seed_story.pk}/")

    assert response.status_code == 301
    assert response["Location"] == seed_story.get_absolute_url()


def test_canonical_url_keeps_the_arabic_slug(client, seed_story):
    assert re.search(r"[\u0600-\u06ff]", seed_story.slug)
    assert client.get(seed_story.get_absolute_url()).status_code == 200


def test_drafts_are_not_found(client, seed_text):
    draft = ingest(text=seed_text).article

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/articles/{draft.pk}/other/").status_code == 404


def test_scheduled_stories_are_not_found_until_their_time(client):
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now() + timezone.timedelta(hours=1))
    PartFactory(article=article, number=1)

    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.headline not in client.get("/").content.decode()


def test_home_lists_published_stories_newest_first(client):
    older = ArticleFactory(published=True, headline="الخبر الأقدم")
    older.published_at = timezone.now() - timezone.timedelta(days=1)
    older.save()
    newer = ArticleFactory(published=True, headline="الخبر الأحدث")
    ArticleFactory(headline="مسودة لم تنشر")

    html = client.get("/").content.decode()

    assert html.index(newer.headline) < html.index(older.headline)
    assert "مسودة لم تنشر" not in html


def test_home_is_paginated(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for _ in range(5):
        ArticleFactory(published=True)

    first, last = client.get("/"), client.get("/?page=3")

    assert first.context["page"].paginator.num_pages == 3
    assert len(last.context["page"]) == 1
    # A number written another way, or no number, is the same page: the same cache entry.
    assert client.get("/?page=abc")["X-Cache"] == client.get("/?page=0003")["X-Cache"] == "hit"
    # A page past the end (an old link) goes to the last one, which is one address (one cache entry).
    past = client.get("/?page=999")
    assert (past.status_code, past["Location"], past["Cache-Control"]) == (
        302,
        "/?page=3",
        "max-age=0, must-revalidate",
    )


def test_home_query_count_does_not_grow_with_stories(client, django_assert_max_num_queries):
    for _ in range(15):
        article = ArticleFactory(published=True)
        PartFactory(article=article, number=1)
        ArticleSourceFactory(article=article)

    with django_assert_max_num_queries(6):
        client.get("/")


def test_source_page_lists_its_published_stories(client, seed_story):
    source = seed_story.credits.get(position=2).source
    ArticleSourceFactory(article=ArticleFactory(headline="مسودة من المصدر"), source=source, position=1)

    response = client.get(source.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert seed_story.headline in html
    assert "مسودة من المصدر" not in html


def test_unknown_source_is_not_found(client):
    assert client.get("/sources/no-such-source/").status_code == 404


def test_language_switch_sets_the_interface_language(client, seed_story):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert '<html lang="en" dir="ltr">' in html
    assert '<article class="story" lang="ar" dir="rtl">' in html


def test_pages_use_no_external_resources(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert not re.search(r'(src|href)="(https?:)?//', html.replace(f"//testserver{seed_story.get_absolute_url()}", ""))


@pytest.mark.parametrize(
    "url",
    [
        "/articles/99999999999999999999/x/",
        "/articles/99999999999999999999/",
        "/sources/%00/",
        "/sources/a%00b/",
        "/articles/1/%00/",
        "/?page=%00",
        "/preview/articles/99999999999999999999/",
    ],
)
def test_odd_public_urls_are_not_500(client, url):
    assert client.get(url).status_code < 500


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/99999999999999999999/change/",
        "/admin/articles/article/%00/change/",
        "/admin/articles/article/1/revisions/?a=99999999999999999999&b=1",
        "/admin/articles/article/?q=%00",
        "/admin/articles/source/?q=%00",
        "/admin/articles/article/99999999999999999999/workflow/publish/",
    ],
)
def test_odd_admin_urls_are_not_500(editor_client, seed_text, url):
    ingest(text=seed_text)

    assert editor_client.get(url).status_code < 500


def test_a_nul_in_the_url_is_a_clear_400(client, api):
    page, endpoint = client.get("/sources/a%00b/"), api.get("/api/v1/articles/?language=%00")

    assert page.status_code == 400 and b"NUL" in page.content
    assert endpoint.status_code == 400 and "NUL" in endpoint.json()["detail"]
