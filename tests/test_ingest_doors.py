"""Ingest's doors and their neighbours refuse cleanly: append_to names no story the user may not see, keys that
outgrow their columns are refused (never a 500), the moderation queue's story filter takes ASCII ids only."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, ModerationTerm, Source, SourceAlias
from articles.services import NotAllowed, ServiceError
from articles.services import comments as comment_services
from articles.services import sources as source_services
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


# keys longer than their columns: refused with a message, never a database error ------------------------------


def test_a_source_name_whose_key_outgrows_its_column_is_refused(editor_api):
    response = editor_api.post("/api/v1/sources/", {"name": LONG_KEYED}, format="json")

    assert response.status_code == 400
    assert "too long to match" in response.json()["detail"]
    assert not Source.objects.filter(name=LONG_KEYED).exists()


def test_an_alias_whose_key_outgrows_its_column_is_refused(editor_api):
    response = editor_api.post("/api/v1/sources/", {"name": "Agency X", "aliases": [LONG_KEYED]}, format="json")

    assert response.status_code == 400
    assert "too long to match" in response.json()["detail"]
    assert not Source.objects.filter(name="Agency X").exists()


def test_copy_naming_a_source_whose_key_outgrows_its_column_is_refused(editor_api):
    copy = f"عنوان الخبر\n\nمانيلا، 3 ديسمبر ({LONG_KEYED}) - نص الخبر هنا."

    response = editor_api.post("/api/v1/ingest/", copy.encode(), content_type="text/plain")

    assert response.status_code == 400
    assert "a source this copy names cannot be recorded" in response.json()["detail"]
    assert not Article.objects.exists()
    assert not SourceAlias.objects.filter(alias=LONG_KEYED).exists()


def test_the_command_reports_copy_naming_such_a_source_and_goes_on(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(f"عنوان أول\n\nمانيلا، 3 ديسمبر ({LONG_KEYED}) - نص الخبر.", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("عنوان ثان\n\nنص الخبر الثاني.", encoding="utf-8")

    with pytest.raises(CommandError, match="1 of 2 inputs failed"):
        call_command("ingest_wire", str(bad), str(good))

    out, err = capsys.readouterr()
    assert "bad.txt: a source this copy names cannot be recorded" in err
    assert "good.txt" in out
    assert list(Article.objects.values_list("headline", flat=True)) == ["عنوان ثان"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores any length in a varchar")
def test_the_command_reports_a_file_the_database_refuses_and_goes_on(tmp_path, capsys):
    # a headline whose key outgrows its column (refused by the database until the stories service checks it)
    bad = tmp_path / "bad.txt"
    bad.write_text(LIGATURE * 40 + "\n\nنص الخبر الأول.", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("عنوان جيد\n\nنص الخبر الثاني.", encoding="utf-8")

    with pytest.raises(CommandError, match="1 of 2 inputs failed"):
        call_command("ingest_wire", str(bad), str(good))

    out, err = capsys.readouterr()
    assert "bad.txt: " in err
    assert "good.txt" in out
    assert list(Article.objects.values_list("headline", flat=True)) == ["عنوان جيد"]


def test_a_word_rule_whose_key_outgrows_its_column_is_refused():
    with pytest.raises(ServiceError, match="too long to match"):
        comment_services.save_term(term=LONG_KEYED)

    assert not ModerationTerm.objects.exists()


def test_a_word_rule_of_ordinary_length_is_stored():
    rule = comment_services.save_term(term=LIGATURE * 2)

    assert ModerationTerm.objects.get(pk=rule.pk).term == LIGATURE * 2
    assert rule.key.startswith("صلي الله عليه وسلم")  # the ligature's words, folded as comments' words are


def test_a_spelling_whose_key_fits_is_recorded():
    source = source_services.create_source(name=LIGATURE * 11)  # 11 × 18 = 198 characters of key

    assert source.aliases.get().alias == LIGATURE * 11


# the moderators' queue: the story filter is ASCII digits, as many as a bigint holds --------------------------


@pytest.mark.parametrize("value", ["\u00b2", "\u2460", "٣", "9" * 30, "9" * 19, "-1", "1.0", " 1", ""])
def test_the_queues_story_filter_refuses_what_is_not_a_storys_id(editor_api, value):
    response = editor_api.get("/api/v1/comments/", {"article": value})

    assert response.status_code == 400
    assert response.json()["errors"] == {"article": ["must be a story's id"]}


@pytest.mark.parametrize("value", ["1", "9" * 18])
def test_the_queues_story_filter_takes_a_storys_id(editor_api, value):
    response = editor_api.get("/api/v1/comments/", {"article": value})

    assert response.status_code == 200
    assert response.json()["results"] == []
