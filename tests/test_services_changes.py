"""The one change unit: from every door, one version step, one revision, at most one audit entry and one
announcement after commit; a refused change leaves nothing behind."""

import pytest
from django.db import transaction
from reversion.models import Version

from articles.models import Article, AuditEntry, Section
from articles.services import ServiceError, changes, revisions, workflow
from articles.services import parts as part_services
from articles.services import stories as story_services
from articles.services.ingest import ingest

from .admin_forms import change_form_data
from .factories import SourceFactory

pytestmark = pytest.mark.django_db


def trail(article_id):
    """(version, revisions, audit entries) of a story: what one change moves."""
    version = Article.objects.filter(pk=article_id).values_list("version", flat=True).first()
    revisions_count = Version.objects.filter(content_type__model="article", object_id=str(article_id)).count()
    return version, revisions_count, AuditEntry.objects.filter(article_ref=article_id).count()


@pytest.fixture
def draft(editor):
    return story_services.create_story(
        headline="خبر للتجربة", parts=[part_services.NewPart(body="الفقرة الأولى.")], by=editor
    )


# The unit itself ---------------------------------------------------------------------------------


def test_an_edit_is_one_version_one_revision_and_one_announcement_after_commit(draft, editor, announcements, committed):
    before = trail(draft.pk)

    with committed():
        story_services.edit_story(article=draft, changes={"headline": "عنوان جديد"}, by=editor, expected_version=1)
        assert announcements == []  # not before the commit

    assert trail(draft.pk) == (before[0] + 1, before[1] + 1, before[2])  # an edit is not an editorial action
    [(article_id, version, what)] = announcements
    assert (article_id, version) == (draft.pk, 2)
    assert what.fields == {"headline", "slug"}  # the slug nobody chose follows the headline
    assert not (what.parts or what.credits or what.status or what.created)


def test_a_rolled_back_change_is_never_announced_and_leaves_no_revision(draft, editor, announcements, committed):
    before = trail(draft.pk)

    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        story_services.edit_story(article=draft, changes={"summary": "خلاصة"}, by=editor)
        raise RuntimeError("the caller's transaction fails after the change")

    assert announcements == []
    assert trail(draft.pk) == before
    assert Article.objects.get(pk=draft.pk).summary == ""


def test_a_change_that_changes_nothing_writes_and_announces_nothing(draft, editor, announcements, committed):
    before = trail(draft.pk)

    with committed():
        story_services.edit_story(article=draft, changes={"headline": draft.headline}, by=editor)

    assert trail(draft.pk) == before
    assert announcements == []


def test_services_called_inside_an_open_change_join_it(draft, editor, announcements, committed):
    with committed(), changes.story_change(draft, by=editor, comment="several services") as change:
        story_services.edit_story(article=draft, changes={"summary": "خلاصة"}, by=editor)
        part_services.append_part(article=draft, body="جزء ثان", by=editor)
        assert change.article.summary == "خلاصة"

    assert trail(draft.pk)[0] == 2
    [(_, version, what)] = announcements
    assert version == 2 and what.fields == {"summary"} and what.parts == {2}


def test_a_failing_receiver_is_logged_and_the_others_still_hear(draft, editor, announcements, committed, caplog):
    def broken(**kwargs):
        raise ValueError("a follower fails")

    changes._receivers.insert(0, broken)
    try:
        with committed():
            story_services.edit_story(article=draft, changes={"summary": "خلاصة"}, by=editor)
    finally:
        changes.disconnect(broken)

    assert len(announcements) == 1
    assert "a follower fails" in caplog.text


# One step per editorial change, from every door ----------------------------------------------------


def test_a_new_story_through_the_api_with_credits_and_parts_is_version_1(editor_api, announcements, committed):
    source = SourceFactory()
    with committed():
        response = editor_api.post(
            "/api/v1/articles/",
            {
                "headline": "خبر جديد",
                "section": "سياسي",
                "sources": [{"source": source.slug}],
                "parts": [{"body": "الأول", "continues": True}, {"body": "الثاني"}],
            },
            format="json",
        )

    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["version"] == 1
    assert trail(pk) == (1, 1, 0)
    [(_, version, what)] = announcements
    assert version == 1 and what.created and what.parts == {1, 2} and what.credits


