"""The editorial workflow: every transition, valid and invalid; roles; scheduling; corrections; retractions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.services import InvalidTransition, NotAllowed
from articles.services.workflow import TRANSITIONS, can_edit, transition

from .factories import ArticleFactory, PartFactory

pytestmark = pytest.mark.django_db

S = Article.Status


def story(status=S.DRAFT, **kwargs):
    if status in (S.PUBLISHED, S.RETRACTED):
        kwargs.setdefault("published_at", timezone.now() - timedelta(minutes=1))
    if status == S.RETRACTED:
        kwargs.setdefault("retraction_notice", "سحب")
        kwargs.setdefault("retracted_at", timezone.now())
    article = ArticleFactory(status=status, **kwargs)
    PartFactory(article=article, number=1)
    return article


# (action, from status, to status, note needed)
VALID = [
    ("submit", S.DRAFT, S.IN_REVIEW),
    ("return", S.IN_REVIEW, S.DRAFT),
    ("publish", S.DRAFT, S.PUBLISHED),
    ("publish", S.IN_REVIEW, S.PUBLISHED),
    ("unpublish", S.PUBLISHED, S.DRAFT),
    ("correct", S.PUBLISHED, S.PUBLISHED),
    ("retract", S.PUBLISHED, S.RETRACTED),
]


@pytest.mark.parametrize(("name", "source", "target"), VALID)
def test_valid_transitions(name, source, target):
    article = story(source)
    version = article.version

    after = transition(article=article, name=name, note="ملاحظة للقراء")

    assert after.status == target
    assert after.version > version
    assert AuditEntry.objects.filter(article=after).exists()


INVALID = [(name, source) for name, spec in TRANSITIONS.items() for source in S.values if source not in spec.sources]


@pytest.mark.parametrize(("name", "source"), INVALID)
def test_invalid_transitions_are_refused_and_change_nothing(name, source):
    article = story(source)

    with pytest.raises(InvalidTransition, match="cannot be"):
        transition(article=article, name=name, note="ملاحظة")

    article.refresh_from_db()
    assert article.status == source
    assert not AuditEntry.objects.exists()


def test_unknown_action_is_refused():
    with pytest.raises(InvalidTransition, match="unknown action"):
        transition(article=story(), name="explode")


def test_publishing_needs_a_part():
    article = ArticleFactory()

    with pytest.raises(InvalidTransition, match="at least one part"):
        transition(article=article, name="publish")


@pytest.mark.parametrize("name", ["correct", "retract"])
def test_corrections_and_retractions_need_a_note(name):
    with pytest.raises(InvalidTransition, match="note"):
        transition(article=story(S.PUBLISHED), name=name, note="   ")


def test_publishing_in_the_future_schedules(client):
    article = story()
    when = timezone.now() + timedelta(hours=2)

    transition(article=article, name="publish", at=when)

    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.is_scheduled
    assert AuditEntry.objects.get().action == AuditEntry.Action.SCHEDULE
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert article.pk not in [item["id"] for item in client.get("/api/v1/articles/").json()["results"]]

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))  # time passes

    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(f"/api/v1/articles/{article.pk}/").status_code == 200


def test_a_scheduled_story_can_be_published_now():
    article = story()
    transition(article=article, name="publish", at=timezone.now() + timedelta(days=1))

    transition(article=article, name="publish")

    article.refresh_from_db()
    assert article.is_public


def test_a_correction_keeps_the_story_published_and_shows_everywhere(client, validator_ninjs=None):
    article = story(S.PUBLISHED)

    transition(article=article, name="correct", note="صُحّح اسم المتحدث.")

    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert "صُحّح اسم المتحدث." in client.get(article.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert api["corrections"][0]["note"] == "صُحّح اسم المتحدث."
    ninjs = client.get(f"/api/v1/articles/{article.pk}/?format=ninjs").json()
    assert "صُحّح اسم المتحدث." in ninjs["edNote"]


def test_a_retraction_replaces_the_public_text_and_keeps_it_in_history(client, editor_api):
    article = story(S.PUBLISHED)
    body = article.parts.get().body

    transition(article=article, name="retract", note="سُحب الخبر لعدم دقته.")

    html = client.get(article.get_absolute_url()).content.decode()
    assert "سُحب الخبر لعدم دقته." in html and body.split("\n")[0] not in html
    public = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert public["status"] == "retracted" and public["parts"] == []
    assert public["retraction_notice"] == "سُحب الخبر لعدم دقته."
    assert client.get(f"/api/v1/articles/{article.pk}/?format=ninjs").json()["pubStatus"] == "canceled"
    assert editor_api.get(f"/api/v1/articles/{article.pk}/").json()["parts"][0]["body"] == body
    assert article.parts.get().body == body


ROLE_MATRIX = {
    # role:        submit own, publish, unpublish, correct, retract, edit others' story
    "Reporter": (True, False, False, False, False, False),
    "Editor": (True, True, True, True, True, True),
    "Translator": (True, False, False, False, False, False),
    "Moderator": (False, False, False, False, False, False),
}


@pytest.mark.parametrize("name", list(ROLE_MATRIX))
def test_role_matrix(role, name):
    user = role(name)
    expected = dict(
        zip(["submit", "publish", "unpublish", "correct", "retract", "edit_others"], ROLE_MATRIX[name], strict=True)
    )
    results = {}
    for action, status in [
        ("submit", S.DRAFT),
        ("publish", S.IN_REVIEW),
        ("unpublish", S.PUBLISHED),
        ("correct", S.PUBLISHED),
        ("retract", S.PUBLISHED),
    ]:
        article = story(status, created_by=user)
        try:
            transition(article=article, name=action, by=user, note="ملاحظة")
            results[action] = True
        except NotAllowed:
            results[action] = False
    results["edit_others"] = can_edit(user, story())

    assert results == expected


def test_a_reporter_edits_and_submits_only_their_own_drafts(role):
    reporter = role("Reporter")
    own, others = story(created_by=reporter), story()

    assert can_edit(reporter, own) and not can_edit(reporter, others)
    with pytest.raises(NotAllowed):
        transition(article=others, name="submit", by=reporter)
    transition(article=own, name="submit", by=reporter)
    own.refresh_from_db()
    assert own.status == S.IN_REVIEW and not can_edit(reporter, own)


def test_workflow_through_the_api(editor_api, api, role):
    article = story()
    url = f"/api/v1/articles/{article.pk}/workflow/"

    assert editor_api.post(url, {"action": "submit"}, format="json").status_code == 200
    published = editor_api.post(url, {"action": "publish"}, format="json")
    refused = editor_api.post(url, {"action": "submit"}, format="json")
    reporter = role("Reporter", "rep2")
    api.force_authenticate(reporter)
    forbidden = api.post(url, {"action": "retract", "note": "x"}, format="json")

    assert published.json()["status"] == "published"
    assert refused.status_code == 409 and "cannot be submitted" in refused.json()["detail"]
    assert forbidden.status_code == 403
    assert AuditEntry.objects.filter(article=article, via="api").count() == 2


def test_workflow_through_the_admin(editor_client):
    article = story()
    url = f"/admin/articles/article/{article.pk}/workflow/publish/"

    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    response = editor_client.post(url, {"at_0": "", "at_1": ""})

    assert url in page
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert AuditEntry.objects.get().via == "admin"


def test_admin_refuses_an_invalid_transition_with_a_message(editor_client):
    article = story(S.PUBLISHED)

    response = editor_client.post(f"/admin/articles/article/{article.pk}/workflow/submit/", {})

    assert response.status_code == 200
    assert "cannot be submitted" in response.content.decode()


def test_admin_bulk_publish(editor_client):
    articles = [story(), story()]

    editor_client.post(
        "/admin/articles/article/", {"action": "publish_selected", "_selected_action": [a.pk for a in articles]}
    )

    assert Article.objects.filter(status=S.PUBLISHED).count() == 2


def test_ingest_may_not_publish_without_the_permission(role, seed_text):
    from articles.services.ingest import ingest

    with pytest.raises(NotAllowed):
        ingest(text=seed_text, publish=True, by=role("Reporter"))
    assert Article.objects.count() == 0


def test_roles_in_the_admin_and_the_api(client, role):
    from rest_framework.test import APIClient

    reporter = role("Reporter")
    own, others_draft, published = story(created_by=reporter), story(), story(S.PUBLISHED)
    client.force_login(reporter)
    api = APIClient()
    api.force_authenticate(reporter)

    own_page = client.get(f"/admin/articles/article/{own.pk}/change/").content.decode()
    published_page = client.get(f"/admin/articles/article/{published.pk}/change/").content.decode()

    assert 'name="headline"' in own_page and "workflow/submit/" in own_page
    assert 'name="headline"' not in published_page  # read-only for a reporter
    assert "workflow/publish/" not in own_page
    # Another reporter's draft is not the reporter's to see, anywhere.
    assert client.get(f"/admin/articles/article/{others_draft.pk}/change/").status_code == 302
    assert api.get(f"/api/v1/articles/{others_draft.pk}/").status_code == 404
    assert api.patch(f"/api/v1/articles/{own.pk}/", {"summary": "x"}, format="json").status_code == 200
    assert api.patch(f"/api/v1/articles/{published.pk}/", {"summary": "x"}, format="json").status_code == 403
    assert api.delete(f"/api/v1/articles/{own.pk}/").status_code == 403  # reporters do not delete
    assert api.post(f"/api/v1/articles/{published.pk}/parts/", {"body": "x"}, format="json").status_code == 403


def test_the_audit_trail_is_listed_read_only_in_the_admin(editor_client):
    article = story()
    transition(article=article, name="publish")

    page = editor_client.get("/admin/articles/auditentry/").content.decode()

    assert article.headline in page
    assert editor_client.get("/admin/articles/auditentry/add/").status_code == 403
