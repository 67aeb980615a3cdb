"""Concurrent editing: stale saves are refused and keep the editor's text; appends never collide."""

import threading

import pytest
from django.db import connection, connections

from articles.models import Article, Part
from articles.services import parts as part_services
from articles.services import presence

from .admin_forms import change_form_data
from .factories import ArticleFactory, PartFactory


@pytest.mark.django_db
def test_admin_refuses_a_save_over_a_newer_version_and_keeps_the_editors_text(editor_client, seed_story, editor):
    url = f"/admin/articles/article/{seed_story.pk}/change/"
    form = change_form_data(seed_story, extra={"loaded_version": seed_story.version})
    part_services.edit_part(article=seed_story, number=2, body="تعديل زميل", continues=False, by=editor)

    mine = "نص كتبته بعناية ولا أريد أن أفقده"
    response = editor_client.post(
        url, {**form, "parts-0-body": mine, "headline": "عنواني"}, headers={"accept-language": "en"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "changed while you were editing" in html and "part 2" in html
    assert mine in html and "عنواني" in html
    assert Article.objects.get(pk=seed_story.pk).headline != "عنواني"


@pytest.mark.django_db
def test_admin_saves_when_nobody_changed_the_story(editor_client, seed_story):
    url = f"/admin/articles/article/{seed_story.pk}/change/"

    response = editor_client.post(
        url, change_form_data(seed_story, extra={"loaded_version": seed_story.version, "summary": "خلاصة"})
    )

    assert response.status_code == 302
    assert Article.objects.get(pk=seed_story.pk).summary == "خلاصة"


@pytest.mark.django_db
def test_an_editor_sees_who_else_has_the_story_open(editor_client, seed_story, django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    client = Client()
    colleague = django_user_model.objects.create_user("layla", first_name="ليلى", is_staff=True)
    colleague.groups.add(Group.objects.get(name="Editor"))
    client.force_login(colleague)
    client.get(f"/admin/articles/article/{seed_story.pk}/change/")

    page = editor_client.get(f"/admin/articles/article/{seed_story.pk}/change/").content.decode()
    beat = editor_client.post(f"/admin/articles/article/{seed_story.pk}/presence/").json()

    assert "ليلى" in page
    assert beat["others"][0]["name"] == "ليلى"

    client.post(f"/admin/articles/article/{seed_story.pk}/presence/", {"leave": "1"})
    assert editor_client.post(f"/admin/articles/article/{seed_story.pk}/presence/").json()["others"] == []


@pytest.mark.django_db
def test_presence_clears_by_itself(seed_story, editor, django_user_model, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    other = django_user_model.objects.create_user("other")
    presence.touch(article_id=seed_story.pk, user=other)
    later = timezone.now() + timedelta(seconds=presence.EXPIRES + 1)
    monkeypatch.setattr(presence.timezone, "now", lambda: later)

    assert presence.touch(article_id=seed_story.pk, user=editor) == []


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_appends_all_succeed_with_contiguous_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (CI runs it); SQLite serialises writers itself")
    article = ArticleFactory()
    PartFactory(article=article, number=1)
    errors, barrier = [], threading.Barrier(20)

    def append(n):
        try:
            barrier.wait()
            part_services.append_part(article=Article.objects.get(pk=article.pk), body=f"جزء متزامن {n}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    parts = list(Part.objects.filter(article=article).order_by("number"))
    assert [part.number for part in parts] == list(range(1, 22))
    assert sorted(part.body for part in parts[1:]) == sorted(f"جزء متزامن {n}" for n in range(20))
    assert Article.objects.get(pk=article.pk).version == 1 + 20


@pytest.mark.django_db
def test_an_admin_save_without_the_loaded_version_is_refused_never_a_blind_overwrite(editor_client, seed_story):
    data = change_form_data(seed_story, extra={"summary": "خلاصة جديدة"})
    del data["loaded_version"]

    response = editor_client.post(f"/admin/articles/article/{seed_story.pk}/change/", data)

    assert response.status_code == 200
    assert "خلاصة جديدة" in response.content.decode()  # the editor's text is kept in the form
    assert Article.objects.get(pk=seed_story.pk).summary == ""


@pytest.mark.django_db
def test_an_admin_save_loaded_before_a_retraction_cannot_undo_it(editor_client, seed_story, editor):
    from articles.services import workflow

    form = change_form_data(seed_story, extra={"summary": "خلاصة"})  # the editor opened the story …
    workflow.transition(article=seed_story, name="retract", note="سحب الخبر", by=editor)  # … a colleague retracts

    response = editor_client.post(f"/admin/articles/article/{seed_story.pk}/change/", form)

    article = Article.objects.get(pk=seed_story.pk)
    assert response.status_code == 200
    assert article.status == Article.Status.RETRACTED and article.retraction_notice == "سحب الخبر"
    assert article.summary == ""


def _save_in_a_process(pk, username, data, barrier, results):
    """One editor's admin save, in its own process with its own database connection."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    connections.close_all()
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    barrier.wait()
    response = client.post(f"/admin/articles/article/{pk}/change/", data, headers={"accept-language": "en"})
    results.put((response.status_code, response.content.decode() if response.status_code == 200 else ""))
    connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admin_saves_at_once_one_wins_and_the_other_keeps_its_text(seed_text, editor):
    import multiprocessing

    from articles.services.ingest import ingest

    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (CI runs it); SQLite serialises writers itself")
    article = ingest(text=seed_text, publish=True).article
    texts = ["نص المحرر الأول", "نص المحرر الثاني"]
    forms = [change_form_data(article, extra={"parts-0-body": text}) for text in texts]
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    connections.close_all()
    workers = [
        context.Process(target=_save_in_a_process, args=(article.pk, editor.username, form, barrier, results))
        for form in forms
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(status for status, _ in outcomes) == [200, 302]
    [refused] = [html for status, html in outcomes if status == 200]
    assert "changed while you were editing" in refused
    kept = [text for text in texts if text in refused]
    stored = Part.objects.get(article=article, number=1).body
    assert len(kept) == 1 and stored in texts and stored != kept[0]
    assert Article.objects.get(pk=article.pk).version == article.version + 1
