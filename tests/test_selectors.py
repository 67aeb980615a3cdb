"""The reads: selectors and the named QuerySet methods, with their query budgets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.selectors import as_story, deleted_stories, find_sources, history, snapshot, version_of
from articles.services import ServiceError, stories

from .factories import ArticleFactory, ArticleSourceFactory, PartFactory

pytestmark = pytest.mark.django_db


def test_public_is_published_or_retracted_and_due():
    due = ArticleFactory(published=True)
    ArticleFactory()  # draft
    ArticleFactory(status="published", published_at=timezone.now() + timedelta(minutes=5))  # scheduled

    assert list(Article.objects.public()) == [due]


def test_for_list_counts_parts_and_knows_a_developing_story_in_one_query(django_assert_num_queries):
    article = ArticleFactory(published=True)
    PartFactory(article=article, number=1)
    PartFactory(article=article, number=2, continues=True)
    ArticleSourceFactory(article=article)

    with django_assert_num_queries(2):  # the stories, then their credits with sources
        [loaded] = list(Article.objects.for_list())
        assert loaded.part_count == 2 and loaded.developing
        assert loaded.ordered_credits[0].source.name


def test_developing_filters_on_the_last_part():
    open_story, closed = ArticleFactory(), ArticleFactory()
    PartFactory(article=open_story, number=1, continues=True)
    PartFactory(article=closed, number=1)

    assert list(Article.objects.developing()) == [open_story]
    assert list(Article.objects.developing(False)) == [closed]


def test_find_sources_matches_spelling_variants():
    found = find_sources(["أردو بوینت نتورك", "اردو بوينت نتورك", "لا أحد"])

    assert found["أردو بوینت نتورك"].slug == found["اردو بوينت نتورك"].slug == "urdupoint"
    assert "لا أحد" not in found


def test_history_snapshots_and_previews_of_a_revision():
    article = stories.create_story(headline="الأول")
    stories.edit_story(article=article, changes={"headline": "الثاني"})

    newest, oldest = history(article)
    assert snapshot(newest)["article"]["headline"] == "الثاني"
    assert snapshot(oldest)["article"]["headline"] == "الأول"
    assert as_story(oldest).headline == "الأول"
    with pytest.raises(ServiceError):
        version_of(article, 10**9)


def test_deleted_stories_lists_what_can_be_recovered():
    article = stories.create_story(headline="للحذف")
    stories.delete_story(article=article)

    assert [version.field_dict["headline"] for version in deleted_stories()] == ["للحذف"]
