"""RSS and Atom feeds: what they list, what each item says (language, dates, GUID, text), read by feedparser."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from articles.models import Source
from articles.services import pagecache, stories, workflow
from articles.services.parts import NewPart
from articles.services.stories import Credit

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/", "/feeds/atom/"]
HEADLINE = "وزير الخارجية يصل إلى الرياض"
LEDE = "وصل وزير الخارجية إلى الرياض صباح اليوم في زيارة رسمية."
LATER = "وقال في مؤتمر صحفي إن المحادثات ستستأنف."


def story(headline=HEADLINE, *, language="ar", publish=True, at=None, **fields):
    article = stories.create_story(
        headline=headline,
        language=language,
        parts=[NewPart(body=f"{LEDE}\n\n{LATER}", continues=True), NewPart(body="الجزء الثاني من الخبر.")],
        **fields,
    )
    if publish:
        workflow.transition(article=article, name="publish", at=at)
    return article


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def only_entry(client, url):
    parsed = read(client, url)
    assert len(parsed.entries) == 1
    return parsed.entries[0]


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_parses_cleanly_with_the_arabic_text_intact(client, url):
    story(summary="ملخص الخبر: زيارة رسمية", section="سياسي", byline="أحمد الشمالي")

    entry = only_entry(client, url)

    assert entry.title == HEADLINE
    assert "ملخص الخبر: زيارة رسمية" in entry.summary
    assert entry.author == "أحمد الشمالي"
    assert [tag.term for tag in entry.tags] == ["سياسي"]


def test_the_rss_feed_is_rss_2_and_the_atom_feed_atom(client):
    story()

    assert read(client, "/feeds/").version == "rss20"
    assert read(client, "/feeds/atom/").version == "atom10"
    assert client.get("/feeds/")["Content-Type"].startswith("application/rss+xml")
    assert client.get("/feeds/atom/")["Content-Type"].startswith("application/atom+xml")


def test_each_rss_item_says_its_own_language(client):
    story()
    story("Foreign minister arrives in Riyadh", language="en")

    parsed = read(client, "/feeds/")

    assert {entry.title: entry.language for entry in parsed.entries} == {
        HEADLINE: "ar",
        "Foreign minister arrives in Riyadh": "en",
    }


def test_each_atom_entry_says_its_own_language(client):
    story()
    story("Foreign minister arrives in Riyadh", language="en")

    parsed = read(client, "/feeds/atom/")

    assert {entry.title: entry.title_detail.language for entry in parsed.entries} == {
        HEADLINE: "ar",
        "Foreign minister arrives in Riyadh": "en",
    }


@pytest.mark.parametrize("url", FEEDS)
def test_items_carry_the_publication_date(client, url):
    published = (timezone.now() - timedelta(days=2)).replace(microsecond=0)
    story(at=published)

    entry = only_entry(client, url)

    assert entry.published_parsed[:6] == published.utctimetuple()[:6]


def test_atom_entries_carry_the_last_change_after_the_publication(client):
    published = (timezone.now() - timedelta(days=2)).replace(microsecond=0)
    article = story(at=published)
    stories.edit_story(article=article, changes={"summary": "ملخص جديد"})
    article.refresh_from_db()

    entry = only_entry(client, "/feeds/atom/")

    assert entry.published_parsed[:6] == published.utctimetuple()[:6]
    assert entry.updated_parsed[:6] == article.updated_at.utctimetuple()[:6]
    assert entry.updated_parsed > entry.published_parsed


@pytest.mark.parametrize("url", FEEDS)
def test_the_guid_stays_when_the_headline_and_its_slug_change(
    client, url, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_URI_PREFIX = "urn:example:story:"
    article = story()
    before = only_entry(client, url)

    with django_capture_on_commit_callbacks(execute=True):  # the change announced: cached feeds move on
        stories.edit_story(article=article, changes={"headline": "وزير الخارجية يغادر الرياض"})
    after = only_entry(client, url)

    assert after.title == "وزير الخارجية يغادر الرياض"
    assert after.link != before.link
    assert after.id == before.id == f"urn:example:story:{article.pk}"


def test_the_rss_guid_is_not_a_permalink(client):
    story()

    entry = only_entry(client, "/feeds/")

    assert entry.guidislink is False
    assert entry.link.startswith("http://testserver/articles/")


@pytest.mark.parametrize("url", FEEDS)
def test_drafts_and_scheduled_stories_are_never_listed(client, url):
    story("مسودة لم تنشر", publish=False)
    story("خبر مجدول للغد", at=timezone.now() + timedelta(days=1))
    story()

    parsed = read(client, url)

    assert [entry.title for entry in parsed.entries] == [HEADLINE]


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize("full_text", [False, True])
def test_a_retracted_story_shows_its_notice_never_its_text(client, url, full_text, settings):
    settings.NEWSROOM_FEED_FULL_TEXT = full_text
    article = story(summary="ملخص سيسحب")
    workflow.transition(article=article, name="retract", note="سحب الخبر لخطأ في المصدر.")

    response = client.get(url).content.decode()
    entry = only_entry(client, url)

    assert "سحب الخبر لخطأ في المصدر." in entry.summary
    for withheld in ("ملخص سيسحب", LEDE, LATER, "الجزء الثاني"):
        assert withheld not in response


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_gives_the_lede_without_a_summary_and_not_the_full_text_by_default(client, url):
    story()

    response = client.get(url).content.decode()
    entry = only_entry(client, url)

    assert entry.summary == LEDE
    assert LATER not in response and "الجزء الثاني" not in response
    assert "content" not in entry


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_gives_every_part_when_full_text_is_on(client, url, settings):
    settings.NEWSROOM_FEED_FULL_TEXT = True
    article = story(summary="ملخص الخبر")
    workflow.transition(article=article, name="correct", note="صُحح اسم المدينة.")

    entry = only_entry(client, url)
    content = entry.content[0].value

    assert entry.summary == "ملخص الخبر"
    for text in ("ملخص الخبر", LEDE, LATER, "الجزء الثاني من الخبر.", "صُحح اسم المدينة."):
        assert text in content
    assert content.count('<section class="part"') == 2  # the takes keep their boundaries


@pytest.mark.parametrize("url", FEEDS)
def test_markup_in_a_headline_or_summary_is_text_not_html(client, url):
    story("الأرباح <تتضاعف> & تتراجع", summary="نسبة <5% & أكثر")

    entry = only_entry(client, url)

    assert entry.title == "الأرباح <تتضاعف> & تتراجع"
    assert entry.summary == "نسبة &lt;5% &amp; أكثر"  # escaped HTML: a reader shows it as the text it was


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_a_section_feed_lists_that_section_only(client, suffix):
    story(section="اقتصادي")
    story("خبر رياضي", section="رياضة")
    slug = stories.section_named("اقتصادي").slug

    parsed = read(client, f"/feeds/sections/{slug}/{suffix}")

    assert [entry.title for entry in parsed.entries] == [HEADLINE]
    assert "اقتصادي" in parsed.feed.title
    assert parsed.feed.link == f"http://testserver/sections/{iri_to_uri(slug)}/"


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_a_source_feed_lists_the_stories_crediting_it(client, suffix):
    reuters = Source.objects.get(slug="reuters")
    story(credits=[Credit(source="reuters")])
    story("خبر من وكالة أخرى")

    parsed = read(client, f"/feeds/sources/{reuters.slug}/{suffix}")

    assert [entry.title for entry in parsed.entries] == [HEADLINE]
    assert parsed.feed.link == f"http://testserver{reuters.get_absolute_url()}"


@pytest.mark.arabic_default
def test_a_source_feed_names_the_source_in_the_interface_language(client):
    Source.objects.create(name="SPA", name_ar="واس", name_en="Saudi Press Agency", slug="spa-test")

    arabic = feedparser.parse(client.get("/feeds/sources/spa-test/", headers={"accept-language": "ar"}).content)
    english = feedparser.parse(client.get("/feeds/sources/spa-test/", headers={"accept-language": "en"}).content)

    assert "واس" in arabic.feed.title and "Saudi Press Agency" not in arabic.feed.title
    assert "Saudi Press Agency" in english.feed.title
    assert (arabic.feed.language, english.feed.language) == ("ar", "en")


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_a_language_feed_lists_that_language_and_says_it(client, suffix):
    story()
    story("Foreign minister arrives in Riyadh", language="en")

    parsed = read(client, f"/feeds/languages/en/{suffix}")

    assert [entry.title for entry in parsed.entries] == ["Foreign minister arrives in Riyadh"]
    assert parsed.feed.language == "en"


def test_every_atom_feed_has_its_own_id(client):
    story()

    ids = {
        read(client, url).feed.id for url in ("/feeds/atom/", "/feeds/languages/ar/atom/", "/feeds/languages/en/atom/")
    }

    assert ids == {
        "http://testserver/feeds/atom/",
        "http://testserver/feeds/languages/ar/atom/",
        "http://testserver/feeds/languages/en/atom/",
    }


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/sections/no-such-section/",
        "/feeds/sources/no-such-source/atom/",
        "/feeds/languages/xx/",
        "/feeds/languages/AR/",
        "/feeds/languages/%D8%B9/",
    ],
)
def test_an_unknown_section_source_or_language_is_not_found(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "queries"),
    [("/feeds/", 4), ("/feeds/atom/", 4), ("/feeds/languages/ar/", 4), ("/feeds/sources/reuters/atom/", 5)],
)
def test_a_feed_of_twenty_stories_costs_a_fixed_number_of_queries(client, url, queries, django_assert_max_num_queries):
    for number in range(25):
        article = story(f"{HEADLINE} {number}", section="سياسي", credits=[Credit(source="reuters")])
        workflow.transition(article=article, name="correct", note="تصحيح.")

    pagecache.state()  # the public pages' cache looks up the next scheduled story once: not the feed's cost

    # the stories with their sections, the credits, the parts, the corrections (and the source looked up)
    with django_assert_max_num_queries(queries):
        parsed = read(client, url)

    assert len(parsed.entries) == 20
    assert parsed.entries[0].title == f"{HEADLINE} 24"


def test_the_home_section_and_source_pages_advertise_their_feeds(client):
    reuters = Source.objects.get(slug="reuters")
    story(section="اقتصادي")
    slug = stories.section_named("اقتصادي").slug

    home = client.get("/").content.decode()
    source = client.get(reuters.get_absolute_url()).content.decode()
    section = client.get(f"/sections/{slug}/").content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in home and 'href="/feeds/"' in home
    assert 'type="application/atom+xml"' in home and 'href="/feeds/atom/"' in home
    assert f'href="/feeds/sources/{reuters.slug}/"' in source
    assert f'href="/feeds/sources/{reuters.slug}/atom/"' in source
    assert f'href="/feeds/sections/{iri_to_uri(slug)}/"' in section
    assert f'href="/feeds/sections/{iri_to_uri(slug)}/atom/"' in section
