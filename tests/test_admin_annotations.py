"""Annotations in the admin: annotate by typed quote (no JavaScript needed), see them on the story, re-attach
orphans, count them on the admin's home page."""

import pytest

from articles.models import Annotation
from articles.services import annotations as annotation_services
from articles.services import parts as part_services
from articles.services import stories

pytestmark = pytest.mark.django_db

TEXT = "قال الأمين العام إن الوضع في قره باغ يثير القلق."


@pytest.fixture
def story():
    return stories.create_story(headline="قلق", parts=[part_services.NewPart(body=TEXT)], publish=True)


def form(story, **values):
    data = {
        "article": story.pk,
        "part_number": 1,
        "exact": "قره باغ",
        "prefix": "",
        "suffix": "",
        "start": "",
        "end": "",
        "body": "إقليم متنازع عليه.",
        "language": "ar",
        "purpose": "classifying",
        "audience": "public",
    }
    data.update(values)
    return data


def test_an_editor_annotates_by_typing_the_quote(editor_client, editor, story):
    response = editor_client.post("/admin/articles/annotation/add/", form(story))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    annotation = Annotation.objects.get()
    assert TEXT[annotation.start : annotation.end] == "قره باغ" and annotation.author == editor
    page = editor_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "إقليم متنازع عليه." in page and "js/annotate.js" in page


def test_the_selection_helper_prefills_the_form(editor_client, story):
    start = TEXT.index("الوضع")
    html = editor_client.get(
        f"/admin/articles/annotation/add/?article={story.pk}&part_number=1&exact=الوضع&start={start}&end={start + 5}"
    ).content.decode()

    assert ">\nالوضع</textarea>" in html
    assert f'name="start" value="{start}"' in html


def test_a_quote_not_in_the_part_is_a_form_error_and_the_note_is_kept(editor_client, story):
    response = editor_client.post(
        "/admin/articles/annotation/add/", form(story, exact="غير موجود"), headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "not in this part" in html and "إقليم متنازع عليه." in html
    assert Annotation.objects.count() == 0


def test_an_orphan_is_counted_and_re_attached_by_a_new_quote(editor_client, story, django_capture_on_commit_callbacks):
    annotation = annotation_services.create_annotation(article=story, part_number=1, exact="قره باغ", body="سياق")
    with django_capture_on_commit_callbacks(execute=True):
        part_services.edit_part(article=story, number=1, body="نص مختلف عن ناغورني.", continues=False)
    assert Annotation.objects.get().anchoring == "orphaned"

    index = editor_client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    listed = editor_client.get("/admin/articles/annotation/?anchoring=orphaned").content.decode()
    response = editor_client.post(
        f"/admin/articles/annotation/{annotation.pk}/change/", form(story, exact="ناغورني", body="سياق")
    )

    assert "1 annotation lost its words" in index and "قره باغ" in listed
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.anchoring == "anchored" and annotation.exact == "ناغورني"


def test_a_reporter_cannot_annotate_a_published_story(client, role, story):
    client.force_login(role("Reporter"))

    response = client.post("/admin/articles/annotation/add/", form(story))

    assert response.status_code in (200, 403)
    assert Annotation.objects.count() == 0
