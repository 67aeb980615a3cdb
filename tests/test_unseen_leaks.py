"""What the caller cannot see is not named: ingest's "unchanged" answer and its take matching, a second translation's
refusal, and the moderation queue's comments on stories readers no longer see (docs/decisions.md, fifteenth round)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Comment, Part
from articles.services import NotAllowed, TranslationExists, workflow
from articles.services import comments as comment_services
from articles.services import translations as translation_services
from articles.services.ingest import copy_digest, ingest, plan
from articles.services.parts import NewPart
from articles.services.stories import create_story

pytestmark = pytest.mark.django_db

SECRET = "اندماج سري بين شركتين"
COPY = f"{SECRET}\n\nنص الخبر الذي لم ينشر بعد.\n"
URL = "/api/v1/ingest/"


@pytest.fixture
def reporter(role):
    return role("Reporter")


@pytest.fixture
def held(role):
    """Copy ingested by another reporter: their draft, which no other reporter may see."""
    return ingest(text=COPY, by=role("Reporter", "owner")).article


def _revealed(text: str, story: Article) -> list[str]:
    """What of the story a text gives away: its id as a JSON value, its address, its headline."""
    found = [f'"id": {story.pk}', f'"id":{story.pk}', f"story {story.pk}", str(story.get_absolute_url()), SECRET]
    return [thing for thing in found if thing in text]


# ingest: "unchanged" for copy held by a story the caller may not see ------------------------------------------


def test_the_api_answers_unchanged_without_naming_a_draft_the_caller_may_not_see(api, reporter, held):
    api.force_authenticate(reporter)

    response = api.post(URL, {"text": COPY}, format="json")

    assert response.status_code == 200
    answer = response.json()
    assert answer["action"] == "unchanged"
    assert answer["id"] is None and answer["url"] is None and answer["parts"] is None
    assert answer["warnings"] == ["this copy is already held in a story you may not see; nothing was written"]
    assert _revealed(response.content.decode(), held) == []
    assert Article.objects.count() == 1 and Part.objects.count() == 1  # still stored once


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ar", "هذا النص محفوظ مسبقًا في خبر لا يحق لك الاطلاع عليه؛ لم يُكتب شيء"),
        ("ur", "یہ متن پہلے سے ایسی خبر میں محفوظ ہے جسے آپ نہیں دیکھ سکتے؛ کچھ نہیں لکھا گیا"),
    ],
)
def test_the_withheld_answer_is_said_in_the_callers_language(api, reporter, held, language, said):
    api.force_authenticate(reporter)

    response = api.post(URL, {"text": COPY}, format="json", headers={"accept-language": language})

    assert response.json()["warnings"] == [said]


def test_text_plain_copy_is_answered_the_same(api, reporter, held):
    api.force_authenticate(reporter)

    response = api.post(URL, COPY.encode(), content_type="text/plain")

    assert response.status_code == 200 and response.json()["id"] is None
    assert Article.objects.count() == 1


def test_an_embargoed_story_is_withheld_as_a_draft_is(api, reporter, editor):
    scheduled = ingest(text=COPY, by=editor).article
    workflow.transition(article=scheduled, name="publish", at=timezone.now() + timedelta(days=1), by=editor)
    api.force_authenticate(reporter)

    response = api.post(URL, {"text": COPY}, format="json")

    assert response.json()["action"] == "unchanged" and response.json()["id"] is None
    assert _revealed(response.content.decode(), scheduled) == []


def test_a_story_the_caller_sees_is_still_named(api, reporter, editor):
    published = ingest(text=COPY, by=editor, publish=True).article
    api.force_authenticate(reporter)

    answer = api.post(URL, {"text": COPY}, format="json").json()

    assert answer["action"] == "unchanged" and answer["id"] == published.pk and answer["parts"] == 1
    assert answer["warnings"] == []


def test_the_callers_own_draft_is_named(api, reporter):
    own = ingest(text=COPY, by=reporter).article
    api.force_authenticate(reporter)

    answer = api.post(URL, {"text": COPY}, format="json").json()

    assert answer["action"] == "unchanged" and answer["id"] == own.pk


def test_a_story_the_caller_sees_is_named_before_one_they_may_not_see(reporter, editor):
    # two stories hold the copy (the older public, the newer another's draft): the public one answers
    digest = copy_digest(COPY)
    public = create_story(headline=SECRET, parts=[NewPart(body="أ")], publish=True, copy_digest=digest, by=editor)
    create_story(headline=SECRET, parts=[NewPart(body="ب")], copy_digest=digest, by=editor)

    result = ingest(text=COPY, by=reporter)

    assert result.action == "unchanged" and result.article == public


def test_the_editor_who_sees_every_story_is_told_which(held, editor):
    result = ingest(text=COPY, by=editor)

    assert result.action == "unchanged" and result.article == held


def test_the_command_sees_every_story_and_names_it(tmp_path, capsys, held):
    path = tmp_path / "copy.txt"
    path.write_text(COPY, encoding="utf-8")

    call_command("ingest_wire", str(path))

    out = capsys.readouterr().out
    assert '"action": "unchanged"' in out and f'"id": {held.pk}' in out


def test_the_command_prints_a_withheld_result_as_json_nulls(reporter, held):
    # the command runs as the system; the object it prints is the service's, withheld for a caller who may not see
    line = ingest(text=COPY, by=reporter).as_dict()

    assert line["id"] is None and line["url"] is None and line["parts"] is None


# ingest with publish: a draft the caller may not see is not published through it ------------------------------


@pytest.fixture
def publisher(django_user_model):
    """Someone given the right to publish without the right to see every draft (a desk chief by permissions)."""
    user = django_user_model.objects.create_user("desk", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=["view_article", "add_article", "publish_article"]
        )
    )
    return user


def test_publish_does_not_publish_a_draft_the_caller_may_not_see(api, publisher, held):
    api.force_authenticate(publisher)

    response = api.post(URL, {"text": COPY, "publish": True}, format="json")

    assert response.status_code == 200
    answer = response.json()
    assert answer["action"] == "unchanged" and answer["id"] is None
    assert answer["warnings"] == [
        "this copy is already held in a story you may not see; nothing was written or published"
    ]
    assert Article.objects.get(pk=held.pk).status == Article.Status.DRAFT
    assert _revealed(response.content.decode(), held) == []


def test_publish_by_someone_who_may_not_publish_is_refused_before_anything_is_looked_up(api, reporter, held):
    api.force_authenticate(reporter)

    response = api.post(URL, {"text": COPY, "publish": True}, format="json")

    assert response.status_code == 403
    assert _revealed(response.content.decode(), held) == []
    assert Article.objects.get(pk=held.pk).status == Article.Status.DRAFT


def test_refusing_publish_raises_not_allowed_in_the_service(reporter, held):
    with pytest.raises(NotAllowed):
        ingest(text=COPY, by=reporter, publish=True)


def test_publish_of_a_draft_the_caller_sees_still_publishes_it(editor, held):
    result = ingest(text=COPY, by=editor, publish=True)

    assert result.action == "published" and result.article.status == Article.Status.PUBLISHED


# ingest: take matching does not continue (nor name) a developing story the caller may not see -------------------


def test_a_take_continuing_another_reporters_draft_is_a_new_draft_naming_nothing(reporter, role):
    developing = ingest(text=f"{SECRET}\n\nالجزء الأول.\n // يتبع //\n", by=role("Reporter", "owner")).article

    result = ingest(text=f"{SECRET}\n\nالجزء الثاني.\n", by=reporter)

    assert result.action == "created" and result.article != developing
    assert not [w for w in result.warnings if str(developing.pk) in w]
    assert developing.parts.count() == 1


def test_a_take_continuing_a_story_the_reporter_sees_but_may_not_edit_still_names_it(reporter, editor):
    developing = ingest(text=f"{SECRET}\n\nالجزء الأول.\n // يتبع //\n", by=editor, publish=True).article

    result = ingest(text=f"{SECRET}\n\nالجزء الثاني.\n", by=reporter)

    assert result.action == "created"
    assert any(f"continues story {developing.pk}, which you may not edit" in w for w in result.warnings)


# the paste page: preview and result -------------------------------------------------------------------------


def test_the_paste_preview_says_the_copy_is_held_without_naming_the_story(client, reporter, held):
    client.force_login(reporter)

    response = client.post(
        "/admin/articles/article/paste/", {"text": COPY, "language": "ar", "preview": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    assert "Already stored in a story you may not see: saving changes nothing." in html
    assert f"story {held.pk}" not in html and f"/articles/{held.pk}/" not in html
    assert plan(text=COPY, by=reporter).stored is None


def test_saving_on_the_paste_page_stays_there_and_names_nothing(client, reporter, held):
    client.force_login(reporter)

    response = client.post(
        "/admin/articles/article/paste/",
        {"text": COPY, "language": "ar", "save": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert response.redirect_chain == [("/admin/articles/article/paste/", 302)]
    html = response.content.decode()
    assert "this copy is already held in a story you may not see; nothing was written" in html
    assert f"/admin/articles/article/{held.pk}/" not in html
    assert Article.objects.count() == 1


# translations: a second one into a language names the first only to those who may see it -----------------------


@pytest.fixture
def original(editor):
    return create_story(headline="الأصل", parts=[NewPart(body="نص.")], publish=True, by=editor)


@pytest.fixture
def first_translation(original, role):
    return translation_services.create_translation(
        original=original.pk, language="en", headline="The original", by=role("Translator", "first")
    )


def test_a_second_translation_does_not_name_a_draft_translation_the_caller_may_not_see(
    original, first_translation, role
):
    with pytest.raises(TranslationExists) as refused:
        translation_services.create_translation(
            original=original.pk, language="en", headline="Again", by=role("Translator", "second")
        )

    assert refused.value.message == f"story {original.pk} already has a translation into en"
    assert refused.value.existing is None


def test_the_api_answers_409_with_existing_null(api, original, first_translation, role):
    api.force_authenticate(role("Translator", "second"))

    response = api.post(
        f"/api/v1/articles/{original.pk}/translations/", {"language": "en", "headline": "Again"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["existing"] is None
    assert str(first_translation.pk) not in response.json()["detail"]


def test_the_translation_is_named_to_whoever_may_see_it(original, first_translation, editor, role):
    with pytest.raises(TranslationExists) as to_editor:
        translation_services.create_translation(original=original.pk, language="en", headline="x", by=editor)
    workflow.transition(article=first_translation, name="publish", by=editor)
    with pytest.raises(TranslationExists) as once_published:
        translation_services.create_translation(
            original=original.pk, language="en", headline="x", by=role("Translator", "second")
        )

    expected = f"story {original.pk} already has a translation into en: story {first_translation.pk}"
    assert to_editor.value.message == once_published.value.message == expected
    assert to_editor.value.existing == once_published.value.existing == first_translation.pk


def test_a_story_created_as_a_second_translation_does_not_name_the_one_the_caller_may_not_see(
    api, original, first_translation, role
):
    api.force_authenticate(role("Reporter"))

    response = api.post(
        "/api/v1/articles/",
        {"headline": "Again", "language": "en", "translation_of": original.pk, "parts": [{"body": "Text."}]},
        format="json",
    )

    assert response.status_code in (400, 409), response.content
    assert f"story {original.pk} already has a translation into en" in response.content.decode()
    assert _revealed(response.content.decode(), first_translation) == []


def test_the_stories_service_names_the_translation_to_whoever_may_see_it(original, first_translation, editor, role):
    from articles.services import ServiceError

    with pytest.raises(ServiceError) as to_reporter:
        create_story(headline="Again", language="en", translation_of=original.pk, by=role("Reporter"))
    with pytest.raises(ServiceError) as to_editor:
        create_story(headline="Again", language="en", translation_of=original.pk, by=editor)

    assert str(first_translation.pk) not in to_reporter.value.message.replace(f"story {original.pk}", "")
    assert to_editor.value.message.endswith(f": story {first_translation.pk}")


def test_moving_an_original_into_its_unseen_translations_language_names_no_translation(
    original, first_translation, role
):
    from articles.services import ServiceError
    from articles.services.stories import edit_story

    owner = role("Reporter", "owner")
    own = create_story(headline="خبر المراسل", parts=[NewPart(body="نص.")], by=owner)
    translation_services.create_translation(original=own.pk, language="en", headline="Mine")  # a draft, the desk's

    with pytest.raises(ServiceError) as refused:
        edit_story(article=own, changes={"language": "en"}, by=owner)

    assert refused.value.message == f"story {own.pk} has a translation into en: it cannot be in that language itself"


# the moderation queue: comments on stories readers no longer see ------------------------------------------------

WITHDRAWN = "قصة سحبت من القراء"


@pytest.fixture
def story(editor):
    return create_story(headline=WITHDRAWN, parts=[NewPart(body="نص.")], publish=True, by=editor)


@pytest.fixture
def comment(story):
    return comment_services.post_comment(
        article=story, name="ليلى", email="layla@example.org", body="تعليق ينتظر.", ip="203.0.113.9"
    ).comment


@pytest.fixture
def unpublished(story, comment, editor):
    return workflow.transition(article=story, name="unpublish", by=editor)


@pytest.fixture
def moderator_client(client, role):
    client.force_login(role("Moderator"))
    return client


def _page(client, url: str) -> str:
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_default_queue_leaves_out_comments_on_an_unpublished_story(moderator_client, unpublished):
    html = _page(moderator_client, "/admin/articles/comment/")

    assert "تعليق ينتظر." not in html
    assert WITHDRAWN not in html


def test_the_queue_of_unpublished_stories_shows_them_without_the_headline(moderator_client, unpublished, comment):
    html = _page(moderator_client, "/admin/articles/comment/?story=unpublished")

    assert "تعليق ينتظر." in html
    assert f"story {unpublished.pk} — no longer public" in html
    assert WITHDRAWN not in html


def test_a_comments_own_page_shows_the_story_as_the_queue_does(moderator_client, unpublished, comment):
    html = _page(moderator_client, f"/admin/articles/comment/{comment.pk}/change/")

    assert "تعليق ينتظر." in html
    assert f"story {unpublished.pk} — no longer public" in html
    assert WITHDRAWN not in html
    assert f"/admin/articles/article/{unpublished.pk}/" not in html


def test_the_queue_does_not_search_headlines_the_moderator_may_not_see(moderator_client, unpublished):
    html = _page(moderator_client, "/admin/articles/comment/?story=all&q=سحبت")

    assert "تعليق ينتظر." not in html


def test_the_queue_says_it_in_arabic(moderator_client, unpublished, comment):
    html = moderator_client.get("/admin/articles/comment/?story=unpublished", headers={"accept-language": "ar"})

    assert f"الخبر {unpublished.pk} — لم يعد ظاهرًا للقراء" in html.content.decode()


def test_an_editor_sees_the_headline_and_the_state(editor_client, unpublished, comment):
    html = _page(editor_client, "/admin/articles/comment/?story=all&q=سحبت")

    assert "تعليق ينتظر." in html
    assert f"<bdi>{WITHDRAWN}</bdi> — no longer public" in html


def test_a_retracted_storys_comments_stay_in_the_default_queue_marked_so(moderator_client, story, comment, editor):
    workflow.transition(article=story, name="retract", note="خطأ", by=editor)

    html = _page(moderator_client, "/admin/articles/comment/")

    assert "تعليق ينتظر." in html
    assert f"<bdi>{WITHDRAWN}</bdi> — retracted" in html


def test_a_public_storys_comment_shows_its_headline_alone(moderator_client, comment):
    html = _page(moderator_client, "/admin/articles/comment/")

    assert f'<td class="field-story"><bdi>{WITHDRAWN}</bdi></td>' in html


def test_the_admin_home_counts_what_the_default_queue_lists(moderator_client, unpublished, editor):
    published = create_story(headline="منشورة", parts=[NewPart(body="نص.")], publish=True, by=editor)
    comment_services.post_comment(article=published, name="سعد", email="", body="تعليق آخر.", ip="203.0.113.7")

    html = _page(moderator_client, "/admin/")

    assert "1 comment awaits moderation." in html


def test_moderating_a_comment_on_an_unpublished_story_still_works(moderator_client, unpublished, comment):
    response = moderator_client.post(
        "/admin/articles/comment/?story=unpublished",
        {"action": "reject", "_selected_action": [comment.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REJECTED


def test_the_api_queue_lists_public_stories_by_default_and_says_where_each_story_stands(
    api, role, unpublished, comment
):
    api.force_authenticate(role("Moderator"))

    default = api.get("/api/v1/comments/").json()
    withdrawn = api.get("/api/v1/comments/", {"story": "unpublished"}).json()
    every = api.get("/api/v1/comments/", {"story": "all"}).json()
    moderated = api.post(f"/api/v1/comments/{comment.pk}/moderate/", {"action": "reject"}, format="json")

    assert default["results"] == []
    assert [item["id"] for item in withdrawn["results"]] == [comment.pk] == [item["id"] for item in every["results"]]
    assert withdrawn["results"][0]["story_state"] == "unpublished"
    assert WITHDRAWN not in str(withdrawn)
    assert moderated.status_code == 200 and moderated.json()["story_state"] == "unpublished"
    assert api.get("/api/v1/comments/", {"story": "drafts"}).status_code == 400


def test_the_api_queue_marks_a_retracted_story(api, role, story, comment, editor):
    workflow.transition(article=story, name="retract", note="خطأ", by=editor)
    api.force_authenticate(role("Moderator"))

    [item] = api.get("/api/v1/comments/").json()["results"]

    assert item["id"] == comment.pk and item["story_state"] == "retracted"
