"""What a reader's review in the browser found on the public pages, held in the HTML they are served
(docs/pages.md, "Read in a browser"; the browser's side is tests/browser/test_reader_review.py)."""

import re

import pytest

from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import sources as source_services
from articles.services import stories

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'<p class="search-count" role="status">(.*?)</p>', re.S)


def page(client, path, language="en", **params) -> str:
    return client.get(path, params, headers={"accept-language": language}).content.decode()


@pytest.fixture
def story():
    return stories.create_story(
        headline="قلق إزاء التصعيد",
        byline="Leila Haddad, Reuters.",
        parts=[part_services.NewPart(body="نص الخبر.")],
        publish=True,
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "لا خبر عن «\u2068zzqq\u2069»."),
        ("en", "0 stories found for “\u2068zzqq\u2069”."),
        ("ur", "“\u2068zzqq\u2069” کے لیے 0 خبریں ملیں۔"),
    ],
)
def test_a_search_that_finds_nothing_says_so(client, story, language, expected):
    """It used to show the form and nothing under it, as if the search had not run."""
    html = page(client, "/search/", language, q="zzqq")

    assert COUNT.search(html).group(1) == expected


def test_the_count_sentence_isolates_the_query(client, story):
    """A query's own direction, or a U+202E it carries, cannot turn the sentence round it: it is quoted between
    U+2068 and U+2069, as in the page's title."""
    html = page(client, "/search/", "ar", q="قلق\u202e")

    assert "«\u2068قلق\u202e\u2069»" in COUNT.search(html).group(1)


def test_the_search_filter_names_each_language_in_itself(client):
    html = page(client, "/search/", q="قلق")

    assert '<option value="ar" lang="ar">العربية</option>' in html
    assert '<option value="ur" lang="ur">اردو</option>' in html
    assert '<option value="en" lang="en">English</option>' in html
    assert ">fa</option>" not in html


def test_the_search_box_follows_what_is_typed_until_there_is_a_query(client):
    assert 'id="q" name="q" value="" dir="auto"' in page(client, "/search/", "ar")
    assert 'id="q" name="q" value="قلق" dir="rtl"' in page(client, "/search/", "en", q="قلق")


def test_the_query_in_the_title_is_isolated_from_the_words_around_it(client):
    """A query carrying U+202E (right-to-left override) cannot turn the rest of the tab's title around."""
    html = page(client, "/search/", q="قلق\u202e")

    assert "<title>&#x2068;قلق\u202e&#x2069; — Search — Newsroom</title>" in html


def test_latin_words_in_a_story_and_a_source_page_keep_their_own_direction(client, story):
    source = source_services.create_source(name="Sputnik", website="https://sputniknews.com/ar/")

    assert '<span class="byline" dir="auto">Leila Haddad, Reuters.</span>' in page(client, story.get_absolute_url())
    assert 'href="https://sputniknews.com/ar/" rel="noopener" dir="ltr"' in page(client, source.get_absolute_url())


def test_the_comment_form_answers_at_itself_and_names_what_it_asks_for(client, story):
    html = page(client, story.get_absolute_url())

    assert f'action="/articles/{story.pk}/comments/#comment-form"' in html
    assert 'name="name" id="id_name" value="" dir="auto" autocomplete="name"' in html
    assert 'name="email" id="id_email" value="" dir="auto" autocomplete="email"' in html
    assert 'name="website" id="id_website" value="" dir="auto" tabindex="-1" autocomplete="off"' in html


def test_a_reply_link_leads_to_the_story_from_the_page_a_refused_comment_answers(client, story):
    """The page answering a refused post lives at …/comments/: a link relative to it asked for the comment
    endpoint, which redirects to the story without the reply."""
    posted = comment_services.post_comment(article=story, name="ليلى", body="متابعة مهمة.")
    comment_services.moderate(comment=posted.comment, action="approve")

    refused = client.post(
        f"/articles/{story.pk}/comments/",
        {"name": "", "body": "نص", "email": "", "parent": "", "website": ""},
        headers={"origin": "http://testserver", "accept-language": "en"},
    )

    assert refused.status_code == 400
    reply = f'href="{story.get_absolute_url()}?reply={posted.comment.pk}#comment-form"'
    assert reply in refused.content.decode()
    assert reply in page(client, story.get_absolute_url())


@pytest.fixture
def answered(story):
    posted = comment_services.post_comment(article=story, name="Leila H.", body="متابعة مهمة.")
    comment_services.moderate(comment=posted.comment, action="approve")
    return posted.comment


@pytest.mark.parametrize(
    ("language", "heading", "said"),
    [
        ("en", "Reply to \u2068Leila H.\u2069", "Your reply to \u2068Leila H.\u2069 will appear under their comment."),
        ("ar", "الرد على \u2068Leila H.\u2069", "سيظهر ردك تحت تعليق \u2068Leila H.\u2069."),
        ("ur", "\u2068Leila H.\u2069 کو جواب", "آپ کا جواب \u2068Leila H.\u2069 کے تبصرے کے نیچے ظاہر ہوگا۔"),
    ],
)
def test_the_reply_form_says_whom_it_answers(client, story, answered, language, heading, said):
    html = page(client, story.get_absolute_url(), language, reply=answered.pk)

    assert f'<h3 id="comment-form-heading">{heading}</h3>' in html
    assert said in html
    assert 'aria-labelledby="comment-form-heading"' in html


def test_a_reply_to_a_comment_the_page_does_not_show_says_it_without_a_name(client, story, answered):
    html = page(client, story.get_absolute_url(), reply=answered.pk + 1000)

    assert "Your reply will appear under the comment you answer." in html
    assert '<h3 id="comment-form-heading">Write a comment</h3>' in html


def test_each_report_button_says_whose_comment_it_reports(client, story, answered):
    html = page(client, story.get_absolute_url(), "ar")

    assert "سبب الإبلاغ" in html
    assert 'aria-label="الإبلاغ عن تعليق Leila H."' in html


def test_a_take_label_from_the_wire_is_marked_in_the_story_language_inside_the_interface_line(client):
    """«Part 2 · إضافة أولى» in the English interface: the label is the copy's Arabic, not English."""
    story = stories.create_story(
        headline="قلق",
        parts=[
            part_services.NewPart(body="نص.", continues=True),
            part_services.NewPart(body="تتمة.", label="إضافة أولى"),
        ],
        publish=True,
    )

    html = page(client, story.get_absolute_url())

    assert 'Part 2 · <span lang="ar" dir="rtl">إضافة أولى</span></p>' in html
