"""An editor's review of the admin in Chromium (docs/decisions.md, issue 20, fifteenth round): what an editor, a
reporter, a translator or a moderator saw broken in their daily work, held where it shows — a reader's spam
word squeezing the moderation queue, Arabic text running left to right in the English admin, a table wider than a
phone, a change marked in a diff that ran into its neighbour."""

import pytest
from django.conf import settings

from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import stories

from .conftest import without_leave_beacon

# Users by permission, not by group: the groups are made by migrations, and a transactional test run before these
# empties every table, theirs too (permissions are made again after each emptying).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = 1366, 390
# A run of letters with no break in it, as spam and pasted addresses come.
LONG_WORD = "كلمة" + "ط" * 150


def _admin(chromium, live_server, client, user, *, language: str, width: int = DESKTOP):
    """A page logged in as `user` (the test client's session), the admin in `language`, at `width`."""
    client.force_login(user)
    context = chromium.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
    without_leave_beacon(context)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context.new_page()


@pytest.fixture
def story():
    return stories.create_story(
        headline="الأمين العام لمنظمة معاهدة الأمن الجماعي يعرب عن قلقه إزاء التصعيد في قره باغ",
        parts=[part_services.NewPart(body="اعرب الأمين العام، اليوم الاثنين، عن قلقه.", label="إضافة أولى")],
        publish=True,
    )


def test_the_moderation_queue_keeps_its_rows_short_and_arabic_right_to_left_in_english(
    chromium, live_server, client, editor, story, screenshot
):
    for name, body in [("أحمد", "الوضع في قره باغ مقلق للغاية، ونأمل أن تتوقف الحرب."), ("سامي", LONG_WORD)]:
        comment_services.post_comment(article=story, name=name, email="", body=body, ip="203.0.113.9")
    page = _admin(chromium, live_server, client, editor, language="en")  # every permission, moderating too
    page.goto(f"{live_server.url}/admin/articles/comment/")
    screenshot(page, "review-moderation-queue-en")

    heights = page.eval_on_selector_all(
        "#result_list tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert len(heights) == 2
    # a spam word once made its column as wide as the table and every other column a letter wide: rows a screen tall
    assert max(heights) < 120, heights
    directions = page.eval_on_selector_all(
        "#result_list tbody .field-body_short span, #result_list tbody .field-commenter span",
        "spans => spans.map(s => getComputedStyle(s).direction)",
    )
    assert directions == ["rtl"] * 4, directions
    page.context.close()


def test_the_story_list_gives_a_headline_room_and_its_direction_in_english(
    chromium, live_server, client, editor, story, screenshot
):
    page = _admin(chromium, live_server, client, editor, language="en")
    page.goto(f"{live_server.url}/admin/articles/article/")
    screenshot(page, "review-story-list-en")
    cell = page.locator("#result_list tbody .field-title")
    # the headline was a word per line, the row as tall as ten lines, in the space the other columns left it
    assert cell.evaluate("c => c.getBoundingClientRect().width") > 180
    assert cell.locator("span").evaluate("s => getComputedStyle(s).direction") == "rtl"
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_history_fits_a_phone_and_a_replaced_word_is_told_from_its_replacement(
    chromium, live_server, client, editor, story, screenshot, language
):
    from articles.services import stories as story_services
    from articles.services.parts import NewPart, PartEdits

    part = story.parts.get()
    body = part.body.replace("اليوم الاثنين", "يوم الإثنين")
    edits = PartEdits(edited={1: NewPart(body=body, continues=part.continues, label=part.label)})
    story_services.edit_story(article=story.pk, parts=edits, by=editor)
    page = _admin(chromium, live_server, client, editor, language=language, width=PHONE)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/revisions/")
    page.click("form:has(#revision-list) input[type=submit]")  # compare the two newest revisions
    page.wait_for_selector("#revision-diff")
    screenshot(page, f"review-history-{language}-phone")

    # the revisions' table scrolls in its own box: the page is as wide as the phone
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # «اليوم» removed, «يوم» added: drawn touching, joined letters read them as one word, «اليوميوم»
    gaps = page.eval_on_selector_all(
        "#revision-diff del + ins",
        """pairs => pairs.map(ins => {
            const a = ins.previousElementSibling.getBoundingClientRect(), b = ins.getBoundingClientRect();
            return a.top === b.top ? Math.max(b.left - a.right, a.left - b.right) : null;
        }).filter(gap => gap !== null)""",
    )
    assert gaps and min(gaps) >= 3, gaps
    page.context.close()


def test_an_arabic_story_is_edited_in_naskh_in_the_urdu_admin(chromium, live_server, client, editor, story, screenshot):
    page = _admin(chromium, live_server, client, editor, language="ur")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.evaluate("document.fonts.ready.then(() => true)")
    screenshot(page, "review-story-ur")
    fonts = page.eval_on_selector_all(
        "#id_headline, textarea[name='parts-0-body'], input[name='parts-0-label']",
        "fields => fields.map(f => getComputedStyle(f).fontFamily)",
    )
    # Nastaliq is Urdu's hand: the interface's labels keep it, the Arabic story's words do not
    assert all(font.startswith('"Noto Naskh Arabic"') for font in fonts), fonts
    label = page.eval_on_selector("label[for='id_headline']", "l => getComputedStyle(l).fontFamily")
    assert label.startswith('"Noto Nastaliq Urdu"'), label
    page.context.close()


def test_a_reporter_reads_an_arabic_story_they_may_not_edit_right_to_left_in_english(
    chromium, live_server, client, django_user_model, story, screenshot
):
    from django.contrib.auth.models import Permission

    # a reporter's rights: every story permission but editing any story (they edit their own drafts)
    reporter = django_user_model.objects.create_user("reporter", is_staff=True)
    reporter.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles").exclude(codename="edit_any_article")
    )
    page = _admin(chromium, live_server, client, reporter, language="en")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    screenshot(page, "review-story-read-only-en")
    assert page.locator("textarea[name='parts-0-body']").count() == 0  # shown, not edited
    # the words end at the box's right edge, where an Arabic line starts (and its full stop at the left)
    for selector in (".field-headline .readonly", ".field-body .readonly"):
        box, words = page.eval_on_selector(
            selector,
            """e => { const range = document.createRange(); range.selectNodeContents(e);
                      return [e.getBoundingClientRect().right, range.getClientRects()[0].right]; }""",
        )
        assert abs(box - words) < 2, (selector, box, words)
    page.context.close()


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_annotate_the_selection_is_a_button_of_its_own_size_beside_the_text(
    chromium, live_server, client, editor, story, screenshot, width
):
    page = _admin(chromium, live_server, client, editor, language="ar", width=width)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    button = page.locator("textarea[name='parts-0-body'] ~ button")
    screenshot(page, f"review-annotate-button-{width}")
    height = button.evaluate("b => b.getBoundingClientRect().height")
    # it was a grey box stretched down the whole text beside it (164 px at 1366), or 21 px tall on a phone
    assert 24 <= height <= 50, height
    page.context.close()
