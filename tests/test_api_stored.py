"""The public's retrieve answered from the story's stored representation (articles/api/stored.py): one statement
once stored, byte for byte the general path's answer, and never an answer the story no longer gives."""

import pytest
from django.db import DatabaseError, connection
from django.test import override_settings

from articles.api import stored
from articles.api.stories import ArticleViewSet
from articles.models import Article, Section, Source, StoredRepresentation
from articles.services import annotations as annotation_services
from articles.services import ingest, stories, workflow
from articles.services import parts as part_services
from articles.services import sections as section_services
from articles.services import sources as source_services
from articles.services.stories import Credit

pytestmark = pytest.mark.django_db

FORMATS = ["json", "ninjs"]


@pytest.fixture
def story(committed):
    Source.objects.get_or_create(slug="afp", defaults={"name": "AFP"})
    with committed():
        return stories.create_story(
            headline="استئناف المحادثات",
            section="سياسة",
            summary="ملخص",
            credits=[Credit(source="afp", role="originating_agency")],
            parts=[part_services.NewPart(body="الفقرة الأولى عن المحادثات.", continues=True)],
            publish=True,
        )


@pytest.fixture
def statements():
    """statements(n): a block that runs exactly n statements, the savepoint a test's transaction puts around a
    write not counted (a server in autocommit runs none)."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def exactly(n):
        with CaptureQueriesContext(connection) as captured:
            yield
        run = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(run) == n, "\n\n".join(run)

    return exactly


def url(article, fmt):
    return f"/api/v1/articles/{article.pk}/?format={fmt}"


def general(api, article, fmt, monkeypatch):
    """The answer of the general path: the story read and rendered, nothing stored read or written."""
    with monkeypatch.context() as patch:
        patch.setattr(ArticleViewSet, "_public_retrieve", lambda self: False)
        response = api.get(url(article, fmt))
    return response.status_code, response.get("ETag"), response.content


def answer(response):
    return response.status_code, response.get("ETag"), response.content


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_story_created_public_is_answered_from_its_stored_representation_in_one_statement(
    api, story, fmt, monkeypatch, django_assert_num_queries
):
    with django_assert_num_queries(1):
        fast = api.get(url(story, fmt))
    assert fast.status_code == 200
    assert answer(fast) == general(api, story, fmt, monkeypatch)
    with django_assert_num_queries(1):
        assert api.get(url(story, fmt), headers={"If-None-Match": fast["ETag"]}).status_code == 304


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_story_read_without_a_current_representation_is_stored_for_the_next_client(
    api, story, fmt, monkeypatch, statements
):
    StoredRepresentation.objects.all().delete()
    with statements(6):  # the statement, the story's four, the store
        first = api.get(url(story, fmt))
    with statements(1):
        second = api.get(url(story, fmt))
    assert answer(first) == answer(second) == general(api, story, fmt, monkeypatch)


def test_each_host_is_answered_with_its_own_addresses(api, story):
    with override_settings(ALLOWED_HOSTS=["news.example", "www.news.example"]):
        one = api.get(url(story, "json"), HTTP_HOST="news.example").json()
        other = api.get(url(story, "json"), HTTP_HOST="www.news.example").json()
        ninjs = api.get(url(story, "ninjs"), HTTP_HOST="www.news.example").json()
    assert one["url"].startswith("http://news.example/articles/")
    assert other["url"].startswith("http://www.news.example/articles/")
    assert other["annotations"]["url"] == f"http://www.news.example/api/v1/articles/{story.pk}/annotations/"
    canonical = [alt["value"] for alt in ninjs["altIds"] if alt["role"] == "canonical-url"]
    assert canonical == [other["url"]]
    row = StoredRepresentation.objects.get(article=story)
    assert "example" not in row.json_body + row.ninjs_body  # stored relative


def _changes(story, committed, editor):
    """Each a change that moves what the representation shows, with what the answer then shows."""

    def edit():
        stories.edit_story(article=story.pk, changes={"headline": "عنوان جديد"})
        return "عنوان جديد"

    def rename_source():
        source_services.update_source(source=Source.objects.get(slug="afp"), changes={"name": "وكالة الصحافة"})
        return "وكالة الصحافة"

    def rename_section():
        section = Section.objects.get(name="سياسة")
        section.name = "السياسة الدولية"
        section_services.save_section(section)
        return "السياسة الدولية"

    def annotate():
        annotation_services.create_annotation(article=story, part_number=1, exact="المحادثات", body="سياق", by=editor)
        return None

    def append():
        part_services.append_part(article=story.pk, body="الجزء الثاني من الخبر.")
        return "الجزء الثاني من الخبر."

    def correct():
        workflow.transition(article=story.pk, name="correct", note="صُحح التاريخ")
        return "صُحح التاريخ"

    return {
        "edit": edit,
        "rename_source": rename_source,
        "rename_section": rename_section,
        "annotate": annotate,
        "append": append,
        "correct": correct,
    }


@pytest.mark.parametrize("change", ["edit", "rename_source", "rename_section", "annotate", "append", "correct"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_after_any_change_the_answer_is_the_story_as_it_is_now(api, story, committed, editor, change, fmt, monkeypatch):
    before = api.get(url(story, fmt))
    with committed():
        shown = _changes(story, committed, editor)[change]()
    after = api.get(url(story, fmt))

    assert answer(after) == general(api, story, fmt, monkeypatch)
    if change == "annotate" and fmt == "ninjs":  # ninjs shows no annotations
        assert after.content == before.content
        return
    assert after["ETag"] != before["ETag"]
    if shown is not None:
        assert shown in after.content.decode()
    else:
        assert after.json()["annotations"]["count"] == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_retracted_story_s_text_is_never_answered_from_what_was_stored(api, story, committed, fmt):
    assert "الفقرة الأولى" in api.get(url(story, fmt)).content.decode()
    with committed():
        workflow.transition(article=story.pk, name="retract", note="سحب الخبر لخطأ")

    text = api.get(url(story, fmt)).content.decode()
    assert "سحب الخبر لخطأ" in text and "الفقرة الأولى" not in text and "ملخص" not in text
    assert "الفقرة الأولى" not in api.get(url(story, fmt)).content.decode()  # stored again, withheld


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unpublished_or_deleted_story_is_gone_whatever_was_stored(api, story, committed, fmt):
    tag = api.get(url(story, fmt))["ETag"]
    with committed():
        workflow.transition(article=story.pk, name="unpublish")
    assert api.get(url(story, fmt)).status_code == 404
    assert api.get(url(story, fmt), headers={"If-None-Match": tag}).status_code == 404
    assert StoredRepresentation.objects.filter(article=story).exists()  # stale, and never served

    with committed():
        workflow.transition(article=story.pk, name="publish")
    assert api.get(url(story, fmt)).status_code == 200
    with committed():
        stories.delete_story(article=story.pk)
    assert api.get(url(story, fmt)).status_code == 404
    assert not StoredRepresentation.objects.filter(article_id=story.pk).exists()


def test_a_release_that_renders_differently_stores_anew(api, story, monkeypatch, statements):
    api.get(url(story, "json"))
    stored.revision.cache_clear()
    monkeypatch.setattr(stored, "_RENDERED_BY", [*stored._RENDERED_BY[:1]])  # another code, another revision
    try:
        with statements(6):
            api.get(url(story, "json"))
        assert StoredRepresentation.objects.get(article=story).json_key.startswith(stored.revision())
    finally:
        stored.revision.cache_clear()


@pytest.fixture
def family(story, editor, committed):
    """The story and its English translation by the editor, both public."""
    from articles.services import translations as translation_services

    with committed():
        translation = translation_services.create_translation(
            original=story.pk, language="en", headline="Talks resume", by=editor
        )
        workflow.transition(article=translation.pk, name="publish")
    return story, translation


def _family_changes(story, translation, editor):
    """Each a change to a story's language versions that moves what the representations show, without moving
    the story's own version (the original's, or the translation's)."""
    from articles.services import translations as translation_services

    def edit_translation():  # the original lists its translations' headlines
        stories.edit_story(article=translation.pk, changes={"headline": "Talks resume in Moscow"})

    def edit_original():  # the translation is now outdated, and shows the original's new version
        stories.edit_story(article=story.pk, changes={"headline": "عنوان جديد"})

    def mark_current():  # and current again
        stories.edit_story(article=story.pk, changes={"headline": "عنوان جديد"})
        translation_services.mark_current(translation=translation.pk, by=editor)

    def unpublish_translation():  # the original no longer lists it
        workflow.transition(article=translation.pk, name="unpublish")

    def rename_translator():  # the translation's JSON credits the translator by name
        editor.first_name, editor.last_name = "Salma", "Haddad"
        editor.save()

    def add_translation():
        translation_services.create_translation(original=story.pk, language="fr", headline="Reprise", by=editor)
        french = Article.objects.get(translation_of=story, language="fr")
        workflow.transition(article=french.pk, name="publish")

    return {
        "edit_translation": edit_translation,
        "edit_original": edit_original,
        "mark_current": mark_current,
        "unpublish_translation": unpublish_translation,
        "rename_translator": rename_translator,
        "add_translation": add_translation,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_story_with_language_versions_is_stored_and_answered_in_one_statement(
    api, family, fmt, monkeypatch, statements
):
    StoredRepresentation.objects.all().delete()
    for article in family:
        with statements(6):  # the statement, the story's four, the store
            first = api.get(url(article, fmt))
        with statements(1):
            second = api.get(url(article, fmt))
        assert first.status_code == 200
        assert answer(first) == answer(second) == general(api, article, fmt, monkeypatch)
        with statements(1):
            assert api.get(url(article, fmt), headers={"If-None-Match": second["ETag"]}).status_code == 304
    original, translation = (api.get(url(article, "json")).json() for article in family)
    assert [version["id"] for version in original["translations"]] == [family[1].pk]
    assert translation["translation_of"] == family[0].pk


@pytest.mark.parametrize(
    "change",
    [
        "edit_translation",
        "edit_original",
        "mark_current",
        "unpublish_translation",
        "rename_translator",
        "add_translation",
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_change_to_a_story_s_language_versions_is_answered_as_it_is_now(
    api, family, editor, committed, change, fmt, monkeypatch
):
    """Both stories read (and stored) before the change, then read again: each answer is the general path's,
    never the document stored before, and the one whose representation shows the change has a new ETag."""
    before = {article.pk: api.get(url(article, fmt)) for article in family}
    with committed():
        _family_changes(*family, editor)[change]()
    moved = 0
    for article in family:
        after = api.get(url(article, fmt))
        if change == "unpublish_translation" and article is family[1]:
            assert after.status_code == 404
            continue
        assert answer(after) == general(api, article, fmt, monkeypatch)
        moved += after["ETag"] != before[article.pk]["ETag"]
    assert moved >= (0 if change == "rename_translator" and fmt == "ninjs" else 1)


def test_a_reader_is_answered_when_the_representation_cannot_be_stored(api, story, monkeypatch, caplog):
    StoredRepresentation.objects.all().delete()

    def refuse(execute, sql, params, many, context):  # the database refuses the write, however it is sent
        if sql.startswith("INSERT INTO") and "articles_storedrepresentation" in sql:
            raise DatabaseError("read-only database")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        response = api.get(url(story, "json"))
    assert response.status_code == 200 and response.json()["headline"] == "استئناف المحادثات"
    assert "its representation was not stored" in caplog.text


def test_a_story_ingested_published_is_stored_at_once_and_a_draft_is_not(api, committed, seed_text):
    with committed():
        published = ingest.ingest(text=seed_text, publish=True)
    row = StoredRepresentation.objects.get(article_id=published.article.pk)
    assert row.json_key and row.ninjs_key

    with committed():
        draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body="نص.")])
    assert not StoredRepresentation.objects.filter(article=draft).exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_body_a_client_cannot_be_given_is_never_stored(api, story, fmt):
    """A story scheduled for later is not stored when it is created (no reader may see it yet), and no client
    may read it before its time whatever was stored."""
    from django.utils import timezone

    later = stories.create_story(headline="خبر لاحق", parts=[part_services.NewPart(body="نص.")])
    workflow.transition(article=later.pk, name="publish", at=timezone.now() + timezone.timedelta(hours=1))
    assert api.get(url(later, fmt)).status_code == 404
    assert not StoredRepresentation.objects.filter(article=later).exists()


