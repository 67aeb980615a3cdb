"""An editor selects words in a part's text and the annotation form opens with them and their offsets."""

import pytest
from django.conf import settings

from articles.services import parts as part_services
from articles.services import stories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Tashkeel and a no-break space before the words: offsets must be code points, as the server counts them.
TEXT = "قالَ الأمينُ العام\u00a0إن الوضع في قره باغ يثير القلق."


def test_selecting_words_fills_the_quote_and_offsets(live_server, browser_page, client, editor):
    story = stories.create_story(headline="قلق", parts=[part_services.NewPart(body=TEXT)], publish=True)
    client.force_login(editor)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser_page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    browser_page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")

    start = TEXT.index("قره باغ")
    browser_page.eval_on_selector(
        "textarea[name='parts-0-body']", f"area => area.setSelectionRange({start}, {start + len('قره باغ')})"
    )
    browser_page.get_by_role("button", name="Annotate the selection").click()
    browser_page.wait_for_url("**/annotation/add/**")

    assert browser_page.input_value("#id_exact") == "قره باغ"
    assert browser_page.input_value("#id_start") == str(start)
    assert browser_page.input_value("#id_end") == str(start + len("قره باغ"))
