"""Every door that changes what a story page shows moves the page on (the admin's delete pages and bulk
deletes included), and the cache keeps one entry per page a reader can be shown: values a page reads the same
way, hosts written another way and made-up ids are not entries of their own. Answers that are not kept (a
redirect, an error page, a search, a preview) say that every cache must ask again."""

import pytest
from django.test import Client

from articles.models import Annotation, AuditEntry, Comment, Source
from articles.services import annotations as annotation_services
from articles.services import pagecache

from .test_caching import approved_comment, get, story

pytestmark = pytest.mark.django_db


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_comment_deleted_in_the_admin_leaves_its_story_page_at_once(client, committed, editor, role):
    article = story(committed)
    comment = approved_comment(article, editor, committed, body="تعليق سيحذف من لوحة الإدارة")
    url = article.get_absolute_url()
    before = get(client, url)
    assert "تعليق سيحذف" in before.content.decode() and get(client, url)["X-Cache"] == "hit"

    with committed():
        response = staff_client(role("Moderator")).post(
            f"/admin/articles/comment/{comment.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302 and not Comment.objects.filter(pk=comment.pk).exists()

    after = get(client, url)
    assert after["X-Cache"] == "miss" and "تعليق سيحذف" not in after.content.decode()
    assert get(client, url, **{"if-none-match": before["ETag"]}).status_code == 200
    pagecache.bump()  # the stored rendering is not the old one either
    assert "تعليق سيحذف" not in get(client, url).content.decode()
    entry = AuditEntry.objects.filter(article=article, action=AuditEntry.Action.MODERATE).latest("pk")
    assert entry.detail == {"deleted_comments": [comment.pk]}


def test_comments_deleted_in_bulk_take_their_replies_and_move_each_story(client, committed, editor, role):
    first, second = story(committed), story(committed, headline="خبر ثان")
    one = approved_comment(first, editor, committed, body="تعليق على الخبر الأول", email="a@example.org")
    two = approved_comment(second, editor, committed, body="تعليق على الخبر الثاني", email="b@example.org")
    reply = Comment.objects.create(article=first, parent=one, name="رد", body="رد على التعليق", status="approved")
    for article in (first, second):
        get(client, article.get_absolute_url())

    with committed():
        response = staff_client(role("Moderator")).post(
            "/admin/articles/comment/",
            {"action": "delete_selected", "_selected_action": [one.pk, two.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Comment.objects.filter(pk__in=[one.pk, two.pk, reply.pk]).exists()
    assert "تعليق على الخبر الأول" not in get(client, first.get_absolute_url()).content.decode()
    assert "تعليق على الخبر الثاني" not in get(client, second.get_absolute_url()).content.decode()


def test_a_reporter_may_not_delete_comments_through_the_service(committed, editor, role):
    from articles.services import NotAllowed
    from articles.services import comments as comment_services

    comment = approved_comment(story(committed), editor, committed)
    with pytest.raises(NotAllowed):
        comment_services.delete_comments(comments=[comment], by=role("Reporter"))
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_annotations_deleted_in_bulk_in_the_admin_leave_the_story_page_and_the_api_list(client, committed, editor):
    article = story(committed, body="نص الخبر الأول للتعليق.")
    with committed():
        note = annotation_services.create_annotation(
            article=article, part_number=1, exact="الخبر", body="ملاحظة ستحذف جملة", by=editor
        )
    url = article.get_absolute_url()
    assert "ملاحظة ستحذف جملة" in get(client, url).content.decode()
    listed = client.get("/api/v1/articles/").json()["results"][0]
    assert listed["annotations"]["count"] == 1

    with committed():
        response = staff_client(editor).post(
            "/admin/articles/annotation/", {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"}
        )
    assert response.status_code == 302 and not Annotation.objects.exists()
    assert "ملاحظة ستحذف جملة" not in get(client, url).content.decode()
    assert client.get("/api/v1/articles/").json()["results"][0]["annotations"]["count"] == 0


def test_a_reporter_cannot_bulk_delete_an_annotation_on_a_story_they_may_not_annotate(committed, editor, role):
    article = story(committed, body="نص الخبر الأول للتعليق.")
    with committed():
        note = annotation_services.create_annotation(article=article, part_number=1, exact="الخبر", body="م", by=editor)
    reporter = role("Reporter")
    reporter.user_permissions.add(
        *__import__("django.contrib.auth.models", fromlist=["x"]).Permission.objects.filter(
            codename__in=["view_annotation", "delete_annotation"]
        )
    )

    response = staff_client(reporter).post(
        "/admin/articles/annotation/", {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"}
    )

    assert response.status_code in (200, 302, 403) and Annotation.objects.filter(pk=note.pk).exists()


def test_a_source_deleted_in_the_admin_leaves_its_page(client, committed, admin_client):
    with committed():
        source = Source.objects.create(name="وكالة بلا أخبار", slug="no-news")
    url = "/sources/no-news/"
    assert get(client, url).status_code == 200 and get(client, url)["X-Cache"] == "hit"

    with committed():
        response = admin_client.post(f"/admin/articles/source/{source.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert get(client, url).status_code == 404


def test_a_credited_source_is_not_deleted_by_the_service(committed):
    from articles.models import ArticleSource
    from articles.services import ServiceError
    from articles.services import sources as source_services

    article = story(committed)
    credited = Source.objects.create(name="سبوتنيك", slug="sputnik-test")
    ArticleSource.objects.create(article=article, source=credited, position=1)

    with pytest.raises(ServiceError, match="cannot be deleted"):
        source_services.delete_sources([credited])
    assert Source.objects.filter(pk=credited.pk).exists()


# One page, one entry.


def test_a_value_cannot_pass_for_two_parameters(client, committed):
    article = story(committed)
    url = article.get_absolute_url()

    smuggled = get(client, url + "?reply=7%26comment%3Dpending")
    real = get(client, url + "?reply=7&comment=pending")

    assert real["X-Cache"] == "miss" and real["ETag"] != smuggled["ETag"]
    assert "Thank you" in real.content.decode() or "شكرا" in real.content.decode()


@pytest.mark.parametrize(
    "query", ["?page=a1", "?page=x", "?page=1", "?page=-5", "?page=1.0", "?page=%FF", "?page=0", "?page=²"]
)
def test_a_page_number_the_list_reads_as_its_first_page_is_the_first_page_s_entry(client, committed, query):
    story(committed)
    get(client, "/")

    response = get(client, "/" + query)

    assert (response.status_code, response["X-Cache"]) == (200, "hit")


@pytest.mark.parametrize(
    "query", ["?reply=r1", "?reply=0", "?reply=¹", "?comment=c1", "?comment=", "?reply=&comment=x"]
)
def test_values_a_story_page_ignores_are_the_story_page_s_entry(client, committed, query):
    article = story(committed)
    url = article.get_absolute_url()
    get(client, url)
    get(client, url)  # kept from its second read when assembled from its stored rendering

    response = get(client, url + query)

    assert (response.status_code, response["X-Cache"]) == (200, "hit")


@pytest.mark.parametrize("written", ["007", "٧"])
def test_a_reply_id_written_another_way_is_the_same_entry(client, committed, written):
    article = story(committed)
    url = article.get_absolute_url()
    first = get(client, url + "?reply=7")

    again = get(client, url + f"?reply={written}")

    assert first["X-Cache"] == "miss" and again["X-Cache"] == "hit"


@pytest.mark.parametrize("host", ["LOCALHOST", "localhost.", "localhost:80", "Localhost.:80"])
def test_a_host_written_another_way_is_the_same_entry(client, committed, settings, host):
    settings.ALLOWED_HOSTS = ["localhost"]
    story(committed)
    client.get("/", HTTP_HOST="localhost")

    response = client.get("/", HTTP_HOST=host)

    assert (response.status_code, response["X-Cache"]) == (200, "hit")


def test_another_port_is_an_entry_of_its_own(client, committed, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    story(committed)
    client.get("/", HTTP_HOST="localhost")

    assert client.get("/", HTTP_HOST="localhost:8000")["X-Cache"] == "miss"


@pytest.mark.parametrize("written", ["0{pk}", "00{pk}", "{pk}0000000000000000000"])
def test_a_story_id_written_another_way_is_no_address(client, committed, written):
    article = story(committed)

    response = get(client, f"/articles/{written.format(pk=article.pk)}/{article.slug}/")

    assert response.status_code == 404


# Answers that are not kept.


def test_a_slug_redirect_and_a_missing_page_are_asked_for_again_each_time(client, committed):
    article = story(committed)

    moved = get(client, f"/articles/{article.pk}/old-slug/")
    missing = get(client, "/articles/999999/x/")

    assert moved.status_code == 301 and moved["Cache-Control"] == "max-age=0, must-revalidate"
    assert missing.status_code == 404 and missing["Cache-Control"] == "max-age=0, must-revalidate"
    assert "X-Cache" not in moved and "X-Cache" not in missing


def test_a_reader_with_the_language_cookie_gets_a_private_redirect(client, committed):
    article = story(committed)
    client.cookies["django_language"] = "en"

    moved = client.get(f"/articles/{article.pk}/old-slug/")

    assert moved["Cache-Control"] == "private, max-age=0, must-revalidate"


@pytest.mark.parametrize("path", ["/search/?q=الخبر", "/sitemap.xml", "/news-sitemap.xml"])
def test_searches_and_sitemaps_are_asked_for_again(client, committed, path):
    story(committed, headline="الخبر المنشور")

    response = get(client, path)

    assert response.status_code == 200 and response["Cache-Control"] == "max-age=0, must-revalidate"


def test_a_preview_is_never_kept(committed, editor):
    article = story(committed, publish=False)

    response = staff_client(editor).get(f"/preview/articles/{article.pk}/")

    assert response.status_code == 200
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}
