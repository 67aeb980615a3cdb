"""Ingest's doors and their neighbours refuse cleanly: append_to names no story the user may not see, keys that
outgrow their columns are refused (never a 500), the moderation queue's story filter takes ASCII ids only."""

import pytest
from django.core.management import call_command

from articles.services import NotAllowed
from articles.services.ingest import ingest
from articles.services.parts import NewPart, append_parts
from articles.services.stories import create_story

pytestmark = pytest.mark.django_db

SECRET = "Embargoed merger of BigCo"
COPY = "عنوان الخبر\n\nنص الخبر."
LIGATURE = "\ufdfa"  # ﷺ: NFKC makes it eighteen letters, so fifteen of them key to 270 characters
LONG_KEYED = LIGATURE * 15


@pytest.fixture
def draft(editor):
    return create_story(headline=SECRET, parts=[NewPart(body="x", continues=True)], by=editor)


@pytest.fixture
def reporter(role):
    return role("Reporter")


# append_to: a story the user may not see is one that does not exist ------------------------------------------


def test_append_to_a_story_the_user_may_not_see_is_answered_as_a_missing_one(api, draft, reporter):
    api.force_authenticate(reporter)

    unseen = api.post(f"/api/v1/ingest/?append_to={draft.pk}", COPY.encode(), content_type="text/plain")
    missing = api.post("/api/v1/ingest/?append_to=999999", COPY.encode(), content_type="text/plain")

    assert unseen.status_code == missing.status_code == 400
    assert "BigCo" not in unseen.content.decode()
    assert unseen.json()["detail"] == missing.json()["detail"].replace("999999", str(draft.pk))
    assert draft.parts.count() == 1


def test_the_unseen_storys_own_copy_with_append_to_is_not_answered_unchanged(api, editor, reporter):
    secret = ingest(text="عنوان سري\n\nنص الخبر السري.", by=editor).article
    api.force_authenticate(reporter)

    response = api.post(
        f"/api/v1/ingest/?append_to={secret.pk}", "عنوان سري\n\nنص الخبر السري.".encode(), content_type="text/plain"
    )

    assert response.status_code == 400
    assert "unchanged" not in response.content.decode()
    assert secret.get_absolute_url() not in response.content.decode()


def test_a_story_the_user_sees_but_may_not_change_is_refused_by_name(api, editor, reporter):
    published = create_story(headline="Published story", parts=[NewPart(body="x")], publish=True, by=editor)
    api.force_authenticate(reporter)

    response = api.post(f"/api/v1/ingest/?append_to={published.pk}", COPY.encode(), content_type="text/plain")

    assert response.status_code == 403
    assert "Published story" in response.json()["detail"]


def test_the_command_may_still_append_to_a_draft(tmp_path, capsys, draft):
    copy = tmp_path / "take.txt"
    copy.write_text(COPY, encoding="utf-8")

    call_command("ingest_wire", str(copy), "--append-to", str(draft.pk))

    assert '"action": "appended"' in capsys.readouterr().out
    assert draft.parts.count() == 2


def test_the_paste_preview_does_not_name_a_story_the_user_may_not_see(client, draft, reporter):
    client.force_login(reporter)

    response = client.post(
        "/admin/articles/article/paste/",
        {"text": COPY, "append_to": draft.pk, "language": "ar", "preview": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "BigCo" not in response.content.decode()
    assert f"there is no story with id {draft.pk} to append to" in response.content.decode()


def test_refusing_a_change_names_no_headline_of_a_story_the_user_may_not_see(draft, reporter):
    with pytest.raises(NotAllowed) as refused:
        append_parts(article=draft.pk, parts=[NewPart(body="y")], by=reporter)

    assert str(draft.pk) in refused.value.message
    assert "BigCo" not in refused.value.message
