"""Language versions on the public pages: switcher, hreflang, translator credit, the outdated notice."""

import pytest

from articles.services import parts as part_services
from articles.services import stories, workflow
from articles.services import translations as translation_services

from .factories import translator

pytestmark = pytest.mark.django_db


@pytest.fixture
def original():
    return stories.create_story(
        headline="استئناف المحادثات",
        parts=[part_services.NewPart(body="قال الوزير إن المحادثات ستستأنف.")],
        publish=True,
    )


@pytest.fixture
def family(original):
    english = translation_services.create_translation(
        original=original,
        language="en",
        headline="Talks to resume",
        parts=[part_services.NewPart(body="The minister said talks would resume.")],
        by=translator(),
    )
    urdu = translation_services.create_translation(original=original, language="ur", headline="مذاکرات")
    workflow.transition(article=english, name="publish")
    return original, english, urdu  # the Urdu translation stays a draft


def test_both_ends_list_every_public_version_with_hreflang_and_a_switcher(client, family):
    original, english, urdu = family

    for story in (original, english):
        html = client.get(story.get_absolute_url()).content.decode()
        assert f'hreflang="ar" href="http://testserver{original.get_absolute_url()}"' in html
        assert f'hreflang="en" href="http://testserver{english.get_absolute_url()}"' in html
        assert 'class="language-versions"' in html and 'aria-current="page"' in html
        assert urdu.get_absolute_url() not in html and "مذاكرات" not in html


def test_a_translation_credits_its_translator_and_links_its_original(client, family):
    original, english, _urdu = family

    html = client.get(english.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    arabic = client.get(english.get_absolute_url(), headers={"accept-language": "ar"}).content.decode()

    assert "Translated by Sara Haddad" in html
    assert f'href="{original.get_absolute_url()}"' in html
    assert "ترجمة: Sara Haddad" in arabic
    assert "has been updated since" not in html


def test_an_outdated_translation_says_so_in_the_readers_language(client, family, django_capture_on_commit_callbacks):
    original, english, _urdu = family
    with django_capture_on_commit_callbacks(execute=True):
        part_services.append_part(article=original, body="فقرة جديدة.")

    html = client.get(english.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    arabic = client.get(english.get_absolute_url(), headers={"accept-language": "ar"}).content.decode()

    assert "The original story has been updated since this translation was made" in html
    assert "تحديث" in arabic


def test_a_story_without_versions_has_no_switcher(client, original):
    html = client.get(original.get_absolute_url()).content.decode()

    assert "language-versions" not in html and "hreflang" not in html


def test_a_story_page_with_five_translations_costs_no_more_queries(client, original, page_reads):
    for language in ["en", "ur", "fr", "tr", "de"]:
        translation = translation_services.create_translation(original=original, language=language, headline="h")
        workflow.transition(article=translation, name="publish")

    from articles.services import pagecache

    # What every page shares (the next scheduled publication, the sections' menu) is read once per generation.
    pagecache.state()
    client.get("/search/")
    with page_reads(6):
        html = client.get(original.get_absolute_url()).content.decode()
    assert html.count('rel="alternate"') == 6
