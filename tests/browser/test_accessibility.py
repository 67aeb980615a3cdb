"""axe-core finds no serious or critical problem on the public pages and the editors' main screens, in Arabic
(right to left) and English (left to right), at desktop and phone widths; the shipped fonts are what renders
Arabic and Urdu text; keyboard users see where they are."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import stories
from articles.services.ingest import ingest

from .conftest import WIDTHS, without_leave_beacon

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "articles" / "fixtures" / "seed" / "csto-karabakh-2020-09-28.txt"
SEED_EN = SEED.with_suffix(".en.txt")
LANGUAGES = {"ar": "rtl", "en": "ltr"}
SIZES = [(language, width) for language in LANGUAGES for width in WIDTHS]


@pytest.fixture
def newsroom():
    """The seed story published in a section, with its English version and a reader's approved comment: every
    kind of block the public pages show."""
    story = ingest(text=SEED.read_text(encoding="utf-8"), publish=True).article
    stories.edit_story(article=story, changes={"section": "سياسة", "summary": "قلق إزاء التصعيد في قره باغ."})
    english = SEED_EN.read_text(encoding="utf-8").split("\n\n")
    stories.create_story(
        headline=english[0].strip(),
        language="en",
        translation_of=story.pk,
        parts=[part_services.NewPart(body="\n\n".join(english[1:]).strip())],
        publish=True,
    )
    posted = comment_services.post_comment(article=story, name="ليلى", body="متابعة مهمة، شكرًا.")
    comment_services.moderate(comment=posted.comment, action="approve")
    story.refresh_from_db()
    return story


def _public_pages(story) -> dict[str, str]:
    source = story.ordered_credits[0].source
    return {
        "home": "/",
        "story": story.get_absolute_url(),
        "section": f"/sections/{quote(story.section.slug)}/",
        "source": source.get_absolute_url(),
        "search": "/search/?q=" + quote("قره باغ"),
    }


def _open(chromium, live_server, path: str, *, language: str, width: str, cookies=()):
    context = chromium.new_context(
        locale=language, viewport={"width": WIDTHS[width], "height": 900}, is_mobile=width == "phone"
    )
    context.add_cookies(list(cookies))
    without_leave_beacon(context)
    page = context.new_page()
    response = page.goto(live_server.url + path)
    assert response.status == 200, f"{path} answered {response.status}"
    return page


@pytest.mark.parametrize(("language", "width"), SIZES)
@pytest.mark.parametrize("name", ["home", "story", "section", "source", "search"])
def test_public_pages_have_no_serious_problems(
    live_server, chromium, newsroom, assert_accessible, screenshot, name, language, width
):
    page = _open(chromium, live_server, _public_pages(newsroom)[name], language=language, width=width)
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == LANGUAGES[language]
    assert_accessible(page, f"the {name} page ({language}, {width})")
    if name in ("home", "story"):
        screenshot(page, f"{name}-{language}-{width}")
    page.context.close()


def test_the_skip_link_is_the_first_stop_and_leads_past_the_header(live_server, chromium, newsroom):
    page = _open(chromium, live_server, newsroom.get_absolute_url(), language="ar", width="desktop")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("link => link === document.activeElement")
    box = skip.bounding_box()
    assert box["width"] > 10 and 0 <= box["x"] <= 1280, "the focused skip link is on screen"
    assert skip.evaluate("link => getComputedStyle(link).outlineStyle") == "solid", "focus is drawn"

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside_main, "after the skip link, the next stop is in the main content, not the header"
    page.context.close()


@pytest.mark.parametrize("selector", ["a.site-name", "#site-search-q", "#language-select", ".story-card__headline a"])
def test_keyboard_focus_is_visible(live_server, chromium, newsroom, selector):
    page = _open(chromium, live_server, "/", language="en", width="phone")
    element = page.locator(selector).first
    element.focus()  # as a keyboard user gets there: Playwright's focus() is not a pointer click
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert element.evaluate("element => element === document.activeElement")
    ring = element.evaluate(
        "element => { const s = getComputedStyle(element); return [s.outlineStyle, s.outlineWidth]; }"
    )
    # The site's own ring (newsroom.css, :focus-visible), not the browser's thin default: 3 px, solid.
    assert ring == ["solid", "3px"], f"{selector} shows no clear focus ring: {ring}"
    page.context.close()


# Fonts: what Chromium really draws a text node with, as its DevTools report it (CSS.getPlatformFontsForNode).
FONT_FILES = {
    "noto-naskh-arabic-400.woff2",
    "noto-naskh-arabic-700.woff2",
    "noto-nastaliq-urdu-400.woff2",
    "noto-nastaliq-urdu-700.woff2",
}
URDU = "پاکستان کے وزیر خارجہ نے کہا کہ مذاکرات جاری رہیں گے۔"


def _fonts_drawing(page, selector: str) -> dict[str, int]:
    """The fonts that draw the first element matching selector: family → number of glyphs drawn in it.

    Asked once the element is laid out and painted (its box measured, the fonts ready, two frames drawn): a
    node inserted a moment before may have no text fragments yet, and the browser then names no font at all
    (seen once in CI on a loaded machine). Asked again, briefly, while it names none."""
    page.evaluate(
        """selector => new Promise(resolve => {
            document.querySelector(selector).getBoundingClientRect();
            document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        })""",
        selector,
    )
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    try:
        for _ in range(50):
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            if fonts:
                break
            page.wait_for_timeout(100)
    finally:
        cdp.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def _drawn_in(page, selector: str) -> str:
    """The one font that draws every letter of an element's text (its spaces may come from another)."""
    drawn = _fonts_drawing(page, selector)
    spaces = page.locator(selector).first.inner_text().count(" ")
    family, glyphs = max(drawn.items(), key=lambda item: item[1])
    assert sum(drawn.values()) - glyphs <= spaces, f"{selector} is drawn in several fonts: {drawn}"
    return family


