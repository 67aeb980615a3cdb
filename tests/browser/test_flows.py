"""The whole road in a real browser, as people take it: an editor pastes the seed wire copy into the Arabic admin,
reads the preview, saves, files it in a section and publishes it; a reader finds it on the home page and in its
section, reads it, switches to English, comments and finds it again by search. axe checks every page on the way."""

from pathlib import Path

import pytest

from articles.models import Article, Comment, Section

from .conftest import without_leave_beacon

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[2] / "articles" / "fixtures" / "seed" / "csto-karabakh-2020-09-28.txt"
HEADLINE = "الأمين العام لمنظمة معاهدة الأمن الجماعي يعرب عن قلقه إزاء التصعيد في قره باغ"
SECTION = "سياسة"


def test_an_editor_publishes_pasted_copy_and_a_reader_finds_reads_and_answers_it(
    live_server, chromium, editor, assert_accessible
):
    Section.objects.create(name=SECTION, slug="politics")  # the desk exists; the editor files the story in it

    editor_session = chromium.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    without_leave_beacon(editor_session)
    page = editor_session.new_page()
    _editor_logs_in(page, live_server)
    _editor_pastes_and_saves(page, live_server, assert_accessible)
    story = Article.objects.get()
    _editor_files_and_publishes(page, story, assert_accessible)
    editor_session.close()

    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.section.name == SECTION

    reader_session = chromium.new_context(locale="ar", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = reader_session.new_page()
    _reader_reads(page, live_server, story, assert_accessible)
    _reader_comments_and_searches(page, story, assert_accessible)
    reader_session.close()


def _editor_logs_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/login/" in page.url
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "pw-editor-123")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.locator("#user-tools").count() == 1, "the editor is logged in"
    assert page.get_attribute("html", "lang") == "ar" and page.get_attribute("html", "dir") == "rtl"


def _editor_pastes_and_saves(page, live_server, assert_accessible) -> None:
    page.goto(f"{live_server.url}/admin/articles/article/paste/")
    assert_accessible(page, "the paste page")
    page.fill("textarea[name=text]", SEED.read_text(encoding="utf-8"))
    with page.expect_navigation():
        page.click("input[name=preview]")

    # The preview says what Newsroom read, and stores nothing yet.
    preview = page.locator("#wire-preview")
    assert preview.locator(".preview-headline").inner_text() == HEADLINE
    assert preview.locator(".preview-part").count() == 2, "the copy's two takes"
    assert "سبوتنيك" in preview.inner_text(), "the agency named in the dateline"
    assert not Article.objects.exists()
    assert_accessible(page, "the paste preview")

    with page.expect_navigation():
        page.click("input[name=save]")
    assert "/change/" in page.url
    assert page.locator(".messagelist .success").count() == 1


def _editor_files_and_publishes(page, story, assert_accessible) -> None:
    assert_accessible(page, "the story's change page")
    # The section box is the admin's autocomplete: open it, type, pick the desk.
    page.locator("#id_section + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(SECTION)
    page.locator(".select2-results__option", has_text=SECTION).click()
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert page.locator(".messagelist .success").count() == 1
    assert page.locator("#id_section").input_value() == str(Section.objects.get().pk)

    with page.expect_navigation():
        page.click("a.workflow-publish")
    assert_accessible(page, "the publish step")
    with page.expect_navigation():
        page.click("input[type=submit].default")  # no time given: published now
    assert f"/admin/articles/article/{story.pk}/change/" in page.url


def _reader_reads(page, live_server, story, assert_accessible) -> None:
    page.goto(live_server.url + "/")
    assert_accessible(page, "the home page")
    card = page.locator(".story-card", has_text=HEADLINE)
    assert card.count() == 1

    with page.expect_navigation():
        card.locator("a.section").click()
    assert page.locator("h1").inner_text() == SECTION
    assert_accessible(page, "the section page")

    with page.expect_navigation():
        page.get_by_role("link", name=HEADLINE).first.click()
    assert page.locator("h1.story__headline").inner_text() == HEADLINE
    assert page.get_attribute("article.story", "dir") == "rtl"
    assert page.locator(".part").count() == 2
    assert_accessible(page, "the story page (Arabic)")

    # The interface switches to English; the story stays Arabic, right to left.
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click(".language-switch button[type=submit]")
    assert page.url.endswith(story.get_absolute_url())
    assert page.get_attribute("html", "lang") == "en" and page.get_attribute("html", "dir") == "ltr"
    assert page.get_attribute("article.story", "dir") == "rtl"
    assert_accessible(page, "the story page (English interface)")


def _reader_comments_and_searches(page, story, assert_accessible) -> None:
    page.fill("#comment-form input[name=name]", "ليلى")
    page.fill("#comment-form textarea[name=body]", "متابعة مهمة لما يجري في قره باغ.")
    with page.expect_navigation():
        page.click("#comment-form button[type=submit]")
    assert "?comment=pending" in page.url
    assert page.locator(".comments__notice").count() == 1
    assert Comment.objects.get().article_id == story.pk
    assert_accessible(page, "the story page after commenting")

    page.fill("#site-search-q", "قره باغ")
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    assert "/search/" in page.url
    result = page.locator(".search-result", has_text=HEADLINE)
    assert result.count() == 1
    assert result.locator("a").get_attribute("href") == story.get_absolute_url()
    assert_accessible(page, "the search results")