@pytest.mark.parametrize("publish", [False, True])
def test_ingested_copy_is_one_change_even_when_published(seed_text, publish, announcements, committed):
    with committed():
        result = ingest(text=seed_text, publish=publish)

    assert result.article.version == 1
    assert trail(result.article.pk) == (1, 1, 1 if publish else 0)
    [(_, version, what)] = announcements
    assert version == 1 and what.created and what.status


def test_an_appended_take_is_one_step_and_unchanged_copy_none(seed_story, seed_text, announcements, committed):
    before = trail(seed_story.pk)
    with committed():
        part_services.append_part(article=seed_story, body="جزء ثالث")
        assert ingest(text=seed_text).action == "unchanged"

    assert trail(seed_story.pk) == (before[0] + 1, before[1] + 1, before[2])
    [(_, _version, what)] = announcements
    assert what.parts == {3}


def test_a_workflow_step_and_a_correction_are_one_step_and_one_audit_entry_each(
    seed_story, editor, announcements, committed
):
    before = trail(seed_story.pk)
    with committed():
        workflow.transition(article=seed_story, name="correct", note="تصحيح", by=editor)
        workflow.transition(article=seed_story, name="unpublish", by=editor)

    assert trail(seed_story.pk) == (before[0] + 2, before[1] + 2, before[2] + 2)
    assert [what.corrections for _, _, what in announcements] == [True, False]
    assert [what.status for _, _, what in announcements] == [False, True]


def test_a_restore_is_one_step(draft, editor, announcements, committed):
    first = Version.objects.get_for_object(draft).first()
    story_services.edit_story(article=draft, changes={"headline": "عنوان آخر"}, by=editor)
    before = trail(draft.pk)

    with committed():
        revisions.restore(article=draft, version_id=first.pk, by=editor)

    assert trail(draft.pk) == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert Article.objects.get(pk=draft.pk).headline == "خبر للتجربة"
    [(_, _version, what)] = announcements
    assert "headline" in what.fields


def test_an_admin_save_of_fields_credits_and_parts_is_one_step(editor_client, seed_story, announcements, committed):
    before = trail(seed_story.pk)
    data = change_form_data(seed_story, new_body="جزء جديد", extra={"summary": "خلاصة", "parts-0-body": "نص معدل"})

    with committed():
        response = editor_client.post(f"/admin/articles/article/{seed_story.pk}/change/", data)

    assert response.status_code == 302
    assert trail(seed_story.pk) == (before[0] + 1, before[1] + 1, before[2])
    [(_, _version, what)] = announcements
    assert what.fields == {"summary"} and what.parts == {1, 3}


# Refused changes leave nothing ----------------------------------------------------------------------


def test_a_stale_patch_leaves_no_section_behind(editor_api, draft, announcements, committed):
    before = trail(draft.pk)
    with committed():
        response = editor_api.patch(
            f"/api/v1/articles/{draft.pk}/",
            {"section": "قسم جديد", "summary": "خلاصة"},
            format="json",
            headers={"if-match": f'"article-{draft.pk}-v99"'},
        )

    assert response.status_code == 412
    assert not Section.objects.filter(name="قسم جديد").exists()
    assert trail(draft.pk) == before and announcements == []


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda a, u: story_services.edit_story(article=a, changes={"headline": "x" * 501}, by=u), "limit is 500"),
        (lambda a, u: story_services.edit_story(article=a, changes={"section": "قسم"}, expected_version=7), None),
        (lambda a, u: workflow.transition(article=a, name="retract", note="سحب", by=u), None),
        (lambda a, u: part_services.append_part(article=a, body="   "), "needs some text"),
        (lambda a, u: story_services.edit_story(article=a, changes={"byline": "a\x00b"}, by=u), "NUL"),
    ],
    ids=["headline-too-long", "stale", "wrong-state", "blank-part", "nul"],
)
def test_a_refused_change_writes_nothing(draft, editor, call, error, announcements, committed):
    before, sections = trail(draft.pk), Section.objects.count()

    with committed(), pytest.raises(ServiceError) as raised:
        call(draft, editor)

    if error:
        assert error in str(raised.value)
    assert trail(draft.pk) == before
    assert Section.objects.count() == sections
    assert announcements == []


