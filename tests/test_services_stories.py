"""services/stories.py: create and edit stories from plain data."""

import pytest

from articles.models import Article, Section
from articles.services import ServiceError, stories

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_create_with_credits_by_slug_in_order_and_a_new_section():
    first, second = SourceFactory(), SourceFactory()

    article = stories.create_story(
        headline="  عنوان  ",
        section="اقتصادي",
        credits=[stories.Credit(second.slug, "publisher"), stories.Credit(first.slug), (second.slug, "publisher")],
    )

    assert article.headline == "عنوان" and article.version == 1
    assert article.section == Section.objects.get(name="اقتصادي")
    assert [(c.source, c.role, c.position) for c in article.ordered_credits] == [
        (second, "publisher", 1),
        (first, "originating_agency", 2),
    ]


def test_an_unknown_source_slug_is_refused_and_nothing_is_created():
    with pytest.raises(ServiceError, match="no-such"):
        stories.create_story(headline="عنوان", section="قسم", credits=[stories.Credit("no-such")])
    assert Article.objects.count() == 0 and Section.objects.count() == 0


def test_an_edited_headline_moves_a_slug_nobody_chose_but_not_a_chosen_one():
    auto = stories.create_story(headline="عنوان أول")
    chosen = stories.create_story(headline="عنوان أول", slug="مختار")

    stories.edit_story(article=auto, changes={"headline": "عنوان ثان"})
    stories.edit_story(article=chosen, changes={"headline": "عنوان ثان"})

    assert Article.objects.get(pk=auto.pk).slug == "عنوان-ثان"
    assert Article.objects.get(pk=chosen.pk).slug == "مختار"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"headline": "   "}, "needs a headline"),
        ({"headline": "ع" * 501}, "501 characters long; the limit is 500"),
        ({"language": "xx"}, "unknown story language"),
        ({"status": "published"}, "cannot be changed"),
        ({"translation_of": 999999}, "no story with id 999999"),
    ],
)
def test_bad_edits_are_refused_with_the_reason(changes, message):
    article = stories.create_story(headline="عنوان")

    with pytest.raises(ServiceError, match=message):
        stories.edit_story(article=article, changes=changes)
    assert Article.objects.get(pk=article.pk).version == 1


def test_a_story_is_not_a_translation_of_itself():
    article = stories.create_story(headline="عنوان")

    with pytest.raises(ServiceError, match="itself"):
        stories.edit_story(article=article, changes={"translation_of": article.pk})
