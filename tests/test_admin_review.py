"""An editor's review of the admin (docs/decisions.md, issue 20, fifteenth round), held in the served HTML: text
typed by readers, reporters and wires takes its own direction in every interface, and the fields where Arabic is
typed in the English admin follow what is typed."""

import re

import pytest

from articles.models import Comment
from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return stories.create_story(
        headline="قلق إزاء التصعيد", parts=[part_services.NewPart(body="نص.", label="إضافة أولى")], publish=True
    )


@pytest.fixture
def arabic_comment(story):
    return comment_services.post_comment(
        article=story, name="ليلى", email="layla@example.org", body="تعليق ينتظر.\nسطر ثان.", ip="203.0.113.9"
    ).comment


def _tag(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, f"{pattern!r} not in the page"
    return found.group(0)


def test_the_moderation_queue_shows_a_comment_and_its_writer_in_their_own_direction(client, role, arabic_comment):
    client.force_login(role("Moderator"))
    html = client.get("/admin/articles/comment/?status__exact=pending").content.decode()
    assert '<span dir="auto">تعليق ينتظر.' in html
    assert '<span dir="auto">ليلى</span>' in html


def test_a_comments_page_shows_its_words_in_their_own_direction_and_not_as_a_form(client, role, arabic_comment):
    client.force_login(role("Moderator"))
    html = client.get(f"/admin/articles/comment/{arabic_comment.pk}/change/").content.decode()
    assert '<div dir="auto" class="comment-text">تعليق ينتظر.<br>سطر ثان.</div>' in html
    assert '<span dir="auto">ليلى</span>' in html
    # the reader's words are shown, never offered for editing
    assert 'name="body"' not in html and 'name="name"' not in html
    assert Comment.objects.get(pk=arabic_comment.pk).body == "تعليق ينتظر.\nسطر ثان."


def test_the_story_list_shows_each_headline_in_its_own_direction(editor_client, story):
    html = editor_client.get("/admin/articles/article/").content.decode()
    assert '<span dir="auto">قلق إزاء التصعيد</span>' in html


def test_the_fields_where_arabic_is_typed_follow_what_is_typed(editor_client, story):
    html = editor_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    for name in ("slug", "dateline_place", "parts-0-label"):
        assert 'dir="auto"' in _tag(html, rf'<input[^>]*name="{name}"[^>]*>'), name
    # the object's name over the form is the headline: Arabic, whatever the interface
    assert '<h2 dir="auto">قلق إزاء التصعيد</h2>' in html
    # "Translate into…" names each language in itself, in its own script
    assert 'lang="ur" dir="auto">' in _tag(html, r'<a [^>]*class="translate-ur"[^>]*>')


@pytest.mark.parametrize("path", ["/admin/articles/article/", "/admin/articles/comment/", "/admin/articles/source/"])
def test_the_lists_search_box_follows_what_is_typed_and_its_icon_is_named_in_the_interface(editor_client, path):
    from django.conf import settings
    from django.utils import translation

    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = editor_client.get(path).content.decode()
    assert 'dir="auto"' in _tag(html, r'<input[^>]*id="searchbar"[^>]*>')
    with translation.override("ar"):
        assert f'alt="{translation.gettext("Search")}"' in _tag(html, r"<img[^>]*search\.svg[^>]*>")
    assert 'alt="Search"' not in html


def test_the_paste_preview_refuses_a_headline_saving_would_refuse_and_keeps_the_copy(client, role):
    client.force_login(role("Reporter"))
    copy = "عنوان " + "طويل " * 120 + "\n\nالرياض - واس\nنص الخبر هنا.\n"
    response = client.post("/admin/articles/article/paste/", {"text": copy, "language": "ar", "preview": "1"})
    html = response.content.decode()
    # said at the preview, where the reporter still has the copy in front of them, not first after "Save story"
    assert "the headline is 605 characters long; the limit is 500" in html
    assert 'name="save"' not in html
    assert response.context["form"]["text"].value() == copy


def test_the_story_page_marks_the_story_words_with_the_story_language(editor_client, story):
    english = stories.create_story(headline="Concern", language="en", parts=[part_services.NewPart(body="Text.")])
    for article, language in [(story, "ar"), (english, "en")]:
        html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
        for pattern in (
            r'<input[^>]*name="headline"[^>]*>',
            r'<textarea[^>]*name="summary"[^>]*>',
            r'<input[^>]*name="parts-0-label"[^>]*>',
            r'<textarea[^>]*name="parts-0-body"[^>]*>',
        ):
            assert f'lang="{language}"' in _tag(html, pattern), (language, pattern)


def test_an_annotations_words_follow_their_direction_in_its_form_and_list(editor, editor_client, story):
    from articles.services import annotations as annotation_services

    response = editor_client.get(f"/admin/articles/annotation/add/?article={story.pk}&part_number=1&exact=نص")
    html = response.content.decode()
    for name in ("prefix", "suffix"):
        assert 'dir="auto"' in _tag(html, rf'<input[^>]*name="{name}"[^>]*>'), name
    annotation_services.create_annotation(article=story, part_number=1, exact="نص", body="ملاحظة", by=editor)
    assert '<span dir="auto">نص</span>' in editor_client.get("/admin/articles/annotation/").content.decode()
