"""Revisions: every save is recorded with who and when; diff; restore (a new revision); recover deleted."""

import pytest
from django.utils import timezone
from reversion.models import Version

from articles import selectors
from articles.models import Article, AuditEntry
from articles.services import parts as part_services
from articles.services import revisions, workflow
from articles.services import stories as story_services
from articles.services.ingest import ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_by_editor(seed_text, editor):
    return ingest(text=seed_text, publish=True, by=editor).article


def test_ingest_admin_and_api_saves_each_record_a_revision(seed_by_editor, editor, editor_api, editor_client):
    assert selectors.history(seed_by_editor).count() == 1
    assert selectors.history(seed_by_editor).first().revision.user == editor

    part_services.append_part(article=seed_by_editor, body="جزء ثالث", by=editor)
    editor_api.patch(f"/api/v1/articles/{seed_by_editor.pk}/", {"summary": "خلاصة"}, format="json")

    history = list(selectors.history(seed_by_editor))
    assert len(history) == 3
    assert history[0].field_dict["summary"] == "خلاصة"
    snapshot = selectors.snapshot(history[1])
    assert [part["number"] for part in snapshot["parts"]] == [1, 2, 3]
    assert [credit["position"] for credit in snapshot["credits"]] == [1, 2]


def test_restore_round_trip_is_itself_a_new_revision(seed_by_editor, editor):
    first = selectors.history(seed_by_editor).first()
    original_headline = seed_by_editor.headline
    story_services.edit_story(article=seed_by_editor, changes={"headline": "عنوان خاطئ"}, by=editor)
    part_services.append_part(article=seed_by_editor, body="جزء لا لزوم له", by=editor)
    version_before = Article.objects.get(pk=seed_by_editor.pk).version

    restored = revisions.restore(article=seed_by_editor, version_id=first.pk, by=editor, via="admin")

    assert restored.headline == original_headline
    assert restored.parts.count() == 2
    assert restored.version == version_before + 1  # forward, never back to the old number
    assert selectors.history(seed_by_editor).count() == 4
    assert selectors.history(seed_by_editor).first().revision.comment.startswith("restored revision")
    assert AuditEntry.objects.filter(action="restore").exists()


def test_a_deleted_story_is_recovered_with_its_parts(seed_by_editor, editor):
    pk = seed_by_editor.pk
    story_services.delete_story(article=seed_by_editor, by=editor, via="admin")
    assert not Article.objects.filter(pk=pk).exists()
    deleted = selectors.deleted_stories().get(object_id=str(pk))

    before = timezone.now()
    article = revisions.recover(version_id=deleted.pk, by=editor, via="admin")

    assert article.pk == pk and article.parts.count() == 2 and article.credits.count() == 2
    # The recovery is the story's latest change: by whom and when (a partner reading changes since a time sees it).
    stored = Article.objects.get(pk=pk)
    assert stored.updated_by == editor and stored.updated_at >= before
    assert list(AuditEntry.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "publish",
        "delete",
        "recover",
    ]


def test_admin_history_shows_a_right_to_left_diff_and_restores(editor_client, seed_by_editor, editor):
    story_services.edit_story(article=seed_by_editor, changes={"headline": "عنوان جديد للخبر"}, by=editor)
    new, old = list(selectors.history(seed_by_editor))[:2]
    url = f"/admin/articles/article/{seed_by_editor.pk}/revisions/"

    page = editor_client.get(url, {"a": old.pk, "b": new.pk}).content.decode()

    assert 'id="revision-diff"' in page
    assert 'dir="rtl" lang="ar"' in page
    assert "<ins>" in page and "<del>" in page

    response = editor_client.post(f"{url}{old.pk}/restore/")

    assert response.status_code == 302
    assert Article.objects.get(pk=seed_by_editor.pk).headline == old.field_dict["headline"]


def test_admin_lists_and_recovers_deleted_stories(editor_client, seed_by_editor):
    editor_client.post(f"/admin/articles/article/{seed_by_editor.pk}/delete/", {"post": "yes"})
    assert not Article.objects.exists()
    deleted = Version.objects.get_deleted(Article).first()

    page = editor_client.get("/admin/articles/article/deleted/").content.decode()
    response = editor_client.post(f"/admin/articles/article/deleted/{deleted.pk}/recover/")

    assert seed_by_editor.headline in page
    assert response.status_code == 302
    assert Article.objects.filter(pk=seed_by_editor.pk).exists()


def test_revisions_through_the_api(editor_api, seed_by_editor, editor):
    from rest_framework.test import APIClient

    story_services.edit_story(article=seed_by_editor, changes={"summary": "تغيير"}, by=editor)
    url = f"/api/v1/articles/{seed_by_editor.pk}/revisions/"

    listed = editor_api.get(url).json()
    oldest = listed[-1]
    one = editor_api.get(f"{url}{oldest['id']}/").json()
    assert one["revision"]["id"] == oldest["id"]
    restored = editor_api.post(f"{url}{oldest['id']}/restore/")

    assert len(listed) == 2 and listed[0]["user"] == "editor"
    assert one["article"]["summary"] == "" and len(one["parts"]) == 2
    assert restored.status_code == 200 and restored.json()["summary"] == ""
    assert APIClient().get(url).status_code == 404  # a history is nobody's business but the desk's


