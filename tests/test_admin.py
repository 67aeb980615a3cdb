"""The editors' admin: log in, list, open a story, add a part, paste wire copy; Arabic RTL and English."""

import pytest
from django.urls import reverse

from articles.models import Article, Source
from articles.services.ingest import ingest

from .admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def test_an_editor_logs_in_with_a_password(client, editor):
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": "pw-editor-123", "next": "/admin/"}
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.arabic_default
def test_admin_is_arabic_and_rtl_by_default(editor_client):
    html = editor_client.get("/admin/").content.decode()

    assert 'lang="ar" dir="rtl"' in html


def test_admin_follows_the_browsers_language(editor_client):
    html = editor_client.get("/admin/", headers={"accept-language": "en"}).content.decode()

    assert 'lang="en" dir="ltr"' in html


def test_admin_has_a_language_switch(editor_client):
    editor_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})

    html = editor_client.get("/admin/").content.decode()

    assert 'lang="en" dir="ltr"' in html
    assert 'action="/i18n/setlang/"' in html


def test_story_list_shows_the_columns_editors_need(editor_client, seed_story, django_assert_max_num_queries):
    for _ in range(10):
        ingest(text=f"خبر رقم {_}\n\nالرياض (رويترز) - نص الخبر رقم {_}.\n(يتبع)\n")
    with django_assert_max_num_queries(16):  # the same budget for one story or a hundred
        response = editor_client.get(reverse("admin:articles_article_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert seed_story.headline in html
    assert "UrduPoint Network / Sputnik" in html
    for column in [
        "column-sources_list",
        "column-language",
        "column-status",
        "column-is_developing",
        "column-parts_count",
        "column-published_at",
    ]:
        assert column in html


def test_story_list_filters_and_searches(editor_client, seed_story):
    from articles.services import search

    search.index_story(seed_story.pk)  # the index follows commits; the test's transaction never commits
    url = reverse("admin:articles_article_changelist")

    assert seed_story.headline in editor_client.get(url, {"status__exact": "published"}).content.decode()
    assert seed_story.headline not in editor_client.get(url, {"status__exact": "draft"}).content.decode()
    assert seed_story.headline in editor_client.get(url, {"q": "معاهدة الأمن"}).content.decode()


def test_editor_opens_a_story_with_its_parts_and_sources(editor_client, seed_story):
    response = editor_client.get(reverse("admin:articles_article_change", args=[seed_story.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="parts-0-body"' in html and 'name="parts-1-body"' in html
    assert 'name="parts-2-body"' in html  # an empty form for the next part
    assert 'name="credits-0-source"' in html


def test_editor_adds_the_next_part(editor_client, seed_story):
    version = seed_story.version
    url = reverse("admin:articles_article_change", args=[seed_story.pk])

    response = editor_client.post(
        url, change_form_data(seed_story, new_body="فقرة جديدة من التحديث.\r\n\r\nوفقرة ثانية.")
    )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    parts = list(seed_story.parts.order_by("number"))
    assert [part.number for part in parts] == [1, 2, 3]
    assert parts[2].body == "فقرة جديدة من التحديث.\n\nوفقرة ثانية."
    seed_story.refresh_from_db()
    assert seed_story.version > version
    assert seed_story.updated_by.username == "editor"


def test_editor_edits_a_part_and_the_text_is_kept_exactly(editor_client, seed_story):
    url = reverse("admin:articles_article_change", args=[seed_story.pk])
    body = "  نص\u00a0معدل مع مسافة غير منقسمة.  "

    response = editor_client.post(url, change_form_data(seed_story, extra={"parts-1-body": body}))

    assert response.status_code == 302
    assert seed_story.parts.get(number=2).body == body


def test_deleting_a_part_renumbers_the_rest(editor_client, seed_story):
    url = reverse("admin:articles_article_change", args=[seed_story.pk])

    response = editor_client.post(url, change_form_data(seed_story, extra={"parts-0-DELETE": "on"}))

    assert response.status_code == 302
    assert list(seed_story.parts.values_list("number", flat=True)) == [1]


def test_a_blank_part_is_a_form_error_and_nothing_is_lost(editor_client, seed_story):
    url = reverse("admin:articles_article_change", args=[seed_story.pk])
    headline = "عنوان جديد كتبه المحرر"

    response = editor_client.post(
        url, change_form_data(seed_story, extra={"parts-0-body": "   ", "headline": headline})
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert headline in html  # what the editor typed stays in the form
    assert Article.objects.get(pk=seed_story.pk).headline != headline


def test_nul_character_in_a_part_is_a_form_error(editor_client, seed_story):
    url = reverse("admin:articles_article_change", args=[seed_story.pk])

    response = editor_client.post(url, change_form_data(seed_story, extra={"parts-0-body": "نص\x00"}))

    assert response.status_code == 200
    assert "\x00" not in seed_story.parts.get(number=1).body


def test_paste_page_previews_then_saves_through_the_ingest_service(editor_client, seed_text):
    url = reverse("admin:articles_article_paste")
    assert editor_client.get(url).status_code == 200

    preview = editor_client.post(url, {"text": seed_text, "language": "ar", "preview": "1"})

    html = preview.content.decode()
    assert preview.status_code == 200
    assert Article.objects.count() == 0
    assert 'class="preview-headline"' in html
    assert "سبوتنيك" in html and "2020-09-28" in html
    assert html.count('class="preview-part"') == 2
    assert "preview-warnings" in html

    saved = editor_client.post(url, {"text": seed_text, "language": "ar", "save": "1"})

    article = Article.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.parts.count() == 2
    assert article.created_by.username == "editor"


def test_paste_page_shows_bad_copy_as_a_form_error(editor_client):
    url = reverse("admin:articles_article_paste")

    response = editor_client.post(url, {"text": " \n\n ", "language": "ar", "preview": "1"})

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Article.objects.count() == 0


def test_paste_page_refuses_an_unknown_target_story(editor_client, seed_text):
    url = reverse("admin:articles_article_paste")

    response = editor_client.post(url, {"text": seed_text, "language": "ar", "append_to": "999", "save": "1"})

    assert response.status_code == 200
    assert "999" in response.content.decode()
    assert Article.objects.count() == 0


def test_paste_page_needs_the_add_permission(client, django_user_model):
    user = django_user_model.objects.create_user(username="viewer", password="pw", is_staff=True)
    client.force_login(user)

    assert client.get(reverse("admin:articles_article_paste")).status_code == 403


def _source_form(source, new_alias):
    aliases = list(source.aliases.all())
    data = {
        "name": source.name,
        "slug": source.slug,
        "kind": source.kind,
        "website": source.website,
        "aliases-TOTAL_FORMS": len(aliases) + 1,
        "aliases-INITIAL_FORMS": len(aliases),
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
        f"aliases-{len(aliases)}-alias": new_alias,
    }
    for i, alias in enumerate(aliases):
        data.update({f"aliases-{i}-id": alias.pk, f"aliases-{i}-source": source.pk, f"aliases-{i}-alias": alias.alias})
    return data


def test_source_admin_adds_an_alias_with_its_matching_key(editor_client):
    source = Source.objects.get(name="Sputnik")

    response = editor_client.post(
        reverse("admin:articles_source_change", args=[source.pk]), _source_form(source, "سپوتنیک")
    )

    assert response.status_code == 302
    assert source.aliases.filter(alias="سپوتنیک").exists()


def test_source_admin_refuses_an_alias_that_names_another_source(editor_client):
    source = Source.objects.get(name="Sputnik")

    response = editor_client.post(
        reverse("admin:articles_source_change", args=[source.pk]), _source_form(source, "رويترز")
    )

    assert response.status_code == 200
    assert "Reuters" in response.content.decode()
