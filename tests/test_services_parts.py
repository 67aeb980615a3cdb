"""services/parts.py: numbers 1..n assigned here, each operation one change of the story."""

import pytest

from articles.models import Article
from articles.services import NotAllowed, ServiceError, stories
from articles.services import parts as part_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    takes = [part_services.NewPart(body=f"الجزء {n}") for n in (1, 2, 3)]
    return stories.create_story(headline="خبر من ثلاثة أجزاء", parts=takes)


def bodies(article):
    return list(article.parts.order_by("number").values_list("number", "body"))


def test_appending_numbers_after_the_last_part(article):
    part_services.append_parts(article=article, parts=[part_services.NewPart(body="الجزء 4")])

    assert bodies(article)[-1] == (4, "الجزء 4")
    assert Article.objects.get(pk=article.pk).version == 2


def test_deleting_a_middle_part_moves_the_later_ones_up(article):
    part_services.delete_part(article=article, number=2)

    assert bodies(article) == [(1, "الجزء 1"), (2, "الجزء 3")]


def test_several_edits_in_one_save_are_one_version(article):
    edits = part_services.PartEdits(
        edited={3: part_services.NewPart(body="الثالث معدلا")},
        removed=frozenset({1}),
        added=(part_services.NewPart(body="جديد", continues=True),),
    )

    stories.edit_story(article=article, parts=edits)

    assert bodies(article) == [(1, "الجزء 2"), (2, "الثالث معدلا"), (3, "جديد")]
    assert Article.objects.get(pk=article.pk).version == 2


def test_an_edit_keeps_the_text_exactly_but_for_line_endings(article):
    text = "فقرة\u00a0أولى ـ بتطويل\r\n\r\nفقرة ثانية"

    part = part_services.edit_part(article=article, number=1, body=text, continues=False)

    assert part.body == "فقرة\u00a0أولى ـ بتطويل\n\nفقرة ثانية"


def test_a_missing_part_number_is_refused(article):
    with pytest.raises(ServiceError, match="no part 7"):
        part_services.edit_part(article=article, number=7, body="x", continues=False)


def test_a_reporter_may_not_append_to_someone_elses_story(article, role):
    with pytest.raises(NotAllowed, match=str(article.pk)):
        part_services.append_part(article=article, body="من مراسل", by=role("Reporter"))
    assert article.parts.count() == 3
