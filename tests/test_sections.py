"""The header's sections menu and the section pages; the retraction label on lists, and the home page without
retracted stories."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from articles.api import errors
from articles.models import Article, Section
from articles.services import pagecache, workflow
from articles.templatetags.navigation import site_sections

from .factories import ArticleFactory, ArticleSourceFactory, PartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return Section.objects.create(name="سياسي", slug="سياسي")


def in_section(section, headline, *, minutes_ago=5, **kwargs):
    article = ArticleFactory(published=True, section=section, headline=headline, **kwargs)
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timezone.timedelta(minutes=minutes_ago))
    return article


def retract(article):
    return workflow.transition(article=article, name="retract", note="سحبنا هذا الخبر لخطأ جسيم.")


def section_url(section):
    return reverse("articles:section", args=[section.slug])


def test_the_header_lists_the_sections_that_have_public_stories(client, politics):
    in_section(politics, "خبر سياسي")
    drafts_only = Section.objects.create(name="رياضي", slug="رياضي")
    ArticleFactory(section=drafts_only)

    html = client.get("/").content.decode()

    assert 'class="site-sections"' in html and 'aria-label="Sections"' in html
    assert f'href="{section_url(politics)}"' in html
    assert section_url(drafts_only) not in html
    assert 'class="site-search"' in html and 'class="language-switch"' in html


def test_the_menu_costs_one_query_then_none_while_cached(politics, django_assert_num_queries):
    in_section(politics, "خبر سياسي")
    pagecache.state()  # as the page cache has, before any page renders (the next scheduled story, once)

    with django_assert_num_queries(1):
        assert [section.name for section in site_sections()] == ["سياسي"]
    with django_assert_num_queries(0):
        assert [section.name for section in site_sections()] == ["سياسي"]


def test_the_menu_follows_a_story_published_in_a_new_section(client, politics, django_capture_on_commit_callbacks):
    in_section(politics, "خبر سياسي")
    client.get("/")
    economy = Section.objects.create(name="اقتصادي", slug="اقتصادي")
    draft = ArticleFactory(section=economy)
    PartFactory(article=draft, number=1)

    assert section_url(economy) not in menu(client.get("/"))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article=draft, name="publish")
    assert section_url(economy) in menu(client.get("/"))


def menu(response) -> str:
    html = response.content.decode()
    start = html.index('<nav class="site-sections"')
    return html[start : html.index("</nav>", start)]


def test_a_list_page_costs_the_menu_s_one_query_at_most(client, politics, django_assert_max_num_queries):
    for n in range(15):
        article = in_section(politics, f"خبر {n}")
        PartFactory(article=article, number=1)
        ArticleSourceFactory(article=article)

    with django_assert_max_num_queries(6):  # the page's own three or four, the menu, the page cache's state
        client.get(section_url(politics))
    with django_assert_max_num_queries(6):
        client.get("/?page=2")


def test_the_section_page_lists_its_public_stories_newest_first(client, politics):
    older = in_section(politics, "الأقدم", minutes_ago=60)
    newer = in_section(politics, "الأحدث", minutes_ago=1)
    ArticleFactory(section=politics, headline="مسودة في القسم")
    in_section(Section.objects.create(name="اقتصادي", slug="اقتصادي"), "خبر اقتصادي")

    response = client.get(section_url(politics))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.index(newer.headline) < html.index(older.headline)
    assert "مسودة في القسم" not in html and "خبر اقتصادي" not in html
    assert 'class="story-card"' in html and f'<h1 dir="auto">{politics.name}</h1>' in html
    assert f'aria-current="page">{politics.name}' in html


def test_the_section_page_is_paginated_like_the_home_page(client, politics, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for n in range(5):
        in_section(politics, f"خبر {n}", minutes_ago=n)

    first = client.get(section_url(politics))
    last = client.get(section_url(politics), {"page": 3})

    assert first.context["page"].paginator.num_pages == 3
    assert [article.headline for article in last.context["page"]] == ["خبر 4"]
    assert client.get(section_url(politics), {"page": "abc"}).status_code == 200


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sections/no-such-section/").status_code == 404
    assert client.get("/sections/لا-يوجد/").status_code == 404


def test_the_section_page_advertises_its_feeds(client, politics):
    html = client.get(section_url(politics)).content.decode()

    assert reverse("articles:feed-section", args=[politics.slug]) in html
    assert "No published stories in this section yet." in html


def test_a_retracted_story_leaves_the_home_page_but_keeps_its_address(client, politics):
    kept = in_section(politics, "خبر قائم")
    withdrawn = retract(in_section(politics, "خبر مسحوب"))

    home = client.get("/").content.decode()
    page = client.get(withdrawn.get_absolute_url())

    assert kept.headline in home and withdrawn.headline not in home
    assert page.status_code == 200 and "This story has been retracted" in page.content.decode()


def test_section_and_source_lists_label_a_retracted_story(client, politics):
    withdrawn = retract(in_section(politics, "خبر مسحوب"))
    source = ArticleSourceFactory(article=withdrawn).source
    in_section(politics, "خبر قائم")

    for url in (section_url(politics), source.get_absolute_url()):
        html = client.get(url).content.decode()
        label = html.index('<span class="retracted-label"')
        assert "Retracted" in html[label : html.index(withdrawn.headline)]
        assert html.count('class="retracted-label"') == 1


@pytest.mark.arabic_default
def test_the_arabic_pages_mark_the_label_and_the_menu_in_the_interface_s_direction(client, politics):
    retract(in_section(politics, "خبر مسحوب"))

    html = client.get(section_url(politics)).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert '<span class="retracted-label" lang="ar" dir="rtl">' in html
    assert f'<a href="{section_url(politics)}" dir="auto" aria-current="page">سياسي</a>' in html


def test_a_story_card_links_its_section(client, politics):
    in_section(politics, "خبر سياسي")

    html = client.get("/").content.decode()

    assert f'<a class="section" href="{section_url(politics)}">{politics.name}</a>' in html


def test_the_500_page_has_no_menu_and_reads_no_database(politics, django_assert_num_queries):
    in_section(politics, "خبر سياسي")

    with translation.override("ar"), django_assert_num_queries(0):
        html = errors.server_error(RequestFactory().get("/")).content.decode()

    assert "site-sections" not in html


def _api(client, article, **headers):
    return client.get(f"/api/v1/articles/{article.pk}/", headers=headers)


def test_a_section_renamed_in_the_admin_shows_at_once_on_cached_pages_and_in_the_api(
    client, admin_client, politics, django_capture_on_commit_callbacks
):
    """The section's name and address are on its stories' pages, the lists and the menu, all cached, and in the
    API's representation, whose ETag a client polls with: a rename moves them all on, and an old ETag is no
    longer answered 304."""
    article = in_section(politics, "خبر سياسي")
    story_url = article.get_absolute_url()
    for url in ("/", story_url):
        assert "سياسي" in client.get(url).content.decode()
    before = _api(client, article)
    assert before.json()["section"] == "سياسي"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/articles/section/{politics.pk}/change/", {"name": "السياسة", "slug": "السياسة"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    politics.refresh_from_db()
    assert politics.version == 2

    new_address = reverse("articles:section", args=["السياسة"])
    for url in ("/", story_url):
        page = client.get(url).content.decode()
        assert "السياسة" in page and f'href="{new_address}"' in page
        assert section_url(Section(slug="سياسي")) not in page
    again = _api(client, article, **{"If-None-Match": before["ETag"]})
    assert again.status_code == 200 and again.json()["section"] == "السياسة"
    assert again["ETag"] != before["ETag"]
    assert _api(client, article, **{"If-None-Match": again["ETag"]}).status_code == 304
    ninjs = client.get(f"/api/v1/articles/{article.pk}/?format=ninjs", headers={"If-None-Match": before["ETag"]})
    assert ninjs.status_code == 200


def test_a_section_deleted_in_the_admin_leaves_its_stories_at_once(
    client, admin_client, politics, django_capture_on_commit_callbacks
):
    article = in_section(politics, "خبر سياسي")
    assert section_url(politics) in client.get(article.get_absolute_url()).content.decode()
    tag = _api(client, article)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/articles/section/{politics.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert section_url(politics) not in client.get(article.get_absolute_url()).content.decode()
    assert section_url(politics) not in client.get("/").content.decode()
    answer = _api(client, article, **{"If-None-Match": tag})
    assert answer.status_code == 200 and answer.json()["section"] is None


def test_sections_deleted_from_the_list_move_the_pages_on(
    client, admin_client, politics, django_capture_on_commit_callbacks
):
    article = in_section(politics, "خبر سياسي")
    assert section_url(politics) in client.get("/").content.decode()
    form = {"action": "delete_selected", "_selected_action": [politics.pk], "post": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post("/admin/articles/section/", form).status_code == 302
    assert not Section.objects.exists()
    assert section_url(politics) not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("name", "error"),
    [("سياسي\x00", "Null characters are not allowed."), ("س" * 101, "at most 100 characters")],
)
def test_a_section_name_the_paper_cannot_keep_is_a_form_error(admin_client, politics, name, error):
    response = admin_client.post(f"/admin/articles/section/{politics.pk}/change/", {"name": name, "slug": "x"})
    assert response.status_code == 200 and error in response.content.decode()
    politics.refresh_from_db()
    assert (politics.name, politics.version) == ("سياسي", 1)
