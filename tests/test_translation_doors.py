"""The doors to translating: which originals a user may translate or see beside a translation, the languages of
an original and its translations, one translation per language under concurrency, the side-by-side save's
version, and headlines whose matching key outgrows its column."""

import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import close_old_connections, connection, transaction

from articles.models import Article
from articles.services import ServiceError, stories, workflow
from articles.services import translations as translation_services
from articles.services.errors import NotAllowed, TranslationExists
from articles.services.parts import NewPart

pytestmark = pytest.mark.django_db

LIGATURE = "\ufdfa"  # ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: NFKC makes it 18 characters


def _retracted(editor):
    story = stories.create_story(
        headline="خبر مسحوب", parts=[NewPart(body="WITHDRAWN TEXT of the story")], publish=True, by=editor
    )
    workflow.transition(article=story.pk, name="retract", note="withdrawn", by=editor)
    return story


# An original the user may not see ---------------------------------------------------------------


@pytest.mark.parametrize("group", ["Reporter", "Translator"])
def test_a_story_cannot_be_made_a_translation_of_a_draft_its_author_may_not_see(api, editor, role, group):
    draft = stories.create_story(headline="Embargoed merger", parts=[NewPart(body="EMBARGOED TEXT")], by=editor)
    api.force_authenticate(role(group))

    response = api.post(
        "/api/v1/articles/",
        {"headline": "mine", "language": "en", "translation_of": draft.pk, "parts": [{"body": "x"}]},
        format="json",
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert f"no story with id {draft.pk}" in body and "Embargoed" not in body
    assert not Article.objects.filter(translation_of=draft).exists()


def test_an_unseen_draft_is_refused_as_an_original_like_a_story_that_does_not_exist(editor, role):
    draft = stories.create_story(headline="Embargoed", parts=[NewPart(body="x")], by=editor)
    reporter = role("Reporter")
    mine = stories.create_story(headline="mine", language="en", parts=[NewPart(body="y")], by=reporter)

    with pytest.raises(ServiceError) as unseen:
        stories.edit_story(article=mine.pk, changes={"translation_of": draft.pk}, by=reporter)
    with pytest.raises(ServiceError) as missing:
        stories.edit_story(article=mine.pk, changes={"translation_of": draft.pk + 1000}, by=reporter)

    assert unseen.value.message.replace(str(draft.pk), "N") == missing.value.message.replace(str(draft.pk + 1000), "N")
    assert Article.objects.get(pk=mine.pk).translation_of_id is None


def test_an_editor_still_links_a_translation_to_a_draft(editor):
    draft = stories.create_story(headline="Draft", parts=[NewPart(body="x")], by=editor)

    translation = stories.create_story(
        headline="T", language="en", translation_of=draft.pk, parts=[NewPart(body="y")], by=editor
    )

    assert translation.translation_of_id == draft.pk


@pytest.mark.parametrize("group", ["Reporter", "Translator"])
def test_the_side_by_side_view_shows_no_original_its_user_may_not_see(client, editor, role, group):
    user = role(group)
    public = stories.create_story(headline="Public", parts=[NewPart(body="public text")], publish=True, by=editor)
    translation = translation_services.create_translation(original=public, language="en", headline="T", by=user)
    # The original goes back to a draft, with text the translator has not seen.
    workflow.transition(article=public.pk, name="unpublish", by=editor)
    stories.edit_story(article=public.pk, changes={"summary": "EMBARGOED TEXT"}, by=editor)
    client.force_login(user)

    response = client.get(f"/admin/articles/article/{translation.pk}/translation/")

    assert response.status_code == 404
    assert "EMBARGOED TEXT" not in response.content.decode()


# A retracted original ------------------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["Reporter", "Translator"])
def test_a_retracted_story_is_not_translated_through_the_api(api, editor, role, group):
    story = _retracted(editor)
    api.force_authenticate(role(group))

    response = api.post(
        f"/api/v1/articles/{story.pk}/translations/", {"language": "en", "headline": "T"}, format="json"
    )

    assert response.status_code == 403
    assert "retracted" in response.json()["detail"] and "WITHDRAWN TEXT" not in response.content.decode()
    assert not Article.objects.filter(translation_of=story).exists()


def test_an_editor_may_still_translate_a_retracted_story(editor):
    story = _retracted(editor)

    translation = translation_services.create_translation(original=story, language="en", headline="T", by=editor)

    assert translation.translation_of_id == story.pk


def test_the_new_translation_editor_refuses_a_retracted_story(client, editor, role):
    story = _retracted(editor)
    client.force_login(role("Translator"))

    response = client.get(f"/admin/articles/article/{story.pk}/translate/en/")

    assert response.status_code == 302 and "WITHDRAWN TEXT" not in response.content.decode()
    assert ["is retracted" in str(m) for m in get_messages(response.wsgi_request)] == [True]


def test_a_translation_is_not_shown_beside_its_original_once_that_is_retracted(client, editor, role):
    translator = role("Translator")
    story = stories.create_story(headline="خبر", parts=[NewPart(body="WITHDRAWN TEXT")], publish=True, by=editor)
    translation = translation_services.create_translation(
        original=story, language="en", headline="T", parts=[NewPart(body="mine")], by=translator
    )
    workflow.transition(article=story.pk, name="retract", note="withdrawn", by=editor)
    client.force_login(translator)

    response = client.get(f"/admin/articles/article/{translation.pk}/translation/")

    assert response.status_code == 302 and "WITHDRAWN TEXT" not in response.content.decode()
    assert response["Location"] == f"/admin/articles/article/{translation.pk}/change/"
    with pytest.raises(NotAllowed):
        translation_services.editor_rows(Article.objects.get(pk=story.pk), translation, by=translator)


def test_a_translator_reads_no_withdrawn_text_in_the_staleness_of_a_translation_nor_marks_it_current(api, editor, role):
    translator = role("Translator")
    story = stories.create_story(headline="خبر", parts=[NewPart(body="First text.")], publish=True, by=editor)
    translation = translation_services.create_translation(
        original=story, language="en", headline="T", parts=[NewPart(body="mine")], by=translator
    )
    from articles.services.parts import edit_part

    edit_part(article=story.pk, number=1, body="WITHDRAWN TEXT added later.", continues=False, by=editor)
    workflow.transition(article=story.pk, name="retract", note="withdrawn", by=editor)
    api.force_authenticate(translator)

    response = api.get(f"/api/v1/articles/{translation.pk}/staleness/")

    assert response.status_code == 403 and "WITHDRAWN TEXT" not in response.content.decode()
    with pytest.raises(NotAllowed):
        translation_services.mark_current(translation=translation.pk, by=translator)
    api.force_authenticate(editor)
    assert "WITHDRAWN TEXT" in api.get(f"/api/v1/articles/{translation.pk}/staleness/").content.decode()


# The languages of an original and its translations ---------------------------------------------------------


def test_an_original_cannot_move_into_the_language_of_one_of_its_translations(editor_api, editor):
    original = stories.create_story(headline="O", language="ar", parts=[NewPart(body="x")], by=editor)
    translation = stories.create_story(
        headline="T", language="en", translation_of=original.pk, parts=[NewPart(body="y")], by=editor
    )

    response = editor_api.patch(f"/api/v1/articles/{original.pk}/", {"language": "en"}, format="json")

    assert response.status_code == 400
    assert f"story {translation.pk}" in response.json()["detail"]
    assert Article.objects.get(pk=original.pk).language == "ar"


def test_an_original_moves_into_a_language_none_of_its_translations_has(editor):
    original = stories.create_story(headline="O", language="ar", parts=[NewPart(body="x")], by=editor)
    stories.create_story(headline="T", language="en", translation_of=original.pk, parts=[NewPart(body="y")], by=editor)

    assert stories.edit_story(article=original.pk, changes={"language": "fr"}, by=editor).language == "fr"


# One translation per language, at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_translations_into_one_language_at_once_make_one_and_a_refusal(editor):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: the race needs PostgreSQL")
    original = stories.create_story(headline="O", language="ar", parts=[NewPart(body="x")], by=editor)
    first_written = threading.Event()
    results = []

    def first():
        try:
            with transaction.atomic():
                stories.create_story(
                    headline="T1", language="en", translation_of=original.pk, parts=[NewPart(body="y")], by=editor
                )
                first_written.set()
                time.sleep(0.5)  # the second one checks while this one is written but not committed
            results.append("created")
        finally:
            first_written.set()
            close_old_connections()
            connection.close()

    def second():
        try:
            first_written.wait(10)
            stories.create_story(
                headline="T2", language="en", translation_of=original.pk, parts=[NewPart(body="z")], by=editor
            )
            results.append("created")
        except ServiceError as refusal:
            # Refused by the rules, after the lock on the original let the first one commit; not by the
            # database's constraint (which on PostgreSQL would also spoil a caller's transaction).
            results.append("refused" if refusal.__cause__ is None else "refused by the database")
        except Exception as error:  # the test reports what the race raised
            results.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(results) == ["created", "refused"]
    assert Article.objects.filter(translation_of=original, language="en").count() == 1


def test_a_second_translation_the_database_refuses_is_the_services_refusal(editor, monkeypatch):
    # As if the checks had lost a race: the database's unique constraint is the last word, and it is
    # answered as the service answers (409 in the API), never as an error of the server.
    original = stories.create_story(headline="O", language="ar", parts=[NewPart(body="x")], by=editor)
    existing = stories.create_story(
        headline="T1", language="en", translation_of=original.pk, parts=[NewPart(body="y")], by=editor
    )
    monkeypatch.setattr(stories, "check_translation", lambda article, **kwargs: None)

    with pytest.raises(TranslationExists) as refused:
        stories.create_story(
            headline="T2", language="en", translation_of=original.pk, parts=[NewPart(body="z")], by=editor
        )

    assert refused.value.existing == existing.pk
    assert Article.objects.filter(translation_of=original, language="en").count() == 1


# The side-by-side save's version ----------------------------------------------------------------------------


@pytest.fixture
def edited_meanwhile(editor):
    original = stories.create_story(headline="O", parts=[NewPart(body="para one")], by=editor)
    translation = stories.create_story(
        headline="T", language="en", translation_of=original.pk, parts=[NewPart(body="one")], by=editor
    )
    stories.edit_story(article=translation.pk, changes={"headline": "T changed meanwhile"}, by=editor)
    return translation


@pytest.mark.parametrize("loaded", [None, "", "\u00b2", "\u0661", "1 ", "-1", "9" * 19])
def test_the_side_by_side_save_of_a_translation_needs_the_version_it_was_loaded_from(
    editor_client, edited_meanwhile, loaded
):
    data = {"headline": "T mine", "summary": "", "p-0": "MY TYPED TEXT"}
    if loaded is not None:
        data["loaded_version"] = loaded

    response = editor_client.post(f"/admin/articles/article/{edited_meanwhile.pk}/translation/", data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "errornote" in body and "MY TYPED TEXT" in body and "T mine" in body
    assert Article.objects.get(pk=edited_meanwhile.pk).headline == "T changed meanwhile"


def test_the_side_by_side_save_with_the_current_version_saves(editor_client, edited_meanwhile):
    data = {"headline": "T mine", "summary": "", "p-0": "mine", "loaded_version": str(edited_meanwhile.version + 1)}

    response = editor_client.post(f"/admin/articles/article/{edited_meanwhile.pk}/translation/", data)

    assert response.status_code == 302
    assert Article.objects.get(pk=edited_meanwhile.pk).headline == "T mine"


# Headlines whose matching key outgrows its column ------------------------------------------------------------


@pytest.mark.parametrize("headline", [LIGATURE * 40, "ß" * 400])
def test_a_headline_too_long_once_normalised_is_refused_on_creation(editor_api, headline):
    response = editor_api.post("/api/v1/articles/", {"headline": headline}, format="json")

    assert response.status_code == 400
    assert "too long once normalised" in response.json()["detail"]
    assert not Article.objects.exists()


def test_a_headline_too_long_once_normalised_is_refused_on_edit(editor_api, editor):
    story = stories.create_story(headline="عنوان", parts=[NewPart(body="x")], by=editor)

    response = editor_api.patch(f"/api/v1/articles/{story.pk}/", {"headline": "ß" * 400}, format="json")

    assert response.status_code == 400
    assert "too long once normalised" in response.json()["detail"]
    assert Article.objects.get(pk=story.pk).headline == "عنوان"


def test_ingested_copy_whose_headline_key_is_too_long_is_refused(editor_api):
    response = editor_api.post("/api/v1/ingest/", {"text": LIGATURE * 40 + "\n\nنص الخبر هنا."}, format="json")

    assert response.status_code == 400
    assert "too long once normalised" in response.json()["detail"]
    assert not Article.objects.exists()


def test_a_headline_whose_key_just_fits_is_stored_whole(editor):
    headline = "ß" * 250  # its key, "ss" * 250, is exactly the column's 500 characters

    story = stories.create_story(headline=headline, parts=[NewPart(body="x")], by=editor)

    assert Article.objects.get(pk=story.pk).headline == headline
    assert len(Article.objects.get(pk=story.pk).headline_key) == 500