def test_preview_of_a_draft_and_of_a_revision_is_for_staff_only(editor_client, seed_text, editor):
    from django.test import Client

    draft = ingest(text=seed_text, by=editor).article
    version = selectors.history(draft).first()

    assert Client().get(f"/preview/articles/{draft.pk}/").status_code == 302  # to the login page
    page = editor_client.get(f"/preview/articles/{draft.pk}/").content.decode()
    old = editor_client.get(f"/preview/articles/{draft.pk}/revisions/{version.pk}/").content.decode()

    assert draft.headline in page and 'class="preview-banner"' in page and "noindex" in page
    assert draft.headline in old and 'id="part-2"' in old
    assert editor_client.get(f"/preview/articles/{draft.pk}/revisions/999999/").status_code == 404


def test_an_admin_save_of_story_and_parts_is_one_revision(editor_client, seed_by_editor):
    from .admin_forms import change_form_data

    before = selectors.history(seed_by_editor).count()
    data = change_form_data(seed_by_editor, new_body="جزء جديد", extra={"summary": "خلاصة", "parts-0-body": "نص معدل"})

    assert editor_client.post(f"/admin/articles/article/{seed_by_editor.pk}/change/", data).status_code == 302

    history = list(selectors.history(seed_by_editor))
    assert len(history) == before + 1
    snapshot = selectors.snapshot(history[0])
    assert snapshot["article"]["summary"] == "خلاصة"
    assert [part["body"] for part in snapshot["parts"]][::2] == ["نص معدل", "جزء جديد"]


def test_restoring_brings_back_the_text_but_not_the_workflow_state(seed_text, editor):
    article = ingest(text=seed_text, by=editor).article  # a draft
    draft_revision = selectors.history(article).first()
    workflow.transition(article=article, name="publish", by=editor)
    workflow.transition(article=article, name="correct", note="صُحّح التاريخ.", by=editor)
    story_services.edit_story(article=article, changes={"headline": "عنوان بعد النشر"}, by=editor)

    restored = revisions.restore(article=article, version_id=draft_revision.pk, by=editor)

    assert restored.headline == draft_revision.field_dict["headline"]
    assert restored.status == Article.Status.PUBLISHED and restored.is_public
    assert restored.corrections.count() == 1


def _rows_of(revision) -> list[tuple]:
    return sorted(
        (v.content_type.model, v.object_id, v.db, v.format, v.serialized_data, v.object_repr)
        for v in revision.version_set.all()
    )


@pytest.mark.parametrize("how", ["created", "edited"])
def test_a_change_writes_the_revision_reversion_itself_would_write(seed_text, editor, how):
    """Changes write their revision themselves (services/changes.py: without reversion's one existence query a
    model): the rows must be those reversion's own create_revision() writes for the same story, translators,
    corrections, credits and parts included, whether the change created the story (from memory) or edited it
    (read back); a reversion upgrade that changes its format fails here."""
    import reversion
    from reversion.models import Revision

    story = ingest(text=seed_text, publish=True, by=editor).article
    if how == "edited":
        story.translated_by.add(editor)
        workflow.transition(article=story, name="correct", note="صُحّح اسم المدينة.", by=editor)
        story = story_services.edit_story(article=story, changes={"summary": "خلاصة\u200f جديدة"}, by=editor)
    ours = Revision.objects.order_by("-pk").first()
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment(ours.comment)
        reversion.add_to_revision(Article.objects.get(pk=story.pk))
    theirs = Revision.objects.order_by("-pk").first()

    assert theirs.pk != ours.pk
    assert (ours.user, ours.comment) == (theirs.user, theirs.comment)
    assert _rows_of(ours) == _rows_of(theirs)
    kinds = [row[0] for row in _rows_of(ours)]
    assert kinds.count("part") == story.parts.count() >= 1 and kinds.count("articlesource") == 2
    assert kinds.count("correction") == (1 if how == "edited" else 0)


@pytest.mark.arabic_default
def test_history_shows_a_take_label_the_section_and_the_credits_that_changed_alone(
    editor_client, seed_by_editor, editor
):
    """Each was "No differences" when it was the only change: the diff compared the fields and the parts' text."""
    first = seed_by_editor.ordered_parts[0]
    edits = part_services.PartEdits(
        edited={first.number: part_services.NewPart(body=first.body, continues=not first.continues, label="عاجل")}
    )
    story_services.edit_story(
        article=seed_by_editor,
        changes={"section": "اقتصاد"},
        credits=[(seed_by_editor.ordered_credits[0].source, "publisher")],
        parts=edits,
        by=editor,
    )
    new, old = list(selectors.history(seed_by_editor))[:2]

    page = editor_client.get(
        f"/admin/articles/article/{seed_by_editor.pk}/revisions/", {"a": old.pk, "b": new.pk}
    ).content.decode()

    assert "<h3>القسم</h3>" in page and "<ins>اقتصاد</ins>" in page
    assert "<h3>المصادر المنسوب إليها</h3>" in page and "(ناشر)" in page
    assert "<h3>الجزء 1، تسمية الجزء</h3>" in page and "<ins>عاجل</ins>" in page
    assert "<h3>الجزء 1، تستمر</h3>" in page
    assert "No differences" not in page and "لا اختلاف" not in page