def test_store_representations_stores_every_public_story(api, story, editor, committed, monkeypatch, statements):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from articles.services import translations as translation_services

    draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body="نص.")])
    with committed():
        other = stories.create_story(headline="خبر ثان", parts=[part_services.NewPart(body="نص.")], publish=True)
        translation_services.create_translation(original=other.pk, language="en", headline="Second", by=editor)
    StoredRepresentation.objects.all().delete()

    out = StringIO()
    call_command("store_representations", "--batch-size", "1", stdout=out)
    assert "representations stored for 2 of 2 public stories" in out.getvalue()  # the translation is a draft
    assert sorted(StoredRepresentation.objects.values_list("article_id", flat=True)) == [story.pk, other.pk]
    assert not StoredRepresentation.objects.filter(article=draft).exists()
    for article in (story, other):
        for fmt in FORMATS:
            with statements(1):
                fast = api.get(url(article, fmt))
            assert answer(fast) == general(api, article, fmt, monkeypatch)

    with pytest.raises(CommandError, match="at least 1"):
        call_command("store_representations", "--batch-size", "0")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_story_published_later_is_stored_by_the_change_and_after_an_edit_by_its_first_reader(
    api, committed, fmt, monkeypatch, statements
):
    with committed():
        draft = stories.create_story(headline="مسودة", parts=[part_services.NewPart(body="نص المسودة.")])
    assert not StoredRepresentation.objects.filter(article=draft).exists()
    with committed():
        workflow.transition(article=draft.pk, name="publish")
    with statements(1):
        first = api.get(url(draft, fmt))
    assert answer(first) == general(api, draft, fmt, monkeypatch)

    with committed():
        stories.edit_story(article=draft.pk, changes={"headline": "عنوان بعد النشر"})
    with statements(6):  # an edit leaves the row behind: its first reader stores the story anew
        edited = api.get(url(draft, fmt))
    assert "عنوان بعد النشر" in edited.content.decode()
    assert answer(edited) == general(api, draft, fmt, monkeypatch)


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_that_looks_like_a_stored_address_is_answered_as_written(api, committed, fmt, monkeypatch):
    """The stored text marks the site's addresses with an escaped NUL at the start of a string; a story whose
    text spells that escape out (quotes, backslashes, "u0000") is answered as written, on either path."""
    tricky = 'عنوان "\\u0000/articles/ و \\"\\u0000 \u2028 نهاية'
    with committed():
        article = stories.create_story(
            headline=tricky, summary='"\\u0000', parts=[part_services.NewPart(body=tricky)], publish=True
        )
    fast = api.get(url(article, fmt))
    assert answer(fast) == general(api, article, fmt, monkeypatch)
    document = fast.json()
    headline = document["headline"] if fmt == "json" else document["headlines"][0]["value"]
    assert headline == tricky


