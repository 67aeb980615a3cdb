"""The doors to what a story held: its revisions (API, admin, preview), the parts inline, annotations and their
quotes, restoring and recovering revisions, and the annotation collection's pages."""

import pytest

from articles import selectors
from articles.models import Annotation, Article, Section
from articles.services import ServiceError, revisions, sections, sources, workflow
from articles.services import annotations as annotation_services
from articles.services import stories as story_services
from articles.services.parts import NewPart, edit_part
from articles.services.stories import Credit

pytestmark = pytest.mark.django_db

SECRET = "SECRET TEXT"


def _retracted(editor, *, by=None, summary=""):
    """A story published, edited (two revisions with text), then retracted by an editor."""
    story = story_services.create_story(
        headline="H", summary=summary, parts=[NewPart(body=f"{SECRET} withdrawn")], by=by or editor
    )
    workflow.transition(article=story.pk, name="publish", by=editor)
    edit_part(article=story.pk, number=1, body=f"{SECRET} second version", continues=False, by=editor)
    workflow.transition(article=story.pk, name="retract", note="withdrawn", by=editor)
    return Article.objects.get(pk=story.pk)


def _revision_urls(story):
    newest = selectors.history(story).first().pk
    return [f"/api/v1/articles/{story.pk}/revisions/", f"/api/v1/articles/{story.pk}/revisions/{newest}/"]


# Who reads a story's revisions (docs/permissions.md) --------------------------------------------------------


@pytest.mark.parametrize("group", ["Moderator", "Reporter", "Translator"])
def test_a_retracted_storys_revisions_are_a_404_to_those_it_withholds_text_from(api, editor, role, group):
    story = _retracted(editor)
    api.force_authenticate(role(group))
    assert api.get(f"/api/v1/articles/{story.pk}/").status_code == 200  # the notice is public
    for url in _revision_urls(story):
        response = api.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.content.decode()


def test_a_reporters_own_story_once_retracted_keeps_its_history_closed_to_them(api, editor, role):
    reporter = role("Reporter")
    story = _retracted(editor, by=reporter)
    api.force_authenticate(reporter)
    for url in _revision_urls(story):
        assert api.get(url).status_code == 404, url


@pytest.mark.parametrize("group", ["Moderator", "Reporter", "Translator"])
def test_revisions_of_a_published_story_are_not_read_by_moderators_nor_by_others_reporters(api, editor, role, group):
    story = story_services.create_story(headline="H", parts=[NewPart(body="text")], publish=True, by=editor)
    api.force_authenticate(role(group))
    for url in _revision_urls(story):
        assert api.get(url).status_code == 404, url


@pytest.mark.parametrize("group", ["Reporter", "Translator"])
def test_reporters_and_translators_read_the_history_of_their_own_stories(api, role, group):
    user = role(group)
    story = story_services.create_story(headline="H", parts=[NewPart(body="my text")], by=user)
    api.force_authenticate(user)
    listed, one = (api.get(url) for url in _revision_urls(story))
    assert listed.status_code == 200 and len(listed.json()) == 1
    assert one.status_code == 200 and "my text" in one.content.decode()


def test_editors_read_a_retracted_storys_withdrawn_text_in_its_history(editor_api, editor):
    story = _retracted(editor)
    response = editor_api.get(_revision_urls(story)[1])
    assert response.status_code == 200
    assert SECRET in response.content.decode()


@pytest.mark.parametrize("group", ["Moderator", "Reporter", "Translator"])
def test_the_admin_compares_no_revisions_of_a_retracted_story_for_them(client, editor, role, group):
    story = _retracted(editor)
    client.force_login(role(group))
    ids = [version.pk for version in selectors.history(story)]
    response = client.get(f"/admin/articles/article/{story.pk}/revisions/?a={ids[-1]}&b={ids[0]}")
    assert response.status_code == 403
    assert SECRET not in response.content.decode()


def test_the_admin_compares_revisions_of_a_retracted_story_for_editors(editor_client, editor):
    story = _retracted(editor)
    ids = [version.pk for version in selectors.history(story)]
    response = editor_client.get(f"/admin/articles/article/{story.pk}/revisions/?a={ids[-1]}&b={ids[0]}")
    assert response.status_code == 200
    assert SECRET in response.content.decode()


