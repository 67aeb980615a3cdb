"""selectors.visible_to decides every surface; a retraction withholds text and summary everywhere; links too."""

import pytest
from django.utils import timezone

from articles.models import Article
from articles.selectors import visible_to
from articles.services import workflow

from .factories import ArticleFactory, PartFactory

pytestmark = pytest.mark.django_db


def story(**kwargs):
    article = ArticleFactory(summary="خلاصة سرية", **kwargs)
    PartFactory(article=article, number=1, body="نص لا يراه القارئ بعد السحب.")
    return article


@pytest.fixture
def retracted():
    article = story(published=True)
    return workflow.transition(article=article, name="retract", note="سحبنا هذا الخبر لخطأ جسيم.")


def surfaces(article):
    return [
        article.get_absolute_url(),
        f"/api/v1/articles/{article.pk}/",
        f"/api/v1/articles/{article.pk}/?format=ninjs",
        f"/api/v1/articles/{article.pk}/parts/",
        f"/api/v1/articles/{article.pk}/parts/1/",
        f"/api/v1/articles/{article.pk}/revisions/",
    ]


def test_a_draft_is_404_for_anonymous_on_every_surface(client):
    draft = story()

    for url in surfaces(draft):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("group", ["Moderator", "Reporter", "Translator"])
def test_groups_without_the_right_see_no_one_elses_unpublished_story(client, role, group):
    user = role(group)
    client.force_login(user)
    draft, scheduled = story(), story(status="published", published_at=timezone.now() + timezone.timedelta(days=1))

    for article in (draft, scheduled):
        for url in surfaces(article)[1:]:
            assert client.get(url).status_code == 404, url
    assert list(visible_to(user)) == []


def test_a_reporter_sees_their_own_drafts_and_an_editor_sees_all(role):
    reporter, editor = role("Reporter"), role("Editor")
    own, others = story(created_by=reporter), story()

    assert set(visible_to(reporter)) == {own}
    assert set(visible_to(editor)) == {own, others}


def test_a_retracted_story_withholds_its_text_and_summary_on_every_surface(client, retracted):
    page = client.get(retracted.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()
    api = client.get(f"/api/v1/articles/{retracted.pk}/").json()
    ninjs = client.get(f"/api/v1/articles/{retracted.pk}/?format=ninjs").content.decode()
    parts = client.get(f"/api/v1/articles/{retracted.pk}/parts/")
    part = client.get(f"/api/v1/articles/{retracted.pk}/parts/1/")

    for text in (page, home, str(api), ninjs, parts.content.decode()):
        assert "نص لا يراه القارئ" not in text
        assert "خلاصة سرية" not in text
    assert "سحبنا هذا الخبر" in page and "سحبنا هذا الخبر" in ninjs
    assert parts.status_code == 200 and parts.json() == []
    assert part.status_code == 404
    assert api["parts"] == [] and api["summary"] == ""


def test_an_editor_still_reads_a_retracted_storys_text_through_the_api(editor_api, retracted):
    data = editor_api.get(f"/api/v1/articles/{retracted.pk}/").json()

    assert data["summary"] == "خلاصة سرية"
    assert [part["number"] for part in editor_api.get(f"/api/v1/articles/{retracted.pk}/parts/").json()] == [1]


def test_a_published_translation_does_not_reveal_its_draft_original(client, editor_api):
    original = story(language="en")
    translation = story(published=True, translation_of=original)

    data = client.get(f"/api/v1/articles/{translation.pk}/").json()
    ninjs = client.get(f"/api/v1/articles/{translation.pk}/?format=ninjs").json()

    assert data["translation_of"] is None
    assert "associations" not in ninjs
    assert editor_api.get(f"/api/v1/articles/{translation.pk}/").json()["translation_of"] == original.pk
    workflow.transition(article=original, name="publish")
    assert client.get(f"/api/v1/articles/{translation.pk}/").json()["translation_of"] == original.pk


def test_public_pages_show_readers_view_even_to_an_editor(editor_client):
    draft = story()

    assert editor_client.get(draft.get_absolute_url()).status_code == 404
    assert editor_client.get(f"/preview/articles/{draft.pk}/").status_code == 200
    assert Article.objects.count() == 1