@pytest.fixture
def urdu_story():
    return stories.create_story(
        headline="مذاکرات جاری رہیں گے۔",
        language="ur",
        parts=[part_services.NewPart(body=URDU)],
        publish=True,
    )


def test_the_shipped_fonts_load_and_draw_arabic_and_the_urdu_full_stop(live_server, chromium, newsroom, urdu_story):
    page = chromium.new_context(locale="ar").new_page()
    fonts = {}
    page.on("response", lambda response: "/static/fonts/" in response.url and fonts.update({response.url: response}))
    page.goto(live_server.url + urdu_story.get_absolute_url())
    page.evaluate("document.fonts.ready.then(() => true)")

    loaded = page.evaluate(
        "Array.from(document.fonts).filter(face => face.status === 'loaded')"
        ".map(face => face.family.replaceAll('\"', '') + ' ' + face.weight)"
    )
    assert {"Noto Nastaliq Urdu 400", "Noto Naskh Arabic 400", "Noto Naskh Arabic 700"} <= set(loaded), loaded
    woff2 = {url.rsplit("/", 1)[1]: response for url, response in fonts.items() if url.endswith(".woff2")}
    assert "noto-nastaliq-urdu-400.woff2" in woff2 and set(woff2) <= FONT_FILES, sorted(woff2)
    assert all(response.status == 200 for response in woff2.values())
    assert all(response.header_value("content-type") == "font/woff2" for response in woff2.values())
    assert page.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"', '۔')")

    # What draws the text: the Urdu story in Nastaliq, «۔» too; only the spaces (outside the files'
    # unicode-range, so that a page in Latin letters downloads none of them) come from the system's fonts.
    page.evaluate("document.querySelector('.part p').insertAdjacentHTML('beforeend', '<span id=full-stop>۔</span>')")
    assert _fonts_drawing(page, "#full-stop") == {"Noto Nastaliq Urdu": 1}
    drawn = _fonts_drawing(page, ".part p")
    assert "Noto Nastaliq Urdu" in drawn
    assert sum(count for family, count in drawn.items() if family != "Noto Nastaliq Urdu") <= URDU.count(" "), drawn
    # The Arabic interface around it in Naskh, its bold too.
    assert _drawn_in(page, "a.site-name") == "Noto Naskh Arabic"
    page.context.close()