@pytest.mark.parametrize("group", ["Moderator", "Reporter", "Translator"])
def test_a_revision_of_a_retracted_story_has_no_preview_for_them(client, editor, role, group):
    story = _retracted(editor)
    client.force_login(role(group))
    response = client.get(f"/preview/articles/{story.pk}/revisions/{selectors.history(story).last().pk}/")
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_editors_preview_a_revision_of_a_retracted_story(editor_client, editor):
    story = _retracted(editor)
    response = editor_client.get(f"/preview/articles/{story.pk}/revisions/{selectors.history(story).last().pk}/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()


@pytest.mark.parametrize("group", ["Reporter", "Translator"])
def test_the_story_admin_shows_no_withdrawn_text_nor_summary_to_them(client, editor, role, group):
    story = _retracted(editor, summary="SUMMARY WITHDRAWN")
    client.force_login(role(group))
    response = client.get(f"/admin/articles/article/{story.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET not in page and "SUMMARY WITHDRAWN" not in page


def test_the_story_admin_shows_editors_a_retracted_storys_text_and_summary(editor_client, editor):
    story = _retracted(editor, summary="SUMMARY WITHDRAWN")
    page = editor_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert SECRET in page and "SUMMARY WITHDRAWN" in page


# Annotations quote the text they name ----------------------------------------------------------------------


def test_a_translator_cannot_annotate_a_retracted_story_to_read_its_text(api, editor, role):
    story = _retracted(editor)
    api.force_authenticate(role("Translator"))
    document = {
        "body": "note",
        "target": {
            "source": f"http://testserver/api/v1/articles/{story.pk}/parts/1/",
            "selector": {"type": "TextPositionSelector", "start": 0, "end": 11},
        },
        "audience": "internal",
    }
    response = api.post(f"/api/v1/articles/{story.pk}/annotations/", document, format="json")
    assert response.status_code == 403
    assert SECRET not in response.content.decode()
    assert not Annotation.objects.filter(article=story).exists()


def test_may_annotate_refuses_a_story_whose_text_is_withheld(editor, role):
    story = _retracted(editor)
    assert not annotation_services.may_annotate(role("Translator"), story)
    assert annotation_services.may_annotate(editor, story)


@pytest.mark.parametrize("group", ["Reporter", "Translator"])
def test_annotations_of_a_retracted_story_are_not_read_by_them(api, editor, role, group):
    story = story_services.create_story(headline="H", parts=[NewPart(body=f"{SECRET} withdrawn")], by=editor)
    workflow.transition(article=story.pk, name="publish", by=editor)
    annotation = annotation_services.create_annotation(
        article=story, part_number=1, body="check this", exact=SECRET, audience="internal", by=editor
    )
    workflow.transition(article=story.pk, name="retract", note="withdrawn", by=editor)
    user = role(group)
    assert not selectors.annotations_visible_to(user, story).exists()
    api.force_authenticate(user)
    listed = api.get(f"/api/v1/articles/{story.pk}/annotations/")
    assert listed.status_code == 200 and listed.json()["total"] == 0
    assert SECRET not in listed.content.decode()
    assert api.get(f"/api/v1/articles/{story.pk}/annotations/{annotation.pk}/").status_code == 404
    assert list(selectors.annotations_visible_to(editor, story)) == [annotation]


# Restoring and recovering what no longer fits -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_restoring_a_revision_whose_section_was_deleted_is_refused(editor_api, editor):
    story = story_services.create_story(headline="H", section="Gone", parts=[NewPart(body="x")], by=editor)
    first = selectors.history(story).last().pk
    story_services.edit_story(article=story.pk, changes={"section": "Kept"}, by=editor)
    sections.delete_sections(Section.objects.filter(name="Gone"))
    response = editor_api.post(f"/api/v1/articles/{story.pk}/revisions/{first}/restore/")
    assert response.status_code == 400
    assert "section deleted since" in response.json()["detail"]
    assert Article.objects.get(pk=story.pk).section.name == "Kept"


@pytest.mark.django_db(transaction=True)
def test_restoring_a_revision_crediting_a_source_deleted_since_is_refused(editor, editor_api):
    gone = sources.create_source(name="Gone Agency")
    story = story_services.create_story(
        headline="H", credits=[Credit(source=gone.slug)], parts=[NewPart(body="x")], by=editor
    )
    first = selectors.history(story).last().pk
    story_services.edit_story(article=story.pk, changes={}, credits=[], by=editor)
    sources.delete_sources([gone])
    response = editor_api.post(f"/api/v1/articles/{story.pk}/revisions/{first}/restore/")
    assert response.status_code == 400
    assert "source deleted since" in response.json()["detail"]


def test_restoring_a_second_translation_into_one_language_is_refused(editor_api, editor):
    original = story_services.create_story(headline="O", language="ar", parts=[NewPart(body="x")], by=editor)
    first = story_services.create_story(
        headline="T1", language="en", translation_of=original.pk, parts=[NewPart(body="y")], by=editor
    )
    linked = selectors.history(first).last().pk
    story_services.edit_story(article=first.pk, changes={"translation_of": None}, by=editor)
    second = story_services.create_story(
        headline="T2", language="en", translation_of=original.pk, parts=[NewPart(body="z")], by=editor
    )
    response = editor_api.post(f"/api/v1/articles/{first.pk}/revisions/{linked}/restore/")
    assert response.status_code == 400
    assert "already has a translation into en" in response.json()["detail"]
    assert list(Article.objects.filter(translation_of=original, language="en")) == [second]


def test_restoring_a_revision_whose_original_was_deleted_is_refused(editor):
    original = story_services.create_story(headline="O", language="ar", parts=[NewPart(body="x")], by=editor)
    translation = story_services.create_story(
        headline="T", language="en", translation_of=original.pk, parts=[NewPart(body="y")], by=editor
    )
    linked = selectors.history(translation).last().pk
    story_services.delete_story(article=original.pk, by=editor)
    with pytest.raises(ServiceError, match="no story with id"):
        revisions.restore(article=translation.pk, version_id=linked, by=editor)
    assert Article.objects.get(pk=translation.pk).translation_of_id is None


@pytest.mark.django_db(transaction=True)
def test_recovering_a_story_whose_section_was_deleted_is_refused(editor):
    story = story_services.create_story(headline="H", section="Gone", parts=[NewPart(body="x")], by=editor)
    story_services.delete_story(article=story.pk, by=editor)
    sections.delete_sections(Section.objects.filter(name="Gone"))
    deleted = selectors.deleted_stories().get(object_id=str(story.pk))
    with pytest.raises(ServiceError, match="section deleted since"):
        revisions.recover(version_id=deleted.pk, by=editor)
    assert not Article.objects.filter(pk=story.pk).exists()


def test_recovering_a_translation_into_a_language_taken_since_is_refused(editor):
    original = story_services.create_story(headline="O", language="ar", parts=[NewPart(body="x")], by=editor)
    first = story_services.create_story(
        headline="T1", language="en", translation_of=original.pk, parts=[NewPart(body="y")], by=editor
    )
    story_services.delete_story(article=first.pk, by=editor)
    story_services.create_story(
        headline="T2", language="en", translation_of=original.pk, parts=[NewPart(body="z")], by=editor
    )
    deleted = selectors.deleted_stories().get(object_id=str(first.pk))
    with pytest.raises(ServiceError, match="already has a translation into en"):
        revisions.recover(version_id=deleted.pk, by=editor)
    assert not Article.objects.filter(pk=first.pk).exists()


# The annotation collection's pages --------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["100000000000000000000", "9223372036854775807", "2"])
def test_a_page_of_annotations_past_the_last_is_a_404(api, editor, page):
    story = story_services.create_story(headline="H", parts=[NewPart(body="x")], publish=True, by=editor)
    response = api.get(f"/api/v1/articles/{story.pk}/annotations/?page={page}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "no such page" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_recovering_a_story_whose_translators_account_was_deleted_leaves_them_unnamed(editor, django_user_model):
    from django.contrib.auth.models import Permission

    from articles.services import translations

    original = story_services.create_story(headline="O", language="ar", parts=[NewPart(body="x")], by=editor)
    workflow.transition(article=original.pk, name="publish", by=editor)  # a translator translates what they see
    # (no role(): a transactional test's flush takes the groups the migrations made with it)
    translator = django_user_model.objects.create_user("translator", password="pw", is_staff=True)
    translator.user_permissions.set(Permission.objects.filter(codename__in=["view_article", "add_article"]))
    translation = translations.create_translation(original=original.pk, language="en", headline="T", by=translator)
    story_services.delete_story(article=translation.pk, by=editor)
    translator.delete()
    deleted = selectors.deleted_stories().get(object_id=str(translation.pk))
    recovered = revisions.recover(version_id=deleted.pk, by=editor)
    assert recovered.created_by_id is None
    assert not recovered.translated_by.exists()
    assert recovered.translation_of_id == original.pk


@pytest.mark.parametrize(("group", "shown"), [("Moderator", False), ("Editor", True)])
def test_the_story_form_links_to_the_history_only_for_whoever_may_read_it(client, editor, role, group, shown):
    story = story_services.create_story(headline="H", parts=[NewPart(body="نص")], by=editor)
    workflow.transition(article=story.pk, name="publish", by=editor)
    client.force_login(role(group, username=f"{group.lower()}-of-the-desk"))

    page = client.get(f"/admin/articles/article/{story.pk}/change/")

    assert page.status_code == 200
    assert ('class="historylink"' in page.content.decode()) is shown
