"""A reader's review of the public pages in Chromium (docs/pages.md, "Read in a browser"): what a reader saw
broken, held right where it shows — words longer than a phone, notes and Latin words going the other way, Arabic
inside the Urdu interface, the search box, and a comment refused without JavaScript."""

from urllib.parse import quote

import pytest
from django.utils import translation

from articles.models import Comment
from articles.services import annotations as annotation_services
from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import sources as source_services
from articles.services import stories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360
# A word with no break in it (a wire's run-together words, a pasted address) wider than any phone.
LONG_WORD = "الرئيسالتنفيذيللشركةالوطنية" * 8
LONG_URL = "https://example.org/" + "x" * 160
# What may lie outside the screen on purpose: the skip link until it is focused, the comment form's trap for bots.
OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest('.skip-link, .comment-form__trap')) continue;
    const box = element.getBoundingClientRect();
    if (box.width && (box.left < -1 || box.right > width + 1)) out.push(element.tagName + '.' + element.className);
  }
  return out;
}"""


def _page(chromium, live_server, path: str, *, language: str, width: int = 1280, javascript: bool = True):
    context = chromium.new_context(
        locale=language,
        viewport={"width": width, "height": 800},
        is_mobile=width < 600,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    response = page.goto(live_server.url + path)
    assert response.status == 200, f"{path} answered {response.status}"
    if javascript:
        page.evaluate("document.fonts.ready.then(() => true)")
    return page


def _x_of(page, selector: str, index: int) -> float:
    """Where the character at `index` of the element's text is drawn (its left edge, in CSS pixels)."""
    return page.evaluate(
        """([selector, index]) => {
          const node = document.querySelector(selector).firstChild;
          const range = document.createRange();
          const at = index < 0 ? node.length + index : index;
          range.setStart(node, at);
          range.setEnd(node, at + 1);
          return range.getBoundingClientRect().left;
        }""",
        [selector, index],
    )


@pytest.fixture
def agency():
    # A website with the trailing slash most sites' addresses have: in a right-to-left line it would jump to the
    # address's start («/https://…») unless the address is set left to right.
    return source_services.create_source(
        name="Agence France-Presse International Wire Service",
        name_ar="فرانس برس",
        website="https://www.afp.com/ar/" + "very-long-path/" * 8,
    )


@pytest.fixture
def long_story(agency):
    return stories.create_story(
        headline=f"{LONG_WORD} {LONG_URL}",
        section="اقتصاد",
        summary="ملخص " + "a" * 300,
        credits=[(agency, "originating_agency")],
        parts=[part_services.NewPart(body=f"نص فيه عنوان {LONG_URL} طويل.")],
        publish=True,
    )


@pytest.fixture
def noted_story(agency):
    """An Arabic story with a Latin byline, an English note and an Arabic one, and a reader's approved comment."""
    story = stories.create_story(
        headline="الأمين العام يعرب عن قلقه إزاء التصعيد",
        section="اقتصاد",
        byline="Leila Haddad, Reuters.",
        credits=[(agency, "originating_agency")],
        parts=[part_services.NewPart(body="أعرب الأمين العام ستانيسلاف زاس عن قلقه.\n\nودعا مجموعة مينسك إلى التحرك.")],
        publish=True,
    )
    annotation_services.create_annotation(
        article=story, part_number=1, exact="ستانيسلاف زاس", body="Secretary general of the CSTO.", language="en"
    )
    annotation_services.create_annotation(article=story, part_number=1, exact="مجموعة مينسك", body="أنشئت عام 1992.")
    posted = comment_services.post_comment(article=story, name="ليلى", body="متابعة مهمة، شكرًا.")
    comment_services.moderate(comment=posted.comment, action="approve")
    story.refresh_from_db()
    return story


@pytest.fixture
def urdu_story():
    return stories.create_story(
        headline="پاکستان کے وزیر خارجہ نے کہا کہ مذاکرات جاری رہیں گے۔",
        language="ur",
        parts=[part_services.NewPart(body="اسلام آباد ۔ پاکستان کے وزیر خارجہ نے کہا کہ مذاکرات جاری رہیں گے۔")],
        publish=True,
    )


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("name", ["home", "long story", "related", "source", "section"])
def test_a_word_longer_than_a_phone_breaks_instead_of_widening_the_page(
    live_server, chromium, long_story, noted_story, agency, screenshot, name, language
):
    """On a phone a page wider than the screen is zoomed out whole; in the Arabic interface the overflow runs off
    the left edge, where no scrolling reaches, and in the English one a right-to-left headline is cut off."""
    path = {
        "home": "/",
        "long story": long_story.get_absolute_url(),
        "related": noted_story.get_absolute_url(),  # the long headline in its related stories
        "source": agency.get_absolute_url(),  # the long website and the long cards
        "section": f"/sections/{quote(long_story.section.slug)}/",
    }[name]
    page = _page(chromium, live_server, path, language=language, width=PHONE)

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.evaluate(OFF_SCREEN) == []
    screenshot(page, f"review-long-{name.replace(' ', '-')}-{language}-phone")
    page.context.close()