def test_without_the_shipped_fonts_the_urdu_full_stop_is_drawn_otherwise(live_server, chromium, urdu_story):
    """The same line measured with the font files blocked: if the width did not change, the test above would
    not be telling the shipped font from whatever the machine has."""
    widths = {}
    for blocked in (False, True):
        context = chromium.new_context(locale="ar")
        if blocked:
            context.route("**/static/fonts/*.woff2", lambda route: route.abort())
        page = context.new_page()
        page.goto(live_server.url + urdu_story.get_absolute_url())
        page.evaluate("document.fonts.ready.then(() => true)")
        widths[blocked] = page.evaluate(
            """() => {
              const probe = document.createElement('span');
              probe.textContent = '۔'.repeat(20);
              document.querySelector('.part p').append(probe);
              return probe.getBoundingClientRect().width;
            }"""
        )
        context.close()
    assert widths[False] > 0 and widths[True] > 0
    assert widths[False] != widths[True], widths


@pytest.fixture
def staff_cookie(client, editor, live_server):
    client.force_login(editor)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}


@pytest.mark.parametrize(("language", "width"), SIZES)
@pytest.mark.parametrize("screen", ["list", "change", "paste"])
def test_editors_screens_have_no_serious_problems(
    live_server, chromium, newsroom, staff_cookie, assert_accessible, screen, language, width
):
    path = {
        "list": "/admin/articles/article/",
        "change": f"/admin/articles/article/{newsroom.pk}/change/",
        "paste": "/admin/articles/article/paste/",
    }[screen]
    page = _open(chromium, live_server, path, language=language, width=width, cookies=[staff_cookie])
    assert page.get_attribute("html", "lang") == language
    assert_accessible(page, f"the admin's {screen} screen ({language}, {width})")
    page.context.close()


@pytest.mark.parametrize(("language", "family"), [("ur", "Noto Nastaliq Urdu"), ("ar", "Noto Naskh Arabic")])
def test_the_admin_writes_urdu_in_nastaliq_and_arabic_in_naskh(live_server, chromium, staff_cookie, language, family):
    page = _open(chromium, live_server, "/admin/", language=language, width="desktop", cookies=[staff_cookie])
    page.evaluate("document.fonts.ready.then(() => true)")
    assert _drawn_in(page, "#site-name a") == family
    page.context.close()


def test_an_empty_autocomplete_box_is_named_after_its_label(live_server, chromium, newsroom, staff_cookie):
    """Select2 names its box after the chosen value only; templates/admin/base_site.html adds the field's label."""
    path = f"/admin/articles/article/{newsroom.pk}/change/"
    page = _open(chromium, live_server, path, language="en", width="desktop", cookies=[staff_cookie])
    assert newsroom.translation_of_id is None  # the box is empty
    assert page.get_by_role("combobox", name="Translation of").count() == 1
    section = page.get_by_role("combobox", name="Section")
    assert "سياسة" in section.aria_snapshot().splitlines()[0], "the chosen value is still read out with the label"
    credits = len(newsroom.ordered_credits)
    assert page.get_by_role("combobox", name="Source").count() == credits  # a tabular inline: the column's header
    page.locator("#credits-group .add-row a").click()  # a new, empty row (formset:added)
    assert page.get_by_role("combobox", name="Source").count() == credits + 1
    page.context.close()


@pytest.mark.parametrize("language", ["ar", "en", "ur"])
def test_the_workflow_buttons_sit_in_the_object_tools_clear_of_the_headline(
    live_server, chromium, newsroom, staff_cookie, language
):
    """At 1280 px, in each interface language, the workflow buttons neither cover the page's title nor the
    headline field (they used to sit on top of the headline)."""
    path = f"/admin/articles/article/{newsroom.pk}/change/"
    page = _open(chromium, live_server, path, language=language, width="desktop", cookies=[staff_cookie])
    page.evaluate("document.fonts.ready.then(() => true)")
    boxes = page.evaluate(
        """() => {
          const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
          const tools = Array.from(document.querySelectorAll('.object-tools li')).map(box);
          const others = ['#content h1', '#content h2', '#id_headline']
            .map((s) => document.querySelector(s)).filter(Boolean).map(box);
          return {tools, others};
        }"""
    )
    page.context.close()

    def overlap(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    assert boxes["tools"], "the workflow buttons are in the object tools"
    assert boxes["others"]
    assert not [(t, o) for t in boxes["tools"] for o in boxes["others"] if overlap(t, o)], boxes
