"""A reader posts a comment from the story page in a real browser: its own Origin and Sec-Fetch-Site pass."""

import pytest

from articles.models import Comment
from articles.services import parts as part_services
from articles.services import stories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_reader_comments_from_the_page(live_server, browser_page, javascript):
    story = stories.create_story(headline="قلق", parts=[part_services.NewPart(body="نص الخبر.")], publish=True)
    context = browser_page.context.browser.new_context(java_script_enabled=javascript, locale="en")
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())

    page.fill("input[name=name]", "ليلى")
    page.fill("textarea[name=body]", "تعليق من المتصفح.")
    with page.expect_navigation():
        page.click("#comment-form button[type=submit]")

    assert "?comment=pending" in page.url
    assert "will appear once a moderator has read it" in page.inner_text("#comments")
    assert Comment.objects.get().body == "تعليق من المتصفح."
    context.close()
