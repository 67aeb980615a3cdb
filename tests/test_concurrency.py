"""Concurrent editing: stale saves are refused and keep the editor's text; appends never collide."""

import threading

import pytest
from django.db import connection, connections

from articles.models import Article, Part
from articles.services import parts as part_services
from articles.services import presence
from articles.services.ingest import ingest

from .factories import ArticleFactory, PartFactory
from .test_admin import _inline_data


@pytest.fixture
def seed_story(seed_text):
    return ingest(text=seed_text, publish=True).article


@pytest.mark.django_db
def test_admin_refuses_a_save_over_a_newer_version_and_keeps_the_editors_text(editor_client, seed_story, editor):
    url = f"/admin/articles/article/{seed_story.pk}/change/"
    form = _inline_data(seed_story, extra={"loaded_version": seed_story.version})
    part_services.edit_part(part=seed_story.parts.get(number=2), body="تعديل زميل", continues=False, by=editor)

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
        url, _inline_data(seed_story, extra={"loaded_version": seed_story.version, "summary": "خلاصة"})
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