def test_an_api_patch_is_one_step_with_one_revision(editor_api, draft, announcements, committed):
    before = trail(draft.pk)
    with committed():
        response = editor_api.patch(
            f"/api/v1/articles/{draft.pk}/",
            {"summary": "خلاصة", "section": "سياسي"},
            format="json",
            headers={"if-match": f'"article-{draft.pk}-v1"'},
        )

    assert response.status_code == 200 and response.json()["version"] == 2
    assert response["ETag"].startswith(f'"article-{draft.pk}-v2-')  # the version, then what else it shows
    assert trail(draft.pk) == (2, before[1] + 1, before[2])
    [(_, _version, what)] = announcements
    assert what.fields == {"summary", "section"}


def test_an_ingested_take_appended_to_its_story_is_one_step(announcements, committed):
    first = ingest(text="عنوان متطور\nسطر أول من الخبر.\n(تستمر)\n")
    before = trail(first.article.pk)

    with committed():
        second = ingest(text="عنوان متطور\nسطر ثان من الخبر نفسه.\n")

    assert second.action == "appended" and second.article.pk == first.article.pk
    assert trail(first.article.pk) == (before[0] + 1, before[1] + 1, before[2])
    [(_, _version, what)] = announcements
    assert what.parts == {2} and not what.created


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_nul_inside_a_nested_source_slug_is_a_clear_400(editor_api, draft, method):
    url = "/api/v1/articles/" if method == "post" else f"/api/v1/articles/{draft.pk}/"
    body = {"headline": "عنوان", "sources": [{"source": "a\u0000b"}]}

    response = getattr(editor_api, method)(url, body, format="json")

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"] and "sources" in response.json()["detail"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize("held", [True, False])
def test_a_revisions_rows_are_written_as_djangos_json_serializer_writes_each(django_user_model, held):
    """The unit serialises a revision's rows in one pass (changes._as_json), reading a many-to-many relation it
    holds from memory: the text is still exactly what `serializers.serialize("json", [row])` writes."""
    from django.core import serializers

    from articles.models import ArticleSource

    translators = [django_user_model.objects.create(username=name) for name in ("mona", "omar")]
    article = story_services.create_story(
        headline='عنوان "بين علامتين" \\ وخط', parts=[part_services.NewPart(body="نص «الخبر».")]
    )
    article.translated_by.set(translators)
    source = SourceFactory()
    ArticleSource.objects.create(article=article, source=source, position=1)
    query = Article.objects.prefetch_related("translated_by", "parts", "credits") if held else Article.objects
    article = query.get(pk=article.pk)
    rows = [article, *article.parts.all(), *article.credits.all()]

    assert changes._as_json(rows) == [serializers.serialize("json", [row]) for row in rows]
    assert f"[{translators[0].pk}, {translators[1].pk}]" in changes._as_json(rows)[0]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_credit_is_named_with_its_roles_label_as_get_role_display_gives_it(language):
    from django.utils import translation

    from articles.models import ArticleSource, SourceRole

    article = story_services.create_story(headline="خبر", parts=[part_services.NewPart(body="نص.")])
    source = SourceFactory()
    with translation.override(language):
        for role in [*SourceRole.values, "not-a-role"]:
            credit = ArticleSource(article=article, source=source, role=role)
            assert str(credit) == f"{source} ({credit.get_role_display()})"
