"""manage.py prune_stored: the stored renderings no reader can be answered from are deleted, and every row the
running code could still serve is kept."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import StoredPage, StoredRepresentation
from articles.services import pagecache, stories, workflow
from articles.services import parts as part_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def read(django_capture_on_commit_callbacks):
    """A story published (its representations stored by the publication), its page read in two languages and
    its representations by the API, so that it has every stored row."""

    def make(headline):
        with django_capture_on_commit_callbacks(execute=True):
            article = stories.create_story(headline=headline, parts=[part_services.NewPart(body="نص.")], publish=True)
        for language in ("ar", "en"):
            pagecache.bump()
            Client().get(article.get_absolute_url(), headers={"accept-language": language})
        assert StoredPage.objects.filter(article=article).count() == 2
        assert StoredRepresentation.objects.filter(article=article).exists()
        return article

    return make


def prune(*args) -> str:
    out = StringIO()
    call_command("prune_stored", *args, stdout=out)
    return out.getvalue()


def test_what_the_running_code_may_serve_is_kept(read):
    article = read("خبر حالي")
    assert "stored pages deleted: 0; stored representations deleted: 0" in prune()
    assert StoredPage.objects.filter(article=article).count() == 2
    assert StoredRepresentation.objects.filter(article=article).exists()


def test_what_another_release_rendered_is_deleted(read):
    kept, old = read("خبر حالي"), read("خبر قديم")
    StoredPage.objects.filter(article=old, language="ar").update(key="0123456789abcdef|/|ar|v1")
    StoredRepresentation.objects.filter(article=old).update(json_key='0123abcd:"x"', ninjs_key='0123abcd:"y"')
    assert "stored pages deleted: 1; stored representations deleted: 1" in prune()
    assert list(StoredPage.objects.filter(article=old).values_list("language", flat=True)) == ["en"]
    assert list(StoredRepresentation.objects.values_list("article_id", flat=True)) == [kept.pk]


def test_a_representation_with_one_current_format_is_kept(read):
    article = read("خبر")
    StoredRepresentation.objects.filter(article=article).update(ninjs_key='0123abcd:"y"')
    assert "stored representations deleted: 0" in prune()


def test_a_story_readers_cannot_see_loses_its_rows_and_a_retracted_one_keeps_them(read, editor):
    unpublished, retracted = read("خبر سحب من النشر"), read("خبر مسحوب")
    workflow.transition(article=unpublished.pk, name="unpublish", by=editor)
    workflow.transition(article=retracted.pk, name="retract", by=editor, note="سحب لخطأ")
    prune()
    assert not StoredPage.objects.filter(article=unpublished).exists()
    assert not StoredRepresentation.objects.filter(article=unpublished).exists()
    assert StoredPage.objects.filter(article=retracted).count() == 2  # its page is still read: the notice


def test_a_dry_run_counts_and_deletes_nothing(read):
    article = read("خبر")
    StoredPage.objects.filter(article=article).update(key="stale")
    assert "stored pages would be deleted: 2; stored representations would be deleted: 0" in prune("--dry-run")
    assert StoredPage.objects.filter(article=article).count() == 2
    assert "stored pages deleted: 2" in prune()