def test_an_english_note_under_an_arabic_story_is_numbered_inside_the_column(live_server, chromium, noted_story):
    page = _page(chromium, live_server, noted_story.get_absolute_url(), language="ar", width=PHONE)

    english, arabic = (
        page.evaluate(
            """(id) => {
              const note = document.getElementById(id), list = note.parentElement;
              const a = note.getBoundingClientRect(), b = list.getBoundingClientRect();
              return {direction: getComputedStyle(note).direction, left: a.left - b.left, right: b.right - a.right};
            }""",
            note_id,
        )
        for note_id in ("note-1", "note-2")
    )
    # Each number hangs on its own note's start side, in room the note leaves for it inside the list: the
    # English note's on the left, the Arabic note's on the right.
    assert english["direction"] == "ltr" and english["left"] >= 16, english
    assert arabic["direction"] == "rtl" and arabic["right"] >= 16, arabic
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.context.close()


def test_a_note_opened_beside_the_words_keeps_its_language_and_direction(live_server, chromium, noted_story):
    page = _page(chromium, live_server, noted_story.get_absolute_url(), language="ar")

    page.click("#note-ref-1")

    popover = page.locator("#note-1-open")
    assert popover.get_attribute("lang") == "en"
    assert popover.evaluate("element => getComputedStyle(element).direction") == "ltr"
    page.context.close()


def test_latin_words_in_the_arabic_interface_keep_their_order(live_server, chromium, noted_story, agency):
    """A byline's full stop stays at its end, and a website's trailing slash at its end, not at its start."""
    page = _page(chromium, live_server, noted_story.get_absolute_url(), language="ar")
    assert _x_of(page, ".byline", -1) > _x_of(page, ".byline", 0), "«.Leila Haddad, Reuters»"
    page.goto(live_server.url + agency.get_absolute_url())
    assert _x_of(page, "main a[rel=noopener]", -1) > _x_of(page, "main a[rel=noopener]", 0), "«/https://…»"
    page.context.close()


def test_arabic_in_the_urdu_interface_keeps_its_own_line_height(live_server, chromium, noted_story, urdu_story):
    """Nastaliq's tall lines are the Urdu text's: an Arabic story read in the Urdu interface keeps Naskh's."""
    ratio = """selector => {
      const style = getComputedStyle(document.querySelector(selector));
      return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
    }"""
    page = _page(chromium, live_server, noted_story.get_absolute_url(), language="ur")
    assert page.evaluate(ratio, ".part p") == pytest.approx(1.8, abs=0.01)
    assert page.evaluate(ratio, ".story__headline") == pytest.approx(1.4, abs=0.01)
    assert page.evaluate(ratio, ".site-footer p") == pytest.approx(2.3, abs=0.01)  # the interface's own Urdu

    page.goto(live_server.url + urdu_story.get_absolute_url())  # and an Urdu story in the Urdu interface
    assert page.evaluate(ratio, ".part p") == pytest.approx(2.3, abs=0.01)
    assert page.evaluate(ratio, ".story__headline") == pytest.approx(2, abs=0.01)
    page.context.close()


def test_the_search_box_takes_the_direction_of_what_is_typed(live_server, chromium):
    page = _page(chromium, live_server, "/search/", language="ar")

    page.click("#q")
    page.keyboard.type("قره -باغ")

    assert page.eval_on_selector("#q", "box => getComputedStyle(box).direction") == "rtl"
    page.context.close()


@pytest.mark.parametrize("language", ["ar", "en", "ur"])
def test_without_javascript_a_refused_comment_comes_back_at_the_form(live_server, chromium, noted_story, language):
    """The story is long: the answer to a refused post opens at the form, so the reader sees why, in their
    language, with what they typed still there; then a reply is sent from it."""
    path = noted_story.get_absolute_url()
    page = _page(chromium, live_server, path, language=language, width=PHONE, javascript=False)
    with translation.override(language):
        no_name = translation.gettext("Please give a name.")
        no_comment = translation.gettext("Please write your comment.")

    page.fill("textarea[name=body]", "تعليق بلا اسم")
    page.fill("input[name=email]", "reader@example.org")
    with page.expect_navigation():
        page.click("#comment-form button[type=submit]")

    assert page.url.endswith("#comment-form")
    assert page.get_attribute("html", "lang") == language
    assert page.inner_text("#error-name").strip() == no_name
    assert page.input_value("textarea[name=body]") == "تعليق بلا اسم"
    assert page.input_value("input[name=email]") == "reader@example.org"
    _on_screen(page, "#error-name")

    # A reply: the link under the comment, then a refusal that keeps the reply's place, then the reply itself.
    with page.expect_navigation():
        page.click(".comment__actions a")
    page.fill("input[name=name]", "Reader")
    with page.expect_navigation():
        page.click("#comment-form button[type=submit]")
    assert page.url.endswith("#comment-form")
    assert page.inner_text("#error-body").strip() == no_comment
    assert page.input_value("input[name=parent]") == str(Comment.objects.get().pk)
    assert page.locator(".comment-form__reply").count() == 1
    _on_screen(page, "#error-body")

    page.fill("textarea[name=body]", "ردّ على التعليق")
    with page.expect_navigation():
        page.click("#comment-form button[type=submit]")
    assert "?comment=" in page.url
    assert Comment.objects.get(body="ردّ على التعليق").parent_id == Comment.objects.get(name="ليلى").pk
    page.context.close()


def _on_screen(page, selector: str) -> None:
    box = page.locator(selector).bounding_box()  # relative to the screen as it is scrolled now
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 800, f"{selector} is off screen: {box}"
