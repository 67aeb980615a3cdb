"""A reader opens an annotation's note with the keyboard, with JavaScript; without it, the note is a footnote."""

import pytest

from articles.services import annotations as annotation_services
from articles.services import parts as part_services
from articles.services import stories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    article = stories.create_story(
        headline="قلق إزاء التصعيد",
        parts=[part_services.NewPart(body="قال الأمين العام إن الوضع في قره باغ يثير القلق.")],
        publish=True,
    )
    annotation_services.create_annotation(article=article, part_number=1, exact="قره باغ", body="إقليم متنازع عليه.")
    return article


def test_the_note_opens_beside_the_words_from_the_keyboard(live_server, browser_page, story):
    browser_page.goto(live_server.url + story.get_absolute_url())

    browser_page.focus(".note-ref a")
    browser_page.keyboard.press("Enter")

    popover = browser_page.locator(".note-popover")
    assert popover.is_visible()
    assert "إقليم متنازع عليه." in popover.inner_text()
    assert browser_page.locator("mark.annotated").inner_text() == "قره باغ"
    assert browser_page.get_attribute("article.story", "dir") == "rtl"


def test_without_javascript_the_number_leads_to_the_footnote(live_server, browser_page, story):
    browser_page.context.close()  # a fresh context without JavaScript
    context = browser_page.context.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())

    page.click(".note-ref a")

    assert page.url.endswith("#note-1")
    assert page.locator(".note-popover").count() == 0
    assert "إقليم متنازع عليه." in page.locator("#note-1").inner_text()
