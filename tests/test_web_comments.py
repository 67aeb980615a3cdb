"""Readers' comments on the story page: posting without JavaScript, refusals with the text kept, modes, closing,
cross-site posts, rate limits, reports, escaping and the query budget."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Comment, ModerationTerm
from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import stories

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def story():
    return stories.create_story(headline="قلق", parts=[part_services.NewPart(body="نص الخبر.")], publish=True)


def post(client, story, origin=SITE, headers=None, **fields):
    data = {"name": "ليلى", "email": "", "body": "تعليق مفيد على الخبر.", "parent": "", "website": ""}
    data.update(fields)
    all_headers = {"origin": origin, "accept-language": "en", **(headers or {})} if origin else headers or {}
    return client.post(f"/articles/{story.pk}/comments/", data, headers=all_headers)


def test_a_comment_waits_for_moderation_by_default_and_the_page_says_so(client, story):
    response = post(client, story)

    assert response.status_code == 302 and response["Location"].endswith("?comment=pending#comments")
    comment = Comment.objects.get()
    assert comment.status == "pending" and comment.held_for == "pre-moderation"
    page = client.get(response["Location"], headers={"accept-language": "en"}).content.decode()
    assert "will appear once a moderator has read it" in page and "تعليق مفيد" not in page
    assert "Set-Cookie" not in client.get(story.get_absolute_url()).headers


def test_post_moderation_shows_it_at_once(client, story, settings):
    settings.NEWSROOM_COMMENTS_MODERATION = "post"

    response = post(client, story)

    assert response["Location"].endswith("?comment=published#comments")
    assert "تعليق مفيد على الخبر." in client.get(story.get_absolute_url()).content.decode()


def test_new_commenters_wait_until_they_have_approved_comments(client, story, settings):
    settings.NEWSROOM_COMMENTS_MODERATION = "new"
    settings.NEWSROOM_COMMENTS_TRUSTED_AFTER = 1
    post(client, story, email="layla@example.org")
    first = Comment.objects.get()
    assert first.status == "pending" and first.held_for == "new commenter"
    comment_services.moderate(comment=first, action="approve")

    post(client, story, email="LAYLA@example.org", body="تعليق ثان.", headers={"x-forwarded-for": "x"})

    assert Comment.objects.get(body="تعليق ثان.").status == "approved"


@pytest.mark.parametrize(
    ("origin", "headers"),
    [("https://evil.example", {}), (SITE, {"sec-fetch-site": "cross-site"}), (None, {})],
    ids=["foreign-origin", "cross-site-fetch", "no-origin-or-referer"],
)
def test_a_cross_site_post_is_refused(client, story, origin, headers):
    response = post(client, story, origin=origin, headers=headers)

    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_referer_from_the_site_is_enough_without_origin(client, story):
    response = post(client, story, origin=None, headers={"referer": f"{SITE}{story.get_absolute_url()}"})

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Please give a name."),
        ({"body": "   "}, "body", "Please write your comment."),
        ({"body": "ب" * 5001}, "body", "at most 5000 characters"),
        ({"email": "not-an-address"}, "email", "does not look right"),
        ({"body": "نص\x00فيه"}, "body", "Null characters are not allowed"),
    ],
)
def test_every_refusal_keeps_what_the_reader_typed(client, story, fields, field, message):
    response = post(client, story, **fields)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert ("تعليق مفيد على الخبر." if field == "name" else "ليلى") in html  # what was typed is still there
    assert Comment.objects.count() == 0


def test_word_rules_refuse_or_hold_across_spelling_variants(client, story, settings):
    settings.NEWSROOM_COMMENTS_MODERATION = "post"
    comment_services.save_term(term="كلمة محظورة", action=ModerationTerm.Action.REJECT)
    comment_services.save_term(term="مؤامرة", action=ModerationTerm.Action.HOLD)

    refused = post(client, story, body="هذه كلمةٌ مَحظـورة في التعليق")
    held = post(client, story, body="إنها مؤامره كبرى")
    assert held.status_code == 302
    inside = post(client, story, body="المؤامرات كثيرة")

    assert refused.status_code == 400 and "cannot be published" in refused.content.decode()
    assert Comment.objects.get(body="إنها مؤامره كبرى").status == "pending"
    assert Comment.objects.get(body="إنها مؤامره كبرى").held_for == "term: مؤامرة"
    assert inside.status_code == 302 and Comment.objects.get(body="المؤامرات كثيرة").status == "approved"


def test_too_many_links_hold_a_comment(client, story, settings):
    settings.NEWSROOM_COMMENTS_MODERATION = "post"

    post(client, story, body="http://a.example http://b.example http://c.example")

    assert Comment.objects.get().held_for == "links"


def test_a_honeypot_comment_is_discarded_quietly(client, story):
    response = post(client, story, website="http://spam.example")

    assert response.status_code == 302 and Comment.objects.count() == 0


def test_the_rate_limit_answers_with_retry_after(client, story, settings):
    settings.NEWSROOM_COMMENTS_RATE_IP = "2/minute"
    post(client, story)
    post(client, story)

    response = post(client, story, body="الثالث")

    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "too fast" in response.content.decode() and "الثالث" in response.content.decode()


def test_closed_and_auto_closed_stories_show_why_and_refuse(client, story, settings):
    stories.edit_story(article=story, changes={})  # nothing: still open
    story.comments_open = False
    story.save(update_fields=["comments_open"])
    assert (
        "Comments on this story are closed."
        in client.get(story.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    )
    assert post(client, story).status_code == 400

    old = stories.create_story(headline="قديم", parts=[part_services.NewPart(body="نص.")], publish=True)
    old.published_at = timezone.now() - timedelta(days=settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS + 1)
    old.save(update_fields=["published_at"])
    html = client.get(old.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert "Comments close 14 days after" in html and 'id="comment-form"' not in html


def test_a_draft_takes_no_comments(client):
    draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body="نص.")])

    assert post(client, draft).status_code == 404


def test_replies_stay_one_level_deep_and_featured_come_first(client, story, settings):
    settings.NEWSROOM_COMMENTS_MODERATION = "post"
    post(client, story, body="الأول")
    first = Comment.objects.get(body="الأول")
    post(client, story, body="رد", parent=first.pk)
    post(client, story, body="رد على الرد", parent=Comment.objects.get(body="رد").pk)
    post(client, story, body="الثاني المميز")
    comment_services.moderate(comment=Comment.objects.get(body="الثاني المميز"), action="feature")

    assert Comment.objects.get(body="رد على الرد").parent == first
    html = client.get(story.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert html.index("Featured comments") < html.index("الثاني المميز") < html.index("الأول")


def test_a_reply_link_fills_the_forms_hidden_parent_and_a_made_up_one_does_not(client, story):
    plain = client.get(story.get_absolute_url()).content.decode()
    reply = client.get(f"{story.get_absolute_url()}?reply=42", headers={"accept-language": "en"}).content.decode()
    hostile = client.get(f"{story.get_absolute_url()}?reply=4%22%3E2").content.decode()

    assert '<input type="hidden" name="parent" id="id_parent">' in plain
    assert '<input type="hidden" name="parent" id="id_parent" value="42">' in reply
    assert "Your reply will appear under the comment you answer." in reply
    assert '<input type="hidden" name="parent" id="id_parent">' in hostile  # not a number: no reply


def test_a_story_whose_slug_is_comments_still_opens(client):
    article = stories.create_story(
        headline="x", slug="comments", parts=[part_services.NewPart(body="نص.")], publish=True
    )

    assert client.get(f"/articles/{article.pk}/comments/").status_code == 200


def test_hostile_comments_are_rendered_as_text(client, story, settings):
    settings.NEWSROOM_COMMENTS_MODERATION = "post"
    post(
        client,
        story,
        name='"><img src=x onerror=alert(1)>',
        body="<script>alert(1)</script> \u202eاقرأ\u202c " + "ك" * 300,
    )

    html = client.get(story.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "\u202e" not in html


def test_reports_are_counted_once_per_reader_and_never_shown(client, story, settings):
    settings.NEWSROOM_COMMENTS_MODERATION = "post"
    post(client, story)
    comment = Comment.objects.get()
    url = f"/articles/{story.pk}/comments/{comment.pk}/report/"

    client.post(url, {"reason": "spam"}, headers={"origin": SITE})
    client.post(url, {"reason": "spam"}, headers={"origin": SITE})

    comment.refresh_from_db()
    assert comment.reports == 1
    assert "reports" not in client.get(story.get_absolute_url()).content.decode().lower().replace("report", "", 2)


def test_the_page_costs_the_same_queries_with_200_comments(client, story, django_assert_max_num_queries):
    Comment.objects.bulk_create(
        Comment(article=story, name=f"قارئ {n}", body=f"تعليق {n}", status="approved") for n in range(200)
    )

    # The page's reads, and the write that stores it: in a savepoint here, as the test runs in a transaction.
    with django_assert_max_num_queries(9 + 3):
        html = client.get(story.get_absolute_url()).content.decode()
    assert html.count('class="comment"') == 200
