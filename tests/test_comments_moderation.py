"""Moderation in the admin and the API, with permissions and the audit trail."""

import pytest

from articles.models import AuditEntry, Comment
from articles.services import comments as comment_services
from articles.services import parts as part_services
from articles.services import stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return stories.create_story(headline="قلق", parts=[part_services.NewPart(body="نص.")], publish=True)


@pytest.fixture
def pending(story):
    return comment_services.post_comment(
        article=story, name="ليلى", email="layla@example.org", body="تعليق ينتظر.", ip="203.0.113.9"
    ).comment


def test_a_moderator_approves_from_the_admin_queue_and_it_is_audited(client, role, pending):
    moderator = role("Moderator")
    client.force_login(moderator)

    queue = client.get("/admin/articles/comment/", headers={"accept-language": "en"}).content.decode()
    index = client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    response = client.post(
        "/admin/articles/comment/", {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )

    assert "تعليق ينتظر." in queue and "pre-moderation" in queue
    assert "1 comment awaits moderation." in index
    assert response.status_code == 200
    assert Comment.objects.get().status == "approved"
    entry = AuditEntry.objects.get(action="moderate")
    assert entry.user == moderator and entry.detail == {"comment": pending.pk, "action": "approve"}


def test_a_reporter_cannot_moderate(client, role, pending):
    client.force_login(role("Reporter"))

    assert client.get("/admin/articles/comment/").status_code == 403
    with pytest.raises(Exception, match="moderate"):
        comment_services.moderate(comment=pending, action="approve", by=role("Reporter", "other"))


def test_the_api_queue_is_for_moderators(api, role, pending, story):
    assert api.get("/api/v1/comments/").status_code == 401
    api.force_authenticate(role("Reporter"))
    assert api.get("/api/v1/comments/").status_code == 403

    api.force_authenticate(role("Moderator"))
    queue = api.get("/api/v1/comments/", {"status": "pending", "article": story.pk}).json()
    moderated = api.post(f"/api/v1/comments/{pending.pk}/moderate/", {"action": "feature"}, format="json")

    assert [item["id"] for item in queue["results"]] == [pending.pk]
    assert queue["results"][0]["email"] == "layla@example.org" and queue["results"][0]["held_for"]
    assert moderated.status_code == 200 and moderated.json()["featured"] is True
    assert moderated.json()["status"] == "approved"
    assert api.get("/api/v1/comments/", {"status": "nonsense"}).status_code == 400


def test_anonymous_clients_read_approved_comments_of_public_stories_without_emails(api, story, pending):
    assert api.get(f"/api/v1/articles/{story.pk}/comments/").json() == []
    comment_services.moderate(comment=pending, action="approve")

    [item] = api.get(f"/api/v1/articles/{story.pk}/comments/").json()

    assert set(item) == {"id", "parent", "name", "body", "created", "featured", "staff"}
    draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body="نص.")])
    assert api.get(f"/api/v1/articles/{draft.pk}/comments/").status_code == 404


def test_comments_open_is_writable_through_the_api(editor_api, story):
    response = editor_api.patch(f"/api/v1/articles/{story.pk}/", {"comments_open": False}, format="json")

    assert response.status_code == 200 and response.json()["comments_open"] is False
    assert comment_services.closed_because(stories.Article.objects.get(pk=story.pk))


def test_forgetting_a_commenter_deletes_their_comments(role, story, pending):
    comment_services.post_comment(article=story, name="ليلى", email="Layla@Example.org", body="ثان.", ip="x")

    assert comment_services.forget_commenter(email="layla@example.org", by=role("Moderator")) == 2
    assert Comment.objects.count() == 0


def test_stored_ip_addresses_and_emails_are_hashes(pending):
    assert "203.0.113.9" not in pending.ip_hash and len(pending.ip_hash) == 64
    assert pending.email_hash and "layla" not in pending.email_hash


def test_the_story_list_shows_comment_counts(editor_client, pending):
    html = editor_client.get("/admin/articles/article/").content.decode()

    assert 'class="field-comments_count">1 (' in html


def test_word_rules_are_managed_in_the_admin(editor_client):
    response = editor_client.post("/admin/articles/moderationterm/add/", {"term": "  كلمةٌ   سيئة ", "action": "hold"})

    assert response.status_code == 302
    rule = comment_services.ModerationTerm.objects.get()
    assert rule.term == "كلمةٌ سيئة" and rule.key == "كلمه سييه"