@pytest.mark.parametrize("fmt", FORMATS)
def test_indented_json_asked_for_is_indented_on_either_path(api, story, fmt, monkeypatch):
    media = "application/json" if fmt == "json" else "application/ninjs+json"
    headers = {"Accept": f"{media}; indent=4"}
    fast = api.get(f"/api/v1/articles/{story.pk}/", headers=headers)
    with monkeypatch.context() as patch:
        patch.setattr(ArticleViewSet, "_public_retrieve", lambda self: False)
        slow = api.get(f"/api/v1/articles/{story.pk}/", headers=headers)
    assert answer(fast) == answer(slow)
    assert fast.content.startswith(b"{\n    ") and fast["Content-Type"] == slow["Content-Type"]


def test_a_document_stored_in_another_time_zone_is_not_served(api, story, monkeypatch, settings, statements):
    """Its dates are written in the site's time zone: a server configured for another renders the story anew."""
    api.get(url(story, "json"))
    stored.revision.cache_clear()
    settings.TIME_ZONE = "UTC"
    try:
        with statements(6):
            answer_utc = api.get(url(story, "json"))
        assert answer_utc.json()["published_at"].endswith("Z") or "+00:00" in answer_utc.json()["published_at"]
    finally:
        stored.revision.cache_clear()


@pytest.mark.django_db(transaction=True)
def test_readers_storing_one_story_at_once_leave_one_current_row(caplog):
    """Twelve first readers at once (a story just edited, in a spike) each render and store it: one row, current,
    no error, and every reader answered."""
    import threading

    from django.db import connection, connections
    from rest_framework.test import APIClient

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are exercised on PostgreSQL (CI runs it); SQLite serialises them itself")
    article = stories.create_story(headline="خبر", parts=[part_services.NewPart(body="نص.")], publish=True)
    StoredRepresentation.objects.all().delete()
    answers, barrier = [], threading.Barrier(12)

    def read(fmt):
        try:
            barrier.wait()
            answers.append(APIClient().get(url(article, fmt)).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(FORMATS[n % 2],)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [200] * 12
    assert "was not stored" not in caplog.text
    row = StoredRepresentation.objects.get(article=article)
    assert row.json_key and row.ninjs_key
    for fmt in FORMATS:  # both answered early, as stored, from now on
        response = APIClient().get(url(article, fmt))
        assert response.status_code == 200 and not hasattr(response.wsgi_request, "session")
